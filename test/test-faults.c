/* eddy tests — allocation failure in every area, one failure point at a time.
 *
 * Each scenario drives one area through a small complete job (a TCP echo,
 * a pipe echo, a chain of fs requests, name lookups, a child process, a
 * watched directory).  The driver runs it once to count the allocation
 * calls it makes (test-helpers.h's counting allocator), then once per call
 * N, failing call N.  Every run must end with each call having succeeded or
 * reported UV_ENOMEM (to its caller, or to its callback), with no memory
 * and no descriptor leaked, and with the loop still usable: a timer fires,
 * then every handle closes and uv_loop_close() returns 0.  A failure must
 * be reported: a job that did not complete without any error seen fails the
 * test.
 *
 * eddy only: libuv aborts on some failed allocations (its watcher table). */
#include "test-helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the driver --------------------------------------------------------------- */

static struct {
  int enomem;  /* errors reported, by return value or callback */
  int done;    /* the scenario's job completed */
} run;

/* 1 if r is 0, 0 if it is UV_ENOMEM; anything else fails the test. */
static int ok(int r) {
  if (r == UV_ENOMEM) {
    run.enomem++;
    return 0;
  }
  assert_int_equal(r, 0);
  return 1;
}

static void close_walk_cb(uv_handle_t* h, void* arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* A failure somewhere: give up the job, close everything it opened. */
static void give_up(uv_loop_t* loop) { uv_walk(loop, close_walk_cb, NULL); }

static int usable_fired;
static void usable_timer_cb(uv_timer_t* t) {
  usable_fired++;
  uv_close((uv_handle_t*)t, NULL);
}

/* Timers allocate nothing: after any failure the loop must still run one. */
static void check_loop_usable(uv_loop_t* loop) {
  uv_timer_t t;
  usable_fired = 0;
  assert_int_equal(uv_timer_init(loop, &t), 0);
  assert_int_equal(uv_timer_start(&t, usable_timer_cb, 1, 0), 0);
  assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(usable_fired, 1);
}

typedef void (*scenario_fn)(uv_loop_t* loop);

/* One run, failing allocation call fail_at (0: none).  A warm-up run may
 * leave allocations behind: those of what lives for the whole process. */
static void run_once(scenario_fn body, long fail_at, int warmup) {
  uv_loop_t loop;
  int fds = count_fds();

  memset(&run, 0, sizeof(run));
  test_alloc_install(fail_at);
  if (ok(uv_loop_init(&loop))) {
    body(&loop);
    /* Whatever the body left running finishes or is closed here. */
    give_up(&loop);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    check_loop_usable(&loop);
    assert_int_equal(uv_loop_close(&loop), 0);
  }
  if (fail_at == 0) {
    assert_int_equal(run.enomem, 0);
    assert_int_equal(run.done, 1);
  } else if (!run.done) {
    /* Not done: then the failure was reported, not swallowed. */
    assert_true(run.enomem >= 1);
  }
  if (warmup) return;
  assert_int_equal(__atomic_load_n(&test_alloc.live, __ATOMIC_SEQ_CST), 0);
  assert_int_equal(count_fds(), fds);
}

/* Counts the scenario's allocation calls, then fails each in turn.
 * Returns the number of failure points tried. */
static long drive(const char* name, scenario_fn body) {
  long calls, n, reached = 0;

  /* Once for what happens only on first use in a process (the thread
   * pool starting); then the count every later run makes. */
  run_once(body, 0, 1);
  run_once(body, 0, 0);
  calls = test_alloc.calls;
  for (n = 1; n <= calls; n++) {
    run_once(body, n, 0);
    if (test_alloc.failures > 0) reached++;
  }
  /* Work done on the thread pool may allocate in a different order, but
   * every point must be reachable. */
  assert_true(reached >= calls - calls / 10);
  test_alloc_restore();
  print_message("[ faults   ] %-12s %ld allocation calls, %ld failure points "
                "reached\n",
                name, calls, reached);
  return reached;
}

static int restore_allocator(void** state) {
  (void)state;
  test_alloc_restore();
  return 0;
}

/* ---- loop and timers ------------------------------------------------------------ */

static struct {
  uv_timer_t timer;
  uv_async_t async;
  uv_signal_t sig;
  int fired;
} lpc;

/* Done when the timer, the async send and the signal have all arrived. */
static void loop_part_done(uv_handle_t* h) {
  uv_close(h, NULL);
  if (++lpc.fired == 3) run.done = 1;
}

static void loop_timer_cb(uv_timer_t* t) { loop_part_done((uv_handle_t*)t); }
static void loop_async_cb(uv_async_t* a) { loop_part_done((uv_handle_t*)a); }
static void loop_signal_cb(uv_signal_t* s, int signum) {
  assert_int_equal(signum, SIGUSR1);
  loop_part_done((uv_handle_t*)s);
}

static void sc_loop(uv_loop_t* loop) {
  memset(&lpc, 0, sizeof(lpc));
  if (!ok(uv_timer_init(loop, &lpc.timer))) return;
  if (!ok(uv_timer_start(&lpc.timer, loop_timer_cb, 0, 0))) return;
  if (!ok(uv_async_init(loop, &lpc.async, loop_async_cb))) return give_up(loop);
  if (!ok(uv_async_send(&lpc.async))) return give_up(loop);
  if (!ok(uv_signal_init(loop, &lpc.sig))) return give_up(loop);
  if (!ok(uv_signal_start_oneshot(&lpc.sig, loop_signal_cb, SIGUSR1)))
    return give_up(loop);
  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  uv_run(loop, UV_RUN_DEFAULT);
}

/* ---- streams: an echo over TCP or a pipe ---------------------------------------- */

#define ECHO_PIECES 6 /* more buffers than a write request holds inline */

static struct {
  uv_loop_t* loop;
  uv_handle_type type;
  union { uv_tcp_t tcp; uv_pipe_t pipe; } server, conn, client;
  uv_connect_t connect;
  uv_write_t client_write;
  char got[64];
  size_t ngot;
  char path[64];
} echo;

static const char* const pieces[ECHO_PIECES] = {"one ", "two ", "three ",
                                                "four ", "five ", "six"};

static size_t echo_len(void) {
  size_t n = 0;
  int i;
  for (i = 0; i < ECHO_PIECES; i++) n += strlen(pieces[i]);
  return n;
}

static int stream_init(uv_stream_t* s) {
  if (echo.type == UV_TCP) return uv_tcp_init(echo.loop, (uv_tcp_t*)s);
  return uv_pipe_init(echo.loop, (uv_pipe_t*)s, 0);
}

static void echo_alloc(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  (void)h;
  (void)size;
  buf->base = malloc(256);
  buf->len = buf->base != NULL ? 256 : 0;
}

struct echo_write {
  uv_write_t req;
  char data[256];
};

static void status_ok(int status) {
  if (status == UV_ENOMEM) {
    run.enomem++;
    give_up(echo.loop);
    return;
  }
  /* Canceled when a failure elsewhere closed the handle. */
  if (status != UV_ECANCELED) assert_int_equal(status, 0);
}

static void server_write_cb(uv_write_t* req, int status) {
  free(req);
  status_ok(status);
}

static void conn_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct echo_write* w;
  uv_buf_t out;

  if (n > 0) {
    w = malloc(sizeof(*w));
    assert_non_null(w);
    memcpy(w->data, buf->base, (size_t)n);
    out = uv_buf_init(w->data, (unsigned int)n);
    if (!ok(uv_write(&w->req, s, &out, 1, server_write_cb))) {
      free(w);
      give_up(echo.loop);
    }
  } else if (n < 0 && n != UV_EOF) {
    status_ok((int)n);
  }
  free(buf->base);
}

