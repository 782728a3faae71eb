"""Subprocesses (uv_spawn with stdio pipes, uv_process_kill, SIGCHLD):
communicate() with megabytes both ways, exit codes, death by a signal,
stdin/stdout/stderr wiring, pass_fds, many children at once, the shell
form, and a protocol-level subprocess transport."""

import asyncio
import os
import signal
import sys

import dropin

PY = sys.executable


async def main():
    loop = asyncio.get_running_loop()

    # 4 MiB through cat and back: both pipes fill and drain concurrently.
    data = os.urandom(1 << 20) * 4
    p = await asyncio.create_subprocess_exec(
        "cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    out, err = await p.communicate(data)
    assert out == data and err is None and p.returncode == 0

    # Exit codes, stderr, environment and working directory.
    p = await asyncio.create_subprocess_exec(
        PY, "-c",
        "import os,sys; sys.stdout.write(os.environ['DROPIN_X'] + os.getcwd());"
        "sys.stderr.write('to stderr'); sys.exit(7)",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env=dict(os.environ, DROPIN_X="x="), cwd="/")
    out, err = await p.communicate()
    assert (out, err, p.returncode) == (b"x=/", b"to stderr", 7), (out, err)

    # stderr into stdout.
    p = await asyncio.create_subprocess_exec(
        "sh", "-c", "echo out; echo err >&2",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await p.communicate()
    assert sorted(out.split()) == [b"err", b"out"], out

    # Killed by a signal: a negative return code.
    p = await asyncio.create_subprocess_exec("sleep", "30")
    p.send_signal(signal.SIGTERM)
    assert await p.wait() == -signal.SIGTERM
    p = await asyncio.create_subprocess_exec("sleep", "30")
    p.kill()
    assert await p.wait() == -signal.SIGKILL
    # A child that kills itself.
    p = await asyncio.create_subprocess_exec(
        PY, "-c", "import os,signal; os.kill(os.getpid(), signal.SIGUSR1)")
    assert await p.wait() == -signal.SIGUSR1

    # A program that does not exist.
    try:
        await asyncio.create_subprocess_exec("/nonexistent/dropin-program")
    except FileNotFoundError:
        pass
    else:
        raise AssertionError("spawned a program that does not exist")

    # Line by line from a child that writes slowly, stdin closed early.
    p = await asyncio.create_subprocess_exec(
        PY, "-u", "-c",
        "import sys,time\n"
        "for i in range(5):\n print(i); time.sleep(0.01)\n",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE)
    lines = [int(l) async for l in p.stdout]
    assert lines == list(range(5)) and await p.wait() == 0

    # pass_fds: the child writes into a pipe it inherited by number.
    r, w = os.pipe()
    p = await asyncio.create_subprocess_exec(
        PY, "-c", "import os; os.write(%d, b'inherited')" % w, pass_fds=(w,))
    os.close(w)
    assert await p.wait() == 0
    assert os.read(r, 100) == b"inherited"
    os.close(r)

    # preexec_fn: uvloop runs it in the child from a pthread_atfork
    # handler, so it depends on uv_spawn really calling fork() (a vfork or
    # clone-based spawn would skip it silently).
    r, w = os.pipe()
    def pre():
        os.write(w, b"%d" % os.getpid())
    p = await asyncio.create_subprocess_exec("true", preexec_fn=pre)
    assert await p.wait() == 0
    os.close(w)
    assert os.read(r, 100) == b"%d" % p.pid
    os.close(r)

    # start_new_session (UV_PROCESS_DETACHED: setsid in the child).
    p = await asyncio.create_subprocess_exec(
        PY, "-c", "import os; print(os.getsid(0), os.getpid())",
        start_new_session=True, stdout=asyncio.subprocess.PIPE)
    out, _ = await p.communicate()
    sid, pid = out.split()
    assert sid == pid and int(sid) != os.getsid(0), out

    # 30 children at once, each with its own exit code and output.
    async def child(i):
        p = await asyncio.create_subprocess_shell(
            "echo child %d; exit %d" % (i, i % 5),
            stdout=asyncio.subprocess.PIPE)
        out, _ = await p.communicate()
        return out, p.returncode
    res = await asyncio.gather(*(child(i) for i in range(30)))
    assert res == [(b"child %d\n" % i, i % 5) for i in range(30)], res

    # The protocol-level API: pipe_data_received / process_exited.
    class Proto(asyncio.SubprocessProtocol):
        def __init__(self):
            self.out = bytearray()
            self.exited = loop.create_future()
        def pipe_data_received(self, fd, data):
            assert fd == 1
            self.out += data
        def process_exited(self):
            self.exited.set_result(None)
    tr, proto = await loop.subprocess_exec(
        Proto, "tr", "a-z", "A-Z", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=None)
    assert tr.get_pid() > 0
    tr.get_pipe_transport(0).write(b"shout this")
    tr.get_pipe_transport(0).close()
    await proto.exited
    for _ in range(100):  # the last data may follow the exit
        if proto.out == b"SHOUT THIS":
            break
        await asyncio.sleep(0.01)
    assert proto.out == b"SHOUT THIS" and tr.get_returncode() == 0
    tr.close()


dropin.run(main)
