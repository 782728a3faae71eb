#!/usr/bin/env bash
# Every reliability check of docs/reliability.md, in one command:
#
#   ./tools/reliability.sh [--fuzz SECONDS] [--connections N] [--minutes M]
#                          [--no-valgrind]
#
# 1. the suite under AddressSanitizer + UndefinedBehaviorSanitizer
#    (allocation failures, descriptor exhaustion, system-call faults, the
#    CVE classes, c10k-500 are all part of it), in build-asan/;
# 2. the threaded tests under ThreadSanitizer, in build-tsan/;
# 3. every libFuzzer target for SECONDS (default 300), tools/fuzz.sh;
# 4. the unit tests under valgrind memcheck, tools/valgrind.sh (skip with
#    --no-valgrind: it takes about ten minutes);
# 5. the load test: N concurrent echo connections (default 10000) of a
#    release build, then a soak of M minutes (default 10) with 2000.
#
# .ci/run runs the CI subset (1, 2, 3 for 30 s each and c10k-500).  Exits
# non-zero on the first failure.
set -euo pipefail

cd "$(dirname "$0")/.."

fuzz=300
conns=10000
minutes=10
valgrind=1
while [ $# -gt 0 ]; do
  case "$1" in
    --fuzz) fuzz=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --no-valgrind) valgrind=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "tools/reliability.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

echo "=== 1. ASan + UBSan: the suite"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DEDDY_SANITIZE=address \
  -DEDDY_WERROR=ON -DEDDY_BUILD_TESTS=ON -DEDDY_REQUIRE_TESTS=ON >/dev/null
cmake --build build-asan -j2 >/dev/null
ctest --test-dir build-asan --output-on-failure -j2 -LE install

echo "=== 2. TSan: the threaded tests"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DEDDY_SANITIZE=thread \
  -DEDDY_WERROR=ON -DEDDY_BUILD_TESTS=ON -DEDDY_REQUIRE_TESTS=ON \
  -DEDDY_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-tsan -j2 --target eddy-threaded-tests >/dev/null
ctest --test-dir build-tsan --output-on-failure -j2 -L threaded

echo "=== 3. fuzzing: each target for $fuzz s"
./tools/fuzz.sh "$fuzz" 2

if [ "$valgrind" -eq 1 ]; then
  echo "=== 4. valgrind memcheck: the unit tests"
  ./tools/valgrind.sh
fi

echo "=== 5. load: $conns connections, then a $minutes-minute soak"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DEDDY_BUILD_TESTS=ON \
  -DEDDY_WERROR=ON -DEDDY_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-release -j2 --target c10k >/dev/null
./build-release/test/c10k --connections "$conns" --messages 100
./build-release/test/c10k --connections 2000 --messages 100 --minutes "$minutes"

echo "=== reliability: all passed"
