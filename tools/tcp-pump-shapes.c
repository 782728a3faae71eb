/* tcp-pump-shapes: how the loopback's throughput depends on the shape of a
 * same-thread writer and reader, without any event loop.
 *
 *   cc -O2 -o /tmp/shapes tools/tcp-pump-shapes.c
 *   /tmp/shapes W R [inq]
 *
 * One loopback TCP connection, both ends non-blocking on one thread,
 * 512 MiB in rounds: each round writes W chunks of 64 KiB (stopping at a
 * short write), then makes up to R reads into a 64 KiB buffer (stopping
 * at EAGAIN).  R = W reads what was written without the read that finds
 * the socket empty; R > W drains it, as a loop reading until EAGAIN does.
 * With "inq" the reads are recvmsg calls with TCP_INQ and stop as soon as
 * the kernel says the queue is empty, so draining costs no EAGAIN read.
 *
 * Prints MB/s, the reads made, and the average number of bytes left in
 * the receive queue after a round.  docs/performance.md (tcp_pump) has
 * what it measured on the benchmark machine. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define TOTAL (8192L * CHUNK)

static unsigned char out[CHUNK];
static unsigned char in[CHUNK];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const char* what) {
  perror(what);
  exit(1);
}

/* One read; *more is 0 when the kernel says nothing is left (inq mode). */
static ssize_t read_one(int fd, int inq, int* more) {
  char ctl[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {in, CHUNK};
  struct msghdr msg;
  struct cmsghdr* c;
  ssize_t r;
  int left;

  *more = 1;
  if (!inq) return read(fd, in, CHUNK);
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = ctl;
  msg.msg_controllen = sizeof(ctl);
  r = recvmsg(fd, &msg, 0);
  for (c = CMSG_FIRSTHDR(&msg); r > 0 && c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_TCP || c->cmsg_type != TCP_CM_INQ) continue;
    memcpy(&left, CMSG_DATA(c), sizeof(left));
    *more = left != 0;
  }
  return r;
}

int main(int argc, char** argv) {
  struct sockaddr_in a;
  socklen_t len = sizeof(a);
  long sent = 0, got = 0, reads = 0, rounds = 0, queued = 0;
  int lfd, wfd, rfd, w, r, inq, one = 1, i, more, q;
  double t0, t;

  if (argc < 3) {
    fprintf(stderr, "usage: %s W R [inq]\n", argv[0]);
    return 2;
  }
  w = atoi(argv[1]);
  r = atoi(argv[2]);
  inq = argc > 3 && strcmp(argv[3], "inq") == 0;
  if (w < 1 || r < 1) return 2;

  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0) die("socket");
  if (bind(lfd, (struct sockaddr*)&a, sizeof(a)) || listen(lfd, 1) ||
      getsockname(lfd, (struct sockaddr*)&a, &len))
    die("listen");
  if ((wfd = socket(AF_INET, SOCK_STREAM, 0)) < 0) die("socket");
  if (connect(wfd, (struct sockaddr*)&a, sizeof(a))) die("connect");
  if ((rfd = accept(lfd, NULL, NULL)) < 0) die("accept");
  if (fcntl(wfd, F_SETFL, O_NONBLOCK) || fcntl(rfd, F_SETFL, O_NONBLOCK))
    die("fcntl");
  if (inq && setsockopt(rfd, SOL_TCP, TCP_INQ, &one, sizeof(one)))
    die("TCP_INQ");
  memset(out, 7, sizeof(out));

  t0 = now();
  while (got < TOTAL) {
    rounds++;
    for (i = 0; i < w && sent < TOTAL; i++) {
      long off = sent % CHUNK;
      ssize_t n = write(wfd, out + off, (size_t)(CHUNK - off));
      if (n < 0 && errno != EAGAIN) die("write");
      if (n < 0) break;
      sent += n;
      if (n < CHUNK - off) break;
    }
    for (i = 0; i < r; i++) {
      ssize_t n = read_one(rfd, inq, &more);
      if (n < 0 && errno != EAGAIN) die("read");
      if (n <= 0) break;
      got += n;
      reads++;
      if (!more) break;
    }
    q = 0;
    if (ioctl(rfd, SIOCINQ, &q) == 0) queued += q;
  }
  t = now() - t0;
  printf("W=%d R=%d%s MB/s=%.0f reads=%ld rounds=%ld left_after_round=%ld\n",
         w, r, inq ? " inq" : "", (double)TOTAL / t / 1e6, reads, rounds,
         queued / rounds);
  return 0;
}
