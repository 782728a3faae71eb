/* eddy load test: many concurrent loopback connections to an echo server.
 *
 *   c10k [--connections N] [--messages M] [--minutes T]
 *
 * The server runs on eddy in a forked child; this process runs the clients
 * on eddy.  Each of N connections (default 10,000) is opened, exchanges M
 * messages (default 100) one at a time (send, wait for the echo, check it
 * byte for byte), and stays open until every connection has finished, so
 * all N are held at once.  The program reports lost and corrupted messages
 * (both must be 0), the time taken, the connections held, and the server's
 * peak resident memory and descriptor count.
 *
 * --minutes T repeats rounds for T minutes (soak) and reports, after each
 * round, the server's resident memory and descriptor count with every
 * client gone: both must stay flat.
 *
 * Exit status 0 when nothing was lost or corrupted and (soak) the server's
 * descriptors came back to their baseline and its memory stayed flat. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uv.h"

#define MSG_SIZE 64
#define CONNECTS_IN_FLIGHT 256 /* keep the listen backlog from overflowing */

static void die(const char* what, int err) {
  fprintf(stderr, "c10k: %s: %s\n", what, err ? uv_strerror(err) : "failed");
  exit(2);
}

#define CHECK_UV(call)            \
  do {                            \
    int r_ = (call);              \
    if (r_ != 0) die(#call, r_); \
  } while (0)

/* ---- the server (child process) ------------------------------------------------ */

static uv_loop_t server_loop;
static uv_tcp_t server;
static uv_pipe_t server_ctl;
static char server_buf[65536];

struct echo_write {
  uv_write_t req;
  char data[];
};

static void server_alloc(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  (void)h;
  (void)size;
  *buf = uv_buf_init(server_buf, sizeof(server_buf));
}

static void server_conn_close_cb(uv_handle_t* h) { free(h); }

static void server_write_cb(uv_write_t* req, int status) {
  (void)status; /* a client gone meanwhile: nothing to do */
  free(req);
}

static void server_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct echo_write* w;
  uv_buf_t out;
  if (n > 0) {
    w = malloc(sizeof(*w) + (size_t)n);
    if (w == NULL) die("malloc", 0);
    memcpy(w->data, buf->base, (size_t)n);
    out = uv_buf_init(w->data, (unsigned int)n);
    if (uv_write(&w->req, s, &out, 1, server_write_cb) != 0) {
      free(w);
      uv_close((uv_handle_t*)s, server_conn_close_cb);
    }
  } else if (n < 0) {
    uv_close((uv_handle_t*)s, server_conn_close_cb);
  }
}

static void server_connection_cb(uv_stream_t* srv, int status) {
  uv_tcp_t* conn;
  if (status != 0) {
    fprintf(stderr, "c10k server: accept: %s\n", uv_strerror(status));
    return;
  }
  conn = malloc(sizeof(*conn));
  if (conn == NULL) die("malloc", 0);
  CHECK_UV(uv_tcp_init(&server_loop, conn));
  CHECK_UV(uv_accept(srv, (uv_stream_t*)conn));
  CHECK_UV(uv_tcp_nodelay(conn, 1));
  CHECK_UV(uv_read_start((uv_stream_t*)conn, server_alloc, server_read_cb));
}

static void server_close_walk(uv_handle_t* h, void* arg) {
  (void)arg;
  if (!uv_is_closing(h))
    uv_close(h, h->type == UV_TCP && h != (uv_handle_t*)&server
                    ? server_conn_close_cb
                    : NULL);
}

static void server_ctl_alloc(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  static char b[16];
  (void)h;
  (void)size;
  *buf = uv_buf_init(b, sizeof(b));
}

/* The parent closing the control pipe ends the server. */
static void server_ctl_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  (void)s;
  (void)buf;
  if (n < 0) uv_walk(&server_loop, server_close_walk, NULL);
}

