/* TCP ping-pong over loopback, on one loop: what bench-tcp_pingpong.c
 * (one connection) and bench-tcp_conns.c (1,000 connections) share.
 *
 * The loop listens on 127.0.0.1, connects C clients to itself and accepts
 * them (TCP_NODELAY on both ends, as request/response programs set it).
 * Once all are connected the clock starts and every client sends its first
 * message; the server end echoes each message as soon as it has all of it,
 * and a client sends its next message as soon as the echo of the previous
 * one is complete.  N round trips in all, shared out between the clients;
 * the clock stops when the last client has received its last echo.
 *
 * A message is MSG bytes: its number, then a pattern derived from it.
 * Checks: every echo a client receives is, byte for byte, the message it
 * sent last (no loss, no duplicate, no damage, in order); each client
 * did exactly its share of round trips, the server ends echoed N messages
 * in all, no read failed and no connection ended early. */
#ifndef EDDY_BENCH_TCP_PINGPONG_H
#define EDDY_BENCH_TCP_PINGPONG_H

#include "bench-uv.h"

#define MSG 64

struct pp_write {
  uv_write_t req;
  unsigned char buf[MSG];
  struct pp_write* next;
};

struct pp_peer {
  uv_tcp_t tcp;
  int is_client;
  unsigned char in[MSG]; /* the message being received */
  size_t have;           /* bytes of it so far */
  uint64_t seq;          /* client: the message in flight; server: echoed */
  uint64_t quota;        /* client: its share of the round trips */
  struct pp_write* free_writes;
};

static uv_loop_t pp_loop;
static uv_tcp_t pp_server;
static struct pp_peer* pp_peers; /* [0, C) clients, [C, 2C) server ends */
static uint64_t pp_conns;
static uint64_t pp_connected; /* client connects that completed */
static uint64_t pp_accepted;
static uint64_t pp_clients_done;
static uint64_t pp_trips;  /* echoes received by clients */
static uint64_t pp_echoes; /* messages echoed by server ends */
static uint64_t pp_t0, pp_t1;
static unsigned char pp_readbuf[65536];

static void pp_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  (void)h;
  (void)suggested;
  *buf = uv_buf_init((char*)pp_readbuf, sizeof(pp_readbuf));
}

static void pp_on_write(uv_write_t* req, int status) {
  struct pp_write* w = (struct pp_write*)req;
  struct pp_peer* p = req->data;
  /* Once the run is over the handles close, which may cancel a write
   * whose callback had not run yet. */
  BENCH_CHECK(status == 0 || (status == UV_ECANCELED && pp_t1 != 0));
  w->next = p->free_writes;
  p->free_writes = w;
}

/* Writes one message from a request of the peer's free list (a previous
 * write's callback may not have run yet: then a new request). */
static void pp_send(struct pp_peer* p, uint64_t seq, const unsigned char* msg) {
  struct pp_write* w = p->free_writes;
  uv_buf_t buf;

  if (w != NULL)
    p->free_writes = w->next;
  else
    w = bench_calloc(1, sizeof(*w));
  if (msg != NULL)
    memcpy(w->buf, msg, MSG);
  else
    bench_fill_msg(w->buf, MSG, seq);
  w->req.data = p;
  buf = uv_buf_init((char*)w->buf, MSG);
  BENCH_UV(uv_write(&w->req, (uv_stream_t*)&p->tcp, &buf, 1, pp_on_write));
}

static void pp_finish(void) {
  uint64_t i;
  pp_t1 = bench_ns();
  for (i = 0; i < 2 * pp_conns; i++) uv_close((uv_handle_t*)&pp_peers[i].tcp, NULL);
  uv_close((uv_handle_t*)&pp_server, NULL);
}

/* A whole message arrived at p. */
static void pp_on_message(struct pp_peer* p) {
  if (!p->is_client) {
    pp_echoes++;
    pp_send(p, 0, p->in);
    return;
  }
  BENCH_CHECK(bench_check_msg(p->in, MSG, p->seq));
  pp_trips++;
  if (++p->seq < p->quota) {
    pp_send(p, p->seq, NULL);
  } else if (++pp_clients_done == pp_conns) {
    pp_finish();
  }
}

static void pp_on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  struct pp_peer* p = (struct pp_peer*)s;
  const unsigned char* data = (const unsigned char*)buf->base;
  size_t left, take;

  if (nread < 0) {
    /* Only a server end may see the end of its client, and only after
     * the run (the handles close at the end, so it does not happen). */
    BENCH_CHECK(0);
    uv_close((uv_handle_t*)s, NULL);
    return;
  }
  left = (size_t)nread;
  while (left > 0) {
    take = MSG - p->have < left ? MSG - p->have : left;
    memcpy(p->in + p->have, data, take);
    p->have += take;
    data += take;
    left -= take;
    if (p->have == MSG) {
      p->have = 0;
      pp_on_message(p);
    }
  }
}

