/* fs_ring: the two shapes of file-system traffic that decide between
 * io_uring and the thread pool (docs/fs.md, "io_uring").
 *
 *   bench-fs_ring [N [stat|read|write]]
 *                        N stat calls (default 400000); the second
 *                        argument runs one part only (for strace -c)
 *
 * fs_stat64: uv_fs_stat calls per second on one file with 64 requests in
 * flight (each callback starts the next until N were made).
 * fs_read64k: MB/s reading a 64 MiB file (in the page cache) from start to
 * end in 64 KiB uv_fs_read calls, one in flight at a time as a read
 * stream does; max(1, N / 200000) passes.
 * fs_write64k: MB/s writing a new 64 MiB file from start to end in 64 KiB
 * uv_fs_write calls at the file position, one in flight at a time as a
 * write stream does; as many passes as fs_read64k, each on a new file.
 *
 * Checks: every stat succeeds and sees the file's size; every read returns
 * 64 KiB of the right bytes (one word checked per 4 KiB), the last pass
 * ends with a read of 0; every write returns 64 KiB and the last file
 * holds what was written (one word checked per 4 KiB). */
#include "bench-uv.h"

#include <fcntl.h>
#include <unistd.h>

#define INFLIGHT 64
#define FILE_SIZE (64u << 20)
#define CHUNK (64u << 10)

static uv_loop_t loop;
static char path[160];
static uint64_t stat_target;
static uint64_t stat_started;
static uint64_t stat_done;
static uv_fs_t stat_reqs[INFLIGHT];

static uv_fs_t read_req;
static uv_file read_fd;
static char* read_buf;
static uint64_t read_off;
static uint64_t read_passes;
static uint64_t read_calls;
static uint64_t read_bytes;

static void on_stat(uv_fs_t* req) {
  BENCH_CHECK(req->result == 0);
  BENCH_CHECK(req->statbuf.st_size == 4096);
  uv_fs_req_cleanup(req);
  stat_done++;
  if (stat_started < stat_target) {
    stat_started++;
    BENCH_UV(uv_fs_stat(&loop, req, path, on_stat));
  }
}

static uint32_t word_at(uint64_t off) {
  return (uint32_t)(off / 4096 * 2654435761u);
}

static void start_read(void);

static void on_read(uv_fs_t* req) {
  uint64_t k;
  ssize_t n = req->result;

  uv_fs_req_cleanup(req);
  read_calls++;
  if (n == 0) {
    BENCH_CHECK(read_off == FILE_SIZE);
    if (--read_passes == 0) return;
    read_off = 0;
    start_read();
    return;
  }
  BENCH_CHECK(n == (ssize_t)CHUNK);
  if (n != (ssize_t)CHUNK) return;
  for (k = 0; k < CHUNK; k += 4096)
    BENCH_CHECK(*(uint32_t*)(read_buf + k) == word_at(read_off + k));
  read_off += (uint64_t)n;
  read_bytes += (uint64_t)n;
  start_read();
}

static void start_read(void) {
  uv_buf_t b = uv_buf_init(read_buf, CHUNK);
  BENCH_UV(uv_fs_read(&loop, &read_req, read_fd, &b, 1, (int64_t)read_off,
                      on_read));
}

static uv_fs_t write_req;
static uv_file write_fd;
static char* write_buf;
static uint64_t write_off;
static uint64_t write_passes;
static uint64_t write_calls;
static uint64_t write_bytes;
static char write_path[sizeof(path) + 8];

static void start_write(void);

