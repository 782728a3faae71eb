-- Timers, idle/check/prepare and async (uv_timer, uv_idle, uv_check,
-- uv_prepare, uv_async): order by due time, ties in start order, repeat
-- and again, stop from a callback, and one iteration's phase order.
local t = require("dropin")
local uv = t.uv

t.run(function()
  -- Due order, ties in start order.
  local order = {}
  local delays = { 30, 10, 20, 10, 0, 20, 5 }
  local fired = t.expect("timers", #delays)
  for i, d in ipairs(delays) do
    local tm = uv.new_timer()
    tm:start(d, 0, function()
      order[#order + 1] = i
      fired()
      tm:close()
    end)
  end
  local check = uv.new_timer()
  check:start(60, 0, function()
    t.eq(table.concat(order, ","), "5,7,2,4,3,6,1", "timer order")
    check:close()
  end)

  -- A repeating timer stopped after 5 runs; get_repeat/set_repeat, again.
  local rep = uv.new_timer()
  local n = 0
  local reps = t.expect("repeat", 5)
  rep:start(1, 2, function()
    n = n + 1
    reps()
    if n == 5 then rep:stop(); rep:close() end
  end)
  t.eq(rep:get_repeat(), 2, "repeat")
  rep:set_repeat(3)
  t.eq(rep:get_repeat(), 3, "repeat after set")

  -- A timer stopped by an earlier callback of the same round never runs.
  local a, b = uv.new_timer(), uv.new_timer()
  local ran_b = false
  a:start(15, 0, function() b:stop(); a:close(); b:close() end)
  b:start(15, 0, function() ran_b = true end)

  -- One iteration: prepare, (poll), check; idle keeps the loop spinning.
  local phases = {}
  local idle, prep, chk = uv.new_idle(), uv.new_prepare(), uv.new_check()
  local phases_done = t.expect("phases")
  idle:start(function() phases[#phases + 1] = "i" end)
  prep:start(function() phases[#phases + 1] = "p" end)
  chk:start(function()
    phases[#phases + 1] = "c"
    if #phases >= 9 then
      t.eq(table.concat(phases):sub(1, 9), "ipcipcipc", "phase order")
      idle:close(); prep:close(); chk:close()
      phases_done()
    end
  end)

  -- uv_async from another thread: every send before close is seen at
  -- least once.
  local async_seen = t.expect("async")
  local async
  async = uv.new_async(function(msg)
    t.eq(msg, "from thread", "async payload")
    async_seen()
    async:close()
  end)
  local th = uv.new_thread(function(as)
    as:send("from thread")
  end, async)
  th:join()

  -- hrtime and now move forward.
  uv.update_time() -- timers count from the cached time: make it now
  local h0, n0 = uv.hrtime(), uv.now()
  local later = uv.new_timer()
  later:start(20, 0, function()
    -- the loop clock counts whole milliseconds: within 1 ms of 20
    assert(uv.hrtime() - h0 >= 19e6, "hrtime")
    assert(uv.now() - n0 >= 20, "now")
    assert(not ran_b, "a stopped timer ran")
    later:close()
  end)
end)
