"""What else uvloop asks of libuv: fs events (uvloop's loop._monitor_fs on
uv_fs_event), a child process forked from a running loop that runs a new
loop of its own (uv_loop_fork-safe state), IPv6 loopback, run_forever /
stop cycles, and a loop closed with handles still open."""

import asyncio
import os
import socket
import tempfile

import uvloop

import dropin


async def fs_events():
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory() as d:
        seen = loop.create_future()
        def cb(filename, events):
            if filename == b"created" or filename == "created":
                if not seen.done():
                    seen.set_result(events)
        handle = loop._monitor_fs(d, cb)
        await asyncio.sleep(0.01)
        with open(os.path.join(d, "created"), "w") as f:
            f.write("x")
        events = await asyncio.wait_for(seen, 10)
        assert events & (1 | 2), events   # UV_RENAME | UV_CHANGE
        handle.cancel()


async def fork_child():
    """A child forked while the loop runs starts a fresh uvloop loop and
    does real I/O with it; the parent's loop keeps working."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code = 1
        try:
            child = uvloop.new_event_loop()
            async def child_main():
                rd, wr = await asyncio.open_connection(*server_addr)
                wr.write(b"from the child\n")
                line = await rd.readline()
                wr.close()
                return line
            line = child.run_until_complete(asyncio.wait_for(child_main(), 20))
            child.close()
            os.write(w, line)
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    loop = asyncio.get_running_loop()
    # The child's status through the loop's own child watcher is not for
    # a fork we made ourselves: wait for it on a thread.
    status = await loop.run_in_executor(None, os.waitpid, pid, 0)
    assert os.waitstatus_to_exitcode(status[1]) == 0, status
    got = os.read(r, 100)
    os.close(r)
    assert got == b"echo: from the child\n", got


server_addr = None


async def echo(reader, writer):
    line = await reader.readline()
    writer.write(b"echo: " + line)
    await writer.drain()
    writer.close()


async def main():
    global server_addr
    loop = asyncio.get_running_loop()
    await fs_events()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    server_addr = server.sockets[0].getsockname()[:2]
    await fork_child()
    # The parent's loop still serves after the fork.
    rd, wr = await asyncio.open_connection(*server_addr)
    wr.write(b"parent\n")
    assert await rd.readline() == b"echo: parent\n"
    wr.close()
    server.close()
    await server.wait_closed()

    # IPv6 loopback, where the machine has it.
    try:
        s = socket.socket(socket.AF_INET6)
        s.bind(("::1", 0))
        s.close()
        have_v6 = True
    except OSError:
        have_v6 = False
    if have_v6:
        server = await asyncio.start_server(echo, "::1", 0)
        port = server.sockets[0].getsockname()[1]
        rd, wr = await asyncio.open_connection("::1", port)
        assert wr.get_extra_info("peername")[:2] == ("::1", port)
        wr.write(b"v6\n")
        assert await rd.readline() == b"echo: v6\n"
        wr.close()
        server.close()
        await server.wait_closed()


dropin.run(main)

# run_forever / stop, several times on one loop; then a loop closed while
# a server and a timer are still open.
loop = uvloop.new_event_loop()
for i in range(5):
    loop.call_later(0.001 * i, loop.stop)
    loop.run_forever()
srv = loop.run_until_complete(asyncio.start_server(echo, "127.0.0.1", 0))
loop.call_later(3600, lambda: None)
loop.close()
assert loop.is_closed()
print("ok run_forever/close")
