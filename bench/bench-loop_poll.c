/* loop_poll: iterations per second of a loop with one idle handle and one
 * registered descriptor (an unreferenced async handle, as most real
 * programs have one), so that every turn includes a non-blocking poll.
 *
 *   bench-loop_poll [N]      N iterations (default 400000)
 *
 * Result: loop_poll = iterations per second.
 * Checks: the idle callback ran exactly N times, the async callback never
 * (nothing sent), uv_run returned 0. */
#include "bench-uv.h"

static uv_loop_t loop;
static uv_idle_t idle;
static uv_async_t async;
static uint64_t iterations;
static uint64_t target;
static uint64_t async_calls;

static void on_idle(uv_idle_t* handle) {
  if (++iterations == target) BENCH_UV(uv_idle_stop(handle));
}

static void on_async(uv_async_t* handle) {
  (void)handle;
  async_calls++;
}

int main(int argc, char** argv) {
  uint64_t t0, t1;

  target = bench_count(argc, argv, 400000);
  bench_identify();
  BENCH_UV(uv_loop_init(&loop));
  BENCH_UV(uv_async_init(&loop, &async, on_async));
  uv_unref((uv_handle_t*)&async);
  BENCH_UV(uv_idle_init(&loop, &idle));
  BENCH_UV(uv_idle_start(&idle, on_idle));

  t0 = bench_ns();
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  t1 = bench_ns();
  BENCH_CHECK(iterations == target);
  BENCH_CHECK(async_calls == 0);

  fprintf(stderr, "iterations=%" PRIu64 " time=%.3fs\n", iterations,
          bench_seconds(t1 - t0));
  bench_result("loop_poll", "iter/s", bench_rate(iterations, t1 - t0));
  bench_ops("loop_poll", iterations);

  bench_loop_close(&loop);
  return bench_finish();
}
