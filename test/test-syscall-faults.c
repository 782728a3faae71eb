/* eddy tests — system calls that fail the way servers see them fail.
 *
 *  - descriptor exhaustion: a server whose RLIMIT_NOFILE is reached under a
 *    flood of connections (in a forked child, so that the test process
 *    keeps its limit) rejects the excess instead of spinning on a readable
 *    listener, and recovers when descriptors free up;
 *  - EINTR: a storm of signals whose handler lacks SA_RESTART while the
 *    loop runs a TCP echo, fs requests, a child process, and threads wait
 *    on semaphores and conditions: every result must be right;
 *  - EAGAIN and partial writes: sockets with the smallest buffers;
 *  - a peer that resets mid-write, a peer that never reads: every write
 *    callback runs exactly once, with an error when the data was not sent. */
#include "test-helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void close_walk_cb(uv_handle_t* h, void* arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

static void alloc_cb(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  (void)h;
  buf->base = malloc(size);
  buf->len = size;
  assert_non_null(buf->base);
}

static int tcp_listen_any(uv_loop_t* loop, uv_tcp_t* server, int backlog,
                          uv_connection_cb cb) {
  struct sockaddr_in addr;
  int len = sizeof(addr);
  if (uv_ip4_addr("127.0.0.1", 0, &addr) != 0) return -1;
  if (uv_tcp_init(loop, server) != 0) return -1;
  if (uv_tcp_bind(server, (struct sockaddr*)&addr, 0) != 0) return -1;
  if (uv_listen((uv_stream_t*)server, backlog, cb) != 0) return -1;
  if (uv_tcp_getsockname(server, (struct sockaddr*)&addr, &len) != 0) return -1;
  return ntohs(addr.sin_port);
}

/* A blocking client socket connected to 127.0.0.1:port. */
static int raw_connect(int port) {
  struct sockaddr_in addr;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_true(fd >= 0);
  memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(connect(fd, (struct sockaddr*)&addr, sizeof(addr)), 0);
  return fd;
}

/* ---- descriptor exhaustion ----------------------------------------------------
 *
 * The child serves an echo with few free descriptors; the parent floods it
 * with clients.  The child cannot use cmocka (its asserts would jump into
 * the parent's runner): CHECK exits with a message. */

#define CHECK(x)                                                        \
  do {                                                                  \
    if (!(x)) {                                                         \
      fprintf(stderr, "emfile child: %s:%d: %s\n", __FILE__, __LINE__, \
              #x);                                                      \
      _exit(2);                                                         \
    }                                                                   \
  } while (0)

#define FLOOD 40       /* clients in the flood */
#define FREED 6        /* descriptors the server frees on UV_EMFILE */
#define MAX_FILLERS 4096

struct emfile_msg {
  int kind; /* 'P': port, 'F': every served connection closed, 'S': stats */
  int a, b, c;
};

static struct {
  uv_loop_t loop;
  uv_tcp_t server;
  uv_pipe_t ctl;
  int res_fd;
  int fillers[MAX_FILLERS];
  int nfillers;
  int emfile_errors;  /* UV_EMFILE seen by the connection callback */
  int served;         /* connections accepted */
  int open_conns;
  int phase;          /* 1: after the flood, 2: flood's clients gone */
  int quiet_iterations;
  uv_timer_t quiet;
  uint64_t loop_count_before;
} em;

static void em_send(int kind, int a, int b, int c) {
  struct emfile_msg m = {kind, a, b, c};
  CHECK(write(em.res_fd, &m, sizeof(m)) == sizeof(m));
}

static void em_conn_close_cb(uv_handle_t* h) {
  free(h);
  if (--em.open_conns == 0 && em.phase == 1) {
    em.phase = 2; /* once: the recovery's clients come and go later */
    em_send('F', 0, 0, 0);
  }
}

static void em_write_cb(uv_write_t* w, int status) {
  CHECK(status == 0);
  free(w);
}

static void em_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  uv_write_t* w;
  uv_buf_t out;
  if (n > 0) {
    /* The echo: one small message, well within the socket buffer. */
    w = malloc(sizeof(*w) + (size_t)n);
    CHECK(w != NULL);
    memcpy(w + 1, buf->base, (size_t)n);
    out = uv_buf_init((char*)(w + 1), (unsigned int)n);
    CHECK(uv_write(w, s, &out, 1, em_write_cb) == 0);
  } else if (n < 0) {
    uv_close((uv_handle_t*)s, em_conn_close_cb);
  }
  free(buf->base);
}

