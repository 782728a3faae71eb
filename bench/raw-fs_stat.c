/* fs_stat, raw: bench-fs_stat.c on raw-pool.h: 4 pthreads call statx()
 * (as libuv does for uv_fs_stat), completion through an eventfd and
 * epoll, 64 calls in flight.
 *
 *   raw-fs_stat [N]      N calls (default 200000) */
#include "raw-pool.h"

#include <fcntl.h>
#include <sys/stat.h>

#define WINDOW 64
#define FILE_SIZE 12345

struct call {
  struct raw_work w; /* first: the pool hands back this pointer */
  int result;
  struct statx stx;
};

static char path[64];

static void on_work(struct raw_work* w) {
  struct call* c = (struct call*)w;
  c->result = statx(AT_FDCWD, path, AT_STATX_SYNC_AS_STAT,
                    STATX_BASIC_STATS | STATX_BTIME, &c->stx);
}

int main(int argc, char** argv) {
  static struct call calls[WINDOW];
  static char data[FILE_SIZE];
  struct raw_pool pool;
  struct raw_work *done, *next;
  struct stat expect;
  uint64_t target, submitted = 0, completed = 0, t0, t1;
  size_t i;
  int fd;

  target = bench_count(argc, argv, 200000);
  raw_identify();
  snprintf(path, sizeof(path), "/tmp/eddy-bench-fs_stat.XXXXXX");
  fd = mkstemp(path);
  BENCH_REQUIRE(fd >= 0);
  BENCH_REQUIRE(write(fd, data, sizeof(data)) == (ssize_t)sizeof(data));
  BENCH_REQUIRE(fstat(fd, &expect) == 0);
  close(fd);
  raw_pool_init(&pool);

  t0 = bench_ns();
  for (i = 0; i < WINDOW && submitted < target; i++) {
    calls[i].w.work = on_work;
    submitted++;
    raw_pool_submit(&pool, &calls[i].w);
  }
  while (completed < target) {
    for (done = raw_pool_wait(&pool); done != NULL; done = next) {
      struct call* c = (struct call*)done;
      next = done->next;
      BENCH_CHECK(c->result == 0);
      BENCH_CHECK(c->stx.stx_size == FILE_SIZE);
      BENCH_CHECK(c->stx.stx_ino == (uint64_t)expect.st_ino);
      BENCH_CHECK(S_ISREG(c->stx.stx_mode));
      completed++;
      if (submitted < target) {
        submitted++;
        raw_pool_submit(&pool, &c->w);
      }
    }
  }
  t1 = bench_ns();
  raw_pool_destroy(&pool);
  unlink(path);

  BENCH_CHECK(completed == target);
  fprintf(stderr, "stats=%" PRIu64 " time=%.3fs (%.0f ns each)\n", completed,
          bench_seconds(t1 - t0), bench_per_op(t1 - t0, completed));
  bench_result("fs_stat", "calls/s", bench_rate(completed, t1 - t0));
  bench_ops("fs_stat", completed);
  return bench_finish();
}
