#!/usr/bin/env bash
# Drop-in tests of real libuv programs from Debian, run on eddy through
# build/eddy-run, unchanged: uvloop (python3-uvloop on /usr/bin/python3),
# luv (lua-luv on lua5.4), and a CMake configure + build under eddy.  Each
# test first proves that eddy's libuv.so.1 is the one loaded.
#
# Usage: test/dropin/run-pylua.sh [BUILD_DIR]       (default: build)
#   EDDY_DROPIN_SYSTEM=1  run the same tests on the system libuv instead
#                         (for comparison: a test failing on eddy only is an
#                         eddy bug)
# Prints "N passed, N failed" and exits non-zero if anything failed.
set -euo pipefail

cd "$(dirname "$0")/../.."
top=$PWD
build=${1:-build}
[ -x "$build/eddy-run" ] || { echo "run-pylua: no $build/eddy-run: build eddy first" >&2; exit 1; }
eddy_lib=$top/$build/compat/libuv.so.1

root=$(test/dropin/fetch-pylua.sh "$build") || { echo "run-pylua: fetching uvloop/luv failed" >&2; exit 1; }

if [ "${EDDY_DROPIN_SYSTEM:-0}" = 1 ]; then
  run=()
  export EDDY_DROPIN_LIBUV=system
else
  run=("$top/$build/eddy-run")
  export EDDY_DROPIN_LIBUV=$eddy_lib
fi

passed=0
failed=0
failures=()
check() { # name command...
  local name=$1 out rc
  shift
  local start=$SECONDS
  set +e
  out=$(timeout 120 "$@" 2>&1)
  rc=$?
  set -e
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    echo "PASS $name ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "FAIL $name (exit $rc)"
    printf '%s\n' "$out" | tail -40 | sed 's/^/    /'
  fi
}

# ---- uvloop: Debian's python3 (not a pyenv one on PATH), uvloop from root/
py=/usr/bin/python3
pypath=$root/usr/lib/python3/dist-packages:$top/test/dropin/uvloop
for t in test/dropin/uvloop/test_*.py; do
  check "uvloop/$(basename "$t" .py)" \
    env PYTHONPATH="$pypath" PYTHONNOUSERSITE=1 PYTHONDONTWRITEBYTECODE=1 "${run[@]}" "$py" "$t"
done

# ---- luv: lua5.4 and luv.so from root/
lua=$root/usr/bin/lua5.4
export LUA_CPATH="$root/usr/lib/x86_64-linux-gnu/lua/5.4/?.so"
export LUA_PATH="$top/test/dropin/luv/?.lua"
# Each runs with the slave of a fresh pseudo-terminal as descriptor 3
# (DROPIN_PTY=1), for the uv_tty tests.  The master is inherited too, and
# unused: closed, it would hang the terminal up (no longer a tty).
with_pty=(/usr/bin/python3 -c '
import os, pty, sys
master, slave = pty.openpty()
master = os.dup(master)  # out of the way: openpty may have given it fd 3
os.dup2(slave, 3)
os.set_inheritable(master, True)
os.environ["DROPIN_PTY"] = "1"
os.execvp(sys.argv[1], sys.argv[1:])')
for t in test/dropin/luv/test_*.lua; do
  [ -e "$t" ] || continue
  check "luv/$(basename "$t" .lua)" "${with_pty[@]}" "${run[@]}" "$lua" "$t"
done
unset LUA_CPATH LUA_PATH

# ---- cmake: a configure + build under eddy (cmake links libuv.so.1)
check "cmake/configure-build" test/dropin/cmake-build.sh "$build"

echo "dropin-pylua: $passed passed, $failed failed"
if [ $failed -ne 0 ]; then
  echo "failed: ${failures[*]}" >&2
  exit 1
fi