static void em_connection_cb(uv_stream_t* server, int status) {
  uv_tcp_t* conn;
  int i;

  if (status == UV_EMFILE) {
    /* What a server does: free some descriptors of its own. */
    em.emfile_errors++;
    for (i = 0; i < FREED && em.nfillers > 0; i++)
      close(em.fillers[--em.nfillers]);
    return;
  }
  CHECK(status == 0);
  conn = malloc(sizeof(*conn));
  CHECK(conn != NULL);
  CHECK(uv_tcp_init(&em.loop, conn) == 0);
  CHECK(uv_accept(server, (uv_stream_t*)conn) == 0);
  CHECK(uv_read_start((uv_stream_t*)conn, (uv_alloc_cb)alloc_cb, em_read_cb) ==
        0);
  em.served++;
  em.open_conns++;
}

static void em_quiet_cb(uv_timer_t* t) {
  uv_metrics_t m;
  CHECK(uv_metrics_info(&em.loop, &m) == 0);
  /* From arming the timer to now the loop had nothing to do: it slept in
   * one poll (plus, at most, a wake-up for a late client event).  A
   * listener left readable would have made it go round and round. */
  em.quiet_iterations = (int)(m.loop_count - em.loop_count_before);
  uv_close((uv_handle_t*)t, NULL);
  em_send('Q', em.quiet_iterations, 0, 0);
}

static void em_ctl_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  uv_metrics_t m;
  ssize_t i;
  for (i = 0; i < n; i++) {
    if (buf->base[i] == 'c') { /* the flood is over */
      em.phase = 1;
      CHECK(uv_metrics_info(&em.loop, &m) == 0);
      em.loop_count_before = m.loop_count;
      CHECK(uv_timer_init(&em.loop, &em.quiet) == 0);
      CHECK(uv_timer_start(&em.quiet, em_quiet_cb, 200, 0) == 0);
    } else if (buf->base[i] == 'q') {
      em_send('S', em.served, em.emfile_errors, em.open_conns);
      uv_walk(&em.loop, close_walk_cb, NULL);
    }
  }
  if (n < 0) uv_close((uv_handle_t*)s, NULL);
  free(buf->base);
}

static void emfile_child(int ctl_fd, int res_fd) {
  struct rlimit rl;
  int port, fd;

  memset(&em, 0, sizeof(em));
  em.res_fd = res_fd;
  CHECK(uv_loop_init(&em.loop) == 0);
  CHECK(uv_pipe_init(&em.loop, &em.ctl, 0) == 0);
  CHECK(uv_pipe_open(&em.ctl, ctl_fd) == 0);
  CHECK(uv_read_start((uv_stream_t*)&em.ctl, (uv_alloc_cb)alloc_cb,
                      em_ctl_read_cb) == 0);
  /* Lower the limit, then fill every slot left: the listener starts with
   * no descriptor to spare, not even for its reserve. */
  CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
  rl.rlim_cur = 64;
  CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
  CHECK(uv_tcp_init(&em.loop, &em.server) == 0);
  while ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) {
    CHECK(em.nfillers < MAX_FILLERS);
    em.fillers[em.nfillers++] = fd;
  }
  CHECK(errno == EMFILE);
  /* The listening socket itself needs one. */
  close(em.fillers[--em.nfillers]);
  port = tcp_listen_any(&em.loop, &em.server, 128, em_connection_cb);
  CHECK(port > 0);
  em_send('P', port, 0, 0);
  CHECK(uv_run(&em.loop, UV_RUN_DEFAULT) == 0);
  CHECK(uv_loop_close(&em.loop) == 0);
  _exit(0);
}

static void em_recv(int fd, struct emfile_msg* m, int kind) {
  assert_int_equal(read(fd, m, sizeof(*m)), sizeof(*m));
  assert_int_equal(m->kind, kind);
}

/* 1: the client was served (its message echoed), 0: it was rejected (the
 * connection closed or reset).  A client left hanging fails the test. */
static int client_outcome(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  char buf[8];
  ssize_t n;

  n = send(fd, "ping", 4, MSG_NOSIGNAL);
  if (n < 0) {
    assert_true(errno == EPIPE || errno == ECONNRESET);
    return 0;
  }
  assert_int_equal(n, 4);
  /* A generous bound that only catches a hang. */
  assert_int_equal(poll(&p, 1, 10000), 1);
  n = recv(fd, buf, sizeof(buf), 0);
  if (n == 0 || (n < 0 && errno == ECONNRESET)) return 0;
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "ping", 4);
  return 1;
}

