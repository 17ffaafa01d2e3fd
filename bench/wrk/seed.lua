-- Like create.lua, and each thread appends the ids it got (201) to $BENCH_DIR/ids.<thread>,
-- so the RSS run can fetch among them. The caller stops wrk (SIGINT) once enough exist.
dofile(os.getenv("BENCH_LUA") .. "/create.lua")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  ids = assert(io.open(os.getenv("BENCH_DIR") .. "/ids." .. tid, "w"))
end
function response(status, headers, body)
  if status == 201 then
    local id = body:match('"id":"([^"]+)"')
    if id then
      ids:write(id, "\n")
      ids:flush()
    end
  end
end
