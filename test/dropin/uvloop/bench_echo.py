"""uvloop TCP echo benchmark (tools/bench-dropin-pylua.sh): CLIENTS
connections to an echo server in the same process, each sending
MESSAGES messages of SIZE bytes, one in flight at a time.  Prints
"RESULT messages_per_s=<n> lib=<path>".  Checks every echo."""

import asyncio
import os
import time

import uvloop

import dropin

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "5000"))
SIZE = int(os.environ.get("BENCH_SIZE", "64"))


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


class Client(asyncio.Protocol):
    def __init__(self, done):
        self.done = done
        self.left = MESSAGES
        self.msg = b"m" * SIZE
        self.got = 0

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.msg)

    def data_received(self, data):
        self.got += len(data)
        if self.got < SIZE:
            return
        assert self.got == SIZE, self.got
        self.got = 0
        self.left -= 1
        if self.left == 0:
            self.transport.close()
            self.done.set_result(None)
        else:
            self.transport.write(self.msg)


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    dones = [loop.create_future() for _ in range(CLIENTS)]
    start = time.perf_counter()
    for d in dones:
        await loop.create_connection(lambda d=d: Client(d), "127.0.0.1", port)
    await asyncio.gather(*dones)
    elapsed = time.perf_counter() - start
    server.close()
    print("RESULT messages_per_s=%.0f lib=%s"
          % (CLIENTS * MESSAGES / elapsed, dropin.check_libuv()))


lib = dropin.check_libuv()
loop = uvloop.new_event_loop()
loop.run_until_complete(main())
loop.close()