static void open_write_file(void) {
  write_fd = open(write_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  BENCH_REQUIRE(write_fd >= 0);
  write_off = 0;
}

static void on_write(uv_fs_t* req) {
  ssize_t n = req->result;

  uv_fs_req_cleanup(req);
  write_calls++;
  BENCH_CHECK(n == (ssize_t)CHUNK);
  if (n != (ssize_t)CHUNK) return;
  write_off += (uint64_t)n;
  write_bytes += (uint64_t)n;
  if (write_off < FILE_SIZE) {
    start_write();
    return;
  }
  if (--write_passes == 0) return;
  close(write_fd);
  open_write_file();
  start_write();
}

static void start_write(void) {
  uv_buf_t b = uv_buf_init(write_buf, CHUNK);
  uint64_t k;

  for (k = 0; k < CHUNK; k += 4096)
    *(uint32_t*)(write_buf + k) = word_at(write_off + k);
  BENCH_UV(uv_fs_write(&loop, &write_req, write_fd, &b, 1, -1, on_write));
}

/* The last file holds what was written. */
static void check_written(void) {
  uint64_t k;
  uint32_t w;

  for (k = 0; k < FILE_SIZE; k += 4096) {
    BENCH_REQUIRE(pread(write_fd, &w, sizeof(w), (off_t)k) == sizeof(w));
    BENCH_CHECK(w == word_at(k));
  }
  BENCH_CHECK(lseek(write_fd, 0, SEEK_END) == (off_t)FILE_SIZE);
}

static void make_files(void) {
  char* data = malloc(FILE_SIZE);
  uint64_t k;
  int fd;

  BENCH_REQUIRE(data != NULL);
  memset(data, 'x', FILE_SIZE);
  for (k = 0; k < FILE_SIZE; k += 4096) *(uint32_t*)(data + k) = word_at(k);
  snprintf(path, sizeof(path), "/tmp/bench-fs_ring-%d", (int)getpid());
  fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  BENCH_REQUIRE(fd >= 0);
  BENCH_REQUIRE(write(fd, data, FILE_SIZE) == (ssize_t)FILE_SIZE);
  close(fd);
  free(data);
}

int main(int argc, char** argv) {
  uint64_t t0, t1, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
  char big[sizeof(path)];
  int fd;
  int i;

  const char* only = argc > 2 ? argv[2] : "";

  stat_target = bench_count(argc > 2 ? 2 : argc, argv, 400000);
  read_passes = stat_target / 200000 > 0 ? stat_target / 200000 : 1;
  write_passes = read_passes;
  bench_identify();
  make_files();
  /* The stat target: a small file beside the big one. */
  memcpy(big, path, sizeof(big));
  BENCH_REQUIRE(strlen(big) + sizeof(".small") <= sizeof(path));
  snprintf(path, sizeof(path), "%s.small", big);
  fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  BENCH_REQUIRE(fd >= 0 && ftruncate(fd, 4096) == 0);
  close(fd);
  BENCH_UV(uv_loop_init(&loop));

  if (strcmp(only, "read") == 0 || strcmp(only, "write") == 0)
    stat_target = 0;
  t0 = bench_ns();
  for (i = 0; i < INFLIGHT && stat_started < stat_target; i++) {
    stat_started++;
    BENCH_UV(uv_fs_stat(&loop, &stat_reqs[i], path, on_stat));
  }
  BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  t1 = bench_ns();
  BENCH_CHECK(stat_done == stat_target);

  if (strcmp(only, "stat") == 0 || strcmp(only, "write") == 0)
    read_passes = 0;
  read_buf = malloc(CHUNK);
  BENCH_REQUIRE(read_buf != NULL);
  read_fd = open(big, O_RDONLY);
  BENCH_REQUIRE(read_fd >= 0);
  {
    uint64_t passes = read_passes;
    t2 = bench_ns();
    if (passes > 0) start_read();
    BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
    t3 = bench_ns();
    BENCH_CHECK(read_bytes == passes * FILE_SIZE);
  }
  close(read_fd);
  free(read_buf);

  if (strcmp(only, "stat") == 0 || strcmp(only, "read") == 0)
    write_passes = 0;
  write_buf = malloc(CHUNK);
  BENCH_REQUIRE(write_buf != NULL);
  memset(write_buf, 'w', CHUNK);
  snprintf(write_path, sizeof(write_path), "%s.w", big);
  {
    uint64_t passes = write_passes;
    t4 = bench_ns();
    if (passes > 0) {
      open_write_file();
      start_write();
    }
    BENCH_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
    t5 = bench_ns();
    BENCH_CHECK(write_bytes == passes * FILE_SIZE);
    if (passes > 0) {
      check_written();
      close(write_fd);
      unlink(write_path);
    }
  }
  free(write_buf);
  unlink(big);
  unlink(path);

  fprintf(stderr, "stats=%" PRIu64 " time=%.3fs reads=%" PRIu64
          " time=%.3fs writes=%" PRIu64 " time=%.3fs\n", stat_done,
          bench_seconds(t1 - t0), read_calls, bench_seconds(t3 - t2),
          write_calls, bench_seconds(t5 - t4));
  bench_result("fs_stat64", "calls/s", bench_rate(stat_done, t1 - t0));
  bench_ops("fs_stat64", stat_done);
  bench_result("fs_read64k", "MB/s",
               bench_rate(read_bytes, t3 - t2) / (1024.0 * 1024.0));
  bench_ops("fs_read64k", read_calls);
  bench_result("fs_write64k", "MB/s",
               bench_rate(write_bytes, t5 - t4) / (1024.0 * 1024.0));
  bench_ops("fs_write64k", write_calls);

  bench_loop_close(&loop);
  return bench_finish();
}
