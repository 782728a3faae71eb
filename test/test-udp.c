/* eddy tests — UDP handles (src/unix/udp.c).
 *
 * Traffic stays on 127.0.0.1 (and ::1 when the machine has it), ports are
 * the kernel's.  A connected AF_UNIX datagram socketpair, adopted with
 * uv_udp_open, stands in where a socket must refuse to take more (a full
 * receive queue on the peer blocks the sender deterministically, where
 * UDP over loopback would drop instead).
 *
 * The file also builds against the system's libuv (without eddy's
 * include/) and passes there: tests of functions newer than that libuv
 * are compiled only when uv/version.h says they exist; tests named eddy_*
 * check eddy's answers where libuv aborts or differs, and skip themselves
 * off eddy.  EDDY_TEST_SKIP=pattern skips tests by name. */
#include "test-helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define UV_AT_LEAST(maj, min) \
  (UV_VERSION_HEX >= (((maj) << 16) | ((min) << 8)))

/* ---- helpers ------------------------------------------------------------------ */

/* Keeps UV_RUN_ONCE from sleeping forever while a test waits for a
 * condition; loop_teardown closes it with the rest. */
static void guard_cb(uv_timer_t* t) { (void)t; }

#define RUN_UNTIL(loop, cond)                                      \
  do {                                                             \
    uv_timer_t* g_ = malloc(sizeof(*g_));                          \
    uint64_t t0_ = uv_hrtime();                                    \
    assert_non_null(g_);                                           \
    assert_int_equal(uv_timer_init((loop), g_), 0);                \
    assert_int_equal(uv_timer_start(g_, guard_cb, 20, 20), 0);     \
    while (!(cond)) {                                              \
      assert_true(uv_hrtime() - t0_ < 5000000000ull);              \
      uv_run((loop), UV_RUN_ONCE);                                 \
    }                                                              \
    uv_close((uv_handle_t*)g_, free_handle_cb);                    \
  } while (0)

static void free_handle_cb(uv_handle_t* h) { free(h); }

#define MAX_DGRAMS 128
#define DGRAM_CAP 64

/* What a receiving handle saw. */
struct rx {
  int n;                     /* datagrams (nread >= 0 with an address) */
  int empty;                 /* "nothing more": nread 0, addr NULL */
  int errors;
  ssize_t last_error;
  int frees;                 /* UV_UDP_MMSG_FREE callbacks */
  size_t bufsize;            /* what alloc_cb hands out, 0: suggested */
  size_t suggested;
  int stop_after;            /* recv_stop after this many datagrams */
  char data[MAX_DGRAMS][DGRAM_CAP];
  ssize_t len[MAX_DGRAMS];
  unsigned int flags[MAX_DGRAMS];
  struct sockaddr_storage from[MAX_DGRAMS];
  char* chunk_base[MAX_DGRAMS];
  char* alloc_base;          /* the last buffer handed out */
  char* free_base;           /* the buffer of the MMSG_FREE callback */
};

static void rx_alloc_cb(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  struct rx* rx = h->data;
  size_t size = rx->bufsize != 0 ? rx->bufsize : suggested;
  rx->suggested = suggested;
  buf->base = malloc(size);
  buf->len = size;
  rx->alloc_base = buf->base;
}

static void rx_recv_cb(uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
                       const struct sockaddr* addr, unsigned flags) {
  struct rx* rx = h->data;
  int i;

  if (nread < 0) {
    rx->errors++;
    rx->last_error = nread;
  } else if (addr == NULL) {
    assert_int_equal(nread, 0);
    if (flags & UV_UDP_MMSG_FREE) {
      rx->frees++;
      rx->free_base = buf->base;
    } else {
      rx->empty++;
    }
  } else {
    i = rx->n++;
    assert_true(i < MAX_DGRAMS);
    rx->len[i] = nread;
    rx->flags[i] = flags;
    memcpy(rx->data[i], buf->base,
           (size_t)nread < DGRAM_CAP ? (size_t)nread : DGRAM_CAP);
    memcpy(&rx->from[i], addr,
           addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : sizeof(struct sockaddr_in));
    rx->chunk_base[i] = buf->base;
    if (rx->stop_after != 0 && rx->n == rx->stop_after)
      assert_int_equal(uv_udp_recv_stop(h), 0);
  }
  /* Chunks of a recvmmsg buffer are not ours to free. */
  if (!(flags & UV_UDP_MMSG_CHUNK)) free(buf->base);
}

/* Sends finished, in order. */
struct tx {
  int n;
  int status[MAX_DGRAMS];
  int index[MAX_DGRAMS];
  size_t count_at_cb[MAX_DGRAMS];
  size_t size_at_cb[MAX_DGRAMS];
  int closed;       /* the close callback ran */
  int n_at_close;   /* send callbacks that ran before it */
};

struct send_req {
  uv_udp_send_t req;
  int index;
  struct tx* tx;
};

static void tx_send_cb(uv_udp_send_t* req, int status) {
  struct send_req* s = (struct send_req*)req;
  struct tx* tx = s->tx;
  int i = tx->n++;
  assert_true(i < MAX_DGRAMS);
  tx->status[i] = status;
  tx->index[i] = s->index;
  tx->count_at_cb[i] = uv_udp_get_send_queue_count(req->handle);
  tx->size_at_cb[i] = uv_udp_get_send_queue_size(req->handle);
}

static void tx_close_cb(uv_handle_t* h) {
  struct tx* tx = h->data;
  tx->closed = 1;
  tx->n_at_close = tx->n;
}

static struct sockaddr_in ip4(const char* ip, int port) {
  struct sockaddr_in a;
  assert_int_equal(uv_ip4_addr(ip, port, &a), 0);
  return a;
}

static struct sockaddr_in sockname4(uv_udp_t* h) {
  struct sockaddr_in a;
  int len = sizeof(a);
  assert_int_equal(uv_udp_getsockname(h, (struct sockaddr*)&a, &len), 0);
  assert_int_equal(len, (int)sizeof(a));
  assert_int_equal(a.sin_family, AF_INET);
  return a;
}

/* Inits h and binds it to 127.0.0.1, a port of the kernel's choice. */
static struct sockaddr_in bind_lo4(uv_loop_t* loop, uv_udp_t* h) {
  struct sockaddr_in a = ip4("127.0.0.1", 0);
  assert_int_equal(uv_udp_init(loop, h), 0);
  assert_int_equal(uv_udp_bind(h, (const struct sockaddr*)&a, 0), 0);
  return sockname4(h);
}

static int same_addr4(const struct sockaddr_storage* ss,
                      const struct sockaddr_in* a) {
  const struct sockaddr_in* b = (const struct sockaddr_in*)ss;
  return b->sin_family == AF_INET && b->sin_port == a->sin_port &&
         b->sin_addr.s_addr == a->sin_addr.s_addr;
}

static uv_buf_t buf_of(const char* s) {
  return uv_buf_init((char*)s, (unsigned int)strlen(s));
}

/* A connected AF_UNIX datagram pair: sv[0] for the handle, sv[1] the
 * peer that does not read. */
static void unix_dgram_pair(int sv[2]) {
  assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
  assert_int_equal(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
}

/* Fills the peer's queue through the handle until the kernel says wait. */
static int fill_until_eagain(uv_udp_t* h) {
  char byte = 'f';
  uv_buf_t b = uv_buf_init(&byte, 1);
  int i;
  int r = 0;

  for (i = 0; i < 100000; i++) {
    r = uv_udp_try_send(h, &b, 1, NULL);
    if (r != 1) break;
  }
  assert_int_equal(r, UV_EAGAIN);
  return i;
}

/* Reads and drops what sv waits with (non-blocking). */
static int drain(int fd) {
  char buf[256];
  int n = 0;
  while (recv(fd, buf, sizeof(buf), 0) >= 0) n++;
  assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
  return n;
}

/* ---- send and receive ------------------------------------------------------------ */

static void send_recv_ipv4(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct sockaddr_in ca;
  struct rx srx;
  struct rx crx;
  struct tx tx;
  struct send_req s1;
  struct send_req s2;
  uv_buf_t b = buf_of("hello, eddy");
  (void)state;

  memset(&srx, 0, sizeof(srx));
  memset(&crx, 0, sizeof(crx));
  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  ca = bind_lo4(&loop, &client);
  server.data = &srx;
  client.data = &crx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_recv_start(&client, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_recv_start(&client, rx_alloc_cb, rx_recv_cb),
                   UV_EALREADY);

  s1.tx = &tx;
  s1.index = 0;
  assert_int_equal(uv_udp_send(&s1.req, &client, &b, 1,
                               (const struct sockaddr*)&sa, tx_send_cb),
                   0);
  /* The callback comes from the loop, never from inside uv_udp_send. */
  assert_int_equal(tx.n, 0);
  assert_ptr_equal(s1.req.handle, &client);
  assert_int_equal(s1.req.type, UV_UDP_SEND);
  RUN_UNTIL(&loop, srx.n == 1 && tx.n == 1);
  assert_int_equal(tx.status[0], 0);
  assert_int_equal(srx.len[0], 11);
  assert_memory_equal(srx.data[0], "hello, eddy", 11);
  assert_int_equal(srx.flags[0], 0);
  assert_true(same_addr4(&srx.from[0], &ca));
  assert_int_equal(srx.suggested, 65536);
  /* The read that found nothing more handed the buffer back. */
  assert_true(srx.empty >= 1);
  assert_int_equal(srx.errors, 0);

  /* Answer the sender at the address it came from. */
  b = buf_of("pong");
  s2.tx = &tx;
  s2.index = 1;
  assert_int_equal(uv_udp_send(&s2.req, &server, &b, 1,
                               (const struct sockaddr*)&srx.from[0],
                               tx_send_cb),
                   0);
  RUN_UNTIL(&loop, crx.n == 1 && tx.n == 2);
  assert_int_equal(crx.len[0], 4);
  assert_memory_equal(crx.data[0], "pong", 4);
  assert_true(same_addr4(&crx.from[0], &sa));

  /* An empty datagram: nread 0 with an address. */
  b = uv_buf_init(NULL, 0);
  assert_int_equal(uv_udp_try_send(&client, &b, 1,
                                   (const struct sockaddr*)&sa),
                   0);
  RUN_UNTIL(&loop, srx.n == 2);
  assert_int_equal(srx.len[1], 0);
  assert_true(same_addr4(&srx.from[1], &ca));

  assert_int_equal(uv_udp_recv_stop(&server), 0);
  assert_int_equal(uv_udp_recv_stop(&server), 0);
  uv_close((uv_handle_t*)&server, NULL);
  uv_close((uv_handle_t*)&client, NULL);
  loop_teardown(&loop);
}

static void send_recv_ipv6(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in6 sa;
  struct sockaddr_in6 ca;
  struct sockaddr_in6* from;
  struct rx rx;
  uv_buf_t b = buf_of("six");
  int len;
  int r;
  (void)state;

  memset(&rx, 0, sizeof(rx));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &server), 0);
  assert_int_equal(uv_ip6_addr("::1", 0, &sa), 0);
  r = uv_udp_bind(&server, (const struct sockaddr*)&sa, UV_UDP_IPV6ONLY);
  if (r == UV_EADDRNOTAVAIL || r == UV_EAFNOSUPPORT) {
    loop_teardown(&loop);
    skip(); /* no ::1 here */
  }
  assert_int_equal(r, 0);
  len = sizeof(sa);
  assert_int_equal(uv_udp_getsockname(&server, (struct sockaddr*)&sa, &len), 0);
  assert_int_equal(len, (int)sizeof(sa));
  assert_int_equal(sa.sin6_family, AF_INET6);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);

  assert_int_equal(uv_udp_init_ex(&loop, &client, AF_INET6), 0);
  assert_int_equal(uv_udp_try_send(&client, &b, 1,
                                   (const struct sockaddr*)&sa),
                   3);
  len = sizeof(ca);
  assert_int_equal(uv_udp_getsockname(&client, (struct sockaddr*)&ca, &len), 0);
  RUN_UNTIL(&loop, rx.n == 1);
  assert_int_equal(rx.len[0], 3);
  assert_memory_equal(rx.data[0], "six", 3);
  from = (struct sockaddr_in6*)&rx.from[0];
  assert_int_equal(from->sin6_family, AF_INET6);
  assert_int_equal(from->sin6_port, ca.sin6_port);
  assert_memory_equal(&from->sin6_addr, &in6addr_loopback,
                      sizeof(in6addr_loopback));

  /* IPv6 flavours of the options. */
  assert_int_equal(uv_udp_set_ttl(&client, 9), 0);
  assert_int_equal(uv_udp_set_multicast_ttl(&client, 3), 0);
  assert_int_equal(uv_udp_set_multicast_loop(&client, 1), 0);
  assert_int_equal(uv_udp_set_multicast_interface(&client, "::1"), 0);
  assert_int_equal(uv_udp_set_multicast_interface(&client, NULL), 0);
  loop_teardown(&loop);
}

