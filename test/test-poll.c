/* eddy tests — poll handles (src/unix/poll.c) and uv_fileno on them.
 *
 * Most tests watch one end of an AF_UNIX socketpair; UV_PRIORITIZED needs
 * TCP urgent data, over 127.0.0.1.  The descriptor stays the caller's:
 * closing the handle leaves it open.
 *
 * The file also builds against the system's libuv (without eddy's
 * include/) and passes there; tests named eddy_* check eddy's answers
 * where libuv asserts, and skip themselves off eddy. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test-helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static void guard_cb(uv_timer_t* t) { (void)t; }
static void free_handle_cb(uv_handle_t* h) { free(h); }

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

/* What the callback saw. */
struct seen {
  int calls;
  int status;
  int events;     /* of the last call */
  int all_events; /* of every call */
  int drain;      /* read what is readable, so it stops being readable */
  int stop;       /* uv_poll_stop in the callback */
  int close;      /* uv_close in the callback */
};

static void poll_cb(uv_poll_t* h, int status, int events) {
  struct seen* s = h->data;
  uv_os_fd_t fd;
  char buf[64];

  s->calls++;
  s->status = status;
  s->events = events;
  s->all_events |= events;
  if (s->drain && (events & UV_READABLE)) {
    assert_int_equal(uv_fileno((uv_handle_t*)h, &fd), 0);
    while (read(fd, buf, sizeof(buf)) > 0) {
    }
  }
  if (s->stop) assert_int_equal(uv_poll_stop(h), 0);
  if (s->close) uv_close((uv_handle_t*)h, NULL);
}

static void pair(int sv[2]) {
  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
}

/* ---- events ----------------------------------------------------------------------------- */

static void readable_when_data_arrives(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  struct seen s;
  int sv[2];
  int i;
  (void)state;

  memset(&s, 0, sizeof(s));
  s.drain = 1;
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &p, sv[0]), 0);
  p.data = &s;
  assert_false(uv_is_active((uv_handle_t*)&p));
  assert_int_equal(uv_poll_start(&p, UV_READABLE, poll_cb), 0);
  assert_true(uv_is_active((uv_handle_t*)&p));
  /* Nothing to read yet. */
  for (i = 0; i < 3; i++) uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(s.calls, 0);
  assert_int_equal(write(sv[1], "ping", 4), 4);
  RUN_UNTIL(&loop, s.calls == 1);
  assert_int_equal(s.status, 0);
  assert_int_equal(s.events, UV_READABLE);
  /* Drained: quiet again. */
  for (i = 0; i < 3; i++) uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(s.calls, 1);
  uv_close((uv_handle_t*)&p, NULL);
  loop_teardown(&loop);
  close(sv[0]);
  close(sv[1]);
}

static void writable_at_once(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  struct seen s;
  int sv[2];
  (void)state;

  memset(&s, 0, sizeof(s));
  s.stop = 1;
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init_socket(&loop, &p, sv[0]), 0);
  p.data = &s;
  assert_int_equal(uv_poll_start(&p, UV_WRITABLE, poll_cb), 0);
  RUN_UNTIL(&loop, s.calls == 1);
  assert_int_equal(s.status, 0);
  assert_int_equal(s.events, UV_WRITABLE);
  assert_false(uv_is_active((uv_handle_t*)&p));
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
  close(sv[0]);
  close(sv[1]);
}

static void disconnect_when_peer_closes(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  struct seen s;
  int sv[2];
  (void)state;

  memset(&s, 0, sizeof(s));
  s.stop = 1;
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &p, sv[0]), 0);
  p.data = &s;
  assert_int_equal(uv_poll_start(&p, UV_READABLE | UV_DISCONNECT, poll_cb), 0);
  close(sv[1]);
  RUN_UNTIL(&loop, s.calls == 1);
  assert_int_equal(s.status, 0);
  /* The end of the stream reads as readable too. */
  assert_int_equal(s.events, UV_READABLE | UV_DISCONNECT);
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
  close(sv[0]);
}

/* Without UV_DISCONNECT asked for, a hang-up is not reported as one. */
static void disconnect_only_when_asked(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  struct seen s;
  int sv[2];
  (void)state;

  memset(&s, 0, sizeof(s));
  s.stop = 1;
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &p, sv[0]), 0);
  p.data = &s;
  assert_int_equal(uv_poll_start(&p, UV_READABLE, poll_cb), 0);
  close(sv[1]);
  RUN_UNTIL(&loop, s.calls == 1);
  assert_int_equal(s.events, UV_READABLE);
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
  close(sv[0]);
}

