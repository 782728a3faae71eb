#!/usr/bin/env bash
# Runs the node drop-in tests: Debian's node 18, unchanged, on eddy.
#
#   test/dropin/run-node.sh [--system] [BUILD_DIR] [TEST...]
#
# Fetches node into BUILD_DIR/dropin/node18/ when it is not there yet
# (test/dropin/fetch-node.sh; a failed fetch fails the run), then runs each
# test/dropin/node/*.js (or the TESTs named, e.g. http) with BUILD_DIR/eddy-run,
# two at a time.  Every test first checks that its process mapped eddy's
# library and no other libuv, and that process.versions.uv is eddy's
# uv_version_string().
#
# --system runs the same tests on the system's libuv instead (no eddy-run;
# the check then expects the system's library): a test that fails there
# tests something libuv does not do.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
system=0
if [ "${1-}" = --system ]; then system=1; shift; fi
build=${1:-$src/build}
[ $# -gt 0 ] && shift
build=$(cd "$build" && pwd)

node=$("$src/test/dropin/fetch-node.sh" "$build" | tail -n 1)
[ -x "$node" ] || { echo "run-node.sh: fetch-node.sh gave no node ($node)" >&2; exit 1; }

if [ $system = 1 ]; then
  lib=$(readlink -f "$(ldconfig -p | awk '/libuv\.so\.1 .*x86-64/ { print $NF; exit }')")
  [ -e "$lib" ] || { echo "run-node.sh: no system libuv.so.1" >&2; exit 1; }
  uv_version=$("$node" -p process.versions.uv)
  launcher=()
  export EDDY_SYSTEM=1
else
  [ -x "$build/eddy-run" ] || { echo "run-node.sh: $build/eddy-run missing (build eddy first)" >&2; exit 1; }
  lib=$(readlink -f "$build/compat/libuv.so.1")
  # eddy's uv_version_string(), asked of the library itself (Debian's
  # python3 when there is one: a pyenv shim takes seconds to start).
  py=python3
  [ -x /usr/bin/python3 ] && py=/usr/bin/python3
  uv_version=$("$py" -c 'import ctypes,sys; l=ctypes.CDLL(sys.argv[1]); l.uv_version_string.restype=ctypes.c_char_p; print(l.uv_version_string().decode())' "$lib")
  launcher=("$build/eddy-run")
fi
export EDDY_LIB=$lib EDDY_UV_VERSION=$uv_version

tests=()
if [ $# -gt 0 ]; then
  for t in "$@"; do tests+=("$src/test/dropin/node/${t%.js}.js"); done
else
  for t in "$src"/test/dropin/node/*.js; do
    [ "$(basename "$t")" = common.js ] || tests+=("$t")
  done
fi

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
echo "run-node.sh: $node on $lib (uv $uv_version), ${#tests[@]} tests"

run_one() { # TEST: runs it, output in $logs/NAME.log, status in $logs/NAME.rc
  local name rc=0
  name=$(basename "$1" .js)
  timeout -k 5 60 "${launcher[@]}" "$node" "$1" >"$logs/$name.log" 2>&1 || rc=$?
  echo $rc >"$logs/$name.rc"
}

start=$SECONDS
# Two at a time: each test waits on child processes and sockets more than
# it computes, and node's start-up is slow on a loaded machine.
running=0
for t in "${tests[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ $running -ge 2 ]; then wait -n || true; running=$((running - 1)); fi
done
wait

failed=()
for t in "${tests[@]}"; do
  name=$(basename "$t" .js)
  cat "$logs/$name.log"
  rc=$(cat "$logs/$name.rc" 2>/dev/null || echo missing)
  if [ "$rc" != 0 ]; then
    echo "FAILED: $name (exit status $rc)"
    failed+=("$name")
  fi
done
echo "run-node.sh: ${#tests[@]} tests in $((SECONDS - start)) s, ${#failed[@]} failed${failed:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
