/* eddy tests — pipe handles (src/unix/pipe.c, through src/unix/stream.c):
 * Unix domain sockets named by a path or (Linux) an abstract name, pipes
 * opened from descriptors, and IPC pipes that pass handles.
 *
 * Paths live in a fresh mkdtemp directory made for this run and removed
 * at its end; abstract names carry the process id.
 *
 * What is asserted is libuv's behaviour: this file also builds against the
 * system's libuv (without -Iinclude, so that /usr/include/uv.h is used) and
 * passes there, except the tests named eddy_*: names that do not fit in a
 * sockaddr_un are refused by eddy where libuv cuts them short, and bad
 * input gets UV_EINVAL where libuv crashes.  uv_pipe_bind2 and
 * uv_pipe_connect2 (abstract names) came with libuv 1.46 and are skipped
 * when the uv.h is older.  EDDY_TEST_SKIP=pattern skips tests by name. */
#include "test-helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define UV_1_46 ((1 << 16) | (46 << 8))
#define UV_1_52 ((1 << 16) | (52 << 8))
#define HAVE_PIPE2_API (UV_VERSION_HEX >= UV_1_46)

#define SUN_PATH_SIZE sizeof(((struct sockaddr_un*)0)->sun_path)

/* ---- the run's directory
 * ----------------------------------------------------- */

static char tmpdir[64];

static int make_tmpdir(void** state) {
  (void)state;
  snprintf(tmpdir, sizeof(tmpdir), "/tmp/eddy-pipe-XXXXXX");
  return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

/* Every listener removed its socket file: the directory is empty.  What a
 * failed test left behind is removed all the same, and reported. */
static int remove_tmpdir(void** state) {
  char path[sizeof(tmpdir) + 300];
  struct dirent* ent;
  DIR* dir;
  int left = 0;
  (void)state;
  dir = opendir(tmpdir);
  if (dir == NULL) return -1;
  while ((ent = readdir(dir)) != NULL) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
      continue;
    snprintf(path, sizeof(path), "%s/%s", tmpdir, ent->d_name);
    if (unlink(path) == 0) left++;
  }
  closedir(dir);
  if (left > 0) fprintf(stderr, "%d file(s) left in %s\n", left, tmpdir);
  return rmdir(tmpdir) == 0 && left == 0 ? 0 : -1;
}

static void path_in_tmp(char* out, size_t cap, const char* name) {
  int n = snprintf(out, cap, "%s/%s", tmpdir, name);
  assert_true(n > 0 && (size_t)n < cap);
}

/* A path of exactly len bytes in the directory. */
static void path_of_len(char* out, size_t len) {
  size_t n;
  path_in_tmp(out, len + 1, "");
  n = strlen(out);
  assert_true(n < len);
  memset(out + n, 'p', len - n);
  out[len] = '\0';
}

static int file_exists(const char* path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* ---- an end: a pipe handle and what it read
 * ----------------------------------- */

struct end {
  uv_pipe_t pipe;
  char* data;
  size_t len;
  size_t cap;
  int eof;
  int error;
};

static void alloc_cb(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  (void)h;
  buf->base = malloc(size);
  assert_non_null(buf->base);
  buf->len = size;
}

static void keep_read(struct end* e, ssize_t n, const uv_buf_t* buf) {
  if (n > 0) {
    if (e->len + (size_t)n > e->cap) {
      e->cap = (e->len + (size_t)n) * 2;
      e->data = realloc(e->data, e->cap);
      assert_non_null(e->data);
    }
    memcpy(e->data + e->len, buf->base, (size_t)n);
    e->len += (size_t)n;
  } else if (n == UV_EOF) {
    e->eof++;
  } else if (n < 0 && e->error == 0) {
    e->error = (int)n;
  }
}

static void on_read_keep(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  keep_read(s->data, n, buf);
  free(buf->base);
}

static void end_init(uv_loop_t* loop, struct end* e, int ipc) {
  memset(e, 0, sizeof(*e));
  assert_int_equal(uv_pipe_init(loop, &e->pipe, ipc), 0);
  e->pipe.data = e;
}

static uv_stream_t* st(struct end* e) { return (uv_stream_t*)&e->pipe; }

/* ---- an echo peer: writes back what it reads, shuts down at EOF, then
 * closes ---------------------------------------------------------------------
 */

struct wreq {
  uv_write_t req;
  char data[];
};

static int echo_closed;

static void echo_on_write(uv_write_t* req, int status) {
  assert_int_equal(status, 0);
  free(req);
}

static void echo_closed_cb(uv_handle_t* h) {
  echo_closed++;
  free(h);
}

static void echo_on_shutdown(uv_shutdown_t* req, int status) {
  assert_int_equal(status, 0);
  uv_close((uv_handle_t*)req->handle, echo_closed_cb);
  free(req);
}

static void echo_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct wreq* w;
  uv_buf_t b;
  uv_shutdown_t* sreq;

  if (n > 0) {
    w = malloc(sizeof(*w) + (size_t)n);
    assert_non_null(w);
    memcpy(w->data, buf->base, (size_t)n);
    b = uv_buf_init(w->data, (unsigned int)n);
    assert_int_equal(uv_write(&w->req, s, &b, 1, echo_on_write), 0);
  } else if (n == UV_EOF) {
    sreq = malloc(sizeof(*sreq));
    assert_non_null(sreq);
    assert_int_equal(uv_shutdown(sreq, s, echo_on_shutdown), 0);
  } else {
    assert_int_equal(n, 0);
  }
  free(buf->base);
}

/* A listener that accepts one connection into an echo peer (a malloc'ed
 * pipe, or TCP handle for IPC tests) and closes itself. */
static void echo_on_connection(uv_stream_t* server, int status) {
  uv_pipe_t* c = malloc(sizeof(*c));
  assert_int_equal(status, 0);
  assert_non_null(c);
  assert_int_equal(uv_pipe_init(server->loop, c, 0), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)c), 0);
  assert_int_equal(uv_read_start((uv_stream_t*)c, alloc_cb, echo_on_read), 0);
  uv_close((uv_handle_t*)server, NULL);
}

/* ---- a client that says something and reads the answer
 * ------------------------ */

static struct {
  struct end c;
  uv_connect_t req;
  uv_write_t w;
  uv_shutdown_t sreq;
  const char* msg;
  int connect_status;
  int connects;
} cl;

static void cl_on_connect(uv_connect_t* req, int status) {
  uv_buf_t b;
  cl.connect_status = status;
  cl.connects++;
  if (status != 0) return;
  b = uv_buf_init((char*)cl.msg, (unsigned int)strlen(cl.msg));
  assert_int_equal(uv_read_start(req->handle, alloc_cb, on_read_keep), 0);
  assert_int_equal(uv_write(&cl.w, req->handle, &b, 1, NULL), 0);
  assert_int_equal(uv_shutdown(&cl.sreq, req->handle, NULL), 0);
}

static void cl_start(uv_loop_t* loop, const char* msg) {
  end_init(loop, &cl.c, 0);
  cl.msg = msg;
  cl.connect_status = 1;
  cl.connects = 0;
}

static void cl_check_echo(void) {
  assert_int_equal(cl.connects, 1);
  assert_int_equal(cl.connect_status, 0);
  assert_int_equal(cl.c.len, strlen(cl.msg));
  assert_memory_equal(cl.c.data, cl.msg, cl.c.len);
  assert_int_equal(cl.c.eof, 1);
}

static void cl_free(void) {
  free(cl.c.data);
  cl.c.data = NULL;
}

/* ---- bind, listen, connect, accept
 * ------------------------------------------------ */

static void named_pipe_echo(void** state) {
  uv_loop_t loop;
  uv_pipe_t server;
  char path[128];
  char name[256];
  size_t size;
  struct stat sb;
  (void)state;

  echo_closed = 0;
  path_in_tmp(path, sizeof(path), "echo.sock");
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &server, 0), 0);
  assert_int_equal(uv_pipe_bind(&server, path), 0);
  assert_int_equal(stat(path, &sb), 0);
  assert_true(S_ISSOCK(sb.st_mode));
  size = sizeof(name);
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), 0);
  assert_int_equal(size, strlen(path));
  assert_string_equal(name, path);
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, echo_on_connection), 0);

  cl_start(&loop, "hello over a named pipe");
  uv_pipe_connect(&cl.req, &cl.c.pipe, path, cl_on_connect);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  cl_check_echo();
  assert_int_equal(echo_closed, 1);

  /* The client's peer is the path; its own end has no name. */
  size = sizeof(name);
  assert_int_equal(uv_pipe_getpeername(&cl.c.pipe, name, &size), 0);
  assert_int_equal(size, strlen(path));
  assert_string_equal(name, path);
  size = sizeof(name);
  assert_int_equal(uv_pipe_getsockname(&cl.c.pipe, name, &size), 0);
  assert_int_equal(size, 0);

  /* The listener closed (after its one connection) and took its file. */
  assert_int_equal(uv_is_closing((uv_handle_t*)&server), 1);
  assert_false(file_exists(path));
  uv_close((uv_handle_t*)&cl.c.pipe, NULL);
  loop_close_clean(&loop);
  cl_free();
}

/* Reads, writes and a shutdown may be asked for while the connect is in
 * progress; they wait for it. */
static struct {
  char seq[8];
  int n;
} pw;

static void pw_on_connect(uv_connect_t* req, int status) {
  (void)req;
  assert_int_equal(status, 0);
  pw.seq[pw.n++] = 'c';
}

static void pw_on_write(uv_write_t* req, int status) {
  (void)req;
  assert_int_equal(status, 0);
  pw.seq[pw.n++] = 'w';
}