static void server_main(int ctl_fd, int port_fd) {
  struct sockaddr_in addr;
  int len = sizeof(addr);
  int port;

  CHECK_UV(uv_loop_init(&server_loop));
  CHECK_UV(uv_tcp_init(&server_loop, &server));
  CHECK_UV(uv_ip4_addr("127.0.0.1", 0, &addr));
  CHECK_UV(uv_tcp_bind(&server, (struct sockaddr*)&addr, 0));
  CHECK_UV(uv_listen((uv_stream_t*)&server, 4096, server_connection_cb));
  CHECK_UV(uv_tcp_getsockname(&server, (struct sockaddr*)&addr, &len));
  CHECK_UV(uv_pipe_init(&server_loop, &server_ctl, 0));
  CHECK_UV(uv_pipe_open(&server_ctl, ctl_fd));
  CHECK_UV(uv_read_start((uv_stream_t*)&server_ctl, server_ctl_alloc,
                         server_ctl_read));
  port = ntohs(addr.sin_port);
  if (write(port_fd, &port, sizeof(port)) != sizeof(port)) _exit(2);
  close(port_fd);
  uv_run(&server_loop, UV_RUN_DEFAULT);
  _exit(uv_loop_close(&server_loop) == 0 ? 0 : 3);
}

/* ---- the server seen from outside ------------------------------------------------ */

static pid_t server_pid;

static long proc_status_kb(const char* field) {
  char path[64], line[256];
  size_t flen = strlen(field);
  long kb = -1;
  FILE* f;
  snprintf(path, sizeof(path), "/proc/%d/status", (int)server_pid);
  f = fopen(path, "r");
  if (f == NULL) return -1;
  while (fgets(line, sizeof(line), f) != NULL)
    if (strncmp(line, field, flen) == 0 && line[flen] == ':')
      kb = strtol(line + flen + 1, NULL, 10);
  fclose(f);
  return kb;
}

static int server_fds(void) {
  char path[64];
  struct dirent* e;
  DIR* d;
  int n = 0;
  snprintf(path, sizeof(path), "/proc/%d/fd", (int)server_pid);
  d = opendir(path);
  if (d == NULL) return -1;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n;
}

/* ---- the clients ------------------------------------------------------------------ */

struct client {
  uv_tcp_t tcp;
  uv_connect_t connect;
  uv_write_t write;
  unsigned id;
  unsigned sent;     /* messages sent */
  unsigned echoed;   /* messages echoed back intact */
  unsigned have;     /* bytes of the current echo received */
  int writing;       /* the write request is in use until its callback */
  int echo_in;       /* the echo arrived before the write's callback */
  char out[MSG_SIZE];
  char in[MSG_SIZE];
  int done;
};

static uv_loop_t* loop;
static struct client* clients;
static unsigned nconn, nmsg;
static unsigned next_connect, connecting, finished, held, open_now;
static uint64_t corrupted, errors;
static struct sockaddr_in server_addr;
static uv_timer_t sampler;
static long peak_fds;

static void make_message(struct client* c, unsigned seq, char* out) {
  unsigned i;
  int n = snprintf(out, MSG_SIZE, "conn %u msg %u|", c->id, seq);
  for (i = (unsigned)n; i < MSG_SIZE; i++)
    out[i] = (char)('a' + (c->id * 31u + seq * 7u + i) % 26u);
}

static void client_finish(struct client* c) {
  if (c->done) return;
  c->done = 1;
  finished++;
  if (finished == nconn) {
    unsigned i;
    /* Every connection has been held to the end: now let them go. */
    for (i = 0; i < nconn; i++)
      if (!uv_is_closing((uv_handle_t*)&clients[i].tcp))
        uv_close((uv_handle_t*)&clients[i].tcp, NULL);
    uv_close((uv_handle_t*)&sampler, NULL);
  }
}

static void client_send(struct client* c);

static void client_next(struct client* c);

static void client_write_cb(uv_write_t* req, int status) {
  struct client* c = req->data;
  c->writing = 0;
  if (status != 0 && !c->done) {
    errors++;
    client_finish(c);
  } else if (c->echo_in) {
    client_next(c);
  }
}

