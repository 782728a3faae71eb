/* eddy tests — child processes (src/unix/process.c).
 *
 * Exit codes and terminating signals reach exit_cb; stdio goes through
 * pipes (1 MiB out, data in), inherited descriptors, /dev/null; env, cwd,
 * setsid and setuid take effect; failures to start (a missing program, a
 * bad cwd) come back from uv_spawn itself, with the stdio pipes open all
 * the same; many spawns leave no descriptor
 * and no zombie behind.
 *
 * The file also builds against the system's libuv and passes there,
 * except the tests named eddy_*, which skip themselves. */
#include "test-helpers.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a child and what it said ------------------------------------------- */

struct child {
  uv_process_t proc;
  uv_pipe_t out; /* the child's stdout, when asked for */
  uv_pipe_t in;  /* the child's stdin, when asked for */
  int exited;
  int64_t exit_status;
  int term_signal;
  char* data;
  size_t len;
  size_t cap;
  int eof;
};

static void exit_cb(uv_process_t* p, int64_t exit_status, int term_signal) {
  struct child* c = (struct child*)p;
  c->exited++;
  c->exit_status = exit_status;
  c->term_signal = term_signal;
  uv_close((uv_handle_t*)p, NULL);
}

static void alloc_cb(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  struct child* c = h->data;
  if (c->cap - c->len < suggested) {
    c->cap = c->len + suggested;
    c->data = realloc(c->data, c->cap);
    assert_non_null(c->data);
  }
  buf->base = c->data + c->len;
  buf->len = c->cap - c->len;
}

static void read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct child* c = s->data;
  (void)buf;
  if (n > 0) {
    c->len += (size_t)n;
  } else if (n < 0) {
    assert_int_equal(n, UV_EOF);
    c->eof = 1;
    uv_close((uv_handle_t*)s, NULL);
  }
}

static void child_init(struct child* c) {
  memset(c, 0, sizeof(*c));
}

static void child_free(struct child* c) {
  free(c->data);
}

/* The collected output as a string. */
static const char* child_text(struct child* c) {
  if (c->cap == c->len) {
    c->data = realloc(c->data, c->cap + 1);
    assert_non_null(c->data);
    c->cap++;
  }
  c->data[c->len] = '\0';
  return c->data;
}

/* Spawns args with stdout through a pipe (when out) and runs the loop
 * until the child exited and its output ended. */
static int run_child(uv_loop_t* loop, struct child* c, char** args,
                     char** env, const char* cwd, unsigned int flags,
                     int out) {
  uv_process_options_t o;
  uv_stdio_container_t stdio[3];
  int r;

  memset(&o, 0, sizeof(o));
  memset(stdio, 0, sizeof(stdio));
  o.file = args[0];
  o.args = args;
  o.env = env;
  o.cwd = cwd;
  o.flags = flags;
  o.exit_cb = exit_cb;
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_INHERIT_FD;
  stdio[1].data.fd = 1;
  stdio[2].flags = UV_INHERIT_FD;
  stdio[2].data.fd = 2;
  if (out) {
    assert_int_equal(uv_pipe_init(loop, &c->out, 0), 0);
    c->out.data = c;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t*)&c->out;
  }
  o.stdio = stdio;
  o.stdio_count = 3;
  r = uv_spawn(loop, &c->proc, &o);
  if (r != 0) {
    uv_close((uv_handle_t*)&c->proc, NULL);
    if (out) uv_close((uv_handle_t*)&c->out, NULL);
    assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
    return r;
  }
  assert_true(uv_is_active((uv_handle_t*)&c->proc));
  assert_true(uv_process_get_pid(&c->proc) > 0);
  if (out)
    assert_int_equal(uv_read_start((uv_stream_t*)&c->out, alloc_cb, read_cb),
                     0);
  assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(c->exited, 1);
  if (out) assert_true(c->eof);
  return 0;
}

/* No child of ours is left, reaped or not. */
static void assert_no_children(void) {
  int status;
  errno = 0;
  assert_int_equal(waitpid(-1, &status, WNOHANG), -1);
  assert_int_equal(errno, ECHILD);
}

/* ---- tests ------------------------------------------------------------------- */

static void test_exit_codes(void** state) {
  uv_loop_t loop;
  struct child c;
  char* t[] = {"/bin/true", NULL};
  char* three[] = {"/bin/sh", "-c", "exit 3", NULL};
  char* bypath[] = {"sh", "-c", "exit 7", NULL};
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, t, NULL, NULL, 0, 0), 0);
  assert_int_equal(c.exit_status, 0);
  assert_int_equal(c.term_signal, 0);

  child_init(&c);
  assert_int_equal(run_child(&loop, &c, three, NULL, NULL, 0, 0), 0);
  assert_int_equal(c.exit_status, 3);
  assert_int_equal(c.term_signal, 0);

  child_init(&c); /* found through PATH */
  assert_int_equal(run_child(&loop, &c, bypath, NULL, NULL, 0, 0), 0);
  assert_int_equal(c.exit_status, 7);
  loop_close_clean(&loop);
  assert_no_children();
}

static void kill_timer_cb(uv_timer_t* t) {
  struct child* c = t->data;
  assert_int_equal(uv_process_kill(&c->proc, SIGTERM), 0);
  uv_close((uv_handle_t*)t, NULL);
}

