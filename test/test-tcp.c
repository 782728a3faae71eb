/* eddy tests — TCP handles (src/unix/tcp.c, through src/unix/stream.c).
 *
 * What is asserted is libuv's behaviour: this file also builds against the
 * system's libuv (without -Iinclude, so that /usr/include/uv.h is used) and
 * passes there, except the tests named eddy_*, which check eddy's answers to
 * bad input where libuv crashes or says nothing.  What is newer than the
 * uv.h the file is built with (UV_TCP_REUSEPORT: 1.49, uv_tcp_keepalive_ex:
 * 1.52) is left out.
 * EDDY_TEST_SKIP=pattern skips tests by name (cmocka's skip filter).
 *
 * All traffic stays on 127.0.0.1 (and ::1 when it can be bound), on ports
 * the kernel picks.  Nothing waits for time to pass: every step is driven by
 * a callback, and the loop ends when nothing is left active.
 *
 * SIGPIPE: on eddy the signal keeps its default action, so a write that
 * raised it would kill the test; libuv's own test runner ignores it (libuv
 * writes with writev), and so does this file when built against libuv. */
#include "test-helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define UV_1_49 ((1 << 16) | (49 << 8)) /* UV_TCP_REUSEPORT */
#define UV_1_52 ((1 << 16) | (52 << 8)) /* uv_tcp_keepalive_ex */

#define MIB (1024 * 1024)

/* ---- addresses and sockets -------------------------------------------------
 */

static struct sockaddr_in ip4(int port) {
  struct sockaddr_in a;
  assert_int_equal(uv_ip4_addr("127.0.0.1", port, &a), 0);
  return a;
}

/* The loopback address of a family (127.0.0.1 or ::1). */
static void loopback(int family, int port, struct sockaddr_storage* ss) {
  memset(ss, 0, sizeof(*ss));
  if (family == AF_INET6)
    assert_int_equal(uv_ip6_addr("::1", port, (struct sockaddr_in6*)ss), 0);
  else
    assert_int_equal(uv_ip4_addr("127.0.0.1", port, (struct sockaddr_in*)ss),
                     0);
}

static int port_of(const uv_tcp_t* h) {
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  assert_int_equal(uv_tcp_getsockname(h, (struct sockaddr*)&ss, &len), 0);
  if (ss.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6*)&ss)->sin6_port);
  assert_int_equal(ss.ss_family, AF_INET);
  return ntohs(((struct sockaddr_in*)&ss)->sin_port);
}

static int fd_of(const void* handle) {
  uv_os_fd_t fd;
  assert_int_equal(uv_fileno((const uv_handle_t*)handle, &fd), 0);
  assert_true(fd >= 0);
  return fd;
}

static int sockopt_int(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof(v);
  assert_int_equal(getsockopt(fd, level, name, &v, &len), 0);
  return v;
}

/* Binds h to the loopback address of family on a port the kernel picks;
 * returns the port. */
static int bind_loopback(uv_tcp_t* h, int family) {
  struct sockaddr_storage ss;
  loopback(family, 0, &ss);
  assert_int_equal(uv_tcp_bind(h, (const struct sockaddr*)&ss, 0), 0);
  return port_of(h);
}

static int bind_any(uv_tcp_t* h) { return bind_loopback(h, AF_INET); }

/* A port on 127.0.0.1 that nobody listens on, held by a bound socket so
 * that no other test can take it while this one runs. */
static int closed_port(int* holder) {
  struct sockaddr_in a = ip4(0);
  socklen_t len = sizeof(a);
  *holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_true(*holder >= 0);
  assert_int_equal(bind(*holder, (struct sockaddr*)&a, sizeof(a)), 0);
  assert_int_equal(getsockname(*holder, (struct sockaddr*)&a, &len), 0);
  return ntohs(a.sin_port);
}

/* Whether ::1 can be bound here (containers often have no IPv6). */
static int have_ipv6_loopback(void) {
  struct sockaddr_in6 a;
  int fd;
  int ok;
  if (uv_ip6_addr("::1", 0, &a) != 0) return 0;
  fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  ok = bind(fd, (struct sockaddr*)&a, sizeof(a)) == 0;
  close(fd);
  return ok;
}

/* Test data: a byte sequence in which a lost, repeated or reordered block
 * shows up. */
static void fill_pattern(char* p, size_t n, unsigned int seed) {
  size_t i;
  for (i = 0; i < n; i++)
    p[i] = (char)((i ^ (i >> 8) ^ (i >> 16)) * 31u + seed);
}

/* ---- an endpoint: a TCP handle and what it read
 * ------------------------------ */

struct end {
  uv_tcp_t tcp;
  char* data; /* what was read, in order (malloc'ed) */
  size_t len;
  size_t cap;
  const char* expect; /* when set: verify reads against it as they come */
  size_t expect_len;
  int eof;   /* UV_EOF reached the read callback (times) */
  int error; /* the first other error that did */
  int reads; /* callbacks with nread > 0 */
  int closed;
};

static void alloc_cb(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  (void)h;
  buf->base = malloc(size);
  assert_non_null(buf->base);
  buf->len = size;
}

static void end_append(struct end* e, const char* p, size_t n) {
  if (e->expect != NULL) {
    /* Large transfers are checked in place rather than kept. */
    assert_true(e->len + n <= e->expect_len);
    assert_memory_equal(p, e->expect + e->len, n);
    e->len += n;
    return;
  }
  if (e->len + n > e->cap) {
    e->cap = (e->len + n) * 2;
    e->data = realloc(e->data, e->cap);
    assert_non_null(e->data);
  }
  memcpy(e->data + e->len, p, n);
  e->len += n;
}

static void on_read_keep(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct end* e = s->data;
  if (n > 0) {
    e->reads++;
    end_append(e, buf->base, (size_t)n);
  } else if (n == UV_EOF) {
    e->eof++;
    assert_int_equal(e->error, 0);
  } else if (n < 0 && e->error == 0) {
    e->error = (int)n;
  }
  free(buf->base);
}

static void on_close_end(uv_handle_t* h) { ((struct end*)h->data)->closed++; }

static void end_init(uv_loop_t* loop, struct end* e) {
  memset(e, 0, sizeof(*e));
  assert_int_equal(uv_tcp_init(loop, &e->tcp), 0);
  e->tcp.data = e;
}

static void end_free(struct end* e) {
  free(e->data);
  e->data = NULL;
}

/* ---- a connected pair: client <-> conn (accepted by a listener) -------------
 */

struct tpair {
  uv_loop_t loop;
  uv_tcp_t server;
  struct end client;
  struct end conn;
  uv_connect_t creq;
  int port;         /* the listener's */
  int conn_options; /* set TCP options on conn before uv_accept */
  int connect_status;
  int connected;
  int accepted;
};

static struct tpair P;

static void tpair_on_connection(uv_stream_t* server, int status) {
  struct tpair* p = server->data;
  assert_int_equal(status, 0);
  end_init(&p->loop, &p->conn);
  if (p->conn_options) {
    /* Set before the socket exists: uv_accept applies them. */
    assert_int_equal(uv_tcp_nodelay(&p->conn.tcp, 1), 0);
    assert_int_equal(uv_tcp_keepalive(&p->conn.tcp, 1, 60), 0);
  }
  assert_int_equal(uv_accept(server, (uv_stream_t*)&p->conn.tcp), 0);
  p->accepted = 1;
  uv_close((uv_handle_t*)server, NULL);
}

static void tpair_on_connect(uv_connect_t* req, int status) {
  struct tpair* p = req->data;
  p->connect_status = status;
  p->connected = 1;
}

static void set_buffers(void* h, int size) {
  int v = size;
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)h, &v), 0);
  v = size;
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)h, &v), 0);
}

/* Connects a pair on a fresh loop, over family's loopback.  bufsize > 0:
 * both sockets get that SO_SNDBUF and SO_RCVBUF (set before the connection,
 * so that the window stays small), so that big writes queue. */
static void tpair_open_ex(struct tpair* p, int bufsize, int family,
                          int conn_options) {
  struct sockaddr_storage a;
  memset(p, 0, sizeof(*p));
  p->conn_options = conn_options;
  assert_int_equal(uv_loop_init(&p->loop), 0);
  assert_int_equal(uv_tcp_init(&p->loop, &p->server), 0);
  p->server.data = p;
  p->port = bind_loopback(&p->server, family);
  loopback(family, p->port, &a);
  if (bufsize > 0) set_buffers(&p->server, bufsize);
  assert_int_equal(uv_listen((uv_stream_t*)&p->server, 16, tpair_on_connection),
                   0);

  memset(&p->client, 0, sizeof(p->client));
  assert_int_equal(uv_tcp_init_ex(&p->loop, &p->client.tcp, family), 0);
  p->client.tcp.data = &p->client;
  if (bufsize > 0) set_buffers(&p->client.tcp, bufsize);
  p->creq.data = p;
  assert_int_equal(uv_tcp_connect(&p->creq, &p->client.tcp,
                                  (const struct sockaddr*)&a, tpair_on_connect),
                   0);
  assert_int_equal(uv_run(&p->loop, UV_RUN_DEFAULT), 0);
  assert_true(p->connected);
  assert_true(p->accepted);
  assert_int_equal(p->connect_status, 0);
}

static void tpair_open(struct tpair* p, int bufsize) {
  tpair_open_ex(p, bufsize, AF_INET, 0);
}

static void tpair_close(struct tpair* p) {
  if (!uv_is_closing((uv_handle_t*)&p->client.tcp))
    uv_close((uv_handle_t*)&p->client.tcp, on_close_end);
  if (!uv_is_closing((uv_handle_t*)&p->conn.tcp))
    uv_close((uv_handle_t*)&p->conn.tcp, on_close_end);
  loop_close_clean(&p->loop);
  end_free(&p->client);
  end_free(&p->conn);
}

/* ---- write requests that carry their own data ------------------------------
 */

struct wreq {
  uv_write_t req;
  int index;
  size_t len;
  char data[];
};

static struct wreq* wreq_new(const char* p, size_t n, int index) {
  struct wreq* w = malloc(sizeof(*w) + n);
  assert_non_null(w);
  w->req.data = NULL;
  w->index = index;
  w->len = n;
  memcpy(w->data, p, n);
  return w;
}

