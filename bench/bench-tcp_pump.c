/* tcp_pump: one loopback TCP connection streams N writes of 64 KiB, both
 * ends on one loop.  The sending end keeps 4 uv_write requests queued (a
 * new one as each completes), as a program streaming a file does; the
 * receiving end reads into a 64 KiB buffer.
 *
 *   bench-tcp_pump [N]      N writes of 64 KiB (default 8192: 512 MiB)
 *
 * The stream is a pattern with a period of 64 KiB (every write sends the
 * same buffer): byte o of the stream is bench_pattern(0, o mod 65536).
 * Result: tcp_pump = MB/s (10^6 bytes) received, from the first write to
 * the last byte read.
 * Checks: the receiver got exactly N * 64 KiB, the first and last byte of
 * every read match the pattern at their stream offset, every write
 * completed with status 0, then the receiver saw the end of the stream
 * after the sender's shutdown. */
#include "bench-uv.h"

#define CHUNK 65536
#define IN_FLIGHT 4

static uv_loop_t loop;
static uv_tcp_t server;
static uv_tcp_t sender;   /* the client end */
static uv_tcp_t receiver; /* the accepted end */
static uv_connect_t connect_req;
static uv_shutdown_t shutdown_req;
static uv_write_t writes[IN_FLIGHT];
static unsigned char out[CHUNK];
static unsigned char in[CHUNK];
static uint64_t target;    /* writes */
static uint64_t issued;    /* writes issued */
static uint64_t completed; /* write callbacks */
static uint64_t received;  /* bytes */
static uint64_t reads;
static int connected, accepted, eof_seen;

static uint64_t t0, t1;

static void on_write(uv_write_t* req, int status);

static void issue(uv_write_t* req) {
  uv_buf_t buf = uv_buf_init((char*)out, CHUNK);
  issued++;
  BENCH_UV(uv_write(req, (uv_stream_t*)&sender, &buf, 1, on_write));
}

/* The sender closes once its shutdown is done, the receiver once it saw
 * the end of the stream: either may come first. */
static void on_shutdown(uv_shutdown_t* req, int status) {
  (void)req;
  BENCH_CHECK(status == 0);
  uv_close((uv_handle_t*)&sender, NULL);
}

static void on_write(uv_write_t* req, int status) {
  BENCH_CHECK(status == 0);
  completed++;
  if (issued < target)
    issue(req);
  else if (completed == target)
    BENCH_UV(uv_shutdown(&shutdown_req, (uv_stream_t*)&sender, on_shutdown));
}

static void on_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  (void)h;
  (void)suggested;
  *buf = uv_buf_init((char*)in, CHUNK);
}

static void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  const unsigned char* data = (const unsigned char*)buf->base;
  uint64_t last;

  if (nread == UV_EOF) {
    eof_seen = 1;
    uv_close((uv_handle_t*)s, NULL);
    uv_close((uv_handle_t*)&server, NULL);
    return;
  }
  BENCH_REQUIRE(nread >= 0);
  if (nread == 0) return;
  reads++;
  last = received + (uint64_t)nread - 1;
  BENCH_CHECK(data[0] == bench_pattern(0, (size_t)(received % CHUNK)));
  BENCH_CHECK(data[nread - 1] == bench_pattern(0, (size_t)(last % CHUNK)));
  received += (uint64_t)nread;
  if (received == target * CHUNK) t1 = bench_ns();
}

static void maybe_start(void) {
  size_t i;
  if (!connected || !accepted) return;
  t0 = bench_ns();
  for (i = 0; i < IN_FLIGHT && issued < target; i++) issue(&writes[i]);
}

static void on_connect(uv_connect_t* req, int status) {
  (void)req;
  BENCH_REQUIRE(status == 0);
  connected = 1;
  maybe_start();
}

static void on_connection(uv_stream_t* s, int status) {
  BENCH_REQUIRE(status == 0);
  BENCH_REQUIRE(!accepted);
  BENCH_UV(uv_tcp_init(&loop, &receiver));
  BENCH_UV(uv_accept(s, (uv_stream_t*)&receiver));
  BENCH_UV(uv_read_start((uv_stream_t*)&receiver, on_alloc, on_read));
  accepted = 1;
  maybe_start();
}

int main(int argc, char** argv) {
  struct sockaddr_storage ss;
  struct sockaddr_in addr;
  int len = (int)sizeof(ss);
  size_t i;

  target = bench_count(argc, argv, 8192);
  bench_identify();
  for (i = 0; i < CHUNK; i++) out[i] = bench_pattern(0, i);

  BENCH_UV(uv_loop_init(&loop));
  BENCH_UV(uv_tcp_init(&loop, &server));
  BENCH_UV(uv_ip4_addr("127.0.0.1", 0, &addr));
  BENCH_UV(uv_tcp_bind(&server, (const struct sockaddr*)&addr, 0));
  BENCH_UV(uv_tcp_getsockname(&server, (struct sockaddr*)&ss, &len));
  BENCH_UV(uv_listen((uv_stream_t*)&server, 16, on_connection));
  BENCH_UV(uv_tcp_init(&loop, &sender));
  BENCH_UV(uv_tcp_connect(&connect_req, &sender, (const struct sockaddr*)&ss,
                          on_connect));
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);

  BENCH_CHECK(received == target * CHUNK);
  BENCH_CHECK(completed == target);
  BENCH_CHECK(eof_seen);

  fprintf(stderr, "bytes=%" PRIu64 " reads=%" PRIu64 " (%.0f bytes each) time=%.3fs\n",
          received, reads, reads ? (double)received / (double)reads : 0.0,
          bench_seconds(t1 - t0));
  bench_result("tcp_pump", "MB/s", bench_rate(received, t1 - t0) / 1e6);
  /* An operation: one 64 KiB write (for system calls per write). */
  bench_ops("tcp_pump", target);

  BENCH_CHECK(uv_loop_close(&loop) == 0);
  return bench_finish();
}