static void prioritized_on_urgent_data(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  struct seen s;
  struct sockaddr_in a;
  socklen_t len = sizeof(a);
  int lfd;
  int cfd;
  int afd;
  (void)state;

  memset(&s, 0, sizeof(s));
  s.stop = 1;
  lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_true(lfd >= 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &a), 0);
  assert_int_equal(bind(lfd, (struct sockaddr*)&a, sizeof(a)), 0);
  assert_int_equal(listen(lfd, 1), 0);
  assert_int_equal(getsockname(lfd, (struct sockaddr*)&a, &len), 0);
  cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_int_equal(connect(cfd, (struct sockaddr*)&a, sizeof(a)), 0);
  afd = accept(lfd, NULL, NULL);
  assert_true(afd >= 0);

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init_socket(&loop, &p, afd), 0);
  p.data = &s;
  assert_int_equal(uv_poll_start(&p, UV_PRIORITIZED, poll_cb), 0);
  assert_int_equal(send(cfd, "!", 1, MSG_OOB), 1);
  RUN_UNTIL(&loop, s.calls == 1);
  assert_int_equal(s.status, 0);
  assert_true(s.events & UV_PRIORITIZED);
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
  close(afd);
  close(cfd);
  close(lfd);
}

/* An error on the descriptor (a refused connect): the handle stops and
 * says UV_EBADF, libuv's contract. */
static void error_stops_with_ebadf(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  struct seen s;
  struct sockaddr_in a;
  socklen_t len = sizeof(a);
  int lfd;
  int fd;
  (void)state;

  memset(&s, 0, sizeof(s));
  /* A port nobody listens on: bound, never listening. */
  lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &a), 0);
  assert_int_equal(bind(lfd, (struct sockaddr*)&a, sizeof(a)), 0);
  assert_int_equal(getsockname(lfd, (struct sockaddr*)&a, &len), 0);
  fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  assert_true(connect(fd, (struct sockaddr*)&a, sizeof(a)) != 0);
  assert_true(errno == EINPROGRESS || errno == ECONNREFUSED);

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init_socket(&loop, &p, fd), 0);
  p.data = &s;
  assert_int_equal(uv_poll_start(&p, UV_WRITABLE, poll_cb), 0);
  RUN_UNTIL(&loop, s.calls == 1);
  assert_int_equal(s.status, UV_EBADF);
  assert_int_equal(s.events, 0);
  assert_false(uv_is_active((uv_handle_t*)&p));
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
  close(fd);
  close(lfd);
}

/* ---- start, stop, change ------------------------------------------------------------------- */

static void stop_and_start_again(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  struct seen s;
  int sv[2];
  int i;
  (void)state;

  memset(&s, 0, sizeof(s));
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &p, sv[0]), 0);
  p.data = &s;
  assert_int_equal(uv_poll_start(&p, UV_READABLE, poll_cb), 0);
  assert_int_equal(uv_poll_stop(&p), 0);
  assert_false(uv_is_active((uv_handle_t*)&p));
  assert_int_equal(uv_poll_stop(&p), 0); /* stopping twice is fine */
  assert_int_equal(write(sv[1], "x", 1), 1);
  for (i = 0; i < 3; i++) uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(s.calls, 0);
  /* Nothing active keeps the loop: it returns at once. */
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);

  s.drain = 1;
  assert_int_equal(uv_poll_start(&p, UV_READABLE, poll_cb), 0);
  RUN_UNTIL(&loop, s.calls == 1);
  assert_int_equal(s.events, UV_READABLE);

  /* Starting an active handle changes what it watches. */
  assert_int_equal(uv_poll_start(&p, UV_WRITABLE, poll_cb), 0);
  assert_int_equal(write(sv[1], "y", 1), 1);
  RUN_UNTIL(&loop, s.calls == 2);
  assert_int_equal(s.events, UV_WRITABLE);
  /* Events 0: stopped. */
  assert_int_equal(uv_poll_start(&p, 0, poll_cb), 0);
  assert_false(uv_is_active((uv_handle_t*)&p));
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
  close(sv[0]);
  close(sv[1]);
}

