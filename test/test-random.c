/* eddy tests — uv_random (src/random.c).
 *
 * Random bytes cannot be checked for quality here; what is checked is that
 * the whole buffer is written (a buffer pre-filled with a pattern loses it
 * everywhere), the argument checks and their order (libuv's: the length,
 * then the flags), synchronous and asynchronous use, cancellation, the
 * /dev/urandom fallback when the kernel has no getrandom (seccomp makes
 * it answer ENOSYS in a child process), and allocation failures.
 *
 * The file also builds against the system's libuv and passes there:
 *   gcc -std=gnu11 test/test-random.c -Itest -lcmocka -luv -lpthread
 * (no -Iinclude); the tests named eddy_* check eddy's UV_EINVAL where
 * libuv would crash or report UV_EFAULT, and skip themselves there. */
#include "test-helpers.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* ---- helpers --------------------------------------------------------------- */

/* Whether every 8-byte word of buf differs from the pattern it was filled
 * with: true of a fully written buffer except with probability ~n/2^64. */
static int all_written(const unsigned char* buf, size_t len, unsigned char pattern) {
  size_t i;
  size_t j;
  int same;
  for (i = 0; i + 8 <= len; i += 8) {
    same = 1;
    for (j = 0; j < 8; j++) same &= (buf[i + j] == pattern);
    if (same) return 0;
  }
  return 1;
}

static struct {
  int calls;
  int status;
  void* buf;
  size_t len;
  int on_loop_thread;
  uv_req_type type;
} cb;

static pthread_t loop_thread;

static void cb_reset(void) {
  memset(&cb, 0, sizeof(cb));
  loop_thread = pthread_self();
}

static void random_cb(uv_random_t* req, int status, void* buf, size_t len) {
  cb.calls++;
  cb.status = status;
  cb.buf = buf;
  cb.len = len;
  cb.type = req->type;
  cb.on_loop_thread = pthread_equal(pthread_self(), loop_thread);
}

/* ---- synchronous ------------------------------------------------------------ */

static void random_sync_fills_buffer(void** state) {
  static unsigned char a[4096];
  static unsigned char b[4096];
  (void)state;
  memset(a, 0xA5, sizeof(a));
  memset(b, 0xA5, sizeof(b));
  /* No loop, no request: neither is used without a callback. */
  assert_int_equal(uv_random(NULL, NULL, a, sizeof(a), 0, NULL), 0);
  assert_int_equal(uv_random(NULL, NULL, b, sizeof(b), 0, NULL), 0);
  assert_true(all_written(a, sizeof(a), 0xA5));
  assert_true(all_written(b, sizeof(b), 0xA5));
  assert_memory_not_equal(a, b, sizeof(a));
}

/* More than getrandom hands out in one call without the risk of a short
 * read: the whole buffer is still written. */
static void random_sync_large(void** state) {
  size_t len = 1u << 20;
  unsigned char* p = malloc(len);
  (void)state;
  assert_non_null(p);
  memset(p, 0, len);
  assert_int_equal(uv_random(NULL, NULL, p, len, 0, NULL), 0);
  assert_true(all_written(p, len, 0));
  free(p);
}

/* Odd lengths and offsets: the bytes around the buffer stay untouched. */
static void random_sync_exact_length(void** state) {
  unsigned char buf[64];
  size_t len;
  size_t i;
  (void)state;
  for (len = 1; len <= 33; len += 4) {
    memset(buf, 0x5A, sizeof(buf));
    assert_int_equal(uv_random(NULL, NULL, buf + 3, len, 0, NULL), 0);
    for (i = 0; i < 3; i++) assert_int_equal(buf[i], 0x5A);
    for (i = 3 + len; i < sizeof(buf); i++) assert_int_equal(buf[i], 0x5A);
  }
}

static void random_zero_length(void** state) {
  uv_loop_t loop;
  uv_random_t req;
  char c = 'x';
  (void)state;
  assert_int_equal(uv_random(NULL, NULL, &c, 0, 0, NULL), 0);
  assert_int_equal(c, 'x');
  assert_int_equal(uv_random(NULL, NULL, NULL, 0, 0, NULL), 0);

  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_random(&loop, &req, &c, 0, 0, random_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, 0);
  assert_ptr_equal(cb.buf, &c);
  assert_int_equal(cb.len, 0);
  assert_int_equal(c, 'x');
  loop_close_clean(&loop);
}

/* flags is reserved: anything but 0 is UV_EINVAL; a length past INT32_MAX
 * is UV_E2BIG, checked first.  Neither writes to the buffer. */
