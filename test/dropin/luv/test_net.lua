-- TCP and UDP (uv_tcp, uv_udp) and name resolution: an echo server with
-- 50 clients of 20 messages each, a 4 MiB transfer with shutdown, socket
-- names, a refused connect; UDP echo; getaddrinfo and getnameinfo.
local t = require("dropin")
local uv = t.uv

local CLIENTS, MESSAGES = 50, 20

local function echo_server(host)
  local server = uv.new_tcp()
  assert(server:bind(host, 0))
  assert(server:listen(128, function(err)
    assert(not err, err)
    local c = uv.new_tcp()
    assert(server:accept(c))
    c:read_start(function(rerr, data)
      assert(not rerr, rerr)
      if data then
        c:write(data)
      else
        c:shutdown(function() c:close() end)
      end
    end)
  end))
  return server, server:getsockname().port
end

t.run(function()
  local server, port = echo_server("127.0.0.1")
  local clients_done = t.expect("clients", CLIENTS)
  local open = CLIENTS + 1
  local function one_closed()
    open = open - 1
    if open == 0 then server:close() end
  end

  for n = 1, CLIENTS do
    local c = uv.new_tcp()
    c:connect("127.0.0.1", port, function(err)
      assert(not err, err)
      t.eq(c:getpeername().port, port, "peer port")
      local want, got, sent = {}, {}, 0
      for i = 1, MESSAGES do want[i] = string.format("c%d m%d;", n, i) end
      local expect = table.concat(want)
      local function send_next()
        sent = sent + 1
        if sent <= MESSAGES then c:write(want[sent]) else c:shutdown() end
      end
      c:read_start(function(rerr, data)
        assert(not rerr, rerr)
        if data then
          got[#got + 1] = data
          -- one message at a time: the next goes when this one is back
          if #table.concat(got) == #table.concat(want, "", 1, sent) then
            send_next()
          end
        else
          t.eq(table.concat(got), expect, "echo of client " .. n)
          clients_done()
          c:close(one_closed)
        end
      end)
      send_next()
    end)
  end

  -- 4 MiB in one write, then shutdown; the echo comes back whole.
  local big = string.rep("0123456789abcdef", 1 << 18)
  local bigc = uv.new_tcp()
  local big_done = t.expect("big transfer")
  bigc:connect("127.0.0.1", port, function(err)
    assert(not err, err)
    local got = {}
    bigc:read_start(function(rerr, data)
      assert(not rerr, rerr)
      if data then got[#got + 1] = data
      else
        t.eq(#table.concat(got), #big, "big echo length")
        assert(table.concat(got) == big, "big echo content")
        big_done()
        bigc:close(one_closed)
      end
    end)
    local wrote = t.expect("big write")
    bigc:write(big, function(werr) assert(not werr, werr); wrote() end)
    assert(bigc:get_write_queue_size() >= 0)
    bigc:shutdown()
  end)

  -- Connecting to a port nobody listens on is refused.
  local probe = uv.new_tcp()
  assert(probe:bind("127.0.0.1", 0))
  local dead_port = probe:getsockname().port
  probe:close()
  local refused = t.expect("refused")
  local rc = uv.new_tcp()
  rc:connect("127.0.0.1", dead_port, function(err)
    t.eq(err, "ECONNREFUSED", "connect to a closed port")
    refused()
    rc:close()
  end)

  -- UDP echo.
  local us = uv.new_udp()
  assert(us:bind("127.0.0.1", 0))
  local uport = us:getsockname().port
  us:recv_start(function(err, data, addr)
    assert(not err, err)
    if data then us:send(data, addr.ip, addr.port, function() end) end
  end)
  local uc = uv.new_udp()
  assert(uc:bind("127.0.0.1", 0))
  local udp_done = t.expect("udp", 10)
  local ugot = 0
  uc:recv_start(function(err, data, addr)
    assert(not err, err)
    if not data then return end
    t.eq(addr.port, uport, "udp reply port")
    ugot = ugot + 1
    t.eq(data, "dgram " .. ugot, "udp echo")
    udp_done()
    if ugot < 10 then
      uc:send("dgram " .. (ugot + 1), "127.0.0.1", uport, function() end)
    else
      uc:close(); us:close()
    end
  end)
  uc:send("dgram 1", "127.0.0.1", uport, function(err) assert(not err, err) end)

  -- DNS on the thread pool.
  local dns = t.expect("dns", 3)
  uv.getaddrinfo("localhost", "80", { socktype = "stream" }, function(err, res)
    assert(not err, err)
    local v4 = false
    for _, ai in ipairs(res) do
      if ai.addr == "127.0.0.1" then v4 = true end
      t.eq(ai.port, 80, "port")
    end
    assert(v4, "localhost has no 127.0.0.1")
    dns()
  end)
  uv.getaddrinfo("does-not-exist.invalid", nil, nil, function(err, res)
    assert(err, "a .invalid name resolved")
    assert(res == nil)
    dns()
  end)
  uv.getnameinfo({ ip = "127.0.0.1", port = 22 }, function(err, host, service)
    assert(not err, err)
    assert(host and #host > 0)
    t.eq(service, "ssh", "service")
    dns()
  end)
  -- and synchronously (no callback: run on the caller's thread)
  local res = assert(uv.getaddrinfo("127.0.0.1", "http", { family = "inet" }))
  t.eq(res[1].addr, "127.0.0.1", "sync getaddrinfo")
  t.eq(res[1].port, 80, "sync getaddrinfo port")
end)