static void free_req_cb(uv_write_t* req, int status) {
  assert_int_equal(status, 0);
  free(req);
}

/* ---- an echo peer: writes back what it reads, shuts down at EOF -------------
 */

static int echo_shutdowns; /* its shutdowns that completed with status 0 */

static void echo_on_shutdown(uv_shutdown_t* req, int status) {
  assert_int_equal(status, 0);
  echo_shutdowns++;
  free(req);
}

static void echo_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct wreq* w;
  uv_buf_t b;
  uv_shutdown_t* req;

  if (n > 0) {
    w = wreq_new(buf->base, (size_t)n, 0);
    b = uv_buf_init(w->data, (unsigned int)n);
    assert_int_equal(uv_write(&w->req, s, &b, 1, free_req_cb), 0);
  } else if (n == UV_EOF) {
    /* The shutdown waits for the echoes queued before it. */
    req = malloc(sizeof(*req));
    assert_non_null(req);
    assert_int_equal(uv_shutdown(req, s, echo_on_shutdown), 0);
  } else {
    assert_int_equal(n, 0);
  }
  free(buf->base);
}

/* ---- echo with many writes
 * ----------------------------------------------------- */

#define ECHO_WRITES 100

static struct {
  size_t sizes[ECHO_WRITES];
  int order[ECHO_WRITES];
  int ncb;
  int in_write; /* inside uv_write: no callback may run now */
  uv_stream_t* stream;
  uv_shutdown_t sreq;
  int shutdowns;
  int shutdown_status;
} ew;

static void many_on_write(uv_write_t* req, int status) {
  struct wreq* w = (struct wreq*)req;
  size_t later = 0;
  int i;

  assert_false(ew.in_write);
  assert_int_equal(status, 0);
  ew.order[ew.ncb++] = w->index;
  for (i = w->index + 1; i < ECHO_WRITES; i++) later += ew.sizes[i];
  /* What is still queued belongs to the writes after this one. */
  assert_true(ew.stream->write_queue_size <= later);
  assert_int_equal(uv_stream_get_write_queue_size(ew.stream),
                   ew.stream->write_queue_size);
  free(w);
}

static void many_on_shutdown(uv_shutdown_t* req, int status) {
  assert_ptr_equal(req, &ew.sreq);
  /* Every write was done before the shutdown. */
  assert_int_equal(ew.ncb, ECHO_WRITES);
  ew.shutdowns++;
  ew.shutdown_status = status;
}

static void echo_many_writes_over(int family) {
  uv_stream_t* s;
  struct wreq* w;
  uv_buf_t b[2];
  char* src;
  size_t total = 0;
  size_t off = 0;
  size_t half;
  int i;

  memset(&ew, 0, sizeof(ew));
  echo_shutdowns = 0;
  tpair_open_ex(&P, 0, family, 0);
  s = (uv_stream_t*)&P.client.tcp;
  ew.stream = s;
  assert_int_equal(
      uv_read_start((uv_stream_t*)&P.conn.tcp, alloc_cb, echo_on_read), 0);
  assert_int_equal(uv_read_start(s, alloc_cb, on_read_keep), 0);

  for (i = 0; i < ECHO_WRITES; i++) {
    ew.sizes[i] = (size_t)(i * 977) % 4000 + 1;
    total += ew.sizes[i];
  }
  src = malloc(total);
  assert_non_null(src);
  fill_pattern(src, total, 7);

  for (i = 0; i < ECHO_WRITES; i++) {
    w = wreq_new(src + off, ew.sizes[i], i);
    /* Two buffers per request where there are two bytes or more. */
    half = w->len / 2;
    b[0] = uv_buf_init(w->data, (unsigned int)half);
    b[1] = uv_buf_init(w->data + half, (unsigned int)(w->len - half));
    ew.in_write = 1;
    assert_int_equal(uv_write(&w->req, s, half > 0 ? b : b + 1,
                              half > 0 ? 2 : 1, many_on_write),
                     0);
    ew.in_write = 0;
    off += ew.sizes[i];
    assert_true(s->write_queue_size <= off);
  }
  assert_int_equal(uv_stream_get_write_queue_size(s), s->write_queue_size);
  assert_int_equal(uv_shutdown(&ew.sreq, s, many_on_shutdown), 0);

  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);

  assert_int_equal(ew.ncb, ECHO_WRITES);
  for (i = 0; i < ECHO_WRITES; i++) assert_int_equal(ew.order[i], i);
  assert_int_equal(s->write_queue_size, 0);
  assert_int_equal(uv_stream_get_write_queue_size(s), 0);
  assert_int_equal(ew.shutdowns, 1);
  assert_int_equal(ew.shutdown_status, 0);
  assert_int_equal(echo_shutdowns, 1);
  assert_int_equal(P.client.eof, 1);
  assert_int_equal(P.client.error, 0);
  assert_int_equal(P.client.len, total);
  assert_memory_equal(P.client.data, src, total);
  tpair_close(&P);
  free(src);
}

static void echo_many_writes(void** state) {
  (void)state;
  echo_many_writes_over(AF_INET);
}

static void echo_many_writes_ipv6(void** state) {
  (void)state;
  if (!have_ipv6_loopback()) skip();
  echo_many_writes_over(AF_INET6);
}

/* ---- 8 MiB each way through small socket buffers --------------------------
 */

#define BIG (8 * MIB)
#define BIG_CHUNK (64 * 1024)
#define BIG_WRITES (BIG / BIG_CHUNK)

struct big_side {
  struct end* e;
  char* src;
  uv_write_t reqs[BIG_WRITES];
  int ncb;
  uv_shutdown_t sreq;
  int shutdowns;
};

static struct big_side big[2];

static void big_on_shutdown(uv_shutdown_t* req, int status) {
  struct big_side* side = req->data;
  assert_int_equal(status, 0);
  side->shutdowns++;
}

static void big_on_write(uv_write_t* req, int status) {
  struct big_side* side = req->data;
  uv_stream_t* s = (uv_stream_t*)&side->e->tcp;

  assert_int_equal(status, 0);
  /* Callbacks come in the order of the writes. */
  assert_ptr_equal(req, &side->reqs[side->ncb]);
  side->ncb++;
  assert_true(s->write_queue_size <=
              (size_t)(BIG_WRITES - side->ncb) * BIG_CHUNK);
  if (side->ncb == BIG_WRITES) {
    assert_int_equal(s->write_queue_size, 0);
    side->sreq.data = side;
    assert_int_equal(uv_shutdown(&side->sreq, s, big_on_shutdown), 0);
  }
}

static void big_start(struct big_side* side, struct end* e, struct end* peer,
                      unsigned int seed) {
  uv_stream_t* s = (uv_stream_t*)&e->tcp;
  uv_buf_t b[4];
  int i;
  int j;

  memset(side, 0, sizeof(*side));
  side->e = e;
  side->src = malloc(BIG);
  assert_non_null(side->src);
  fill_pattern(side->src, BIG, seed);
  peer->expect = side->src;
  peer->expect_len = BIG;
  for (i = 0; i < BIG_WRITES; i++) {
    for (j = 0; j < 4; j++)
      b[j] = uv_buf_init(
          side->src + (size_t)i * BIG_CHUNK + (size_t)j * (BIG_CHUNK / 4),
          BIG_CHUNK / 4);
    side->reqs[i].data = side;
    assert_int_equal(uv_write(&side->reqs[i], s, b, 4, big_on_write), 0);
  }
  /* The socket took a little; the rest waits in the queue. */
  assert_true(s->write_queue_size > 0);
  assert_true(s->write_queue_size <= BIG);
  assert_int_equal(uv_stream_get_write_queue_size(s), s->write_queue_size);
}

static void large_transfer_each_way(void** state) {
  int i;
  (void)state;
  tpair_open(&P, 32 * 1024);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&P.client.tcp, alloc_cb, on_read_keep), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&P.conn.tcp, alloc_cb, on_read_keep), 0);
  big_start(&big[0], &P.client, &P.conn, 1);
  big_start(&big[1], &P.conn, &P.client, 2);

  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);

  for (i = 0; i < 2; i++) {
    assert_int_equal(big[i].ncb, BIG_WRITES);
    assert_int_equal(big[i].shutdowns, 1);
  }
  assert_int_equal(P.conn.len, BIG);
  assert_int_equal(P.client.len, BIG);
  assert_int_equal(P.conn.eof, 1);
  assert_int_equal(P.client.eof, 1);
  assert_int_equal(P.conn.error, 0);
  assert_int_equal(P.client.error, 0);
  tpair_close(&P);
  free(big[0].src);
  free(big[1].src);
}

/* ---- uv_try_write
 * ------------------------------------------------------------ */

static struct {
  uv_write_t req;
  uv_shutdown_t sreq;
  int write_status;
  int writes;
} tw;

static void tw_on_shutdown(uv_shutdown_t* req, int status) {
  (void)req;
  assert_int_equal(status, 0);
}

static void tw_on_write(uv_write_t* req, int status) {
  tw.writes++;
  tw.write_status = status;
  assert_int_equal(uv_shutdown(&tw.sreq, req->handle, tw_on_shutdown), 0);
}

static void try_write_partial_then_eagain(void** state) {
  uv_stream_t* s;
  char* src;
  uv_buf_t b;
  size_t off = 0;
  size_t queued = 256 * 1024;
  int first = 1;
  int r = 0;
  int i;
  (void)state;

  memset(&tw, 0, sizeof(tw));
  src = malloc(BIG);
  assert_non_null(src);
  fill_pattern(src, BIG, 3);
  tpair_open(&P, 16 * 1024);
  s = (uv_stream_t*)&P.client.tcp;

  b = uv_buf_init(src, 1);
  assert_int_equal(uv_try_write(s, &b, 1), 1);
  off = 1;
  /* The peer does not read: the kernel takes part of the first MiB, then
   * nothing. */
  for (i = 0; i < 64; i++) {
    b = uv_buf_init(src + off, MIB);
    r = uv_try_write(s, &b, 1);
    if (r == UV_EAGAIN) break;
    assert_true(r > 0);
    if (first) assert_true(r < MIB);
    first = 0;
    off += (size_t)r;
  }
  assert_int_equal(r, UV_EAGAIN);
  assert_false(first);

  /* A queued write: try_write must not overtake it. */
  b = uv_buf_init(src + off, (unsigned int)queued);
  assert_int_equal(uv_write(&tw.req, s, &b, 1, tw_on_write), 0);
  assert_true(s->write_queue_size > 0);
  b = uv_buf_init(src + off + queued, 1);
  assert_int_equal(uv_try_write(s, &b, 1), UV_EAGAIN);
  off += queued;

  P.conn.expect = src;
  P.conn.expect_len = off;
  assert_int_equal(
      uv_read_start((uv_stream_t*)&P.conn.tcp, alloc_cb, on_read_keep), 0);
  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(tw.writes, 1);
  assert_int_equal(tw.write_status, 0);
  assert_int_equal(P.conn.eof, 1);
  assert_int_equal(P.conn.len, off);
  tpair_close(&P);
  free(src);
}

