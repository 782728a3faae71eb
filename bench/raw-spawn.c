/* spawn, raw: bench-spawn.c with posix_spawn (stdin, stdout and stderr
 * opened on /dev/null by its file actions) and a blocking waitpid, one
 * process after the other; every 16th is /bin/false; the same environment
 * as bench-spawn.c (bench_child_env).
 *
 *   raw-spawn [N]      N processes (default 100) */
#include "raw-common.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

int main(int argc, char** argv) {
  static char* true_args[] = {"/bin/true", NULL};
  static char* false_args[] = {"/bin/false", NULL};
  posix_spawn_file_actions_t fa;
  uint64_t target, i, t0, t1;
  pid_t pid, got;
  int status, fd;
  char** env;

  target = bench_count(argc, argv, 100);
  raw_identify();
  env = bench_child_env();
  BENCH_REQUIRE(posix_spawn_file_actions_init(&fa) == 0);
  for (fd = 0; fd < 3; fd++)
    BENCH_REQUIRE(posix_spawn_file_actions_addopen(
                      &fa, fd, "/dev/null", fd == 0 ? O_RDONLY : O_RDWR, 0) == 0);

  t0 = bench_ns();
  for (i = 0; i < target; i++) {
    char** args = i % 16 == 15 ? false_args : true_args;
    BENCH_REQUIRE(posix_spawn(&pid, args[0], &fa, NULL, args, env) == 0);
    BENCH_CHECK(pid > 0);
    do
      got = waitpid(pid, &status, 0);
    while (got < 0 && errno == EINTR);
    BENCH_CHECK(got == pid);
    BENCH_CHECK(WIFEXITED(status));
    BENCH_CHECK(WEXITSTATUS(status) == (i % 16 == 15 ? 1 : 0));
  }
  t1 = bench_ns();
  posix_spawn_file_actions_destroy(&fa);
  free(env);

  fprintf(stderr, "processes=%" PRIu64 " time=%.3fs (%.0f us each)\n", target,
          bench_seconds(t1 - t0), bench_per_op(t1 - t0, target) / 1e3);
  bench_result("spawn", "proc/s", bench_rate(target, t1 - t0));
  bench_ops("spawn", target);
  return bench_finish();
}
