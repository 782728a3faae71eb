/* handles: init + start + close churn: handles come and go (a timer per
 * request, a short-lived idle handle, ...), each paying for its place in
 * the loop's handle queue, its phase list or heap, and the close phase.
 *
 *   bench-handles [N]      N handles (default 10000000), in batches of 1000
 *
 * Each batch inits and starts 1000 handles, cycling through the kinds
 * timer (started with a long timeout), idle, prepare, check and async
 * (which needs no start), closes them all and runs the loop once
 * (UV_RUN_DEFAULT: until the close callbacks ran).
 *
 * Result: handles = handles per second through init, start, close and
 * close callback.
 * Checks: every close callback ran exactly once, each batch's uv_run left
 * the loop dead (returned 0). */
#include "bench-uv.h"

#define BATCH 1000

union any_handle {
  uv_handle_t handle;
  uv_timer_t timer;
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_async_t async;
};

static uv_loop_t loop;
static union any_handle handles[BATCH];
static unsigned char closed[BATCH];
static uint64_t closes;

static void on_timer(uv_timer_t* h) {
  (void)h;
  BENCH_CHECK(0);
}
static void on_idle(uv_idle_t* h) { (void)h; }
static void on_prepare(uv_prepare_t* h) { (void)h; }
static void on_check(uv_check_t* h) { (void)h; }
static void on_async(uv_async_t* h) {
  (void)h;
  BENCH_CHECK(0);
}

static void on_close(uv_handle_t* h) {
  size_t i = (size_t)((union any_handle*)h - handles);
  BENCH_CHECK(closed[i] == 0);
  closed[i] = 1;
  closes++;
}

int main(int argc, char** argv) {
  uint64_t n = bench_count(argc, argv, 10000000);
  uint64_t done = 0;
  uint64_t t0, t1;
  size_t i, batch;

  bench_identify();
  BENCH_UV(uv_loop_init(&loop));

  t0 = bench_ns();
  while (done < n) {
    batch = n - done < BATCH ? (size_t)(n - done) : BATCH;
    for (i = 0; i < batch; i++) {
      union any_handle* h = &handles[i];
      closed[i] = 0;
      switch ((done + i) % 5) {
        case 0:
          BENCH_UV(uv_timer_init(&loop, &h->timer));
          BENCH_UV(uv_timer_start(&h->timer, on_timer, 3600000, 0));
          break;
        case 1:
          BENCH_UV(uv_idle_init(&loop, &h->idle));
          BENCH_UV(uv_idle_start(&h->idle, on_idle));
          break;
        case 2:
          BENCH_UV(uv_prepare_init(&loop, &h->prepare));
          BENCH_UV(uv_prepare_start(&h->prepare, on_prepare));
          break;
        case 3:
          BENCH_UV(uv_check_init(&loop, &h->check));
          BENCH_UV(uv_check_start(&h->check, on_check));
          break;
        default:
          BENCH_UV(uv_async_init(&loop, &h->async, on_async));
          break;
      }
    }
    for (i = 0; i < batch; i++) uv_close(&handles[i].handle, on_close);
    BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
    for (i = 0; i < batch; i++) BENCH_CHECK(closed[i] == 1);
    done += batch;
  }
  t1 = bench_ns();
  BENCH_CHECK(closes == n);

  fprintf(stderr, "handles=%" PRIu64 " time=%.3fs\n", closes,
          bench_seconds(t1 - t0));
  bench_result("handles", "handles/s", bench_rate(closes, t1 - t0));
  bench_ops("handles", closes);

  BENCH_CHECK(uv_loop_close(&loop) == 0);
  return bench_finish();
}