static void pw_on_shutdown(uv_shutdown_t* req, int status) {
  (void)req;
  assert_int_equal(status, 0);
  pw.seq[pw.n++] = 's';
}

static void write_while_connecting(void** state) {
  uv_loop_t loop;
  uv_pipe_t server;
  uv_write_t w;
  uv_shutdown_t sreq;
  char path[128];
  uv_buf_t b = uv_buf_init("early", 5);
  (void)state;

  memset(&pw, 0, sizeof(pw));
  echo_closed = 0;
  path_in_tmp(path, sizeof(path), "early.sock");
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &server, 0), 0);
  assert_int_equal(uv_pipe_bind(&server, path), 0);
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, echo_on_connection), 0);
  cl_start(&loop, "early");
  uv_pipe_connect(&cl.req, &cl.c.pipe, path, pw_on_connect);
  assert_int_equal(uv_is_readable(st(&cl.c)), 1);
  assert_int_equal(uv_is_writable(st(&cl.c)), 1);
  assert_int_equal(uv_read_start(st(&cl.c), alloc_cb, on_read_keep), 0);
  assert_int_equal(uv_write(&w, st(&cl.c), &b, 1, pw_on_write), 0);
  assert_int_equal(uv_shutdown(&sreq, st(&cl.c), pw_on_shutdown), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_string_equal(pw.seq, "cws");
  assert_int_equal(cl.c.len, 5);
  assert_memory_equal(cl.c.data, "early", 5);
  assert_int_equal(cl.c.eof, 1);
  assert_int_equal(echo_closed, 1);
  uv_close((uv_handle_t*)&cl.c.pipe, NULL);
  loop_close_clean(&loop);
  cl_free();
}

static void bind_and_listen_errors(void** state) {
  uv_loop_t loop;
  uv_pipe_t a;
  uv_pipe_t b;
  uv_pipe_t c;
  char path[128];
  char nodir[128];
  (void)state;

  path_in_tmp(path, sizeof(path), "inuse.sock");
  path_in_tmp(nodir, sizeof(nodir), "no/such/dir.sock");
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &a, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &b, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &c, 0), 0);

  /* Listening needs a name first. */
  assert_int_equal(uv_listen((uv_stream_t*)&c, 16, echo_on_connection),
                   UV_EINVAL);

  assert_int_equal(uv_pipe_bind(&a, path), 0);
  assert_int_equal(uv_pipe_bind(&a, path), UV_EINVAL); /* bound already */
  assert_int_equal(uv_pipe_bind(&b, path), UV_EADDRINUSE);
  /* A missing directory reads as "no access", as on Windows. */
  assert_int_equal(uv_pipe_bind(&c, nodir), UV_EACCES);

  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&b, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
  /* Only the handle that bound the path removed it. */
  assert_false(file_exists(path));
}

/* An IPC pipe cannot listen: libuv's docs say only the connected pipe
 * that passes handles is IPC, never the listener uv_accept is called on,
 * and libuv answers UV_EINVAL.  eddy listened (found by Haxe 4.2's eval
 * interpreter: an eval.luv program listening on a pipe made for handle
 * passing got connections on eddy, EINVAL in its callback on libuv). */
static void ipc_pipe_cannot_listen(void** state) {
  uv_loop_t loop;
  uv_pipe_t ipc;
  uv_pipe_t plain;
  char path[128];
  (void)state;

  path_in_tmp(path, sizeof(path), "ipclisten.sock");
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &ipc, 1), 0);
  assert_int_equal(uv_pipe_bind(&ipc, path), 0);
  assert_int_equal(uv_listen((uv_stream_t*)&ipc, 16, echo_on_connection),
                   UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&ipc), 0);
  uv_close((uv_handle_t*)&ipc, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);

  /* The same name on a pipe that is not IPC listens. */
  assert_int_equal(uv_pipe_init(&loop, &plain, 0), 0);
  assert_int_equal(uv_pipe_bind(&plain, path), 0);
  assert_int_equal(uv_listen((uv_stream_t*)&plain, 16, echo_on_connection),
                   0);
  uv_close((uv_handle_t*)&plain, NULL);
  loop_close_clean(&loop);
}

static int connect_status;
static int connect_calls;

static void record_connect(uv_connect_t* req, int status) {
  (void)req;
  connect_status = status;
  connect_calls++;
}

static void connect_errors_reach_callback(void** state) {
  uv_loop_t loop;
  uv_pipe_t bound;
  uv_pipe_t c1;
  uv_pipe_t c2;
  uv_connect_t r1;
  uv_connect_t r2;
  char missing[128];
  char path[128];
  (void)state;

  path_in_tmp(missing, sizeof(missing), "missing.sock");
  path_in_tmp(path, sizeof(path), "notlistening.sock");
  assert_int_equal(uv_loop_init(&loop), 0);

  connect_calls = 0;
  assert_int_equal(uv_pipe_init(&loop, &c1, 0), 0);
  uv_pipe_connect(&r1, &c1, missing, record_connect);
  assert_int_equal(connect_calls, 0); /* never from inside the call */
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(connect_calls, 1);
  assert_int_equal(connect_status, UV_ENOENT);

  /* Bound but not listening: refused. */
  assert_int_equal(uv_pipe_init(&loop, &bound, 0), 0);
  assert_int_equal(uv_pipe_bind(&bound, path), 0);
  assert_int_equal(uv_pipe_init(&loop, &c2, 0), 0);
  uv_pipe_connect(&r2, &c2, path, record_connect);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(connect_calls, 2);
  assert_int_equal(connect_status, UV_ECONNREFUSED);

  uv_close((uv_handle_t*)&c1, NULL);
  uv_close((uv_handle_t*)&c2, NULL);
  uv_close((uv_handle_t*)&bound, NULL);
  loop_close_clean(&loop);
}

/* ---- names and their lengths
 * ---------------------------------------------------------- */

/* The longest path that fits (sun_path less its terminator) works; the
 * name functions answer UV_ENOBUFS with the size needed (terminator
 * included) when the buffer is one byte short, and the name without its
 * terminator counted when it fits. */
static void longest_path_and_enobufs(void** state) {
  uv_loop_t loop;
  uv_pipe_t server;
  char path[SUN_PATH_SIZE + 1];
  char name[SUN_PATH_SIZE + 8];
  size_t n = SUN_PATH_SIZE - 1;
  size_t size;
  (void)state;

  echo_closed = 0;
  path_of_len(path, n);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &server, 0), 0);
  assert_int_equal(uv_pipe_bind(&server, path), 0);
  assert_true(file_exists(path));

  /* Asking with no buffer at all: libuv 1.52 refuses it (1.44 gave the
   * size needed). */
  size = 0;
#if UV_VERSION_HEX >= UV_1_52
  assert_int_equal(uv_pipe_getsockname(&server, NULL, &size), UV_EINVAL);
  size = 0;
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), UV_EINVAL);
#else
  assert_int_equal(uv_pipe_getsockname(&server, NULL, &size), UV_ENOBUFS);
  assert_int_equal(size, n + 1);
#endif

  size = n;
  memset(name, 'X', sizeof(name));
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), UV_ENOBUFS);
  assert_int_equal(size, n + 1);

  size = n + 1;
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), 0);
  assert_int_equal(size, n);
  assert_int_equal(name[n], '\0');
  assert_string_equal(name, path);

  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, echo_on_connection), 0);
  cl_start(&loop, "the longest name");
  uv_pipe_connect(&cl.req, &cl.c.pipe, path, cl_on_connect);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  cl_check_echo();

  size = n;
  assert_int_equal(uv_pipe_getpeername(&cl.c.pipe, name, &size), UV_ENOBUFS);
  assert_int_equal(size, n + 1);
  size = n + 1;
  assert_int_equal(uv_pipe_getpeername(&cl.c.pipe, name, &size), 0);
  assert_int_equal(size, n);
  assert_string_equal(name, path);

  uv_close((uv_handle_t*)&cl.c.pipe, NULL);
  loop_close_clean(&loop);
  assert_false(file_exists(path));
  cl_free();
}

static void names_without_socket(void** state) {
  uv_loop_t loop;
  uv_pipe_t p;
  char name[64];
  size_t size = sizeof(name);
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &p, 0), 0);
  assert_int_equal(uv_pipe_getsockname(&p, name, &size), UV_EBADF);
  assert_int_equal(size, 0);
  size = sizeof(name);
  assert_int_equal(uv_pipe_getpeername(&p, name, &size), UV_EBADF);
  assert_int_equal(size, 0);
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
}

/* eddy refuses a path that does not fit instead of binding or connecting
 * to a shorter one (libuv truncates it unless told UV_PIPE_NO_TRUNCATE). */
static void eddy_name_too_long(void** state) {
  uv_loop_t loop;
  uv_pipe_t p;
  uv_pipe_t c;
  uv_connect_t req;
  char path[SUN_PATH_SIZE + 16];
  char cut[SUN_PATH_SIZE + 16];
  (void)state;
  EDDY_ONLY();

  path_of_len(path, SUN_PATH_SIZE);
  memcpy(cut, path, SUN_PATH_SIZE - 1);
  cut[SUN_PATH_SIZE - 1] = '\0';
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &p, 0), 0);
  assert_int_equal(uv_pipe_bind(&p, path), UV_EINVAL);
  assert_false(file_exists(cut));
#if HAVE_PIPE2_API
  assert_int_equal(uv_pipe_bind2(&p, path, strlen(path), 0), UV_EINVAL);
  assert_int_equal(uv_pipe_bind2(&p, path, strlen(path), UV_PIPE_NO_TRUNCATE),
                   UV_EINVAL);
