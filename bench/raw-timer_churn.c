/* timer_churn, raw: bench-timer_churn.c's re-arms on a plain array binary
 * heap (same sequence, same checks).  The three ways of re-arming collapse
 * into one here: remove, then insert.
 *
 *   raw-timer_churn [N]   N re-arms (default 1000000) */
#include "raw-common.h"

static struct raw_heap heap;
static uint64_t loop_time;
static struct raw_timer* timers;
static uint64_t* due;
static uint64_t* seq;
static unsigned char* fired;
static uint64_t nfired;
static uint64_t last_due;
static uint64_t last_seq;
static uint64_t next_seq;

static void rearm(struct raw_timer* t, uint64_t timeout) {
  raw_heap_remove(&heap, t);
  t->due = loop_time + timeout;
  t->seq = next_seq++;
  raw_heap_insert(&heap, t);
}

static void on_timer(struct raw_timer* t) {
  size_t i = (size_t)(t - timers);
  BENCH_CHECK(fired[i] == 0);
  BENCH_CHECK(loop_time >= due[i]);
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
  uint64_t now;
  uint64_t to;
  uint64_t t0, t1;
  uint64_t i, j, k;
  struct raw_timer* min;

  if (range < 2) range = 2;
  if (range > 250) range = 250;

  raw_identify();
  timers = bench_calloc(live, sizeof(*timers));
  due = bench_calloc(live, sizeof(*due));
  seq = bench_calloc(live, sizeof(*seq));
  fired = bench_calloc(live, sizeof(*fired));
  heap.a = bench_calloc(live, sizeof(*heap.a));
  loop_time = raw_loop_ms();
  now = loop_time;

  for (i = 0; i < live; i++) {
    to = 1 + bench_rand(&rng) % range;
    timers[i].slot = SIZE_MAX;
    seq[i] = next_seq;
    rearm(&timers[i], to);
    due[i] = now + to;
  }

  t0 = bench_ns();
  for (j = 0; j < n; j++) {
    k = bench_rand(&rng) % live;
    (void)bench_rand(&rng); /* the way of re-arming, in bench-timer_churn */
    to = 1 + bench_rand(&rng) % range;
    seq[k] = next_seq;
    rearm(&timers[k], to);
    due[k] = now + to;
  }
  t1 = bench_ns();

  while (raw_loop_ms() < now + range) bench_sleep_ms(1);
  loop_time = raw_loop_ms();
  while ((min = raw_heap_min(&heap)) != NULL && min->due <= loop_time) {
    raw_heap_remove(&heap, min);
    on_timer(min);
  }
  BENCH_CHECK(heap.n == 0);
  BENCH_CHECK(nfired == live);
  for (i = 0; i < live; i++) BENCH_CHECK(fired[i] == 1);

  fprintf(stderr,
          "live=%" PRIu64 " rearms=%" PRIu64 " range=%" PRIu64
          "ms churn=%.3fs\n",
          live, n, range, bench_seconds(t1 - t0));
  bench_result("timer_churn", "ops/s", bench_rate(n, t1 - t0));
  bench_ops("timer_churn", n);

  free(heap.a);
  free(timers);
  free(due);
  free(seq);
  free(fired);
  return bench_finish();
}
