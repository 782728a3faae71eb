/* eddy tests — what the file-system tests share (test-fs*.c).
 *
 * Most tests run twice, "/sync" (no callback: the call runs on this thread
 * and returns its result) and "/async" (on the thread pool: the call
 * returns 0 and the callback, on the loop thread, gets the result); the FS()
 * macro makes one call either way and hands back req->result.  Each test
 * works in a fresh mkdtemp directory (P(name) names a file in it), removed
 * afterwards, on a loop of its own.
 *
 * The files also build against the system's libuv, without eddy's
 * include/ (gcc -std=gnu11 test/test-fs.c -Itest -lcmocka -luv -lpthread)
 * and pass there; the tests named eddy_* check eddy's answers where libuv
 * crashes or answers otherwise, and skip themselves on libuv.
 * EDDY_TEST_SKIP=pattern skips tests by name. */
#ifndef EDDY_TEST_FS_H
#define EDDY_TEST_FS_H

#include "test-helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* How many io_uring instances this process has open: eddy makes one per
 * loop for its asynchronous fs requests (src/unix/uring.c) unless
 * UV_USE_IO_URING=0 or the kernel refuses; libuv 1.44 never does. */
static inline int uring_fds(void) {
  char link[300];
  char target[64];
  struct dirent* e;
  ssize_t n;
  int count = 0;
  DIR* d = opendir("/proc/self/fd");

  if (d == NULL) return 0;
  while ((e = readdir(d)) != NULL) {
    snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
    n = readlink(link, target, sizeof(target) - 1);
    if (n <= 0) continue;
    target[n] = '\0';
    if (strcmp(target, "anon_inode:[io_uring]") == 0) count++;
  }
  closedir(d);
  return count;
}

/* ---- the fixture --------------------------------------------------------- */

struct fixture {
  int async;
  uv_loop_t loop;
  char dir[PATH_MAX];
  pthread_t loop_thread;
  int done;      /* callbacks so far */
  uv_fs_t* last; /* the request of the last one */
  int wrong_thread;
};

static struct fixture* T;
static const int mode_sync = 0;
static const int mode_async = 1;

/* snprintf that fails the test rather than cut a path short. */
static inline void fmt(char* buf, size_t size, const char* format, ...) {
  va_list ap;
  int n;
  va_start(ap, format);
  n = vsnprintf(buf, size, format, ap);
  va_end(ap);
  assert_true(n >= 0 && (size_t)n < size);
}

/* rm -r, without following links. */
static inline void remove_tree(const char* path) {
  char child[PATH_MAX];
  struct dirent* e;
  struct stat st;
  DIR* d;

  if (lstat(path, &st) != 0) return;
  if (!S_ISDIR(st.st_mode)) {
    unlink(path);
    return;
  }
  d = opendir(path);
  if (d != NULL) {
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      fmt(child, sizeof(child), "%s/%s", path, e->d_name);
      remove_tree(child);
    }
    closedir(d);
  }
  rmdir(path);
}

static inline int setup(void** state) {
  const char* tmp = getenv("TMPDIR");
  T = calloc(1, sizeof(*T));
  assert_non_null(T);
  T->async = *(const int*)*state;
  assert_int_equal(uv_loop_init(&T->loop), 0);
  fmt(T->dir, sizeof(T->dir), "%s/eddy-fs-XXXXXX",
      tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  assert_non_null(mkdtemp(T->dir));
  T->loop_thread = pthread_self();
  *state = T;
  return 0;
}

static inline int teardown(void** state) {
  (void)state;
  test_alloc_restore();
  remove_tree(T->dir);
  assert_int_equal(access(T->dir, F_OK), -1);
  loop_close_clean(&T->loop);
  free(T);
  T = NULL;
  return 0;
}

/* name inside the test's directory; a few results stay valid at once. */
static inline const char* P(const char* name) {
  static char bufs[8][PATH_MAX];
  static int next;
  char* b = bufs[next++ % 8];
  fmt(b, PATH_MAX, "%s/%s", T->dir, name);
  return b;
}

static inline void on_done(uv_fs_t* req) {
  if (!pthread_equal(pthread_self(), T->loop_thread)) T->wrong_thread++;
  T->done++;
  T->last = req;
}

/* Finishes one call made by FS(): in sync mode the call's return value is
 * its result; in async mode it returned 0 (or refused at once), and the
 * loop runs until the callback has reported. */
static inline ssize_t fs_finish(uv_fs_t* req, int rc) {
  int before = T->done;
  if (!T->async) {
    /* A call refused before it ran returns its error and leaves result 0,
     * as libuv does. */
    if (rc < 0 && req->result == 0) return rc;
    assert_int_equal(rc, (int)req->result);
    return req->result;
  }
  if (rc != 0) return rc;
  assert_true(uv_loop_alive(&T->loop));
  assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(T->done, before + 1);
  assert_ptr_equal(T->last, req);
  assert_int_equal(T->wrong_thread, 0);
  return req->result;
}

#define FS(fn, req, ...) \
  fs_finish((req), fn(&T->loop, (req), __VA_ARGS__, T->async ? on_done : NULL))

/* ---- plain-syscall helpers ----------------------------------------------- */

static inline void put_file(const char* path, const void* data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, len), (ssize_t)len);
  close(fd);
}

/* The whole file, from malloc (NUL-terminated); its length in *len. */
static inline char* get_file(const char* path, size_t* len) {
  struct stat st;
  char* buf;
  ssize_t n;
  size_t got = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  assert_true(fd >= 0);
  assert_int_equal(fstat(fd, &st), 0);
  buf = malloc((size_t)st.st_size + 1);
  assert_non_null(buf);
  while (got < (size_t)st.st_size &&
         (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
    got += (size_t)n;
  close(fd);
  assert_int_equal(got, (size_t)st.st_size);
  buf[got] = '\0';
  if (len != NULL) *len = got;
  return buf;
}

static inline void assert_file(const char* path, const char* want) {
  size_t len;
  char* got = get_file(path, &len);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(got, want, len);
  free(got);
}

static inline mode_t mode_of(const char* path) {
  struct stat st;
  assert_int_equal(lstat(path, &st), 0);
  return st.st_mode;
}

static inline int exists(const char* path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static inline int open_file(const char* path, int flags) {
  int fd = open(path, flags | O_CLOEXEC, 0644);
  assert_true(fd >= 0);
  return fd;
}

/* ---- the table ----------------------------------------------------------- */

/* Table entries: a test once per mode, or in one mode only. */
// clang-format off
#define BOTH(f)                                           \
  {#f "/sync", f, setup, teardown, (void*)&mode_sync},    \
  {#f "/async", f, setup, teardown, (void*)&mode_async}
#define SYNC(f) {#f, f, setup, teardown, (void*)&mode_sync}
#define ASYNC(f) {#f, f, setup, teardown, (void*)&mode_async}
// clang-format on

/* What every main() does before running its table. */
static inline void fs_tests_init(void) {
  /* The cancellation test fills every worker: there must be four. */
  setenv("UV_THREADPOOL_SIZE", "4", 1);
  umask(022);
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
}

#endif /* EDDY_TEST_FS_H */
