/* tcp_pump, raw: bench-tcp_pump.c on one socket pair and a level-triggered
 * epoll instance, on one thread.  The sender writes 64 KiB at a time
 * (continuing a short write where it stopped) until the socket is full,
 * then waits for EPOLLOUT; the receiver reads into a 64 KiB buffer until
 * a read comes back short.
 *
 *   raw-tcp_pump [N]      N writes of 64 KiB (default 8192: 512 MiB) */
#include "raw-common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK 65536

static unsigned char out[CHUNK];
static unsigned char in[CHUNK];

int main(int argc, char** argv) {
  struct sockaddr_in addr;
  socklen_t len = sizeof(addr);
  struct epoll_event ev, events[16];
  uint64_t target, total, sent = 0, received = 0, reads = 0, t0, t1;
  int lfd, cfd, sfd, ep, k, nev, sending = 1, eof_seen = 0;
  ssize_t r;

  target = bench_count(argc, argv, 8192);
  raw_identify();
  total = target * CHUNK;
  for (k = 0; k < CHUNK; k++) out[k] = bench_pattern(0, (size_t)k);

  lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  BENCH_REQUIRE(lfd >= 0);
  memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BENCH_REQUIRE(bind(lfd, (struct sockaddr*)&addr, sizeof(addr)) == 0);
  BENCH_REQUIRE(listen(lfd, 16) == 0);
  BENCH_REQUIRE(getsockname(lfd, (struct sockaddr*)&addr, &len) == 0);
  cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  BENCH_REQUIRE(cfd >= 0);
  BENCH_REQUIRE(connect(cfd, (struct sockaddr*)&addr, sizeof(addr)) == 0);
  sfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  BENCH_REQUIRE(sfd >= 0);
  BENCH_REQUIRE(fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) | O_NONBLOCK) == 0);
  ep = epoll_create1(EPOLL_CLOEXEC);
  BENCH_REQUIRE(ep >= 0);
  memset(&ev, 0, sizeof(ev));
  ev.events = EPOLLOUT;
  ev.data.fd = cfd;
  BENCH_REQUIRE(epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &ev) == 0);
  ev.events = EPOLLIN;
  ev.data.fd = sfd;
  BENCH_REQUIRE(epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) == 0);

  t0 = bench_ns();
  t1 = t0;
  while (!eof_seen) {
    nev = epoll_wait(ep, events, 16, -1);
    for (k = 0; k < nev; k++) {
      if (events[k].data.fd == cfd) {
        while (sent < total) {
          size_t off = (size_t)(sent % CHUNK);
          r = write(cfd, out + off, CHUNK - off);
          if (r < 0) {
            BENCH_REQUIRE(errno == EAGAIN || errno == EINTR);
            break;
          }
          sent += (uint64_t)r;
          if ((size_t)r < CHUNK - off) break; /* full: wait for EPOLLOUT */
        }
        if (sent == total && sending) {
          sending = 0;
          BENCH_REQUIRE(epoll_ctl(ep, EPOLL_CTL_DEL, cfd, NULL) == 0);
          BENCH_REQUIRE(shutdown(cfd, SHUT_WR) == 0);
        }
        continue;
      }
      for (;;) {
        r = read(sfd, in, CHUNK);
        if (r < 0) {
          BENCH_REQUIRE(errno == EAGAIN || errno == EINTR);
          break;
        }
        if (r == 0) {
          eof_seen = 1;
          break;
        }
        reads++;
        BENCH_CHECK(in[0] == bench_pattern(0, (size_t)(received % CHUNK)));
        BENCH_CHECK(in[r - 1] ==
                    bench_pattern(0, (size_t)((received + (uint64_t)r - 1) % CHUNK)));
        received += (uint64_t)r;
        if (received == total) t1 = bench_ns();
        if (r < CHUNK) break;
      }
    }
  }

  BENCH_CHECK(received == total);
  BENCH_CHECK(sent == total);
  fprintf(stderr, "bytes=%" PRIu64 " reads=%" PRIu64 " (%.0f bytes each) time=%.3fs\n",
          received, reads, reads ? (double)received / (double)reads : 0.0,
          bench_seconds(t1 - t0));
  bench_result("tcp_pump", "MB/s", bench_rate(received, t1 - t0) / 1e6);
  bench_ops("tcp_pump", target);
  close(cfd);
  close(sfd);
  close(lfd);
  close(ep);
  return bench_finish();
}