#endif
  assert_false(file_exists(cut));

  /* The void form reports it through the callback. */
  connect_calls = 0;
  assert_int_equal(uv_pipe_init(&loop, &c, 0), 0);
  uv_pipe_connect(&req, &c, path, record_connect);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(connect_calls, 1);
  assert_int_equal(connect_status, UV_EINVAL);
#if HAVE_PIPE2_API
  assert_int_equal(
      uv_pipe_connect2(&req, &c, path, strlen(path), 0, record_connect),
      UV_EINVAL);
#endif
  uv_close((uv_handle_t*)&p, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* Abstract names: no file, the name starts with a NUL byte, its length is
 * what was given, and getsockname gives it back the same way. */
static void abstract_names(void** state) {
#if HAVE_PIPE2_API
  uv_loop_t loop;
  uv_pipe_t server;
  char aname[64];
  char name[128];
  size_t alen;
  size_t size;
  (void)state;

  echo_closed = 0;
  alen = (size_t)snprintf(aname + 1, sizeof(aname) - 1, "eddy-test-%d-abs",
                          (int)getpid()) +
         1;
  aname[0] = '\0';
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &server, 0), 0);
  assert_int_equal(uv_pipe_bind2(&server, aname, alen, 0x100), UV_EINVAL);
  assert_int_equal(uv_pipe_bind2(&server, aname, alen, 0), 0);
  size = sizeof(name);
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), 0);
  assert_int_equal(size, alen);
  assert_memory_equal(name, aname, alen);
  /* An abstract name gets no terminator, so it needs no room for one. */
  size = alen;
  memset(name, 'X', sizeof(name));
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), 0);
  assert_int_equal(size, alen);
  assert_memory_equal(name, aname, alen);
  assert_int_equal(name[alen], 'X');
  size = alen - 1;
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), UV_ENOBUFS);
  assert_int_equal(size, alen);
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, echo_on_connection), 0);

  cl_start(&loop, "hello over an abstract name");
  assert_int_equal(
      uv_pipe_connect2(&cl.req, &cl.c.pipe, aname, alen, 0x100, cl_on_connect),
      UV_EINVAL);
  assert_int_equal(
      uv_pipe_connect2(&cl.req, &cl.c.pipe, aname, alen, 0, cl_on_connect), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  cl_check_echo();
  size = sizeof(name);
  assert_int_equal(uv_pipe_getpeername(&cl.c.pipe, name, &size), 0);
  assert_int_equal(size, alen);
  assert_memory_equal(name, aname, alen);
  uv_close((uv_handle_t*)&cl.c.pipe, NULL);
  loop_close_clean(&loop);
  cl_free();
#else
  (void)state;
  skip();
#endif
}

/* An empty name asks Linux to autobind (unix(7)): libuv 1.52 binds to an
 * abstract name the kernel picks, a NUL then five hex digits, which the
 * name functions give back (6 bytes, no terminator). */
static int is_autobind_name(const char* p, size_t n) {
  size_t i;
  if (n != 6 || p[0] != '\0') return 0;
  for (i = 1; i < n; i++)
    if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
      return 0;
  return 1;
}

static void autobind_abstract_name(void** state) {
#if HAVE_PIPE2_API && UV_VERSION_HEX >= UV_1_52
  uv_loop_t loop;
  uv_pipe_t server;
  uv_pipe_t other;
  char name[16];
  char other_name[16];
  char peer[16];
  size_t size;
  size_t other_size;
  (void)state;

  echo_closed = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &server, 0), 0);
  assert_int_equal(uv_pipe_bind2(&server, "", 0, 0), 0);
  size = sizeof(name);
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), 0);
  assert_true(is_autobind_name(name, size));
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, echo_on_connection), 0);

  /* uv_pipe_bind with "" is the same request; each gets its own name. */
  assert_int_equal(uv_pipe_init(&loop, &other, 0), 0);
  assert_int_equal(uv_pipe_bind(&other, ""), 0);
  other_size = sizeof(other_name);
  assert_int_equal(uv_pipe_getsockname(&other, other_name, &other_size), 0);
  assert_true(is_autobind_name(other_name, other_size));
  assert_memory_not_equal(name, other_name, 6);
  uv_close((uv_handle_t*)&other, NULL);

  cl_start(&loop, "hello over an autobound name");
  assert_int_equal(
      uv_pipe_connect2(&cl.req, &cl.c.pipe, name, size, 0, cl_on_connect), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  cl_check_echo();
  size = 5;
  assert_int_equal(uv_pipe_getpeername(&cl.c.pipe, peer, &size), UV_ENOBUFS);
  assert_int_equal(size, 6);
  assert_int_equal(uv_pipe_getpeername(&cl.c.pipe, peer, &size), 0);
  assert_int_equal(size, 6);
  assert_memory_equal(peer, name, 6);
  uv_close((uv_handle_t*)&cl.c.pipe, NULL);
  loop_close_clean(&loop);
  cl_free();
#else
  (void)state;
  skip();
#endif
}

/* A descriptor another handle of the loop already watches cannot be
 * opened into a second one: UV_EEXIST. */
static void open_watched_descriptor(void** state) {
  uv_loop_t loop;
  uv_pipe_t r;
  uv_pipe_t other;
  uv_file fds[2];
  uv_os_fd_t fd;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe(fds, 0, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &r, 0), 0);
  assert_int_equal(uv_pipe_open(&r, fds[0]), 0);
  assert_int_equal(uv_read_start((uv_stream_t*)&r, alloc_cb, on_read_keep), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&r, &fd), 0);
  assert_int_equal(uv_pipe_init(&loop, &other, 0), 0);
  assert_int_equal(uv_pipe_open(&other, fd), UV_EEXIST);
  uv_close((uv_handle_t*)&other, NULL);
  uv_close((uv_handle_t*)&r, NULL);
  close(fds[1]);
  loop_close_clean(&loop);
}

/* A closing pipe cannot be bound or listen any more. */
static void bind_after_close(void** state) {
  uv_loop_t loop;
  uv_pipe_t p;
  char path[128];
  (void)state;

  path_in_tmp(path, sizeof(path), "closing.sock");
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &p, 0), 0);
  uv_close((uv_handle_t*)&p, NULL);
  assert_int_equal(uv_pipe_bind(&p, path), UV_EINVAL);
  assert_false(file_exists(path));
  assert_int_equal(uv_listen((uv_stream_t*)&p, 16, NULL), UV_EINVAL);
  loop_close_clean(&loop);
}

/* A path given with its length to bind2/connect2 (no terminator needed). */
static void bind2_connect2_with_length(void** state) {
#if HAVE_PIPE2_API
  uv_loop_t loop;
  uv_pipe_t server;
  char path[128];
  char name[128];
  size_t size;
  size_t len;
  (void)state;

  echo_closed = 0;
  path_in_tmp(path, sizeof(path), "bind2.sockXYZ");
  len = strlen(path) - 3; /* "...bind2.sock", without the XYZ */
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &server, 0), 0);
  assert_int_equal(uv_pipe_bind2(&server, path, len, UV_PIPE_NO_TRUNCATE), 0);
  size = sizeof(name);
  assert_int_equal(uv_pipe_getsockname(&server, name, &size), 0);
  assert_int_equal(size, len);
  assert_memory_equal(name, path, len);
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, echo_on_connection), 0);
  cl_start(&loop, "bind2");
  assert_int_equal(uv_pipe_connect2(&cl.req, &cl.c.pipe, path, len,
                                    UV_PIPE_NO_TRUNCATE, cl_on_connect),
                   0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  cl_check_echo();
  uv_close((uv_handle_t*)&cl.c.pipe, NULL);
  loop_close_clean(&loop);
  name[len] = '\0';
  assert_false(file_exists(name));
  cl_free();
#else
  (void)state;
  skip();
#endif
}

/* ---- chmod
 * ------------------------------------------------------------------------------
 */

static void pipe_chmod(void** state) {
  uv_loop_t loop;
  uv_pipe_t p;
  uv_pipe_t none;
  char path[128];
  struct stat sb;
  mode_t old_umask;
  (void)state;

  path_in_tmp(path, sizeof(path), "chmod.sock");
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &p, 0), 0);
  old_umask = umask(077);
  assert_int_equal(uv_pipe_bind(&p, path), 0);
  umask(old_umask);
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0700);

  /* libuv 1.52 sets the mode to what is asked; 1.44 added it. */
  assert_int_equal(uv_pipe_chmod(&p, UV_READABLE), 0);
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, UV_VERSION_HEX >= UV_1_52 ? 0444 : 0744);
  assert_int_equal(uv_pipe_chmod(&p, UV_WRITABLE), 0);
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, UV_VERSION_HEX >= UV_1_52 ? 0222 : 0766);
  assert_int_equal(uv_pipe_chmod(&p, UV_READABLE | UV_WRITABLE), 0);
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, UV_VERSION_HEX >= UV_1_52 ? 0666 : 0766);

  assert_int_equal(uv_pipe_chmod(&p, 0), UV_EINVAL);
  assert_int_equal(uv_pipe_chmod(&p, 4), UV_EINVAL);
  assert_int_equal(uv_pipe_init(&loop, &none, 0), 0);
  assert_int_equal(uv_pipe_chmod(&none, UV_READABLE), UV_EBADF);

  uv_close((uv_handle_t*)&p, NULL);
  uv_close((uv_handle_t*)&none, NULL);
  loop_close_clean(&loop);
  assert_false(file_exists(path));
}

/* ---- pipes opened from descriptors
 * -------------------------------------------------------- */