static void close_in_callback(void** state) {
  uv_loop_t loop;
  uv_poll_t* p = malloc(sizeof(*p));
  struct seen s;
  int sv[2];
  (void)state;

  memset(&s, 0, sizeof(s));
  s.close = 1;
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, p, sv[0]), 0);
  p->data = &s;
  assert_int_equal(uv_poll_start(p, UV_READABLE | UV_WRITABLE, poll_cb), 0);
  assert_int_equal(write(sv[1], "z", 1), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(s.calls, 1);
  assert_int_equal(s.events, UV_READABLE | UV_WRITABLE);
  free(p);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(sv[0]);
  close(sv[1]);
}

/* ---- descriptors ------------------------------------------------------------------------- */

static void regular_file_is_eperm(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  char path[] = "/tmp/eddy-poll-XXXXXX";
  int fd;
  (void)state;

  fd = mkstemp(path);
  assert_true(fd >= 0);
  unlink(path);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &p, fd), UV_EPERM);
  assert_int_equal(uv_poll_init(&loop, &p, -1), UV_EBADF);
  close(fd);
  /* A descriptor that is not open. */
  assert_int_equal(uv_poll_init(&loop, &p, fd), UV_EBADF);
  loop_close_clean(&loop);
}

/* libuv's answer to two handles on one descriptor: both may be made, only
 * one may watch; while one does, a new one cannot even be made. */
static void two_handles_on_one_fd(void** state) {
  uv_loop_t loop;
  uv_poll_t a;
  uv_poll_t b;
  uv_poll_t c;
  struct seen sa;
  struct seen sb;
  int sv[2];
  (void)state;

  memset(&sa, 0, sizeof(sa));
  memset(&sb, 0, sizeof(sb));
  sa.stop = 1;
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &a, sv[0]), 0);
  assert_int_equal(uv_poll_init(&loop, &b, sv[0]), 0);
  a.data = &sa;
  b.data = &sb;
  assert_int_equal(uv_poll_start(&a, UV_WRITABLE, poll_cb), 0);
  assert_int_equal(uv_poll_init(&loop, &c, sv[0]), UV_EEXIST);
  assert_int_equal(uv_poll_start(&b, UV_READABLE, poll_cb), UV_EEXIST);
  assert_false(uv_is_active((uv_handle_t*)&b));
  RUN_UNTIL(&loop, sa.calls == 1);
  assert_int_equal(sb.calls, 0);
  /* Once the first stopped, the second may watch. */
  sb.stop = 1;
  assert_int_equal(uv_poll_start(&b, UV_WRITABLE, poll_cb), 0);
  RUN_UNTIL(&loop, sb.calls == 1);
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&b, NULL);
  loop_close_clean(&loop);
  close(sv[0]);
  close(sv[1]);
}

/* Closing a handle that never watched leaves the one that does alone
 * (libuv drops the descriptor from epoll, and the other handle hears
 * nothing more). */
static void eddy_closing_idle_twin_keeps_watcher(void** state) {
  uv_loop_t loop;
  uv_poll_t a;
  uv_poll_t b;
  struct seen sa;
  int sv[2];
  int i;
  (void)state;
  EDDY_ONLY();

  memset(&sa, 0, sizeof(sa));
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &a, sv[0]), 0);
  assert_int_equal(uv_poll_init(&loop, &b, sv[0]), 0);
  a.data = &sa;
  assert_int_equal(uv_poll_start(&a, UV_WRITABLE, poll_cb), 0);
  RUN_UNTIL(&loop, sa.calls == 1);
  uv_close((uv_handle_t*)&b, NULL);
  for (i = 0; i < 3; i++) uv_run(&loop, UV_RUN_NOWAIT);
  /* Still writable, still reported (level-triggered). */
  assert_true(sa.calls >= 3);
  uv_close((uv_handle_t*)&a, NULL);
  loop_close_clean(&loop);
  close(sv[0]);
  close(sv[1]);
}

static void fileno_and_close_leaves_fd_open(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  struct seen s;
  uv_os_fd_t fd = -1;
  char c;
  int sv[2];
  (void)state;

  memset(&s, 0, sizeof(s));
  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &p, sv[0]), 0);
  /* uv_poll_init made it non-blocking. */
  assert_true(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
  assert_int_equal(uv_fileno((uv_handle_t*)&p, &fd), 0);
  assert_int_equal(fd, sv[0]);
  p.data = &s;
  assert_int_equal(uv_poll_start(&p, UV_READABLE, poll_cb), 0);
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
  /* Still open and working. */
  assert_true(fcntl(sv[0], F_GETFD) != -1);
  assert_int_equal(write(sv[1], "k", 1), 1);
  assert_int_equal(read(sv[0], &c, 1), 1);
  assert_int_equal(c, 'k');
  assert_int_equal(s.calls, 0);
  close(sv[0]);
  close(sv[1]);
}