static void on_connection(uv_stream_t* server, int status) {
  uv_stream_t* conn = (uv_stream_t*)&echo.conn;
  if (status != 0) {
    status_ok(status);
    return;
  }
  if (!ok(stream_init(conn))) return give_up(echo.loop);
  if (!ok(uv_accept(server, conn))) return give_up(echo.loop);
  if (!ok(uv_read_start(conn, echo_alloc, conn_read_cb)))
    return give_up(echo.loop);
}

static void client_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  (void)s;
  if (n > 0) {
    assert_true(echo.ngot + (size_t)n <= sizeof(echo.got));
    memcpy(echo.got + echo.ngot, buf->base, (size_t)n);
    echo.ngot += (size_t)n;
    if (echo.ngot == echo_len()) {
      run.done = 1;
      give_up(echo.loop);
    }
  } else if (n < 0) {
    status_ok((int)n);
  }
  free(buf->base);
}

static void client_write_cb(uv_write_t* req, int status) {
  (void)req;
  status_ok(status);
}

static void on_connect(uv_connect_t* req, int status) {
  uv_buf_t bufs[ECHO_PIECES];
  int i;

  if (status != 0) return status_ok(status);
  for (i = 0; i < ECHO_PIECES; i++)
    bufs[i] = uv_buf_init((char*)pieces[i], (unsigned int)strlen(pieces[i]));
  if (!ok(uv_read_start(req->handle, echo_alloc, client_read_cb)))
    return give_up(echo.loop);
  if (!ok(uv_write(&echo.client_write, req->handle, bufs, ECHO_PIECES,
                   client_write_cb)))
    return give_up(echo.loop);
}