/* Many datagrams: callbacks in order, the counters true at each callback,
 * the datagrams received in order. */
static void many_in_order(void** state) {
  enum { N = 64 };
  static struct send_req reqs[N];
  static char payload[N][DGRAM_CAP];
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct rx rx;
  struct tx tx;
  uv_buf_t b;
  size_t total = 0;
  size_t left;
  int i;
  (void)state;

  memset(&rx, 0, sizeof(rx));
  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  assert_int_equal(uv_udp_get_send_queue_count(&client), 0);
  assert_int_equal(uv_udp_get_send_queue_size(&client), 0);

  for (i = 0; i < N; i++) {
    memset(payload[i], 'a' + i % 26, sizeof(payload[i]));
    payload[i][0] = (char)i;
    b = uv_buf_init(payload[i], (unsigned int)(i % 40 + 1));
    total += b.len;
    reqs[i].tx = &tx;
    reqs[i].index = i;
    assert_int_equal(uv_udp_send(&reqs[i].req, &client, &b, 1,
                                 (const struct sockaddr*)&sa, tx_send_cb),
                     0);
  }
  /* Counted until just before each callback. */
  assert_int_equal(client.send_queue_count, N);
  assert_int_equal(client.send_queue_size, total);
  assert_int_equal(tx.n, 0);
  assert_true(uv_is_active((uv_handle_t*)&client));

  RUN_UNTIL(&loop, tx.n == N && rx.n == N);
  left = total;
  for (i = 0; i < N; i++) {
    assert_int_equal(tx.index[i], i);
    assert_int_equal(tx.status[i], 0);
    left -= (size_t)(i % 40 + 1);
    assert_int_equal(tx.count_at_cb[i], (size_t)(N - 1 - i));
    assert_int_equal(tx.size_at_cb[i], left);
    assert_int_equal(rx.len[i], i % 40 + 1);
    assert_int_equal((unsigned char)rx.data[i][0], i);
    assert_memory_equal(rx.data[i] + 1, payload[i] + 1, (size_t)rx.len[i] - 1);
  }
  assert_int_equal(uv_udp_get_send_queue_count(&client), 0);
  assert_int_equal(uv_udp_get_send_queue_size(&client), 0);
  /* Nothing to send, not reading: no longer active. */
  assert_false(uv_is_active((uv_handle_t*)&client));
  loop_teardown(&loop);
}

/* A send of several buffers is one datagram. */
static void send_gathers_buffers(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct send_req s;
  struct rx rx;
  struct tx tx;
  uv_buf_t bufs[6];
  (void)state;

  memset(&rx, 0, sizeof(rx));
  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  bufs[0] = buf_of("one ");
  bufs[1] = buf_of("two ");
  bufs[2] = uv_buf_init(NULL, 0);
  bufs[3] = buf_of("three ");
  bufs[4] = buf_of("four ");
  bufs[5] = buf_of("five");
  s.tx = &tx;
  s.index = 0;
  assert_int_equal(uv_udp_send(&s.req, &client, bufs, 6,
                               (const struct sockaddr*)&sa, tx_send_cb),
                   0);
  assert_int_equal(client.send_queue_size, 23);
  RUN_UNTIL(&loop, rx.n == 1 && tx.n == 1);
  assert_int_equal(rx.len[0], 23);
  assert_memory_equal(rx.data[0], "one two three four five", 23);
  loop_teardown(&loop);
}

static void truncated_datagram_is_partial(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct rx rx;
  uv_buf_t b = buf_of("0123456789abcdefghijklmnopqrstuv");
  (void)state;

  memset(&rx, 0, sizeof(rx));
  rx.bufsize = 8;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  assert_int_equal(uv_udp_try_send(&client, &b, 1,
                                   (const struct sockaddr*)&sa),
                   32);
  b = buf_of("short");
  assert_int_equal(uv_udp_try_send(&client, &b, 1,
                                   (const struct sockaddr*)&sa),
                   5);
  RUN_UNTIL(&loop, rx.n == 2);
  assert_int_equal(rx.len[0], 8);
  assert_memory_equal(rx.data[0], "01234567", 8);
  assert_true(rx.flags[0] & UV_UDP_PARTIAL);
  /* The rest of it is gone: the next datagram is the next one. */
  assert_int_equal(rx.len[1], 5);
  assert_memory_equal(rx.data[1], "short", 5);
  assert_int_equal(rx.flags[1], 0);
  loop_teardown(&loop);
}

/* ---- connected handles ---------------------------------------------------------- */

static void connected_send_recv(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  uv_udp_t third;
  struct sockaddr_in sa;
  struct sockaddr_in ca;
  struct sockaddr_in ta;
  struct sockaddr_in peer;
  struct rx trx;
  struct send_req s;
  struct rx srx;
  struct rx crx;
  struct tx tx;
  uv_buf_t b = buf_of("connected");
  int len;
  (void)state;

  memset(&srx, 0, sizeof(srx));
  memset(&crx, 0, sizeof(crx));
  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &srx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);

  assert_int_equal(uv_udp_init(&loop, &client), 0);
  assert_int_equal(uv_udp_connect(&client, NULL), UV_ENOTCONN);
  assert_int_equal(uv_udp_connect(&client, (const struct sockaddr*)&sa), 0);
  assert_int_equal(uv_udp_connect(&client, (const struct sockaddr*)&sa),
                   UV_EISCONN);
  len = sizeof(peer);
  assert_int_equal(uv_udp_getpeername(&client, (struct sockaddr*)&peer, &len),
                   0);
  assert_int_equal(len, (int)sizeof(peer));
  assert_int_equal(peer.sin_port, sa.sin_port);
  assert_int_equal(peer.sin_addr.s_addr, sa.sin_addr.s_addr);
  ca = sockname4(&client);

  /* A connected handle takes no address. */
  s.tx = &tx;
  s.index = 0;
  assert_int_equal(uv_udp_send(&s.req, &client, &b, 1,
                               (const struct sockaddr*)&sa, tx_send_cb),
                   UV_EISCONN);
  assert_int_equal(uv_udp_try_send(&client, &b, 1,
                                   (const struct sockaddr*)&sa),
                   UV_EISCONN);
  assert_int_equal(uv_udp_send(&s.req, &client, &b, 1, NULL, tx_send_cb), 0);
  RUN_UNTIL(&loop, srx.n == 1 && tx.n == 1);
  assert_int_equal(tx.status[0], 0);
  assert_int_equal(srx.len[0], 9);
  assert_memory_equal(srx.data[0], "connected", 9);
  assert_true(same_addr4(&srx.from[0], &ca));

  /* The other way round, the server connected to the client. */
  client.data = &crx;
  assert_int_equal(uv_udp_recv_start(&client, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_connect(&server, (const struct sockaddr*)&ca), 0);
  b = buf_of("back");
  assert_int_equal(uv_udp_try_send(&server, &b, 1, NULL), 4);
  RUN_UNTIL(&loop, crx.n == 1);
  assert_memory_equal(crx.data[0], "back", 4);
  assert_true(same_addr4(&crx.from[0], &sa));

  /* Disconnecting: once, then there is nothing to disconnect. */
  assert_int_equal(uv_udp_connect(&client, NULL), 0);
  assert_int_equal(uv_udp_connect(&client, NULL), UV_ENOTCONN);
  len = sizeof(peer);
  assert_int_equal(uv_udp_getpeername(&client, (struct sockaddr*)&peer, &len),
                   UV_ENOTCONN);
  assert_int_equal(uv_udp_send(&s.req, &client, &b, 1, NULL, tx_send_cb),
                   UV_EDESTADDRREQ);
  assert_int_equal(uv_udp_try_send(&client, &b, 1, NULL), UV_EDESTADDRREQ);
  /* And it can send anywhere again.  (Linux gives a socket bound to port
   * 0 a new port on disconnecting: another receiver, not the server,
   * which is connected to the old one.) */
  memset(&trx, 0, sizeof(trx));
  ta = bind_lo4(&loop, &third);
  third.data = &trx;
  assert_int_equal(uv_udp_recv_start(&third, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_try_send(&client, &b, 1,
                                   (const struct sockaddr*)&ta),
                   4);
  RUN_UNTIL(&loop, trx.n == 1);
  loop_teardown(&loop);
}

/* More buffers than the request holds inline need an allocation; when it
 * fails the send is refused whole, and nothing is counted. */
static void send_enomem_leaves_nothing(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct send_req s;
  struct rx rx;
  struct tx tx;
  uv_buf_t b[6];
  int i;
  int r;
  (void)state;

  memset(&rx, 0, sizeof(rx));
  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  bind_lo4(&loop, &client);
  for (i = 0; i < 6; i++) b[i] = buf_of("ab");
  s.tx = &tx;
  s.index = 0;
  test_alloc_install(1);
  r = uv_udp_send(&s.req, &client, b, 6, (const struct sockaddr*)&sa,
                  tx_send_cb);
  test_alloc_restore();
  assert_int_equal(r, UV_ENOMEM);
  assert_int_equal(test_alloc.live, 0);
  assert_int_equal(client.send_queue_count, 0);
  assert_int_equal(client.send_queue_size, 0);
  /* With memory, the same send goes (and frees its copy). */
  test_alloc_install(0);
  assert_int_equal(uv_udp_send(&s.req, &client, b, 6,
                               (const struct sockaddr*)&sa, tx_send_cb),
                   0);
  RUN_UNTIL(&loop, tx.n == 1 && rx.n == 1);
  test_alloc_restore();
  assert_int_equal(rx.len[0], 12);
  loop_teardown(&loop);
}

/* A datagram the kernel refuses fails alone; the queue goes on.  (libuv
 * fails every datagram of the sendmmsg batch that met the error: the
 * third one too, there.) */
static void failed_send_does_not_block_queue(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct send_req s[3];
  struct rx rx;
  struct tx tx;
  uv_buf_t b[3];
  char* big;
  int i;
  (void)state;

  memset(&rx, 0, sizeof(rx));
  memset(&tx, 0, sizeof(tx));
  big = calloc(1, 70000); /* more than an IPv4 datagram can carry */
  assert_non_null(big);
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  b[0] = buf_of("before");
  b[1] = uv_buf_init(big, 70000);
  b[2] = buf_of("after");
  for (i = 0; i < 3; i++) {
    s[i].tx = &tx;
    s[i].index = i;
    assert_int_equal(uv_udp_send(&s[i].req, &client, &b[i], 1,
                                 (const struct sockaddr*)&sa, tx_send_cb),
                     0);
  }
  assert_int_equal(client.send_queue_size, 70011);
  RUN_UNTIL(&loop, tx.n == 3 && rx.n >= (TEST_ON_EDDY ? 2 : 1));
  assert_int_equal(tx.status[0], 0);
  assert_int_equal(tx.status[1], UV_EMSGSIZE);
  assert_memory_equal(rx.data[0], "before", 6);
  if (TEST_ON_EDDY) {
    assert_int_equal(tx.status[2], 0);
    assert_memory_equal(rx.data[1], "after", 5);
  }
  assert_int_equal(client.send_queue_size, 0);
  free(big);
  loop_teardown(&loop);
}

/* A connected socket hears of a closed port: the read reports it, and
 * the handle goes on reading. */
static void connected_refused_reaches_recv_cb(void** state) {
  uv_loop_t loop;
  uv_udp_t gone;
  uv_udp_t client;
  struct sockaddr_in dead;
  struct rx rx;
  uv_buf_t b = buf_of("anyone?");
  (void)state;

  memset(&rx, 0, sizeof(rx));
  assert_int_equal(uv_loop_init(&loop), 0);
  /* A port that was just free: bound, then closed. */
  dead = bind_lo4(&loop, &gone);
  uv_close((uv_handle_t*)&gone, NULL);
  uv_run(&loop, UV_RUN_NOWAIT);

  assert_int_equal(uv_udp_init(&loop, &client), 0);
  assert_int_equal(uv_udp_connect(&client, (const struct sockaddr*)&dead), 0);
  client.data = &rx;
  assert_int_equal(uv_udp_recv_start(&client, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_try_send(&client, &b, 1, NULL), 7);
  RUN_UNTIL(&loop, rx.errors == 1);
  assert_int_equal(rx.last_error, UV_ECONNREFUSED);
  assert_true(uv_is_active((uv_handle_t*)&client));
  loop_teardown(&loop);
}

/* ---- errors ----------------------------------------------------------------------- */

static void init_and_bind_errors(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  uv_udp_t h2;
  struct sockaddr_in a = ip4("127.0.0.1", 0);
  struct sockaddr_in6 a6;
  struct sockaddr_storage ss;
  struct sockaddr unspec;
  int len;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init_ex(&loop, &h, AF_UNIX), UV_EINVAL);
  assert_int_equal(uv_udp_init_ex(&loop, &h, AF_INET | 0x1000), UV_EINVAL);
  assert_int_equal(uv_udp_init_ex(&loop, &h, AF_INET | UV_UDP_RECVMMSG), 0);
  /* init_ex with a family made the socket: it has a name already. */
  len = sizeof(ss);
  assert_int_equal(uv_udp_getsockname(&h, (struct sockaddr*)&ss, &len), 0);
  assert_int_equal(ss.ss_family, AF_INET);

  assert_int_equal(uv_udp_bind(&h, (const struct sockaddr*)&a, 0x80),
                   UV_EINVAL);
  assert_int_equal(uv_udp_bind(&h, (const struct sockaddr*)&a,
                               UV_UDP_IPV6ONLY),
                   UV_EINVAL);
  memset(&unspec, 0, sizeof(unspec));
  unspec.sa_family = AF_UNSPEC;
  assert_int_equal(uv_udp_bind(&h, &unspec, 0), UV_EINVAL);
  assert_int_equal(uv_udp_connect(&h, &unspec), UV_EINVAL);
  assert_int_equal(uv_udp_bind(&h, (const struct sockaddr*)&a, 0), 0);
  /* Bound already. */
  assert_int_equal(uv_udp_bind(&h, (const struct sockaddr*)&a, 0), UV_EINVAL);
  /* The socket is IPv4: an IPv6 address does not fit it. */
  assert_int_equal(uv_ip6_addr("::1", 0, &a6), 0);
  assert_int_equal(uv_udp_init_ex(&loop, &h2, AF_INET), 0);
  assert_int_equal(uv_udp_bind(&h2, (const struct sockaddr*)&a6, 0),
                   UV_EINVAL);

  len = sizeof(ss);
  assert_int_equal(uv_udp_getpeername(&h, (struct sockaddr*)&ss, &len),
                   UV_ENOTCONN);
  assert_int_equal(uv_udp_recv_start(&h, NULL, NULL), UV_EINVAL);
  assert_int_equal(uv_udp_recv_start(&h, rx_alloc_cb, NULL), UV_EINVAL);
  assert_int_equal(uv_udp_recv_stop(&h), 0);
  loop_teardown(&loop);
}

/* Without a socket (uv_udp_init, nothing done yet): the options and the
 * names have no descriptor to work on. */
static void unbound_handle_errors(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  struct sockaddr_storage ss;
  uv_buf_t b = buf_of("x");
  uv_udp_send_t req;
  uv_os_fd_t fd;
  int len;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  len = sizeof(ss);
  assert_int_equal(uv_udp_getsockname(&h, (struct sockaddr*)&ss, &len),
                   UV_EBADF);
  len = sizeof(ss);
  assert_int_equal(uv_udp_getpeername(&h, (struct sockaddr*)&ss, &len),
                   UV_EBADF);
  assert_int_equal(uv_udp_set_ttl(&h, 10), UV_EBADF);
  assert_int_equal(uv_udp_set_broadcast(&h, 1), UV_EBADF);
  assert_int_equal(uv_udp_set_multicast_loop(&h, 1), UV_EBADF);
  assert_int_equal(uv_udp_set_multicast_ttl(&h, 1), UV_EBADF);
  assert_int_equal(uv_udp_set_multicast_interface(&h, NULL), UV_EBADF);
  assert_int_equal(uv_fileno((uv_handle_t*)&h, &fd), UV_EBADF);
  assert_int_equal(uv_udp_send(&req, &h, &b, 1, NULL, NULL), UV_EDESTADDRREQ);
  assert_int_equal(uv_udp_try_send(&h, &b, 1, NULL), UV_EDESTADDRREQ);
  assert_int_equal(uv_udp_using_recvmmsg(&h), 0);
  /* Ranges are checked before the descriptor. */
  assert_int_equal(uv_udp_set_ttl(&h, 0), UV_EINVAL);
  loop_teardown(&loop);
}

static void ttl_and_option_ranges(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  int v;
  socklen_t len = sizeof(v);
  uv_os_fd_t fd;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  bind_lo4(&loop, &h);
  assert_int_equal(uv_udp_set_ttl(&h, 0), UV_EINVAL);
  assert_int_equal(uv_udp_set_ttl(&h, 256), UV_EINVAL);
  assert_int_equal(uv_udp_set_ttl(&h, -1), UV_EINVAL);
  assert_int_equal(uv_udp_set_ttl(&h, 1), 0);
  assert_int_equal(uv_udp_set_ttl(&h, 255), 0);
  assert_int_equal(uv_udp_set_ttl(&h, 42), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&h, &fd), 0);
  assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_TTL, &v, &len), 0);
  assert_int_equal(v, 42);

  assert_int_equal(uv_udp_set_multicast_ttl(&h, -1), UV_EINVAL);
  assert_int_equal(uv_udp_set_multicast_ttl(&h, 256), UV_EINVAL);
  assert_int_equal(uv_udp_set_multicast_ttl(&h, 0), 0);
  assert_int_equal(uv_udp_set_multicast_ttl(&h, 7), 0);
  len = sizeof(v);
  assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &v, &len), 0);
  assert_int_equal(v, 7);

  assert_int_equal(uv_udp_set_multicast_loop(&h, -1), UV_EINVAL);
  assert_int_equal(uv_udp_set_multicast_loop(&h, 0), 0);
  len = sizeof(v);
  assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &v, &len),
                   0);
  assert_int_equal(v, 0);
  assert_int_equal(uv_udp_set_multicast_loop(&h, 1), 0);

  assert_int_equal(uv_udp_set_broadcast(&h, 1), 0);
  len = sizeof(v);
  assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, &len), 0);
  assert_int_equal(v, 1);
  assert_int_equal(uv_udp_set_broadcast(&h, 0), 0);
  loop_teardown(&loop);
}

