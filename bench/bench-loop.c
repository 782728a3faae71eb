/* loop: iterations per second of a loop whose only work is one idle
 * handle: the fixed cost of one turn of uv_run (clock update, the phases,
 * the poll decision) with nothing to do.
 *
 *   bench-loop [N]      N iterations (default 400000)
 *
 * The program registers no descriptor (no async handle, no I/O), so a
 * loop that has none of its own may skip the poll system call altogether
 * (raw-loop does; libuv 1.x always holds its thread pool's eventfd and
 * polls); bench-loop_poll measures the same turn with a descriptor.
 *
 * Result: loop = iterations per second.
 * Checks: the idle callback ran exactly N times and uv_run returned 0. */
#include "bench-uv.h"

static uv_loop_t loop;
static uv_idle_t idle;
static uint64_t iterations;
static uint64_t target;

static void on_idle(uv_idle_t* handle) {
  if (++iterations == target) BENCH_UV(uv_idle_stop(handle));
}

int main(int argc, char** argv) {
  uint64_t t0, t1;

  target = bench_count(argc, argv, 400000);
  bench_identify();
  BENCH_UV(uv_loop_init(&loop));
  BENCH_UV(uv_idle_init(&loop, &idle));
  BENCH_UV(uv_idle_start(&idle, on_idle));

  t0 = bench_ns();
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  t1 = bench_ns();
  BENCH_CHECK(iterations == target);

  fprintf(stderr, "iterations=%" PRIu64 " time=%.3fs\n", iterations,
          bench_seconds(t1 - t0));
  bench_result("loop", "iter/s", bench_rate(iterations, t1 - t0));
  bench_ops("loop", iterations);

  bench_loop_close(&loop);
  return bench_finish();
}