static void pipe_open_pipe2(void** state) {
  uv_loop_t loop;
  struct end r;
  uv_pipe_t w;
  uv_write_t w1;
  uv_write_t w2;
  uv_file fds[2];
  uv_buf_t b = uv_buf_init("ping", 4);
  int closed;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe(fds, 0, 0), 0);
  end_init(&loop, &r, 0);
  assert_int_equal(uv_pipe_init(&loop, &w, 0), 0);
  assert_int_equal(uv_pipe_open(&r.pipe, fds[0]), 0);
  assert_int_equal(uv_pipe_open(&w, fds[1]), 0);
  assert_int_equal(uv_is_readable(st(&r)), 1);
  assert_int_equal(uv_is_writable(st(&r)), 0);
  assert_int_equal(uv_is_readable((uv_stream_t*)&w), 0);
  assert_int_equal(uv_is_writable((uv_stream_t*)&w), 1);

  assert_int_equal(uv_read_start(st(&r), alloc_cb, on_read_keep), 0);
  assert_int_equal(uv_write(&w1, (uv_stream_t*)&w, &b, 1, NULL), 0);
  assert_int_equal(uv_write(&w2, (uv_stream_t*)&w, &b, 1, NULL), 0);
  /* Closing the writer after its writes ends the reader with EOF. */
  uv_close((uv_handle_t*)&w, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(r.len, 8);
  assert_memory_equal(r.data, "pingping", 8);
  assert_int_equal(r.eof, 1);
  uv_close((uv_handle_t*)&r.pipe, NULL);
  loop_close_clean(&loop);
  free(r.data);

  /* A descriptor that is not open (after the loop took its own). */
  assert_int_equal(uv_loop_init(&loop), 0);
  closed = fcntl(0, F_DUPFD_CLOEXEC, 900); /* a number nobody reuses soon */
  assert_true(closed >= 900);
  close(closed);
  assert_int_equal(uv_pipe_init(&loop, &w, 0), 0);
  assert_int_equal(uv_pipe_open(&w, closed), UV_EBADF);
  uv_close((uv_handle_t*)&w, NULL);
  loop_close_clean(&loop);
}

/* uvloop ORs libuv's private UV_HANDLE_READABLE (0x4000) into the flags
 * word of every pipe right after uv_pipe_init, so that it can read (and so
 * notice the far end go away on) a write-only pipe.  That word must be
 * where libuv has it and the bit must mean what it means there: eddy kept
 * its I/O watcher at that offset, so the poke corrupted the watcher's
 * registered-events mask and a listener opened on the pipe never woke up
 * (epoll_ctl MOD on a descriptor never added). */
#define LIBUV_HANDLE_READABLE 0x4000
#define LIBUV_HANDLE_FLAGS_OFFSET 88

/* What uvloop's compiled code does: OR the bit into the word at libuv's
 * offset of the handle's flags, whatever this uv.h calls it. */
static void set_libuv_readable(uv_pipe_t* p) {
  unsigned int flags;
  char* at = (char*)p + LIBUV_HANDLE_FLAGS_OFFSET;
  memcpy(&flags, at, sizeof(flags));
  flags |= LIBUV_HANDLE_READABLE;
  memcpy(at, &flags, sizeof(flags));
}

static int wo_status;
static int wo_reads;

static void wo_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  free(buf->base);
  wo_reads++;
  wo_status = (int)n;
  uv_close((uv_handle_t*)s, NULL);
}

static void readable_flag_set_by_program(void** state) {
  uv_loop_t loop;
  uv_pipe_t server;
  uv_pipe_t w;
  uv_write_t req;
  struct sockaddr_un sun;
  uv_file fds[2];
  uv_buf_t b = uv_buf_init("x", 1);
  char path[128];
  char got[4];
  int fd;
  (void)state;

  /* A listener the program bound itself, opened with the flag set. */
  echo_closed = 0;
  path_in_tmp(path, sizeof(path), "poked.sock");
  memset(&sun, 0, sizeof(sun));
  sun.sun_family = AF_UNIX;
  strcpy(sun.sun_path, path);
  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_true(fd >= 0);
  assert_int_equal(bind(fd, (struct sockaddr*)&sun, sizeof(sun)), 0);
  assert_int_equal(listen(fd, 16), 0);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &server, 0), 0);
  set_libuv_readable(&server);
  assert_int_equal(uv_pipe_open(&server, fd), 0);
  assert_int_equal(uv_listen((uv_stream_t*)&server, 16, echo_on_connection), 0);
  cl_start(&loop, "through a poked listener");
  set_libuv_readable(&cl.c.pipe);
  uv_pipe_connect(&cl.req, &cl.c.pipe, path, cl_on_connect);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  cl_check_echo();
  assert_int_equal(echo_closed, 1);
  uv_close((uv_handle_t*)&cl.c.pipe, NULL);
  loop_close_clean(&loop);
  cl_free();
  /* An opened listener's path is the program's to remove. */
  assert_int_equal(unlink(path), 0);

  /* The write end of a pipe, made readable by the flag: it still writes,
   * reading may start, and the read fails once the read end is gone. */
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe(fds, 0, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &w, 0), 0);
  set_libuv_readable(&w);
  assert_int_equal(uv_pipe_open(&w, fds[1]), 0);
  assert_int_equal(uv_is_readable((uv_stream_t*)&w), 1);
  assert_int_equal(uv_is_writable((uv_stream_t*)&w), 1);
  wo_reads = 0;
  assert_int_equal(uv_read_start((uv_stream_t*)&w, alloc_cb, wo_on_read), 0);
  assert_int_equal(uv_write(&req, (uv_stream_t*)&w, &b, 1, NULL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(read(fds[0], got, sizeof(got)), 1);
  assert_int_equal(got[0], 'x');
  assert_int_equal(wo_reads, 0);
  close(fds[0]);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(wo_reads, 1);
  assert_int_equal(wo_status, UV_EBADF);
  loop_close_clean(&loop);
}

static void uv_pipe_echo(void** state) {
  uv_loop_t loop;
  struct end r;
  uv_pipe_t w;
  uv_write_t req;
  uv_file fds[2];
  uv_buf_t b = uv_buf_init("through uv_pipe", 15);
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe(fds, UV_NONBLOCK_PIPE, UV_NONBLOCK_PIPE), 0);
  end_init(&loop, &r, 0);
  assert_int_equal(uv_pipe_init(&loop, &w, 0), 0);
  assert_int_equal(uv_pipe_open(&r.pipe, fds[0]), 0);
  assert_int_equal(uv_pipe_open(&w, fds[1]), 0);
  assert_int_equal(uv_read_start(st(&r), alloc_cb, on_read_keep), 0);
  assert_int_equal(uv_try_write((uv_stream_t*)&w, &b, 1), 15);
  assert_int_equal(uv_write(&req, (uv_stream_t*)&w, &b, 1, NULL), 0);
  uv_close((uv_handle_t*)&w, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(r.len, 30);
  assert_int_equal(r.eof, 1);
  uv_close((uv_handle_t*)&r.pipe, NULL);
  loop_close_clean(&loop);
  free(r.data);
}

static void pending_on_plain_pipes(void** state) {
  uv_loop_t loop;
  uv_pipe_t p;
  uv_pipe_t ipc;
  uv_pipe_t into;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &p, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &ipc, 1), 0);
  assert_int_equal(uv_pipe_init(&loop, &into, 0), 0);
  assert_int_equal(p.ipc, 0);
  assert_int_equal(ipc.ipc, 1);
  uv_pipe_pending_instances(&p, 4); /* Windows only: nothing happens */
  assert_int_equal(uv_pipe_pending_count(&p), 0);
  assert_int_equal(uv_pipe_pending_count(&ipc), 0);
  assert_int_equal(uv_pipe_pending_type(&ipc), UV_UNKNOWN_HANDLE);
  assert_int_equal(uv_accept((uv_stream_t*)&ipc, (uv_stream_t*)&into),
                   UV_EAGAIN);
  uv_close((uv_handle_t*)&p, NULL);
  uv_close((uv_handle_t*)&ipc, NULL);
  uv_close((uv_handle_t*)&into, NULL);
  loop_close_clean(&loop);
}

/* ---- IPC: passing handles
 * ------------------------------------------------------------------- */

static struct {
  uv_loop_t loop;
  struct end p0; /* sends */
  struct end p1; /* receives */
  uv_tcp_t server;
  uv_tcp_t s1;  /* accepted, then passed */
  uv_tcp_t* s2; /* received */
  uv_tcp_t client;
  struct end client_rx; /* what the client read (its pipe is unused) */
  uv_connect_t creq;
  uv_write_t w2;
  uv_write_t cw;
  uv_shutdown_t csreq;
  int sent_status;
  int pending_seen;
  uv_handle_type type_seen;
  int after_accept_count;
} ipc;

static const char ipc_msg[] = "through the passed socket";

static void ipc_on_sent(uv_write_t* req, int status) {
  (void)req;
  ipc.sent_status = status;
  /* The descriptor travels in the message: this copy may go. */
  uv_close((uv_handle_t*)&ipc.s1, NULL);
  uv_close((uv_handle_t*)&ipc.p0.pipe, NULL);
}

static void ipc_on_connection(uv_stream_t* server, int status) {
  uv_buf_t b = uv_buf_init("x", 1);
  assert_int_equal(status, 0);
  assert_int_equal(uv_tcp_init(server->loop, &ipc.s1), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)&ipc.s1), 0);
  uv_close((uv_handle_t*)server, NULL);
  assert_int_equal(uv_write2(&ipc.w2, st(&ipc.p0), &b, 1, (uv_stream_t*)&ipc.s1,
                             ipc_on_sent),
                   0);
}

