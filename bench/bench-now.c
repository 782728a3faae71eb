/* now: the cost of asking for the time.
 *
 *   bench-now [N]      N calls of uv_hrtime and of uv_update_time, 10 N of
 *                      uv_now (default N = 10000000)
 *
 * Results (nanoseconds per call, lower is better):
 *   now          uv_now: the loop's cached millisecond time
 *   hrtime       uv_hrtime: the precise monotonic clock
 *   update_time  uv_update_time: what every loop iteration does to refresh
 *                the cached time
 * Checks: uv_hrtime never goes backwards and moves over the run; uv_now
 * stays put while nothing updates it; after uv_update_time it agrees with
 * uv_hrtime's milliseconds (to within a coarse clock's lag). */
#include "bench-uv.h"

int main(int argc, char** argv) {
  uv_loop_t loop;
  uint64_t n = bench_count(argc, argv, 10000000);
  uint64_t first, prev, h, now, sum = 0;
  uint64_t t0, t1, t2, t3;
  uint64_t i;

  bench_identify();
  BENCH_UV(uv_loop_init(&loop));
  uv_update_time(&loop);
  now = uv_now(&loop);

  t0 = bench_ns();
  for (i = 0; i < 10 * n; i++) sum += uv_now(&loop);
  t1 = bench_ns();
  BENCH_CHECK(sum == now * 10 * n);

  first = prev = uv_hrtime();
  for (i = 0; i < n; i++) {
    h = uv_hrtime();
    BENCH_CHECK(h >= prev);
    prev = h;
  }
  t2 = bench_ns();
  BENCH_CHECK(prev > first);

  for (i = 0; i < n; i++) uv_update_time(&loop);
  t3 = bench_ns();
  BENCH_CHECK(uv_now(&loop) >= now);
  /* uv_now and uv_hrtime come from the same monotonic clock (libuv's
   * documented behaviour); allow for a coarse clock's lag. */
  BENCH_CHECK(uv_hrtime() / 1000000 + 1 >= uv_now(&loop));
  BENCH_CHECK(uv_now(&loop) + 1000 >= uv_hrtime() / 1000000);

  bench_result("now", "ns/call", bench_per_op(t1 - t0, 10 * n));
  bench_ops("now", 10 * n);
  bench_result("hrtime", "ns/call", bench_per_op(t2 - t1, n));
  bench_ops("hrtime", n);
  bench_result("update_time", "ns/call", bench_per_op(t3 - t2, n));
  bench_ops("update_time", n);

  BENCH_CHECK(uv_loop_close(&loop) == 0);
  return bench_finish();
}
