-- Shared by the luv drop-in tests: prove which libuv is loaded, count
-- expected callbacks, and run the loop with a watchdog.
local uv = require("luv")

local M = { uv = uv }

local SYSTEM_LIBUV = "/usr/lib/x86_64-linux-gnu/libuv.so.1.0.0"

local function realpath(p)
  local r = uv.fs_realpath(p)
  return r or p
end

-- EDDY_DROPIN_LIBUV names the libuv.so.1 that must be mapped (eddy's, set
-- by run-pylua.sh); "system" runs the same test on the system libuv.
function M.check_libuv()
  local want = os.getenv("EDDY_DROPIN_LIBUV")
  assert(want, "EDDY_DROPIN_LIBUV is not set: run through run-pylua.sh")
  local mapped = {}
  for line in io.lines("/proc/self/maps") do
    local path = line:match("%s(/%S+)$")
    if path then mapped[realpath(path)] = true end
  end
  local sys = realpath(SYSTEM_LIBUV)
  if want == "system" then
    assert(mapped[sys], "the system libuv is not loaded")
    return sys
  end
  want = realpath(want)
  assert(mapped[want], "eddy's " .. want .. " is not loaded")
  assert(not mapped[sys], "the system libuv is loaded")
  return want
end

-- expect(n): a function to call n times in all; M.done() checks the count.
local pending = {}
function M.expect(name, n)
  pending[name] = (pending[name] or 0) + (n or 1)
  return function() pending[name] = pending[name] - 1 end
end

function M.eq(a, b, what)
  if a ~= b then
    error(string.format("%s: got %s, want %s", what or "value",
                        tostring(a), tostring(b)), 2)
  end
end

-- Runs the test body (which starts handles), then the loop until nothing
-- is left; a watchdog fails a test that would hang.
function M.run(body)
  local lib = M.check_libuv()
  local watchdog = uv.new_timer()
  watchdog:start(60000, 0, function() error("watchdog: the test hung") end)
  watchdog:unref()
  local ok, err = xpcall(body, debug.traceback)
  if not ok then io.stderr:write(err, "\n"); os.exit(1) end
  uv.run("default")
  watchdog:close()
  uv.run("default")
  for name, left in pairs(pending) do
    if left ~= 0 then
      io.stderr:write(string.format("%s: %d callback(s) missing\n", name, left))
      os.exit(1)
    end
  end
  assert(uv.loop_alive() == false)
  print(string.format("ok %s (%s)", arg[0]:match("[^/]*$"), lib))
end

return M
