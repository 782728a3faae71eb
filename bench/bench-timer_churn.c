/* timer_churn: the timer heap under insert/remove churn with many live
 * timers, the pattern of a server re-arming one idle timeout per
 * connection on every read.
 *
 *   bench-timer_churn [N]   N re-arms (default 1000000), on L = min(N,
 *                           100000) live timers
 *
 * L timers are started with timeouts in [1, R] ms (R = L/400 clamped to
 * [2, 250]); then, timed, N times a pseudo-random live timer is re-armed
 * with a new timeout, in one of three ways: uv_timer_start on the active
 * timer (half of the time), uv_timer_stop then uv_timer_start (a quarter),
 * uv_timer_set_repeat then uv_timer_again (a quarter).  The heap holds L
 * timers throughout.  Untimed, the program then waits until all are due
 * and runs the loop, checking that the heap was kept right.
 *
 * Result: timer_churn = re-arms per second.
 * Checks: every timer fires exactly once, in order of due time and then
 * start order, never early. */
#include "bench-uv.h"

static uv_loop_t loop;
static uv_timer_t* timers;
static uint64_t* due;
static uint64_t* seq;
static unsigned char* fired;
static uint64_t nfired;
static uint64_t last_due;
static uint64_t last_seq;

static void on_timer(uv_timer_t* t) {
  size_t i = (size_t)(t - timers);
  BENCH_UV(uv_timer_stop(t)); /* those re-armed by uv_timer_again repeat */
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
  uint64_t n = bench_count(argc, argv, 1000000);
  uint64_t live = n < 100000 ? n : 100000;
  uint64_t range = live / 400;
  uint64_t rng = UINT64_C(0xD1B54A32D192ED03);
  uint64_t next_seq = 0;
  uint64_t now;
  uint64_t to;
  uint64_t t0, t1;
  uint64_t i, j, k;
  int r;

  if (range < 2) range = 2;
  if (range > 250) range = 250;

  bench_identify();
  BENCH_UV(uv_loop_init(&loop));
  timers = bench_calloc(live, sizeof(*timers));
  due = bench_calloc(live, sizeof(*due));
  seq = bench_calloc(live, sizeof(*seq));
  fired = bench_calloc(live, sizeof(*fired));
  uv_update_time(&loop);
  now = uv_now(&loop);

  for (i = 0; i < live; i++) {
    to = 1 + bench_rand(&rng) % range;
    BENCH_UV(uv_timer_init(&loop, &timers[i]));
    BENCH_UV(uv_timer_start(&timers[i], on_timer, to, 0));
    due[i] = now + to;
    seq[i] = next_seq++;
  }

  t0 = bench_ns();
  for (j = 0; j < n; j++) {
    k = bench_rand(&rng) % live;
    r = (int)(bench_rand(&rng) % 4);
    to = 1 + bench_rand(&rng) % range;
    if (r <= 1) {
      BENCH_UV(uv_timer_start(&timers[k], on_timer, to, 0));
    } else if (r == 2) {
      BENCH_UV(uv_timer_stop(&timers[k]));
      BENCH_UV(uv_timer_start(&timers[k], on_timer, to, 0));
    } else {
      uv_timer_set_repeat(&timers[k], to);
      BENCH_UV(uv_timer_again(&timers[k]));
    }
    due[k] = now + to;
    seq[k] = next_seq++;
  }
  t1 = bench_ns();

  bench_wait_loop_time(&loop, now + range);
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(nfired == live);
  for (i = 0; i < live; i++) BENCH_CHECK(fired[i] == 1);

  fprintf(stderr,
          "live=%" PRIu64 " rearms=%" PRIu64 " range=%" PRIu64
          "ms churn=%.3fs\n",
          live, n, range, bench_seconds(t1 - t0));
  bench_result("timer_churn", "ops/s", bench_rate(n, t1 - t0));
  bench_ops("timer_churn", n);

  bench_loop_close(&loop);
  free(timers);
  free(due);
  free(seq);
  free(fired);
  return bench_finish();
}