/* eddy's answers where libuv asserts or crashes. */
static void eddy_bad_arguments_are_einval(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  uv_udp_send_t req;
  struct sockaddr_in a = ip4("127.0.0.1", 9);
  uv_buf_t b = buf_of("x");
  uv_timer_t timer;
  (void)state;
  EDDY_ONLY();

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(NULL, &h), UV_EINVAL);
  assert_int_equal(uv_udp_init(&loop, NULL), UV_EINVAL);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  assert_int_equal(uv_udp_bind(&h, NULL, 0), UV_EINVAL);
  assert_int_equal(uv_udp_send(NULL, &h, &b, 1,
                               (const struct sockaddr*)&a, NULL),
                   UV_EINVAL);
  assert_int_equal(uv_udp_send(&req, &h, NULL, 1,
                               (const struct sockaddr*)&a, NULL),
                   UV_EINVAL);
  /* No buffers at all (libuv asserts): an empty datagram is one buffer
   * of length 0. */
  assert_int_equal(uv_udp_send(&req, &h, &b, 0,
                               (const struct sockaddr*)&a, NULL),
                   UV_EINVAL);
  assert_int_equal(uv_udp_try_send(&h, &b, 0, (const struct sockaddr*)&a),
                   UV_EINVAL);
  /* A handle of another type. */
  assert_int_equal(uv_timer_init(&loop, &timer), 0);
  assert_int_equal(uv_udp_recv_stop((uv_udp_t*)&timer), UV_EINVAL);
  assert_int_equal(uv_udp_set_ttl((uv_udp_t*)&timer, 3), UV_EINVAL);
  assert_int_equal(uv_udp_get_send_queue_count(NULL), 0);
  assert_int_equal(uv_udp_using_recvmmsg(NULL), 0);
  /* A closing handle takes nothing new. */
  uv_close((uv_handle_t*)&h, NULL);
  assert_int_equal(uv_udp_send(&req, &h, &b, 1,
                               (const struct sockaddr*)&a, NULL),
                   UV_EINVAL);
  assert_int_equal(uv_udp_try_send(&h, &b, 1, (const struct sockaddr*)&a),
                   UV_EINVAL);
  assert_int_equal(uv_udp_recv_start(&h, rx_alloc_cb, rx_recv_cb), UV_EINVAL);
  assert_int_equal(uv_udp_bind(&h, (const struct sockaddr*)&a, 0), UV_EINVAL);
  loop_teardown(&loop);
}

/* ---- try_send ------------------------------------------------------------------------ */

static void try_send_and_queue(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct send_req s;
  struct rx rx;
  struct tx tx;
  uv_buf_t b[2];
  (void)state;

  memset(&rx, 0, sizeof(rx));
  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  b[0] = buf_of("try");
  b[1] = buf_of("-send");
  /* The implicit bind happens here. */
  assert_int_equal(uv_udp_try_send(&client, b, 2, (const struct sockaddr*)&sa),
                   8);
  assert_int_equal(sockname4(&client).sin_family, AF_INET);
  /* A queued send is not overtaken. */
  s.tx = &tx;
  s.index = 0;
  assert_int_equal(uv_udp_send(&s.req, &client, b, 1,
                               (const struct sockaddr*)&sa, tx_send_cb),
                   0);
  assert_int_equal(uv_udp_try_send(&client, b, 1, (const struct sockaddr*)&sa),
                   UV_EAGAIN);
  RUN_UNTIL(&loop, rx.n == 2 && tx.n == 1);
  assert_int_equal(rx.len[0], 8);
  assert_memory_equal(rx.data[0], "try-send", 8);
  assert_int_equal(rx.len[1], 3);
  assert_int_equal(uv_udp_try_send(&client, b, 1, (const struct sockaddr*)&sa),
                   3);
  RUN_UNTIL(&loop, rx.n == 3);
  loop_teardown(&loop);
}

/* A socket that must wait: try_send says UV_EAGAIN, uv_udp_send queues
 * and finishes once the peer reads (POLLOUT). */
static void full_socket_queues_sends(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  struct send_req s[3];
  struct tx tx;
  char got[16];
  uv_buf_t b[3];
  int sv[2];
  int filled;
  int i;
  (void)state;

  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  unix_dgram_pair(sv);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  assert_int_equal(uv_udp_open(&h, sv[0]), 0);
  filled = fill_until_eagain(&h);
  assert_true(filled > 0);

  b[0] = buf_of("A1");
  b[1] = buf_of("B22");
  b[2] = buf_of("C333");
  for (i = 0; i < 3; i++) {
    s[i].tx = &tx;
    s[i].index = i;
    assert_int_equal(uv_udp_send(&s[i].req, &h, &b[i], 1, NULL, tx_send_cb), 0);
  }
  assert_int_equal(h.send_queue_count, 3);
  assert_int_equal(h.send_queue_size, 9);
  assert_int_equal(uv_udp_try_send(&h, &b[0], 1, NULL), UV_EAGAIN);
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(tx.n, 0); /* still waiting for room */
  assert_int_equal(h.send_queue_count, 3);

  assert_int_equal(drain(sv[1]), filled);
  RUN_UNTIL(&loop, tx.n == 3);
  for (i = 0; i < 3; i++) {
    assert_int_equal(tx.index[i], i);
    assert_int_equal(tx.status[i], 0);
  }
  assert_int_equal(h.send_queue_count, 0);
  assert_int_equal(h.send_queue_size, 0);
  assert_int_equal(recv(sv[1], got, sizeof(got), 0), 2);
  assert_memory_equal(got, "A1", 2);
  assert_int_equal(recv(sv[1], got, sizeof(got), 0), 3);
  assert_memory_equal(got, "B22", 3);
  assert_int_equal(recv(sv[1], got, sizeof(got), 0), 4);
  assert_memory_equal(got, "C333", 4);
  uv_close((uv_handle_t*)&h, NULL); /* closes sv[0] */
  loop_teardown(&loop);
  close(sv[1]);
}

