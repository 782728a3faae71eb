/* eddy tests — what every test file shares.
 *
 * Each test runs on a loop of its own and ends with every handle closed and
 * uv_loop_close() returning 0: loop_teardown() checks that.  The counting
 * allocator lets a test fail the Nth allocation and find leaks. */
#ifndef EDDY_TEST_HELPERS_H
#define EDDY_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include "uv.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The tests also build against the system's libuv (without eddy's
 * headers), to prove they encode libuv's behaviour.  Tests of eddy's own
 * additions (errors where libuv would crash, say) call EDDY_ONLY() first
 * and skip there. */
#if defined(__has_include)
#if __has_include(<eddy.h>)
#define TEST_ON_EDDY 1
#endif
#endif
#ifndef TEST_ON_EDDY
#define TEST_ON_EDDY 0
#endif

#define EDDY_ONLY()            \
  do {                         \
    if (!TEST_ON_EDDY) skip(); \
  } while (0)

/* ---- loops ------------------------------------------------------------- */

/* Built with ThreadSanitizer: some tests skip what it makes too slow
 * (every fork copies its shadow memory) or cannot do (threads started in
 * the child of a multi-threaded fork). */
#if defined(__SANITIZE_THREAD__)
#define TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TEST_TSAN 1
#endif
#endif
#ifndef TEST_TSAN
#define TEST_TSAN 0
#endif

/* Descriptors open in this process (not counting the one used to look):
 * a test compares the count before and after to catch a leak. */
/* This test program's own path, for a test that spawns itself.  Not
 * "/proc/self/exe" as such: under valgrind, a child that execs that path
 * runs valgrind's tool binary instead of the program (valgrind's loader
 * then fails, on libuv as on eddy); readlink gives the program's path. */
static inline const char* self_exe(void) {
  static char path[4096];
  ssize_t n;
  if (path[0] == '\0') {
    n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    assert_true(n > 0);
    path[n] = '\0';
  }
  return path;
}

/* Runs the process out of descriptors: lowers RLIMIT_NOFILE to 256 at
 * most and duplicates descriptors until open fails (EMFILE).
 * release_descriptors closes them and restores the limit. */
struct descriptor_hog {
  struct rlimit saved;
  int fds[512];
  int n;
};

static inline void hog_descriptors(struct descriptor_hog* h) {
  struct rlimit rl;
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &h->saved), 0);
  rl = h->saved;
  if (rl.rlim_cur > 256) rl.rlim_cur = 256;
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
  h->n = 0;
  while (h->n < (int)ARRAY_LEN(h->fds) && (h->fds[h->n] = dup(0)) >= 0) h->n++;
  assert_true(h->n < (int)ARRAY_LEN(h->fds)); /* the limit was reached */
}

static inline void release_descriptors(struct descriptor_hog* h) {
  while (h->n > 0) close(h->fds[--h->n]);
  assert_int_equal(setrlimit(RLIMIT_NOFILE, &h->saved), 0);
}

static inline int count_fds(void) {
  DIR* d = opendir("/proc/self/fd");
  struct dirent* e;
  int n = 0;
  assert_non_null(d);
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n - 1;
}

static void helper_close_walk_cb(uv_handle_t* handle, void* arg) {
  (void)arg;
  if (!uv_is_closing(handle)) uv_close(handle, NULL);
}

/* Closes whatever the test left open, runs the close callbacks, and checks
 * that the loop then closes cleanly. */
/* The descriptor where libuv keeps a handle's io_watcher.fd, as a program
 * built against libuv reads it (compiled in as an offset): 184 in
 * streams, 176 in UDP handles, 152 in poll handles. */
#define LIBUV_STREAM_FD_OFFSET 184
#define LIBUV_UDP_FD_OFFSET 176
#define LIBUV_POLL_FD_OFFSET 152
static inline int fd_at_libuv_offset(const void* handle, size_t offset) {
  int fd;
  memcpy(&fd, (const char*)handle + offset, sizeof(fd));
  return fd;
}

static inline void loop_teardown(uv_loop_t* loop) {
  uv_walk(loop, helper_close_walk_cb, NULL);
  assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_loop_close(loop), 0);
}

/* Checks that the test itself closed everything: no handle may be left. */
static inline void loop_close_clean(uv_loop_t* loop) {
  assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_loop_close(loop), 0);
}

/* ---- a counting allocator that can fail on demand ----------------------- */

/* The counters are atomic: the thread pool's workers allocate too (fs
 * requests, DNS), while the loop thread does. */
struct test_alloc_state {
  long live;       /* allocations not yet freed */
  long calls;      /* allocation calls so far (malloc, calloc, realloc) */
  long fail_at;    /* the call number that fails (1-based), 0: never */
  long failures;   /* how many calls were failed */
};

static struct test_alloc_state test_alloc;

#define TEST_ALLOC_ADD(field, n) \
  __atomic_add_fetch(&test_alloc.field, (n), __ATOMIC_SEQ_CST)

static inline int test_alloc_should_fail(void) {
  long call = TEST_ALLOC_ADD(calls, 1);
  long fail_at = __atomic_load_n(&test_alloc.fail_at, __ATOMIC_SEQ_CST);
  if (fail_at != 0 && call == fail_at) {
    TEST_ALLOC_ADD(failures, 1);
    return 1;
  }
  return 0;
}

static void* test_malloc_fn(size_t size) {
  void* p;
  if (test_alloc_should_fail()) return NULL;
  p = malloc(size);
  if (p != NULL) TEST_ALLOC_ADD(live, 1);
  return p;
}

static void* test_realloc_fn(void* ptr, size_t size) {
  void* p;
  if (test_alloc_should_fail()) return NULL;
  p = realloc(ptr, size);
  if (p != NULL && ptr == NULL) TEST_ALLOC_ADD(live, 1);
  return p;
}

static void* test_calloc_fn(size_t count, size_t size) {
  void* p;
  if (test_alloc_should_fail()) return NULL;
  p = calloc(count, size);
  if (p != NULL) TEST_ALLOC_ADD(live, 1);
  return p;
}

static void test_free_fn(void* ptr) {
  if (ptr != NULL) TEST_ALLOC_ADD(live, -1);
  free(ptr);
}

/* Installs the counting allocator; fail_at = N fails the Nth allocation
 * call from now on (0: none fails). */
static inline void test_alloc_install(long fail_at) {
  __atomic_store_n(&test_alloc.live, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&test_alloc.calls, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&test_alloc.failures, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&test_alloc.fail_at, fail_at, __ATOMIC_SEQ_CST);
  assert_int_equal(uv_replace_allocator(test_malloc_fn, test_realloc_fn,
                                        test_calloc_fn, test_free_fn),
                   0);
}

/* Puts the C library's allocator back. */
static inline void test_alloc_restore(void) {
  assert_int_equal(uv_replace_allocator(malloc, realloc, calloc, free), 0);
}

#endif /* EDDY_TEST_HELPERS_H */