static void emfile_flood_rejects_excess_and_recovers(void** state) {
  int ctl[2], res[2], clients[FLOOD], again[3];
  int served = 0, rejected = 0, i, status, port;
  struct emfile_msg m;
  pid_t pid;
  (void)state;

  assert_int_equal(pipe2(ctl, O_CLOEXEC), 0);
  assert_int_equal(pipe2(res, O_CLOEXEC), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* Never outlive a failed test. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close(ctl[1]);
    close(res[0]);
    emfile_child(ctl[0], res[1]);
  }
  close(ctl[0]);
  close(res[1]);
  em_recv(res[0], &m, 'P');
  port = m.a;

  /* The flood: every client is either served or turned away. */
  for (i = 0; i < FLOOD; i++) clients[i] = raw_connect(port);
  for (i = 0; i < FLOOD; i++) {
    if (client_outcome(clients[i]))
      served++;
    else
      rejected++;
  }
  /* Of the descriptors freed, one became the reserve. */
  assert_int_equal(served, FREED - 1);
  assert_int_equal(served + rejected, FLOOD);

  /* With the flood over and only idle connections left, the server's loop
   * sleeps: a handful of iterations at most while its timer runs. */
  assert_int_equal(write(ctl[1], "c", 1), 1);
  em_recv(res[0], &m, 'Q');
  assert_true(m.a >= 1);
  assert_true(m.a <= 3);

  /* Descriptors free up: the served clients leave; new clients are all
   * served. */
  for (i = 0; i < FLOOD; i++) close(clients[i]);
  em_recv(res[0], &m, 'F');
  for (i = 0; i < 3; i++) again[i] = raw_connect(port);
  for (i = 0; i < 3; i++) {
    assert_int_equal(client_outcome(again[i]), 1);
    close(again[i]);
  }

  assert_int_equal(write(ctl[1], "q", 1), 1);
  em_recv(res[0], &m, 'S');
  /* Every connection the server accepted was one a client saw served. */
  assert_int_equal(m.a, served + 3);
  /* The callback heard of the exhaustion once: when it had no reserve. */
  assert_int_equal(m.b, 1);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  close(ctl[1]);
  close(res[0]);
}

/* ---- EINTR: a storm of signals without SA_RESTART ---------------------------- */

static int storm_hits;
static int storm_stop;

static void storm_handler(int sig) {
  (void)sig;
  __atomic_add_fetch(&storm_hits, 1, __ATOMIC_RELAXED);
}

struct storm {
  pthread_t thread;
  pthread_t target; /* the loop's thread */
  long sent;
};

static void* storm_main(void* arg) {
  struct storm* st = arg;
  struct timespec ts = {0, 50000};
  while (!__atomic_load_n(&storm_stop, __ATOMIC_ACQUIRE)) {
    pthread_kill(st->target, SIGUSR2);
    kill(getpid(), SIGUSR2); /* any thread: the workers too */
    st->sent += 2;
    nanosleep(&ts, NULL);
  }
  return NULL;
}

#define STORM_TCP_BYTES (2 << 20)
#define STORM_FS_BYTES (1 << 20)
#define STORM_ROUNDS 1000

static unsigned char pattern_byte(size_t i) {
  return (unsigned char)((i * 131u) ^ (i >> 9));
}

static struct {
  uv_loop_t* loop;
  uv_tcp_t server, conn, client;
  uv_connect_t connect;
  uv_write_t client_write;
  unsigned char* out;
  size_t got;
  int tcp_done;
  /* fs */
  char path[64];
  unsigned char* fs_out;
  unsigned char* fs_in;
  uv_fs_t fs_req;
  uv_file fs_fd;
  int fs_step;
  int fs_done;
  /* spawn */
  uv_process_t proc;
  uv_pipe_t proc_out;
  char proc_got[16];
  size_t proc_ngot;
  int proc_exited, proc_eof;
  /* threads */
  uv_sem_t ping, pong;
  uv_mutex_t mutex;
  uv_cond_t cond;
  int cond_value;
} sg;

static void sg_echo_write_cb(uv_write_t* w, int status) {
  assert_int_equal(status, 0);
  free(w->data); /* the buffer read, echoed as it was */
  free(w);
}

