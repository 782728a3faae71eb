/* phases: idle, prepare and check callbacks with 100 handles of each kind
 * active: the cost of dispatching the per-iteration phases.
 *
 *   bench-phases [N]      N iterations (default 200000), 300 callbacks each
 *
 * Handles of each kind are started in index order 0..99, so each phase
 * runs them 99..0 (the newest started runs first, as libuv does).  When
 * the last check callback of iteration N runs, it stops all 300.
 *
 * Result: phases = callbacks per second.
 * Checks: in every iteration the 300 callbacks come in exactly the order
 * idle 99..0, prepare 99..0, check 99..0; each handle ran N times. */
#include "bench-uv.h"

#define PER_KIND 100

static uv_loop_t loop;
static uv_idle_t idles[PER_KIND];
static uv_prepare_t prepares[PER_KIND];
static uv_check_t checks[PER_KIND];
static uint64_t counts[3][PER_KIND];
static unsigned position; /* 0..299: which callback should come next */
static uint64_t iterations;
static uint64_t target;

/* Callback number `position` of an iteration is kind position/100, index
 * 99 - position%100. */
static void expect(unsigned kind, unsigned index) {
  BENCH_CHECK(position == kind * PER_KIND + (PER_KIND - 1 - index));
  counts[kind][index]++;
  if (++position == 3 * PER_KIND) position = 0;
}

static void on_idle(uv_idle_t* h) { expect(0, (unsigned)(h - idles)); }

static void on_prepare(uv_prepare_t* h) { expect(1, (unsigned)(h - prepares)); }

static void on_check(uv_check_t* h) {
  unsigned i;
  expect(2, (unsigned)(h - checks));
  if (position != 0 || ++iterations != target) return;
  for (i = 0; i < PER_KIND; i++) {
    BENCH_UV(uv_idle_stop(&idles[i]));
    BENCH_UV(uv_prepare_stop(&prepares[i]));
    BENCH_UV(uv_check_stop(&checks[i]));
  }
}

int main(int argc, char** argv) {
  uint64_t t0, t1;
  unsigned i, k;

  target = bench_count(argc, argv, 200000);
  bench_identify();
  BENCH_UV(uv_loop_init(&loop));
  for (i = 0; i < PER_KIND; i++) {
    BENCH_UV(uv_idle_init(&loop, &idles[i]));
    BENCH_UV(uv_prepare_init(&loop, &prepares[i]));
    BENCH_UV(uv_check_init(&loop, &checks[i]));
  }
  for (i = 0; i < PER_KIND; i++) {
    BENCH_UV(uv_idle_start(&idles[i], on_idle));
    BENCH_UV(uv_prepare_start(&prepares[i], on_prepare));
    BENCH_UV(uv_check_start(&checks[i], on_check));
  }

  t0 = bench_ns();
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
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

  bench_loop_close(&loop);
  return bench_finish();
}
