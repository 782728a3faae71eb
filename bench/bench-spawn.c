/* spawn: N processes, one after the other: uv_spawn of /bin/true with
 * stdin, stdout and stderr ignored (so /dev/null), the exit callback, the
 * close of the process handle, then the next spawn.  Every 16th process
 * is /bin/false instead, so that the exit status is known to be real.
 * The children get the environment without LD_LIBRARY_PATH (see
 * bench_child_env), the same on eddy and libuv.
 *
 *   bench-spawn [N]      N processes (default 100)
 *
 * Result: spawn = processes spawned and reaped per second.
 * Checks: every exit callback came once, for its own process, with exit
 * status 0 (/bin/true) or 1 (/bin/false) and no signal; every pid was
 * positive; N of them. */
#include "bench-uv.h"

static uv_loop_t loop;
static uv_process_t proc;
static uint64_t target;
static uint64_t spawned;
static uint64_t exited;
static uint64_t current_pid;
static char** child_env;

static void spawn_next(void);

static int is_false(uint64_t i) { return i % 16 == 15; }

static void on_close(uv_handle_t* h) {
  (void)h;
  if (spawned < target) spawn_next();
}

static void on_proc_exit(uv_process_t* p, int64_t status, int signal) {
  BENCH_CHECK(p == &proc);
  BENCH_CHECK((uint64_t)p->pid == current_pid);
  BENCH_CHECK(status == (is_false(exited) ? 1 : 0));
  BENCH_CHECK(signal == 0);
  exited++;
  uv_close((uv_handle_t*)p, on_close);
}

static void spawn_next(void) {
  static char* true_args[] = {"/bin/true", NULL};
  static char* false_args[] = {"/bin/false", NULL};
  uv_process_options_t opts;
  uv_stdio_container_t stdio[3];

  memset(&opts, 0, sizeof(opts));
  memset(stdio, 0, sizeof(stdio));
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_IGNORE;
  stdio[2].flags = UV_IGNORE;
  opts.args = is_false(spawned) ? false_args : true_args;
  opts.file = opts.args[0];
  opts.env = child_env;
  opts.exit_cb = on_proc_exit;
  opts.stdio = stdio;
  opts.stdio_count = 3;
  BENCH_UV(uv_spawn(&loop, &proc, &opts));
  BENCH_CHECK(proc.pid > 0);
  current_pid = (uint64_t)proc.pid;
  spawned++;
}

int main(int argc, char** argv) {
  uint64_t t0, t1;

  target = bench_count(argc, argv, 100);
  bench_identify();
  child_env = bench_child_env();
  BENCH_UV(uv_loop_init(&loop));

  t0 = bench_ns();
  spawn_next();
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  t1 = bench_ns();

  BENCH_CHECK(spawned == target);
  BENCH_CHECK(exited == target);
  fprintf(stderr, "processes=%" PRIu64 " time=%.3fs (%.0f us each)\n", exited,
          bench_seconds(t1 - t0), bench_per_op(t1 - t0, exited) / 1e3);
  bench_result("spawn", "proc/s", bench_rate(exited, t1 - t0));
  bench_ops("spawn", exited);
  BENCH_CHECK(uv_loop_close(&loop) == 0);
  free(child_env);
  return bench_finish();
}