static void sg_conn_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  uv_write_t* w;
  uv_buf_t out;
  if (n > 0) {
    w = malloc(sizeof(*w));
    assert_non_null(w);
    out = uv_buf_init(buf->base, (unsigned int)n);
    w->data = buf->base;
    assert_int_equal(uv_write(w, s, &out, 1, sg_echo_write_cb), 0);
    return; /* the buffer goes with the write */
  }
  if (n < 0) {
    assert_int_equal(n, UV_EOF);
    uv_close((uv_handle_t*)s, NULL);
  }
  free(buf->base);
}

static void sg_connection_cb(uv_stream_t* server, int status) {
  assert_int_equal(status, 0);
  assert_int_equal(uv_tcp_init(sg.loop, &sg.conn), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)&sg.conn), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&sg.conn, alloc_cb, sg_conn_read_cb), 0);
  uv_close((uv_handle_t*)server, NULL);
}

static void sg_client_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  ssize_t i;
  assert_true(n >= 0 || n == UV_EOF);
  for (i = 0; i < n; i++)
    if ((unsigned char)buf->base[i] != pattern_byte(sg.got + (size_t)i))
      fail_msg("echo corrupted at byte %zu", sg.got + (size_t)i);
  if (n > 0) sg.got += (size_t)n;
  free(buf->base);
  if (sg.got == STORM_TCP_BYTES) {
    sg.tcp_done = 1;
    uv_close((uv_handle_t*)s, NULL);
  }
}

static void sg_client_write_cb(uv_write_t* w, int status) {
  (void)w;
  assert_int_equal(status, 0);
}

static void sg_connect_cb(uv_connect_t* req, int status) {
  uv_buf_t b = uv_buf_init((char*)sg.out, STORM_TCP_BYTES);
  assert_int_equal(status, 0);
  assert_int_equal(uv_read_start(req->handle, alloc_cb, sg_client_read_cb), 0);
  assert_int_equal(
      uv_write(&sg.client_write, req->handle, &b, 1, sg_client_write_cb), 0);
}

static void sg_fs_cb(uv_fs_t* req) {
  uv_buf_t b;
  ssize_t result = req->result;
  int step = sg.fs_step++;
  uv_fs_req_cleanup(req);
  assert_true(result >= 0);
  switch (step) {
    case 0:
      sg.fs_fd = (uv_file)result;
      b = uv_buf_init((char*)sg.fs_out, STORM_FS_BYTES);
      assert_int_equal(uv_fs_write(sg.loop, req, sg.fs_fd, &b, 1, 0, sg_fs_cb), 0);
      break;
    case 1:
      assert_int_equal(result, STORM_FS_BYTES);
      b = uv_buf_init((char*)sg.fs_in, STORM_FS_BYTES);
      assert_int_equal(uv_fs_read(sg.loop, req, sg.fs_fd, &b, 1, 0, sg_fs_cb), 0);
      break;
    case 2:
      assert_int_equal(result, STORM_FS_BYTES);
      assert_memory_equal(sg.fs_in, sg.fs_out, STORM_FS_BYTES);
      assert_int_equal(uv_fs_close(sg.loop, req, sg.fs_fd, sg_fs_cb), 0);
      break;
    case 3:
      assert_int_equal(uv_fs_unlink(sg.loop, req, sg.path, sg_fs_cb), 0);
      break;
    case 4:
      sg.fs_done = 1;
      break;
  }
}

static void sg_exit_cb(uv_process_t* p, int64_t status, int sig) {
  assert_int_equal(status, 0);
  assert_int_equal(sig, 0);
  sg.proc_exited = 1;
  uv_close((uv_handle_t*)p, NULL);
}

static void sg_proc_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  if (n > 0) {
    assert_true(sg.proc_ngot + (size_t)n <= sizeof(sg.proc_got));
    memcpy(sg.proc_got + sg.proc_ngot, buf->base, (size_t)n);
    sg.proc_ngot += (size_t)n;
  } else if (n < 0) {
    assert_int_equal(n, UV_EOF);
    sg.proc_eof = 1;
    uv_close((uv_handle_t*)s, NULL);
  }
  free(buf->base);
}

static void sg_sem_thread(void* arg) {
  int i;
  (void)arg;
  for (i = 0; i < STORM_ROUNDS; i++) {
    uv_sem_wait(&sg.ping);
    uv_sem_post(&sg.pong);
  }
}

