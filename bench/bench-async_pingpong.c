/* async_pingpong: two loops on two threads bounce a message with async
 * handles: the main loop sends to the second, whose callback sends back.
 * Only one message is ever in flight, so this is the wake-up latency of
 * uv_async_send plus a loop turn, twice per round trip.
 *
 *   bench-async_pingpong [N]      N round trips (default 30000)
 *
 * Result: async_pingpong = round trips per second.
 * Checks: each side's callback ran exactly N times (nothing lost, nothing
 * duplicated): with one message in flight no send may coalesce. */
#include "bench-uv.h"

#include <pthread.h>

static uv_loop_t loop_a; /* the main thread's */
static uv_loop_t loop_b; /* the second thread's */
static uv_async_t to_a;
static uv_async_t to_b;
static pthread_t thread_b;
static uint64_t target;
static uint64_t pongs; /* callbacks on A */
static uint64_t pings; /* callbacks on B */
static int stopping;   /* atomic: A tells B to finish */
static uint64_t t_end;

static void on_b(uv_async_t* handle) {
  if (__atomic_load_n(&stopping, __ATOMIC_ACQUIRE)) {
    uv_close((uv_handle_t*)handle, NULL);
    return;
  }
  pings++;
  BENCH_UV(uv_async_send(&to_a));
}

static void on_a(uv_async_t* handle) {
  if (++pongs < target) {
    BENCH_UV(uv_async_send(&to_b));
    return;
  }
  t_end = bench_ns();
  __atomic_store_n(&stopping, 1, __ATOMIC_SEQ_CST);
  BENCH_UV(uv_async_send(&to_b));
  /* B's last send to A may not have returned yet: join B before to_a
   * goes away. */
  BENCH_REQUIRE(pthread_join(thread_b, NULL) == 0);
  uv_close((uv_handle_t*)handle, NULL);
}

static void* run_b(void* arg) {
  (void)arg;
  BENCH_CHECK(uv_run(&loop_b, UV_RUN_DEFAULT) == 0);
  return NULL;
}

int main(int argc, char** argv) {
  uint64_t t0;

  target = bench_count(argc, argv, 30000);
  bench_identify();
  BENCH_UV(uv_loop_init(&loop_a));
  BENCH_UV(uv_loop_init(&loop_b));
  BENCH_UV(uv_async_init(&loop_a, &to_a, on_a));
  BENCH_UV(uv_async_init(&loop_b, &to_b, on_b));

  BENCH_REQUIRE(pthread_create(&thread_b, NULL, run_b, NULL) == 0);
  t0 = bench_ns();
  BENCH_UV(uv_async_send(&to_b));
  BENCH_CHECK(uv_run(&loop_a, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(pongs == target);
  BENCH_CHECK(pings == target);

  fprintf(stderr, "round_trips=%" PRIu64 " time=%.3fs (%.0f ns each)\n", pongs,
          bench_seconds(t_end - t0), bench_per_op(t_end - t0, pongs));
  bench_result("async_pingpong", "trips/s", bench_rate(pongs, t_end - t0));
  bench_ops("async_pingpong", pongs);

  bench_loop_close(&loop_a);
  bench_loop_close(&loop_b);
  return bench_finish();
}
