-- GET /shl/{id}?recipient=bench for ids drawn at random from $BENCH_IDS (one a line).
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
function init(args)
  list = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do
    list[#list + 1] = line
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end
function request()
  return wrk.format("GET", "/shl/" .. list[math.random(#list)] .. "?recipient=bench")
end
