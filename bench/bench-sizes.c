/* sizes: what handles, requests and idle connections cost in memory.
 *
 *   bench-sizes [C]      C idle connections (default 10000)
 *
 * 1. The size of every handle and request type and of the loop, as the
 *    library reports it at run time (uv_handle_size, uv_req_size,
 *    uv_loop_size), beside sizeof from the header the program was compiled
 *    with (libuv's, when the system has it).  On eddy the run-time figure
 *    is eddy's own; a program compiled against libuv allocates the
 *    header's size, so eddy's must not be larger.
 * 2. Resident memory per idle TCP connection: a child process (plain
 *    sockets, no libuv) opens C loopback connections to the loop, in
 *    batches of 500 acknowledged by the parent; the loop accepts each into
 *    a malloc'd uv_tcp_t and starts reading (as a server does), and nothing
 *    is ever sent.  The figure is the growth of the parent's resident set
 *    (/proc/self/statm) from before the first accept to after the last one
 *    and one more loop turn, divided by C: the handle, the allocator's
 *    overhead and whatever the library keeps per descriptor.
 *
 * Results (all lower is better): handle_bytes = the sum of the run-time
 * sizes of all handle types, req_bytes = the same for requests,
 * tcp_idle_conn = bytes of resident memory per idle connection.
 * Checks: every run-time size is positive and at most the header's; C
 * connections were accepted; the child made all of them and exited 0; the
 * resident set grew. */
#include "bench-uv.h"

#include <sys/wait.h>

#define BATCH 500

static uv_loop_t loop;
static uv_tcp_t server;
static uv_tcp_t** conns;
static uint64_t target;
static uint64_t accepted;
static int ack_fd = -1; /* parent -> child: one byte per batch accepted */

static void on_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  static char scratch[65536];
  (void)h;
  (void)suggested;
  *buf = uv_buf_init(scratch, sizeof(scratch));
}

static void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  (void)buf;
  /* Idle connections: nothing arrives before the end. */
  BENCH_CHECK(nread == 0);
  (void)s;
}

static void on_connection(uv_stream_t* s, int status) {
  uv_tcp_t* c;
  char byte = 'a';
  BENCH_REQUIRE(status == 0);
  BENCH_REQUIRE(accepted < target);
  c = malloc(sizeof(*c));
  BENCH_REQUIRE(c != NULL);
  BENCH_UV(uv_tcp_init(&loop, c));
  BENCH_UV(uv_accept(s, (uv_stream_t*)c));
  BENCH_UV(uv_read_start((uv_stream_t*)c, on_alloc, on_read));
  conns[accepted++] = c;
  if (accepted % BATCH == 0 || accepted == target)
    BENCH_REQUIRE(write(ack_fd, &byte, 1) == 1);
  if (accepted == target) uv_stop(&loop);
}

/* The child: C blocking connects in batches, each batch waiting for the
 * parent's byte; then it holds them until the parent closes the pipe. */
static void child(int rfd, const struct sockaddr_in* addr) {
  uint64_t i;
  char byte;
  int fd;
  for (i = 0; i < target; i++) {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr*)addr, sizeof(*addr)) != 0)
      _exit(1);
    if ((i + 1) % BATCH == 0 || i + 1 == target)
      if (read(rfd, &byte, 1) != 1) _exit(1);
  }
  while (read(rfd, &byte, 1) > 0) {
  }
  _exit(0);
}

static void close_cb(uv_handle_t* h) { free(h); }

static uint64_t print_sizes(void) {
  uint64_t handles = 0, reqs = 0;
  size_t rt;

  fprintf(stderr, "%-20s %8s %8s\n", "type", "header", "runtime");
#define XX(uc, lc)                                                    \
  rt = uv_handle_size(UV_##uc);                                       \
  fprintf(stderr, "%-20s %8zu %8zu\n", "uv_" #lc "_t", sizeof(uv_##lc##_t), rt); \
  BENCH_CHECK(rt > 0 && rt <= sizeof(uv_##lc##_t));                   \
  handles += rt;
  UV_HANDLE_TYPE_MAP(XX)
#undef XX
#define XX(uc, lc)                                                    \
  rt = uv_req_size(UV_##uc);                                          \
  fprintf(stderr, "%-20s %8zu %8zu\n", "uv_" #lc "_t", sizeof(uv_##lc##_t), rt); \
  BENCH_CHECK(rt > 0 && rt <= sizeof(uv_##lc##_t));                   \
  reqs += rt;
  UV_REQ_TYPE_MAP(XX)
#undef XX
  rt = uv_loop_size();
  fprintf(stderr, "%-20s %8zu %8zu\n", "uv_loop_t", sizeof(uv_loop_t), rt);
  BENCH_CHECK(rt > 0 && rt <= sizeof(uv_loop_t));
  bench_result("handle_bytes", "B", (double)handles);
  bench_result("req_bytes", "B", (double)reqs);
  return handles;
}

int main(int argc, char** argv) {
  struct sockaddr_in addr;
  int len = (int)sizeof(addr);
  int fds[2];
  uint64_t rss0, rss1, i;
  pid_t pid;
  int status;

  target = bench_count(argc, argv, 10000);
  bench_identify();
  print_sizes();

  BENCH_REQUIRE(bench_raise_nofile() > target + 64);
  conns = bench_calloc(target, sizeof(*conns));
  BENCH_UV(uv_loop_init(&loop));
  BENCH_UV(uv_tcp_init(&loop, &server));
  BENCH_UV(uv_ip4_addr("127.0.0.1", 0, &addr));
  BENCH_UV(uv_tcp_bind(&server, (const struct sockaddr*)&addr, 0));
  BENCH_UV(uv_tcp_getsockname(&server, (struct sockaddr*)&addr, &len));
  BENCH_UV(uv_listen((uv_stream_t*)&server, 4096, on_connection));
  BENCH_REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  BENCH_REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[1]);
    child(fds[0], &addr);
  }
  close(fds[0]);
  ack_fd = fds[1];

  rss0 = bench_rss_bytes();
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) != 0); /* stopped, not done */
  uv_run(&loop, UV_RUN_NOWAIT);
  rss1 = bench_rss_bytes();

  BENCH_CHECK(accepted == target);
  BENCH_CHECK(rss1 > rss0);
  fprintf(stderr, "connections=%" PRIu64 " rss %.1f MiB -> %.1f MiB: %.0f bytes each\n",
          accepted, (double)rss0 / 1048576.0, (double)rss1 / 1048576.0,
          (double)(rss1 - rss0) / (double)accepted);
  bench_result("tcp_idle_conn", "B/conn", (double)(rss1 - rss0) / (double)accepted);
  bench_ops("tcp_idle_conn", accepted);

  close(ack_fd);
  BENCH_REQUIRE(waitpid(pid, &status, 0) == pid);
  BENCH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  for (i = 0; i < accepted; i++) uv_close((uv_handle_t*)conns[i], close_cb);
  bench_loop_close(&loop);
  free(conns);
  return bench_finish();
}
