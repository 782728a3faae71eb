/* loop, raw: bench-loop.c's turn at its physical limit: read the loop
 * clock, run the idle list, and (no descriptor being registered) no poll.
 *
 *   raw-loop [N]      N iterations (default 400000) */
#include "raw-common.h"

static struct raw_watcher idle_list;
static struct raw_watcher idle;
static uint64_t iterations;
static uint64_t target;
static volatile uint64_t loop_time;

static void on_idle(struct raw_watcher* w) {
  if (++iterations == target) raw_list_remove(w);
}

int main(int argc, char** argv) {
  uint64_t t0, t1;

  target = bench_count(argc, argv, 400000);
  raw_identify();
  raw_list_init(&idle_list);
  idle.cb = on_idle;
  raw_list_insert_head(&idle_list, &idle);

  t0 = bench_ns();
  while (idle_list.next != &idle_list) {
    loop_time = raw_loop_ms();
    raw_list_run(&idle_list);
  }
  t1 = bench_ns();
  BENCH_CHECK(iterations == target);

  fprintf(stderr, "iterations=%" PRIu64 " time=%.3fs\n", iterations,
          bench_seconds(t1 - t0));
  bench_result("loop", "iter/s", bench_rate(iterations, t1 - t0));
  bench_ops("loop", iterations);
  return bench_finish();
}