static void test_killed_by_signal(void** state) {
  uv_process_options_t o;
  uv_loop_t loop;
  uv_timer_t timer;
  struct child c;
  char* args[] = {"/bin/sleep", "10", NULL};
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  memset(&o, 0, sizeof(o));
  o.file = args[0];
  o.args = args;
  o.exit_cb = exit_cb;
  assert_int_equal(uv_spawn(&loop, &c.proc, &o), 0);
  assert_int_equal(uv_timer_init(&loop, &timer), 0);
  timer.data = &c;
  assert_int_equal(uv_timer_start(&timer, kill_timer_cb, 10, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(c.exited, 1);
  assert_int_equal(c.exit_status, 0);
  assert_int_equal(c.term_signal, SIGTERM);

  /* uv_kill directly, with signal 0 as a probe. */
  child_init(&c);
  assert_int_equal(uv_spawn(&loop, &c.proc, &o), 0);
  assert_int_equal(uv_kill(uv_process_get_pid(&c.proc), 0), 0);
  assert_int_equal(uv_kill(uv_process_get_pid(&c.proc), SIGKILL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(c.term_signal, SIGKILL);
  assert_int_equal(uv_kill(getpid(), 99999), UV_EINVAL);
  loop_close_clean(&loop);
  assert_no_children();
}

static void test_stdout_1mib(void** state) {
  uv_loop_t loop;
  struct child c;
  char* args[] = {"/bin/sh", "-c", "head -c 1048576 /dev/zero", NULL};
  size_t i;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, args, NULL, NULL, 0, 1), 0);
  assert_int_equal(c.exit_status, 0);
  assert_int_equal(c.len, 1048576);
  for (i = 0; i < c.len; i++)
    if (c.data[i] != 0) fail();
  child_free(&c);
  loop_close_clean(&loop);
}

static void write_cb(uv_write_t* req, int status) {
  assert_int_equal(status, 0);
  uv_close((uv_handle_t*)req->handle, NULL); /* EOF for the child */
}

static void test_stdin_pipe(void** state) {
  uv_process_options_t o;
  uv_stdio_container_t stdio[2];
  uv_loop_t loop;
  uv_write_t req;
  struct child c;
  char* args[] = {"/bin/cat", NULL};
  char* big;
  uv_buf_t buf;
  size_t size = 1 << 20;
  (void)state;

  big = malloc(size);
  assert_non_null(big);
  memset(big, 'x', size);
  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(uv_pipe_init(&loop, &c.in, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &c.out, 0), 0);
  c.in.data = &c;
  c.out.data = &c;
  memset(&o, 0, sizeof(o));
  stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
  stdio[0].data.stream = (uv_stream_t*)&c.in;
  stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[1].data.stream = (uv_stream_t*)&c.out;
  o.file = args[0];
  o.args = args;
  o.exit_cb = exit_cb;
  o.stdio = stdio;
  o.stdio_count = 2; /* stderr: /dev/null */
  assert_int_equal(uv_spawn(&loop, &c.proc, &o), 0);
  assert_true(uv_is_writable((uv_stream_t*)&c.in));
  assert_true(uv_is_readable((uv_stream_t*)&c.out));

  buf = uv_buf_init(big, (unsigned int)size);
  assert_int_equal(uv_write(&req, (uv_stream_t*)&c.in, &buf, 1, write_cb), 0);
  assert_int_equal(uv_read_start((uv_stream_t*)&c.out, alloc_cb, read_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(c.exited, 1);
  assert_int_equal(c.exit_status, 0);
  assert_true(c.eof);
  assert_int_equal(c.len, size);
  assert_memory_equal(c.data, big, size);
  free(big);
  child_free(&c);
  loop_close_clean(&loop);
}

static void test_env_and_cwd(void** state) {
  uv_loop_t loop;
  struct child c;
  char* env_args[] = {"/bin/sh", "-c", "printf '%s|%s' \"$FOO\" \"$HOME\"",
                      NULL};
  char* env[] = {"FOO=bar baz", NULL};
  char* pwd[] = {"/bin/sh", "-c", "pwd", NULL};
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, env_args, env, NULL, 0, 1), 0);
  assert_string_equal(child_text(&c), "bar baz|");
  child_free(&c);

  child_init(&c);
  assert_int_equal(run_child(&loop, &c, pwd, NULL, "/", 0, 1), 0);
  assert_string_equal(child_text(&c), "/\n");
  child_free(&c);
  loop_close_clean(&loop);
}

static void test_spawn_failures(void** state) {
  uv_loop_t loop;
  struct child c;
  char* missing[] = {"eddy-no-such-program-here", NULL};
  char* missing_abs[] = {"/nonexistent/eddy-prog", NULL};
  char* t[] = {"/bin/true", NULL};
  int fds;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, missing, NULL, NULL, 0, 1),
                   UV_ENOENT);
  assert_int_equal(c.exited, 0);
  /* The loop's signal pipe is open now; nothing else may stay. */
  fds = count_fds();
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, missing_abs, NULL, NULL, 0, 0),
                   UV_ENOENT);
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, t, NULL, "/nonexistent-eddy-dir", 0,
                             1),
                   UV_ENOENT);
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, t, NULL, "/etc/passwd", 0, 0),
                   UV_ENOTDIR);
  assert_int_equal(count_fds(), fds);
  loop_close_clean(&loop);
  assert_no_children();
}

/* A file the kernel cannot execute (ENOEXEC: an executable script without
 * a "#!" line) runs under /bin/sh, as libuv's execvp does: the shell gets
 * the path that was tried and the arguments after argv[0], whether the
 * file was named by its path or found in PATH. */
