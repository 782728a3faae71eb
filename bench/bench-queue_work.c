/* queue_work: N no-op work items through uv_queue_work, WINDOW of them in
 * flight at a time (each completion submits the next), so the thread
 * pool is kept busy and the cost measured is the queue's: the hand-off
 * to a worker, the completion's way back to the loop thread, the wake-up.
 *
 *   bench-queue_work [N]      N work items (default 1500000)
 *
 * Result: queue_work = work items per second, submission to after_work.
 * Checks: every after_work callback got status 0 and found its own work
 * callback's mark (the work really ran on a worker, before it), exactly
 * N of them ran. */
#include "bench-uv.h"

#define WINDOW 256

struct item {
  uv_work_t req;
  uint64_t seq;
  uint64_t ran; /* written by the work callback: seq + 1 */
};

static uv_loop_t loop;
static struct item items[WINDOW];
static uint64_t target;
static uint64_t submitted;
static uint64_t completed;

static void on_work(uv_work_t* req) {
  struct item* it = (struct item*)req;
  it->ran = it->seq + 1;
}

static void on_after(uv_work_t* req, int status);

static void submit(struct item* it) {
  it->seq = submitted++;
  it->ran = 0;
  BENCH_UV(uv_queue_work(&loop, &it->req, on_work, on_after));
}

static void on_after(uv_work_t* req, int status) {
  struct item* it = (struct item*)req;
  BENCH_CHECK(status == 0);
  BENCH_CHECK(it->ran == it->seq + 1);
  completed++;
  if (submitted < target) submit(it);
}

int main(int argc, char** argv) {
  uint64_t t0, t1;
  size_t i;

  target = bench_count(argc, argv, 1500000);
  bench_identify();
  BENCH_UV(uv_loop_init(&loop));

  t0 = bench_ns();
  for (i = 0; i < WINDOW && submitted < target; i++) submit(&items[i]);
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  t1 = bench_ns();

  BENCH_CHECK(completed == target);
  BENCH_CHECK(submitted == target);
  fprintf(stderr, "items=%" PRIu64 " time=%.3fs (%.0f ns each)\n", completed,
          bench_seconds(t1 - t0), bench_per_op(t1 - t0, completed));
  bench_result("queue_work", "items/s", bench_rate(completed, t1 - t0));
  bench_ops("queue_work", completed);
  BENCH_CHECK(uv_loop_close(&loop) == 0);
  return bench_finish();
}