static void sg_cond_thread(void* arg) {
  int i;
  (void)arg;
  for (i = 1; i <= STORM_ROUNDS; i++) {
    uv_mutex_lock(&sg.mutex);
    while (sg.cond_value != 2 * i - 1) uv_cond_wait(&sg.cond, &sg.mutex);
    sg.cond_value++;
    uv_cond_signal(&sg.cond);
    uv_mutex_unlock(&sg.mutex);
  }
}

/* The other side of the ping-pongs, on a thread of their own so that the
 * loop keeps running meanwhile. */
static void sg_driver_thread(void* arg) {
  int i;
  (void)arg;
  for (i = 1; i <= STORM_ROUNDS; i++) {
    uv_sem_post(&sg.ping);
    uv_sem_wait(&sg.pong);
    uv_mutex_lock(&sg.mutex);
    sg.cond_value++;
    uv_cond_signal(&sg.cond);
    while (sg.cond_value != 2 * i) uv_cond_wait(&sg.cond, &sg.mutex);
    uv_mutex_unlock(&sg.mutex);
  }
}

static void eintr_storm_during_io_threads_and_spawn(void** state) {
  struct sigaction sa, old;
  struct storm st;
  uv_loop_t loop;
  uv_thread_t sem_thread, cond_thread, driver;
  struct sockaddr_in addr;
  char* args[] = {"/bin/sh", "-c", "echo ok", NULL};
  uv_process_options_t o;
  uv_stdio_container_t stdio[3];
  int port;
  size_t i;
  (void)state;

  memset(&sg, 0, sizeof(sg));
  sg.loop = &loop;
  sg.out = malloc(STORM_TCP_BYTES);
  sg.fs_out = malloc(STORM_FS_BYTES);
  sg.fs_in = malloc(STORM_FS_BYTES);
  assert_non_null(sg.out);
  assert_non_null(sg.fs_out);
  assert_non_null(sg.fs_in);
  for (i = 0; i < STORM_TCP_BYTES; i++) sg.out[i] = pattern_byte(i);
  for (i = 0; i < STORM_FS_BYTES; i++) sg.fs_out[i] = pattern_byte(i * 7);

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = storm_handler; /* no SA_RESTART: calls fail with EINTR */
  sigemptyset(&sa.sa_mask);
  assert_int_equal(sigaction(SIGUSR2, &sa, &old), 0);
  storm_hits = 0;
  storm_stop = 0;
  memset(&st, 0, sizeof(st));
  st.target = pthread_self();
  assert_int_equal(pthread_create(&st.thread, NULL, storm_main, &st), 0);

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_sem_init(&sg.ping, 0), 0);
  assert_int_equal(uv_sem_init(&sg.pong, 0), 0);
  assert_int_equal(uv_mutex_init(&sg.mutex), 0);
  assert_int_equal(uv_cond_init(&sg.cond), 0);
  assert_int_equal(uv_thread_create(&sem_thread, sg_sem_thread, NULL), 0);
  assert_int_equal(uv_thread_create(&cond_thread, sg_cond_thread, NULL), 0);
  assert_int_equal(uv_thread_create(&driver, sg_driver_thread, NULL), 0);

  /* TCP echo */
  port = tcp_listen_any(&loop, &sg.server, 8, sg_connection_cb);
  assert_true(port > 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", port, &addr), 0);
  assert_int_equal(uv_tcp_init(&loop, &sg.client), 0);
  assert_int_equal(uv_tcp_connect(&sg.connect, &sg.client,
                                  (struct sockaddr*)&addr, sg_connect_cb),
                   0);
  /* fs */
  snprintf(sg.path, sizeof(sg.path), "/tmp/eddy-eintr-%d", (int)getpid());
  assert_int_equal(uv_fs_open(&loop, &sg.fs_req, sg.path,
                              O_CREAT | O_TRUNC | O_RDWR, 0600, sg_fs_cb),
                   0);
  /* spawn */
  assert_int_equal(uv_pipe_init(&loop, &sg.proc_out, 0), 0);
  memset(&o, 0, sizeof(o));
  o.file = args[0];
  o.args = args;
  o.exit_cb = sg_exit_cb;
  o.stdio = stdio;
  o.stdio_count = 3;
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[1].data.stream = (uv_stream_t*)&sg.proc_out;
  stdio[2].flags = UV_IGNORE;
  assert_int_equal(uv_spawn(&loop, &sg.proc, &o), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&sg.proc_out, alloc_cb, sg_proc_read_cb), 0);

  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_thread_join(&sem_thread), 0);
  assert_int_equal(uv_thread_join(&cond_thread), 0);
  assert_int_equal(uv_thread_join(&driver), 0);

  __atomic_store_n(&storm_stop, 1, __ATOMIC_RELEASE);
  assert_int_equal(pthread_join(st.thread, NULL), 0);
  assert_int_equal(sigaction(SIGUSR2, &old, NULL), 0);

  assert_int_equal(sg.tcp_done, 1);
  assert_int_equal(sg.got, STORM_TCP_BYTES);
  assert_int_equal(sg.fs_done, 1);
  assert_int_equal(sg.proc_exited, 1);
  assert_int_equal(sg.proc_eof, 1);
  assert_int_equal(sg.proc_ngot, 3);
  assert_memory_equal(sg.proc_got, "ok\n", 3);
  assert_int_equal(sg.cond_value, 2 * STORM_ROUNDS);
  /* The storm did hit. */
  assert_true(__atomic_load_n(&storm_hits, __ATOMIC_RELAXED) > 0);
  print_message("[ eintr    ] %ld signals sent, %d handled\n", st.sent,
                __atomic_load_n(&storm_hits, __ATOMIC_RELAXED));
  uv_sem_destroy(&sg.ping);
  uv_sem_destroy(&sg.pong);
  uv_mutex_destroy(&sg.mutex);
  uv_cond_destroy(&sg.cond);
  assert_int_equal(uv_loop_close(&loop), 0);
  free(sg.out);
  free(sg.fs_out);
  free(sg.fs_in);
}