static void close_cancels_queued_sends(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  struct send_req s[3];
  struct tx tx;
  uv_buf_t b = buf_of("queued");
  int sv[2];
  int i;
  (void)state;

  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  unix_dgram_pair(sv);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  h.data = &tx;
  assert_int_equal(uv_udp_open(&h, sv[0]), 0);
  fill_until_eagain(&h);
  for (i = 0; i < 3; i++) {
    s[i].tx = &tx;
    s[i].index = i;
    assert_int_equal(uv_udp_send(&s[i].req, &h, &b, 1, NULL, tx_send_cb), 0);
  }
  uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(tx.n, 0);
  uv_close((uv_handle_t*)&h, tx_close_cb);
  assert_int_equal(tx.n, 0); /* not inside uv_close */
  RUN_UNTIL(&loop, tx.closed);
  assert_int_equal(tx.n, 3);
  assert_int_equal(tx.n_at_close, 3); /* all before the close callback */
  for (i = 0; i < 3; i++) {
    assert_int_equal(tx.index[i], i);
    assert_int_equal(tx.status[i], UV_ECANCELED);
    assert_int_equal(tx.count_at_cb[i], (size_t)(2 - i));
  }
  assert_int_equal(h.send_queue_count, 0);
  assert_int_equal(h.send_queue_size, 0);
  loop_teardown(&loop);
  close(sv[1]);
}

/* A send that went out at once still reports success when the handle is
 * closed before its callback could run. */
static void close_after_sent_reports_success(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct send_req s;
  struct tx tx;
  uv_buf_t b = buf_of("bye");
  (void)state;

  memset(&tx, 0, sizeof(tx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  client.data = &tx;
  s.tx = &tx;
  s.index = 0;
  assert_int_equal(uv_udp_send(&s.req, &client, &b, 1,
                               (const struct sockaddr*)&sa, tx_send_cb),
                   0);
  uv_close((uv_handle_t*)&client, tx_close_cb);
  RUN_UNTIL(&loop, tx.closed);
  assert_int_equal(tx.n, 1);
  assert_int_equal(tx.n_at_close, 1);
  assert_int_equal(tx.status[0], 0);
  loop_teardown(&loop);
}

#if UV_AT_LEAST(1, 50)
static void try_send2_batches(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct rx rx;
  uv_buf_t b0[1];
  uv_buf_t b1[2];
  uv_buf_t b2[1];
  uv_buf_t* bufs[3];
  unsigned int nbufs[3];
  struct sockaddr* addrs[3];
  (void)state;

  memset(&rx, 0, sizeof(rx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  bind_lo4(&loop, &client);
  b0[0] = buf_of("first");
  b1[0] = buf_of("sec");
  b1[1] = buf_of("ond");
  b2[0] = buf_of("third");
  bufs[0] = b0;
  bufs[1] = b1;
  bufs[2] = b2;
  nbufs[0] = 1;
  nbufs[1] = 2;
  nbufs[2] = 1;
  addrs[0] = addrs[1] = addrs[2] = (struct sockaddr*)&sa;
  assert_int_equal(uv_udp_try_send2(&client, 3, bufs, nbufs, addrs, 0), 3);
  RUN_UNTIL(&loop, rx.n == 3);
  assert_int_equal(rx.len[0], 5);
  assert_memory_equal(rx.data[0], "first", 5);
  assert_int_equal(rx.len[1], 6);
  assert_memory_equal(rx.data[1], "second", 6);
  assert_int_equal(rx.len[2], 5);
  assert_memory_equal(rx.data[2], "third", 5);
  assert_int_equal(uv_udp_try_send2(&client, 0, bufs, nbufs, addrs, 0), 0);
  loop_teardown(&loop);
}

static void eddy_try_send2_checks(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct rx rx;
  uv_buf_t b = buf_of("x");
  uv_buf_t* bufs[2] = {&b, &b};
  unsigned int nbufs[2] = {1, 1};
  struct sockaddr* addrs[2];
  (void)state;
  EDDY_ONLY();

  memset(&rx, 0, sizeof(rx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  addrs[0] = (struct sockaddr*)&sa;
  addrs[1] = NULL;
  assert_int_equal(uv_udp_try_send2(&client, 2, bufs, nbufs, addrs, 1),
                   UV_EINVAL);
  /* The first datagram cannot go: its error. */
  assert_int_equal(uv_udp_try_send2(&client, 2, bufs, nbufs, addrs + 1, 0),
                   UV_EDESTADDRREQ);
  /* The second cannot: the count of those that went. */
  assert_int_equal(uv_udp_try_send2(&client, 2, bufs, nbufs, addrs, 0), 1);
  RUN_UNTIL(&loop, rx.n == 1);
  loop_teardown(&loop);
}
#endif

/* ---- receiving: recvmmsg, stopping ------------------------------------------------- */

static void recvmmsg_chunks(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct sockaddr_in ca;
  struct rx rx;
  uv_buf_t b;
  char msg[8];
  int i;
  (void)state;

  memset(&rx, 0, sizeof(rx));
  rx.bufsize = 4 * 65536;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init_ex(&loop, &server, AF_INET | UV_UDP_RECVMMSG),
                   0);
  assert_int_equal(uv_udp_using_recvmmsg(&server), 1);
  sa = ip4("127.0.0.1", 0);
  assert_int_equal(uv_udp_bind(&server, (const struct sockaddr*)&sa, 0), 0);
  sa = sockname4(&server);
  ca = bind_lo4(&loop, &client);
  /* Three datagrams wait before the first read: one recvmmsg takes all. */
  for (i = 0; i < 3; i++) {
    snprintf(msg, sizeof(msg), "mm%d", i);
    b = buf_of(msg);
    assert_int_equal(uv_udp_try_send(&client, &b, 1,
                                     (const struct sockaddr*)&sa),
                     3);
  }
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  RUN_UNTIL(&loop, rx.frees == 1);
  assert_int_equal(rx.n, 3);
  for (i = 0; i < 3; i++) {
    snprintf(msg, sizeof(msg), "mm%d", i);
    assert_int_equal(rx.len[i], 3);
    assert_memory_equal(rx.data[i], msg, 3);
    assert_int_equal(rx.flags[i], UV_UDP_MMSG_CHUNK);
    assert_true(same_addr4(&rx.from[i], &ca));
    /* Slot i of the one buffer. */
    assert_ptr_equal(rx.chunk_base[i], rx.chunk_base[0] + i * 65536);
  }
  assert_ptr_equal(rx.free_base, rx.chunk_base[0]);
  loop_teardown(&loop);
}

/* A buffer too small for a recvmmsg slot is read the ordinary way (libuv
 * would call back with nothing, forever). */
static void eddy_recvmmsg_small_buffer(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct rx rx;
  uv_buf_t b = buf_of("small");
  (void)state;
  EDDY_ONLY();

  memset(&rx, 0, sizeof(rx));
  rx.bufsize = 1000;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init_ex(&loop, &server, AF_INET | UV_UDP_RECVMMSG),
                   0);
  sa = ip4("127.0.0.1", 0);
  assert_int_equal(uv_udp_bind(&server, (const struct sockaddr*)&sa, 0), 0);
  sa = sockname4(&server);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  assert_int_equal(uv_udp_try_send(&client, &b, 1, (const struct sockaddr*)&sa),
                   5);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  RUN_UNTIL(&loop, rx.n == 1);
  assert_int_equal(rx.flags[0], 0);
  assert_memory_equal(rx.data[0], "small", 5);
  loop_teardown(&loop);
}

static void recv_stop_in_callback(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct rx rx;
  uv_buf_t b = buf_of("s");
  int i;
  (void)state;

  memset(&rx, 0, sizeof(rx));
  rx.stop_after = 1;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  for (i = 0; i < 3; i++)
    assert_int_equal(uv_udp_try_send(&client, &b, 1,
                                     (const struct sockaddr*)&sa),
                     1);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  RUN_UNTIL(&loop, rx.n == 1);
  for (i = 0; i < 5; i++) uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(rx.n, 1);
  assert_false(uv_is_active((uv_handle_t*)&server));
  rx.stop_after = 0;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_true(uv_is_active((uv_handle_t*)&server));
  RUN_UNTIL(&loop, rx.n == 3);
  loop_teardown(&loop);
}

static void enobufs_alloc_cb(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  (void)h;
  (void)suggested;
  buf->base = NULL;
  buf->len = 0;
}

static void enobufs_recv_cb(uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
                            const struct sockaddr* addr, unsigned flags) {
  int* calls = h->data;
  (void)flags;
  assert_int_equal(nread, UV_ENOBUFS);
  assert_null(addr);
  assert_null(buf->base);
  (*calls)++;
  uv_udp_recv_stop(h);
}

static void empty_buffer_is_enobufs(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  uv_buf_t b = buf_of("x");
  int calls = 0;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &calls;
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  assert_int_equal(uv_udp_try_send(&client, &b, 1, (const struct sockaddr*)&sa),
                   1);
  assert_int_equal(uv_udp_recv_start(&server, enobufs_alloc_cb,
                                     enobufs_recv_cb),
                   0);
  RUN_UNTIL(&loop, calls == 1);
  loop_teardown(&loop);
}

/* recv_start on a handle without a socket binds it to 0.0.0.0. */
static void recv_start_binds_implicitly(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  struct sockaddr_in a;
  struct rx rx;
  (void)state;

  memset(&rx, 0, sizeof(rx));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  h.data = &rx;
  assert_int_equal(uv_udp_recv_start(&h, rx_alloc_cb, rx_recv_cb), 0);
  a = sockname4(&h);
  assert_int_equal(a.sin_addr.s_addr, htonl(INADDR_ANY));
  assert_true(a.sin_port != 0);
  loop_teardown(&loop);
}

/* ---- open, bind flags ----------------------------------------------------------------- */

static void open_adopts_socket(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  uv_udp_t h2;
  uv_udp_t server;
  struct sockaddr_in sa;
  struct sockaddr_in a = ip4("127.0.0.1", 0);
  struct rx rx;
  uv_os_fd_t fd;
  int sock;
  int v = 0;
  socklen_t len = sizeof(v);
  uv_buf_t b = buf_of("opened");
  (void)state;

  memset(&rx, 0, sizeof(rx));
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);

  sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  assert_true(sock > 2);
  assert_int_equal(bind(sock, (const struct sockaddr*)&a, sizeof(a)), 0);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  assert_int_equal(uv_udp_open(&h, sock), 0);
  assert_int_equal(uv_udp_open(&h, sock), UV_EBUSY);
  assert_int_equal(uv_fileno((uv_handle_t*)&h, &fd), 0);
  assert_int_equal(fd, sock);
  assert_true(fcntl(sock, F_GETFL) & O_NONBLOCK);
  /* libuv sets SO_REUSEADDR on what uv_udp_open adopts. */
  assert_int_equal(getsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &v, &len), 0);
  assert_int_equal(v, 1);
  assert_int_equal(uv_udp_try_send(&h, &b, 1, (const struct sockaddr*)&sa), 6);
  RUN_UNTIL(&loop, rx.n == 1);
  assert_memory_equal(rx.data[0], "opened", 6);

  /* Not a socket; not a descriptor. */
  assert_int_equal(uv_udp_init(&loop, &h2), 0);
  assert_int_equal(uv_udp_open(&h2, -1), UV_EBADF);
  uv_close((uv_handle_t*)&h, NULL); /* closes sock */
  loop_teardown(&loop);
}

static void open_connected_socket(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  uv_buf_t b = buf_of("c");
  int sv[2];
  char got;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  unix_dgram_pair(sv);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  assert_int_equal(uv_udp_open(&h, sv[0]), 0);
  /* It is connected: it takes no address and needs none. */
  assert_int_equal(uv_udp_try_send(&h, &b, 1, NULL), 1);
  assert_int_equal(recv(sv[1], &got, 1, 0), 1);
  assert_int_equal(got, 'c');
  loop_teardown(&loop);
  close(sv[1]);
}

#if UV_AT_LEAST(1, 52)
static void open_ex_flags(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  uv_udp_t h2;
  int sock;
  int v = 1;
  socklen_t len = sizeof(v);
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  assert_true(sock > 2);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  assert_int_equal(uv_udp_open_ex(&h, sock, UV_UDP_IPV6ONLY), UV_EINVAL);
  assert_int_equal(uv_udp_open_ex(&h, sock, 0), 0);
  /* Without UV_UDP_REUSEADDR the option stays as it was. */
  assert_int_equal(getsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &v, &len), 0);
  assert_int_equal(v, 0);
  assert_int_equal(uv_udp_open_ex(&h, sock, 0), UV_EBUSY);
  /* Watched by another handle of the loop already. */
  assert_int_equal(uv_udp_set_broadcast(&h, 1), 0);
  assert_int_equal(uv_udp_init(&loop, &h2), 0);
  {
    struct rx rx;
    memset(&rx, 0, sizeof(rx));
    h.data = &rx;
    assert_int_equal(uv_udp_recv_start(&h, rx_alloc_cb, rx_recv_cb), 0);
    uv_run(&loop, UV_RUN_NOWAIT);
    assert_int_equal(uv_udp_open_ex(&h2, sock, UV_UDP_REUSEPORT), UV_EEXIST);
    assert_int_equal(uv_udp_recv_stop(&h), 0);
  }
  loop_teardown(&loop);
}
#endif

static void bind_reuse_flags(void** state) {
  uv_loop_t loop;
  uv_udp_t a;
  uv_udp_t b;
  uv_udp_t c;
  struct sockaddr_in sa = ip4("127.0.0.1", 0);
  uv_os_fd_t fd;
  int v = 0;
  socklen_t len = sizeof(v);
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &a), 0);
  assert_int_equal(uv_udp_bind(&a, (const struct sockaddr*)&sa,
                               UV_UDP_REUSEADDR),
                   0);
  sa = sockname4(&a);
  assert_int_equal(uv_fileno((uv_handle_t*)&a, &fd), 0);
  assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &len), 0);
  assert_int_equal(v, 1);
  /* The same port again: fine with the flag, taken without it. */
  assert_int_equal(uv_udp_init(&loop, &b), 0);
  assert_int_equal(uv_udp_bind(&b, (const struct sockaddr*)&sa,
                               UV_UDP_REUSEADDR),
                   0);
  assert_int_equal(uv_udp_init(&loop, &c), 0);
  assert_int_equal(uv_udp_bind(&c, (const struct sockaddr*)&sa, 0),
                   UV_EADDRINUSE);
  loop_teardown(&loop);
}