static void random_bad_arguments(void** state) {
  uv_loop_t loop;
  uv_random_t req;
  unsigned char buf[16];
  unsigned bit;
  (void)state;
  memset(buf, 0, sizeof(buf));
  for (bit = 0; bit < 32; bit++)
    assert_int_equal(uv_random(NULL, NULL, buf, sizeof(buf), 1u << bit, NULL), UV_EINVAL);
  assert_int_equal(uv_random(NULL, NULL, buf, (size_t)0x80000000u, 0, NULL), UV_E2BIG);
  assert_int_equal(uv_random(NULL, NULL, buf, (size_t)-1, 0, NULL), UV_E2BIG);
  assert_int_equal(uv_random(NULL, NULL, buf, (size_t)0x80000000u, 1, NULL), UV_E2BIG);
  /* INT32_MAX itself is allowed, so only the flags stop this one. */
  assert_int_equal(uv_random(NULL, NULL, buf, (size_t)0x7FFFFFFFu, 1, NULL), UV_EINVAL);
  for (bit = 0; bit < sizeof(buf); bit++) assert_int_equal(buf[bit], 0);

  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_random(&loop, &req, buf, sizeof(buf), 1, random_cb), UV_EINVAL);
  assert_int_equal(uv_random(&loop, &req, buf, (size_t)0x80000000u, 0, random_cb), UV_E2BIG);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 0);
  loop_close_clean(&loop);
}

/* libuv would write through the NULL pointer (getrandom answers EFAULT,
 * a NULL loop or request crashes); eddy refuses. */
static void eddy_random_null_arguments(void** state) {
  uv_loop_t loop;
  uv_random_t req;
  char buf[8];
  (void)state;
  EDDY_ONLY();
  cb_reset();
  assert_int_equal(uv_random(NULL, NULL, NULL, 8, 0, NULL), UV_EINVAL);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_random(&loop, &req, NULL, 8, 0, random_cb), UV_EINVAL);
  assert_int_equal(uv_random(NULL, &req, buf, sizeof(buf), 0, random_cb), UV_EINVAL);
  assert_int_equal(uv_random(&loop, NULL, buf, sizeof(buf), 0, random_cb), UV_EINVAL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 0);
  loop_close_clean(&loop);
}

/* ---- asynchronous ------------------------------------------------------------ */

static void random_async(void** state) {
  uv_loop_t loop;
  uv_random_t req;
  unsigned char buf[256];
  (void)state;
  cb_reset();
  memset(buf, 0xA5, sizeof(buf));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_random(&loop, &req, buf, sizeof(buf), 0, random_cb), 0);
  assert_int_equal(req.type, UV_RANDOM);
  assert_ptr_equal(req.loop, &loop);
  assert_int_equal(uv_loop_alive(&loop), 1); /* the request keeps it alive */
  assert_int_equal(cb.calls, 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, 0);
  assert_ptr_equal(cb.buf, buf);
  assert_int_equal(cb.len, sizeof(buf));
  assert_int_equal(cb.type, UV_RANDOM);
  assert_true(cb.on_loop_thread);
  assert_true(all_written(buf, sizeof(buf), 0xA5));
  loop_close_clean(&loop);
}

static void random_async_many(void** state) {
  enum { N = 32 };
  uv_loop_t loop;
  static uv_random_t req[N];
  static unsigned char buf[N][64];
  int i;
  (void)state;
  cb_reset();
  memset(buf, 0, sizeof(buf));
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < N; i++)
    assert_int_equal(uv_random(&loop, &req[i], buf[i], sizeof(buf[i]), 0, random_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, N);
  for (i = 0; i < N; i++) assert_true(all_written(buf[i], sizeof(buf[i]), 0));
  loop_close_clean(&loop);
}

/* ---- cancellation ------------------------------------------------------------- */

/* UV_THREADPOOL_SIZE is set in main(), before the pool starts. */
#define POOL_SIZE 4

static struct {
  uv_sem_t started;
  uv_sem_t release;
  uv_work_t work[POOL_SIZE];
  int after;
} blocker;

static void block_work(uv_work_t* w) {
  (void)w;
  uv_sem_post(&blocker.started);
  uv_sem_wait(&blocker.release);
}

static void block_after(uv_work_t* w, int status) {
  (void)w;
  assert_int_equal(status, 0);
  blocker.after++;
}