/* ---- EAGAIN and partial writes: the smallest socket buffers -------------------- */

#define TINY_WRITES 8
#define TINY_WRITE_BYTES (16 * 1024)

static struct {
  uv_loop_t* loop;
  uv_tcp_t server, conn, client;
  uv_connect_t connect;
  uv_write_t writes[TINY_WRITES];
  int write_calls[TINY_WRITES];
  unsigned char* out;
  size_t got;
  size_t queued_after_first;
} tb;

static void set_buffers(uv_handle_t* h) {
  uv_os_fd_t fd;
  int one = 1;
  assert_int_equal(uv_fileno(h, &fd), 0);
  assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &one, sizeof(one)), 0);
  assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)), 0);
}

static void tb_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  ssize_t i;
  if (n > 0) {
    for (i = 0; i < n; i++)
      if ((unsigned char)buf->base[i] != tb.out[tb.got + (size_t)i])
        fail_msg("stream corrupted at byte %zu", tb.got + (size_t)i);
    tb.got += (size_t)n;
  } else if (n < 0) {
    assert_int_equal(n, UV_EOF);
    uv_close((uv_handle_t*)s, NULL);
  }
  free(buf->base);
}

static void tb_connection_cb(uv_stream_t* server, int status) {
  assert_int_equal(status, 0);
  assert_int_equal(uv_tcp_init(tb.loop, &tb.conn), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)&tb.conn), 0);
  set_buffers((uv_handle_t*)&tb.conn);
  assert_int_equal(uv_read_start((uv_stream_t*)&tb.conn, alloc_cb, tb_read_cb),
                   0);
  uv_close((uv_handle_t*)server, NULL);
}

static void tb_write_cb(uv_write_t* w, int status) {
  int i = (int)(w - tb.writes);
  assert_int_equal(status, 0);
  tb.write_calls[i]++;
  if (i == TINY_WRITES - 1) uv_close((uv_handle_t*)w->handle, NULL);
}

static void tb_connect_cb(uv_connect_t* req, int status) {
  uv_buf_t b;
  size_t before, after;
  int i;
  assert_int_equal(status, 0);
  set_buffers((uv_handle_t*)req->handle);
  for (i = 0; i < TINY_WRITES; i++) {
    b = uv_buf_init((char*)tb.out + (size_t)i * TINY_WRITE_BYTES,
                    TINY_WRITE_BYTES);
    before = uv_stream_get_write_queue_size(req->handle);
    assert_int_equal(uv_write(&tb.writes[i], req->handle, &b, 1, tb_write_cb),
                     0);
    after = uv_stream_get_write_queue_size(req->handle);
    /* Once something waits, a new write waits whole behind it; before
     * that, the queue holds what the kernel did not take of this one. */
    if (before > 0)
      assert_int_equal(after, before + TINY_WRITE_BYTES);
    else
      assert_true(after <= TINY_WRITE_BYTES);
  }
  /* The kernel did not take it all: EAGAIN was met, the rest waits. */
  tb.queued_after_first = uv_stream_get_write_queue_size(req->handle);
}

