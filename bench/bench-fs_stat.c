/* fs_stat: N asynchronous uv_fs_stat calls on one file, WINDOW of them in
 * flight at a time (each completion submits the next), as a server
 * stat()ing files for many requests does.
 *
 *   bench-fs_stat [N]      N calls (default 200000)
 *
 * The file is a fresh temporary file of a known size.
 * Result: fs_stat = calls per second, submission to callback.
 * Checks: every callback got result 0 and a stat buffer with the file's
 * size, inode and type, exactly N of them ran. */
#include "bench-uv.h"

#include <sys/stat.h>

#define WINDOW 64
#define FILE_SIZE 12345

static uv_loop_t loop;
static uv_fs_t reqs[WINDOW];
static char path[64];
static struct stat expect;
static uint64_t target;
static uint64_t submitted;
static uint64_t completed;

static void on_stat(uv_fs_t* req);

static void submit(uv_fs_t* req) {
  submitted++;
  BENCH_UV(uv_fs_stat(&loop, req, path, on_stat));
}

static void on_stat(uv_fs_t* req) {
  BENCH_CHECK(req->result == 0);
  BENCH_CHECK(req->statbuf.st_size == FILE_SIZE);
  BENCH_CHECK(req->statbuf.st_ino == (uint64_t)expect.st_ino);
  BENCH_CHECK(S_ISREG(req->statbuf.st_mode));
  completed++;
  uv_fs_req_cleanup(req);
  if (submitted < target) submit(req);
}

int main(int argc, char** argv) {
  static char data[FILE_SIZE];
  uint64_t t0, t1;
  size_t i;
  int fd;

  target = bench_count(argc, argv, 200000);
  bench_identify();
  snprintf(path, sizeof(path), "/tmp/eddy-bench-fs_stat.XXXXXX");
  fd = mkstemp(path);
  BENCH_REQUIRE(fd >= 0);
  BENCH_REQUIRE(write(fd, data, sizeof(data)) == (ssize_t)sizeof(data));
  BENCH_REQUIRE(fstat(fd, &expect) == 0);
  close(fd);
  BENCH_UV(uv_loop_init(&loop));

  t0 = bench_ns();
  for (i = 0; i < WINDOW && submitted < target; i++) submit(&reqs[i]);
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  t1 = bench_ns();
  unlink(path);

  BENCH_CHECK(completed == target);
  fprintf(stderr, "stats=%" PRIu64 " time=%.3fs (%.0f ns each)\n", completed,
          bench_seconds(t1 - t0), bench_per_op(t1 - t0, completed));
  bench_result("fs_stat", "calls/s", bench_rate(completed, t1 - t0));
  bench_ops("fs_stat", completed);
  BENCH_CHECK(uv_loop_close(&loop) == 0);
  return bench_finish();
}
