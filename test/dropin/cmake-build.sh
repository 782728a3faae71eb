#!/usr/bin/env bash
# Debian's cmake, running on eddy (it links libuv.so.1 to run processes),
# configures and builds test/dropin/cmake-project, then its ctest (also on
# eddy) runs the built program.  Proves first that cmake loads eddy.
#
# Usage: test/dropin/cmake-build.sh [BUILD_DIR]     (default: build)
# EDDY_DROPIN_SYSTEM=1 runs cmake on the system libuv instead.
set -euo pipefail

cd "$(dirname "$0")/../.."
top=$PWD
build=${1:-build}
src=$top/test/dropin/cmake-project
out=$top/$build/dropin/cmake-project

cmake_bin=$(command -v cmake)
ctest_bin=$(command -v ctest)
if [ "${EDDY_DROPIN_SYSTEM:-0}" = 1 ]; then
  run=()
else
  run=("$top/$build/eddy-run")
  # Captured first: with pipefail, `ldd | grep -q` can fail when grep stops
  # reading early.
  for bin in "$cmake_bin" "$ctest_bin"; do
    deps=$("${run[@]}" ldd "$bin")
    grep -q "libuv\.so\.1 => $top/$build/compat/libuv\.so\.1" <<<"$deps" ||
      { echo "$bin does not load eddy through eddy-run:" >&2; echo "$deps" >&2; exit 1; }
  done
fi

rm -rf "$out"
mkdir -p "$(dirname "$out")"
"${run[@]}" "$cmake_bin" -S "$src" -B "$out" >"$out.log" 2>&1 ||
  { cat "$out.log" >&2; exit 1; }
"${run[@]}" "$cmake_bin" --build "$out" -j2 >>"$out.log" 2>&1 ||
  { cat "$out.log" >&2; exit 1; }
got=$("$out/hello" 6)
[ "$got" = "built by cmake on eddy sum=21" ] || { echo "hello printed: $got" >&2; exit 1; }
"${run[@]}" "$ctest_bin" --test-dir "$out" --output-on-failure >>"$out.log" 2>&1 ||
  { cat "$out.log" >&2; exit 1; }
echo "cmake: configured, built and tested $out"