static void tiny_buffers_partial_writes_arrive_whole(void** state) {
  uv_loop_t loop;
  struct sockaddr_in addr;
  size_t i;
  int port;
  (void)state;

  memset(&tb, 0, sizeof(tb));
  tb.loop = &loop;
  tb.out = malloc((size_t)TINY_WRITES * TINY_WRITE_BYTES);
  assert_non_null(tb.out);
  for (i = 0; i < (size_t)TINY_WRITES * TINY_WRITE_BYTES; i++)
    tb.out[i] = pattern_byte(i);
  assert_int_equal(uv_loop_init(&loop), 0);
  port = tcp_listen_any(&loop, &tb.server, 8, tb_connection_cb);
  assert_true(port > 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", port, &addr), 0);
  assert_int_equal(uv_tcp_init(&loop, &tb.client), 0);
  assert_int_equal(uv_tcp_connect(&tb.connect, &tb.client,
                                  (struct sockaddr*)&addr, tb_connect_cb),
                   0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  /* Some of it waited for POLLOUT after EAGAIN. */
  assert_true(tb.queued_after_first > 0);
  assert_int_equal(tb.got, (size_t)TINY_WRITES * TINY_WRITE_BYTES);
  for (i = 0; i < TINY_WRITES; i++) assert_int_equal(tb.write_calls[i], 1);
  assert_int_equal(uv_loop_close(&loop), 0);
  free(tb.out);
}

/* ---- a peer that resets mid-write ---------------------------------------------- */

#define RESET_WRITES 128
#define RESET_WRITE_BYTES (128 * 1024)

static struct {
  uv_loop_t* loop;
  uv_tcp_t server, conn, client;
  uv_connect_t connect;
  uv_write_t writes[RESET_WRITES];
  int calls[RESET_WRITES];
  int status[RESET_WRITES];
  int read_error;
  char* out;
} rs;

static void rs_close_client(void) {
  if (!uv_is_closing((uv_handle_t*)&rs.client))
    uv_close((uv_handle_t*)&rs.client, NULL);
}

/* The peer reads once, then closes with SO_LINGER 0: a reset. */
static void rs_conn_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct linger lg = {1, 0};
  uv_os_fd_t fd;
  free(buf->base);
  if (n == 0) return;
  assert_true(n > 0);
  assert_int_equal(uv_fileno((uv_handle_t*)s, &fd), 0);
  assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
  uv_close((uv_handle_t*)s, NULL);
}

static void rs_connection_cb(uv_stream_t* server, int status) {
  assert_int_equal(status, 0);
  assert_int_equal(uv_tcp_init(rs.loop, &rs.conn), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)&rs.conn), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&rs.conn, alloc_cb, rs_conn_read_cb), 0);
  uv_close((uv_handle_t*)server, NULL);
}

static void rs_write_cb(uv_write_t* w, int status) {
  int i = (int)(w - rs.writes);
  rs.calls[i]++;
  rs.status[i] = status;
  if (status != 0) rs_close_client();
}

static void rs_client_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  (void)s;
  free(buf->base);
  if (n < 0) {
    rs.read_error = (int)n;
    rs_close_client();
  }
}

static void rs_connect_cb(uv_connect_t* req, int status) {
  uv_buf_t b = uv_buf_init(rs.out, RESET_WRITE_BYTES);
  int i;
  assert_int_equal(status, 0);
  assert_int_equal(uv_read_start(req->handle, alloc_cb, rs_client_read_cb), 0);
  for (i = 0; i < RESET_WRITES; i++)
    assert_int_equal(uv_write(&rs.writes[i], req->handle, &b, 1, rs_write_cb),
                     0);
}