/* Found by libwebsockets 4.1 (its libuv event lib): the poll callback
 * takes the descriptor from libuv's private `io_watcher.fd`, compiled in
 * as offset 152 of uv_poll_t, and hands it to lws_service_fd.  eddy kept
 * nothing there: lws serviced descriptor 0, never accepted a connection
 * or saw a connect finish, and the loop spun on the ready sockets.  The
 * callback here reads the offset as such a binary does, for two handles
 * ready in the same poll. */

static int offset_fds_seen[2];
static void offset_poll_cb(uv_poll_t* h, int status, int events) {
  int* slot = h->data;
  (void)status;
  (void)events;
  *slot = fd_at_libuv_offset(h, LIBUV_POLL_FD_OFFSET);
  assert_int_equal(uv_poll_stop(h), 0);
}

static void fd_at_libuvs_offset_in_callback(void** state) {
  uv_loop_t loop;
  uv_poll_t p[2];
  int a[2], b[2];
  int i;
  (void)state;

  pair(a);
  pair(b);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &p[0], a[0]), 0);
  assert_int_equal(uv_poll_init_socket(&loop, &p[1], b[0]), 0);
  assert_int_equal(fd_at_libuv_offset(&p[0], LIBUV_POLL_FD_OFFSET), a[0]);
  assert_int_equal(fd_at_libuv_offset(&p[1], LIBUV_POLL_FD_OFFSET), b[0]);
  for (i = 0; i < 2; i++) {
    offset_fds_seen[i] = -2;
    p[i].data = &offset_fds_seen[i];
    assert_int_equal(uv_poll_start(&p[i], UV_READABLE | UV_WRITABLE, offset_poll_cb), 0);
  }
  assert_int_equal(write(a[1], "x", 1), 1);
  RUN_UNTIL(&loop, offset_fds_seen[0] != -2 && offset_fds_seen[1] != -2);
  assert_int_equal(offset_fds_seen[0], a[0]);
  assert_int_equal(offset_fds_seen[1], b[0]);
  for (i = 0; i < 2; i++) uv_close((uv_handle_t*)&p[i], NULL);
  loop_close_clean(&loop);
  close(a[0]);
  close(a[1]);
  close(b[0]);
  close(b[1]);
}

/* Two descriptors ready in the same poll: the first callback closes the
 * other handle and its descriptor and starts a new handle on a new
 * descriptor of the same number, which has nothing to read.  The closed
 * one's event, still in the batch, must not reach the new handle (eddy
 * tells registrations apart by a generation in the event; libuv scrubs
 * the batch). */
static struct {
  uv_poll_t h[2];
  int fds[2][2];
  uv_poll_t fresh;
  int fresh_sv[2];
  int first;
  int calls;
  int fresh_calls;
} rb;

static void rb_fresh_cb(uv_poll_t* h, int status, int events) {
  (void)h;
  (void)status;
  (void)events;
  rb.fresh_calls++;
}

static void rb_cb(uv_poll_t* h, int status, int events) {
  int me = h == &rb.h[0] ? 0 : 1;
  int other = 1 - me;
  int fd;
  (void)status;
  (void)events;
  rb.calls++;
  assert_int_equal(rb.calls, 1); /* the other is closed before its turn */
  rb.first = me;
  uv_close((uv_handle_t*)h, NULL);
  fd = rb.fds[other][0];
  uv_close((uv_handle_t*)&rb.h[other], NULL);
  close(rb.fds[other][0]);
  close(rb.fds[other][1]);
  /* A new, empty descriptor under the closed one's number. */
  pair(rb.fresh_sv);
  if (rb.fresh_sv[1] == fd) { /* keep the number for the end we watch */
    rb.fresh_sv[1] = dup(fd);
    assert_true(rb.fresh_sv[1] >= 0);
    close(fd);
  }
  if (rb.fresh_sv[0] != fd) {
    assert_int_equal(dup2(rb.fresh_sv[0], fd), fd);
    close(rb.fresh_sv[0]);
    rb.fresh_sv[0] = fd;
  }
  assert_int_equal(uv_poll_init(h->loop, &rb.fresh, fd), 0);
  assert_int_equal(uv_poll_start(&rb.fresh, UV_READABLE, rb_fresh_cb), 0);
}

