/* udp_pummel, raw: bench-udp_pummel.c on two UDP sockets and a
 * level-triggered epoll instance, on one thread, batched as far as the
 * system calls allow: recvmmsg() takes up to 64 datagrams at a time (until
 * a batch comes back short), and one sendmmsg() sends as many new
 * datagrams as the batch received (the same window of 64).
 *
 *   raw-udp_pummel [N]      N datagrams (default 200000) */
#include "raw-common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG 64
#define WINDOW 64

static int tx, rx;
static struct sockaddr_in rx_addr, tx_addr;
static uint64_t sent;

/* Sends the next n datagrams with one sendmmsg() (n <= WINDOW). */
static void send_next(unsigned n) {
  static unsigned char msgs[WINDOW][MSG];
  struct mmsghdr hdrs[WINDOW];
  struct iovec iov[WINDOW];
  unsigned i, done = 0;
  int r;

  memset(hdrs, 0, sizeof(hdrs[0]) * n);
  for (i = 0; i < n; i++) {
    bench_fill_msg(msgs[i], MSG, sent + i);
    iov[i].iov_base = msgs[i];
    iov[i].iov_len = MSG;
    hdrs[i].msg_hdr.msg_name = &rx_addr;
    hdrs[i].msg_hdr.msg_namelen = sizeof(rx_addr);
    hdrs[i].msg_hdr.msg_iov = &iov[i];
    hdrs[i].msg_hdr.msg_iovlen = 1;
  }
  while (done < n) {
    r = sendmmsg(tx, hdrs + done, n - done, 0);
    BENCH_REQUIRE(r > 0);
    done += (unsigned)r;
  }
  sent += n;
}

static int open_udp(struct sockaddr_in* addr) {
  socklen_t len = sizeof(*addr);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  BENCH_REQUIRE(fd >= 0);
  memset(addr, 0, sizeof(*addr));
  addr->sin_family = AF_INET;
  addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BENCH_REQUIRE(bind(fd, (struct sockaddr*)addr, sizeof(*addr)) == 0);
  BENCH_REQUIRE(getsockname(fd, (struct sockaddr*)addr, &len) == 0);
  return fd;
}

int main(int argc, char** argv) {
  static unsigned char in[WINDOW][MSG + 1];
  static struct sockaddr_in from[WINDOW];
  struct mmsghdr hdrs[WINDOW];
  struct iovec iov[WINDOW];
  struct epoll_event ev, events[16];
  uint64_t target, received = 0, more, t0, t1;
  int ep, r, i;

  target = bench_count(argc, argv, 200000);
  raw_identify();
  rx = open_udp(&rx_addr);
  tx = open_udp(&tx_addr);
  ep = epoll_create1(EPOLL_CLOEXEC);
  BENCH_REQUIRE(ep >= 0);
  memset(&ev, 0, sizeof(ev));
  ev.events = EPOLLIN;
  ev.data.fd = rx;
  BENCH_REQUIRE(epoll_ctl(ep, EPOLL_CTL_ADD, rx, &ev) == 0);

  t0 = bench_ns();
  send_next((unsigned)(target < WINDOW ? target : WINDOW));
  while (received < target) {
    if (epoll_wait(ep, events, 16, -1) <= 0) continue;
    do {
      memset(hdrs, 0, sizeof(hdrs));
      for (i = 0; i < WINDOW; i++) {
        /* One byte more than a message: a longer datagram would show. */
        iov[i].iov_base = in[i];
        iov[i].iov_len = MSG + 1;
        hdrs[i].msg_hdr.msg_name = &from[i];
        hdrs[i].msg_hdr.msg_namelen = sizeof(from[i]);
        hdrs[i].msg_hdr.msg_iov = &iov[i];
        hdrs[i].msg_hdr.msg_iovlen = 1;
      }
      r = recvmmsg(rx, hdrs, WINDOW, MSG_DONTWAIT, NULL);
      if (r < 0) {
        BENCH_REQUIRE(errno == EAGAIN || errno == EINTR);
        break;
      }
      for (i = 0; i < r; i++) {
        BENCH_CHECK(hdrs[i].msg_len == MSG);
        BENCH_CHECK(from[i].sin_port == tx_addr.sin_port);
        BENCH_CHECK(bench_check_msg(in[i], MSG, received));
        received++;
      }
      more = target - sent < (uint64_t)r ? target - sent : (uint64_t)r;
      if (more > 0) send_next((unsigned)more);
    } while (r == WINDOW);
  }
  t1 = bench_ns();

  BENCH_CHECK(received == target);
  BENCH_CHECK(sent == target);
  fprintf(stderr, "datagrams=%" PRIu64 " time=%.3fs (%.0f ns each)\n",
          received, bench_seconds(t1 - t0), bench_per_op(t1 - t0, received));
  bench_result("udp_pummel", "dgram/s", bench_rate(received, t1 - t0));
  bench_ops("udp_pummel", received);
  close(tx);
  close(rx);
  close(ep);
  return bench_finish();
}