static void test_exec_without_header_runs_sh(void** state) {
  uv_loop_t loop;
  struct child c;
  char dir[] = "/tmp/eddy-noexec-XXXXXX";
  char file[64];
  char want[128];
  char pathenv[64];
  FILE* f;
  (void)state;

  assert_non_null(mkdtemp(dir));
  snprintf(file, sizeof(file), "%s/noheader", dir);
  f = fopen(file, "w");
  assert_non_null(f);
  fputs("printf '%s|%s|%s' \"$0\" \"$#\" \"$*\"\n", f);
  fclose(f);
  assert_int_equal(chmod(file, 0755), 0);
  assert_int_equal(uv_loop_init(&loop), 0);

  {
    char* args[] = {file, "one", "two three", NULL};
    child_init(&c);
    assert_int_equal(run_child(&loop, &c, args, NULL, NULL, 0, 1), 0);
    snprintf(want, sizeof(want), "%s|2|one two three", file);
    assert_string_equal(child_text(&c), want);
    assert_int_equal(c.exit_status, 0);
    assert_int_equal(c.term_signal, 0);
    child_free(&c);
  }
  {
    char* args[] = {file, NULL};
    child_init(&c);
    assert_int_equal(run_child(&loop, &c, args, NULL, NULL, 0, 1), 0);
    snprintf(want, sizeof(want), "%s|0|", file);
    assert_string_equal(child_text(&c), want);
    child_free(&c);
  }
  {
    /* More arguments than fit in a small fixed array. */
    char* args[] = {file, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                    "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", NULL};
    child_init(&c);
    assert_int_equal(run_child(&loop, &c, args, NULL, NULL, 0, 1), 0);
    snprintf(want, sizeof(want), "%s|20|a b c d e f g h i j k l m n o p q r s t",
             file);
    assert_string_equal(child_text(&c), want);
    child_free(&c);
  }
  {
    /* Found in the PATH of the child's environment: $0 is the full path. */
    char* args[] = {"noheader", "x", NULL};
    char* env[] = {pathenv, NULL};
    snprintf(pathenv, sizeof(pathenv), "PATH=/nonexistent-eddy:%s", dir);
    child_init(&c);
    assert_int_equal(run_child(&loop, &c, args, env, NULL, 0, 1), 0);
    snprintf(want, sizeof(want), "%s|1|x", file);
    assert_string_equal(child_text(&c), want);
    child_free(&c);
  }

  loop_close_clean(&loop);
  assert_int_equal(unlink(file), 0);
  assert_int_equal(rmdir(dir), 0);
  assert_no_children();
}

/* A child that cannot be started still leaves its stdio pipes open, as
 * libuv does (node builds its stdio sockets on them before it looks at
 * uv_spawn's error and starts reading): the output pipe reads an end of
 * file, the input pipe takes no data. */
static void test_failed_spawn_opens_pipes(void** state) {
  uv_loop_t loop;
  uv_process_options_t o;
  uv_stdio_container_t stdio[3];
  struct child c;
  char* missing[] = {"/nonexistent/eddy-prog", NULL};
  uv_os_fd_t fd;
  int fds;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  memset(&o, 0, sizeof(o));
  memset(stdio, 0, sizeof(stdio));
  assert_int_equal(uv_pipe_init(&loop, &c.in, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &c.out, 0), 0);
  c.out.data = &c;
  stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
  stdio[0].data.stream = (uv_stream_t*)&c.in;
  stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[1].data.stream = (uv_stream_t*)&c.out;
  stdio[2].flags = UV_IGNORE;
  o.file = missing[0];
  o.args = missing;
  o.exit_cb = exit_cb;
  o.stdio = stdio;
  o.stdio_count = 3;
  assert_int_equal(uv_spawn(&loop, &c.proc, &o), UV_ENOENT);
  assert_false(uv_is_active((uv_handle_t*)&c.proc));
  fds = count_fds();
  assert_int_equal(uv_fileno((uv_handle_t*)&c.out, &fd), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&c.in, &fd), 0);
  assert_true(uv_is_readable((uv_stream_t*)&c.out));
  assert_true(uv_is_writable((uv_stream_t*)&c.in));
  assert_int_equal(uv_read_start((uv_stream_t*)&c.out, alloc_cb, read_cb), 0);
  uv_close((uv_handle_t*)&c.proc, NULL);
  uv_close((uv_handle_t*)&c.in, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_true(c.eof); /* read_cb closed the output pipe */
  assert_int_equal(c.len, 0);
  assert_int_equal(c.exited, 0);
  /* Two parent ends were open: the child's ends were closed already. */
  assert_int_equal(count_fds(), fds - 2);
  child_free(&c);
  loop_close_clean(&loop);
  assert_no_children();
}