static void ipc_p1_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  uv_pipe_t* p = (uv_pipe_t*)s;
  free(buf->base);
  if (n == 0) return;
  assert_int_equal(n, 1);
  ipc.pending_seen = uv_pipe_pending_count(p);
  ipc.type_seen = uv_pipe_pending_type(p);
  ipc.s2 = malloc(sizeof(*ipc.s2));
  assert_non_null(ipc.s2);
  assert_int_equal(uv_tcp_init(s->loop, ipc.s2), 0);
  assert_int_equal(uv_accept(s, (uv_stream_t*)ipc.s2), 0);
  ipc.after_accept_count = uv_pipe_pending_count(p);
  /* The received socket is a working connection: echo through it. */
  assert_int_equal(uv_read_start((uv_stream_t*)ipc.s2, alloc_cb, echo_on_read),
                   0);
  uv_close((uv_handle_t*)s, NULL);
}

static void ipc_client_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  keep_read(&ipc.client_rx, n, buf);
  free(buf->base);
  (void)s;
}

static void ipc_client_on_connect(uv_connect_t* req, int status) {
  uv_buf_t b = uv_buf_init((char*)ipc_msg, sizeof(ipc_msg) - 1);
  assert_int_equal(status, 0);
  assert_int_equal(uv_read_start(req->handle, alloc_cb, ipc_client_on_read), 0);
  assert_int_equal(uv_write(&ipc.cw, req->handle, &b, 1, NULL), 0);
  assert_int_equal(uv_shutdown(&ipc.csreq, req->handle, NULL), 0);
}

static void ipc_pass_tcp_handle(void** state) {
  uv_os_sock_t fds[2];
  struct sockaddr_in addr;
  struct sockaddr_in bound;
  int len = sizeof(bound);
  (void)state;

  memset(&ipc, 0, sizeof(ipc));
  echo_closed = 0;
  ipc.sent_status = 1;
  assert_int_equal(uv_loop_init(&ipc.loop), 0);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, fds, 0, 0), 0);
  end_init(&ipc.loop, &ipc.p0, 1);
  end_init(&ipc.loop, &ipc.p1, 1);
  assert_int_equal(uv_pipe_open(&ipc.p0.pipe, fds[0]), 0);
  assert_int_equal(uv_pipe_open(&ipc.p1.pipe, fds[1]), 0);
  assert_int_equal(uv_read_start(st(&ipc.p1), alloc_cb, ipc_p1_on_read), 0);

  assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &addr), 0);
  assert_int_equal(uv_tcp_init(&ipc.loop, &ipc.server), 0);
  assert_int_equal(uv_tcp_bind(&ipc.server, (const struct sockaddr*)&addr, 0),
                   0);
  assert_int_equal(
      uv_tcp_getsockname(&ipc.server, (struct sockaddr*)&bound, &len), 0);
  assert_int_equal(uv_listen((uv_stream_t*)&ipc.server, 16, ipc_on_connection),
                   0);
  assert_int_equal(uv_tcp_init(&ipc.loop, &ipc.client), 0);
  assert_int_equal(
      uv_tcp_connect(&ipc.creq, &ipc.client, (const struct sockaddr*)&bound,
                     ipc_client_on_connect),
      0);

  assert_int_equal(uv_run(&ipc.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(ipc.sent_status, 0);
  assert_int_equal(ipc.pending_seen, 1);
  assert_int_equal(ipc.type_seen, UV_TCP);
  assert_int_equal(ipc.after_accept_count, 0);
  assert_int_equal(echo_closed, 1); /* s2, after its echo */
  assert_int_equal(ipc.client_rx.len, sizeof(ipc_msg) - 1);
  assert_memory_equal(ipc.client_rx.data, ipc_msg, sizeof(ipc_msg) - 1);
  assert_int_equal(ipc.client_rx.eof, 1);
  uv_close((uv_handle_t*)&ipc.client, NULL);
  loop_close_clean(&ipc.loop);
  free(ipc.client_rx.data);
}

/* A pipe handle passed the same way arrives as UV_NAMED_PIPE. */
static struct {
  uv_pipe_t* got;
  struct end reader;
  uv_handle_type type;
  int count;
} pp;

static void pp_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  free(buf->base);
  if (n <= 0) return;
  pp.count = uv_pipe_pending_count((uv_pipe_t*)s);
  pp.type = uv_pipe_pending_type((uv_pipe_t*)s);
  pp.got = &pp.reader.pipe;
  end_init(s->loop, &pp.reader, 0);
  assert_int_equal(uv_accept(s, (uv_stream_t*)pp.got), 0);
  assert_int_equal(uv_is_readable((uv_stream_t*)pp.got), 1);
  assert_int_equal(uv_is_writable((uv_stream_t*)pp.got), 1);
  assert_int_equal(uv_read_start((uv_stream_t*)pp.got, alloc_cb, on_read_keep),
                   0);
  uv_close((uv_handle_t*)s, NULL);
}

static void ipc_pass_pipe_handle(void** state) {
  uv_loop_t loop;
  struct end p0;
  struct end p1;
  uv_pipe_t passed;
  uv_write_t w;
  uv_os_sock_t chan[2];
  uv_os_sock_t other[2];
  uv_buf_t b = uv_buf_init("p", 1);
  (void)state;

  memset(&pp, 0, sizeof(pp));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, chan, 0, 0), 0);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, other, 0, 0), 0);
  end_init(&loop, &p0, 1);
  end_init(&loop, &p1, 1);
  assert_int_equal(uv_pipe_open(&p0.pipe, chan[0]), 0);
  assert_int_equal(uv_pipe_open(&p1.pipe, chan[1]), 0);
  assert_int_equal(uv_pipe_init(&loop, &passed, 0), 0);
  assert_int_equal(uv_pipe_open(&passed, other[0]), 0);
  assert_int_equal(uv_write2(&w, st(&p0), &b, 1, (uv_stream_t*)&passed, NULL),
                   0);
  uv_close((uv_handle_t*)&passed, NULL);
  uv_close((uv_handle_t*)&p0.pipe, NULL);
  assert_int_equal(uv_read_start(st(&p1), alloc_cb, pp_on_read), 0);
  /* What is written on the far end reaches the received handle. */
  assert_int_equal(write(other[1], "far end", 7), 7);
  close(other[1]);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(pp.count, 1);
  assert_int_equal(pp.type, UV_NAMED_PIPE);
  assert_int_equal(pp.reader.len, 7);
  assert_memory_equal(pp.reader.data, "far end", 7);
  assert_int_equal(pp.reader.eof, 1);
  uv_close((uv_handle_t*)pp.got, NULL);
  loop_close_clean(&loop);
  free(pp.reader.data);
}

/* One message carrying two descriptors (sent by hand, as another program
 * might): both wait, are counted, and are taken in order. */
static struct {
  struct end got[2];
  int counts[3];
  int accepted;
} md;

static void md_on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  uv_pipe_t* p = (uv_pipe_t*)s;
  free(buf->base);
  if (n <= 0) return;
  md.counts[0] = uv_pipe_pending_count(p);
  while (uv_pipe_pending_count(p) > 0) {
    struct end* e = &md.got[md.accepted];
    assert_int_equal(uv_pipe_pending_type(p), UV_NAMED_PIPE);
    end_init(s->loop, e, 0);
    assert_int_equal(uv_accept(s, st(e)), 0);
    if (TEST_ON_EDDY) {
      /* Sent blocking (uv_socketpair's default): on eddy the handle that
       * takes a received descriptor makes it non-blocking, as for
       * uv_pipe_open, so that a read cannot stall the loop (libuv 1.44
       * leaves it as it came). */
      uv_os_fd_t fd;
      assert_int_equal(uv_fileno((uv_handle_t*)st(e), &fd), 0);
      assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
    }
    md.accepted++;
    md.counts[md.accepted] = uv_pipe_pending_count(p);
    assert_int_equal(uv_read_start(st(e), alloc_cb, on_read_keep), 0);
  }
  uv_close((uv_handle_t*)s, NULL);
}

static void ipc_several_descriptors_in_one_message(void** state) {
  uv_loop_t loop;
  struct end rx;
  uv_os_sock_t chan[2];
  uv_os_sock_t one[2];
  uv_os_sock_t two[2];
  union {
    char buf[CMSG_SPACE(2 * sizeof(int))];
    struct cmsghdr align;
  } ctl;
  struct msghdr msg;
  struct iovec iov;
  struct cmsghdr* cmsg;
  int fds[2];
  (void)state;

  memset(&md, 0, sizeof(md));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, chan, 0, 0), 0);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, one, 0, 0), 0);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, two, 0, 0), 0);
  end_init(&loop, &rx, 1);
  assert_int_equal(uv_pipe_open(&rx.pipe, chan[1]), 0);

  fds[0] = one[0];
  fds[1] = two[0];
  memset(&msg, 0, sizeof(msg));
  memset(&ctl, 0, sizeof(ctl));
  iov.iov_base = "y";
  iov.iov_len = 1;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = ctl.buf;
  msg.msg_controllen = sizeof(ctl.buf);
  cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(fds));
  memcpy(CMSG_DATA(cmsg), fds, sizeof(fds));
  assert_int_equal(sendmsg(chan[0], &msg, 0), 1);
  close(one[0]);
  close(two[0]);
  close(chan[0]);
  assert_int_equal(write(one[1], "first", 5), 5);
  assert_int_equal(write(two[1], "second", 6), 6);
  close(one[1]);
  close(two[1]);

  assert_int_equal(uv_read_start(st(&rx), alloc_cb, md_on_read), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(md.accepted, 2);
  assert_int_equal(md.counts[0], 2);
  assert_int_equal(md.counts[1], 1);
  assert_int_equal(md.counts[2], 0);
  assert_int_equal(md.got[0].len, 5);
  assert_memory_equal(md.got[0].data, "first", 5);
  assert_int_equal(md.got[1].len, 6);
  assert_memory_equal(md.got[1].data, "second", 6);
  assert_int_equal(md.got[0].eof, 1);
  assert_int_equal(md.got[1].eof, 1);
  uv_close((uv_handle_t*)&md.got[0].pipe, NULL);
  uv_close((uv_handle_t*)&md.got[1].pipe, NULL);
  loop_close_clean(&loop);
  free(md.got[0].data);
  free(md.got[1].data);
}

