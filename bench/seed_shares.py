"""Seeds shares for scripts/bench-relay-pg's mixed load through the relay's API (keep-alive,
one connection): `seed_shares.py BASE_URL JWE_FILE OUT_DIR U M P`. Writes u.ids and m.ids ("id
secret" a line) and p.ids (passcode "1234", a budget of 100 wrong attempts). Each share's
ciphertext is the benchmark's 20 KB JWE."""

import http.client
import json
import sys
import time
from urllib.parse import urlparse


def main() -> None:
    base, jwe_file, out, *counts = sys.argv[1:]
    jwe = open(jwe_file).read().strip()
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    exp = int(time.time()) + 7 * 86400
    kinds = {
        "u": {},
        "m": {"flag": ""},
        "p": {"flag": "P", "passcode": "1234", "passcodeAttempts": 100},
    }
    for (name, options), count in zip(kinds.items(), map(int, counts)):
        with open(f"{out}/{name}.ids", "w") as ids:
            for _ in range(count):
                body = json.dumps({"jwe": jwe, "exp": exp, **options})
                conn.request("POST", "/api/shares", body, {"Content-Type": "application/json"})
                answer = conn.getresponse()
                created = json.loads(answer.read())
                if answer.status != 201:
                    sys.exit(f"seeding failed: {answer.status} {created}")
                ids.write(f"{created['id']} {created['managementSecret']}\n")


if __name__ == "__main__":
    main()