static void test_many_spawns(void** state) {
  enum { N = 200 };
  uv_process_options_t o;
  uv_loop_t loop;
  struct child* cs;
  char* args[] = {"/bin/true", NULL};
  int fds;
  int i;
  (void)state;

  cs = calloc(N, sizeof(*cs));
  assert_non_null(cs);
  fds = count_fds();
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(&o, 0, sizeof(o));
  o.file = args[0];
  o.args = args;
  o.exit_cb = exit_cb;
  for (i = 0; i < N; i++)
    assert_int_equal(uv_spawn(&loop, &cs[i].proc, &o), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  for (i = 0; i < N; i++) {
    assert_int_equal(cs[i].exited, 1);
    assert_int_equal(cs[i].exit_status, 0);
  }
  loop_close_clean(&loop);
  assert_int_equal(count_fds(), fds);
  assert_no_children();
  free(cs);
}

/* ---- 500 spawns in a row ------------------------------------------------- */

/* Each child starts from the exit callback of the one before, with its
 * stdout through a pipe that is read to EOF: 500 processes and 500 pipes
 * later, no descriptor and no zombie is left. */
#define IN_A_ROW 500

static struct {
  uv_loop_t loop;
  struct child c;
  int done;
  int limit;
  int bad;
  int out_closed;
  int exited;
} row;

static void row_next(void);

static void row_maybe_next(void) {
  /* Next only once both the output and the process are finished. */
  if (!row.out_closed || !row.exited) return;
  if (row.c.exit_status != 0 || row.c.term_signal != 0 || row.c.len != 2 ||
      memcmp(row.c.data, "x\n", 2) != 0)
    row.bad++;
  child_free(&row.c);
  row.done++;
  if (row.done < row.limit) row_next();
}

static void row_on_out_closed(uv_handle_t* h) {
  (void)h;
  row.out_closed = 1;
  row_maybe_next();
}

static void row_read_cb(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  (void)buf;
  if (n > 0) {
    row.c.len += (size_t)n;
  } else if (n < 0) {
    assert_int_equal(n, UV_EOF);
    uv_close((uv_handle_t*)s, row_on_out_closed);
  }
}

static void row_on_proc_closed(uv_handle_t* h) {
  (void)h;
  row.exited = 1;
  row_maybe_next();
}

static void row_exit_cb(uv_process_t* p, int64_t status, int signo) {
  row.c.exit_status = status;
  row.c.term_signal = signo;
  uv_close((uv_handle_t*)p, row_on_proc_closed);
}

static void row_next(void) {
  char* args[] = {"/bin/echo", "x", NULL};
  uv_process_options_t o;
  uv_stdio_container_t stdio[2];

  child_init(&row.c);
  row.out_closed = 0;
  row.exited = 0;
  assert_int_equal(uv_pipe_init(&row.loop, &row.c.out, 0), 0);
  row.c.out.data = &row.c;
  memset(&o, 0, sizeof(o));
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[1].data.stream = (uv_stream_t*)&row.c.out;
  o.file = args[0];
  o.args = args;
  o.exit_cb = row_exit_cb;
  o.stdio = stdio;
  o.stdio_count = 2;
  assert_int_equal(uv_spawn(&row.loop, &row.c.proc, &o), 0);
  assert_int_equal(
      uv_read_start((uv_stream_t*)&row.c.out, alloc_cb, row_read_cb), 0);
}

static void test_500_spawns_in_a_row(void** state) {
  int fds;
  (void)state;

  /* Under ThreadSanitizer every fork copies its shadow mappings: 500 in a
   * row would take minutes on two busy cores.  What this checks
   * (descriptors, zombies) is no race; the other builds cover it. */
  if (TEST_TSAN) skip();
  memset(&row, 0, sizeof(row));
  assert_int_equal(uv_loop_init(&row.loop), 0);
  row.limit = 1;
  /* A first spawn opens what a loop keeps for children (its signal
   * pipe, say); counted from there on. */
  row_next();
  assert_int_equal(uv_run(&row.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(row.done, 1);
  fds = count_fds();
  row.done = 0;
  row.limit = IN_A_ROW;
  row_next();
  assert_int_equal(uv_run(&row.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(row.done, IN_A_ROW);
  assert_int_equal(row.bad, 0);
  assert_int_equal(count_fds(), fds);
  assert_no_children();
  loop_close_clean(&row.loop);
}

/* ---- spawning from two threads at once ------------------------------------ */

/* Two threads, each with a loop of its own, spawn children at the same
 * time; each child says which thread and which child it is, and each
 * loop gets exactly its own children's exits and output. */
#define SPAWN_THREADS 2
#define SPAWNS_PER_THREAD 40

struct spawner {
  uv_loop_t loop;
  struct child cs[SPAWNS_PER_THREAD];
  int index;
  int failures; /* checks that failed (no cmocka off the main thread) */
};

static struct spawner spawners[SPAWN_THREADS];
static uv_barrier_t spawn_barrier;

static void spawner_main(void* arg) {
  struct spawner* sp = arg;
  uv_process_options_t o;
  uv_stdio_container_t stdio[2];
  char script[64];
  char want[64];
  char* args[] = {"/bin/sh", "-c", script, NULL};
  int i;

  uv_barrier_wait(&spawn_barrier);
  for (i = 0; i < SPAWNS_PER_THREAD; i++) {
    struct child* c = &sp->cs[i];
    snprintf(script, sizeof(script), "echo %d.%d; exit %d", sp->index, i,
             i % 7);
    if (uv_pipe_init(&sp->loop, &c->out, 0) != 0) sp->failures++;
    c->out.data = c;
    memset(&o, 0, sizeof(o));
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t*)&c->out;
    o.file = args[0];
    o.args = args;
    o.exit_cb = exit_cb;
    o.stdio = stdio;
    o.stdio_count = 2;
    if (uv_spawn(&sp->loop, &c->proc, &o) != 0 ||
        uv_read_start((uv_stream_t*)&c->out, alloc_cb, read_cb) != 0)
      sp->failures++;
  }
  if (uv_run(&sp->loop, UV_RUN_DEFAULT) != 0) sp->failures++;
  for (i = 0; i < SPAWNS_PER_THREAD; i++) {
    struct child* c = &sp->cs[i];
    snprintf(want, sizeof(want), "%d.%d\n", sp->index, i);
    if (c->exited != 1 || c->exit_status != i % 7 || c->term_signal != 0 ||
        !c->eof || c->len != strlen(want) || memcmp(c->data, want, c->len) != 0)
      sp->failures++;
    child_free(c);
  }
}

static void test_spawn_from_two_threads(void** state) {
  uv_thread_t threads[SPAWN_THREADS];
  int i;
  (void)state;

  memset(spawners, 0, sizeof(spawners));
  assert_int_equal(uv_barrier_init(&spawn_barrier, SPAWN_THREADS), 0);
  for (i = 0; i < SPAWN_THREADS; i++) {
    spawners[i].index = i;
    assert_int_equal(uv_loop_init(&spawners[i].loop), 0);
    assert_int_equal(uv_thread_create(&threads[i], spawner_main, &spawners[i]),
                     0);
  }
  for (i = 0; i < SPAWN_THREADS; i++) {
    assert_int_equal(uv_thread_join(&threads[i]), 0);
    assert_int_equal(spawners[i].failures, 0);
    loop_close_clean(&spawners[i].loop);
  }
  uv_barrier_destroy(&spawn_barrier);
  assert_no_children();
}

/* ---- 1 MiB through stdin, stdout and stderr ---------------------------------- */

/* The child (this binary again, --tee) copies its stdin to both its stdout
 * and its stderr; 1 MiB goes in, and comes back out of each. */
static int tee_main(void) {
  char buf[16384];
  ssize_t n;
  ssize_t w;
  ssize_t off;
  int fd;

  while ((n = read(0, buf, sizeof(buf))) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    for (fd = 1; fd <= 2; fd++)
      for (off = 0; off < n; off += w) {
        w = write(fd, buf + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR) w = 0;
        if (w < 0) return 2;
      }
  }
  return 0;
}

static void test_1mib_each_way_on_all_three(void** state) {
  uv_process_options_t o;
  uv_stdio_container_t stdio[3];
  uv_loop_t loop;
  uv_write_t req;
  struct child c;
  struct child err; /* only its reading side is used */
  char* args[] = {"test-process", "--tee", NULL};
  const size_t size = 1 << 20;
  char* big;
  uv_buf_t bufs[3];
  size_t i;
  (void)state;

  big = malloc(size);
  assert_non_null(big);
  for (i = 0; i < size; i++) big[i] = (char)(i * 131 + (i >> 10));
  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  child_init(&err);
  assert_int_equal(uv_pipe_init(&loop, &c.in, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &c.out, 0), 0);
  assert_int_equal(uv_pipe_init(&loop, &err.out, 0), 0);
  c.in.data = &c;
  c.out.data = &c;
  err.out.data = &err;
  memset(&o, 0, sizeof(o));
  stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
  stdio[0].data.stream = (uv_stream_t*)&c.in;
  stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[1].data.stream = (uv_stream_t*)&c.out;
  stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[2].data.stream = (uv_stream_t*)&err.out;
  o.file = self_exe();
  o.args = args;
  o.exit_cb = exit_cb;
  o.stdio = stdio;
  o.stdio_count = 3;
  assert_int_equal(uv_spawn(&loop, &c.proc, &o), 0);

  /* In three pieces, all queued at once. */
  bufs[0] = uv_buf_init(big, 1);
  bufs[1] = uv_buf_init(big + 1, (unsigned int)(size / 2));
  bufs[2] = uv_buf_init(big + 1 + size / 2, (unsigned int)(size - 1 - size / 2));
  assert_int_equal(uv_write(&req, (uv_stream_t*)&c.in, bufs, 3, write_cb), 0);
  assert_int_equal(uv_read_start((uv_stream_t*)&c.out, alloc_cb, read_cb), 0);
  assert_int_equal(uv_read_start((uv_stream_t*)&err.out, alloc_cb, read_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(c.exited, 1);
  assert_int_equal(c.exit_status, 0);
  assert_int_equal(c.term_signal, 0);
  assert_true(c.eof);
  assert_true(err.eof);
  assert_int_equal(c.len, size);
  assert_memory_equal(c.data, big, size);
  assert_int_equal(err.len, size);
  assert_memory_equal(err.data, big, size);
  free(big);
  child_free(&c);
  child_free(&err);
  loop_close_clean(&loop);
}

static void test_inherit_fd(void** state) {
  uv_process_options_t o;
  uv_stdio_container_t stdio[2];
  uv_loop_t loop;
  struct child c;
  char* args[] = {"/bin/sh", "-c", "echo to-fd; echo err >&2", NULL};
  char buf[64];
  int p[2];
  ssize_t n;
  (void)state;

  assert_int_equal(pipe(p), 0);
  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  memset(&o, 0, sizeof(o));
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_INHERIT_FD;
  stdio[1].data.fd = p[1];
  o.file = args[0];
  o.args = args;
  o.exit_cb = exit_cb;
  o.stdio = stdio;
  o.stdio_count = 2;
  assert_int_equal(uv_spawn(&loop, &c.proc, &o), 0);
  close(p[1]);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  n = read(p[0], buf, sizeof(buf) - 1);
  assert_int_equal(n, 6);
  buf[n] = '\0';
  assert_string_equal(buf, "to-fd\n");
  close(p[0]);
  loop_close_clean(&loop);
}

static void test_detached(void** state) {
  uv_loop_t loop;
  struct child c;
  char* args[] = {"/bin/sh", "-c", "cat /proc/$$/stat", NULL};
  const char* text;
  int session = 0;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(
      run_child(&loop, &c, args, NULL, NULL, UV_PROCESS_DETACHED, 1), 0);
  text = strrchr(child_text(&c), ')');
  assert_non_null(text);
  assert_int_equal(sscanf(text + 1, " %*c %*d %*d %d", &session), 1);
  assert_int_equal(session, c.proc.pid); /* its own session */
  assert_int_not_equal(session, getsid(0));
  child_free(&c);
  loop_close_clean(&loop);
}

static void test_setuid(void** state) {
  uv_loop_t loop;
  struct child c;
  char* args[] = {"/bin/sh", "-c", "id -u; id -g; id -G", NULL};
  (void)state;

  if (geteuid() != 0) skip();
  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  memset(&c, 0, sizeof(c));
  {
    uv_process_options_t o;
    uv_stdio_container_t stdio[2];
    memset(&o, 0, sizeof(o));
    assert_int_equal(uv_pipe_init(&loop, &c.out, 0), 0);
    c.out.data = &c;
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t*)&c.out;
    o.file = args[0];
    o.args = args;
    o.exit_cb = exit_cb;
    o.stdio = stdio;
    o.stdio_count = 2;
    o.flags = UV_PROCESS_SETUID | UV_PROCESS_SETGID;
    o.uid = 65534;
    o.gid = 65534;
    assert_int_equal(uv_spawn(&loop, &c.proc, &o), 0);
    assert_int_equal(uv_read_start((uv_stream_t*)&c.out, alloc_cb, read_cb),
                     0);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  }
  /* No supplementary group of root's is left. */
  assert_string_equal(child_text(&c), "65534\n65534\n65534\n");
  child_free(&c);
  loop_close_clean(&loop);
}

/* uv_spawn forks as libuv does, so pthread_atfork child handlers run in
 * the child before the exec: uvloop runs a Python preexec_fn from one.
 * (EDDY_SPAWN=vfork trades that for speed: no handler runs.) */
static int atfork_fd = -1; /* the handler writes here while set */

static void atfork_child(void) {
  pid_t pid;
  if (atfork_fd < 0) return;
  pid = getpid();
  if (write(atfork_fd, &pid, sizeof(pid)) != (ssize_t)sizeof(pid)) _exit(99);
}

static void test_atfork_handlers_run_in_the_child(void** state) {
  static int registered;
  uv_loop_t loop;
  struct child c;
  char* t[] = {"/bin/true", NULL};
  const char* mode = getenv("EDDY_SPAWN");
  int fds[2];
  pid_t seen = 0;
  pid_t pid;
  (void)state;

  if (TEST_ON_EDDY && mode != NULL && strcmp(mode, "vfork") == 0) skip();
  if (!registered) {
    assert_int_equal(pthread_atfork(NULL, NULL, atfork_child), 0);
    registered = 1;
  }
  assert_int_equal(pipe(fds), 0);
  atfork_fd = fds[1];
  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, t, NULL, NULL, 0, 0), 0);
  atfork_fd = -1;
  pid = c.proc.pid;
  assert_int_equal(c.exit_status, 0);
  close(fds[1]);
  assert_int_equal(read(fds[0], &seen, sizeof(seen)), (ssize_t)sizeof(seen));
  assert_int_equal(seen, pid);
  close(fds[0]);
  loop_close_clean(&loop);
  assert_no_children();
}

/* Without options->env the program gets the child's environment as it is
 * when the child execs, as under libuv, which execs with the child's
 * environ: what a fork handler put there reaches the program (uvloop's
 * preexec_fn running os.putenv, its test_process_preexec_fn_1), and so
 * does a PATH it set, which the program is searched in. */
static int atfork_env_on; /* the handler changes the environment while set */
static char atfork_env_path[256]; /* the PATH it sets */

static void atfork_env_child(void) {
  if (!atfork_env_on) return;
  /* Enough new names that environ has to grow: it moves. */
  if (setenv("EDDY_ATFORK_FRUIT", "apple", 1) != 0 ||
      setenv("EDDY_ATFORK_A", "1", 1) != 0 ||
      setenv("EDDY_ATFORK_B", "2", 1) != 0 ||
      setenv("EDDY_ATFORK_C", "3", 1) != 0 ||
      setenv("PATH", atfork_env_path, 1) != 0)
    _exit(98);
}

static void test_spawn_env_from_fork_handler(void** state) {
  static int registered;
  uv_loop_t loop;
  struct child c;
  /* A name found only in the directory the handler puts in PATH. */
  char* t[] = {"eddy-atfork-sh", "-c",
               "printf '%s %s' \"$EDDY_ATFORK_FRUIT\" \"$PATH\"", NULL};
  char dir[] = "/tmp/eddy-atfork-XXXXXX";
  char link[64];
  char want[300];
  const char* mode = getenv("EDDY_SPAWN");
  int r;
  (void)state;

  if (TEST_ON_EDDY && mode != NULL && strcmp(mode, "vfork") == 0) skip();
  assert_null(getenv("EDDY_ATFORK_FRUIT"));
  assert_non_null(mkdtemp(dir));
  snprintf(link, sizeof(link), "%s/eddy-atfork-sh", dir);
  assert_int_equal(symlink("/bin/sh", link), 0);
  snprintf(atfork_env_path, sizeof(atfork_env_path), "%s:/bin:/usr/bin",
           dir);
  snprintf(want, sizeof(want), "apple %s", atfork_env_path);
  if (!registered) {
    assert_int_equal(pthread_atfork(NULL, NULL, atfork_env_child), 0);
    registered = 1;
  }
  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  atfork_env_on = 1;
  r = run_child(&loop, &c, t, NULL, NULL, 0, 1);
  atfork_env_on = 0;
  unlink(link);
  rmdir(dir);
  loop_close_clean(&loop); /* before any assertion: no loop left behind */
  assert_int_equal(r, 0); /* UV_ENOENT: searched in the parent's PATH */
  assert_int_equal(c.exit_status, 0);
  assert_string_equal(child_text(&c), want);
  assert_null(getenv("EDDY_ATFORK_FRUIT")); /* the parent's is untouched */
  child_free(&c);
  assert_no_children();
}

/* ---- the child's signals ----------------------------------------------------- */

/* The child (this binary again, --sigstate) prints the signals it started
 * with blocked and ignored, asking the C library (not /proc, which a test
 * below hides). */
static int sigstate_main(void) {
  struct sigaction sa;
  sigset_t mask;
  int i;

  if (sigprocmask(SIG_SETMASK, NULL, &mask) != 0) return 1;
  printf("blocked:");
  for (i = 1; i < 65; i++)
    if ((i < 32 || (i >= SIGRTMIN && i <= SIGRTMAX)) && sigismember(&mask, i))
      printf(" %d", i);
  printf("\nignored:");
  for (i = 1; i < 65; i++) {
    if (i >= 32 && (i < SIGRTMIN || i > SIGRTMAX)) continue;
    if (sigaction(i, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
      printf(" %d", i);
  }
  printf("\n");
  /* _exit: no leak check at exit, which needs the /proc hidden below. */
  fflush(stdout);
  _exit(0);
}

static void on_usr2(int signum) { (void)signum; }

/* The parent ignores, catches and blocks a few signals; the child starts
 * with none blocked or ignored.  Real-time signals on eddy only (libuv
 * resets 1 to 31). */
static void check_child_signals_reset(const char* exe) {
  struct sigaction ign;
  struct sigaction handler;
  struct sigaction old[4];
  sigset_t block;
  sigset_t saved;
  uv_loop_t loop;
  struct child c;
  char* args[] = {(char*)exe, "--sigstate", NULL};
  int rt = SIGRTMIN + 2;

  memset(&ign, 0, sizeof(ign));
  ign.sa_handler = SIG_IGN;
  memset(&handler, 0, sizeof(handler));
  handler.sa_handler = on_usr2;
  assert_int_equal(sigaction(SIGUSR1, &ign, &old[0]), 0);
  assert_int_equal(sigaction(SIGPIPE, &ign, &old[1]), 0);
  assert_int_equal(sigaction(SIGUSR2, &handler, &old[2]), 0);
  if (TEST_ON_EDDY) assert_int_equal(sigaction(rt, &ign, &old[3]), 0);
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGUSR1);
  assert_int_equal(pthread_sigmask(SIG_BLOCK, &block, &saved), 0);

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(run_child(&loop, &c, args, NULL, NULL, 0, 1), 0);

  assert_int_equal(pthread_sigmask(SIG_SETMASK, &saved, NULL), 0);
  assert_int_equal(sigaction(SIGUSR1, &old[0], NULL), 0);
  assert_int_equal(sigaction(SIGPIPE, &old[1], NULL), 0);
  assert_int_equal(sigaction(SIGUSR2, &old[2], NULL), 0);
  if (TEST_ON_EDDY) assert_int_equal(sigaction(rt, &old[3], NULL), 0);

  assert_int_equal(c.exit_status, 0);
  assert_string_equal(child_text(&c), "blocked:\nignored:\n");
  child_free(&c);
  loop_close_clean(&loop);
}

static void test_child_signals_reset(void** state) {
  (void)state;
  check_child_signals_reset(self_exe());
  assert_no_children();
}

/* The same without /proc, where eddy cannot read which signals need a
 * reset and resets every one: in a process of our own with a mount
 * namespace of its own, /proc hidden under an empty tmpfs.  Needs root. */
static void eddy_child_signals_reset_without_proc(void** state) {
  const char* exe;
  pid_t pid;
  int status;
  (void)state;

  EDDY_ONLY();
  if (geteuid() != 0) skip();
  exe = self_exe(); /* read while /proc is there */
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
      _exit(77); /* not allowed here (a container): nothing to test */
    if (mount("none", "/proc", "tmpfs", 0, NULL) != 0) _exit(77);
    if (access("/proc/self/status", F_OK) == 0) _exit(2);
    check_child_signals_reset(exe); /* a failed assertion exits non-zero */
    _exit(0);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) skip();
  assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- cancellation ------------------------------------------------------------ */

/* A thread with a cancellation request pending calls uv_spawn: the child
 * must exec (exit code 7 from sh), not act on the request in one of its
 * system calls (under vfork, unwinding the parent's stack), and uv_spawn
 * must return, not be cancelled in the middle with a child and
 * descriptors left behind.  libuv has no such guarantee. */
struct cancel_run {
  int spawn_result;
  int64_t exit_status;
  int exited;
};

static void* cancel_thread(void* arg) {
  struct cancel_run* run = arg;
  uv_loop_t loop;
  struct child c;
  char* args[] = {"/bin/sh", "-c", "exit 7", NULL};
  int old;

  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
  if (uv_loop_init(&loop) != 0) return NULL;
  child_init(&c);
  pthread_cancel(pthread_self()); /* pending */
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
  run->spawn_result = uv_spawn(&loop, &c.proc, &(uv_process_options_t){
      .file = args[0], .args = args, .exit_cb = exit_cb});
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
  if (run->spawn_result == 0) {
    uv_run(&loop, UV_RUN_DEFAULT);
    run->exited = c.exited;
    run->exit_status = c.exit_status;
  } else {
    uv_close((uv_handle_t*)&c.proc, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
  }
  uv_loop_close(&loop);
  /* The request is still pending; the thread returns with cancellation
   * disabled (unwinding a cancelled thread upsets AddressSanitizer). */
  return arg;
}

static void eddy_spawn_with_cancel_pending(void** state) {
  struct cancel_run run = {-1, -1, 0};
  pthread_t t;
  void* ret = NULL;
  (void)state;

  EDDY_ONLY();
  assert_int_equal(pthread_create(&t, NULL, cancel_thread, &run), 0);
  assert_int_equal(pthread_join(t, &ret), 0);
  assert_ptr_equal(ret, &run);
  assert_int_equal(run.spawn_result, 0);
  assert_int_equal(run.exited, 1);
  assert_int_equal(run.exit_status, 7);
  assert_no_children();
}

/* ---- fork or vfork --------------------------------------------------------- */

#if TEST_ON_EDDY
/* src/unix/process.c: internal, but linked in from libeddy.a. */
int uv__spawn_atfork_possible(void);
#endif

/* This program registers a fork handler (the atfork test) and, linked
 * with eddy statically, imports __register_atfork: uv_spawn must fork. */
static void eddy_atfork_import_seen(void** state) {
  (void)state;
  EDDY_ONLY();
#if TEST_ON_EDDY
  assert_int_equal(uv__spawn_atfork_possible(), 1);
#endif
}

static void test_windows_flags_ignored(void** state) {
  uv_loop_t loop;
  struct child c;
  char* t[] = {"/bin/true", NULL};
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  child_init(&c);
  assert_int_equal(
      run_child(&loop, &c, t, NULL, NULL,
                UV_PROCESS_WINDOWS_HIDE | UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS |
                    UV_PROCESS_WINDOWS_HIDE_CONSOLE |
                    UV_PROCESS_WINDOWS_HIDE_GUI,
                0),
      0);
  assert_int_equal(c.exit_status, 0);
  loop_close_clean(&loop);
}

/* libuv asserts on these; eddy answers UV_EINVAL. */
static void eddy_bad_options(void** state) {
  uv_process_options_t o;
  uv_stdio_container_t stdio[1];
  uv_loop_t loop;
  uv_process_t p;
  uv_timer_t t;
  char* args[] = {"/bin/true", NULL};
  (void)state;

  EDDY_ONLY();
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(&o, 0, sizeof(o));
  o.args = args;
  assert_int_equal(uv_spawn(NULL, &p, &o), UV_EINVAL);
  assert_int_equal(uv_spawn(&loop, &p, NULL), UV_EINVAL);
  assert_int_equal(uv_spawn(&loop, &p, &o), UV_EINVAL); /* no file */
  uv_close((uv_handle_t*)&p, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  o.file = args[0];
  o.flags = 1u << 20;
  assert_int_equal(uv_spawn(&loop, &p, &o), UV_EINVAL);
  uv_close((uv_handle_t*)&p, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  /* CREATE_PIPE needs an unopened pipe handle. */
  o.flags = 0;
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  stdio[0].flags = UV_CREATE_PIPE;
  stdio[0].data.stream = (uv_stream_t*)&t;
  o.stdio = stdio;
  o.stdio_count = 1;
  assert_int_equal(uv_spawn(&loop, &p, &o), UV_EINVAL);
  uv_close((uv_handle_t*)&p, NULL);
  assert_int_equal(uv_process_kill(&p, SIGTERM), UV_ESRCH);
  assert_int_equal(uv_process_kill(NULL, SIGTERM), UV_EINVAL);
  loop_teardown(&loop);
  assert_no_children();
}

int main(int argc, char** argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exit_codes),
      cmocka_unit_test(test_killed_by_signal),
      cmocka_unit_test(test_stdout_1mib),
      cmocka_unit_test(test_stdin_pipe),
      cmocka_unit_test(test_env_and_cwd),
      cmocka_unit_test(test_spawn_failures),
      cmocka_unit_test(test_failed_spawn_opens_pipes),
      cmocka_unit_test(test_exec_without_header_runs_sh),
      cmocka_unit_test(test_many_spawns),
      cmocka_unit_test(test_500_spawns_in_a_row),
      cmocka_unit_test(test_spawn_from_two_threads),
      cmocka_unit_test(test_1mib_each_way_on_all_three),
      cmocka_unit_test(test_inherit_fd),
      cmocka_unit_test(test_detached),
      cmocka_unit_test(test_setuid),
      cmocka_unit_test(test_atfork_handlers_run_in_the_child),
      cmocka_unit_test(test_spawn_env_from_fork_handler),
      cmocka_unit_test(test_child_signals_reset),
      cmocka_unit_test(eddy_child_signals_reset_without_proc),
      cmocka_unit_test(eddy_spawn_with_cancel_pending),
      cmocka_unit_test(eddy_atfork_import_seen),
      cmocka_unit_test(test_windows_flags_ignored),
      cmocka_unit_test(eddy_bad_options),
  };
  if (argc == 2 && strcmp(argv[1], "--tee") == 0) return tee_main();
  if (argc == 2 && strcmp(argv[1], "--sigstate") == 0) return sigstate_main();
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
