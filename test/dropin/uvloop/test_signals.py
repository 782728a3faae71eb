"""Signal handlers (uv_signal): loop.add_signal_handler runs the handler
on the loop for a signal the process sends itself, many signals coalesce
but never get lost entirely, remove_signal_handler restores the default,
two signals at once, and a signal raised from another thread."""

import asyncio
import os
import signal
import threading

import dropin


async def main():
    loop = asyncio.get_running_loop()

    got = []
    ev = asyncio.Event()
    def on_usr1(tag):
        got.append(tag)
        ev.set()
    loop.add_signal_handler(signal.SIGUSR1, on_usr1, "usr1")
    os.kill(os.getpid(), signal.SIGUSR1)
    await asyncio.wait_for(ev.wait(), 10)
    assert got == ["usr1"]

    # A burst: at least one delivery, at most one per signal sent.
    got.clear()
    ev.clear()
    for _ in range(50):
        os.kill(os.getpid(), signal.SIGUSR1)
    await asyncio.wait_for(ev.wait(), 10)
    await asyncio.sleep(0.05)
    assert 1 <= len(got) <= 50, len(got)

    # Two signals, each to its own handler.
    usr2 = loop.create_future()
    loop.add_signal_handler(signal.SIGUSR2, lambda: usr2.set_result("usr2"))
    hup = loop.create_future()
    loop.add_signal_handler(signal.SIGHUP, lambda: hup.set_result("hup"))
    os.kill(os.getpid(), signal.SIGUSR2)
    os.kill(os.getpid(), signal.SIGHUP)
    assert await asyncio.wait_for(asyncio.gather(usr2, hup), 10) == ["usr2", "hup"]

    # From another thread.
    got.clear()
    ev.clear()
    t = threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGUSR1))
    t.start()
    await asyncio.wait_for(ev.wait(), 10)
    t.join()
    assert got == ["usr1"]

    # Replacing a handler.
    got.clear()
    ev.clear()
    loop.add_signal_handler(signal.SIGUSR1, on_usr1, "replaced")
    os.kill(os.getpid(), signal.SIGUSR1)
    await asyncio.wait_for(ev.wait(), 10)
    assert got == ["replaced"]

    # Removed: the default disposition is back.
    assert loop.remove_signal_handler(signal.SIGUSR1)
    assert not loop.remove_signal_handler(signal.SIGUSR1)
    assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL
    assert loop.remove_signal_handler(signal.SIGUSR2)
    assert loop.remove_signal_handler(signal.SIGHUP)

    # SIGINT through the loop (what Ctrl-C does to an asyncio program
    # that installs its own handler).
    sigint = loop.create_future()
    loop.add_signal_handler(signal.SIGINT, lambda: sigint.set_result(1))
    os.kill(os.getpid(), signal.SIGINT)
    assert await asyncio.wait_for(sigint, 10) == 1
    loop.remove_signal_handler(signal.SIGINT)

    # A child's exit (SIGCHLD, watched by libuv) while handlers are set.
    loop.add_signal_handler(signal.SIGUSR1, on_usr1, "with child")
    p = await asyncio.create_subprocess_exec("true")
    assert await p.wait() == 0
    got.clear()
    ev.clear()
    os.kill(os.getpid(), signal.SIGUSR1)
    await asyncio.wait_for(ev.wait(), 10)
    assert got == ["with child"]
    loop.remove_signal_handler(signal.SIGUSR1)


dropin.run(main)