static void sc_stream_echo(uv_loop_t* loop, uv_handle_type type) {
  uv_stream_t* server = (uv_stream_t*)&echo.server;
  struct sockaddr_in addr;
  int namelen = sizeof(addr);

  memset(&echo, 0, sizeof(echo));
  echo.loop = loop;
  echo.type = type;
  if (!ok(stream_init(server))) return;
  if (type == UV_TCP) {
    assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &addr), 0);
    if (!ok(uv_tcp_bind(&echo.server.tcp, (struct sockaddr*)&addr, 0))) return;
    assert_int_equal(uv_tcp_getsockname(&echo.server.tcp,
                                        (struct sockaddr*)&addr, &namelen),
                     0);
  } else {
    snprintf(echo.path, sizeof(echo.path), "/tmp/eddy-faults-%d.sock",
             (int)getpid());
    unlink(echo.path);
    if (!ok(uv_pipe_bind(&echo.server.pipe, echo.path))) return;
  }
  if (!ok(uv_listen(server, 8, on_connection))) return;
  if (!ok(stream_init((uv_stream_t*)&echo.client))) return;
  if (type == UV_TCP) {
    if (!ok(uv_tcp_connect(&echo.connect, &echo.client.tcp,
                           (struct sockaddr*)&addr, on_connect)))
      return;
  } else {
    uv_pipe_connect(&echo.connect, &echo.client.pipe, echo.path, on_connect);
  }
  uv_run(loop, UV_RUN_DEFAULT);
  if (run.done) assert_memory_equal(echo.got, "one two three four five six",
                                    echo_len());
  if (type == UV_NAMED_PIPE) unlink(echo.path);
}

static void sc_tcp(uv_loop_t* loop) { sc_stream_echo(loop, UV_TCP); }
static void sc_pipe(uv_loop_t* loop) { sc_stream_echo(loop, UV_NAMED_PIPE); }

/* ---- fs requests: a chain, each step started by the one before ------------------- */

static struct {
  uv_loop_t* loop;
  uv_fs_t req;
  char dir[64];
  char file[96];
  uv_file fd;
  char buf[16];
  int step;
} fsc;

static void fs_step(uv_fs_t* req);

/* Removes what the chain made, synchronously and with the C library (the
 * failure is spent: only one allocation call fails per run). */
static void fs_cleanup(void) {
  if (fsc.fd >= 0) close(fsc.fd);
  fsc.fd = -1;
  if (fsc.file[0] != '\0') unlink(fsc.file);
  if (fsc.dir[0] != '\0') rmdir(fsc.dir);
}

static int fs_start(int r) {
  if (ok(r)) return 1;
  uv_fs_req_cleanup(&fsc.req);
  fs_cleanup();
  return 0;
}

