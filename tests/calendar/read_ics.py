#!/usr/bin/env python3
"""Reads a calendar file with an independent iCalendar parser — the PyPI package icalendar — and
prints what a calendar app would take from it, as JSON: per event its UID, sequence, summary,
description, location, start and end (ISO 8601 with their UTC offset, a date for all-day
events, or a floating time for a repeating one: daily medicine times), its repeat rule and its
reminders (each alarm's action and trigger, in seconds from the start). Used by
core/tests/calendar.rs and tests/e2e/calendar.test.mjs: a file this parser refuses fails them.

Usage: read_ics.py FILE.ics
"""
import datetime
import json
import sys

import icalendar

with open(sys.argv[1], "rb") as f:
    calendar = icalendar.Calendar.from_ical(f.read())
assert calendar.get("VERSION") == "2.0", calendar.get("VERSION")


def when(prop, repeats=False):
    value = prop.dt
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            # Floating time (the phone's own clock) only for what repeats daily: medicine times.
            assert repeats, f"a floating time: {value}"
            return {"floating": value.isoformat()}
        return {"at": value.isoformat(), "utc_offset_minutes": int(value.utcoffset().total_seconds() // 60)}
    return {"date": value.isoformat()}


events = []
for event in calendar.walk("VEVENT"):
    rrule = event.get("RRULE")
    repeats = rrule is not None
    alarms = []
    for alarm in event.walk("VALARM"):
        trigger = alarm.get("TRIGGER").dt
        assert isinstance(trigger, datetime.timedelta), f"an absolute trigger: {trigger}"
        alarms.append({"action": str(alarm.get("ACTION")), "seconds": int(trigger.total_seconds())})
    events.append({
        "uid": str(event.get("UID")),
        "sequence": int(event.get("SEQUENCE", 0)),
        "summary": str(event.get("SUMMARY")),
        "description": str(event.get("DESCRIPTION", "")),
        "location": str(event.get("LOCATION", "")),
        "start": when(event.get("DTSTART"), repeats),
        "end": when(event.get("DTEND"), repeats),
        "rrule": rrule.to_ical().decode() if repeats else None,
        "alarms": alarms,
    })
json.dump(events, sys.stdout, ensure_ascii=False)
