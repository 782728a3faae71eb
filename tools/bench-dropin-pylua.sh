#!/usr/bin/env bash
# Real programs on eddy vs on the system's libuv, same binaries,
# interleaved runs, medians and the eddy/libuv ratio:
#   - a uvloop TCP echo (Debian's python3-uvloop on /usr/bin/python3):
#     messages per second, higher is better;
#   - eddy's own test suite run by Debian's ctest: seconds, lower is better
#     (ctest links libuv.so.1 to run its children).
#
#   tools/bench-dropin-pylua.sh [--runs N] [--ctest-runs N] [BUILD_DIR]
#
# Defaults: 5 echo runs and 2 ctest runs per library (the machine is
# shared: keep it short).  Environment: BENCH_CLIENTS, BENCH_MESSAGES,
# BENCH_SIZE size the echo (20 x 5000 x 64 bytes).
set -euo pipefail

cd "$(dirname "$0")/.."
top=$PWD
runs=5
ctest_runs=2
build=build
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --ctest-runs) ctest_runs=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) build=$1; shift ;;
  esac
done
[ -x "$build/eddy-run" ] || { echo "no $build/eddy-run: build eddy first" >&2; exit 1; }
root=$(test/dropin/fetch-pylua.sh "$build")
eddy_lib=$top/$build/compat/libuv.so.1
pypath=$root/usr/lib/python3/dist-packages:$top/test/dropin/uvloop

median() { sort -g | awk '{ v[NR] = $1 } END {
  if (NR == 0) { print "nan"; exit }
  if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo_run() { # eddy|libuv -> messages/s
  local out
  if [ "$1" = eddy ]; then
    out=$(EDDY_DROPIN_LIBUV=$eddy_lib PYTHONPATH=$pypath PYTHONDONTWRITEBYTECODE=1 \
          "$build/eddy-run" /usr/bin/python3 test/dropin/uvloop/bench_echo.py)
  else
    out=$(EDDY_DROPIN_LIBUV=system PYTHONPATH=$pypath PYTHONDONTWRITEBYTECODE=1 \
          /usr/bin/python3 test/dropin/uvloop/bench_echo.py)
  fi
  sed -n 's/^RESULT messages_per_s=\([0-9.]*\) .*/\1/p' <<<"$out"
}

ctest_run() { # eddy|libuv -> seconds
  local start end
  local run=()
  [ "$1" = eddy ] && run=("$build/eddy-run")
  start=$(date +%s.%N)
  "${run[@]}" ctest --test-dir "$build" -j2 -LE install >/dev/null ||
    { echo "ctest failed on $1" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

declare -A res
for lib in eddy libuv; do res[echo_$lib]=""; res[ctest_$lib]=""; done
for i in $(seq "$runs"); do
  for lib in eddy libuv; do
    v=$(echo_run $lib)
    [ -n "$v" ] || { echo "echo run on $lib failed" >&2; exit 1; }
    res[echo_$lib]+="$v"$'\n'
    echo "echo run $i $lib: $v messages/s" >&2
  done
done
for i in $(seq "$ctest_runs"); do
  for lib in eddy libuv; do
    v=$(ctest_run $lib)
    res[ctest_$lib]+="$v"$'\n'
    echo "ctest run $i $lib: $v s" >&2
  done
done

me=$(printf '%s' "${res[echo_eddy]}" | median)
ml=$(printf '%s' "${res[echo_libuv]}" | median)
ce=$(printf '%s' "${res[ctest_eddy]}" | median)
cl=$(printf '%s' "${res[ctest_libuv]}" | median)
printf '\n| benchmark | unit | eddy | libuv | eddy/libuv |\n|---|---|---|---|---|\n'
printf '| uvloop TCP echo (%s clients x %s x %s B) | messages/s (higher is better) | %.0f | %.0f | %.2f |\n' \
  "${BENCH_CLIENTS:-20}" "${BENCH_MESSAGES:-5000}" "${BENCH_SIZE:-64}" "$me" "$ml" \
  "$(echo "$me / $ml" | bc -l)"
printf '| ctest of eddy'"'"'s suite (-j2) | s (lower is better) | %.2f | %.2f | %.2f |\n' \
  "$ce" "$cl" "$(echo "$ce / $cl" | bc -l)"
echo "($runs echo runs, $ctest_runs ctest runs per library, interleaved; medians; $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
