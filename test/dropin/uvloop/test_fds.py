"""Descriptors uvloop does not own: add_reader/add_writer and the sock_*
coroutines (uv_poll), connect_read_pipe / connect_write_pipe on os.pipe()
and a pseudo-terminal (uv_pipe_open), a write pipe whose reader goes
away (uvloop reads the write end to notice), and run_in_executor."""

import asyncio
import os
import pty
import socket

import dropin


async def main():
    loop = asyncio.get_running_loop()

    # add_reader / add_writer on a socketpair.
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    readable = loop.create_future()
    loop.add_reader(a.fileno(), lambda: readable.set_result(a.recv(100)))
    writable = loop.create_future()
    loop.add_writer(b.fileno(), lambda: writable.set_result(b.send(b"polled")))
    assert await writable == 6
    loop.remove_writer(b.fileno())
    assert await readable == b"polled"
    loop.remove_reader(a.fileno())

    # The sock_* coroutines: a tiny server and client on plain sockets.
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen()
    ls.setblocking(False)
    c = socket.socket()
    c.setblocking(False)
    connect = loop.create_task(loop.sock_connect(c, ls.getsockname()))
    s, _ = await loop.sock_accept(ls)
    await connect
    s.setblocking(False)
    payload = os.urandom(1 << 20)
    send = loop.create_task(loop.sock_sendall(c, payload))
    got = bytearray()
    while len(got) < len(payload):
        chunk = await loop.sock_recv(s, 1 << 16)
        assert chunk
        got += chunk
    await send
    assert got == payload
    buf = bytearray(10)
    await loop.sock_sendall(s, b"into")
    assert await loop.sock_recv_into(c, buf) == 4 and buf[:4] == b"into"
    for x in (s, c, ls, a, b):
        x.close()

    # Pipes made by os.pipe(), read and written through transports.
    r, w = os.pipe()
    reader = asyncio.StreamReader()
    rtr, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(r, "rb", 0))
    wtr, wproto = await loop.connect_write_pipe(
        asyncio.Protocol, os.fdopen(w, "wb", 0))
    data = os.urandom(300000)
    wtr.write(data)
    wtr.close()
    assert await reader.read() == data
    rtr.close()

    # A write pipe whose read end closes: uvloop notices without writing
    # (it reads the write end, which libuv allows on its pipes once uvloop
    # sets UV_HANDLE_READABLE): connection_lost is called.
    r, w = os.pipe()
    lost = loop.create_future()
    class WP(asyncio.Protocol):
        def connection_lost(self, exc):
            lost.set_result(exc)
    wtr, _ = await loop.connect_write_pipe(WP, os.fdopen(w, "wb", 0))
    await asyncio.sleep(0.01)
    os.close(r)
    await asyncio.wait_for(lost, 10)
    wtr.close()

    # A pseudo-terminal read as a pipe, as a terminal program's input.
    master, slave = pty.openpty()
    reader = asyncio.StreamReader()
    rtr, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(master, "rb", 0))
    os.write(slave, b"typed line\n")
    assert (await reader.readline()).rstrip(b"\r\n") == b"typed line"
    rtr.close()
    os.close(slave)

    # run_in_executor (Python's thread pool, results back on the loop).
    res = await asyncio.gather(*(loop.run_in_executor(None, pow, i, 2)
                                 for i in range(50)))
    assert res == [i * i for i in range(50)]


dropin.run(main)