static void fs_step(uv_fs_t* req) {
  uv_buf_t b;
  ssize_t result = req->result;
  uv_loop_t* loop = fsc.loop;
  int step = fsc.step++;

  if (result < 0) {
    assert_int_equal(result, UV_ENOMEM);
    run.enomem++;
    uv_fs_req_cleanup(req);
    fs_cleanup();
    return;
  }
  switch (step) {
    case 0: /* mkdtemp done */
      snprintf(fsc.dir, sizeof(fsc.dir), "%s", req->path);
      snprintf(fsc.file, sizeof(fsc.file), "%s/f", fsc.dir);
      uv_fs_req_cleanup(req);
      fs_start(uv_fs_open(loop, req, fsc.file, O_CREAT | O_RDWR, 0600, fs_step));
      return;
    case 1: /* open done */
      fsc.fd = (uv_file)result;
      uv_fs_req_cleanup(req);
      b = uv_buf_init("hello", 5);
      fs_start(uv_fs_write(loop, req, fsc.fd, &b, 1, 0, fs_step));
      return;
    case 2: /* write done */
      assert_int_equal(result, 5);
      uv_fs_req_cleanup(req);
      b = uv_buf_init(fsc.buf, sizeof(fsc.buf));
      fs_start(uv_fs_read(loop, req, fsc.fd, &b, 1, 0, fs_step));
      return;
    case 3: /* read done */
      assert_int_equal(result, 5);
      assert_memory_equal(fsc.buf, "hello", 5);
      uv_fs_req_cleanup(req);
      fs_start(uv_fs_stat(loop, req, fsc.file, fs_step));
      return;
    case 4: /* stat done */
      assert_int_equal(req->statbuf.st_size, 5);
      uv_fs_req_cleanup(req);
      fs_start(uv_fs_close(loop, req, fsc.fd, fs_step));
      fsc.fd = -1;
      return;
    case 5: /* close done */
      uv_fs_req_cleanup(req);
      fs_start(uv_fs_scandir(loop, req, fsc.dir, 0, fs_step));
      return;
    case 6: { /* scandir done */
      uv_dirent_t ent;
      assert_int_equal(result, 1);
      assert_int_equal(uv_fs_scandir_next(req, &ent), 0);
      assert_string_equal(ent.name, "f");
      assert_int_equal(uv_fs_scandir_next(req, &ent), UV_EOF);
      uv_fs_req_cleanup(req);
      fs_start(uv_fs_realpath(loop, req, fsc.file, fs_step));
      return;
    }
    case 7: /* realpath done */
      assert_non_null(strstr((const char*)req->ptr, "/f"));
      uv_fs_req_cleanup(req);
      fs_start(uv_fs_unlink(loop, req, fsc.file, fs_step));
      return;
    case 8: /* unlink done */
      fsc.file[0] = '\0';
      uv_fs_req_cleanup(req);
      fs_start(uv_fs_rmdir(loop, req, fsc.dir, fs_step));
      return;
    case 9: /* rmdir done */
      fsc.dir[0] = '\0';
      uv_fs_req_cleanup(req);
      run.done = 1;
      return;
  }
}

static void sc_fs(uv_loop_t* loop) {
  memset(&fsc, 0, sizeof(fsc));
  fsc.loop = loop;
  fsc.fd = -1;
  if (!fs_start(uv_fs_mkdtemp(loop, &fsc.req, "/tmp/eddy-faults-XXXXXX",
                              fs_step)))
    return;
  uv_run(loop, UV_RUN_DEFAULT);
  fs_cleanup();
}

/* ---- getaddrinfo on numeric hosts and localhost ------------------------------------ */

static int gai_left;

static void gai_cb(uv_getaddrinfo_t* req, int status, struct addrinfo* res) {
  (void)req;
  if (status == UV_ENOMEM || status == UV_EAI_MEMORY) {
    run.enomem++;
    assert_null(res);
  } else {
    assert_int_equal(status, 0);
    assert_non_null(res);
  }
  uv_freeaddrinfo(res);
  if (--gai_left == 0 && run.enomem == 0) run.done = 1;
}

static void sc_getaddrinfo(uv_loop_t* loop) {
  static uv_getaddrinfo_t reqs[3];
  struct addrinfo hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  gai_left = 0;
  if (ok(uv_getaddrinfo(loop, &reqs[0], gai_cb, "127.0.0.1", "80", &hints)))
    gai_left++;
  if (ok(uv_getaddrinfo(loop, &reqs[1], gai_cb, "localhost", NULL, &hints)))
    gai_left++;
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = AI_NUMERICHOST;
  if (ok(uv_getaddrinfo(loop, &reqs[2], gai_cb, "::1", "443", &hints)))
    gai_left++;
  uv_run(loop, UV_RUN_DEFAULT);
}

/* ---- spawn: a child writing to a pipe ------------------------------------------------ */

static struct {
  uv_loop_t* loop;
  uv_process_t proc;
  uv_pipe_t out;
  char got[32];
  size_t ngot;
  int exited, eof;
} spc;

static void spawn_maybe_done(void) {
  if (spc.exited && spc.eof && spc.ngot == 3 && memcmp(spc.got, "hi\n", 3) == 0)
    run.done = 1;
}

static void spawn_exit_cb(uv_process_t* p, int64_t status, int sig) {
  assert_int_equal(status, 0);
  assert_int_equal(sig, 0);
  spc.exited = 1;
  uv_close((uv_handle_t*)p, NULL);
  spawn_maybe_done();
}

static void spawn_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  if (n > 0) {
    assert_true(spc.ngot + (size_t)n <= sizeof(spc.got));
    memcpy(spc.got + spc.ngot, buf->base, (size_t)n);
    spc.ngot += (size_t)n;
  } else if (n == UV_EOF) {
    spc.eof = 1;
    uv_close((uv_handle_t*)s, NULL);
    spawn_maybe_done();
  } else if (n < 0) {
    assert_int_equal(n, UV_ENOMEM);
    run.enomem++;
    uv_close((uv_handle_t*)s, NULL);
  }
  free(buf->base);
}

