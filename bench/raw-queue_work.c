/* queue_work, raw: bench-queue_work.c on raw-pool.h: 4 pthreads, a mutex
 * and condition variable queue, completion through an eventfd and epoll.
 *
 *   raw-queue_work [N]      N work items (default 1500000) */
#include "raw-pool.h"

#define WINDOW 256

struct item {
  struct raw_work w; /* first: the pool hands back this pointer */
  uint64_t seq;
  uint64_t ran;
};

static void on_work(struct raw_work* w) {
  struct item* it = (struct item*)w;
  it->ran = it->seq + 1;
}

int main(int argc, char** argv) {
  static struct item items[WINDOW];
  struct raw_pool pool;
  struct raw_work *done, *next;
  uint64_t target, submitted = 0, completed = 0, t0, t1;
  size_t i;

  target = bench_count(argc, argv, 1500000);
  raw_identify();
  raw_pool_init(&pool);

  t0 = bench_ns();
  for (i = 0; i < WINDOW && submitted < target; i++) {
    items[i].w.work = on_work;
    items[i].seq = submitted++;
    raw_pool_submit(&pool, &items[i].w);
  }
  while (completed < target) {
    for (done = raw_pool_wait(&pool); done != NULL; done = next) {
      struct item* it = (struct item*)done;
      next = done->next;
      BENCH_CHECK(it->ran == it->seq + 1);
      completed++;
      if (submitted < target) {
        it->seq = submitted++;
        it->ran = 0;
        raw_pool_submit(&pool, &it->w);
      }
    }
  }
  t1 = bench_ns();
  raw_pool_destroy(&pool);

  BENCH_CHECK(completed == target);
  fprintf(stderr, "items=%" PRIu64 " time=%.3fs (%.0f ns each)\n", completed,
          bench_seconds(t1 - t0), bench_per_op(t1 - t0, completed));
  bench_result("queue_work", "items/s", bench_rate(completed, t1 - t0));
  bench_ops("queue_work", completed);
  return bench_finish();
}