/* ---- shutdown
 * ------------------------------------------------------------------ */

static struct {
  uv_shutdown_t sreq;
  uv_shutdown_t sreq2;
  int status;
  int calls;
  uv_write_t bye;
} sd;

static void sd_on_shutdown(uv_shutdown_t* req, int status) {
  assert_ptr_equal(req, &sd.sreq);
  sd.calls++;
  sd.status = status;
  /* Done, and still not twice. */
  assert_int_equal(uv_shutdown(&sd.sreq2, req->handle, sd_on_shutdown),
                   UV_ENOTCONN);
}

static void sd_bye_written(uv_write_t* req, int status) {
  assert_int_equal(status, 0);
  uv_close((uv_handle_t*)req->handle, on_close_end);
}

/* The peer: at EOF it answers "bye" and closes. */
static void sd_conn_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  static char bye[] = "bye";
  uv_buf_t b = uv_buf_init(bye, 3);
  on_read_keep(s, n, buf);
  if (n == UV_EOF) {
    assert_int_equal(uv_is_writable(s), 1);
    assert_int_equal(uv_write(&sd.bye, s, &b, 1, sd_bye_written), 0);
  }
}

static void shutdown_then_peer_eof(void** state) {
  uv_stream_t* s;
  uv_write_t w;
  uv_buf_t b = uv_buf_init("x", 1);
  (void)state;

  memset(&sd, 0, sizeof(sd));
  tpair_open(&P, 0);
  s = (uv_stream_t*)&P.client.tcp;
  assert_int_equal(uv_is_writable(s), 1);
  assert_int_equal(uv_read_start(s, alloc_cb, on_read_keep), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&P.conn.tcp, alloc_cb, sd_conn_on_read), 0);
  assert_int_equal(uv_shutdown(&sd.sreq, s, sd_on_shutdown), 0);
  /* Shut for writing at once, still readable. */
  assert_int_equal(uv_is_writable(s), 0);
  assert_int_equal(uv_is_readable(s), 1);
  assert_int_equal(uv_shutdown(&sd.sreq2, s, sd_on_shutdown), UV_ENOTCONN);
  assert_int_equal(uv_write(&w, s, &b, 1, free_req_cb), UV_EPIPE);
  assert_int_equal(sd.calls, 0); /* never from inside uv_shutdown */

  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(sd.calls, 1);
  assert_int_equal(sd.status, 0);
  assert_int_equal(P.conn.eof, 1);
  assert_int_equal(P.conn.len, 0);
  assert_int_equal(P.conn.closed, 1);
  /* The other direction stayed open until the peer closed. */
  assert_int_equal(P.client.len, 3);
  assert_memory_equal(P.client.data, "bye", 3);
  assert_int_equal(P.client.eof, 1);
  /* EOF stops reading but, as in libuv, leaves the stream readable. */
  assert_int_equal(uv_is_active((uv_handle_t*)s), 0);
  assert_int_equal(uv_is_readable(s), 1);
  tpair_close(&P);
}

/* ---- reset, a closed peer
 * ------------------------------------------------------- */

static void reset_conn_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  free(buf->base);
  if (n > 0)
    assert_int_equal(uv_tcp_close_reset((uv_tcp_t*)s, on_close_end), 0);
}

static void close_reset_gives_econnreset(void** state) {
  uv_write_t* w = malloc(sizeof(*w));
  uv_buf_t b = uv_buf_init("x", 1);
  (void)state;

  tpair_open(&P, 0);
  /* The client says something first, so the reset comes after it is
   * connected and reading. */
  assert_int_equal(
      uv_read_start((uv_stream_t*)&P.client.tcp, alloc_cb, on_read_keep), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&P.conn.tcp, alloc_cb, reset_conn_on_read),
      0);
  assert_int_equal(uv_write(w, (uv_stream_t*)&P.client.tcp, &b, 1, free_req_cb),
                   0);
  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(P.conn.closed, 1);
  assert_int_equal(P.client.error, UV_ECONNRESET);
  assert_int_equal(P.client.eof, 0);
  /* The error stopped reading. */
  assert_int_equal(uv_is_active((uv_handle_t*)&P.client.tcp), 0);
  /* And left the stream neither readable nor writable. */
  assert_int_equal(uv_is_readable((uv_stream_t*)&P.client.tcp), 0);
  assert_int_equal(uv_is_writable((uv_stream_t*)&P.client.tcp), 0);
  tpair_close(&P);
}

static void close_reset_refused_while_shutting(void** state) {
  uv_shutdown_t req;
  (void)state;
  tpair_open(&P, 0);
  assert_int_equal(uv_shutdown(&req, (uv_stream_t*)&P.client.tcp, NULL), 0);
  assert_int_equal(uv_tcp_close_reset(&P.client.tcp, NULL), UV_EINVAL);
  assert_int_equal(uv_is_closing((uv_handle_t*)&P.client.tcp), 0);
  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);
  tpair_close(&P);
}

static struct {
  uv_write_t req;
  int writes; /* callbacks with status 0 */
  int status; /* the first failure */
  int try_result;
  unsigned int nbufs; /* buffers per write: 1, or 2 (a gathered write) */
} ep;

static void epipe_on_write(uv_write_t* req, int status) {
  static char bytes[2] = {'x', 'y'};
  uv_buf_t b[2] = {uv_buf_init(&bytes[0], 1), uv_buf_init(&bytes[1], 1)};

  if (status == 0) {
    ep.writes++;
    assert_true(ep.writes < 100000);
    assert_int_equal(uv_write(&ep.req, req->handle, b, ep.nbufs, epipe_on_write),
                     0);
    return;
  }
  ep.status = status;
  /* Not a signal either. */
  ep.try_result = uv_try_write(req->handle, b, ep.nbufs);
}

static void epipe_client_on_read(uv_stream_t* s, ssize_t n,
                                 const uv_buf_t* buf) {
  static char bytes[2] = {'x', 'y'};
  uv_buf_t b[2] = {uv_buf_init(&bytes[0], 1), uv_buf_init(&bytes[1], 1)};
  on_read_keep(s, n, buf);
  /* The peer is gone: write until the kernel says so. */
  if (n == UV_EOF)
    assert_int_equal(uv_write(&ep.req, s, b, ep.nbufs, epipe_on_write), 0);
}

/* Writes of ep.nbufs buffers to a peer that closed: EPIPE (or ECONNRESET)
 * from the write callback and from uv_try_write, never a SIGPIPE.  One
 * buffer and several take different system calls on eddy. */
static void write_to_closed_peer(unsigned int nbufs) {
  memset(&ep, 0, sizeof(ep));
  ep.nbufs = nbufs;
#if TEST_ON_EDDY
  {
    struct sigaction sa;
    assert_int_equal(sigaction(SIGPIPE, NULL, &sa), 0);
    assert_ptr_equal(sa.sa_handler, SIG_DFL); /* a SIGPIPE would kill us */
  }
#endif
  tpair_open(&P, 0);
  assert_int_equal(uv_read_start((uv_stream_t*)&P.client.tcp, alloc_cb,
                                 epipe_client_on_read),
                   0);
  uv_close((uv_handle_t*)&P.conn.tcp, on_close_end);
  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(P.client.eof, 1);
  assert_true(ep.status == UV_EPIPE || ep.status == UV_ECONNRESET);
  assert_true(ep.try_result == UV_EPIPE || ep.try_result == UV_ECONNRESET);
  tpair_close(&P);
}

static void write_to_closed_peer_fails(void** state) {
  (void)state;
  write_to_closed_peer(1);
}

static void gathered_write_to_closed_peer_fails(void** state) {
  (void)state;
  write_to_closed_peer(2);
}

/* ---- connect errors, addresses in use
 * ------------------------------------------- */

static int connect_status_seen;
static int connect_calls;

static void record_connect(uv_connect_t* req, int status) {
  (void)req;
  connect_status_seen = status;
  connect_calls++;
}

static void connect_refused(void** state) {
  uv_loop_t loop;
  uv_tcp_t c;
  uv_connect_t req;
  struct sockaddr_in a;
  int holder;
  (void)state;

  a = ip4(closed_port(&holder));
  connect_calls = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &c), 0);
  /* The refusal comes through the callback, never the call. */
  assert_int_equal(
      uv_tcp_connect(&req, &c, (const struct sockaddr*)&a, record_connect), 0);
  assert_int_equal(connect_calls, 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(connect_calls, 1);
  assert_int_equal(connect_status_seen, UV_ECONNREFUSED);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
  close(holder);
}

/* A connect that fails at once with anything but a refusal is the call's
 * error and starts no request: a TCP connect to a broadcast address is
 * ENETUNREACH straight from the kernel (libuv's tcp_connect_timeout
 * relies on that to skip itself without a network). */
static void connect_unreachable_at_once(void** state) {
  uv_loop_t loop;
  uv_tcp_t c;
  uv_connect_t req;
  struct sockaddr_in a;
  (void)state;

  assert_int_equal(uv_ip4_addr("255.255.255.255", 9, &a), 0);
  connect_calls = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &c), 0);
  assert_int_equal(
      uv_tcp_connect(&req, &c, (const struct sockaddr*)&a, record_connect),
      UV_ENETUNREACH);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(connect_calls, 0);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

static void noop_connection_cb(uv_stream_t* server, int status) {
  (void)server;
  (void)status;
  fail_msg("no connection was expected");
}

