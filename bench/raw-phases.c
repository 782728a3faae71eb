/* phases, raw: bench-phases.c's iterations at their physical limit: the
 * loop clock, then three intrusive lists of 100 callbacks each (idle,
 * prepare, check) walked newest first; no descriptor, so no poll.
 *
 *   raw-phases [N]      N iterations (default 200000) */
#include "raw-common.h"

#define PER_KIND 100

static struct raw_watcher lists[3];
static struct raw_watcher watchers[3][PER_KIND];
static uint64_t counts[3][PER_KIND];
static unsigned position;
static uint64_t iterations;
static uint64_t target;
static volatile uint64_t loop_time;

static void on_watcher(struct raw_watcher* w) {
  unsigned kind = (unsigned)((w - &watchers[0][0]) / PER_KIND);
  unsigned index = (unsigned)((w - &watchers[0][0]) % PER_KIND);
  unsigned k, i;

  BENCH_CHECK(position == kind * PER_KIND + (PER_KIND - 1 - index));
  counts[kind][index]++;
  if (++position == 3 * PER_KIND) position = 0;
  if (kind != 2 || position != 0 || ++iterations != target) return;
  for (k = 0; k < 3; k++)
    for (i = 0; i < PER_KIND; i++) raw_list_remove(&watchers[k][i]);
}

int main(int argc, char** argv) {
  uint64_t t0, t1;
  unsigned i, k;

  target = bench_count(argc, argv, 200000);
  raw_identify();
  for (k = 0; k < 3; k++) {
    raw_list_init(&lists[k]);
    for (i = 0; i < PER_KIND; i++) {
      watchers[k][i].cb = on_watcher;
      raw_list_insert_head(&lists[k], &watchers[k][i]);
    }
  }

  t0 = bench_ns();
  while (lists[0].next != &lists[0] || lists[1].next != &lists[1] ||
         lists[2].next != &lists[2]) {
    loop_time = raw_loop_ms();
    raw_list_run(&lists[0]);
    raw_list_run(&lists[1]);
    raw_list_run(&lists[2]);
  }
  t1 = bench_ns();
  BENCH_CHECK(iterations == target);
  BENCH_CHECK(position == 0);
  for (k = 0; k < 3; k++)
    for (i = 0; i < PER_KIND; i++) BENCH_CHECK(counts[k][i] == target);

  fprintf(stderr, "iterations=%" PRIu64 " callbacks=%" PRIu64 " time=%.3fs\n",
          iterations, iterations * 3 * PER_KIND, bench_seconds(t1 - t0));
  bench_result("phases", "cb/s",
               bench_rate(iterations * 3 * PER_KIND, t1 - t0));
  bench_ops("phases", iterations * 3 * PER_KIND);
  return bench_finish();
}
