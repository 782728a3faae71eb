/* now, raw: bench-now.c's clock reads straight on clock_gettime:
 *   now          a load of a cached field, in a function that is not
 *                inlined (a call into a shared library is a call too)
 *   hrtime       clock_gettime(CLOCK_MONOTONIC)
 *   update_time  clock_gettime of the loop's clock, in milliseconds
 *
 *   raw-now [N]      (default 10000000) */
#include "raw-common.h"

struct loop {
  uint64_t time;
};

__attribute__((noinline)) static uint64_t loop_now(const struct loop* l) {
  __asm__ volatile("" ::: "memory"); /* not hoisted out of the loop */
  return l->time;
}

__attribute__((noinline)) static uint64_t hrtime(void) { return bench_ns(); }

int main(int argc, char** argv) {
  struct loop loop;
  uint64_t n = bench_count(argc, argv, 10000000);
  uint64_t first, prev, h, sum = 0;
  uint64_t t0, t1, t2, t3;
  uint64_t i;

  raw_identify();
  loop.time = raw_loop_ms();

  t0 = bench_ns();
  for (i = 0; i < 10 * n; i++) sum += loop_now(&loop);
  t1 = bench_ns();
  BENCH_CHECK(sum == loop.time * 10 * n);

  first = prev = hrtime();
  for (i = 0; i < n; i++) {
    h = hrtime();
    BENCH_CHECK(h >= prev);
    prev = h;
  }
  t2 = bench_ns();
  BENCH_CHECK(prev > first);

  for (i = 0; i < n; i++) *(volatile uint64_t*)&loop.time = raw_loop_ms();
  t3 = bench_ns();

  bench_result("now", "ns/call", bench_per_op(t1 - t0, 10 * n));
  bench_ops("now", 10 * n);
  bench_result("hrtime", "ns/call", bench_per_op(t2 - t1, n));
  bench_ops("hrtime", n);
  bench_result("update_time", "ns/call", bench_per_op(t3 - t2, n));
  bench_ops("update_time", n);
  return bench_finish();
}
