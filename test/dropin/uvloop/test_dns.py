"""Name resolution (uv_getaddrinfo / uv_getnameinfo on the thread pool):
localhost and numeric hosts, ports and services, a name that does not
exist fails with socket.gaierror, and many lookups at once."""

import asyncio
import socket

import dropin


async def main():
    loop = asyncio.get_running_loop()

    infos = await loop.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
    addrs = {ai[4][0] for ai in infos}
    # /etc/hosts may or may not list ::1 for localhost: 127.0.0.1 it has.
    assert "127.0.0.1" in addrs, infos
    assert all(ai[4][1] == 80 for ai in infos)
    assert all(ai[1] == socket.SOCK_STREAM for ai in infos)

    # Compared with the C library's answer through Python's own resolver.
    want = socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
    assert sorted(infos) == sorted(want), (infos, want)

    infos = await loop.getaddrinfo("127.0.0.1", "http", family=socket.AF_INET,
                                   proto=socket.IPPROTO_TCP)
    assert infos == [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP,
                      "", ("127.0.0.1", 80))], infos
    infos = await loop.getaddrinfo("::1", 443, family=socket.AF_INET6,
                                   type=socket.SOCK_DGRAM)
    assert infos[0][4][:2] == ("::1", 443), infos
    infos = await loop.getaddrinfo(None, 8080, flags=socket.AI_PASSIVE,
                                   family=socket.AF_INET, type=socket.SOCK_STREAM)
    assert infos[0][4] == ("0.0.0.0", 8080), infos

    try:
        await loop.getaddrinfo("does-not-exist.invalid", 80)
    except socket.gaierror as e:
        assert e.errno in (socket.EAI_NONAME, socket.EAI_AGAIN), e
    else:
        raise AssertionError("a .invalid name resolved")

    results = await asyncio.gather(*(
        loop.getaddrinfo("127.0.0.1", 1000 + i, type=socket.SOCK_STREAM)
        for i in range(200)))
    for i, r in enumerate(results):
        assert r[0][4] == ("127.0.0.1", 1000 + i), r

    host, port = await loop.getnameinfo(("127.0.0.1", 80),
                                        socket.NI_NUMERICHOST | socket.NI_NUMERICSERV)
    assert (host, port) == ("127.0.0.1", "80"), (host, port)
    host, port = await loop.getnameinfo(("127.0.0.1", 22))
    assert port == "ssh", port
    assert host == socket.getnameinfo(("127.0.0.1", 22), 0)[0], host


dropin.run(main)
