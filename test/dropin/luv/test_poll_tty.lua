-- Descriptors luv does not own (uv_poll), terminals (uv_tty on a
-- pseudo-terminal when one can be had, guess_handle) and a few system
-- queries that go through libuv.
local t = require("dropin")
local uv = t.uv

t.run(function()
  -- uv_poll on a socket made by a TCP handle's peer: watch a raw
  -- descriptor become readable and writable.
  local server = uv.new_tcp()
  assert(server:bind("127.0.0.1", 0))
  local port = server:getsockname().port
  local accepted
  assert(server:listen(8, function()
    accepted = uv.new_tcp()
    assert(server:accept(accepted))
    accepted:write("poll me")
  end))
  local client = uv.new_tcp()
  local polled = t.expect("poll", 2)
  client:connect("127.0.0.1", port, function(err)
    assert(not err, err)
    local fd = client:fileno()
    t.eq(uv.guess_handle(fd), "tcp", "guess_handle on a socket")
    local p = uv.new_poll(fd)
    -- Writable at once; then only readable is asked for, until the
    -- server's greeting arrives.
    local function on_events(perr, events)
      assert(not perr, perr)
      if events:find("w") then
        polled()
        p:start("r", on_events)
      elseif events:find("r") then
        polled()
        p:stop()
        p:close()
        client:read_start(function(rerr, data)
          assert(not rerr, rerr)
          t.eq(data, "poll me", "data under a poll")
          client:close(); accepted:close(); server:close()
        end)
      end
    end
    p:start("w", on_events)
  end)


  -- A pseudo-terminal: run-pylua.sh opens one with `script` when it can
  -- and passes the slave as descriptor 3 (DROPIN_PTY=1).
  if os.getenv("DROPIN_PTY") == "1" then
    t.eq(uv.guess_handle(3), "tty", "guess_handle on a pty")
    local tty = assert(uv.new_tty(3, false))
    local w, h = tty:get_winsize()
    assert(type(w) == "number" and type(h) == "number")
    assert(tty:set_mode(1))   -- raw
    assert(tty:set_mode(0))   -- back to normal
    tty:close()
  end

  -- System queries.
  assert(#uv.cpu_info() >= 1)
  assert(uv.get_total_memory() > 0)
  assert(uv.resident_set_memory() > 0)
  assert(uv.os_gethostname())
  t.eq(uv.os_getpid(), tonumber(io.open("/proc/self/stat"):read("*l"):match("^(%d+)")), "getpid")
  assert(uv.cwd())
  assert(uv.os_homedir())
  assert(#uv.random(16) == 16)
end)
