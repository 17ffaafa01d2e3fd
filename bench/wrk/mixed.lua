-- The mixed load of scripts/bench-relay-pg, one wrk process per relay instance: creates, flag-U
-- fetches, manifest requests, wrong and right passcodes, pauses and resumes of shares seeded in
-- $BENCH_DIR (u.ids and m.ids: "id secret" a line; p.ids: ids of passcode "1234" links).
-- Counts every answer by status and kind and writes the ids of acknowledged creates (201) to
-- $BENCH_DIR/acked.$BENCH_TAG, so the script can check afterwards that nothing acknowledged is
-- missing from the database.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local report_done = done

local function lines(name)
  local list = {}
  for line in io.lines(os.getenv("BENCH_DIR") .. "/" .. name) do
    local id, secret = line:match("^(%S+)%s*(%S*)$")
    list[#list + 1] = { id = id, secret = secret }
  end
  return list
end

function init(args)
  u, m, p = lines("u.ids"), lines("m.ids"), lines("p.ids")
  local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
  create_body = f:read("*a")
  f:close()
  acked = assert(io.open(os.getenv("BENCH_DIR") .. "/acked." .. os.getenv("BENCH_TAG"), "a"))
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  counts = { fetch = 0, manifest = 0, created = 0, managed = 0,
             s401 = 0, s404 = 0, s429 = 0, s503 = 0, other = 0 }
end

local json = { ["Content-Type"] = "application/json" }
local function pick(list) return list[math.random(#list)] end

-- Out of 1000: 50 creates, 600 U fetches, 280 manifests, 10 wrong and 10 right passcodes,
-- 25 pauses, 25 resumes. Passcodes are few, as in use: each check costs an Argon2id hash at the
-- deployed cost (19 MiB, 2 passes: some 25-50 ms of a core), and a closed loop of 256 connections
-- sending more than the cores can hash would only measure the queue in front of Argon2.
function request()
  local r = math.random(1000)
  if r <= 50 then
    return wrk.format("POST", "/api/shares", json, create_body)
  elseif r <= 650 then
    return wrk.format("GET", "/shl/" .. pick(u).id .. "?recipient=bench")
  elseif r <= 930 then
    return wrk.format("POST", "/shl/" .. pick(m).id, json, '{"recipient":"bench"}')
  elseif r <= 940 then
    return wrk.format("POST", "/shl/" .. pick(p).id, json, '{"recipient":"bench","passcode":"wrong"}')
  elseif r <= 950 then
    return wrk.format("POST", "/shl/" .. pick(p).id, json, '{"recipient":"bench","passcode":"1234"}')
  else
    local share = pick(u)
    local action = r <= 975 and "/pause" or "/resume"
    return wrk.format("POST", "/api/shares/" .. share.id .. action, { Authorization = "Bearer " .. share.secret })
  end
end

function response(status, headers, body)
  if status == 200 then
    if body:sub(1, 1) == "{" then counts.manifest = counts.manifest + 1 else counts.fetch = counts.fetch + 1 end
  elseif status == 201 then
    counts.created = counts.created + 1
    local id = body:match('"id":"([^"]+)"')
    if id then acked:write(id, "\n"); acked:flush() end
  elseif status == 204 then counts.managed = counts.managed + 1
  elseif status == 401 then counts.s401 = counts.s401 + 1
  elseif status == 404 then counts.s404 = counts.s404 + 1
  elseif status == 429 then counts.s429 = counts.s429 + 1
  elseif status == 503 then counts.s503 = counts.s503 + 1
  else counts.other = counts.other + 1 end
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function done(summary, latency, requests)
  report_done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do total[key] = (total[key] or 0) + n end
  end
  local keys = { "fetch", "manifest", "created", "managed", "s401", "s404", "s429", "s503", "other" }
  local out = {}
  for _, key in ipairs(keys) do out[#out + 1] = key .. "=" .. (total[key] or 0) end
  io.write("COUNTS " .. table.concat(out, " ") .. "\n")
end