/* ---- IPC to another process and to another thread's loop -------------------
 *
 * A receiver (this binary run again as `test-pipe --ipc-receiver`, its
 * stdin an IPC pipe made by uv_spawn, or a thread with a loop of its own
 * and one end of a socketpair) takes one handle from its IPC pipe: the
 * byte sent with it says what it must be ('L' a listening TCP server, 'C'
 * a connected TCP socket, 'P' a pipe, 'U' a UDP socket).  It then serves
 * on it: it answers its tag (who it is) followed by what it was sent, on
 * the connection it accepts from the server, on the socket or pipe, or in
 * a datagram to the sender.  The sender closed its own copy first, so the
 * answer can only come from the receiver.
 *
 * The receiver checks without cmocka (it runs outside the test runner or
 * on another thread): its first failed check is kept as a line number. */

struct receiver {
  uv_loop_t loop;
  uv_pipe_t ipc;
  char tag[32];
  char kind; /* the byte that came with the handle */
  union {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
    uv_udp_t udp;
  } h;
  uv_tcp_t conn; /* accepted from a received server */
  uv_udp_send_t send;
  char udp_reply[256];
  int accepted;
  int answered;
  int failed; /* line of the first failed check; 0: none */
};

#define RX_CHECK(r, cond)                                \
  do {                                                   \
    if (!(cond) && (r)->failed == 0) (r)->failed = __LINE__; \
  } while (0)

static void rx_alloc(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  (void)h;
  buf->base = malloc(size);
  buf->len = buf->base != NULL ? size : 0;
}

static void rx_free_write(uv_write_t* req, int status) {
  struct receiver* r = req->handle->loop->data;
  RX_CHECK(r, status == 0);
  free(req);
}

/* Writes a copy of p (its tag, then what it read) on s. */
static void rx_write(uv_stream_t* s, const char* p, size_t n) {
  struct receiver* r = s->loop->data;
  struct wreq* w = malloc(sizeof(*w) + n);
  uv_buf_t b;
  RX_CHECK(r, w != NULL);
  if (w == NULL) return;
  memcpy(w->data, p, n);
  b = uv_buf_init(w->data, (unsigned int)n);
  RX_CHECK(r, uv_write(&w->req, s, &b, 1, rx_free_write) == 0);
}

static void rx_on_shutdown(uv_shutdown_t* req, int status) {
  struct receiver* r = req->handle->loop->data;
  RX_CHECK(r, status == 0);
  r->answered++;
  uv_close((uv_handle_t*)req->handle, NULL);
  free(req);
}

static void rx_echo_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct receiver* r = s->loop->data;
  uv_shutdown_t* sreq;
  if (n > 0) {
    rx_write(s, buf->base, (size_t)n);
  } else if (n == UV_EOF) {
    sreq = malloc(sizeof(*sreq));
    RX_CHECK(r, sreq != NULL);
    if (sreq != NULL) RX_CHECK(r, uv_shutdown(sreq, s, rx_on_shutdown) == 0);
  } else if (n < 0) {
    RX_CHECK(r, 0);
    uv_close((uv_handle_t*)s, NULL);
  }
  free(buf->base);
}

/* Tag first, then echo until EOF. */
static void rx_serve_stream(struct receiver* r, uv_stream_t* s) {
  rx_write(s, r->tag, strlen(r->tag));
  RX_CHECK(r, uv_read_start(s, rx_alloc, rx_echo_read) == 0);
}

static void rx_on_connection(uv_stream_t* server, int status) {
  struct receiver* r = server->loop->data;
  RX_CHECK(r, status == 0);
  RX_CHECK(r, uv_tcp_init(&r->loop, &r->conn) == 0);
  RX_CHECK(r, uv_accept(server, (uv_stream_t*)&r->conn) == 0);
  uv_close((uv_handle_t*)server, NULL);
  rx_serve_stream(r, (uv_stream_t*)&r->conn);
}

static void rx_on_udp_sent(uv_udp_send_t* req, int status) {
  struct receiver* r = req->handle->loop->data;
  RX_CHECK(r, status == 0);
  r->answered++;
  uv_close((uv_handle_t*)req->handle, NULL);
}

static void rx_on_udp(uv_udp_t* u, ssize_t n, const uv_buf_t* buf,
                      const struct sockaddr* addr, unsigned flags) {
  struct receiver* r = u->loop->data;
  size_t tl = strlen(r->tag);
  uv_buf_t b;
  (void)flags;
  if (n > 0 && addr != NULL) {
    RX_CHECK(r, tl + (size_t)n <= sizeof(r->udp_reply));
    if (tl + (size_t)n <= sizeof(r->udp_reply)) {
      memcpy(r->udp_reply, r->tag, tl);
      memcpy(r->udp_reply + tl, buf->base, (size_t)n);
      b = uv_buf_init(r->udp_reply, (unsigned int)(tl + (size_t)n));
      RX_CHECK(r, uv_udp_recv_stop(u) == 0);
      RX_CHECK(r, uv_udp_send(&r->send, u, &b, 1, addr, rx_on_udp_sent) == 0);
    }
  } else {
    RX_CHECK(r, n == 0);
  }
  free(buf->base);
}

/* Takes the one handle that came with the byte, and serves on it. */
static void rx_accept(struct receiver* r, char kind) {
  uv_stream_t* ipc = (uv_stream_t*)&r->ipc;
  uv_handle_type want = kind == 'P'   ? UV_NAMED_PIPE
                        : kind == 'U' ? UV_UDP
                                      : UV_TCP;
  RX_CHECK(r, uv_pipe_pending_count(&r->ipc) == 1);
  RX_CHECK(r, uv_pipe_pending_type(&r->ipc) == want);
  if (r->failed != 0) return;
  if (want == UV_NAMED_PIPE)
    RX_CHECK(r, uv_pipe_init(&r->loop, &r->h.pipe, 0) == 0);
  else if (want == UV_UDP)
    RX_CHECK(r, uv_udp_init(&r->loop, &r->h.udp) == 0);
  else
    RX_CHECK(r, uv_tcp_init(&r->loop, &r->h.tcp) == 0);
  RX_CHECK(r, uv_accept(ipc, (uv_stream_t*)&r->h) == 0);
  RX_CHECK(r, uv_pipe_pending_count(&r->ipc) == 0);
  if (r->failed != 0) {
    uv_close((uv_handle_t*)&r->h, NULL);
    return;
  }
  r->accepted++;
  if (kind == 'L')
    RX_CHECK(r, uv_listen((uv_stream_t*)&r->h.tcp, 8, rx_on_connection) == 0);
  else if (kind == 'U')
    RX_CHECK(r, uv_udp_recv_start(&r->h.udp, rx_alloc, rx_on_udp) == 0);
  else
    rx_serve_stream(r, (uv_stream_t*)&r->h);
}

static void rx_ipc_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct receiver* r = s->loop->data;
  if (n > 0) {
    RX_CHECK(r, n == 1 && r->accepted == 0);
    if (r->accepted == 0) rx_accept(r, buf->base[0]);
    uv_close((uv_handle_t*)s, NULL);
  } else if (n < 0) {
    /* EOF before any handle came */
    RX_CHECK(r, 0);
    uv_close((uv_handle_t*)s, NULL);
  }
  free(buf->base);
}

static void rx_close_walk(uv_handle_t* h, void* arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* Receives and serves one handle from the IPC pipe on fd; 0 when all went
 * as it should, else the line of the first failed check. */
static int receiver_run(uv_file fd, const char* tag) {
  struct receiver* r = calloc(1, sizeof(*r));
  int failed;
  if (r == NULL) return 1;
  snprintf(r->tag, sizeof(r->tag), "%s", tag);
  if (uv_loop_init(&r->loop) != 0) return 2;
  r->loop.data = r;
  RX_CHECK(r, uv_pipe_init(&r->loop, &r->ipc, 1) == 0);
  RX_CHECK(r, uv_pipe_open(&r->ipc, fd) == 0);
  RX_CHECK(r, uv_read_start((uv_stream_t*)&r->ipc, rx_alloc, rx_ipc_read) == 0);
  if (r->failed == 0) uv_run(&r->loop, UV_RUN_DEFAULT);
  RX_CHECK(r, r->accepted == 1);
  RX_CHECK(r, r->answered == 1);
  uv_walk(&r->loop, rx_close_walk, NULL);
  uv_run(&r->loop, UV_RUN_DEFAULT);
  RX_CHECK(r, uv_loop_close(&r->loop) == 0);
  failed = r->failed;
  free(r);
  return failed;
}

/* ---- the sending side ---- */

static const char xf_msg[] = "to the handle, wherever it went";

static struct {
  uv_loop_t loop;
  uv_pipe_t ipc;
  uv_write_t w2;
  char kind;
  union {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
    uv_udp_t udp;
  } passed;
  uv_tcp_t server; /* for 'C': where the passed connection comes from */
  union {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
    uv_udp_t udp;
  } client; /* talks to the receiver through the passed handle */
  struct end rx; /* what the client read */
  uv_connect_t creq;
  uv_write_t cw;
  uv_shutdown_t csreq;
  uv_udp_send_t usend;
  struct sockaddr_in addr; /* of the passed server or UDP socket */
  uv_process_t proc;
  uv_async_t done; /* the receiving thread has finished */
  int exits;
  int64_t exit_status;
  int term_signal;
  int sent_status;
  int udp_replies;
} xf;

static void xf_wrong_connection(uv_stream_t* server, int status) {
  (void)server;
  (void)status;
  fail_msg("the sender's copy of the server took a connection");
}

static void xf_client_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  keep_read(&xf.rx, n, buf);
  free(buf->base);
  if (n == UV_EOF) uv_close((uv_handle_t*)s, NULL);
}

