"""UDP (uv_udp): an echo server and many clients over 127.0.0.1, each
datagram answered intact; a connected endpoint; a socket made by Python
(uv_udp_open); sendto to a closed port reaches the error path without
killing the endpoint."""

import asyncio
import socket

import dropin

CLIENTS = 20
DATAGRAMS = 50


class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


class Client(asyncio.DatagramProtocol):
    def __init__(self, want):
        self.want = want
        self.got = []
        self.arrived = asyncio.Event()
        self.done = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if data in self.got:
            return  # the echo of a datagram sent again
        self.got.append(data)
        self.arrived.set()
        if len(self.got) == self.want and not self.done.done():
            self.done.set_result(None)

    def error_received(self, exc):
        pass


async def one_client(loop, server_addr, n):
    """Stop and wait: each datagram is echoed before the next is sent.
    UDP may drop when the receiver's buffer is full; on loopback with 20
    datagrams in flight it does not, but a lost one is sent again after a
    quiet second rather than hanging the test."""
    tr, proto = await loop.create_datagram_endpoint(
        lambda: Client(DATAGRAMS), remote_addr=server_addr)
    sent = [b"c%d-d%d-%s" % (n, i, b"y" * (i * 7 % 1000))
            for i in range(DATAGRAMS)]
    for i, d in enumerate(sent):
        while len(proto.got) <= i:
            proto.arrived.clear()
            tr.sendto(d)
            try:
                await asyncio.wait_for(proto.arrived.wait(), 1)
            except asyncio.TimeoutError:
                pass
        assert proto.got[i] == d, (proto.got[i][:20], d[:20])
    tr.close()


async def main():
    loop = asyncio.get_running_loop()
    server, _ = await loop.create_datagram_endpoint(
        Echo, local_addr=("127.0.0.1", 0))
    addr = server.get_extra_info("sockname")
    await asyncio.gather(*(one_client(loop, addr, n) for n in range(CLIENTS)))

    # A socket Python made and bound, handed over (uv_udp_open).
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    tr, proto = await loop.create_datagram_endpoint(lambda: Client(1), sock=s)
    tr.sendto(b"from an adopted socket", addr)
    await asyncio.wait_for(proto.done, 10)
    assert proto.got == [b"from an adopted socket"]
    assert tr.get_extra_info("sockname") == s.getsockname()
    tr.close()

    # A datagram to a port nobody listens on: the endpoint survives.
    dead = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dead.bind(("127.0.0.1", 0))
    dead_addr = dead.getsockname()
    dead.close()
    tr, proto = await loop.create_datagram_endpoint(
        lambda: Client(1), local_addr=("127.0.0.1", 0))
    tr.sendto(b"nobody", dead_addr)
    await asyncio.sleep(0.05)
    tr.sendto(b"still alive", addr)
    await asyncio.wait_for(proto.done, 10)
    assert proto.got == [b"still alive"]
    tr.close()
    server.close()
    await asyncio.sleep(0)


dropin.run(main)
