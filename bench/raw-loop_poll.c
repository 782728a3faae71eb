/* loop_poll, raw: bench-loop_poll.c's turn at its physical limit: read
 * the loop clock, run the idle list, one epoll_wait with a zero timeout on
 * an epoll instance holding one eventfd.
 *
 *   raw-loop_poll [N]      N iterations (default 400000) */
#include "raw-common.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static struct raw_watcher idle_list;
static struct raw_watcher idle;
static uint64_t iterations;
static uint64_t target;
static volatile uint64_t loop_time;

static void on_idle(struct raw_watcher* w) {
  if (++iterations == target) raw_list_remove(w);
}

int main(int argc, char** argv) {
  struct epoll_event ev;
  struct epoll_event events[1024];
  uint64_t events_seen = 0;
  uint64_t t0, t1;
  int ep;
  int efd;
  int n;

  target = bench_count(argc, argv, 400000);
  raw_identify();
  ep = epoll_create1(EPOLL_CLOEXEC);
  efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  BENCH_REQUIRE(ep >= 0 && efd >= 0);
  memset(&ev, 0, sizeof(ev));
  ev.events = EPOLLIN;
  ev.data.fd = efd;
  BENCH_REQUIRE(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0);
  raw_list_init(&idle_list);
  idle.cb = on_idle;
  raw_list_insert_head(&idle_list, &idle);

  t0 = bench_ns();
  while (idle_list.next != &idle_list) {
    loop_time = raw_loop_ms();
    raw_list_run(&idle_list);
    n = epoll_wait(ep, events, 1024, 0);
    if (n > 0) events_seen += (uint64_t)n;
  }
  t1 = bench_ns();
  BENCH_CHECK(iterations == target);
  BENCH_CHECK(events_seen == 0);

  fprintf(stderr, "iterations=%" PRIu64 " time=%.3fs\n", iterations,
          bench_seconds(t1 - t0));
  bench_result("loop_poll", "iter/s", bench_rate(iterations, t1 - t0));
  bench_ops("loop_poll", iterations);
  close(efd);
  close(ep);
  return bench_finish();
}