#if UV_AT_LEAST(1, 49)
static void bind_reuseport(void** state) {
  uv_loop_t loop;
  uv_udp_t a;
  uv_udp_t b;
  struct sockaddr_in sa = ip4("127.0.0.1", 0);
  uv_os_fd_t fd;
  int v = 0;
  socklen_t len = sizeof(v);
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &a), 0);
  assert_int_equal(uv_udp_bind(&a, (const struct sockaddr*)&sa,
                               UV_UDP_REUSEPORT),
                   0);
  sa = sockname4(&a);
  assert_int_equal(uv_fileno((uv_handle_t*)&a, &fd), 0);
  assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &v, &len), 0);
  assert_int_equal(v, 1);
  assert_int_equal(uv_udp_init(&loop, &b), 0);
  assert_int_equal(uv_udp_bind(&b, (const struct sockaddr*)&sa,
                               UV_UDP_REUSEPORT | UV_UDP_REUSEADDR),
                   0);
  loop_teardown(&loop);
}
#endif

static void bind_linux_recverr(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  struct sockaddr_in sa = ip4("127.0.0.1", 0);
  uv_os_fd_t fd;
  int v = 0;
  socklen_t len = sizeof(v);
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  assert_int_equal(uv_udp_bind(&h, (const struct sockaddr*)&sa,
                               UV_UDP_LINUX_RECVERR),
                   0);
  assert_int_equal(uv_fileno((uv_handle_t*)&h, &fd), 0);
  assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_RECVERR, &v, &len), 0);
  assert_int_equal(v, 1);
  loop_teardown(&loop);
}

/* With IP_RECVERR an ICMP error stays on the socket's error queue, and
 * the socket polls as in error until it is read: libuv 1.44's loop spins
 * (tens of thousands of empty callbacks a second); eddy hands the queue to
 * recv_cb, as libuv 1.52 does (below), and the socket calms down. */
static void recverr_count_cb(uv_timer_t* t) { uv_stop(t->loop); }

static void eddy_recverr_does_not_spin(void** state) {
  uv_loop_t loop;
  uv_udp_t gone;
  uv_udp_t client;
  uv_timer_t timer;
  struct sockaddr_in dead;
  struct sockaddr_in a = ip4("127.0.0.1", 0);
  struct rx rx;
  uv_buf_t b = buf_of("x");
  (void)state;
  EDDY_ONLY();

  memset(&rx, 0, sizeof(rx));
  assert_int_equal(uv_loop_init(&loop), 0);
  dead = bind_lo4(&loop, &gone);
  uv_close((uv_handle_t*)&gone, NULL);
  uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(uv_udp_init(&loop, &client), 0);
  assert_int_equal(uv_udp_bind(&client, (const struct sockaddr*)&a,
                               UV_UDP_LINUX_RECVERR),
                   0);
  assert_int_equal(uv_udp_connect(&client, (const struct sockaddr*)&dead), 0);
  client.data = &rx;
  assert_int_equal(uv_udp_recv_start(&client, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_try_send(&client, &b, 1, NULL), 1);
  RUN_UNTIL(&loop, rx.errors >= 1);
  assert_int_equal(rx.last_error, UV_ECONNREFUSED);
  rx.empty = 0;
  assert_int_equal(uv_timer_init(&loop, &timer), 0);
  assert_int_equal(uv_timer_start(&timer, recverr_count_cb, 50, 0), 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_true(rx.empty < 10);
  loop_teardown(&loop);
}

/* A loop with a UDP handle bound to the loopback with
 * UV_UDP_LINUX_RECVERR and reading into rx through recv_cb; returns an
 * address nobody listens on (a port just closed). */
static struct sockaddr_in recverr_client(uv_loop_t* loop, uv_udp_t* client,
                                         struct rx* rx, uv_udp_recv_cb recv_cb) {
  struct sockaddr_in a = ip4("127.0.0.1", 0);
  struct sockaddr_in dead;
  uv_udp_t gone;

  memset(rx, 0, sizeof(*rx));
  assert_int_equal(uv_loop_init(loop), 0);
  dead = bind_lo4(loop, &gone);
  uv_close((uv_handle_t*)&gone, NULL);
  uv_run(loop, UV_RUN_NOWAIT);
  assert_int_equal(uv_udp_init(loop, client), 0);
  assert_int_equal(uv_udp_bind(client, (const struct sockaddr*)&a,
                               UV_UDP_LINUX_RECVERR),
                   0);
  client->data = rx;
  assert_int_equal(uv_udp_recv_start(client, rx_alloc_cb, recv_cb), 0);
  return dead;
}

/* libuv 1.52 reads the error queue of a socket bound with
 * UV_UDP_LINUX_RECVERR: recv_cb gets the refusal itself (nread
 * UV_ECONNREFUSED, no flags), then the queued ICMP error (nread the
 * error, the failed datagram in the buffer, the address the ICMP came
 * from, flag UV_UDP_LINUX_RECVERR), then an empty read (nread 0, no
 * address) once the queue is empty: all in one wake-up. */
static struct {
  int calls;
  ssize_t nread[8];
  unsigned int flags[8];
  int has_addr[8];
  struct sockaddr_in from;
  char data[8];
} qerr;

static void qerr_recv_cb(uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
                         const struct sockaddr* addr, unsigned flags) {
  int i = qerr.calls++;
  (void)h;
  assert_true(i < 8);
  qerr.nread[i] = nread;
  qerr.flags[i] = flags;
  qerr.has_addr[i] = addr != NULL;
  if (flags & UV_UDP_LINUX_RECVERR) {
    assert_int_equal(addr->sa_family, AF_INET);
    memcpy(&qerr.from, addr, sizeof(qerr.from));
    memcpy(qerr.data, buf->base, sizeof(qerr.data));
  }
  free(buf->base);
}

static void recverr_reaches_recv_cb(void** state) {
  uv_loop_t loop;
  uv_udp_t client;
  struct sockaddr_in dead;
  struct rx rx;
  uv_buf_t b = buf_of("PING");
  (void)state;
  if (!UV_AT_LEAST(1, 52)) skip();

  memset(&qerr, 0, sizeof(qerr));
  dead = recverr_client(&loop, &client, &rx, qerr_recv_cb);
  assert_int_equal(
      uv_udp_try_send(&client, &b, 1, (const struct sockaddr*)&dead), 4);
  /* The refusal and its queue entry arrive together: once recv_cb saw
   * the first, the rest is already there. */
  while (qerr.calls == 0) uv_run(&loop, UV_RUN_ONCE);
  uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(qerr.calls, 3);
  assert_int_equal(qerr.nread[0], UV_ECONNREFUSED);
  assert_int_equal(qerr.flags[0], 0);
  /* libuv 1.52 negates the kernel's unsigned 32-bit ee_errno, so its
   * nread is the error only in its low 32 bits; eddy's is the error. */
  assert_int_equal((int)qerr.nread[1], UV_ECONNREFUSED);
  assert_true(qerr.flags[1] & UV_UDP_LINUX_RECVERR);
  assert_true(qerr.has_addr[1]);
  assert_int_equal(qerr.from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  assert_memory_equal(qerr.data, "PING", 4);
  assert_int_equal(qerr.nread[2], 0);
  assert_false(qerr.has_addr[2]);
  loop_teardown(&loop);
}

/* A send queued behind one whose callback is due goes out in the pending
 * phase, before that callback, as libuv's pending phase writes before it
 * calls back: on a socket with IP_RECVERR, that write is what takes the
 * error the first datagram's ICMP left (its callback gets
 * UV_ECONNREFUSED), and recv_cb sees only the error queue's entries,
 * flagged (libuv 1.52's udp_send_unreachable). */
static struct {
  int sends;
  int status[2];
  int bare_errors;
  int flagged_errors;
} unr;

static void unr_send_cb(uv_udp_send_t* req, int status) {
  assert_true(unr.sends < 2);
  unr.status[unr.sends++] = status;
  (void)req;
}

static void unr_recv_cb(uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
                        const struct sockaddr* addr, unsigned flags) {
  (void)h;
  (void)addr;
  if (nread < 0 && (flags & UV_UDP_LINUX_RECVERR)) unr.flagged_errors++;
  if (nread < 0 && !(flags & UV_UDP_LINUX_RECVERR)) unr.bare_errors++;
  free(buf->base);
}

static void queued_send_takes_the_icmp_error(void** state) {
  uv_loop_t loop;
  uv_udp_t client;
  uv_udp_send_t req[2];
  struct sockaddr_in dead;
  struct rx rx;
  uv_buf_t ping = buf_of("PING");
  uv_buf_t pang = buf_of("PANG");
  int i;
  (void)state;
  if (!UV_AT_LEAST(1, 52)) skip();

  memset(&unr, 0, sizeof(unr));
  dead = recverr_client(&loop, &client, &rx, unr_recv_cb);
  assert_int_equal(uv_udp_send(&req[0], &client, &ping, 1,
                               (const struct sockaddr*)&dead, unr_send_cb),
                   0);
  assert_int_equal(uv_udp_send(&req[1], &client, &pang, 1,
                               (const struct sockaddr*)&dead, unr_send_cb),
                   0);
  RUN_UNTIL(&loop, unr.sends == 2);
  for (i = 0; i < 4; i++) uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(unr.status[0], 0);
  assert_int_equal(unr.status[1], UV_ECONNREFUSED);
  assert_int_equal(unr.bare_errors, 0);
  loop_teardown(&loop);
}

static void fileno_and_buffer_sizes(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  uv_os_fd_t fd = -1;
  int size = 0;
  int set = 16384;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  bind_lo4(&loop, &h);
  assert_int_equal(uv_fileno((uv_handle_t*)&h, &fd), 0);
  assert_true(fd > 2);
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&h, &set), 0);
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&h, &size), 0);
  assert_int_equal(size, 2 * 16384); /* Linux doubles what was set */
  size = 0;
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)&h, &size), 0);
  assert_true(size > 0);
  loop_teardown(&loop);
}