static void addr_in_use_reported_later(void** state) {
  uv_loop_t loop;
  uv_tcp_t a;
  uv_tcp_t b;
  uv_tcp_t c;
  uv_connect_t req;
  struct sockaddr_in addr;
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &a), 0);
  addr = ip4(bind_any(&a));
  assert_int_equal(uv_listen((uv_stream_t*)&a, 16, noop_connection_cb), 0);

  /* The bind "succeeds"; the listen that follows reports the conflict. */
  assert_int_equal(uv_tcp_init(&loop, &b), 0);
  assert_int_equal(uv_tcp_bind(&b, (const struct sockaddr*)&addr, 0), 0);
  assert_int_equal(uv_listen((uv_stream_t*)&b, 16, noop_connection_cb),
                   UV_EADDRINUSE);
  assert_int_equal(uv_tcp_getsockname(&b, (struct sockaddr*)&ss, &len),
                   UV_EADDRINUSE);

  /* So does a connect, through its callback. */
  assert_int_equal(uv_tcp_init(&loop, &c), 0);
  assert_int_equal(uv_tcp_bind(&c, (const struct sockaddr*)&addr, 0), 0);
  connect_calls = 0;
  assert_int_equal(
      uv_tcp_connect(&req, &c, (const struct sockaddr*)&addr, record_connect),
      0);
  uv_close((uv_handle_t*)&a, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(connect_calls, 1);
  assert_int_equal(connect_status_seen, UV_EADDRINUSE);
  uv_close((uv_handle_t*)&b, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* A closing handle cannot be bound or listen any more; no socket is made
 * for it. */
static void bind_after_close(void** state) {
  uv_loop_t loop;
  uv_tcp_t h;
  struct sockaddr_in a = ip4(0);
  uv_os_fd_t fd;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &h), 0);
  uv_close((uv_handle_t*)&h, NULL);
  assert_int_equal(uv_tcp_bind(&h, (const struct sockaddr*)&a, 0), UV_EINVAL);
  assert_int_equal(uv_fileno((uv_handle_t*)&h, &fd), UV_EBADF);
  assert_int_equal(uv_listen((uv_stream_t*)&h, 16, NULL), UV_EINVAL);
  loop_close_clean(&loop);
}

/* A socket another handle of the loop already watches cannot be opened
 * into a second one: UV_EEXIST. */
static void open_watched_socket(void** state) {
  uv_loop_t loop;
  uv_tcp_t server;
  uv_tcp_t other;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &server), 0);
  (void)bind_any(&server);
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, noop_connection_cb), 0);
  assert_int_equal(uv_tcp_init(&loop, &other), 0);
  assert_int_equal(uv_tcp_open(&other, fd_of(&server)), UV_EEXIST);
  assert_int_equal(uv_is_active((uv_handle_t*)&other), 0);
  uv_close((uv_handle_t*)&other, NULL);
  uv_close((uv_handle_t*)&server, NULL);
  loop_close_clean(&loop);
}

static void bind_flags(void** state) {
  uv_loop_t loop;
  uv_tcp_t h;
  uv_tcp_t h6;
  uv_tcp_t h6b;
#if UV_VERSION_HEX >= UV_1_49
  uv_tcp_t r1; /* closed at the end of the test, so never in a block */
  uv_tcp_t r2;
#endif
  struct sockaddr_in a = ip4(0);
  struct sockaddr_in6 a6;
  struct sockaddr_storage un;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &h), 0);
  assert_int_equal(uv_tcp_bind(&h, (const struct sockaddr*)&a, UV_TCP_IPV6ONLY),
                   UV_EINVAL);
  memset(&un, 0, sizeof(un));
  un.ss_family = AF_UNIX;
  assert_int_equal(uv_tcp_bind(&h, (const struct sockaddr*)&un, 0), UV_EINVAL);
  assert_int_equal(uv_tcp_bind(&h, (const struct sockaddr*)&a, 0), 0);
  uv_close((uv_handle_t*)&h, NULL);

#if UV_VERSION_HEX >= UV_1_49
  {
    /* Two listeners on one port, when both ask for it. */
    struct sockaddr_in ra;
    assert_int_equal(uv_tcp_init(&loop, &r1), 0);
    assert_int_equal(uv_tcp_init(&loop, &r2), 0);
    assert_int_equal(
        uv_tcp_bind(&r1, (const struct sockaddr*)&a, UV_TCP_REUSEPORT), 0);
    ra = ip4(port_of(&r1));
    assert_int_equal(uv_listen((uv_stream_t*)&r1, 16, noop_connection_cb), 0);
    assert_int_equal(
        uv_tcp_bind(&r2, (const struct sockaddr*)&ra, UV_TCP_REUSEPORT), 0);
    assert_int_equal(uv_listen((uv_stream_t*)&r2, 16, noop_connection_cb), 0);
    assert_int_equal(port_of(&r2), ntohs(ra.sin_port));
    uv_close((uv_handle_t*)&r1, NULL);
    uv_close((uv_handle_t*)&r2, NULL);
  }
#endif

  if (have_ipv6_loopback()) {
    assert_int_equal(uv_ip6_addr("::1", 0, &a6), 0);
    assert_int_equal(uv_tcp_init(&loop, &h6), 0);
    assert_int_equal(
        uv_tcp_bind(&h6, (const struct sockaddr*)&a6, UV_TCP_IPV6ONLY), 0);
    assert_int_equal(sockopt_int(fd_of(&h6), IPPROTO_IPV6, IPV6_V6ONLY), 1);
    uv_close((uv_handle_t*)&h6, NULL);
    assert_int_equal(uv_tcp_init(&loop, &h6b), 0);
    assert_int_equal(uv_tcp_bind(&h6b, (const struct sockaddr*)&a6, 0), 0);
    uv_close((uv_handle_t*)&h6b, NULL);
  }
  loop_close_clean(&loop);
}

static void sockname_and_peername(void** state) {
  struct sockaddr_storage ss;
  struct sockaddr_storage peer;
  uv_tcp_t h;
  uv_tcp_t h2;
  int len;
  (void)state;

  tpair_open(&P, 0);
  assert_int_equal(port_of(&P.conn.tcp), P.port);
  len = sizeof(ss);
  assert_int_equal(
      uv_tcp_getpeername(&P.client.tcp, (struct sockaddr*)&ss, &len), 0);
  assert_int_equal(len, sizeof(struct sockaddr_in));
  assert_int_equal(ss.ss_family, AF_INET);
  assert_int_equal(ntohs(((struct sockaddr_in*)&ss)->sin_port), P.port);
  assert_int_equal(((struct sockaddr_in*)&ss)->sin_addr.s_addr,
                   htonl(INADDR_LOOPBACK));
  /* The accepted side's peer is the client's own name. */
  len = sizeof(ss);
  assert_int_equal(
      uv_tcp_getsockname(&P.client.tcp, (struct sockaddr*)&ss, &len), 0);
  len = sizeof(peer);
  assert_int_equal(
      uv_tcp_getpeername(&P.conn.tcp, (struct sockaddr*)&peer, &len), 0);
  assert_memory_equal(&ss, &peer, sizeof(struct sockaddr_in));

  /* A socket that is not connected has no peer. */
  assert_int_equal(uv_tcp_init_ex(&P.loop, &h, AF_INET), 0);
  len = sizeof(ss);
  assert_int_equal(uv_tcp_getpeername(&h, (struct sockaddr*)&ss, &len),
                   UV_ENOTCONN);
  len = sizeof(ss);
  assert_int_equal(uv_tcp_getsockname(&h, (struct sockaddr*)&ss, &len), 0);
  assert_int_equal(ss.ss_family, AF_INET);
  assert_int_equal(((struct sockaddr_in*)&ss)->sin_port, 0);
  uv_close((uv_handle_t*)&h, NULL);

  /* A handle without a socket has no descriptor to ask. */
  assert_int_equal(uv_tcp_init(&P.loop, &h2), 0);
  len = sizeof(ss);
  assert_int_equal(uv_tcp_getsockname(&h2, (struct sockaddr*)&ss, &len),
                   UV_EBADF);
  len = sizeof(ss);
  assert_int_equal(uv_tcp_getpeername(&h2, (struct sockaddr*)&ss, &len),
                   UV_EBADF);
  uv_close((uv_handle_t*)&h2, NULL);
  tpair_close(&P);
}

/* ---- options
 * -------------------------------------------------------------------- */

static void socket_options(void** state) {
  uv_loop_t loop;
  uv_tcp_t h;
  int fd;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &h), 0);
  /* Before the socket exists: remembered, applied when it is made. */
  assert_int_equal(uv_tcp_nodelay(&h, 1), 0);
  assert_int_equal(uv_tcp_keepalive(&h, 1, 60), 0);
  assert_int_equal(uv_tcp_simultaneous_accepts(&h, 1), 0);
  bind_any(&h);
  fd = fd_of(&h);
  assert_int_not_equal(sockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), 0);
  assert_int_not_equal(sockopt_int(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
  assert_int_equal(sockopt_int(fd, IPPROTO_TCP, TCP_KEEPIDLE), 60);

  assert_int_equal(uv_tcp_nodelay(&h, 0), 0);
  assert_int_equal(sockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), 0);
  assert_int_equal(uv_tcp_nodelay(&h, 1), 0);
  assert_int_not_equal(sockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), 0);
  assert_int_equal(uv_tcp_keepalive(&h, 1, 30), 0);
  assert_int_equal(sockopt_int(fd, IPPROTO_TCP, TCP_KEEPIDLE), 30);
  assert_int_equal(uv_tcp_keepalive(&h, 0, 0), 0);
  assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
  /* A zero delay is no delay at all. */
  assert_int_equal(uv_tcp_keepalive(&h, 1, 0), UV_EINVAL);
  assert_int_equal(uv_tcp_simultaneous_accepts(&h, 0), 0);
  assert_int_equal(uv_tcp_simultaneous_accepts(&h, 1), 0);

