/* TCP ping-pong over loopback, raw: bench-tcp-pingpong.h's work straight
 * on sockets and one level-triggered epoll instance, on one thread.  The
 * connections are set up with blocking connect/accept (untimed), then made
 * non-blocking; each readable socket gets one read() into a 64 KiB buffer
 * and each message one write(). */
#ifndef EDDY_BENCH_RAW_TCP_PINGPONG_H
#define EDDY_BENCH_RAW_TCP_PINGPONG_H

#include "raw-common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG 64

struct rpp_peer {
  int fd;
  int is_client;
  unsigned char in[MSG];
  size_t have;
  uint64_t seq;
  uint64_t quota;
};

static struct rpp_peer* rpp_peers;
static uint64_t rpp_conns;
static uint64_t rpp_clients_done;
static uint64_t rpp_trips;
static uint64_t rpp_echoes;
static unsigned char rpp_readbuf[65536];

/* Writes all of msg (a short write on a socket with kilobytes of free
 * buffer does not happen here, but would be waited out, not lost). */
static void rpp_write(int fd, const unsigned char* msg, size_t len) {
  struct pollfd pfd;
  ssize_t r;
  while (len > 0) {
    r = write(fd, msg, len);
    if (r > 0) {
      msg += r;
      len -= (size_t)r;
    } else if (r < 0 && errno == EAGAIN) {
      pfd.fd = fd;
      pfd.events = POLLOUT;
      poll(&pfd, 1, -1);
    } else if (!(r < 0 && errno == EINTR)) {
      BENCH_REQUIRE(!"write failed");
    }
  }
}

static void rpp_send_seq(struct rpp_peer* p) {
  unsigned char msg[MSG];
  bench_fill_msg(msg, MSG, p->seq);
  rpp_write(p->fd, msg, MSG);
}

static void rpp_on_message(struct rpp_peer* p) {
  if (!p->is_client) {
    rpp_echoes++;
    rpp_write(p->fd, p->in, MSG);
    return;
  }
  BENCH_CHECK(bench_check_msg(p->in, MSG, p->seq));
  rpp_trips++;
  if (++p->seq < p->quota)
    rpp_send_seq(p);
  else
    rpp_clients_done++;
}

static void rpp_on_readable(struct rpp_peer* p) {
  const unsigned char* data = rpp_readbuf;
  ssize_t r = read(p->fd, rpp_readbuf, sizeof(rpp_readbuf));
  size_t left, take;

  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  BENCH_REQUIRE(r > 0); /* no connection ends early */
  left = (size_t)r;
  while (left > 0) {
    take = MSG - p->have < left ? MSG - p->have : left;
    memcpy(p->in + p->have, data, take);
    p->have += take;
    data += take;
    left -= take;
    if (p->have == MSG) {
      p->have = 0;
      rpp_on_message(p);
    }
  }
}

static void rpp_setup_fd(int ep, struct rpp_peer* p) {
  struct epoll_event ev;
  int one = 1;
  BENCH_REQUIRE(setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0);
  BENCH_REQUIRE(fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK) == 0);
  memset(&ev, 0, sizeof(ev));
  ev.events = EPOLLIN;
  ev.data.ptr = p;
  BENCH_REQUIRE(epoll_ctl(ep, EPOLL_CTL_ADD, p->fd, &ev) == 0);
}

static int rpp_main(const char* name, uint64_t conns, uint64_t n) {
  struct sockaddr_in addr;
  socklen_t len = sizeof(addr);
  struct epoll_event events[1024];
  uint64_t i, t0, t1;
  int lfd, ep, k, nev;

  rpp_conns = conns < n ? conns : n;
  BENCH_REQUIRE(bench_raise_nofile() > 2 * rpp_conns + 64);
  rpp_peers = bench_calloc(2 * rpp_conns, sizeof(*rpp_peers));
  lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  BENCH_REQUIRE(lfd >= 0);
  memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BENCH_REQUIRE(bind(lfd, (struct sockaddr*)&addr, sizeof(addr)) == 0);
  BENCH_REQUIRE(listen(lfd, 4096) == 0);
  BENCH_REQUIRE(getsockname(lfd, (struct sockaddr*)&addr, &len) == 0);
  ep = epoll_create1(EPOLL_CLOEXEC);
  BENCH_REQUIRE(ep >= 0);

  for (i = 0; i < rpp_conns; i++) {
    struct rpp_peer* c = &rpp_peers[i];
    struct rpp_peer* s = &rpp_peers[rpp_conns + i];
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    BENCH_REQUIRE(c->fd >= 0);
    BENCH_REQUIRE(connect(c->fd, (struct sockaddr*)&addr, sizeof(addr)) == 0);
    s->fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    BENCH_REQUIRE(s->fd >= 0);
    c->is_client = 1;
    c->quota = n / rpp_conns + (i < n % rpp_conns ? 1 : 0);
    rpp_setup_fd(ep, c);
    rpp_setup_fd(ep, s);
  }

  t0 = bench_ns();
  for (i = 0; i < rpp_conns; i++) {
    if (rpp_peers[i].quota == 0)
      rpp_clients_done++;
    else
      rpp_send_seq(&rpp_peers[i]);
  }
  while (rpp_clients_done < rpp_conns) {
    nev = epoll_wait(ep, events, 1024, -1);
    for (k = 0; k < nev; k++) rpp_on_readable(events[k].data.ptr);
  }
  t1 = bench_ns();

  BENCH_CHECK(rpp_trips == n);
  BENCH_CHECK(rpp_echoes == n);
  for (i = 0; i < rpp_conns; i++) {
    BENCH_CHECK(rpp_peers[i].seq == rpp_peers[i].quota);
    BENCH_CHECK(rpp_peers[i].have == 0);
  }

  fprintf(stderr, "connections=%" PRIu64 " round_trips=%" PRIu64
                  " time=%.3fs (%.0f ns each)\n",
          rpp_conns, rpp_trips, bench_seconds(t1 - t0),
          bench_per_op(t1 - t0, rpp_trips));
  bench_result(name, "trips/s", bench_rate(rpp_trips, t1 - t0));
  bench_ops(name, rpp_trips);

  for (i = 0; i < 2 * rpp_conns; i++) close(rpp_peers[i].fd);
  close(lfd);
  close(ep);
  free(rpp_peers);
  return bench_finish();
}

#endif /* EDDY_BENCH_RAW_TCP_PINGPONG_H */
