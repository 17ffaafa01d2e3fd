-- POST /api/shares with the body in $BENCH_BODY (a 20 KB JWE, no passcode).
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