static void pp_maybe_start(void) {
  uint64_t i;
  if (pp_connected != pp_conns || pp_accepted != pp_conns) return;
  pp_t0 = bench_ns();
  for (i = 0; i < pp_conns; i++) {
    if (pp_peers[i].quota == 0) {
      pp_clients_done++;
      continue;
    }
    pp_send(&pp_peers[i], 0, NULL);
  }
}

static void pp_on_connect(uv_connect_t* req, int status) {
  struct pp_peer* p = req->data;
  BENCH_REQUIRE(status == 0);
  BENCH_UV(uv_tcp_nodelay(&p->tcp, 1));
  BENCH_UV(uv_read_start((uv_stream_t*)&p->tcp, pp_alloc, pp_on_read));
  free(req);
  pp_connected++;
  pp_maybe_start();
}

static void pp_on_connection(uv_stream_t* server, int status) {
  struct pp_peer* p;
  BENCH_REQUIRE(status == 0);
  BENCH_REQUIRE(pp_accepted < pp_conns);
  p = &pp_peers[pp_conns + pp_accepted];
  BENCH_UV(uv_tcp_init(&pp_loop, &p->tcp));
  BENCH_UV(uv_accept(server, (uv_stream_t*)&p->tcp));
  BENCH_UV(uv_tcp_nodelay(&p->tcp, 1));
  BENCH_UV(uv_read_start((uv_stream_t*)&p->tcp, pp_alloc, pp_on_read));
  pp_accepted++;
  pp_maybe_start();
}

/* Runs the benchmark as `name` with up to `conns` connections. */
static int pp_main(const char* name, uint64_t conns, uint64_t n) {
  struct sockaddr_storage ss;
  struct sockaddr_in addr;
  int len = (int)sizeof(ss);
  uint64_t i, echoes_sum = 0;
  struct pp_write* w;

  pp_conns = conns < n ? conns : n;
  BENCH_REQUIRE(bench_raise_nofile() > 2 * pp_conns + 64);
  pp_peers = bench_calloc(2 * pp_conns, sizeof(*pp_peers));
  BENCH_UV(uv_loop_init(&pp_loop));
  BENCH_UV(uv_tcp_init(&pp_loop, &pp_server));
  BENCH_UV(uv_ip4_addr("127.0.0.1", 0, &addr));
  BENCH_UV(uv_tcp_bind(&pp_server, (const struct sockaddr*)&addr, 0));
  BENCH_UV(uv_tcp_getsockname(&pp_server, (struct sockaddr*)&ss, &len));
  BENCH_UV(uv_listen((uv_stream_t*)&pp_server, 4096, pp_on_connection));

  for (i = 0; i < pp_conns; i++) {
    struct pp_peer* p = &pp_peers[i];
    uv_connect_t* req = bench_calloc(1, sizeof(*req));
    p->is_client = 1;
    p->quota = n / pp_conns + (i < n % pp_conns ? 1 : 0);
    req->data = p;
    BENCH_UV(uv_tcp_init(&pp_loop, &p->tcp));
    BENCH_UV(uv_tcp_connect(req, &p->tcp, (const struct sockaddr*)&ss,
                            pp_on_connect));
  }
  BENCH_CHECK(uv_run(&pp_loop, UV_RUN_DEFAULT) == 0);

  BENCH_CHECK(pp_connected == pp_conns && pp_accepted == pp_conns);
  BENCH_CHECK(pp_clients_done == pp_conns);
  BENCH_CHECK(pp_trips == n);
  BENCH_CHECK(pp_echoes == n);
  for (i = 0; i < pp_conns; i++) {
    BENCH_CHECK(pp_peers[i].seq == pp_peers[i].quota);
    BENCH_CHECK(pp_peers[i].have == 0);
    echoes_sum += pp_peers[i].quota;
  }
  BENCH_CHECK(echoes_sum == n);

  fprintf(stderr, "connections=%" PRIu64 " round_trips=%" PRIu64
                  " time=%.3fs (%.0f ns each)\n",
          pp_conns, pp_trips, bench_seconds(pp_t1 - pp_t0),
          bench_per_op(pp_t1 - pp_t0, pp_trips));
  bench_result(name, "trips/s", bench_rate(pp_trips, pp_t1 - pp_t0));
  bench_ops(name, pp_trips);

  bench_loop_close(&pp_loop);
  for (i = 0; i < 2 * pp_conns; i++) {
    while ((w = pp_peers[i].free_writes) != NULL) {
      pp_peers[i].free_writes = w->next;
      free(w);
    }
  }
  free(pp_peers);
  return bench_finish();
}

#endif /* EDDY_BENCH_TCP_PINGPONG_H */
