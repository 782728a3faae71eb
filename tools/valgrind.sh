#!/usr/bin/env bash
# Run eddy's unit tests under valgrind's memcheck and report leaks and
# memory errors.
#
#   ./tools/valgrind.sh [TEST...]     default: every test/test-*.c
#
# Builds build-valgrind/ (no sanitizer: valgrind and ASan do not mix), then
# runs each test program under
#   valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1
# two at a time.  Children forked by a test (fork() without exec, as the
# tests of fork safety do) stay under valgrind and are checked too; the
# programs a test execs (/bin/sh, /bin/true, ...) are not eddy and are left
# out (--trace-children-skip).  Each process's report is kept in
# build-valgrind/valgrind/<test>.<pid>.log.  Exits non-zero when a test fails
# or any process reports an error or a definite leak.
set -euo pipefail

cd "$(dirname "$0")/.."

command -v valgrind >/dev/null 2>&1 || {
  echo "tools/valgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2
  exit 2
}

build=build-valgrind
cmake -S . -B "$build" -DEDDY_BUILD_TESTS=ON -DEDDY_REQUIRE_TESTS=ON -DEDDY_WERROR=ON \
  -DEDDY_SANITIZE= -DEDDY_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 >/dev/null

if [ $# -gt 0 ]; then
  tests=("$@")
else
  tests=()
  for src in test/test-*.c; do tests+=("$(basename "$src" .c)"); done
fi

logs="$build/valgrind"
rm -rf "$logs"
mkdir -p "$logs"

# Tests that cannot run under valgrind, by test program (a cmocka glob):
#   test-os: process_title_life_cycle reads /proc/self/cmdline, which is
#     valgrind's command line, not the program's;
#   test-random: random_fallback_without_getrandom installs a seccomp filter
#     that refuses getrandom(2), and valgrind's own system calls with it;
#   test-process: the child_signals_reset tests check that a child starts
#     with no signal ignored, and valgrind keeps signal 64 for itself in
#     every process it runs; the one that also hides /proc loses valgrind
#     its /proc/self/maps.
# test-threadpool starts 1,024 workers in some tests (hence --max-threads)
# and gives its children more time when EDDY_TEST_ALARM is set.
skip_for() {
  case $1 in
    test-os) echo 'process_title_life_cycle' ;;
    test-process) echo '*child_signals_reset*' ;;
    test-random) echo 'random_fallback_without_getrandom' ;;
  esac
}

run_one() {
  local t=$1
  local skip
  skip=$(skip_for "$t")
  # The tests' own timeouts are generous, but a run under valgrind is some
  # twenty times slower: no time limit here beyond ctest's usual one.
  env CMOCKA_MESSAGE_OUTPUT=stdout EDDY_TEST_ALARM=900 ${skip:+EDDY_TEST_SKIP="$skip"} \
    timeout 900 valgrind --tool=memcheck --max-threads=1200 --leak-check=full \
      --errors-for-leak-kinds=definite --error-exitcode=1 \
      --show-leak-kinds=definite,indirect --num-callers=30 \
      --trace-children=yes --trace-children-skip='/bin/*,/usr/*,/sbin/*' \
      --child-silent-after-fork=no \
      --suppressions=tools/valgrind.supp \
      --log-file="$logs/$t.%p.log" \
      "$build/test/$t" >"$logs/$t.out" 2>&1
}

start=$(date +%s)
pids=()
for t in "${tests[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do sleep 0.2; done
  run_one "$t" &
  pids+=($!)
done

failed=0
printf '%-22s %8s %10s %10s  %s\n' test errors definite indirect result
for i in "${!tests[@]}"; do
  t=${tests[$i]}
  status=0
  wait "${pids[$i]}" || status=$?
  errors=0 definite=0 indirect=0
  for log in "$logs/$t".*.log; do
    [ -e "$log" ] || continue
    e=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tr -d , | tail -1)
    d=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d , | tail -1)
    n=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d , | tail -1)
    errors=$((errors + ${e:-0}))
    definite=$((definite + ${d:-0}))
    indirect=$((indirect + ${n:-0}))
  done
  result=ok
  if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$definite" -ne 0 ]; then
    result="FAILED (exit $status; see $logs/$t.*)"
    failed=1
  fi
  printf '%-22s %8s %10s %10s  %s\n' "$t" "$errors" "$definite" "$indirect" "$result"
done
echo "tools/valgrind.sh: ${#tests[@]} test programs in $(( $(date +%s) - start )) s"

if [ "$failed" -ne 0 ]; then
  echo "tools/valgrind.sh: valgrind or a test reported a problem" >&2
  exit 1
fi
