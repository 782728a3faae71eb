/* udp_pummel: one UDP socket sends N datagrams of 64 bytes to another over
 * loopback, both on one loop.  The sender keeps WINDOW datagrams ahead of
 * the receiver (it sends one more for each one received), so the
 * receiver's socket buffer never overflows: loopback UDP then loses
 * nothing and keeps the order, and every datagram can be checked.
 *
 *   bench-udp_pummel [N]      N datagrams (default 200000)
 *
 * Result: udp_pummel = datagrams received per second.
 * Checks: the receiver got exactly N datagrams of 64 bytes, from the
 * sender's address, numbered 0..N-1 in order with the pattern intact;
 * every send completed with status 0. */
#include "bench-uv.h"

#define MSG 64
#define WINDOW 64

struct send_req {
  uv_udp_send_t req;
  unsigned char buf[MSG];
  struct send_req* next;
};

static uv_loop_t loop;
static uv_udp_t tx;
static uv_udp_t rx;
static struct sockaddr_storage rx_addr;
static struct sockaddr_storage tx_addr;
static struct send_req* free_reqs;
static unsigned char in[65536];
static uint64_t target;
static uint64_t sent;
static uint64_t send_done;
static uint64_t received;
static uint64_t t0, t1;

static void on_send(uv_udp_send_t* req, int status) {
  struct send_req* s = (struct send_req*)req;
  BENCH_CHECK(status == 0);
  send_done++;
  s->next = free_reqs;
  free_reqs = s;
}

static void send_next(void) {
  struct send_req* s = free_reqs;
  uv_buf_t buf;
  if (s != NULL)
    free_reqs = s->next;
  else
    s = bench_calloc(1, sizeof(*s));
  bench_fill_msg(s->buf, MSG, sent++);
  buf = uv_buf_init((char*)s->buf, MSG);
  BENCH_UV(uv_udp_send(&s->req, &tx, &buf, 1, (const struct sockaddr*)&rx_addr,
                       on_send));
}

static void on_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  (void)h;
  (void)suggested;
  *buf = uv_buf_init((char*)in, sizeof(in));
}

static void on_recv(uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
                    const struct sockaddr* addr, unsigned flags) {
  (void)h;
  if (nread == 0 && addr == NULL) return; /* nothing more for now */
  BENCH_REQUIRE(nread >= 0);
  BENCH_CHECK(flags == 0);
  BENCH_CHECK(nread == MSG);
  BENCH_CHECK(addr != NULL && memcmp(&((const struct sockaddr_in*)addr)->sin_port,
                                     &((struct sockaddr_in*)&tx_addr)->sin_port,
                                     sizeof(in_port_t)) == 0);
  BENCH_CHECK(bench_check_msg((const unsigned char*)buf->base, MSG, received));
  received++;
  if (sent < target) send_next();
  if (received == target) {
    t1 = bench_ns();
    uv_close((uv_handle_t*)&rx, NULL);
    uv_close((uv_handle_t*)&tx, NULL);
  }
}

int main(int argc, char** argv) {
  struct sockaddr_in addr;
  struct send_req* s;
  int len;

  target = bench_count(argc, argv, 200000);
  bench_identify();
  BENCH_UV(uv_loop_init(&loop));
  BENCH_UV(uv_ip4_addr("127.0.0.1", 0, &addr));
  BENCH_UV(uv_udp_init(&loop, &rx));
  BENCH_UV(uv_udp_bind(&rx, (const struct sockaddr*)&addr, 0));
  len = (int)sizeof(rx_addr);
  BENCH_UV(uv_udp_getsockname(&rx, (struct sockaddr*)&rx_addr, &len));
  BENCH_UV(uv_udp_init(&loop, &tx));
  BENCH_UV(uv_udp_bind(&tx, (const struct sockaddr*)&addr, 0));
  len = (int)sizeof(tx_addr);
  BENCH_UV(uv_udp_getsockname(&tx, (struct sockaddr*)&tx_addr, &len));
  BENCH_UV(uv_udp_recv_start(&rx, on_alloc, on_recv));

  t0 = bench_ns();
  while (sent < target && sent < WINDOW) send_next();
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);

  BENCH_CHECK(received == target);
  BENCH_CHECK(sent == target);
  BENCH_CHECK(send_done == target);

  fprintf(stderr, "datagrams=%" PRIu64 " time=%.3fs (%.0f ns each)\n",
          received, bench_seconds(t1 - t0), bench_per_op(t1 - t0, received));
  bench_result("udp_pummel", "dgram/s", bench_rate(received, t1 - t0));
  bench_ops("udp_pummel", received);

  BENCH_CHECK(uv_loop_close(&loop) == 0);
  while ((s = free_reqs) != NULL) {
    free_reqs = s->next;
    free(s);
  }
  return bench_finish();
}
