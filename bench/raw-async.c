/* async, raw: bench-async.c on an eventfd and epoll directly, with the
 * same coalescing protocol a loop needs (a pending flag set by an atomic
 * exchange; only the sender that sets it writes the eventfd; the loop
 * clears it after reading the eventfd and before looking at the value).
 *
 *   raw-async [M]      M sends (default 20000000) */
#include "raw-common.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int efd;
static int pending; /* atomic */
static uint64_t total;
static uint64_t published;
static uint64_t observed;
static uint64_t wakeups;

static void send_one(void) {
  uint64_t one = 1;
  if (__atomic_load_n(&pending, __ATOMIC_ACQUIRE) != 0) return;
  if (__atomic_exchange_n(&pending, 1, __ATOMIC_SEQ_CST) != 0) return;
  while (write(efd, &one, sizeof(one)) < 0 && errno == EINTR) {
  }
}

static void* send_all(void* arg) {
  uint64_t i;
  (void)arg;
  for (i = 1; i <= total; i++) {
    /* seq_cst: the store must be visible before the send reads the
     * pending flag, or a send skipped as coalesced could go unseen. */
    __atomic_store_n(&published, i, __ATOMIC_SEQ_CST);
    send_one();
  }
  return NULL;
}

int main(int argc, char** argv) {
  struct epoll_event ev;
  struct epoll_event events[1024];
  pthread_t sender;
  uint64_t count;
  uint64_t v;
  uint64_t t0, t1;
  int ep;
  int n;

  total = bench_count(argc, argv, 20000000);
  raw_identify();
  ep = epoll_create1(EPOLL_CLOEXEC);
  efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  BENCH_REQUIRE(ep >= 0 && efd >= 0);
  memset(&ev, 0, sizeof(ev));
  ev.events = EPOLLIN;
  ev.data.fd = efd;
  BENCH_REQUIRE(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0);

  t0 = bench_ns();
  BENCH_REQUIRE(pthread_create(&sender, NULL, send_all, NULL) == 0);
  for (;;) {
    n = epoll_wait(ep, events, 1024, -1);
    if (n <= 0) continue;
    while (read(efd, &count, sizeof(count)) < 0 && errno == EINTR) {
    }
    __atomic_store_n(&pending, 0, __ATOMIC_SEQ_CST);
    v = __atomic_load_n(&published, __ATOMIC_ACQUIRE);
    BENCH_CHECK(v >= observed);
    observed = v;
    wakeups++;
    if (v == total) break;
  }
  t1 = bench_ns();
  BENCH_REQUIRE(pthread_join(sender, NULL) == 0);
  BENCH_CHECK(observed == total);
  BENCH_CHECK(wakeups >= 1 && wakeups <= total);

  fprintf(stderr,
          "sends=%" PRIu64 " wakeups=%" PRIu64
          " (%.1f sends per wake-up) time=%.3fs\n",
          total, wakeups, wakeups ? (double)total / (double)wakeups : 0.0,
          bench_seconds(t1 - t0));
  bench_result("async_send", "sends/s", bench_rate(total, t1 - t0));
  bench_ops("async_send", total);
  bench_result("async_wakeup", "wakeups/s", bench_rate(wakeups, t1 - t0));
  bench_ops("async_wakeup", wakeups);
  close(efd);
  close(ep);
  return bench_finish();
}