static void random_cancel(void** state) {
  uv_loop_t loop;
  uv_random_t req;
  uv_random_t done_req;
  unsigned char buf[32];
  int i;
  (void)state;
  cb_reset();
  memset(buf, 0xA5, sizeof(buf));
  assert_int_equal(uv_loop_init(&loop), 0);

  /* Finished work cannot be cancelled. */
  assert_int_equal(uv_random(&loop, &done_req, buf, sizeof(buf), 0, random_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&done_req), UV_EBUSY);

  /* Every worker busy: the request stays queued until cancelled. */
  cb_reset();
  memset(buf, 0xA5, sizeof(buf));
  assert_int_equal(uv_sem_init(&blocker.started, 0), 0);
  assert_int_equal(uv_sem_init(&blocker.release, 0), 0);
  blocker.after = 0;
  for (i = 0; i < POOL_SIZE; i++)
    assert_int_equal(uv_queue_work(&loop, &blocker.work[i], block_work, block_after), 0);
  for (i = 0; i < POOL_SIZE; i++) uv_sem_wait(&blocker.started);

  assert_int_equal(uv_random(&loop, &req, buf, sizeof(buf), 0, random_cb), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&req), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, UV_ECANCELED);
  assert_ptr_equal(cb.buf, buf);
  assert_int_equal(cb.len, sizeof(buf));
  for (i = 0; i < (int)sizeof(buf); i++) assert_int_equal(buf[i], 0xA5);

  for (i = 0; i < POOL_SIZE; i++) uv_sem_post(&blocker.release);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(blocker.after, POOL_SIZE);
  assert_int_equal(cb.calls, 1);
  uv_sem_destroy(&blocker.started);
  uv_sem_destroy(&blocker.release);
  loop_close_clean(&loop);
}

/* ---- without getrandom -------------------------------------------------------- */

/* In a child whose seccomp filter makes getrandom fail with ENOSYS, as on
 * a kernel before 3.17: uv_random falls back to /dev/urandom. */
static void random_fallback_without_getrandom(void** state) {
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getrandom, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {(unsigned short)ARRAY_LEN(filter), filter};
  unsigned char buf[512];
  int status;
  pid_t pid;
  (void)state;

  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* Exit codes: 0 pass, 1 fail, 77 no seccomp here. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
      _exit(77);
    if (syscall(SYS_getrandom, buf, sizeof(buf), 0) != -1 || errno != ENOSYS)
      _exit(77);
    memset(buf, 0, sizeof(buf));
    if (uv_random(NULL, NULL, buf, sizeof(buf), 0, NULL) != 0) _exit(1);
    if (!all_written(buf, sizeof(buf), 0)) _exit(1);
    memset(buf, 0, sizeof(buf));
    if (uv_random(NULL, NULL, buf, sizeof(buf), 0, NULL) != 0) _exit(1);
    if (!all_written(buf, sizeof(buf), 0)) _exit(1);
    _exit(0);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) skip();
  assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- allocation failures ------------------------------------------------------- */

/* Fails each allocation call of an asynchronous request in turn (the loop
 * being set up first): UV_ENOMEM or success, no leak either way. */
static void random_alloc_failures(void** state) {
  uv_loop_t loop;
  uv_random_t req;
  unsigned char buf[64];
  long n;
  int r;
  (void)state;

  /* The pool's own allocations (once per process) must not count. */
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_random(&loop, &req, buf, sizeof(buf), 0, random_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  loop_close_clean(&loop);

  for (n = 1; n < 100; n++) {
    cb_reset();
    test_alloc_install(0);
    assert_int_equal(uv_loop_init(&loop), 0);
    test_alloc.fail_at = test_alloc.calls + n;
    assert_int_equal(uv_random(NULL, NULL, buf, sizeof(buf), 0, NULL), 0);
    r = uv_random(&loop, &req, buf, sizeof(buf), 0, random_cb);
    if (r == 0) {
      assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
      assert_int_equal(cb.calls, 1);
      assert_int_equal(cb.status, 0);
    } else {
      assert_int_equal(r, UV_ENOMEM);
      assert_int_equal(test_alloc.failures, 1);
      assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
      assert_int_equal(cb.calls, 0);
    }
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_restore();
    if (test_alloc.failures == 0) break; /* past the last allocation */
  }
  assert_true(n < 100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(random_sync_fills_buffer),
      cmocka_unit_test(random_sync_large),
      cmocka_unit_test(random_sync_exact_length),
      cmocka_unit_test(random_zero_length),
      cmocka_unit_test(random_bad_arguments),
      cmocka_unit_test(eddy_random_null_arguments),
      cmocka_unit_test(random_async),
      cmocka_unit_test(random_async_many),
      cmocka_unit_test(random_cancel),
      cmocka_unit_test(random_fallback_without_getrandom),
      cmocka_unit_test(random_alloc_failures),
  };
  /* Before the pool starts: the cancellation test occupies every worker. */
  setenv("UV_THREADPOOL_SIZE", "4", 1);
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