#if UV_VERSION_HEX >= UV_1_52
  assert_int_equal(uv_tcp_keepalive_ex(&h, 1, 10, 5, 3), 0);
  assert_int_not_equal(sockopt_int(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
  assert_int_equal(sockopt_int(fd, IPPROTO_TCP, TCP_KEEPIDLE), 10);
  assert_int_equal(sockopt_int(fd, IPPROTO_TCP, TCP_KEEPINTVL), 5);
  assert_int_equal(sockopt_int(fd, IPPROTO_TCP, TCP_KEEPCNT), 3);
  assert_int_equal(uv_tcp_keepalive_ex(&h, 1, 0, 5, 3), UV_EINVAL);
  assert_int_equal(uv_tcp_keepalive_ex(&h, 0, 0, 0, 0), 0);
  assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
#endif

  uv_close((uv_handle_t*)&h, NULL);
  loop_close_clean(&loop);
}

/* Options set on a handle before uv_accept reach the accepted socket. */
static void options_applied_on_accept(void** state) {
  int fd;
  (void)state;
  tpair_open_ex(&P, 0, AF_INET, 1);
  fd = fd_of(&P.conn.tcp);
  assert_int_not_equal(sockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), 0);
  assert_int_not_equal(sockopt_int(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
  assert_int_equal(sockopt_int(fd, IPPROTO_TCP, TCP_KEEPIDLE), 60);
  tpair_close(&P);
}

static void init_ex_families(void** state) {
  uv_loop_t loop;
  uv_tcp_t h4;
  uv_tcp_t h6;
  uv_tcp_t hu;
  uv_tcp_t bad;
  uv_os_fd_t fd;
  int sfd;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init_ex(&loop, &h4, AF_INET), 0);
  sfd = fd_of(&h4);
  assert_int_equal(sockopt_int(sfd, SOL_SOCKET, SO_DOMAIN), AF_INET);
  assert_int_equal(sockopt_int(sfd, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  assert_true(fcntl(sfd, F_GETFL) & O_NONBLOCK);
  assert_true(fcntl(sfd, F_GETFD) & FD_CLOEXEC);
  assert_int_equal(uv_is_readable((uv_stream_t*)&h4), 0);
  assert_int_equal(uv_is_writable((uv_stream_t*)&h4), 0);
  uv_close((uv_handle_t*)&h4, NULL);

  if (have_ipv6_loopback()) {
    assert_int_equal(uv_tcp_init_ex(&loop, &h6, AF_INET6), 0);
    assert_int_equal(sockopt_int(fd_of(&h6), SOL_SOCKET, SO_DOMAIN), AF_INET6);
    uv_close((uv_handle_t*)&h6, NULL);
  }

  /* AF_UNSPEC: no socket until one is needed. */
  assert_int_equal(uv_tcp_init_ex(&loop, &hu, AF_UNSPEC), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&hu, &fd), UV_EBADF);
  uv_close((uv_handle_t*)&hu, NULL);

  /* Refused before the handle is touched: nothing to close. */
  assert_int_equal(uv_tcp_init_ex(&loop, &bad, AF_UNIX), UV_EINVAL);
  assert_int_equal(uv_tcp_init_ex(&loop, &bad, AF_INET | 0x100), UV_EINVAL);
  loop_close_clean(&loop);
}

/* ---- uv_tcp_open
 * ------------------------------------------------------------------ */

/* A server that greets each connection with "hello" and closes it; it
 * closes itself after hello_limit connections. */
static int hello_limit;
static int hello_accepted;

static void hello_free_cb(uv_handle_t* h) { free(h); }

static void hello_written(uv_write_t* req, int status) {
  assert_int_equal(status, 0);
  uv_close((uv_handle_t*)req->handle, hello_free_cb);
  free(req);
}

static void hello_on_connection(uv_stream_t* server, int status) {
  static char hello[] = "hello";
  uv_buf_t b = uv_buf_init(hello, 5);
  uv_tcp_t* c = malloc(sizeof(*c));
  uv_write_t* w = malloc(sizeof(*w));

  assert_int_equal(status, 0);
  assert_non_null(c);
  assert_non_null(w);
  assert_int_equal(uv_tcp_init(server->loop, c), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)c), 0);
  assert_int_equal(uv_write(w, (uv_stream_t*)c, &b, 1, hello_written), 0);
  if (++hello_accepted == hello_limit) uv_close((uv_handle_t*)server, NULL);
}

static void start_hello_server(uv_loop_t* loop, uv_tcp_t* server, int limit,
                               struct sockaddr_in* addr) {
  hello_limit = limit;
  hello_accepted = 0;
  assert_int_equal(uv_tcp_init(loop, server), 0);
  *addr = ip4(bind_any(server));
  assert_int_equal(uv_listen((uv_stream_t*)server, 16, hello_on_connection), 0);
}

/* libuv lets a socket listen before there is a callback to take its
 * connections (uv_listen with NULL); a later uv_listen brings one.  Until
 * then the kernel's backlog holds what arrives: on eddy the loop may run
 * meanwhile (libuv would call the NULL callback, so it does not run here). */
static void listen_without_callback(void** state) {
  uv_loop_t loop;
  uv_tcp_t server;
  uv_tcp_t client;
  uv_connect_t req;
  struct sockaddr_in addr;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &server), 0);
  addr = ip4(bind_any(&server));
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, NULL), 0);
  assert_true(uv_is_active((uv_handle_t*)&server));

  assert_int_equal(uv_tcp_init(&loop, &client), 0);
  connect_calls = 0;
  assert_int_equal(uv_tcp_connect(&req, &client, (const struct sockaddr*)&addr,
                                  record_connect),
                   0);
  if (TEST_ON_EDDY) {
    /* The handshake completes in the kernel; nobody accepts. */
    while (connect_calls == 0) uv_run(&loop, UV_RUN_ONCE);
    assert_int_equal(connect_status_seen, 0);
    assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  }

  hello_limit = 1;
  hello_accepted = 0;
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, hello_on_connection),
                   0);
  while (hello_accepted == 0) uv_run(&loop, UV_RUN_ONCE);
  assert_int_equal(connect_calls, 1);
  assert_int_equal(connect_status_seen, 0);
  uv_close((uv_handle_t*)&client, NULL);
  loop_close_clean(&loop);
}

static void read_start_on_connect(uv_connect_t* req, int status) {
  assert_int_equal(status, 0);
  assert_int_equal(uv_read_start(req->handle, alloc_cb, on_read_keep), 0);
}

static void tcp_open_existing_socket(void** state) {
  uv_loop_t loop;
  uv_tcp_t server;
  struct end a;
  struct end d;
  uv_connect_t req;
  struct sockaddr_in addr;
  int fd;
  int fd2;
  int other;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  start_hello_server(&loop, &server, 2, &addr);

  /* A socket connected behind the loop's back (the kernel completes the
   * handshake from the listen backlog). */
  fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_true(fd >= 0);
  assert_int_equal(connect(fd, (struct sockaddr*)&addr, sizeof(addr)), 0);
  end_init(&loop, &a);
  assert_int_equal(uv_tcp_open(&a.tcp, fd), 0);
  assert_int_equal(fd_of(&a.tcp), fd);
  assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
  assert_int_equal(uv_is_readable((uv_stream_t*)&a.tcp), 1);
  assert_int_equal(uv_is_writable((uv_stream_t*)&a.tcp), 1);
  assert_int_equal(uv_read_start((uv_stream_t*)&a.tcp, alloc_cb, on_read_keep),
                   0);

  /* A fresh socket, opened then connected through the handle. */
  fd2 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_true(fd2 >= 0);
  end_init(&loop, &d);
  assert_int_equal(uv_tcp_open(&d.tcp, fd2), 0);
  /* Like libuv, an opened socket counts as readable and writable even
   * before it is connected. */
  assert_int_equal(uv_is_readable((uv_stream_t*)&d.tcp), 1);
  assert_int_equal(uv_is_writable((uv_stream_t*)&d.tcp), 1);
  other = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_true(other >= 0);
  assert_int_equal(uv_tcp_open(&d.tcp, other), UV_EBUSY);
  close(other);
  assert_int_equal(uv_tcp_connect(&req, &d.tcp, (const struct sockaddr*)&addr,
                                  read_start_on_connect),
                   0);

  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(hello_accepted, 2);
  assert_int_equal(a.len, 5);
  assert_memory_equal(a.data, "hello", 5);
  assert_int_equal(a.eof, 1);
  assert_int_equal(d.len, 5);
  assert_memory_equal(d.data, "hello", 5);
  assert_int_equal(d.eof, 1);
  uv_close((uv_handle_t*)&a.tcp, NULL);
  uv_close((uv_handle_t*)&d.tcp, NULL);
  loop_close_clean(&loop);
  /* Closing the handle closed the socket it was given. */
  assert_int_equal(fcntl(fd, F_GETFD), -1);
  end_free(&a);
  end_free(&d);
}

/* ---- closing with requests in flight
 * -------------------------------------------- */

static struct {
  char seq[16];
  int n;
  int status[4];
} cq;

static void cq_on_write(uv_write_t* req, int status) {
  int i = (int)(intptr_t)req->data;
  cq.status[i] = status;
  cq.seq[cq.n++] = (char)('0' + i);
}

static void cq_on_close(uv_handle_t* h) {
  /* Nothing is queued any more. */
  assert_int_equal(((uv_stream_t*)h)->write_queue_size, 0);
  cq.seq[cq.n++] = 'C';
}

static void close_with_writes_queued(void** state) {
  uv_write_t w[4];
  uv_buf_t b;
  char* src;
  int i;
  (void)state;

  memset(&cq, 0, sizeof(cq));
  src = malloc(BIG);
  assert_non_null(src);
  memset(src, 'z', BIG);
  tpair_open(&P, 16 * 1024);
  for (i = 0; i < 4; i++) {
    /* One write the socket cannot take, then small ones behind it. */
    b = uv_buf_init(src, i == 0 ? BIG : 10);
    w[i].data = (void*)(intptr_t)i;
    assert_int_equal(
        uv_write(&w[i], (uv_stream_t*)&P.client.tcp, &b, 1, cq_on_write), 0);
  }
  assert_true(P.client.tcp.write_queue_size > 0);
  uv_close((uv_handle_t*)&P.client.tcp, cq_on_close);
  assert_int_equal(cq.n, 0); /* nothing from inside uv_close */
  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);
  assert_string_equal(cq.seq, "0123C");
  for (i = 0; i < 4; i++) assert_int_equal(cq.status[i], UV_ECANCELED);
  tpair_close(&P);
  free(src);
}