/* ---- multicast, broadcast ------------------------------------------------------------- */

static void multicast_membership_codes(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  uv_udp_t u;
  int r;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  bind_lo4(&loop, &h);
  assert_int_equal(uv_udp_set_multicast_interface(&h, NULL), 0);
  assert_int_equal(uv_udp_set_multicast_interface(&h, "127.0.0.1"), 0);
  assert_int_equal(uv_udp_set_multicast_interface(&h, "0.0.0.0"), 0);
  assert_int_equal(uv_udp_set_multicast_interface(&h, "bogus"), UV_EINVAL);
  /* An IPv6 interface for an IPv4 socket: the kernel's answer. */
  assert_int_equal(uv_udp_set_multicast_interface(&h, "::1"), UV_ENOPROTOOPT);

  assert_int_equal(uv_udp_set_membership(&h, "bogus", NULL, UV_JOIN_GROUP),
                   UV_EINVAL);
  assert_int_equal(uv_udp_set_membership(&h, "239.255.0.1", "bogus",
                                         UV_JOIN_GROUP),
                   UV_EINVAL);
  assert_int_equal(uv_udp_set_membership(&h, "239.255.0.1", NULL,
                                         (uv_membership)5),
                   UV_EINVAL);
  /* Not a group address. */
  assert_int_equal(uv_udp_set_membership(&h, "127.0.0.1", "127.0.0.1",
                                         UV_JOIN_GROUP),
                   UV_EINVAL);
  /* Joining needs a route for multicast; where there is one, leaving
   * works once and then there is nothing to leave. */
  r = uv_udp_set_membership(&h, "239.255.0.1", "127.0.0.1", UV_JOIN_GROUP);
  if (r == 0) {
    assert_int_equal(uv_udp_set_membership(&h, "239.255.0.1", "127.0.0.1",
                                           UV_LEAVE_GROUP),
                     0);
    assert_int_equal(uv_udp_set_membership(&h, "239.255.0.1", "127.0.0.1",
                                           UV_LEAVE_GROUP),
                     UV_EADDRNOTAVAIL);
  } else {
    assert_true(r == UV_ENODEV || r == UV_EADDRNOTAVAIL || r == UV_ENOBUFS);
  }
  assert_int_equal(uv_udp_set_membership(&h, "239.255.0.1", "127.0.0.1",
                                         UV_LEAVE_GROUP),
                   UV_EADDRNOTAVAIL);

  /* Source-specific: the source must be of the group's family. */
  assert_int_equal(uv_udp_set_source_membership(&h, "232.1.2.3", NULL, "::1",
                                                UV_JOIN_GROUP),
                   UV_EINVAL);
  assert_int_equal(uv_udp_set_source_membership(&h, "bogus", NULL,
                                                "127.0.0.1", UV_JOIN_GROUP),
                   UV_EINVAL);
  assert_int_equal(uv_udp_set_source_membership(&h, "232.1.2.3", NULL,
                                                "bogus", UV_JOIN_GROUP),
                   UV_EINVAL);
  assert_int_equal(uv_udp_set_source_membership(&h, "232.1.2.3", "bogus",
                                                "127.0.0.1", UV_JOIN_GROUP),
                   UV_EINVAL);
  assert_int_equal(uv_udp_set_source_membership(&h, "232.1.2.3", NULL,
                                                "127.0.0.1", (uv_membership)7),
                   UV_EINVAL);
  r = uv_udp_set_source_membership(&h, "232.1.2.3", "127.0.0.1", "127.0.0.1",
                                   UV_JOIN_GROUP);
  if (r == 0)
    assert_int_equal(uv_udp_set_source_membership(&h, "232.1.2.3",
                                                  "127.0.0.1", "127.0.0.1",
                                                  UV_LEAVE_GROUP),
                     0);
  else
    assert_true(r == UV_ENODEV || r == UV_EADDRNOTAVAIL || r == UV_ENOBUFS);

  /* A membership on a handle without a socket makes one (IPv4, bound to
   * any address with SO_REUSEADDR). */
  assert_int_equal(uv_udp_init(&loop, &u), 0);
  r = uv_udp_set_membership(&u, "239.255.0.2", NULL, UV_JOIN_GROUP);
  assert_true(r == 0 || r == UV_ENODEV || r == UV_EADDRNOTAVAIL);
  assert_int_equal(sockname4(&u).sin_addr.s_addr, htonl(INADDR_ANY));
  loop_teardown(&loop);
}

/* A datagram to a group joined on loopback comes back to the member
 * (where the machine routes multicast at all). */
static void multicast_loopback_roundtrip(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in any = ip4("0.0.0.0", 0);
  struct sockaddr_in group;
  struct rx rx;
  uv_buf_t b = buf_of("group");
  int r;
  (void)state;

  memset(&rx, 0, sizeof(rx));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &server), 0);
  assert_int_equal(uv_udp_bind(&server, (const struct sockaddr*)&any,
                               UV_UDP_REUSEADDR),
                   0);
  group = ip4("239.255.77.1", ntohs(sockname4(&server).sin_port));
  r = uv_udp_set_membership(&server, "239.255.77.1", "127.0.0.1",
                            UV_JOIN_GROUP);
  if (r != 0) {
    loop_teardown(&loop);
    skip(); /* no multicast on loopback here */
  }
  server.data = &rx;
  assert_int_equal(uv_udp_recv_start(&server, rx_alloc_cb, rx_recv_cb), 0);
  assert_int_equal(uv_udp_init_ex(&loop, &client, AF_INET), 0);
  assert_int_equal(uv_udp_set_multicast_interface(&client, "127.0.0.1"), 0);
  assert_int_equal(uv_udp_set_multicast_loop(&client, 1), 0);
  assert_int_equal(uv_udp_set_multicast_ttl(&client, 1), 0);
  r = uv_udp_try_send(&client, &b, 1, (const struct sockaddr*)&group);
  if (r < 0) {
    loop_teardown(&loop);
    skip();
  }
  assert_int_equal(r, 5);
  RUN_UNTIL(&loop, rx.n == 1);
  assert_memory_equal(rx.data[0], "group", 5);
  loop_teardown(&loop);
}

static void broadcast_option(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  uv_buf_t b = buf_of("all");
  struct sockaddr_in bc = ip4("255.255.255.255", 9);
  int r;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init_ex(&loop, &h, AF_INET), 0);
  /* Without SO_BROADCAST the kernel refuses a broadcast address. */
  assert_int_equal(uv_udp_try_send(&h, &b, 1, (const struct sockaddr*)&bc),
                   UV_EACCES);
  assert_int_equal(uv_udp_set_broadcast(&h, 1), 0);
  r = uv_udp_try_send(&h, &b, 1, (const struct sockaddr*)&bc);
  assert_true(r == 3 || r == UV_ENETUNREACH || r == UV_EPERM);
  loop_teardown(&loop);
}

/* ---- reading a wake-up at a time ------------------------------------------------ */

/* eddy reads what a socket holds with one recvmmsg and hands the
 * datagrams over one by one, each through alloc_cb and recv_cb, as libuv
 * reads them with one recvmsg each.  These tests pin the sequence libuv
 * gives (they pass on libuv too) in the cases where eddy holds datagrams
 * the kernel no longer has: a batch cut short by recv_stop, uv_close or a
 * refused buffer, buffers too small, two handles on one loop. */

#define BIG_DGRAM 60000

/* Byte j of datagram i of a stream tagged tag. */
static char pattern(char tag, int i, size_t j) {
  if (j == 0) return tag;
  if (j == 1) return (char)i;
  return (char)(tag + i * 7 + (int)(j % 251));
}

/* Sends datagrams from..from+n-1 of size bytes each, now (loopback
 * queues them on the receiver before try_send returns). */
static void send_pattern(uv_udp_t* client, const struct sockaddr_in* to,
                         char tag, int from, int n, size_t size) {
  static char p[BIG_DGRAM];
  uv_buf_t b;
  size_t j;
  int i;

  assert_true(size >= 2 && size <= sizeof(p));
  for (i = from; i < from + n; i++) {
    for (j = 0; j < size; j++) p[j] = pattern(tag, i, j);
    b = uv_buf_init(p, (unsigned int)size);
    assert_int_equal(uv_udp_try_send(client, &b, 1,
                                     (const struct sockaddr*)to),
                     (int)size);
  }
}

/* Bytes the kernel still holds for fd (the size of the next datagram). */
static int kernel_queued(uv_udp_t* h) {
  uv_os_fd_t fd;
  int n = -1;
  assert_int_equal(uv_fileno((uv_handle_t*)h, &fd), 0);
  assert_int_equal(ioctl(fd, FIONREAD, &n), 0);
  return n;
}

/* What a reading handle saw: a log of the callbacks, 'A' alloc_cb, 'R' a
 * datagram, 'E' nothing more (0, NULL), 'N' UV_ENOBUFS, 'X' another error. */
struct seq {
  char log[1024];
  int nlog;
  int n;                  /* datagrams */
  int index[MAX_DGRAMS];  /* their numbers, from the payload */
  ssize_t len[MAX_DGRAMS];
  unsigned int flags[MAX_DGRAMS];
  char tag;               /* every payload must carry it */
  size_t bufsize;         /* buffers handed out; 0: the suggested size */
  int allocs;
  int refuse_at;          /* this alloc_cb (1-based) gives no buffer */
  int stop_at;            /* recv_stop in the callback of datagram N */
  int close_at;           /* uv_close likewise */
  int queued_at_first;    /* kernel_queued() in the first callback */
  int closed;
};

static void seq_log(struct seq* s, char c) {
  assert_true(s->nlog < (int)sizeof(s->log) - 1);
  s->log[s->nlog++] = c;
}

static void seq_alloc_cb(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  struct seq* s = h->data;
  size_t size = s->bufsize != 0 ? s->bufsize : suggested;

  seq_log(s, 'A');
  if (++s->allocs == s->refuse_at) {
    *buf = uv_buf_init(NULL, 0);
    return;
  }
  buf->base = malloc(size);
  buf->len = size;
}

static void seq_close_cb(uv_handle_t* h) {
  struct seq* s = h->data;
  s->closed = 1;
}

static void seq_recv_cb(uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
                        const struct sockaddr* addr, unsigned flags) {
  struct seq* s = h->data;
  ssize_t j;
  int i;

  if (nread == UV_ENOBUFS) {
    seq_log(s, 'N');
    assert_null(addr);
  } else if (nread < 0) {
    seq_log(s, 'X');
  } else if (addr == NULL) {
    seq_log(s, 'E');
    assert_int_equal(nread, 0);
  } else {
    seq_log(s, 'R');
    i = s->n++;
    assert_true(i < MAX_DGRAMS);
    if (i == 0) s->queued_at_first = kernel_queued(h);
    assert_true(nread >= 2);
    assert_int_equal(buf->base[0], s->tag);
    s->index[i] = (unsigned char)buf->base[1];
    s->len[i] = nread;
    s->flags[i] = flags;
    for (j = 0; j < nread; j++)
      if (buf->base[j] != pattern(s->tag, s->index[i], (size_t)j))
        fail_msg("datagram %d: byte %zd differs", s->index[i], j);
    if (s->n == s->stop_at) assert_int_equal(uv_udp_recv_stop(h), 0);
    if (s->n == s->close_at) uv_close((uv_handle_t*)h, seq_close_cb);
  }
  free(buf->base);
}

static void seq_init(struct seq* s, char tag) {
  memset(s, 0, sizeof(*s));
  s->tag = tag;
  s->queued_at_first = -1;
}

