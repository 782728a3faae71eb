/* timers: start N timers with pseudo-random timeouts, churn them (stop,
 * restart, stop for good), then run the loop until every active one fired.
 *
 *   bench-timers [N]      N timers (default 250000)
 *
 * Timeouts are drawn from [0, R) ms, R = N/2000 clamped to [2, 250].  The
 * loop's cached time does not move while the timers are started, so every
 * due time is "start time + timeout"; after the start and churn phase the
 * program waits, untimed, until all of them are due, so that uv_run fires
 * the whole heap without ever sleeping and the figure is pure timer
 * machinery.  Timed: init + start + churn, and the uv_run that fires.
 *
 * Result: timers = operations per second, an operation being one
 * uv_timer_start, one uv_timer_stop or one timer firing.
 * Checks: every timer still active fires exactly once, a stopped one
 * never, in order of due time and then start order, never early. */
#include "bench-uv.h"

static uv_loop_t loop;
static uv_timer_t* timers;
static uint64_t* due; /* ms; UINT64_MAX: stopped, must not fire */
static uint64_t* seq; /* start order */
static unsigned char* fired;
static uint64_t nfired;
static uint64_t last_due;
static uint64_t last_seq;

static void on_timer(uv_timer_t* t) {
  size_t i = (size_t)(t - timers);
  BENCH_CHECK(due[i] != UINT64_MAX);
  BENCH_CHECK(fired[i] == 0);
  BENCH_CHECK(uv_now(&loop) >= due[i]);
  BENCH_CHECK(nfired == 0 || due[i] > last_due ||
              (due[i] == last_due && seq[i] > last_seq));
  last_due = due[i];
  last_seq = seq[i];
  fired[i]++;
  nfired++;
}

int main(int argc, char** argv) {
  uint64_t n = bench_count(argc, argv, 250000);
  uint64_t range = n / 2000;
  uint64_t churn = n / 2;
  uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);
  uint64_t next_seq = 0;
  uint64_t ops = 0;
  uint64_t active = 0;
  uint64_t now;
  uint64_t to;
  uint64_t t0, t1, t2, t3;
  uint64_t i, j, k;
  int r;

  if (range < 2) range = 2;
  if (range > 250) range = 250;

  bench_identify();
  BENCH_UV(uv_loop_init(&loop));
  timers = bench_calloc(n, sizeof(*timers));
  due = bench_calloc(n, sizeof(*due));
  seq = bench_calloc(n, sizeof(*seq));
  fired = bench_calloc(n, sizeof(*fired));
  uv_update_time(&loop);

  t0 = bench_ns();
  now = uv_now(&loop);
  for (i = 0; i < n; i++) BENCH_UV(uv_timer_init(&loop, &timers[i]));
  for (i = 0; i < n; i++) {
    to = bench_rand(&rng) % range;
    BENCH_UV(uv_timer_start(&timers[i], on_timer, to, 0));
    due[i] = now + to;
    seq[i] = next_seq++;
    ops++;
  }
  for (j = 0; j < churn; j++) {
    k = bench_rand(&rng) % n;
    r = (int)(bench_rand(&rng) % 8);
    to = bench_rand(&rng) % range;
    if (r == 0) { /* stop for good (unless a later op restarts it) */
      BENCH_UV(uv_timer_stop(&timers[k]));
      due[k] = UINT64_MAX;
      ops++;
      continue;
    }
    if (r < 4) { /* stop, then start again */
      BENCH_UV(uv_timer_stop(&timers[k]));
      ops++;
    }
    /* uv_timer_start on an active timer restarts it */
    BENCH_UV(uv_timer_start(&timers[k], on_timer, to, 0));
    due[k] = now + to;
    seq[k] = next_seq++;
    ops++;
  }
  t1 = bench_ns();

  bench_wait_loop_time(&loop, now + range);

  t2 = bench_ns();
  r = uv_run(&loop, UV_RUN_DEFAULT);
  t3 = bench_ns();
  BENCH_CHECK(r == 0);

  for (i = 0; i < n; i++) {
    if (due[i] != UINT64_MAX) {
      active++;
      BENCH_CHECK(fired[i] == 1);
    } else {
      BENCH_CHECK(fired[i] == 0);
    }
  }
  BENCH_CHECK(nfired == active);
  ops += nfired;

  fprintf(stderr,
          "timers=%" PRIu64 " churn=%" PRIu64 " fired=%" PRIu64
          " range=%" PRIu64 "ms start+churn=%.3fs run=%.3fs\n",
          n, churn, nfired, range, bench_seconds(t1 - t0),
          bench_seconds(t3 - t2));
  bench_result("timers", "ops/s", bench_rate(ops, (t1 - t0) + (t3 - t2)));
  bench_ops("timers", ops);

  bench_loop_close(&loop);
  free(timers);
  free(due);
  free(seq);
  free(fired);
  return bench_finish();
}