static struct {
  char seq[8];
  int n;
  int status;
} cc;

static void cc_on_connect(uv_connect_t* req, int status) {
  (void)req;
  cc.status = status;
  cc.seq[cc.n++] = 'c';
}

static void cc_on_close(uv_handle_t* h) {
  cc.seq[cc.n++] = 'C';
  /* Done with the server as well (it may have accepted the connection the
   * kernel completed, or not). */
  uv_close((uv_handle_t*)h->data, NULL);
}

static void cc_on_connection(uv_stream_t* server, int status) {
  uv_tcp_t* c = malloc(sizeof(*c));
  assert_int_equal(status, 0);
  assert_int_equal(uv_tcp_init(server->loop, c), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)c), 0);
  uv_close((uv_handle_t*)c, hello_free_cb);
}

static void close_during_connect(void** state) {
  uv_loop_t loop;
  uv_tcp_t server;
  uv_tcp_t c;
  uv_connect_t req;
  struct sockaddr_in addr;
  (void)state;

  memset(&cc, 0, sizeof(cc));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &server), 0);
  addr = ip4(bind_any(&server));
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, cc_on_connection), 0);
  assert_int_equal(uv_tcp_init(&loop, &c), 0);
  c.data = &server;
  assert_int_equal(
      uv_tcp_connect(&req, &c, (const struct sockaddr*)&addr, cc_on_connect),
      0);
  uv_close((uv_handle_t*)&c, cc_on_close);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_string_equal(cc.seq, "cC");
  assert_int_equal(cc.status, UV_ECANCELED);
  loop_close_clean(&loop);
}

/* ---- writing before the connection is up
 * ------------------------------------------ */

static struct {
  char seq[8];
  int n;
  int connect_status;
  int write_status;
  int shutdown_status;
  uv_tcp_t server;
  struct end conn;
} wc;

static void wc_on_connect(uv_connect_t* req, int status) {
  (void)req;
  wc.connect_status = status;
  wc.seq[wc.n++] = 'c';
}

static void wc_on_write(uv_write_t* req, int status) {
  (void)req;
  wc.write_status = status;
  wc.seq[wc.n++] = 'w';
}

static void wc_on_shutdown(uv_shutdown_t* req, int status) {
  (void)req;
  wc.shutdown_status = status;
  wc.seq[wc.n++] = 's';
}

static void wc_conn_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  on_read_keep(s, n, buf);
  if (n == UV_EOF) uv_close((uv_handle_t*)s, on_close_end);
}

static void wc_on_connection(uv_stream_t* server, int status) {
  assert_int_equal(status, 0);
  end_init(server->loop, &wc.conn);
  assert_int_equal(uv_accept(server, (uv_stream_t*)&wc.conn.tcp), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&wc.conn.tcp, alloc_cb, wc_conn_on_read), 0);
  uv_close((uv_handle_t*)server, NULL);
}

static void write_while_connecting(void** state) {
  uv_loop_t loop;
  struct end c;
  uv_connect_t req;
  uv_write_t w;
  uv_shutdown_t sreq;
  struct sockaddr_in addr;
  uv_buf_t b = uv_buf_init("hello", 5);
  (void)state;

  memset(&wc, 0, sizeof(wc));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &wc.server), 0);
  addr = ip4(bind_any(&wc.server));
  assert_int_equal(uv_listen((uv_stream_t*)&wc.server, 16, wc_on_connection),
                   0);
  end_init(&loop, &c);
  assert_int_equal(uv_tcp_connect(&req, &c.tcp, (const struct sockaddr*)&addr,
                                  wc_on_connect),
                   0);
  /* Reading, writing and shutting down may all be asked for at once; the
   * write and the shutdown wait for the connection. */
  assert_int_equal(uv_read_start((uv_stream_t*)&c.tcp, alloc_cb, on_read_keep),
                   0);
  assert_int_equal(uv_write(&w, (uv_stream_t*)&c.tcp, &b, 1, wc_on_write), 0);
  assert_int_equal(uv_try_write((uv_stream_t*)&c.tcp, &b, 1), UV_EAGAIN);
  assert_int_equal(uv_shutdown(&sreq, (uv_stream_t*)&c.tcp, wc_on_shutdown), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_string_equal(wc.seq, "cws");
  assert_int_equal(wc.connect_status, 0);
  assert_int_equal(wc.write_status, 0);
  assert_int_equal(wc.shutdown_status, 0);
  assert_int_equal(wc.conn.len, 5);
  assert_memory_equal(wc.conn.data, "hello", 5);
  assert_int_equal(wc.conn.eof, 1);
  assert_int_equal(c.eof, 1);
  uv_close((uv_handle_t*)&c.tcp, NULL);
  loop_close_clean(&loop);
  end_free(&c);
  end_free(&wc.conn);
}

/* A write queued behind a connect that fails is canceled, after the
 * connect callback. */
static void failed_connect_cancels_writes(void** state) {
  uv_loop_t loop;
  uv_tcp_t c;
  uv_connect_t req;
  uv_write_t w;
  struct sockaddr_in addr;
  uv_buf_t b = uv_buf_init("hello", 5);
  int holder;
  (void)state;

  memset(&wc, 0, sizeof(wc));
  addr = ip4(closed_port(&holder));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &c), 0);
  assert_int_equal(
      uv_tcp_connect(&req, &c, (const struct sockaddr*)&addr, wc_on_connect),
      0);
  assert_int_equal(uv_write(&w, (uv_stream_t*)&c, &b, 1, wc_on_write), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_string_equal(wc.seq, "cw");
  assert_int_equal(wc.connect_status, UV_ECONNREFUSED);
  assert_int_equal(wc.write_status, UV_ECANCELED);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
  close(holder);
}

static void connect_twice_is_ealready(void** state) {
  uv_loop_t loop;
  uv_tcp_t server;
  uv_tcp_t c;
  uv_connect_t req;
  uv_connect_t req2;
  struct sockaddr_in addr;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  start_hello_server(&loop, &server, 1, &addr);
  assert_int_equal(uv_tcp_init(&loop, &c), 0);
  connect_calls = 0;
  assert_int_equal(
      uv_tcp_connect(&req, &c, (const struct sockaddr*)&addr, record_connect),
      0);
  assert_int_equal(
      uv_tcp_connect(&req2, &c, (const struct sockaddr*)&addr, record_connect),
      UV_EALREADY);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(connect_calls, 1);
  assert_int_equal(connect_status_seen, 0);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* ---- accepting
 * ---------------------------------------------------------------------- */

#define MANY_CONNECTIONS 200

static struct {
  uv_loop_t loop;
  uv_tcp_t server;
  uv_tcp_t client;
  uv_tcp_t spare; /* never accepted into */
  uv_connect_t req;
  struct sockaddr_in addr;
  int connects;
  int accepts;
  int client_closed;
} mc;

static void mc_connect_next(void);

static void mc_maybe_next(void) {
  /* One connection at a time: the next starts once this one was accepted
   * and the client side is closed. */
  if (!mc.client_closed || mc.accepts != mc.connects) return;
  if (mc.connects == MANY_CONNECTIONS) {
    uv_close((uv_handle_t*)&mc.server, NULL);
    uv_close((uv_handle_t*)&mc.spare, NULL);
    return;
  }
  mc_connect_next();
}

static void mc_on_client_close(uv_handle_t* h) {
  (void)h;
  mc.client_closed = 1;
  mc_maybe_next();
}

static void mc_on_connect(uv_connect_t* req, int status) {
  assert_int_equal(status, 0);
  mc.connects++;
  uv_close((uv_handle_t*)req->handle, mc_on_client_close);
}

static void mc_connect_next(void) {
  mc.client_closed = 0;
  assert_int_equal(uv_tcp_init(&mc.loop, &mc.client), 0);
  assert_int_equal(
      uv_tcp_connect(&mc.req, &mc.client, (const struct sockaddr*)&mc.addr,
                     mc_on_connect),
      0);
}

static void mc_on_connection(uv_stream_t* server, int status) {
  uv_tcp_t* c = malloc(sizeof(*c));
  assert_int_equal(status, 0);
  assert_non_null(c);
  assert_int_equal(uv_tcp_init(server->loop, c), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)c), 0);
  /* One connection per callback: nothing else is waiting. */
  assert_int_equal(uv_accept(server, (uv_stream_t*)&mc.spare), UV_EAGAIN);
  uv_close((uv_handle_t*)c, hello_free_cb);
  mc.accepts++;
  mc_maybe_next();
}

