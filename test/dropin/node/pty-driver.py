#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal (30 rows, 100 columns) and
drives test/dropin/node/stdin.js's 'tty' child: it waits for each marker
the child prints, then types a line, a raw byte, and resizes the terminal.
Prints what the child wrote; exits non-zero on a timeout or a bad exit."""
import fcntl, os, pty, select, signal, struct, sys, termios, time

def winsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

pid, master = pty.fork()
if pid == 0:
    winsize(0, 30, 100)
    os.execv(sys.argv[1], sys.argv[1:])

out = b""
deadline = time.monotonic() + 25

def wait_for(marker):
    global out
    while marker not in out:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(marker)
        r, _, _ = select.select([master], [], [], left)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                raise EOFError(marker)
            out += chunk

status = 1
try:
    wait_for(b"READY")
    os.write(master, b"hello tty\n")
    wait_for(b"RAW")
    os.write(master, b"x")
    wait_for(b"WAITRESIZE")
    winsize(master, 40, 120)  # the kernel sends SIGWINCH to the child
    wait_for(b"RESIZED")
    _, st = os.waitpid(pid, 0)
    status = 0 if os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0 else 2
    if status:
        sys.stderr.write("child status %r\n" % st)
except (TimeoutError, EOFError) as e:
    sys.stderr.write("waiting for %r: %s\n" % (e.args[0], type(e).__name__))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(status)