static void client_send(struct client* c) {
  uv_buf_t b;
  int r;
  make_message(c, c->sent, c->out);
  b = uv_buf_init(c->out, MSG_SIZE);
  c->write.data = c;
  r = uv_write(&c->write, (uv_stream_t*)&c->tcp, &b, 1, client_write_cb);
  if (r != 0) {
    errors++;
    client_finish(c);
    return;
  }
  c->writing = 1;
  c->echo_in = 0;
  c->sent++;
  c->have = 0;
}

/* The echo is in and the write request free again: the next message. */
static void client_next(struct client* c) {
  if (c->done) return;
  if (c->sent == nmsg) {
    uv_read_stop((uv_stream_t*)&c->tcp);
    client_finish(c);
  } else {
    client_send(c);
  }
}

static void client_alloc(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  struct client* c = h->data;
  (void)size;
  *buf = uv_buf_init(c->in + c->have, MSG_SIZE - c->have);
}

static void client_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct client* c = s->data;
  char expect[MSG_SIZE];
  (void)buf;
  if (c->done) return;
  if (n < 0) {
    errors++;
    client_finish(c);
    return;
  }
  c->have += (unsigned)n;
  if (c->have < MSG_SIZE) return;
  make_message(c, c->sent - 1, expect);
  if (memcmp(expect, c->in, MSG_SIZE) != 0) {
    corrupted++;
  } else {
    c->echoed++;
  }
  c->have = 0;
  if (c->writing)
    c->echo_in = 1; /* the write's callback sends the next one */
  else
    client_next(c);
}

static void start_connects(void);

static void client_connect_cb(uv_connect_t* req, int status) {
  struct client* c = req->data;
  connecting--;
  if (status != 0) {
    fprintf(stderr, "c10k: connect: %s\n", uv_strerror(status));
    errors++;
    client_finish(c);
  } else {
    open_now++;
    if (open_now > held) held = open_now;
    uv_tcp_nodelay(&c->tcp, 1);
    if (uv_read_start((uv_stream_t*)&c->tcp, client_alloc, client_read_cb) != 0) {
      errors++;
      client_finish(c);
    } else {
      client_send(c);
    }
  }
  start_connects();
}

static void start_connects(void) {
  struct client* c;
  while (connecting < CONNECTS_IN_FLIGHT && next_connect < nconn) {
    c = &clients[next_connect];
    memset(c, 0, sizeof(*c));
    c->id = next_connect++;
    CHECK_UV(uv_tcp_init(loop, &c->tcp));
    c->tcp.data = c;
    c->connect.data = c;
    CHECK_UV(uv_tcp_connect(&c->connect, &c->tcp,
                            (struct sockaddr*)&server_addr, client_connect_cb));
    connecting++;
  }
}

static void sampler_cb(uv_timer_t* t) {
  long n = server_fds();
  (void)t;
  if (n > peak_fds) peak_fds = n;
}

struct round_result {
  double seconds;
  uint64_t lost, corrupted, errors;
  unsigned held;
};

static struct round_result run_round(void) {
  struct round_result r;
  uint64_t start = uv_hrtime(), lost = 0;
  unsigned i;

  next_connect = connecting = finished = held = open_now = 0;
  corrupted = errors = 0;
  CHECK_UV(uv_timer_init(loop, &sampler));
  CHECK_UV(uv_timer_start(&sampler, sampler_cb, 250, 250));
  start_connects();
  uv_run(loop, UV_RUN_DEFAULT);
  for (i = 0; i < nconn; i++) lost += nmsg - clients[i].echoed;
  r.seconds = (double)(uv_hrtime() - start) / 1e9;
  r.corrupted = corrupted;
  r.lost = lost - corrupted; /* a corrupted message is counted once */
  r.errors = errors;
  r.held = held;
  return r;
}

/* Waits until the server has seen every client go: its descriptors come
 * back to the baseline (bounded wait, then reports what is left). */
static int server_settle(int baseline) {
  int i, n = server_fds();
  for (i = 0; i < 200 && n != baseline; i++) {
    usleep(10000);
    n = server_fds();
  }
  return n;
}

static void usage(void) {
  fprintf(stderr,
          "usage: c10k [--connections N] [--messages M] [--minutes T]\n");
  exit(2);
}