static void many_connections_one_by_one(void** state) {
  (void)state;
  memset(&mc, 0, sizeof(mc));
  assert_int_equal(uv_loop_init(&mc.loop), 0);
  assert_int_equal(uv_tcp_init(&mc.loop, &mc.server), 0);
  assert_int_equal(uv_tcp_init(&mc.loop, &mc.spare), 0);
  mc.addr = ip4(bind_any(&mc.server));
  assert_int_equal(uv_listen((uv_stream_t*)&mc.server, 128, mc_on_connection),
                   0);
  assert_int_equal(uv_accept((uv_stream_t*)&mc.server, (uv_stream_t*)&mc.spare),
                   UV_EAGAIN);
  mc_connect_next();
  assert_int_equal(uv_run(&mc.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(mc.connects, MANY_CONNECTIONS);
  assert_int_equal(mc.accepts, MANY_CONNECTIONS);
  loop_close_clean(&mc.loop);
}

/* ---- 1,000 connections open at once ----------------------------------------
 *
 * Every client connects, then writes its index; the server keeps every
 * connection it accepts open and reads the index from it, so that each
 * accepted socket is tied to exactly one client.  Connects are started a
 * window at a time, so that the listen backlog never overflows (an
 * overflowing SYN is retried by the kernel a second later). */

#define THOUSAND 1000
#define THOUSAND_WINDOW 64

struct tc_conn {
  uv_tcp_t tcp;
  int index; /* what it read; -1 until then */
  int got;   /* bytes of index read */
  unsigned char buf[4];
};

static struct {
  uv_loop_t loop;
  uv_tcp_t server;
  uv_tcp_t clients[THOUSAND];
  uv_connect_t creqs[THOUSAND];
  uv_write_t wreqs[THOUSAND];
  unsigned char idx[THOUSAND][4];
  struct tc_conn* conns[THOUSAND];
  unsigned char seen[THOUSAND];
  struct sockaddr_in addr;
  int started;
  int connected;
  int written;
  int accepted;
  int identified;
  int closed;
} tc;

static void tc_connect_more(void);

static void tc_on_close(uv_handle_t* h) {
  (void)h;
  tc.closed++;
}

static void tc_close_all(void) {
  int i;
  for (i = 0; i < THOUSAND; i++) {
    uv_close((uv_handle_t*)&tc.clients[i], tc_on_close);
    uv_close((uv_handle_t*)&tc.conns[i]->tcp, tc_on_close);
  }
  uv_close((uv_handle_t*)&tc.server, NULL);
}

static void tc_alloc(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  struct tc_conn* c = h->data;
  (void)size;
  buf->base = (char*)c->buf + c->got;
  buf->len = sizeof(c->buf) - (size_t)c->got;
}

static void tc_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct tc_conn* c = s->data;
  (void)buf;
  if (n == 0) return;
  assert_true(n > 0);
  c->got += (int)n;
  if (c->got < 4) return;
  c->index = c->buf[0] | c->buf[1] << 8 | c->buf[2] << 16 | c->buf[3] << 24;
  assert_true(c->index >= 0 && c->index < THOUSAND);
  assert_int_equal(tc.seen[c->index], 0);
  tc.seen[c->index] = 1;
  tc.identified++;
  assert_int_equal(uv_read_stop(s), 0);
  /* Everything stays open until the last one is in. */
  if (tc.identified == THOUSAND) tc_close_all();
}

static void tc_on_connection(uv_stream_t* server, int status) {
  struct tc_conn* c;
  assert_int_equal(status, 0);
  assert_true(tc.accepted < THOUSAND);
  c = calloc(1, sizeof(*c));
  assert_non_null(c);
  c->index = -1;
  assert_int_equal(uv_tcp_init(server->loop, &c->tcp), 0);
  c->tcp.data = c;
  assert_int_equal(uv_accept(server, (uv_stream_t*)&c->tcp), 0);
  tc.conns[tc.accepted++] = c;
  assert_int_equal(uv_read_start((uv_stream_t*)&c->tcp, tc_alloc, tc_on_read),
                   0);
}

static void tc_on_write(uv_write_t* req, int status) {
  (void)req;
  assert_int_equal(status, 0);
  tc.written++;
  tc_connect_more();
}

static void tc_on_connect(uv_connect_t* req, int status) {
  int i = (int)(req - tc.creqs);
  uv_buf_t b = uv_buf_init((char*)tc.idx[i], 4);
  assert_int_equal(status, 0);
  tc.connected++;
  assert_int_equal(uv_write(&tc.wreqs[i], req->handle, &b, 1, tc_on_write), 0);
}

/* Keeps at most a window of connections between connect and the write of
 * their index. */
static void tc_connect_more(void) {
  int i;
  while (tc.started < THOUSAND && tc.started - tc.written < THOUSAND_WINDOW) {
    i = tc.started++;
    tc.idx[i][0] = (unsigned char)i;
    tc.idx[i][1] = (unsigned char)(i >> 8);
    tc.idx[i][2] = (unsigned char)(i >> 16);
    tc.idx[i][3] = (unsigned char)(i >> 24);
    assert_int_equal(uv_tcp_init(&tc.loop, &tc.clients[i]), 0);
    assert_int_equal(
        uv_tcp_connect(&tc.creqs[i], &tc.clients[i],
                       (const struct sockaddr*)&tc.addr, tc_on_connect),
        0);
  }
}

/* Two descriptors per connection, plus the test's own: raises the soft
 * limit to the hard one where needed; 0 when that is still too low. */
static int enough_descriptors(rlim_t need) {
  struct rlimit rl;
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) return 0;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? need : rl.rlim_max;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
  }
  return 1;
}

static void thousand_connections_open_at_once(void** state) {
  int i;
  (void)state;

  if (!enough_descriptors(2 * THOUSAND + 64)) skip();
  memset(&tc, 0, sizeof(tc));
  assert_int_equal(uv_loop_init(&tc.loop), 0);
  assert_int_equal(uv_tcp_init(&tc.loop, &tc.server), 0);
  tc.addr = ip4(bind_any(&tc.server));
  assert_int_equal(
      uv_listen((uv_stream_t*)&tc.server, 2 * THOUSAND_WINDOW, tc_on_connection),
      0);
  tc_connect_more();
  assert_int_equal(uv_run(&tc.loop, UV_RUN_DEFAULT), 0);

  assert_int_equal(tc.connected, THOUSAND);
  assert_int_equal(tc.written, THOUSAND);
  assert_int_equal(tc.accepted, THOUSAND);
  assert_int_equal(tc.identified, THOUSAND);
  assert_int_equal(tc.closed, 2 * THOUSAND);
  for (i = 0; i < THOUSAND; i++) {
    assert_int_equal(tc.seen[i], 1);
    free(tc.conns[i]);
  }
  loop_close_clean(&tc.loop);
}

/* ---- echo of 16 MiB, every write queued at once -----------------------------
 *
 * The client queues the whole 16 MiB at once, in writes of varied sizes
 * and buffer counts, then shuts down; the peer echoes each read back.  The
 * client checks each byte it reads back against the source as it comes. */

#define ECHO16 (16 * MIB)

static struct {
  char* src;
  int nwrites;
  int ncb;
  int next_cb; /* index the next write callback must carry */
  uv_shutdown_t sreq;
  int shutdowns;
} e16;

static void e16_on_write(uv_write_t* req, int status) {
  struct wreq* w = (struct wreq*)req;
  assert_int_equal(status, 0);
  assert_int_equal(w->index, e16.next_cb);
  e16.next_cb++;
  e16.ncb++;
  free(w);
}

static void e16_on_shutdown(uv_shutdown_t* req, int status) {
  (void)req;
  assert_int_equal(status, 0);
  assert_int_equal(e16.ncb, e16.nwrites);
  e16.shutdowns++;
}

static void echo_16mib_many_writes_in_flight(void** state) {
  uv_stream_t* s;
  struct wreq* w;
  uv_buf_t b[8];
  size_t off = 0;
  size_t n;
  size_t part;
  int nb;
  int j;
  (void)state;

  memset(&e16, 0, sizeof(e16));
  echo_shutdowns = 0;
  e16.src = malloc(ECHO16);
  assert_non_null(e16.src);
  fill_pattern(e16.src, ECHO16, 16);
  tpair_open(&P, 0);
  s = (uv_stream_t*)&P.client.tcp;
  P.client.expect = e16.src;
  P.client.expect_len = ECHO16;
  assert_int_equal(
      uv_read_start((uv_stream_t*)&P.conn.tcp, alloc_cb, echo_on_read), 0);
  assert_int_equal(uv_read_start(s, alloc_cb, on_read_keep), 0);

  while (off < ECHO16) {
    /* 1 byte to about 128 KiB, in 1 to 8 buffers. */
    n = ((size_t)e16.nwrites * 7919u) % (128 * 1024) + 1;
    if (n > ECHO16 - off) n = ECHO16 - off;
    nb = e16.nwrites % 8 + 1;
    if ((size_t)nb > n) nb = (int)n;
    w = wreq_new(e16.src + off, n, e16.nwrites);
    part = n / (size_t)nb;
    for (j = 0; j < nb; j++)
      b[j] = uv_buf_init(w->data + (size_t)j * part,
                         (unsigned int)(j == nb - 1 ? n - (size_t)j * part
                                                    : part));
    assert_int_equal(uv_write(&w->req, s, b, (unsigned int)nb, e16_on_write),
                     0);
    e16.nwrites++;
    off += n;
  }
  /* The socket cannot take 16 MiB at once: most of it waits queued. */
  assert_true(s->write_queue_size > 0);
  assert_int_equal(uv_shutdown(&e16.sreq, s, e16_on_shutdown), 0);

  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);

  assert_int_equal(e16.ncb, e16.nwrites);
  assert_int_equal(e16.shutdowns, 1);
  assert_int_equal(echo_shutdowns, 1);
  assert_int_equal(s->write_queue_size, 0);
  assert_int_equal(P.client.len, ECHO16);
  assert_int_equal(P.client.eof, 1);
  assert_int_equal(P.client.error, 0);
  tpair_close(&P);
  free(e16.src);
}

/* A connection callback that does not accept: the next one waits until
 * uv_accept takes the connection, later. */
#define DEFERRED 3

static struct {
  uv_tcp_t server;
  uv_check_t check;
  uv_tcp_t clients[DEFERRED];
  uv_connect_t reqs[DEFERRED];
  int calls;
  int accepted;
  int connected;
} da;

static void da_on_check(uv_check_t* h) {
  uv_tcp_t* c = malloc(sizeof(*c));
  assert_non_null(c);
  assert_int_equal(uv_tcp_init(h->loop, c), 0);
  assert_int_equal(uv_accept((uv_stream_t*)&da.server, (uv_stream_t*)c), 0);
  uv_close((uv_handle_t*)c, hello_free_cb);
  da.accepted++;
  assert_int_equal(uv_check_stop(h), 0);
  if (da.accepted == DEFERRED) {
    uv_close((uv_handle_t*)&da.server, NULL);
    uv_close((uv_handle_t*)&da.check, NULL);
  }
}

static void da_on_connection(uv_stream_t* server, int status) {
  (void)server;
  assert_int_equal(status, 0);
  da.calls++;
  assert_int_equal(da.calls, da.accepted + 1);
  assert_int_equal(uv_check_start(&da.check, da_on_check), 0);
}

static void da_on_connect(uv_connect_t* req, int status) {
  assert_int_equal(status, 0);
  da.connected++;
  uv_close((uv_handle_t*)req->handle, NULL);
}

