"""Callbacks and timers (uv_idle/uv_check/uv_prepare and uv_timer under
uvloop's call_soon / call_later / call_at): call_soon runs in FIFO order,
call_later runs in due-time order with ties in scheduling order, cancelled
handles never run, loop.time() follows the monotonic clock, and a sleep
never ends early."""

import asyncio
import time

import dropin


async def main():
    loop = asyncio.get_running_loop()
    order = []

    # call_soon: FIFO, and a callback scheduled from a callback runs after
    # everything already queued.
    done = loop.create_future()
    def soon(i):
        order.append(i)
        if i == 0:
            loop.call_soon(soon, "nested")
        if i == 99:
            loop.call_soon(lambda: done.set_result(None))
    for i in range(100):
        loop.call_soon(soon, i)
    await done
    assert order == list(range(100)) + ["nested"], order

    # call_later: by due time, ties in scheduling order; cancelled ones
    # never run.
    order.clear()
    done = loop.create_future()
    delays = [0.05, 0.01, 0.03, 0.01, 0.0, 0.02, 0.03, 0.0]
    handles = []
    for i, d in enumerate(delays):
        handles.append(loop.call_later(d, order.append, i))
    handles[2].cancel()
    loop.call_later(0.08, done.set_result, None)
    await done
    # A zero delay is a call_soon, in FIFO order.  The rest by due time
    # (each based on the clock when it was scheduled), ties in scheduling
    # order.  How the two interleave depends on how long scheduling took:
    # a timer already due runs before the next round of call_soon, on
    # libuv as on eddy.
    soon = [i for i in order if delays[i] == 0]
    timed = [i for i in order if delays[i] != 0]
    assert soon == [i for i, d in enumerate(delays) if d == 0], order
    assert timed == sorted((i for i, d in enumerate(delays)
                            if d != 0 and i != 2),
                           key=lambda i: (handles[i].when(), i)), order

    # call_at against loop.time(); time is monotonic and close to
    # time.monotonic().
    t0 = loop.time()
    assert abs(t0 - time.monotonic()) < 1.0, (t0, time.monotonic())
    fired = loop.create_future()
    loop.call_at(t0 + 0.03, lambda: fired.set_result(loop.time()))
    t1 = await fired
    assert t1 >= t0 + 0.03 - 0.001, (t0, t1)

    # Many timers with assorted delays fire in due order, ties in the order
    # they were started.  uvloop bases each due time on the clock when it
    # starts the timer (handle.when()), not on one time for the batch.
    order.clear()
    whens = {}
    done = loop.create_future()
    n = 500
    for i in range(n):
        d = (1 + i * 37 % 50) / 1000.0  # 0 would be a call_soon
        whens[i] = loop.call_later(d, order.append, i).when()
    loop.call_later(0.1, done.set_result, None)
    await done
    assert len(order) == n
    fired = [(whens[i], i) for i in order]
    assert fired == sorted(fired), \
        [(a, b) for a, b in zip(fired, fired[1:]) if a > b][:5]

    # asyncio.sleep never returns early (uv_timer with a zero repeat).
    for d in (0.0, 0.001, 0.02):
        start = time.monotonic()
        await asyncio.sleep(d)
        assert time.monotonic() - start >= d - 0.001

    # A repeating pattern: a callback that reschedules itself 20 times.
    count = 0
    done = loop.create_future()
    def tick():
        nonlocal count
        count += 1
        if count == 20:
            done.set_result(None)
        else:
            loop.call_later(0.001, tick)
    loop.call_later(0.001, tick)
    await done
    assert count == 20

    # call_soon_threadsafe from other threads (uv_async).
    import threading
    got = []
    done = loop.create_future()
    def from_thread(k):
        for j in range(100):
            loop.call_soon_threadsafe(got.append, (k, j))
        loop.call_soon_threadsafe(got.append, (k, "end"))
    threads = [threading.Thread(target=from_thread, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    while sum(1 for g in got if g[1] == "end") < 4:
        await asyncio.sleep(0.005)
    for t in threads:
        t.join()
    for k in range(4):
        mine = [g[1] for g in got if g[0] == k]
        assert mine == list(range(100)) + ["end"], k


dropin.run(main)