/* The client talks: the message, then EOF; reads the answer to its EOF. */
static void xf_client_talk(uv_stream_t* s) {
  uv_buf_t b = uv_buf_init((char*)xf_msg, sizeof(xf_msg) - 1);
  assert_int_equal(uv_read_start(s, alloc_cb, xf_client_read), 0);
  assert_int_equal(uv_write(&xf.cw, s, &b, 1, NULL), 0);
  assert_int_equal(uv_shutdown(&xf.csreq, s, NULL), 0);
}

static void xf_client_on_connect(uv_connect_t* req, int status) {
  assert_int_equal(status, 0);
  if (xf.kind == 'L') xf_client_talk(req->handle);
}

static void xf_client_on_udp(uv_udp_t* u, ssize_t n, const uv_buf_t* buf,
                             const struct sockaddr* addr, unsigned flags) {
  (void)flags;
  if (n > 0) {
    assert_non_null(addr);
    assert_int_equal(((const struct sockaddr_in*)addr)->sin_port,
                     xf.addr.sin_port);
    keep_read(&xf.rx, n, buf);
    xf.udp_replies++;
    uv_close((uv_handle_t*)u, NULL);
  }
  free(buf->base);
}

/* The handle has gone into the message: the sender's copy closes, and only
 * then does the client start, so that what answers is the receiver. */
static void xf_on_sent(uv_write_t* req, int status) {
  uv_buf_t b = uv_buf_init((char*)xf_msg, sizeof(xf_msg) - 1);
  (void)req;
  xf.sent_status = status;
  uv_close((uv_handle_t*)&xf.passed, NULL);
  uv_close((uv_handle_t*)&xf.ipc, NULL);
  if (xf.kind == 'L') {
    assert_int_equal(uv_tcp_init(&xf.loop, &xf.client.tcp), 0);
    assert_int_equal(uv_tcp_connect(&xf.creq, &xf.client.tcp,
                                    (const struct sockaddr*)&xf.addr,
                                    xf_client_on_connect),
                     0);
  } else if (xf.kind == 'U') {
    assert_int_equal(
        uv_udp_recv_start(&xf.client.udp, alloc_cb, xf_client_on_udp), 0);
    assert_int_equal(uv_udp_send(&xf.usend, &xf.client.udp, &b, 1,
                                 (const struct sockaddr*)&xf.addr, NULL),
                     0);
  } else {
    xf_client_talk((uv_stream_t*)&xf.client);
  }
}

static void xf_send(void) {
  uv_buf_t b = uv_buf_init(&xf.kind, 1);
  assert_int_equal(uv_write2(&xf.w2, (uv_stream_t*)&xf.ipc, &b, 1,
                             (uv_stream_t*)&xf.passed, xf_on_sent),
                   0);
}

static void xf_on_connection(uv_stream_t* server, int status) {
  assert_int_equal(status, 0);
  assert_int_equal(uv_tcp_init(server->loop, &xf.passed.tcp), 0);
  assert_int_equal(uv_accept(server, (uv_stream_t*)&xf.passed.tcp), 0);
  uv_close((uv_handle_t*)server, NULL);
  xf_send();
}

static void xf_bound_addr(void* h, int udp) {
  int len = sizeof(xf.addr);
  if (udp)
    assert_int_equal(
        uv_udp_getsockname(h, (struct sockaddr*)&xf.addr, &len), 0);
  else
    assert_int_equal(
        uv_tcp_getsockname(h, (struct sockaddr*)&xf.addr, &len), 0);
}

/* Makes the handle of kind, and sends it (for 'C' once connected). */
static void xf_start(char kind) {
  struct sockaddr_in any;
  uv_os_sock_t fds[2];

  xf.kind = kind;
  assert_int_equal(uv_ip4_addr("127.0.0.1", 0, &any), 0);
  switch (kind) {
    case 'L':
      assert_int_equal(uv_tcp_init(&xf.loop, &xf.passed.tcp), 0);
      assert_int_equal(
          uv_tcp_bind(&xf.passed.tcp, (const struct sockaddr*)&any, 0), 0);
      xf_bound_addr(&xf.passed.tcp, 0);
      assert_int_equal(
          uv_listen((uv_stream_t*)&xf.passed.tcp, 8, xf_wrong_connection), 0);
      xf_send();
      break;
    case 'C':
      assert_int_equal(uv_tcp_init(&xf.loop, &xf.server), 0);
      assert_int_equal(uv_tcp_bind(&xf.server, (const struct sockaddr*)&any, 0),
                       0);
      xf_bound_addr(&xf.server, 0);
      assert_int_equal(
          uv_listen((uv_stream_t*)&xf.server, 8, xf_on_connection), 0);
      assert_int_equal(uv_tcp_init(&xf.loop, &xf.client.tcp), 0);
      assert_int_equal(uv_tcp_connect(&xf.creq, &xf.client.tcp,
                                      (const struct sockaddr*)&xf.addr,
                                      xf_client_on_connect),
                       0);
      break;
    case 'P':
      assert_int_equal(uv_socketpair(SOCK_STREAM, 0, fds, 0, 0), 0);
      assert_int_equal(uv_pipe_init(&xf.loop, &xf.passed.pipe, 0), 0);
      assert_int_equal(uv_pipe_open(&xf.passed.pipe, fds[0]), 0);
      assert_int_equal(uv_pipe_init(&xf.loop, &xf.client.pipe, 0), 0);
      assert_int_equal(uv_pipe_open(&xf.client.pipe, fds[1]), 0);
      xf_send();
      break;
    case 'U':
      assert_int_equal(uv_udp_init(&xf.loop, &xf.passed.udp), 0);
      assert_int_equal(
          uv_udp_bind(&xf.passed.udp, (const struct sockaddr*)&any, 0), 0);
      xf_bound_addr(&xf.passed.udp, 1);
      assert_int_equal(uv_udp_init(&xf.loop, &xf.client.udp), 0);
      assert_int_equal(
          uv_udp_bind(&xf.client.udp, (const struct sockaddr*)&any, 0), 0);
      xf_send();
      break;
  }
}

/* Checks the answer: the receiver's tag, then the message. */
static void xf_check_answer(const char* tag) {
  size_t tl = strlen(tag);
  assert_int_equal(xf.sent_status, 0);
  assert_int_equal(xf.rx.len, tl + sizeof(xf_msg) - 1);
  assert_memory_equal(xf.rx.data, tag, tl);
  assert_memory_equal(xf.rx.data + tl, xf_msg, sizeof(xf_msg) - 1);
  if (xf.kind == 'U')
    assert_int_equal(xf.udp_replies, 1);
  else
    assert_int_equal(xf.rx.eof, 1);
  free(xf.rx.data);
}

