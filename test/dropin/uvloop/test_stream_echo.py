"""TCP and Unix-socket echo servers (asyncio streams on uv_tcp/uv_pipe) with
many concurrent clients, a multi-megabyte transfer with flow control, a
protocol-level server, and sockets created by Python then handed to uvloop
(uv_tcp_open / uv_pipe_open)."""

import asyncio
import os
import socket
import tempfile

import dropin

CLIENTS = 100
MESSAGES = 50


async def echo_handler(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def client(open_conn, n):
    reader, writer = await open_conn()
    for i in range(MESSAGES):
        msg = b"client %d message %d %s\n" % (n, i, b"x" * (i * 13 % 200))
        writer.write(msg)
        await writer.drain()
        assert await reader.readline() == msg
    writer.write_eof()
    assert await reader.read() == b""
    writer.close()
    await writer.wait_closed()
    return n


async def many_clients(open_conn):
    done = await asyncio.gather(*(client(open_conn, n) for n in range(CLIENTS)))
    assert sorted(done) == list(range(CLIENTS))


async def big_transfer(open_conn):
    """8 MiB each way in one write to a raw echo server: the writer's buffer
    fills and drains while the echo comes back."""
    data = os.urandom(1 << 16) * 128
    reader, writer = await open_conn()
    writer.write(data)
    writer.write_eof()
    got = bytearray()
    while True:
        chunk = await reader.read(1 << 20)
        if not chunk:
            break
        got += chunk
    assert got == data, (len(got), len(data))
    writer.close()
    await writer.wait_closed()


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)

    def eof_received(self):
        self.transport.close()


async def chunk_echo(reader, writer):
    """Reads and writes back by chunks; a peer that aborts is expected."""
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionResetError:
        pass
    writer.close()


async def concurrent_big(port):
    """10 clients each stream 1 MiB while reading the echo: the server's
    small reader limit pauses and resumes reading all the time."""
    async def one():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        data = os.urandom(1 << 20)
        async def send():
            for i in range(0, len(data), 100000):
                writer.write(data[i:i + 100000])
                await writer.drain()
            writer.write_eof()
        sender = asyncio.ensure_future(send())
        got = bytearray()
        while True:
            chunk = await reader.read(1 << 16)
            if not chunk:
                break
            got += chunk
        await sender
        assert got == data
        writer.close()

    async def aborter():
        # Aborted with megabytes still queued: the loop carries on.
        for _ in range(10):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"x" * (4 << 20))
            writer.transport.abort()

    await asyncio.gather(*(one() for _ in range(10)), aborter())

    # pause_reading / resume_reading on a client transport.
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.transport.pause_reading()
    writer.write(b"y" * 100000)
    await asyncio.sleep(0.05)
    writer.transport.resume_reading()
    assert await reader.readexactly(100000) == b"y" * 100000
    writer.close()


async def tcp():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(echo_handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    open_conn = lambda: asyncio.open_connection("127.0.0.1", port)
    await many_clients(open_conn)
    server.close()
    await server.wait_closed()
    server = await loop.create_server(EchoProtocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    await big_transfer(open_conn)
    server.close()
    await server.wait_closed()
    server = await asyncio.start_server(chunk_echo, "127.0.0.1", 0, limit=1024)
    await concurrent_big(server.sockets[0].getsockname()[1])
    server.close()
    await server.wait_closed()

    # A protocol server on a socket Python bound (uv_tcp_open on a listener),
    # and a client connection on a socket Python connected (uv_tcp_open).
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    server = await loop.create_server(EchoProtocol, sock=lsock)
    port = lsock.getsockname()[1]
    csock = socket.create_connection(("127.0.0.1", port))
    csock.setblocking(False)
    reader, writer = await asyncio.open_connection(sock=csock)
    writer.write(b"hello over an adopted socket")
    writer.write_eof()
    assert await reader.read() == b"hello over an adopted socket"
    writer.close()
    await writer.wait_closed()
    # connect_accepted_socket: Python accepts, uvloop adopts the connection.
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen()
    c = socket.create_connection(ls.getsockname())
    a, _ = ls.accept()
    transport, proto = await loop.connect_accepted_socket(EchoProtocol, a)
    # The client side is driven by loop.sock_* (uvloop polls a socket it
    # does not own with uv_poll).
    c.setblocking(False)
    await loop.sock_sendall(c, b"ping")
    assert await loop.sock_recv(c, 16) == b"ping"
    c.shutdown(socket.SHUT_WR)
    assert await loop.sock_recv(c, 16) == b""
    c.close()
    ls.close()
    server.close()
    await server.wait_closed()


async def unix():
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "echo.sock")
        server = await asyncio.start_unix_server(echo_handler, path)
        open_conn = lambda: asyncio.open_unix_connection(path)
        await many_clients(open_conn)
        server.close()
        await server.wait_closed()
        server = await loop.create_unix_server(EchoProtocol, path)
        await big_transfer(open_conn)
        server.close()
        await server.wait_closed()

        # A connected socketpair adopted by uvloop (uv_pipe_open).
        a, b = socket.socketpair()
        transport, _ = await loop.create_unix_connection(EchoProtocol, sock=a)
        b.setblocking(False)
        await loop.sock_sendall(b, b"over a socketpair")
        assert await loop.sock_recv(b, 64) == b"over a socketpair"
        b.close()
        transport.close()


async def main():
    await tcp()
    await unix()


dropin.run(main)