static void closed_fd_reused_within_one_batch(void** state) {
  uv_loop_t loop;
  int i;
  (void)state;

  memset(&rb, 0, sizeof(rb));
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < 2; i++) {
    pair(rb.fds[i]);
    assert_int_equal(write(rb.fds[i][1], "x", 1), 1);
    assert_int_equal(uv_poll_init(&loop, &rb.h[i], rb.fds[i][0]), 0);
    assert_int_equal(uv_poll_start(&rb.h[i], UV_READABLE, rb_cb), 0);
  }
  for (i = 0; i < 3; i++) uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(rb.calls, 1);
  assert_int_equal(rb.fresh_calls, 0);
  uv_close((uv_handle_t*)&rb.fresh, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  close(rb.fresh_sv[0]);
  close(rb.fresh_sv[1]);
  close(rb.fds[rb.first][0]);
  close(rb.fds[rb.first][1]);
  loop_close_clean(&loop);
}

/* After uv_poll_stop the caller may close the descriptor, and a new one
 * of the same number works with a new handle. */
static void fd_closed_after_stop_and_reused(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  uv_poll_t q;
  struct seen s;
  int sv[2];
  int sv2[2];
  int fd;
  (void)state;

  memset(&s, 0, sizeof(s));
  s.stop = 1;
  pair(sv);
  fd = sv[0];
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(&loop, &p, sv[0]), 0);
  p.data = &s;
  assert_int_equal(uv_poll_start(&p, UV_READABLE, poll_cb), 0);
  uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(uv_poll_stop(&p), 0);
  close(sv[0]);
  close(sv[1]);
  pair(sv2);
  assert_int_equal(sv2[0], fd); /* the lowest free number again */
  assert_int_equal(uv_poll_init(&loop, &q, sv2[0]), 0);
  q.data = &s;
  assert_int_equal(uv_poll_start(&q, UV_READABLE, poll_cb), 0);
  assert_int_equal(write(sv2[1], "n", 1), 1);
  RUN_UNTIL(&loop, s.calls == 1);
  assert_int_equal(s.events, UV_READABLE);
  uv_close((uv_handle_t*)&p, NULL);
  uv_close((uv_handle_t*)&q, NULL);
  loop_teardown(&loop);
  close(sv2[0]);
  close(sv2[1]);
}

static void eddy_bad_arguments(void** state) {
  uv_loop_t loop;
  uv_poll_t p;
  uv_timer_t t;
  int sv[2];
  (void)state;
  EDDY_ONLY();

  pair(sv);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_poll_init(NULL, &p, sv[0]), UV_EINVAL);
  assert_int_equal(uv_poll_init(&loop, NULL, sv[0]), UV_EINVAL);
  assert_int_equal(uv_poll_init(&loop, &p, sv[0]), 0);
  /* libuv asserts on unknown events and on a closing handle. */
  assert_int_equal(uv_poll_start(&p, 64, poll_cb), UV_EINVAL);
  assert_int_equal(uv_poll_start(NULL, UV_READABLE, poll_cb), UV_EINVAL);
  assert_int_equal(uv_poll_stop(NULL), UV_EINVAL);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_poll_stop((uv_poll_t*)&t), UV_EINVAL);
  uv_close((uv_handle_t*)&p, NULL);
  assert_int_equal(uv_poll_start(&p, UV_READABLE, poll_cb), UV_EINVAL);
  loop_teardown(&loop);
  close(sv[0]);
  close(sv[1]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(readable_when_data_arrives),
      cmocka_unit_test(writable_at_once),
      cmocka_unit_test(disconnect_when_peer_closes),
      cmocka_unit_test(disconnect_only_when_asked),
      cmocka_unit_test(prioritized_on_urgent_data),
      cmocka_unit_test(error_stops_with_ebadf),
      cmocka_unit_test(stop_and_start_again),
      cmocka_unit_test(close_in_callback),
      cmocka_unit_test(regular_file_is_eperm),
      cmocka_unit_test(two_handles_on_one_fd),
      cmocka_unit_test(eddy_closing_idle_twin_keeps_watcher),
      cmocka_unit_test(fileno_and_close_leaves_fd_open),
      cmocka_unit_test(fd_closed_after_stop_and_reused),
      cmocka_unit_test(fd_at_libuvs_offset_in_callback),
      cmocka_unit_test(closed_fd_reused_within_one_batch),
      cmocka_unit_test(eddy_bad_arguments),
  };
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
