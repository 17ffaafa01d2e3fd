"""Schemathesis hooks for the relay's API run (scripts/test, `run_schemathesis` in scripts/lib.sh).

Loaded through SCHEMATHESIS_HOOKS. Two things the OpenAPI document cannot carry by itself:

- The management secret. Each share has its own Bearer secret, handed out once in the answer to
  `POST /api/shares`; the stateful run follows the document's links from that answer to the share's
  own operations (read, pause, resume, revoke). `after_call` keeps every secret the relay hands out,
  and the auth provider sends the one belonging to the share a request names. Requests for shares
  this run did not make go without, and get the relay's 404, as any stranger would.
- An expiry the relay's clock accepts. `exp` must lie between one minute and the relay's longest
  lifetime from *now*, which no fixed range in a schema can say. Any schema-valid integer `exp` (602 or 602.0) is
  replaced by one an hour ahead just before the request goes out; a request that is invalid for
  another reason stays invalid, and an `exp` of the wrong type is left alone.

And one check in place of schemathesis's `ignored_auth`, which expects 401 or 403 from a request
without its credentials: the relay answers those with the same 404 as an unknown id, on purpose
(a 401 would confirm that the share exists). `management_needs_its_secret` repeats every
successful management request without a secret and with a wrong one, and requires that 404.
"""

import threading
import time

import requests
import schemathesis

SECRETS: dict[str, str] = {}
_LOCK = threading.Lock()
_I64 = range(-(2**63), 2**63)


def _is_create(case) -> bool:
    return case.operation.method.upper() == "POST" and case.operation.path == "/api/shares"


@schemathesis.hook
def before_call(context, case, kwargs):
    body = case.body
    if _is_create(case) and isinstance(body, dict):
        exp = body.get("exp")
        # JSON Schema's integers include whole floats (602.0), which the relay accepts too.
        whole = isinstance(exp, (int, float)) and not isinstance(exp, bool) and float(exp).is_integer()
        if whole and int(exp) in _I64:
            body["exp"] = int(time.time()) + 3600


@schemathesis.hook
def after_call(context, case, response):
    if _is_create(case) and response.status_code == 201:
        created = response.json()
        with _LOCK:
            SECRETS[created["id"]] = created["managementSecret"]


@schemathesis.auth(refresh_interval=None, retry_on=[]).apply_to(path_regex=r"^/api/shares/")
class ManagementSecret:
    """The Bearer secret of the share in the request's path, if this run created it."""

    def get(self, case, context):
        share_id = (case.path_parameters or {}).get("id")
        with _LOCK:
            return SECRETS.get(share_id) if isinstance(share_id, str) else None

    def set(self, case, secret, context):
        case.headers = dict(case.headers or {})
        case.headers["Authorization"] = f"Bearer {secret}"


@schemathesis.check
def management_needs_its_secret(ctx, response, case):
    """A management request that succeeded with its Bearer secret gets the relay's 404 without it
    or with a wrong one (the probes change nothing: the relay refuses them before acting)."""
    if not case.operation.path.startswith("/api/shares/") or not 200 <= response.status_code < 300:
        return None
    if "Authorization" not in (case.headers or {}):
        return None
    request = response.request
    for headers in ({}, {"Authorization": "Bearer " + "A" * 43}):
        probe = requests.request(request.method, request.url, headers=headers, timeout=10)
        if probe.status_code != 404 or probe.json() != {"error": "Share not found."}:
            raise AssertionError(
                f"{request.method} {case.operation.path} answered {probe.status_code} "
                f"{'without a secret' if not headers else 'with a wrong secret'}, not the 404 of an unknown share"
            )
    return None


# The walk a patient's share goes through, each step of which must have succeeded at least once on
# a share this run created (so the run reached the relay's logic, not only its 404s and 400s).
LIFECYCLE = (
    "POST /api/shares",
    "GET /shl/{id}",
    "POST /shl/{id}",
    "GET /api/shares/{id}",
    "POST /api/shares/{id}/pause",
    "POST /api/shares/{id}/resume",
    "DELETE /api/shares/{id}",
)


@schemathesis.check
class LifecycleWalked:
    """Fails the run unless create, fetch, manifest, read, pause, resume and revoke each succeeded
    on a share the run itself created."""

    def __init__(self):
        self.succeeded = set()

    def after_response(self, ctx, response, case):
        if not 200 <= response.status_code < 300:
            return
        share_id = (case.path_parameters or {}).get("id")
        with _LOCK:
            own = share_id in SECRETS
        if own or _is_create(case):
            self.succeeded.add(case.operation.label)

    def after_run(self, ctx):
        missing = [step for step in LIFECYCLE if step not in self.succeeded]
        if missing:
            raise AssertionError("never succeeded on a share of this run: " + ", ".join(missing))