static void deferred_accept(void** state) {
  uv_loop_t loop;
  struct sockaddr_in addr;
  int i;
  (void)state;

  memset(&da, 0, sizeof(da));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &da.server), 0);
  assert_int_equal(uv_check_init(&loop, &da.check), 0);
  addr = ip4(bind_any(&da.server));
  assert_int_equal(uv_listen((uv_stream_t*)&da.server, 16, da_on_connection),
                   0);
  for (i = 0; i < DEFERRED; i++) {
    assert_int_equal(uv_tcp_init(&loop, &da.clients[i]), 0);
    assert_int_equal(
        uv_tcp_connect(&da.reqs[i], &da.clients[i],
                       (const struct sockaddr*)&addr, da_on_connect),
        0);
  }
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(da.calls, DEFERRED);
  assert_int_equal(da.accepted, DEFERRED);
  assert_int_equal(da.connected, DEFERRED);
  loop_close_clean(&loop);
}

static void listen_without_bind(void** state) {
  uv_loop_t loop;
  uv_tcp_t h;
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, &h), 0);
  assert_int_equal(uv_listen((uv_stream_t*)&h, 16, noop_connection_cb), 0);
  assert_int_equal(uv_tcp_getsockname(&h, (struct sockaddr*)&ss, &len), 0);
  assert_int_equal(ss.ss_family, AF_INET);
  assert_int_not_equal(((struct sockaddr_in*)&ss)->sin_port, 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&h), 1);
  uv_close((uv_handle_t*)&h, NULL);
  loop_close_clean(&loop);
}

/* ---- descriptors and buffer sizes
 * ---------------------------------------------------- */

static void fileno_and_buffer_sizes(void** state) {
  uv_tcp_t h;
  uv_os_fd_t fd;
  int v;
  int fd_client;
  (void)state;

  tpair_open(&P, 0);
  assert_int_equal(uv_tcp_init(&P.loop, &h), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&h, &fd), UV_EBADF);
  v = 0;
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&h, &v), UV_EBADF);
  uv_close((uv_handle_t*)&h, NULL);

  fd_client = fd_of(&P.client.tcp);
  assert_int_equal(sockopt_int(fd_client, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  v = 0;
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&P.client.tcp, &v), 0);
  assert_true(v > 0);
  v = 64 * 1024;
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&P.client.tcp, &v), 0);
  v = 0;
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&P.client.tcp, &v), 0);
  assert_true(v >= 64 * 1024); /* Linux reports twice what was set */
  assert_int_equal(v, sockopt_int(fd_client, SOL_SOCKET, SO_SNDBUF));
  v = 0;
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)&P.client.tcp, &v), 0);
  assert_true(v > 0);
  v = 48 * 1024;
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)&P.client.tcp, &v), 0);
  v = 0;
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)&P.client.tcp, &v), 0);
  assert_true(v >= 48 * 1024);
  assert_int_equal(v, sockopt_int(fd_client, SOL_SOCKET, SO_RCVBUF));

  uv_close((uv_handle_t*)&P.client.tcp, on_close_end);
  assert_int_equal(uv_fileno((uv_handle_t*)&P.client.tcp, &fd), UV_EBADF);
  tpair_close(&P);
}

/* ---- eddy's answers to bad input
 * ------------------------------------------------------- */

static void eddy_bad_arguments(void** state) {
  uv_loop_t loop;
  uv_tcp_t h;
  uv_timer_t t;
  uv_connect_t req;
  struct sockaddr_in a = ip4(0);
  struct sockaddr_storage ss;
  int len = sizeof(ss);
  uv_os_sock_t sv[2];
  (void)state;
  EDDY_ONLY();

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tcp_init(&loop, NULL), UV_EINVAL);
  assert_int_equal(uv_tcp_init_ex(NULL, &h, AF_INET), UV_EINVAL);
  assert_int_equal(uv_tcp_init(&loop, &h), 0);
  assert_int_equal(uv_tcp_bind(NULL, (const struct sockaddr*)&a, 0), UV_EINVAL);
  assert_int_equal(uv_tcp_bind(&h, NULL, 0), UV_EINVAL);
  assert_int_equal(uv_tcp_bind(&h, (const struct sockaddr*)&a, 0x100),
                   UV_EINVAL);
  assert_int_equal(uv_tcp_connect(NULL, &h, (const struct sockaddr*)&a, NULL),
                   UV_EINVAL);
  assert_int_equal(uv_tcp_connect(&req, &h, NULL, NULL), UV_EINVAL);
  assert_int_equal(uv_tcp_connect(&req, NULL, (const struct sockaddr*)&a, NULL),
                   UV_EINVAL);
  assert_int_equal(uv_tcp_open(&h, -1), UV_EINVAL);
  assert_int_equal(uv_tcp_open(NULL, 0), UV_EINVAL);
  assert_int_equal(uv_tcp_nodelay(NULL, 1), UV_EINVAL);
  assert_int_equal(uv_tcp_keepalive(NULL, 1, 60), UV_EINVAL);
  assert_int_equal(uv_tcp_simultaneous_accepts(NULL, 1), UV_EINVAL);
  assert_int_equal(uv_tcp_getsockname(&h, NULL, &len), UV_EINVAL);
  assert_int_equal(uv_tcp_getsockname(&h, (struct sockaddr*)&ss, NULL),
                   UV_EINVAL);
  assert_int_equal(uv_tcp_getpeername(NULL, (struct sockaddr*)&ss, &len),
                   UV_EINVAL);
  assert_int_equal(uv_tcp_close_reset(NULL, NULL), UV_EINVAL);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, NULL, 0, 0), UV_EINVAL);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, sv, 0x1, 0), UV_EINVAL);
  assert_int_equal(uv_listen(NULL, 16, noop_connection_cb), UV_EINVAL);

  /* A handle of another type. */
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_tcp_bind((uv_tcp_t*)&t, (const struct sockaddr*)&a, 0),
                   UV_EINVAL);
  assert_int_equal(uv_tcp_nodelay((uv_tcp_t*)&t, 1), UV_EINVAL);
  uv_close((uv_handle_t*)&t, NULL);

  /* A closing handle. */
  uv_close((uv_handle_t*)&h, NULL);
  assert_int_equal(uv_tcp_close_reset(&h, NULL), UV_EINVAL);
  assert_int_equal(uv_tcp_connect(&req, &h, (const struct sockaddr*)&a, NULL),
                   UV_EINVAL);
  assert_int_equal(uv_listen((uv_stream_t*)&h, 16, noop_connection_cb),
                   UV_EINVAL);
  loop_close_clean(&loop);
}

/* Programs built against libuv read a stream's descriptor from libuv's
 * private io_watcher.fd (offset 184) instead of calling uv_fileno: an
 * accept hook reads the accepted client's there, Bigloo's binding reads
 * every stream's there.  It must be the handle's descriptor while it has
 * one, and -1 before and after (found with libwebsockets, which does the
 * same with poll handles). */
static void fd_at_libuvs_offset(void** state) {
  uv_tcp_t unbound;
  uv_os_fd_t fd;
  (void)state;
  tpair_open(&P, 0);
  assert_int_equal(uv_tcp_init(&P.loop, &unbound), 0);
  assert_int_equal(fd_at_libuv_offset(&unbound, LIBUV_STREAM_FD_OFFSET), -1);
  assert_int_equal(uv_fileno((uv_handle_t*)&P.client.tcp, &fd), 0);
  assert_int_equal(fd_at_libuv_offset(&P.client.tcp, LIBUV_STREAM_FD_OFFSET), fd);
  assert_int_equal(uv_fileno((uv_handle_t*)&P.conn.tcp, &fd), 0);
  assert_int_equal(fd_at_libuv_offset(&P.conn.tcp, LIBUV_STREAM_FD_OFFSET), fd);
  assert_int_equal(fd_at_libuv_offset(&P.server, LIBUV_STREAM_FD_OFFSET), -1);
  uv_close((uv_handle_t*)&unbound, NULL);
  uv_close((uv_handle_t*)&P.client.tcp, on_close_end);
  assert_int_equal(uv_run(&P.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(fd_at_libuv_offset(&P.client.tcp, LIBUV_STREAM_FD_OFFSET), -1);
  assert_int_equal(fd_at_libuv_offset(&unbound, LIBUV_STREAM_FD_OFFSET), -1);
  tpair_close(&P);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(echo_many_writes),
      cmocka_unit_test(fd_at_libuvs_offset),
      cmocka_unit_test(echo_many_writes_ipv6),
      cmocka_unit_test(large_transfer_each_way),
      cmocka_unit_test(echo_16mib_many_writes_in_flight),
      cmocka_unit_test(try_write_partial_then_eagain),
      cmocka_unit_test(shutdown_then_peer_eof),
      cmocka_unit_test(close_reset_gives_econnreset),
      cmocka_unit_test(close_reset_refused_while_shutting),
      cmocka_unit_test(write_to_closed_peer_fails),
      cmocka_unit_test(gathered_write_to_closed_peer_fails),
      cmocka_unit_test(connect_refused),
      cmocka_unit_test(connect_unreachable_at_once),
      cmocka_unit_test(addr_in_use_reported_later),
      cmocka_unit_test(listen_without_callback),
      cmocka_unit_test(bind_after_close),
      cmocka_unit_test(open_watched_socket),
      cmocka_unit_test(bind_flags),
      cmocka_unit_test(sockname_and_peername),
      cmocka_unit_test(socket_options),
      cmocka_unit_test(options_applied_on_accept),
      cmocka_unit_test(init_ex_families),
      cmocka_unit_test(tcp_open_existing_socket),
      cmocka_unit_test(close_with_writes_queued),
      cmocka_unit_test(close_during_connect),
      cmocka_unit_test(write_while_connecting),
      cmocka_unit_test(failed_connect_cancels_writes),
      cmocka_unit_test(connect_twice_is_ealready),
      cmocka_unit_test(many_connections_one_by_one),
      cmocka_unit_test(thousand_connections_open_at_once),
      cmocka_unit_test(deferred_accept),
      cmocka_unit_test(listen_without_bind),
      cmocka_unit_test(fileno_and_buffer_sizes),
      cmocka_unit_test(eddy_bad_arguments),
  };
  /* libuv writes with writev: a closed peer raises SIGPIPE, which libuv's
   * own test runner ignores.  eddy must not need that. */
  signal(SIGPIPE, TEST_ON_EDDY ? SIG_DFL : SIG_IGN);
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
