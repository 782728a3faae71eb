"""Shared by the uvloop drop-in tests: prove which libuv is loaded, run a
coroutine on a uvloop loop, and fail loudly."""

import asyncio
import os
import sys

import uvloop


SYSTEM_LIBUV = os.path.realpath("/lib/x86_64-linux-gnu/libuv.so.1")


def mapped_files():
    """The real paths of every file mapped into this process."""
    with open("/proc/self/maps") as maps:
        return {os.path.realpath(line.split()[-1]) for line in maps
                if line.split()[-1].startswith("/")}


def check_libuv():
    """EDDY_DROPIN_LIBUV names the libuv.so.1 that must be loaded (eddy's,
    set by run-pylua.sh); "system" runs the same test on the system libuv,
    for comparison.  uvloop is imported already, so its libuv is mapped."""
    want = os.environ.get("EDDY_DROPIN_LIBUV")
    files = mapped_files()
    if want is None:
        sys.exit("EDDY_DROPIN_LIBUV is not set: run through run-pylua.sh")
    if want == "system":
        assert SYSTEM_LIBUV in files, "the system libuv is not loaded"
        return SYSTEM_LIBUV
    want = os.path.realpath(want)
    assert want in files, "eddy's %s is not loaded" % want
    assert SYSTEM_LIBUV not in files, "the system libuv is loaded"
    return want


def run(main):
    """Check the library, then run main() on a fresh uvloop loop."""
    lib = check_libuv()
    loop = uvloop.new_event_loop()
    assert isinstance(loop, uvloop.Loop)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(asyncio.wait_for(main(), 60))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    print("ok %s (%s)" % (os.path.basename(sys.argv[0]), lib))
