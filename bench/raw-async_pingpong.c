/* async_pingpong, raw: bench-async_pingpong.c on two eventfds and two
 * epoll instances, one per thread: each hop is a write to the peer's
 * eventfd, the peer's epoll_wait returning, and its read.
 *
 *   raw-async_pingpong [N]      N round trips (default 30000) */
#include "raw-common.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct side {
  int ep;
  int efd;
};

static struct side a;
static struct side b;
static uint64_t target;
static uint64_t pongs;
static uint64_t pings;
static int stopping;

static void side_open(struct side* s) {
  struct epoll_event ev;
  s->ep = epoll_create1(EPOLL_CLOEXEC);
  s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  BENCH_REQUIRE(s->ep >= 0 && s->efd >= 0);
  memset(&ev, 0, sizeof(ev));
  ev.events = EPOLLIN;
  ev.data.fd = s->efd;
  BENCH_REQUIRE(epoll_ctl(s->ep, EPOLL_CTL_ADD, s->efd, &ev) == 0);
}

static void side_send(struct side* s) {
  uint64_t one = 1;
  while (write(s->efd, &one, sizeof(one)) < 0 && errno == EINTR) {
  }
}

/* Waits until the side's eventfd is signalled, and consumes it. */
static void side_wait(struct side* s) {
  struct epoll_event events[1024];
  uint64_t count;
  for (;;) {
    if (epoll_wait(s->ep, events, 1024, -1) <= 0) continue;
    if (read(s->efd, &count, sizeof(count)) == sizeof(count)) return;
  }
}

static void* run_b(void* arg) {
  (void)arg;
  for (;;) {
    side_wait(&b);
    if (__atomic_load_n(&stopping, __ATOMIC_ACQUIRE)) return NULL;
    pings++;
    side_send(&a);
  }
}

int main(int argc, char** argv) {
  pthread_t thread_b;
  uint64_t t0, t1;

  target = bench_count(argc, argv, 30000);
  raw_identify();
  side_open(&a);
  side_open(&b);

  BENCH_REQUIRE(pthread_create(&thread_b, NULL, run_b, NULL) == 0);
  t0 = bench_ns();
  side_send(&b);
  while (pongs < target) {
    side_wait(&a);
    if (++pongs < target) side_send(&b);
  }
  t1 = bench_ns();
  __atomic_store_n(&stopping, 1, __ATOMIC_SEQ_CST);
  side_send(&b);
  BENCH_REQUIRE(pthread_join(thread_b, NULL) == 0);
  BENCH_CHECK(pongs == target);
  BENCH_CHECK(pings == target);

  fprintf(stderr, "round_trips=%" PRIu64 " time=%.3fs (%.0f ns each)\n", pongs,
          bench_seconds(t1 - t0), bench_per_op(t1 - t0, pongs));
  bench_result("async_pingpong", "trips/s", bench_rate(pongs, t1 - t0));
  bench_ops("async_pingpong", pongs);
  close(a.efd);
  close(a.ep);
  close(b.efd);
  close(b.ep);
  return bench_finish();
}