static void peer_reset_mid_write_fails_each_write_once(void** state) {
  uv_loop_t loop;
  struct sockaddr_in addr;
  int port, i, failed = 0;
  (void)state;

  memset(&rs, 0, sizeof(rs));
  rs.loop = &loop;
  rs.out = calloc(1, RESET_WRITE_BYTES);
  assert_non_null(rs.out);
  assert_int_equal(uv_loop_init(&loop), 0);
  port = tcp_listen_any(&loop, &rs.server, 8, rs_connection_cb);
  assert_true(port > 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", port, &addr), 0);
  assert_int_equal(uv_tcp_init(&loop, &rs.client), 0);
  assert_int_equal(uv_tcp_connect(&rs.connect, &rs.client,
                                  (struct sockaddr*)&addr, rs_connect_cb),
                   0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  /* Each callback ran once; the writes that got through come first, then
   * errors only: a reset, a broken pipe, or canceled by the close. */
  for (i = 0; i < RESET_WRITES; i++) {
    assert_int_equal(rs.calls[i], 1);
    if (rs.status[i] != 0) {
      assert_true(rs.status[i] == UV_ECONNRESET || rs.status[i] == UV_EPIPE ||
                  rs.status[i] == UV_ECANCELED);
      failed++;
    } else {
      assert_int_equal(failed, 0);
    }
  }
  assert_true(failed > 0);
  assert_int_equal(uv_loop_close(&loop), 0);
  free(rs.out);
}

/* ---- a peer that never reads --------------------------------------------------- */

#define STUCK_WRITES 64
#define STUCK_WRITE_BYTES (64 * 1024)

static struct {
  uv_write_t writes[STUCK_WRITES + 1];
  int calls[STUCK_WRITES + 1];
  int status[STUCK_WRITES + 1];
} nr;

static void nr_write_cb(uv_write_t* w, int status) {
  int i = (int)(w - nr.writes);
  nr.calls[i]++;
  nr.status[i] = status;
}

static void peer_never_reads_queue_grows_then_close_cancels(void** state) {
  uv_loop_t loop;
  uv_pipe_t p;
  uv_os_sock_t fds[2];
  uv_buf_t b;
  char* out;
  size_t queued, canceled_bytes = 0;
  int i, canceled = 0, sent = 0;
  (void)state;

  out = calloc(1, STUCK_WRITE_BYTES);
  assert_non_null(out);
  memset(&nr, 0, sizeof(nr));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, fds, 0, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &p, 0), 0);
  assert_int_equal(uv_pipe_open(&p, fds[0]), 0);
  b = uv_buf_init(out, STUCK_WRITE_BYTES);
  for (i = 0; i < STUCK_WRITES; i++)
    assert_int_equal(uv_write(&nr.writes[i], (uv_stream_t*)&p, &b, 1,
                              nr_write_cb),
                     0);
  /* Let the loop push what the kernel takes and report those writes. */
  for (i = 0; i < 4; i++) uv_run(&loop, UV_RUN_NOWAIT);
  queued = uv_stream_get_write_queue_size((uv_stream_t*)&p);
  assert_true(queued > 0);
  /* It grows by exactly what is added: nothing drains it. */
  assert_int_equal(uv_write(&nr.writes[STUCK_WRITES], (uv_stream_t*)&p, &b, 1,
                            nr_write_cb),
                   0);
  assert_int_equal(uv_stream_get_write_queue_size((uv_stream_t*)&p),
                   queued + STUCK_WRITE_BYTES);
  for (i = 0; i <= STUCK_WRITES; i++)
    if (nr.calls[i] == 1) sent++;
  uv_close((uv_handle_t*)&p, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  for (i = 0; i <= STUCK_WRITES; i++) {
    assert_int_equal(nr.calls[i], 1);
    if (nr.status[i] == UV_ECANCELED) {
      canceled++;
      canceled_bytes += STUCK_WRITE_BYTES;
    } else {
      assert_int_equal(nr.status[i], 0);
    }
  }
  /* Those not reported before the close were all canceled; the queue held
   * their bytes, less what the kernel took of the first of them. */
  assert_int_equal(canceled, STUCK_WRITES + 1 - sent);
  assert_true(queued + STUCK_WRITE_BYTES <= canceled_bytes);
  assert_true(queued + STUCK_WRITE_BYTES > canceled_bytes - STUCK_WRITE_BYTES);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(fds[1]);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(emfile_flood_rejects_excess_and_recovers),
      cmocka_unit_test(eintr_storm_during_io_threads_and_spawn),
      cmocka_unit_test(tiny_buffers_partial_writes_arrive_whole),
      cmocka_unit_test(peer_reset_mid_write_fails_each_write_once),
      cmocka_unit_test(peer_never_reads_queue_grows_then_close_cancels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
