#!/usr/bin/env bash
# Build eddy's libFuzzer targets (test/fuzz/) and run each for a fixed time.
#
#   ./tools/fuzz.sh [SECONDS] [JOBS]     defaults: 30 seconds, 1 target at a time
#
# 1. installs clang and libFuzzer's runtime with apt-get when missing;
# 2. configures build-fuzz/ (clang, -DEDDY_BUILD_FUZZ=ON: the library and the
#    targets under -fsanitize=fuzzer,address,undefined), builds the targets;
# 3. runs each target for SECONDS on its seed corpus (test/fuzz/corpus/<name>/,
#    copied: the seeds are not changed), JOBS of them at once, and prints the
#    executions each ran.
# A target that crashes or finds a property that does not hold stops; its
# input is kept in build-fuzz/crashes/ and the script exits non-zero.  Keep
# such an input as a seed (test/fuzz/corpus/<name>/) and as a test in the
# matching test/test-<area>.c once the bug is fixed.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${1:-30}
jobs=${2:-1}
case "$seconds$jobs" in
  *[!0-9]*) echo "usage: $0 [SECONDS] [JOBS]" >&2; exit 2 ;;
esac

packages=(cmake make clang libclang-rt-dev libc6-dev)
if command -v dpkg >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    echo "tools/fuzz.sh: installing ${missing[*]}"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

CC=clang cmake -S . -B build-fuzz -DEDDY_BUILD_FUZZ=ON -DEDDY_BUILD_TESTS=OFF \
  -DEDDY_BUILD_EXAMPLES=OFF -DEDDY_WERROR=ON -DEDDY_SANITIZE= >/dev/null
cmake --build build-fuzz -j2 --target eddy-fuzz

scratch=$(mktemp -d "${TMPDIR:-/tmp}/eddy-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p build-fuzz/crashes

targets=()
for src in test/fuzz/fuzz-*.c; do
  targets+=("$(basename "$src" .c)")
done

# One target: its own corpus copy, temporary directory and log.
run_one() {
  local name=$1 stem=${1#fuzz-}
  mkdir -p "$scratch/$stem/corpus" "$scratch/$stem/tmp"
  TMPDIR="$scratch/$stem/tmp" \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build-fuzz/test/fuzz/$name" -max_total_time="$seconds" -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$scratch/$stem/" \
      "$scratch/$stem/corpus" "test/fuzz/corpus/$stem" \
      >"$scratch/$stem/log" 2>&1
}

echo "=== fuzzing ${#targets[@]} targets, ${seconds} s each, $jobs at a time"
pids=()
names=()
for name in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 0.2; done
  run_one "$name" &
  pids+=($!)
  names+=("$name")
done

failed=0
total=0
printf '%-18s %12s %10s %8s  %s\n' target executions exec/s corpus result
for i in "${!pids[@]}"; do
  name=${names[$i]}
  stem=${name#fuzz-}
  log="$scratch/$stem/log"
  status=0
  wait "${pids[$i]}" || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  execs=${execs:-0}
  total=$((total + execs))
  corpus=$(find "$scratch/$stem/corpus" "test/fuzz/corpus/$stem" -type f | wc -l)
  result=ok
  if [ "$status" -ne 0 ]; then
    result="FAILED (exit $status)"
    failed=1
    for a in "$scratch/$stem"/crash-* "$scratch/$stem"/leak-* "$scratch/$stem"/timeout-* \
             "$scratch/$stem"/oom-*; do
      [ -e "$a" ] || continue
      cp "$a" "build-fuzz/crashes/$stem-$(basename "$a")"
      result="$result, input: build-fuzz/crashes/$stem-$(basename "$a")"
    done
  fi
  printf '%-18s %12s %10s %8s  %s\n' "$name" "$execs" "$((execs / (seconds > 0 ? seconds : 1)))" \
    "$corpus" "$result"
  if [ "$status" -ne 0 ]; then
    echo "--- $name: the end of its log"
    tail -n 40 "$log"
  fi
done
echo "total executions: $total"

if [ "$failed" -ne 0 ]; then
  echo "tools/fuzz.sh: a target failed" >&2
  exit 1
fi