int main(int argc, char** argv) {
  struct rlimit rl;
  double minutes = 0;
  int ctl[2], portp[2], port, i, status, baseline, fds_after, ok = 1;
  long rss_first = -1, rss_last = -1, rss_now;
  unsigned rounds = 0;
  uint64_t soak_start;

  nconn = 10000;
  nmsg = 100;
  for (i = 1; i < argc; i++) {
    if (i + 1 >= argc) usage();
    if (strcmp(argv[i], "--connections") == 0)
      nconn = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--messages") == 0)
      nmsg = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--minutes") == 0)
      minutes = strtod(argv[++i], NULL);
    else
      usage();
  }
  if (nconn == 0 || nmsg == 0) usage();

  /* Both sides hold nconn descriptors: raise the soft limit to the hard. */
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur < (rlim_t)nconn + 64) {
    fprintf(stderr, "c10k: RLIMIT_NOFILE hard limit %lu is too low for %u "
            "connections\n", (unsigned long)rl.rlim_cur, nconn);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);

  if (pipe2(ctl, O_CLOEXEC) != 0 || pipe2(portp, O_CLOEXEC) != 0) die("pipe", 0);
  server_pid = fork();
  if (server_pid < 0) die("fork", 0);
  if (server_pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close(ctl[1]);
    close(portp[0]);
    server_main(ctl[0], portp[1]);
  }
  close(ctl[0]);
  close(portp[1]);
  if (read(portp[0], &port, sizeof(port)) != sizeof(port)) die("server port", 0);
  /* EOF: the server closed its end, its descriptors are what they stay. */
  if (read(portp[0], &i, sizeof(i)) != 0) die("server port", 0);
  close(portp[0]);
  CHECK_UV(uv_ip4_addr("127.0.0.1", port, &server_addr));
  baseline = server_fds();

  clients = calloc(nconn, sizeof(*clients));
  if (clients == NULL) die("calloc", 0);
  loop = uv_default_loop();
  printf("c10k: %u connections x %u messages of %d bytes, server pid %d "
         "(%d descriptors idle)\n",
         nconn, nmsg, MSG_SIZE, (int)server_pid, baseline);

  soak_start = uv_hrtime();
  do {
    struct round_result r = run_round();
    fds_after = server_settle(baseline);
    rss_now = proc_status_kb("VmRSS");
    if (rss_first < 0) rss_first = rss_now;
    rss_last = rss_now;
    rounds++;
    printf("round %u: %.2f s, %u connections held, lost %" PRIu64
           ", corrupted %" PRIu64 ", errors %" PRIu64
           "; server: peak RSS %ld kB, RSS now %ld kB, peak fds %ld, "
           "fds after %d\n",
           rounds, r.seconds, r.held, r.lost, r.corrupted, r.errors,
           proc_status_kb("VmHWM"), rss_now, peak_fds, fds_after);
    fflush(stdout);
    if (r.lost != 0 || r.corrupted != 0 || r.errors != 0 || r.held != nconn)
      ok = 0;
    if (fds_after != baseline) ok = 0;
  } while (ok && (double)(uv_hrtime() - soak_start) / 60e9 < minutes);

  if (minutes > 0) {
    /* Flat: the last round leaves the server no bigger than the first
     * round did, give or take allocator slack (10%). */
    int flat = rss_last <= rss_first + rss_first / 10;
    printf("soak: %u rounds in %.1f minutes; server RSS after round 1 %ld kB, "
           "after round %u %ld kB (%s); descriptors back to %d after every "
           "round (%s)\n",
           rounds, (double)(uv_hrtime() - soak_start) / 60e9, rss_first,
           rounds, rss_last, flat ? "flat" : "GREW", baseline,
           ok ? "yes" : "NO");
    if (!flat) ok = 0;
  }

  close(ctl[1]); /* the server closes everything and exits */
  if (waitpid(server_pid, &status, 0) != server_pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    fprintf(stderr, "c10k: the server did not exit cleanly\n");
    ok = 0;
  }
  free(clients);
  if (uv_loop_close(loop) != 0) ok = 0;
  printf("c10k: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
