/* timers, raw: the work of bench-timers.c on a plain array binary heap
 * (the same pseudo-random sequence, the same checks, the same counting).
 *
 *   raw-timers [N]      N timers (default 250000) */
#include "raw-common.h"

struct timer {
  struct raw_timer node; /* first: a heap node is its timer */
  void (*cb)(struct timer*);
};

static struct raw_heap heap;
static uint64_t loop_time;
static struct timer* timers;
static uint64_t* due;
static uint64_t* seq;
static unsigned char* fired;
static uint64_t nfired;
static uint64_t last_due;
static uint64_t last_seq;
static uint64_t next_seq;

static void timer_stop(struct timer* t) { raw_heap_remove(&heap, &t->node); }

static void timer_start(struct timer* t, void (*cb)(struct timer*),
                        uint64_t timeout) {
  timer_stop(t);
  t->cb = cb;
  t->node.due = loop_time + timeout;
  t->node.seq = next_seq++;
  raw_heap_insert(&heap, &t->node);
}

static void run_timers(void) {
  struct raw_timer* min;
  struct timer* t;
  while ((min = raw_heap_min(&heap)) != NULL && min->due <= loop_time) {
    t = (struct timer*)min;
    timer_stop(t);
    t->cb(t);
  }
}

static void on_timer(struct timer* t) {
  size_t i = (size_t)(t - timers);
  BENCH_CHECK(due[i] != UINT64_MAX);
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
  uint64_t n = bench_count(argc, argv, 250000);
  uint64_t range = n / 2000;
  uint64_t churn = n / 2;
  uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);
  uint64_t ops = 0;
  uint64_t active = 0;
  uint64_t now;
  uint64_t to;
  uint64_t t0, t1, t2, t3;
  uint64_t i, j, k;
  int r;

  if (range < 2) range = 2;
  if (range > 250) range = 250;

  raw_identify();
  timers = bench_calloc(n, sizeof(*timers));
  due = bench_calloc(n, sizeof(*due));
  seq = bench_calloc(n, sizeof(*seq));
  fired = bench_calloc(n, sizeof(*fired));
  heap.a = bench_calloc(n, sizeof(*heap.a));
  loop_time = raw_loop_ms();

  t0 = bench_ns();
  now = loop_time;
  for (i = 0; i < n; i++) timers[i].node.slot = SIZE_MAX;
  for (i = 0; i < n; i++) {
    to = bench_rand(&rng) % range;
    seq[i] = next_seq;
    timer_start(&timers[i], on_timer, to);
    due[i] = now + to;
    ops++;
  }
  for (j = 0; j < churn; j++) {
    k = bench_rand(&rng) % n;
    r = (int)(bench_rand(&rng) % 8);
    to = bench_rand(&rng) % range;
    if (r == 0) {
      timer_stop(&timers[k]);
      due[k] = UINT64_MAX;
      ops++;
      continue;
    }
    if (r < 4) {
      timer_stop(&timers[k]);
      ops++;
    }
    seq[k] = next_seq;
    timer_start(&timers[k], on_timer, to);
    due[k] = now + to;
    ops++;
  }
  t1 = bench_ns();

  while (raw_loop_ms() < now + range) bench_sleep_ms(1);

  t2 = bench_ns();
  loop_time = raw_loop_ms();
  run_timers();
  t3 = bench_ns();
  BENCH_CHECK(heap.n == 0);

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

  free(heap.a);
  free(timers);
  free(due);
  free(seq);
  free(fired);
  return bench_finish();
}