/* Datagrams first..first+n-1 arrived, each once, in order. */
static void assert_in_order(const struct seq* s, int first, int n) {
  int i;
  assert_int_equal(s->n, first + n);
  for (i = first; i < first + n; i++) assert_int_equal(s->index[i], i);
}

/* Runs a few more iterations: nothing may come. */
static void run_idle_rounds(uv_loop_t* loop) {
  int i;
  for (i = 0; i < 5; i++) uv_run(loop, UV_RUN_NOWAIT);
}

/* 40 datagrams waiting: libuv reads 32 in the first wake-up, then the 8
 * others and one read that finds nothing. */
static void batch_sequence_is_libuvs(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct seq s;
  char want[1024];
  int i;
  (void)state;

  seq_init(&s, 'q');
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  bind_lo4(&loop, &client);
  send_pattern(&client, &sa, 'q', 0, 40, 16);
  server.data = &s;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(s.n, 32);
  RUN_UNTIL(&loop, s.n == 40 && s.log[s.nlog - 1] == 'E');
  run_idle_rounds(&loop);
  assert_in_order(&s, 0, 40);
  for (i = 0; i < 40; i++) {
    assert_int_equal(s.len[i], 16);
    assert_int_equal(s.flags[i], 0);
  }
  memset(want, 0, sizeof(want));
  for (i = 0; i < 40; i++) strcat(want, "AR");
  strcat(want, "AE");
  s.log[s.nlog] = '\0';
  assert_string_equal(s.log, want);
  loop_teardown(&loop);
}

/* recv_stop in the middle of a batch: nothing more until recv_start, then
 * the rest, each once, in order, before what came in meanwhile. */
static void stop_mid_batch_then_restart(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct seq s;
  (void)state;

  seq_init(&s, 's');
  s.stop_at = 3;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  bind_lo4(&loop, &client);
  send_pattern(&client, &sa, 's', 0, 10, 100);
  server.data = &s;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 3);
  /* eddy took all ten from the kernel with the first read. */
  if (TEST_ON_EDDY) assert_int_equal(s.queued_at_first, 0);
  run_idle_rounds(&loop);
  assert_int_equal(s.n, 3);
  assert_false(uv_is_active((uv_handle_t*)&server));

  send_pattern(&client, &sa, 's', 10, 2, 100);
  s.stop_at = 0;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 12);
  run_idle_rounds(&loop);
  assert_in_order(&s, 0, 12);
  assert_int_equal(kernel_queued(&server), 0);
  loop_teardown(&loop);
}

/* uv_close in the middle of a batch: no callback after it, and the
 * datagrams held are freed (ASan's leak check); a handle stopped in the
 * middle of one and closed without reading again, likewise. */
static void close_mid_batch(void** state) {
  uv_loop_t loop;
  uv_udp_t a;
  uv_udp_t b;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct sockaddr_in sb;
  struct seq s;
  struct seq t;
  (void)state;

  seq_init(&s, 'c');
  seq_init(&t, 'd');
  s.close_at = 2;
  t.stop_at = 2;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &a);
  sb = bind_lo4(&loop, &b);
  bind_lo4(&loop, &client);
  send_pattern(&client, &sa, 'c', 0, 10, 300);
  send_pattern(&client, &sb, 'd', 0, 10, 300);
  a.data = &s;
  b.data = &t;
  assert_int_equal(uv_udp_recv_start(&a, seq_alloc_cb, seq_recv_cb), 0);
  assert_int_equal(uv_udp_recv_start(&b, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.closed && t.n == 2);
  run_idle_rounds(&loop);
  assert_in_order(&s, 0, 2);
  assert_in_order(&t, 0, 2);
  assert_int_equal(s.nlog, 4); /* ARAR: nothing after the close */
  uv_close((uv_handle_t*)&b, NULL);
  loop_teardown(&loop);
}

/* A refused buffer (UV_ENOBUFS) in the middle of a batch: that datagram
 * is not lost; the next round offers it again.  Likewise for one that
 * eddy held since a recv_stop. */
static void enobufs_keeps_datagram(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct seq s;
  (void)state;

  seq_init(&s, 'e');
  s.refuse_at = 3;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  bind_lo4(&loop, &client);
  send_pattern(&client, &sa, 'e', 0, 5, 64);
  server.data = &s;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 5 && s.log[s.nlog - 1] == 'E');
  run_idle_rounds(&loop);
  assert_in_order(&s, 0, 5);
  s.log[s.nlog] = '\0';
  assert_string_equal(s.log, "ARARANARARARAE");

  /* Refused again when the datagram comes from what a recv_stop left. */
  s.stop_at = 6;
  s.refuse_at = s.allocs + 3;
  send_pattern(&client, &sa, 'e', 5, 5, 64);
  RUN_UNTIL(&loop, s.n == 6);
  s.stop_at = 0;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 10 && s.log[s.nlog - 1] == 'E');
  run_idle_rounds(&loop);
  assert_in_order(&s, 0, 10);
  s.log[s.nlog] = '\0';
  assert_string_equal(s.log, "ARARANARARARAE" "AR" "ARAN" "ARARAR" "AE");
  loop_teardown(&loop);
}

/* Buffers smaller than the datagrams: each gets its first bytes and
 * UV_UDP_PARTIAL; a large datagram behind small ones comes whole. */
static void partial_in_batch(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct seq s;
  int i;
  (void)state;

  seq_init(&s, 'p');
  s.bufsize = 10;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  bind_lo4(&loop, &client);
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&client, &(int){1 << 20}),
                   0);
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)&server, &(int){1 << 20}),
                   0);
  send_pattern(&client, &sa, 'p', 0, 4, 100);
  server.data = &s;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 4);
  for (i = 0; i < 4; i++) {
    assert_int_equal(s.len[i], 10);
    assert_int_equal(s.flags[i], UV_UDP_PARTIAL);
  }

  /* Full-size buffers: a small datagram, two large ones, a small one. */
  s.bufsize = 0;
  send_pattern(&client, &sa, 'p', 4, 1, 20);
  send_pattern(&client, &sa, 'p', 5, 2, BIG_DGRAM);
  send_pattern(&client, &sa, 'p', 7, 1, 20);
  RUN_UNTIL(&loop, s.n == 8);
  assert_in_order(&s, 0, 8);
  assert_int_equal(s.len[5], BIG_DGRAM);
  assert_int_equal(s.len[6], BIG_DGRAM);
  for (i = 4; i < 8; i++) assert_int_equal(s.flags[i], 0);
  loop_teardown(&loop);
}

/* Two handles of one loop: what one holds after a recv_stop survives the
 * other reading batches meanwhile. */
static void two_handles_keep_their_datagrams(void** state) {
  uv_loop_t loop;
  uv_udp_t a;
  uv_udp_t b;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct sockaddr_in sb;
  struct seq s;
  struct seq t;
  (void)state;

  seq_init(&s, 'a');
  seq_init(&t, 'b');
  s.stop_at = 2;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &a);
  sb = bind_lo4(&loop, &b);
  bind_lo4(&loop, &client);
  a.data = &s;
  b.data = &t;
  send_pattern(&client, &sa, 'a', 0, 12, 1000);
  assert_int_equal(uv_udp_recv_start(&a, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 2);
  /* b reads its own batch while a holds ten. */
  send_pattern(&client, &sb, 'b', 0, 12, 1000);
  assert_int_equal(uv_udp_recv_start(&b, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, t.n == 12);
  /* Both again, in the same iterations. */
  send_pattern(&client, &sb, 'b', 12, 12, 1000);
  assert_int_equal(uv_udp_recv_start(&a, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 12 && t.n == 24);
  run_idle_rounds(&loop);
  assert_in_order(&s, 0, 12);
  assert_in_order(&t, 0, 24);
  loop_teardown(&loop);
}

static void small_alloc_cb(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  struct seq* s = h->data;
  (void)suggested;
  seq_log(s, 'a');
  buf->base = malloc(5);
  buf->len = 5;
}

/* Another alloc_cb given at recv_start serves the datagrams held from
 * before the recv_stop. */
static void alloc_cb_changes_mid_batch(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct seq s;
  int i;
  (void)state;

  seq_init(&s, 'k');
  s.stop_at = 1;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  bind_lo4(&loop, &client);
  send_pattern(&client, &sa, 'k', 0, 4, 50);
  server.data = &s;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 1);
  s.stop_at = 0;
  assert_int_equal(uv_udp_recv_start(&server, small_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 4);
  assert_in_order(&s, 0, 4);
  assert_int_equal(s.len[0], 50);
  assert_int_equal(s.flags[0], 0);
  for (i = 1; i < 4; i++) {
    assert_int_equal(s.len[i], 5);
    assert_int_equal(s.flags[i], UV_UDP_PARTIAL);
  }
  s.log[s.nlog] = '\0';
  assert_int_equal(strncmp(s.log, "ARaRaRaR", 8), 0);
  loop_teardown(&loop);
}



/* A send made from a send callback leaves in the poll phase, as on libuv
 * (which queues it while running send callbacks and sends it when the
 * socket is writable): the reader, ready first, reads what was there and
 * hears "nothing more" before the new datagram arrives.  luv's test-udp
 * ("udp connect") sees that "nothing more". */
struct resend {
  struct seq s;
  uv_udp_t* client;
  struct sockaddr_in to;
  uv_udp_send_t req[2];
  int cbs;
};

static void resend_cb(uv_udp_send_t* req, int status) {
  struct resend* r = req->handle->data;
  static char p[16];
  uv_buf_t b;
  size_t j;

  assert_int_equal(status, 0);
  if (r->cbs++ != 0) return;
  for (j = 0; j < sizeof(p); j++) p[j] = pattern('z', 1, j);
  b = uv_buf_init(p, sizeof(p));
  assert_int_equal(uv_udp_send(&r->req[1], r->client, &b, 1,
                               (const struct sockaddr*)&r->to, resend_cb),
                   0);
}

static void send_from_send_cb_waits_for_poll(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct resend r;
  static char p[16];
  uv_buf_t b;
  size_t j;
  (void)state;

  memset(&r, 0, sizeof(r));
  seq_init(&r.s, 'z');
  assert_int_equal(uv_loop_init(&loop), 0);
  r.to = bind_lo4(&loop, &server);
  bind_lo4(&loop, &client);
  r.client = &client;
  server.data = &r.s;
  client.data = &r;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  uv_run(&loop, UV_RUN_NOWAIT); /* the reader is polled from now on */
  for (j = 0; j < sizeof(p); j++) p[j] = pattern('z', 0, j);
  b = uv_buf_init(p, sizeof(p));
  assert_int_equal(uv_udp_send(&r.req[0], &client, &b, 1,
                               (const struct sockaddr*)&r.to, resend_cb),
                   0);
  RUN_UNTIL(&loop, r.s.n == 2 && r.cbs == 2);
  run_idle_rounds(&loop);
  r.s.log[r.s.nlog] = '\0';
  assert_string_equal(r.s.log, "ARAEARAE");
  assert_in_order(&r.s, 0, 2);
  loop_teardown(&loop);
}

/* A datagram sent to the handle from its own recv_cb (loopback delivers
 * it before the send returns) is read in the same wake-up: libuv reads
 * again after each callback, so "nothing more" (nread 0, addr NULL) comes
 * only after it.  luv's multicast test replies from recv_cb and closes the
 * handle on the second datagram, failing on an early "nothing more". */
struct reply {
  struct seq s;
  uv_udp_t* client;
  struct sockaddr_in to;
  uv_udp_send_t req;
  int sent;
};

static void reply_send_cb(uv_udp_send_t* req, int status) {
  (void)req;
  assert_int_equal(status, 0);
}

static void reply_recv_cb(uv_udp_t* h, ssize_t nread, const uv_buf_t* buf,
                          const struct sockaddr* addr, unsigned flags) {
  struct reply* r = h->data;
  static char p[16];
  uv_buf_t b;
  size_t j;
  int first = nread > 0 && addr != NULL && r->s.n == 0;

  seq_recv_cb(h, nread, buf, addr, flags);
  if (!first) return;
  for (j = 0; j < sizeof(p); j++) p[j] = pattern('y', 1, j);
  b = uv_buf_init(p, sizeof(p));
  assert_int_equal(uv_udp_send(&r->req, r->client, &b, 1,
                               (const struct sockaddr*)&r->to, reply_send_cb),
                   0);
  r->sent = 1;
}

static void reply_in_recv_cb_read_same_wakeup(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  struct reply r;
  (void)state;

  memset(&r, 0, sizeof(r));
  seq_init(&r.s, 'y');
  assert_int_equal(uv_loop_init(&loop), 0);
  r.to = bind_lo4(&loop, &server);
  bind_lo4(&loop, &client);
  r.client = &client;
  send_pattern(&client, &r.to, 'y', 0, 1, 16);
  server.data = &r;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, reply_recv_cb),
                   0);
  /* One wake-up: the first datagram, the one sent from its callback, and
   * only then "nothing more". */
  uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(r.sent, 1);
  r.s.log[r.s.nlog] = '\0';
  assert_string_equal(r.s.log, "ARARAE");
  assert_in_order(&r.s, 0, 2);
  loop_teardown(&loop);
}