static void xf_close_walk(uv_handle_t* h, void* arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* The receiver failed: what waits for its answer would wait for ever. */
static void xf_abort(void) { uv_walk(&xf.loop, xf_close_walk, NULL); }

static void xf_on_exit(uv_process_t* p, int64_t status, int signo) {
  xf.exits++;
  xf.exit_status = status;
  xf.term_signal = signo;
  uv_close((uv_handle_t*)p, NULL);
  if (status != 0 || signo != 0) xf_abort();
}

/* To a child process: this binary again, the IPC pipe as its stdin. */
static void pass_to_child(char kind) {
  char* args[] = {(char*)"test-pipe", (char*)"--ipc-receiver", NULL};
  uv_stdio_container_t stdio[3];
  uv_process_options_t o;
  char tag[32];

  memset(&xf, 0, sizeof(xf));
  xf.sent_status = 1;
  assert_int_equal(uv_loop_init(&xf.loop), 0);
  assert_int_equal(uv_pipe_init(&xf.loop, &xf.ipc, 1), 0);
  memset(&o, 0, sizeof(o));
  memset(stdio, 0, sizeof(stdio));
  stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE | UV_WRITABLE_PIPE;
  stdio[0].data.stream = (uv_stream_t*)&xf.ipc;
  stdio[1].flags = UV_INHERIT_FD;
  stdio[1].data.fd = 1;
  stdio[2].flags = UV_INHERIT_FD;
  stdio[2].data.fd = 2;
  o.file = self_exe();
  o.args = args;
  o.exit_cb = xf_on_exit;
  o.stdio = stdio;
  o.stdio_count = 3;
  assert_int_equal(uv_spawn(&xf.loop, &xf.proc, &o), 0);
  snprintf(tag, sizeof(tag), "child %d:", xf.proc.pid);
  xf_start(kind);
  assert_int_equal(uv_run(&xf.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(xf.exits, 1);
  assert_int_equal(xf.term_signal, 0);
  assert_int_equal(xf.exit_status, 0);
  xf_check_answer(tag);
  loop_close_clean(&xf.loop);
}

static struct {
  uv_file fd;
  int result;
} rx_thread;

static void rx_thread_main(void* arg) {
  (void)arg;
  rx_thread.result = receiver_run(rx_thread.fd, "thread:");
  if (uv_async_send(&xf.done) != 0) abort(); /* no cmocka off its thread */
}

static void xf_on_thread_done(uv_async_t* a) {
  uv_close((uv_handle_t*)a, NULL);
  if (rx_thread.result != 0) xf_abort();
}

/* To a loop on another thread, through a socketpair. */
static void pass_to_thread(char kind) {
  uv_os_sock_t fds[2];
  uv_thread_t t;

  memset(&xf, 0, sizeof(xf));
  xf.sent_status = 1;
  assert_int_equal(uv_loop_init(&xf.loop), 0);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, fds, 0, 0), 0);
  assert_int_equal(uv_pipe_init(&xf.loop, &xf.ipc, 1), 0);
  assert_int_equal(uv_pipe_open(&xf.ipc, fds[0]), 0);
  rx_thread.fd = fds[1];
  rx_thread.result = -1;
  assert_int_equal(uv_async_init(&xf.loop, &xf.done, xf_on_thread_done), 0);
  assert_int_equal(uv_thread_create(&t, rx_thread_main, NULL), 0);
  xf_start(kind);
  assert_int_equal(uv_run(&xf.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_thread_join(&t), 0);
  assert_int_equal(rx_thread.result, 0);
  xf_check_answer("thread:");
  loop_close_clean(&xf.loop);
}

static void ipc_tcp_server_to_child(void** state) {
  (void)state;
  pass_to_child('L');
}

static void ipc_tcp_connection_to_child(void** state) {
  (void)state;
  pass_to_child('C');
}

static void ipc_pipe_to_child(void** state) {
  (void)state;
  pass_to_child('P');
}

static void ipc_udp_to_child(void** state) {
  (void)state;
  pass_to_child('U');
}

static void ipc_tcp_server_to_thread(void** state) {
  (void)state;
  pass_to_thread('L');
}

static void ipc_tcp_connection_to_thread(void** state) {
  (void)state;
  pass_to_thread('C');
}

static void ipc_pipe_to_thread(void** state) {
  (void)state;
  pass_to_thread('P');
}

static void ipc_udp_to_thread(void** state) {
  (void)state;
  pass_to_thread('U');
}

/* ---- eddy's answers to bad input
 * ------------------------------------------------------------ */

static void eddy_bad_arguments(void** state) {
  uv_loop_t loop;
  uv_pipe_t p;
  uv_connect_t req;
  uv_file fds[2];
  char name[8];
  size_t size = sizeof(name);
  (void)state;
  EDDY_ONLY();

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, NULL, 0), UV_EINVAL);
  assert_int_equal(uv_pipe_init(NULL, &p, 0), UV_EINVAL);
  assert_int_equal(uv_pipe_init(&loop, &p, 0), 0);
  assert_int_equal(uv_pipe_bind(NULL, "x"), UV_EINVAL);
  assert_int_equal(uv_pipe_bind(&p, NULL), UV_EINVAL);
  assert_int_equal(uv_pipe_open(NULL, 0), UV_EINVAL);
  assert_int_equal(uv_pipe_open(&p, -1), UV_EINVAL);
  assert_int_equal(uv_pipe_getsockname(NULL, name, &size), UV_EINVAL);
  assert_int_equal(uv_pipe_getsockname(&p, name, NULL), UV_EINVAL);
  size = sizeof(name);
  assert_int_equal(uv_pipe_getsockname(&p, NULL, &size), UV_EINVAL);
  assert_int_equal(uv_pipe_chmod(NULL, UV_READABLE), UV_EBADF);
  assert_int_equal(uv_pipe(NULL, 0, 0), UV_EINVAL);
  assert_int_equal(uv_pipe(fds, 0x1, 0), UV_EINVAL);
  assert_int_equal(uv_pipe_pending_count(NULL), 0);
  assert_int_equal(uv_pipe_pending_type(NULL), UV_UNKNOWN_HANDLE);
  uv_pipe_pending_instances(NULL, 1);
  uv_pipe_connect(NULL, &p, "x", record_connect); /* nothing to call back */
  uv_pipe_connect(&req, NULL, "x", record_connect);
#if HAVE_PIPE2_API
  assert_int_equal(uv_pipe_bind2(&p, NULL, 4, 0), UV_EINVAL);
  assert_int_equal(uv_pipe_connect2(NULL, &p, "x", 1, 0, record_connect),
                   UV_EINVAL);
  assert_int_equal(uv_pipe_connect2(&req, &p, NULL, 1, 0, record_connect),
                   UV_EINVAL);
  /* A path with a NUL inside is not a path. */
  assert_int_equal(uv_pipe_bind2(&p, "ab\0cd", 5, 0), UV_EINVAL);
#endif
  /* A NULL name through the void form comes back through the callback. */
  connect_calls = 0;
  uv_pipe_connect(&req, &p, NULL, record_connect);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(connect_calls, 1);
  assert_int_equal(connect_status, UV_EINVAL);
  uv_close((uv_handle_t*)&p, NULL);
  loop_close_clean(&loop);
}

/* The peer wrote and closed before the poll: the data and the end of file
 * come in the same poll (the hang-up is seen with the read that drained
 * the socket), as in libuv, not the end of file one iteration later.
 * uvloop counts on it: a child's stdout must end before the SIGCHLD of
 * its exit, seen in the same poll, is handled. */
struct hup_reader {
  uv_pipe_t pipe;
  char data[16];
  size_t len;
  int eof;
  int errors;
};

static void hup_alloc_cb(uv_handle_t* h, size_t size, uv_buf_t* buf) {
  static char slab[65536];
  (void)h;
  (void)size;
  *buf = uv_buf_init(slab, sizeof(slab));
}

static void hup_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct hup_reader* r = (struct hup_reader*)s;
  if (n > 0) {
    if (r->len + (size_t)n <= sizeof(r->data)) {
      memcpy(r->data + r->len, buf->base, (size_t)n);
      r->len += (size_t)n;
    }
  } else if (n == UV_EOF) {
    r->eof++;
  } else if (n < 0) {
    r->errors++;
  }
}

static void eof_with_the_data_of_the_same_poll(void** state) {
  uv_loop_t loop;
  struct hup_reader r;
  int fds[2];
  (void)state;

  memset(&r, 0, sizeof(r));
  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds),
                   0);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &r.pipe, 0), 0);
  assert_int_equal(uv_pipe_open(&r.pipe, fds[0]), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&r.pipe, hup_alloc_cb, hup_read_cb), 0);
  assert_int_equal(write(fds[1], "1\n", 2), 2);
  close(fds[1]);

  uv_run(&loop, UV_RUN_NOWAIT); /* one poll */
  assert_int_equal(r.len, 2);
  assert_memory_equal(r.data, "1\n", 2);
  assert_int_equal(r.eof, 1);
  assert_int_equal(r.errors, 0);

  uv_close((uv_handle_t*)&r.pipe, NULL);
  loop_close_clean(&loop);
}

/* Programs built against libuv read a pipe's descriptor from libuv's
 * private io_watcher.fd (offset 184, as in every stream): the handle's
 * descriptor while it has one, -1 before and after. */
static void fd_at_libuvs_offset(void** state) {
  uv_loop_t loop;
  uv_pipe_t p;
  uv_file fds[2];
  (void)state;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_pipe_init(&loop, &p, 0), 0);
  assert_int_equal(fd_at_libuv_offset(&p, LIBUV_STREAM_FD_OFFSET), -1);
  assert_int_equal(uv_socketpair(SOCK_STREAM, 0, fds, 0, 0), 0);
  assert_int_equal(uv_pipe_open(&p, fds[0]), 0);
  assert_int_equal(fd_at_libuv_offset(&p, LIBUV_STREAM_FD_OFFSET), fds[0]);
  uv_close((uv_handle_t*)&p, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(fd_at_libuv_offset(&p, LIBUV_STREAM_FD_OFFSET), -1);
  loop_close_clean(&loop);
  close(fds[1]);
}

int main(int argc, char** argv) {
  char tag[32];
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(named_pipe_echo),
      cmocka_unit_test(fd_at_libuvs_offset),
      cmocka_unit_test(write_while_connecting),
      cmocka_unit_test(bind_and_listen_errors),
      cmocka_unit_test(ipc_pipe_cannot_listen),
      cmocka_unit_test(connect_errors_reach_callback),
      cmocka_unit_test(longest_path_and_enobufs),
      cmocka_unit_test(names_without_socket),
      cmocka_unit_test(eddy_name_too_long),
      cmocka_unit_test(abstract_names),
      cmocka_unit_test(autobind_abstract_name),
      cmocka_unit_test(bind_after_close),
      cmocka_unit_test(open_watched_descriptor),
      cmocka_unit_test(bind2_connect2_with_length),
      cmocka_unit_test(pipe_chmod),
      cmocka_unit_test(pipe_open_pipe2),
      cmocka_unit_test(uv_pipe_echo),
      cmocka_unit_test(readable_flag_set_by_program),
      cmocka_unit_test(pending_on_plain_pipes),
      cmocka_unit_test(ipc_pass_tcp_handle),
      cmocka_unit_test(ipc_pass_pipe_handle),
      cmocka_unit_test(ipc_several_descriptors_in_one_message),
      cmocka_unit_test(ipc_tcp_server_to_child),
      cmocka_unit_test(ipc_tcp_connection_to_child),
      cmocka_unit_test(ipc_pipe_to_child),
      cmocka_unit_test(ipc_udp_to_child),
      cmocka_unit_test(ipc_tcp_server_to_thread),
      cmocka_unit_test(ipc_tcp_connection_to_thread),
      cmocka_unit_test(ipc_pipe_to_thread),
      cmocka_unit_test(ipc_udp_to_thread),
      cmocka_unit_test(eof_with_the_data_of_the_same_poll),
      cmocka_unit_test(eddy_bad_arguments),
  };
  /* The receiving end of the IPC tests: its stdin is the IPC pipe. */
  if (argc == 2 && strcmp(argv[1], "--ipc-receiver") == 0) {
    snprintf(tag, sizeof(tag), "child %d:", (int)getpid());
    return receiver_run(0, tag) == 0 ? 0 : 1;
  }
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
