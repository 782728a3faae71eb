-- Processes and pipes (uv_spawn, uv_pipe, uv_process_kill, uv_kill,
-- uv_signal) and the thread pool (uv_queue_work through uv.new_work):
-- spawn with piped stdio and big data, exit codes, death by signal,
-- environment and cwd, a signal sent to ourselves, work on pool threads.
local t = require("dropin")
local uv = t.uv

local function collect(pipe, on_done)
  local got = {}
  pipe:read_start(function(err, data)
    assert(not err, err)
    if data then got[#got + 1] = data
    else pipe:close(); on_done(table.concat(got)) end
  end)
end

t.run(function()
  -- cat: 1 MiB in, the same out.
  local data = string.rep("luv on eddy\n", 87382)
  local stdin, stdout = uv.new_pipe(false), uv.new_pipe(false)
  local cat_done = t.expect("cat", 2)
  local h, pid
  h, pid = uv.spawn("cat", { stdio = { stdin, stdout, 2 } },
    function(code, sig)
      t.eq(code, 0, "cat exit code"); t.eq(sig, 0, "cat signal")
      cat_done()
      h:close()
    end)
  assert(h, pid)
  assert(type(pid) == "number" and pid > 0)
  collect(stdout, function(out)
    t.eq(#out, #data, "cat output length")
    assert(out == data, "cat output")
    cat_done()
  end)
  stdin:write(data)
  stdin:shutdown(function() stdin:close() end)

  -- Exit code, environment, cwd, stderr.
  local out2, err2 = uv.new_pipe(false), uv.new_pipe(false)
  local sh_done = t.expect("sh", 3)
  local sh
  sh = uv.spawn("sh", {
      args = { "-c", 'printf "%s %s" "$DROPIN" "$(pwd)"; echo oops >&2; exit 9' },
      env = { "DROPIN=yes", "PATH=/usr/bin:/bin" }, cwd = "/",
      stdio = { nil, out2, err2 } },
    function(code) t.eq(code, 9, "sh exit code"); sh_done(); sh:close() end)
  collect(out2, function(o) t.eq(o, "yes /", "sh stdout"); sh_done() end)
  collect(err2, function(e) t.eq(e, "oops\n", "sh stderr"); sh_done() end)

  -- Killed by a signal.
  local sleep_done = t.expect("sleep")
  local sl
  sl = uv.spawn("sleep", { args = { "30" } }, function(code, sig)
    t.eq(sig, 15, "killed by SIGTERM")
    sleep_done()
    sl:close()
  end)
  assert(sl:kill("sigterm"))

  -- A program that does not exist.
  local nh, nerr = uv.spawn("/nonexistent/dropin", {}, function() end)
  assert(nh == nil and nerr:match("ENOENT"), nerr)

  -- uv.pipe() + uv_pipe_open on raw descriptors.
  local fds = assert(uv.pipe({ nonblock = true }, { nonblock = true }))
  local r, w = uv.new_pipe(false), uv.new_pipe(false)
  assert(r:open(fds.read)); assert(w:open(fds.write))
  local raw_done = t.expect("raw pipe")
  collect(r, function(o) t.eq(o, "through uv.pipe", "raw pipe"); raw_done() end)
  w:write("through uv.pipe")
  w:close()

  -- A signal to ourselves.
  local sig = uv.new_signal()
  local sig_seen = t.expect("signal")
  sig:start("sigusr1", function(signame)
    t.eq(signame, "sigusr1", "signal name")
    sig_seen()
    sig:close()
  end)
  assert(uv.kill(uv.os_getpid(), "sigusr1"))
  -- Two handles on one signal both see it.
  local s1, s2 = uv.new_signal(), uv.new_signal()
  local both = t.expect("sigusr2 on two handles", 2)
  s1:start("sigusr2", function() both(); s1:close() end)
  s2:start("sigusr2", function() both(); s2:close() end)
  assert(uv.kill(uv.os_getpid(), "sigusr2"))

  -- Thread pool: 40 jobs computing on pool threads, results on the loop.
  local work_done = t.expect("work", 40)
  local results = {}
  local work = uv.new_work(
    function(n)   -- runs on a pool thread, in its own Lua state
      local s = 0
      for i = 1, n do s = s + i end
      return n, s
    end,
    function(n, s) -- back on the loop thread
      results[n] = s
      work_done()
    end)
  for n = 1, 40 do assert(work:queue(n * 1000)) end
  local verify = uv.new_timer()
  local verified = t.expect("work results")
  local function check()
    for n = 1, 40 do
      if results[n * 1000] == nil then return false end
      local m = n * 1000
      t.eq(results[m], m * (m + 1) // 2, "sum to " .. m)
    end
    return true
  end
  verify:start(5, 5, function()
    if check() then verified(); verify:close() end
  end)

  -- A thread of our own.
  local th = uv.new_thread(function(a, b) return a + b end, 2, 3)
  assert(th:join())
end)