/* No memory to copy what a stopped handle holds: it keeps the loop's
 * scratch instead, and another handle reading meanwhile gets a new one. */
static void eddy_stop_mid_batch_without_memory(void** state) {
  uv_loop_t loop;
  uv_udp_t a;
  uv_udp_t b;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct sockaddr_in sb;
  struct seq s;
  struct seq t;
  (void)state;
  EDDY_ONLY();

  seq_init(&s, 'm');
  seq_init(&t, 'n');
  s.stop_at = 2;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &a);
  sb = bind_lo4(&loop, &b);
  bind_lo4(&loop, &client);
  a.data = &s;
  b.data = &t;
  send_pattern(&client, &sa, 'm', 0, 8, 2000);
  assert_int_equal(uv_udp_recv_start(&a, seq_alloc_cb, seq_recv_cb), 0);
  test_alloc_install(1); /* the copy of the six held datagrams fails */
  RUN_UNTIL(&loop, s.n == 2);
  test_alloc_restore();
  assert_int_equal(test_alloc.failures, 1);
  send_pattern(&client, &sb, 'n', 0, 8, 2000);
  assert_int_equal(uv_udp_recv_start(&b, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, t.n == 8);
  assert_int_equal(uv_udp_recv_start(&a, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 8);
  /* And once more, with the scratch given back. */
  send_pattern(&client, &sa, 'm', 8, 8, 2000);
  send_pattern(&client, &sb, 'n', 8, 8, 2000);
  RUN_UNTIL(&loop, s.n == 16 && t.n == 16);
  assert_in_order(&s, 0, 16);
  assert_in_order(&t, 0, 16);
  loop_teardown(&loop);
}

/* A socket adopted with uv_udp_open may be read by others as well (node's
 * cluster workers each adopt a descriptor of one shared socket): a handle
 * closed after its second datagram must leave the other eight in the
 * kernel for them, as libuv's one-at-a-time reads do. */
static void opened_socket_leaves_unread_datagrams(void** state) {
  uv_loop_t loop;
  uv_udp_t owner;
  uv_udp_t reader;
  uv_udp_t client;
  struct sockaddr_in sa;
  struct seq s;
  uv_os_fd_t fd;
  (void)state;

  seq_init(&s, 'o');
  s.close_at = 2;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &owner);
  bind_lo4(&loop, &client);
  assert_int_equal(uv_fileno((uv_handle_t*)&owner, &fd), 0);
  assert_int_equal(uv_udp_init(&loop, &reader), 0);
  assert_int_equal(uv_udp_open(&reader, fcntl(fd, F_DUPFD_CLOEXEC, 0)), 0);
  send_pattern(&client, &sa, 'o', 0, 10, 16);
  reader.data = &s;
  assert_int_equal(uv_udp_recv_start(&reader, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.closed);
  assert_in_order(&s, 0, 2);
  assert_int_equal(drain(fd), 8);
  loop_teardown(&loop);
}

static void shared_write_cb(uv_write_t* req, int status) {
  assert_int_equal(status, 0);
  *(int*)req->data = 1;
}

/* A socket sent to another process (uv_write2 over an IPC pipe, as node's
 * cluster primary hands its bound socket to the workers) is read one
 * datagram at a time from then on: closed after two, the eight others
 * wait in the kernel for the descriptor the peer received. */
static void sent_socket_leaves_unread_datagrams(void** state) {
  uv_loop_t loop;
  uv_udp_t server;
  uv_udp_t client;
  uv_pipe_t ipc;
  uv_write_t req;
  struct sockaddr_in sa;
  struct seq s;
  int sv[2];
  int written = 0;
  char byte = 'h';
  uv_buf_t b = uv_buf_init(&byte, 1);
  char data[8];
  char cbuf[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {data, sizeof(data)};
  struct msghdr m;
  struct cmsghdr* c;
  int got = -1;
  (void)state;

  seq_init(&s, 'p');
  s.close_at = 2;
  assert_int_equal(uv_loop_init(&loop), 0);
  sa = bind_lo4(&loop, &server);
  bind_lo4(&loop, &client);
  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  assert_int_equal(uv_pipe_init(&loop, &ipc, 1), 0);
  assert_int_equal(uv_pipe_open(&ipc, sv[0]), 0);
  req.data = &written;
  assert_int_equal(uv_write2(&req, (uv_stream_t*)&ipc, &b, 1,
                             (uv_stream_t*)&server, shared_write_cb), 0);
  RUN_UNTIL(&loop, written);

  memset(&m, 0, sizeof(m));
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = cbuf;
  m.msg_controllen = sizeof(cbuf);
  assert_int_equal(recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC), 1);
  c = CMSG_FIRSTHDR(&m);
  assert_non_null(c);
  assert_int_equal(c->cmsg_type, SCM_RIGHTS);
  memcpy(&got, CMSG_DATA(c), sizeof(got));
  assert_true(got >= 0);
  assert_int_equal(fcntl(got, F_SETFL, O_NONBLOCK), 0);

  send_pattern(&client, &sa, 'p', 0, 10, 16);
  server.data = &s;
  assert_int_equal(uv_udp_recv_start(&server, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.closed);
  assert_in_order(&s, 0, 2);
  assert_int_equal(drain(got), 8);
  close(got);
  close(sv[1]);
  loop_teardown(&loop);
}

/* An AF_UNIX datagram socket may carry more than a batch slot holds: it
 * is read straight into the user's buffer, whole. */
static void unix_datagram_larger_than_slot(void** state) {
  uv_loop_t loop;
  uv_udp_t h;
  struct seq s;
  static char p[100000];
  int sv[2];
  int size = 1 << 20;
  size_t j;
  int i;
  (void)state;

  seq_init(&s, 'u');
  s.bufsize = sizeof(p) + 1000;
  unix_dgram_pair(sv);
  assert_int_equal(setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size,
                              sizeof(size)),
                   0);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  assert_int_equal(uv_udp_open(&h, sv[0]), 0);
  for (i = 0; i < 2; i++) {
    for (j = 0; j < sizeof(p); j++) p[j] = pattern('u', i, j);
    assert_int_equal(send(sv[1], p, sizeof(p), 0), (ssize_t)sizeof(p));
  }
  h.data = &s;
  assert_int_equal(uv_udp_recv_start(&h, seq_alloc_cb, seq_recv_cb), 0);
  RUN_UNTIL(&loop, s.n == 2);
  assert_in_order(&s, 0, 2);
  for (i = 0; i < 2; i++) {
    assert_int_equal(s.len[i], (ssize_t)sizeof(p));
    assert_int_equal(s.flags[i], 0);
  }
  loop_teardown(&loop);
  close(sv[1]);
}

/* Programs built against libuv read a UDP handle's descriptor from
 * libuv's private io_watcher.fd (offset 176), some to ask whether the
 * handle has a socket yet (== -1): the handle's descriptor while it has
 * one, -1 before and after. */
static void fd_at_libuvs_offset(void** state) {
  uv_loop_t loop;
  uv_udp_t h, made;
  struct sockaddr_in a;
  uv_os_fd_t fd;
  (void)state;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_udp_init(&loop, &h), 0);
  assert_int_equal(fd_at_libuv_offset(&h, LIBUV_UDP_FD_OFFSET), -1);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &a), 0);
  assert_int_equal(uv_udp_bind(&h, (const struct sockaddr*)&a, 0), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&h, &fd), 0);
  assert_int_equal(fd_at_libuv_offset(&h, LIBUV_UDP_FD_OFFSET), fd);
  /* A socket made by init_ex has it from the start. */
  assert_int_equal(uv_udp_init_ex(&loop, &made, AF_INET6), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&made, &fd), 0);
  assert_int_equal(fd_at_libuv_offset(&made, LIBUV_UDP_FD_OFFSET), fd);
  uv_close((uv_handle_t*)&h, NULL);
  uv_close((uv_handle_t*)&made, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(fd_at_libuv_offset(&h, LIBUV_UDP_FD_OFFSET), -1);
  assert_int_equal(fd_at_libuv_offset(&made, LIBUV_UDP_FD_OFFSET), -1);
  loop_close_clean(&loop);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(send_recv_ipv4),
      cmocka_unit_test(fd_at_libuvs_offset),
      cmocka_unit_test(send_recv_ipv6),
      cmocka_unit_test(many_in_order),
      cmocka_unit_test(send_gathers_buffers),
      cmocka_unit_test(truncated_datagram_is_partial),
      cmocka_unit_test(empty_buffer_is_enobufs),
      cmocka_unit_test(connected_send_recv),
      cmocka_unit_test(send_enomem_leaves_nothing),
      cmocka_unit_test(failed_send_does_not_block_queue),
      cmocka_unit_test(connected_refused_reaches_recv_cb),
      cmocka_unit_test(init_and_bind_errors),
      cmocka_unit_test(unbound_handle_errors),
      cmocka_unit_test(ttl_and_option_ranges),
      cmocka_unit_test(eddy_bad_arguments_are_einval),
      cmocka_unit_test(try_send_and_queue),
      cmocka_unit_test(full_socket_queues_sends),
      cmocka_unit_test(close_cancels_queued_sends),
      cmocka_unit_test(close_after_sent_reports_success),
#if UV_AT_LEAST(1, 50)
      cmocka_unit_test(try_send2_batches),
      cmocka_unit_test(eddy_try_send2_checks),
#endif
      cmocka_unit_test(recvmmsg_chunks),
      cmocka_unit_test(eddy_recvmmsg_small_buffer),
      cmocka_unit_test(recv_stop_in_callback),
      cmocka_unit_test(recv_start_binds_implicitly),
      cmocka_unit_test(open_adopts_socket),
      cmocka_unit_test(open_connected_socket),
#if UV_AT_LEAST(1, 52)
      cmocka_unit_test(open_ex_flags),
#endif
      cmocka_unit_test(bind_reuse_flags),
#if UV_AT_LEAST(1, 49)
      cmocka_unit_test(bind_reuseport),
#endif
      cmocka_unit_test(bind_linux_recverr),
      cmocka_unit_test(eddy_recverr_does_not_spin),
      cmocka_unit_test(recverr_reaches_recv_cb),
      cmocka_unit_test(queued_send_takes_the_icmp_error),
      cmocka_unit_test(fileno_and_buffer_sizes),
      cmocka_unit_test(multicast_membership_codes),
      cmocka_unit_test(multicast_loopback_roundtrip),
      cmocka_unit_test(broadcast_option),
      cmocka_unit_test(batch_sequence_is_libuvs),
      cmocka_unit_test(stop_mid_batch_then_restart),
      cmocka_unit_test(close_mid_batch),
      cmocka_unit_test(enobufs_keeps_datagram),
      cmocka_unit_test(partial_in_batch),
      cmocka_unit_test(two_handles_keep_their_datagrams),
      cmocka_unit_test(alloc_cb_changes_mid_batch),
      cmocka_unit_test(reply_in_recv_cb_read_same_wakeup),
      cmocka_unit_test(send_from_send_cb_waits_for_poll),
      cmocka_unit_test(eddy_stop_mid_batch_without_memory),
      cmocka_unit_test(unix_datagram_larger_than_slot),
      cmocka_unit_test(opened_socket_leaves_unread_datagrams),
      cmocka_unit_test(sent_socket_leaves_unread_datagrams),
  };
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