static void sc_spawn(uv_loop_t* loop) {
  char* args[] = {"/bin/sh", "-c", "echo hi", NULL};
  uv_process_options_t o;
  uv_stdio_container_t stdio[3];
  int r;

  memset(&spc, 0, sizeof(spc));
  spc.loop = loop;
  if (!ok(uv_pipe_init(loop, &spc.out, 0))) return;
  memset(&o, 0, sizeof(o));
  o.file = args[0];
  o.args = args;
  o.exit_cb = spawn_exit_cb;
  o.stdio = stdio;
  o.stdio_count = 3;
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[1].data.stream = (uv_stream_t*)&spc.out;
  stdio[2].flags = UV_IGNORE;
  r = uv_spawn(loop, &spc.proc, &o);
  if (!ok(r)) {
    /* A failed spawn leaves a handle to close, as libuv documents. */
    uv_close((uv_handle_t*)&spc.proc, NULL);
    uv_close((uv_handle_t*)&spc.out, NULL);
    return;
  }
  if (!ok(uv_read_start((uv_stream_t*)&spc.out, echo_alloc, spawn_read_cb)))
    uv_close((uv_handle_t*)&spc.out, NULL); /* the child still exits */
  uv_run(loop, UV_RUN_DEFAULT);
}

/* ---- fs_event: a watched directory sees a file appear --------------------------------- */

static struct {
  uv_fs_event_t ev;
  uv_timer_t touch;
  char dir[64];
  char file[96];
} fec;

static void fs_event_cb(uv_fs_event_t* h, const char* name, int events,
                        int status) {
  (void)events;
  if (status != 0) {
    assert_int_equal(status, UV_ENOMEM);
    run.enomem++;
  } else if (name != NULL && strcmp(name, "f") == 0) {
    run.done = 1;
  } else {
    return;
  }
  uv_close((uv_handle_t*)h, NULL);
  uv_close((uv_handle_t*)&fec.touch, NULL);
}

static void touch_cb(uv_timer_t* t) {
  int fd = open(fec.file, O_CREAT | O_WRONLY, 0600);
  (void)t;
  assert_true(fd >= 0);
  close(fd);
}

static void sc_fs_event(uv_loop_t* loop) {
  memset(&fec, 0, sizeof(fec));
  snprintf(fec.dir, sizeof(fec.dir), "/tmp/eddy-faults-XXXXXX");
  assert_non_null(mkdtemp(fec.dir));
  snprintf(fec.file, sizeof(fec.file), "%s/f", fec.dir);
  if (ok(uv_fs_event_init(loop, &fec.ev)) &&
      ok(uv_fs_event_start(&fec.ev, fs_event_cb, fec.dir, 0))) {
    /* The file appears once the watch is in place. */
    assert_int_equal(uv_timer_init(loop, &fec.touch), 0);
    assert_int_equal(uv_timer_start(&fec.touch, touch_cb, 0, 0), 0);
    uv_run(loop, UV_RUN_DEFAULT);
  }
  unlink(fec.file);
  assert_int_equal(rmdir(fec.dir), 0);
}

/* ---- the tests ------------------------------------------------------------------------ */

#define FAULT_TEST(name, fn)                     \
  static void eddy_faults_##name(void** state) { \
    (void)state;                                 \
    EDDY_ONLY();                                 \
    assert_true(drive(#name, fn) >= 1);          \
  }

FAULT_TEST(loop_timer, sc_loop)
FAULT_TEST(tcp, sc_tcp)
FAULT_TEST(pipe, sc_pipe)
FAULT_TEST(fs, sc_fs)
FAULT_TEST(getaddrinfo, sc_getaddrinfo)
FAULT_TEST(spawn, sc_spawn)
FAULT_TEST(fs_event, sc_fs_event)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(eddy_faults_loop_timer, restore_allocator),
      cmocka_unit_test_teardown(eddy_faults_tcp, restore_allocator),
      cmocka_unit_test_teardown(eddy_faults_pipe, restore_allocator),
      cmocka_unit_test_teardown(eddy_faults_fs, restore_allocator),
      cmocka_unit_test_teardown(eddy_faults_getaddrinfo, restore_allocator),
      cmocka_unit_test_teardown(eddy_faults_spawn, restore_allocator),
      cmocka_unit_test_teardown(eddy_faults_fs_event, restore_allocator),
  };
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
