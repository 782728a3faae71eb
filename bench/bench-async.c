/* async: a second thread calls uv_async_send M times as fast as it can;
 * the loop thread observes the sends.
 *
 *   bench-async [M]      M sends (default 20000000)
 *
 * Before each send the sender publishes the send's number (1..M) in a
 * shared counter; each async callback reads it.  Sends made while the
 * handle is still pending coalesce into one callback, so the loop sees
 * fewer wake-ups than sends, but it must see the last one: the callback
 * that reads M ends the run.
 *
 * Results: async_send = sends per second; async_wakeup = callbacks
 * (loop wake-ups) per second, the rate at which the loop drains them.
 * Both over the time from the sender's start to the callback seeing M.
 * Checks: the value observed only grows, the last one is M, there were
 * between 1 and M callbacks. */
#include "bench-uv.h"

#include <pthread.h>

static uv_loop_t loop;
static uv_async_t async;
static pthread_t sender;
static uint64_t total;
static uint64_t published; /* atomic: the number of the latest send */
static uint64_t observed;
static uint64_t wakeups;
static uint64_t t_end;

static void* send_all(void* arg) {
  uint64_t i;
  (void)arg;
  for (i = 1; i <= total; i++) {
    /* seq_cst: the store must be visible before the send reads the
     * pending flag, or a send skipped as coalesced could go unseen. */
    __atomic_store_n(&published, i, __ATOMIC_SEQ_CST);
    BENCH_UV(uv_async_send(&async));
  }
  return NULL;
}

static void on_async(uv_async_t* handle) {
  uint64_t v = __atomic_load_n(&published, __ATOMIC_ACQUIRE);
  BENCH_CHECK(v >= observed);
  observed = v;
  wakeups++;
  if (v != total) return;
  t_end = bench_ns();
  /* The sender may still be inside its last uv_async_send: the handle
   * must outlive it. */
  BENCH_REQUIRE(pthread_join(sender, NULL) == 0);
  uv_close((uv_handle_t*)handle, NULL);
}

int main(int argc, char** argv) {
  uint64_t t0;

  total = bench_count(argc, argv, 20000000);
  bench_identify();
  BENCH_UV(uv_loop_init(&loop));
  BENCH_UV(uv_async_init(&loop, &async, on_async));

  t0 = bench_ns();
  BENCH_REQUIRE(pthread_create(&sender, NULL, send_all, NULL) == 0);
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(observed == total);
  BENCH_CHECK(wakeups >= 1 && wakeups <= total);

  fprintf(stderr,
          "sends=%" PRIu64 " wakeups=%" PRIu64
          " (%.1f sends per wake-up) time=%.3fs\n",
          total, wakeups, wakeups ? (double)total / (double)wakeups : 0.0,
          bench_seconds(t_end - t0));
  bench_result("async_send", "sends/s", bench_rate(total, t_end - t0));
  bench_ops("async_send", total);
  bench_result("async_wakeup", "wakeups/s", bench_rate(wakeups, t_end - t0));
  bench_ops("async_wakeup", wakeups);

  bench_loop_close(&loop);
  return bench_finish();
}
