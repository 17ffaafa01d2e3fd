#!/usr/bin/env python3
"""Reads a FHIR Bundle with an independent FHIR model — the PyPI package fhir.resources, R4B —
and writes it back out as that model serialises it. Used by core/tests/ips_import.rs: an export
that this model refuses, or that loses something through it, fails the test.

Usage: roundtrip.py IN.json OUT.json
"""
import sys

from fhir.resources.R4B.bundle import Bundle

with open(sys.argv[1], encoding="utf-8") as f:
    bundle = Bundle.model_validate_json(f.read())
assert bundle.type == "document", bundle.type
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(bundle.model_dump_json(exclude_none=True, by_alias=True))
