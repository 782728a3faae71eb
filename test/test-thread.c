/* eddy tests — threads and synchronisation primitives (src/unix/thread.c).
 *
 * What is asserted is libuv's behaviour: the file also builds against the
 * system's libuv (gcc -std=gnu11 -D_GNU_SOURCE test/test-thread.c -Itest
 * -lcmocka -luv -lpthread, without eddy's include/) and passes there.  Tests
 * of functions newer than that libuv compile out by UV_VERSION_HEX; the
 * tests named eddy_* check eddy's answers to bad input where libuv crashes,
 * and skip themselves on libuv.  EDDY_TEST_SKIP=pattern skips tests by name.
 *
 * Threads are ordered by semaphores and mutexes, never by sleeping, so that
 * every outcome is decided (one short pause only gives a broken timed wait
 * the chance to show); a broken wake-up shows as a hang, which ctest's
 * timeout reports.  Timed waits are checked for a lower bound only.  Nothing
 * here changes the main thread's name, affinity or priority: those tests run
 * in a thread of their own. */
#include "test-helpers.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The libuv releases that added what the system's libuv may lack. */
#define UV_HAS_AFFINITY (UV_VERSION_HEX >= 0x012d00) /* 1.45 */
#define UV_HAS_PRIORITY (UV_VERSION_HEX >= 0x013000) /* 1.48 */
#define UV_HAS_NAMES (UV_VERSION_HEX >= 0x013200)    /* 1.50 */
#define UV_HAS_DETACH (UV_VERSION_HEX >= 0x013200)   /* 1.50 */

#define NS_PER_MS UINT64_C(1000000)
#define NS_PER_SEC UINT64_C(1000000000)

static uint64_t monotonic_ns(void) {
  struct timespec t;
  assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &t), 0);
  return (uint64_t)t.tv_sec * NS_PER_SEC + (uint64_t)t.tv_nsec;
}

/* Reads fd to its end, keeping the first size - 1 bytes in out: the writer
 * must never block or get SIGPIPE (a sanitizer's report can be long). */
static void read_all(int fd, char* out, size_t size) {
  char scratch[512];
  size_t len = 0;
  ssize_t n;

  for (;;) {
    if (len < size - 1)
      n = read(fd, out + len, size - 1 - len);
    else
      n = read(fd, scratch, sizeof(scratch));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (len < size - 1) len += (size_t)n;
  }
  out[len] = '\0';
}

/* Runs fn in a child whose stderr goes to a pipe; returns the wait status
 * and what the child wrote (at most size - 1 bytes). */
static int run_in_child(void (*fn)(void), char* out, size_t size) {
  int fds[2];
  pid_t pid;
  int wstatus;

  assert_int_equal(pipe(fds), 0);
  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* A crash must end the child, not unwind into cmocka's runner. */
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    signal(SIGABRT, SIG_DFL);
    close(fds[0]);
    if (dup2(fds[1], STDERR_FILENO) < 0) _exit(100);
    fn();
    _exit(0);
  }
  close(fds[1]);
  read_all(fds[0], out, size);
  close(fds[0]);
  assert_int_equal(waitpid(pid, &wstatus, 0), pid);
  return wstatus;
}

/* The child must have died of SIGABRT; on eddy its message names func. */
static void assert_aborts(void (*fn)(void), const char* func) {
  char out[16384];
  int wstatus = run_in_child(fn, out, sizeof(out));
  if (!WIFSIGNALED(wstatus))
    fail_msg("%s: the child was not killed by a signal (exit status %d)", func,
             WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  assert_int_equal(WTERMSIG(wstatus), SIGABRT);
  if (TEST_ON_EDDY) {
    /* uv__fatal's format; a sanitizer's report may name func too. */
    char expected[128];
    snprintf(expected, sizeof(expected), "eddy: %s(", func);
    if (strstr(out, expected) == NULL)
      fail_msg("the message does not name %s: \"%s\"", func, out);
  }
}

/* cmocka's assertions jump back into the test's frame, which only the
 * thread running the test may do; other threads note their first failure
 * here, and the test reports it once it has joined them. */
static atomic_int thread_failed_line;
static const char* _Atomic thread_failed_expr;

static void note_thread_failure(int line, const char* expr) {
  int none = 0;
  if (atomic_compare_exchange_strong(&thread_failed_line, &none, line))
    atomic_store(&thread_failed_expr, expr);
}

#define THREAD_CHECK(cond)                             \
  do {                                                 \
    if (!(cond)) note_thread_failure(__LINE__, #cond); \
  } while (0)

static void assert_threads_passed(void) {
  int line = atomic_exchange(&thread_failed_line, 0);
  if (line != 0)
    fail_msg("a thread failed at line %d: %s", line,
             atomic_load(&thread_failed_expr));
}

/* ---- create, join, self, equal ------------------------------------------- */

struct runner {
  uv_sem_t go;
  uv_thread_t tid; /* written by the creator before it posts go */
  int index;
  int ran;
  int self_matches;
  int equal_to_main;
  uv_thread_t main_thread;
};

static void runner_main(void* arg) {
  struct runner* r = arg;
  uv_thread_t self;
  uv_sem_wait(&r->go);
  self = uv_thread_self();
  r->ran = r->index + 1;
  r->self_matches = uv_thread_equal(&self, &r->tid) != 0;
  r->equal_to_main = uv_thread_equal(&self, &r->main_thread) != 0;
}

static void threads_run_and_join(void** state) {
  struct runner r[4];
  int i;
  (void)state;

  for (i = 0; i < 4; i++) {
    memset(&r[i], 0, sizeof(r[i]));
    assert_int_equal(uv_sem_init(&r[i].go, 0), 0);
    r[i].index = i;
    r[i].main_thread = uv_thread_self();
    assert_int_equal(uv_thread_create(&r[i].tid, runner_main, &r[i]), 0);
    uv_sem_post(&r[i].go);
  }
  for (i = 0; i < 4; i++) {
    assert_int_equal(uv_thread_join(&r[i].tid), 0);
    assert_int_equal(r[i].ran, i + 1);
    assert_true(r[i].self_matches);
    assert_false(r[i].equal_to_main);
    uv_sem_destroy(&r[i].go);
  }
}

static void self_equals_self(void** state) {
  uv_thread_t a = uv_thread_self();
  uv_thread_t b = uv_thread_self();
  (void)state;
  assert_true(uv_thread_equal(&a, &b) != 0);
  assert_true(pthread_equal(a, pthread_self()) != 0);
}

/* libuv has no UV_EDEADLK: the code is the negated errno all the same. */
static void join_self_is_edeadlk(void** state) {
  uv_thread_t self = uv_thread_self();
  (void)state;
  assert_int_equal(uv_thread_join(&self), -EDEADLK);
}

/* ---- stack sizes --------------------------------------------------------- */

static void record_stack_size(void* arg) {
  pthread_attr_t attr;
  size_t* size = arg;
  THREAD_CHECK(pthread_getattr_np(pthread_self(), &attr) == 0);
  THREAD_CHECK(pthread_attr_getstacksize(&attr, size) == 0);
  THREAD_CHECK(pthread_attr_destroy(&attr) == 0);
}

static size_t stack_of_thread(unsigned int flags, size_t stack_size) {
  uv_thread_options_t opts;
  uv_thread_t tid;
  size_t got = 0;
  memset(&opts, 0, sizeof(opts));
  opts.flags = flags;
  opts.stack_size = stack_size;
  assert_int_equal(uv_thread_create_ex(&tid, &opts, record_stack_size, &got),
                   0);
  assert_int_equal(uv_thread_join(&tid), 0);
  assert_threads_passed();
  return got;
}

static size_t page(void) { return (size_t)sysconf(_SC_PAGESIZE); }

static void create_ex_gives_the_stack_asked_for(void** state) {
  size_t got;
  (void)state;

  got = stack_of_thread(UV_THREAD_HAS_STACK_SIZE, 256 * 1024);
  assert_true(got >= 256 * 1024);

  /* Rounded up to whole pages. */
  got = stack_of_thread(UV_THREAD_HAS_STACK_SIZE, 100000);
  assert_true(got >= (100000 + page() - 1) / page() * page());

  /* And to at least PTHREAD_STACK_MIN. */
  got = stack_of_thread(UV_THREAD_HAS_STACK_SIZE, 1);
  assert_true(got >= (size_t)PTHREAD_STACK_MIN);
  got = stack_of_thread(UV_THREAD_HAS_STACK_SIZE, page());
  assert_true(got >= (size_t)PTHREAD_STACK_MIN);
}

/* What libuv gives a thread when no size is asked for: RLIMIT_STACK
 * rounded down to pages, or 2 MiB when that is unlimited or smaller than
 * PTHREAD_STACK_MIN. */
static size_t libuv_default_stack(rlim_t limit) {
  rlim_t size;
  if (limit == RLIM_INFINITY) return (size_t)2 << 20;
  size = limit - limit % page();
  if (size < (rlim_t)PTHREAD_STACK_MIN) return (size_t)2 << 20;
  return (size_t)size;
}

static rlim_t current_stack_limit(void) {
  struct rlimit lim;
  assert_int_equal(getrlimit(RLIMIT_STACK, &lim), 0);
  return lim.rlim_cur;
}

/* glibc keeps the stacks of finished threads and gives a new thread one up
 * to four times the size it asked for, so here a thread may get more than
 * the default. */
static void default_stack_is_at_least_the_default(void** state) {
  size_t expected = libuv_default_stack(current_stack_limit());
  (void)state;

  assert_true(stack_of_thread(UV_THREAD_NO_FLAGS, 0) >= expected);
  /* Size 0 with the flag, or a size without the flag: the default. */
  assert_true(stack_of_thread(UV_THREAD_HAS_STACK_SIZE, 0) >= expected);
  assert_true(stack_of_thread(UV_THREAD_NO_FLAGS, 100000) >= expected);
}

/* The exact size needs a process with no stacks cached: this program run
 * again as "test-thread --default-stack LIMIT", which sets RLIMIT_STACK to
 * LIMIT ("unlimited", a number of bytes, or "keep"), starts one thread and
 * prints its stack size, or "skip" when the limit cannot be set. */
static int default_stack_child(const char* limit) {
  struct rlimit lim;
  size_t got = 0;

  if (getrlimit(RLIMIT_STACK, &lim) != 0) return 1;
  if (strcmp(limit, "unlimited") == 0)
    lim.rlim_cur = RLIM_INFINITY;
  else if (strcmp(limit, "keep") != 0)
    lim.rlim_cur = (rlim_t)strtoull(limit, NULL, 10);
  if (setrlimit(RLIMIT_STACK, &lim) != 0) {
    printf("skip\n");
    return 0;
  }
  {
    uv_thread_t tid;
    if (uv_thread_create(&tid, record_stack_size, &got) != 0) return 2;
    if (uv_thread_join(&tid) != 0) return 3;
  }
  if (atomic_load(&thread_failed_line) != 0) return 4;
  printf("%zu\n", got);
  return 0;
}

/* Returns the child's stack size, 0 for "skip". */
static size_t default_stack_in_fresh_process(const char* limit) {
  char out[64];
  int fds[2];
  pid_t pid;
  int wstatus;

  assert_int_equal(pipe(fds), 0);
  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    if (dup2(fds[1], STDOUT_FILENO) < 0) _exit(100);
    execl(self_exe(), "test-thread", "--default-stack", limit,
          (char*)NULL);
    _exit(101);
  }
  close(fds[1]);
  read_all(fds[0], out, sizeof(out));
  close(fds[0]);
  assert_int_equal(waitpid(pid, &wstatus, 0), pid);
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
    fail_msg("the child for limit %s failed (status 0x%x): \"%s\"", limit,
             (unsigned int)wstatus, out);
  if (strcmp(out, "skip\n") == 0) return 0;
  return (size_t)strtoull(out, NULL, 10);
}

static void default_stack_follows_rlimit_stack(void** state) {
  char limit[32];
  size_t got;
  (void)state;

  /* The limit the tests run with. */
  got = default_stack_in_fresh_process("keep");
  assert_int_equal(got, libuv_default_stack(current_stack_limit()));

  /* Rounded down to whole pages. */
  snprintf(limit, sizeof(limit), "%zu", ((size_t)1 << 20) + 1000);
  got = default_stack_in_fresh_process(limit);
  if (got != 0) assert_int_equal(got, (size_t)1 << 20);

  /* Unlimited, or too small to use: 2 MiB. */
  got = default_stack_in_fresh_process("unlimited");
  if (got != 0) assert_int_equal(got, (size_t)2 << 20);
  snprintf(limit, sizeof(limit), "%zu", (size_t)PTHREAD_STACK_MIN - 1);
  got = default_stack_in_fresh_process(limit);
  if (got != 0) assert_int_equal(got, (size_t)2 << 20);
}

/* ---- detach -------------------------------------------------------------- */

#if UV_HAS_DETACH
struct detached {
  uv_sem_t go;
  uv_sem_t done;
  int ran;
  int detach_state;
};

static void detached_main(void* arg) {
  struct detached* d = arg;
  pthread_attr_t attr;
  uv_sem_wait(&d->go); /* posted once uv_thread_detach has returned */
  THREAD_CHECK(pthread_getattr_np(pthread_self(), &attr) == 0);
  THREAD_CHECK(pthread_attr_getdetachstate(&attr, &d->detach_state) == 0);
  THREAD_CHECK(pthread_attr_destroy(&attr) == 0);
  d->ran = 1;
  uv_sem_post(&d->done);
}

static void detach_lets_a_thread_finish_alone(void** state) {
  struct detached d;
  uv_thread_t tid;
  (void)state;

  memset(&d, 0, sizeof(d));
  assert_int_equal(uv_sem_init(&d.go, 0), 0);
  assert_int_equal(uv_sem_init(&d.done, 0), 0);
  assert_int_equal(uv_thread_create(&tid, detached_main, &d), 0);
  assert_int_equal(uv_thread_detach(&tid), 0);
  uv_sem_post(&d.go);
  uv_sem_wait(&d.done);
  assert_threads_passed();
  assert_int_equal(d.ran, 1);
  assert_int_equal(d.detach_state, PTHREAD_CREATE_DETACHED);
  uv_sem_destroy(&d.go);
  uv_sem_destroy(&d.done);
}
#endif

/* ---- eddy: bad arguments to thread creation ------------------------------ */

static void nothing(void* arg) { (void)arg; }

static void eddy_thread_create_rejects_bad_input(void** state) {
  uv_thread_options_t opts;
  uv_thread_t tid;
  (void)state;
  EDDY_ONLY();

  assert_int_equal(uv_thread_create(NULL, nothing, NULL), UV_EINVAL);
  assert_int_equal(uv_thread_create(&tid, NULL, NULL), UV_EINVAL);
  assert_int_equal(uv_thread_create_ex(&tid, NULL, nothing, NULL), UV_EINVAL);

  memset(&opts, 0, sizeof(opts));
  opts.flags = 0x100; /* no such flag */
  assert_int_equal(uv_thread_create_ex(&tid, &opts, nothing, NULL), UV_EINVAL);

  /* A size that cannot be rounded up to a page (libuv wraps it to 0). */
  opts.flags = UV_THREAD_HAS_STACK_SIZE;
  opts.stack_size = SIZE_MAX;
  assert_int_equal(uv_thread_create_ex(&tid, &opts, nothing, NULL), UV_EINVAL);

  assert_int_equal(uv_thread_join(NULL), UV_EINVAL);
#if UV_HAS_DETACH
  assert_int_equal(uv_thread_detach(NULL), UV_EINVAL);
#endif
}

static void equal_null(void) {
  uv_thread_t self = uv_thread_self();
  (void)uv_thread_equal(&self, NULL);
}

static void eddy_thread_equal_null_aborts(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_aborts(equal_null, "uv_thread_equal");
}

/* ---- names --------------------------------------------------------------- */

#if UV_HAS_NAMES
struct named {
  uv_sem_t named;
  uv_sem_t release;
  const char* name;
  int set_result;
  char got[64];
};

static void named_main(void* arg) {
  struct named* n = arg;
  uv_thread_t self = uv_thread_self();
  n->set_result = uv_thread_setname(n->name);
  THREAD_CHECK(uv_thread_getname(&self, n->got, sizeof(n->got)) == 0);
  uv_sem_post(&n->named);
  uv_sem_wait(&n->release);
}

/* Names a new thread, then checks what it reads itself and what another
 * thread reads of it. */
static void check_thread_name(const char* name, const char* expected) {
  struct named n;
  uv_thread_t tid;
  char other[64];

  memset(&n, 0, sizeof(n));
  n.name = name;
  assert_int_equal(uv_sem_init(&n.named, 0), 0);
  assert_int_equal(uv_sem_init(&n.release, 0), 0);
  assert_int_equal(uv_thread_create(&tid, named_main, &n), 0);
  uv_sem_wait(&n.named);
  assert_threads_passed();
  assert_int_equal(n.set_result, 0);
  assert_string_equal(n.got, expected);
  assert_int_equal(uv_thread_getname(&tid, other, sizeof(other)), 0);
  assert_string_equal(other, expected);
  uv_sem_post(&n.release);
  assert_int_equal(uv_thread_join(&tid), 0);
  uv_sem_destroy(&n.named);
  uv_sem_destroy(&n.release);
}

static void setname_getname_round_trip(void** state) {
  (void)state;
  check_thread_name("worker-thread", "worker-thread");
  check_thread_name("", "");
  check_thread_name("~\xc2\xbd\xc2\xac{\xc2\xbd", "~\xc2\xbd\xc2\xac{\xc2\xbd");
  /* 15 bytes is what Linux keeps. */
  check_thread_name("abcdefghijklmno", "abcdefghijklmno");
}

static void setname_truncates_to_15_bytes(void** state) {
  (void)state;
  check_thread_name("abcdefghijklmnop", "abcdefghijklmno");
  check_thread_name("a-very-long-thread-name-indeed", "a-very-long-thr");
}

static void getname_truncates_to_the_buffer(void* arg) {
  uv_thread_t self = uv_thread_self();
  char buf[8];
  (void)arg;
  THREAD_CHECK(uv_thread_setname("worker-thread") == 0);

  memset(buf, 'x', sizeof(buf));
  THREAD_CHECK(uv_thread_getname(&self, buf, 3) == 0);
  THREAD_CHECK(strcmp(buf, "wo") == 0);
  THREAD_CHECK(buf[3] == 'x'); /* nothing written past size */

  THREAD_CHECK(uv_thread_getname(&self, buf, 1) == 0);
  THREAD_CHECK(strcmp(buf, "") == 0);
  THREAD_CHECK(uv_thread_getname(&self, buf, sizeof(buf)) == 0);
  THREAD_CHECK(strcmp(buf, "worker-") == 0);
}

static void getname_into_a_small_buffer(void** state) {
  uv_thread_t tid;
  (void)state;
  assert_int_equal(
      uv_thread_create(&tid, getname_truncates_to_the_buffer, NULL), 0);
  assert_int_equal(uv_thread_join(&tid), 0);
  assert_threads_passed();
}

static void names_reject_bad_input(void** state) {
  uv_thread_t self = uv_thread_self();
  char buf[16];
  (void)state;
  assert_int_equal(uv_thread_setname(NULL), UV_EINVAL);
  assert_int_equal(uv_thread_getname(&self, NULL, sizeof(buf)), UV_EINVAL);
  assert_int_equal(uv_thread_getname(&self, buf, 0), UV_EINVAL);
}

static void eddy_getname_null_thread(void** state) {
  char buf[16];
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_thread_getname(NULL, buf, sizeof(buf)), UV_EINVAL);
}
#endif

/* ---- affinity and CPUs --------------------------------------------------- */

static int allowed_count(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
  return CPU_COUNT(&set);
}

static void available_parallelism_counts_allowed_cpus(void** state) {
  (void)state;
  /* libuv since 1.49 may also cap it by a cgroup CPU quota. */
  assert_true(uv_available_parallelism() >= 1);
  assert_true(uv_available_parallelism() <= (unsigned int)allowed_count());
  if (TEST_ON_EDDY || UV_VERSION_HEX < 0x013100)
    assert_int_equal(uv_available_parallelism(), (unsigned int)allowed_count());
}

#if UV_HAS_AFFINITY
static int cpu0_allowed(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
  return CPU_ISSET(0, &set);
}

static void cpumask_size_is_cpu_setsize(void** state) {
  (void)state;
  assert_int_equal(uv_cpumask_size(), CPU_SETSIZE);
}

static void getaffinity_matches_sched_getaffinity(void** state) {
  uv_thread_t self = uv_thread_self();
  cpu_set_t set;
  char* mask;
  int n = uv_cpumask_size();
  int i;
  (void)state;

  mask = malloc((size_t)n + 16);
  assert_non_null(mask);
  memset(mask, 7, (size_t)n + 16);
  assert_int_equal(uv_thread_getaffinity(&self, mask, (size_t)n), 0);
  CPU_ZERO(&set);
  assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
  for (i = 0; i < n; i++) assert_int_equal(mask[i], CPU_ISSET(i, &set) ? 1 : 0);
  free(mask);
}

struct pinned {
  int skipped;
  int oldmask_matches;
  int cpu;
  unsigned int parallelism;
};

/* Pins the calling thread to CPU 0 and checks what can be seen of it. */
static void pin_to_cpu0(void* arg) {
  struct pinned* p = arg;
  uv_thread_t self = uv_thread_self();
  size_t n = (size_t)uv_cpumask_size();
  char* before = calloc(n, 1);
  char* mask = calloc(n, 1);
  char* old = calloc(n, 1);
  char* after = calloc(n, 1);

  if (before == NULL || mask == NULL || old == NULL || after == NULL) {
    THREAD_CHECK(!"out of memory");
    goto out;
  }
  THREAD_CHECK(uv_thread_getaffinity(&self, before, n) == 0);
  mask[0] = 1;
  THREAD_CHECK(uv_thread_setaffinity(&self, mask, old, n) == 0);
  p->oldmask_matches = memcmp(old, before, n) == 0;
  THREAD_CHECK(uv_thread_getaffinity(&self, after, n) == 0);
  THREAD_CHECK(memcmp(after, mask, n) == 0);
  /* Setting the calling thread's affinity moves it before returning. */
  p->cpu = uv_thread_getcpu();
  p->parallelism = uv_available_parallelism();

  /* Any non-zero byte means "allowed". */
  mask[0] = 42;
  THREAD_CHECK(uv_thread_setaffinity(&self, mask, NULL, n) == 0);
  THREAD_CHECK(uv_thread_getaffinity(&self, after, n) == 0);
  THREAD_CHECK(after[0] == 1);

out:
  free(before);
  free(mask);
  free(old);
  free(after);
}

static void setaffinity_round_trip_on_cpu0(void** state) {
  struct pinned p;
  uv_thread_t tid;
  (void)state;
  if (!cpu0_allowed()) skip();

  memset(&p, 0, sizeof(p));
  assert_int_equal(uv_thread_create(&tid, pin_to_cpu0, &p), 0);
  assert_int_equal(uv_thread_join(&tid), 0);
  assert_threads_passed();
  assert_true(p.oldmask_matches);
  assert_int_equal(p.cpu, 0);
  assert_int_equal(p.parallelism, 1);
}

/* Another thread's affinity, set from outside while it waits. */
static void wait_on_sem(void* arg) { uv_sem_wait(arg); }

static void setaffinity_of_another_thread(void** state) {
  uv_sem_t release;
  uv_thread_t tid;
  size_t n = (size_t)uv_cpumask_size();
  char* mask = calloc(n, 1);
  char* got = calloc(n, 1);
  (void)state;
  if (!cpu0_allowed()) skip();

  assert_non_null(mask);
  assert_non_null(got);
  assert_int_equal(uv_sem_init(&release, 0), 0);
  assert_int_equal(uv_thread_create(&tid, wait_on_sem, &release), 0);
  mask[0] = 1;
  assert_int_equal(uv_thread_setaffinity(&tid, mask, NULL, n), 0);
  assert_int_equal(uv_thread_getaffinity(&tid, got, n), 0);
  assert_memory_equal(got, mask, n);
  uv_sem_post(&release);
  assert_int_equal(uv_thread_join(&tid), 0);
  uv_sem_destroy(&release);
  free(mask);
  free(got);
}

static void affinity_rejects_bad_masks(void** state) {
  uv_thread_t self = uv_thread_self();
  size_t n = (size_t)uv_cpumask_size();
  char* mask = calloc(n, 1);
  char* before = calloc(n, 1);
  char* after = calloc(n, 1);
  (void)state;

  assert_non_null(mask);
  assert_non_null(before);
  assert_non_null(after);
  assert_int_equal(uv_thread_getaffinity(&self, before, n), 0);
  /* A buffer smaller than uv_cpumask_size(). */
  assert_int_equal(uv_thread_getaffinity(&self, mask, n - 1), UV_EINVAL);
  assert_int_equal(uv_thread_getaffinity(&self, mask, 0), UV_EINVAL);
  memcpy(mask, before, n);
  assert_int_equal(uv_thread_setaffinity(&self, mask, NULL, n - 1), UV_EINVAL);
  /* No CPU at all. */
  memset(mask, 0, n);
  assert_int_equal(uv_thread_setaffinity(&self, mask, NULL, n), UV_EINVAL);
  /* Nothing changed. */
  assert_int_equal(uv_thread_getaffinity(&self, after, n), 0);
  assert_memory_equal(after, before, n);
  free(mask);
  free(before);
  free(after);
}

static void getcpu_is_in_range(void** state) {
  int cpu = uv_thread_getcpu();
  (void)state;
  assert_true(cpu >= 0);
  assert_true(cpu < uv_cpumask_size());
  assert_true(cpu < (int)sysconf(_SC_NPROCESSORS_CONF));
}

static void eddy_affinity_null_arguments(void** state) {
  uv_thread_t self = uv_thread_self();
  size_t n = (size_t)uv_cpumask_size();
  char* mask = calloc(n, 1);
  (void)state;
  EDDY_ONLY();
  assert_non_null(mask);
  assert_int_equal(uv_thread_getaffinity(NULL, mask, n), UV_EINVAL);
  assert_int_equal(uv_thread_getaffinity(&self, NULL, n), UV_EINVAL);
  assert_int_equal(uv_thread_setaffinity(NULL, mask, NULL, n), UV_EINVAL);
  assert_int_equal(uv_thread_setaffinity(&self, NULL, NULL, n), UV_EINVAL);
  free(mask);
}
#endif

/* ---- priorities ---------------------------------------------------------- */

#if UV_HAS_PRIORITY
struct prio {
  int not_sched_other;
  int initial_nice;
  int got_initial;
  int below_normal;
  int lowest;
  int got_after;
  int highest;
  int got_highest;
};

/* Under SCHED_OTHER the calling thread's priority is its nice value. */
static void nice_steps(void* arg) {
  struct prio* p = arg;
  uv_thread_t self = uv_thread_self();
  struct sched_param param;
  int policy;

  THREAD_CHECK(pthread_getschedparam(self, &policy, &param) == 0);
  if (policy != SCHED_OTHER) {
    p->not_sched_other = 1;
    return;
  }
  errno = 0;
  p->initial_nice = getpriority(PRIO_PROCESS, 0);
  THREAD_CHECK(errno == 0);
  THREAD_CHECK(uv_thread_getpriority(self, &p->got_initial) == 0);
  if (p->initial_nice > 2) return; /* raising nice further is all we may do */
  p->below_normal =
      uv_thread_setpriority(self, UV_THREAD_PRIORITY_BELOW_NORMAL);
  p->lowest = uv_thread_setpriority(self, UV_THREAD_PRIORITY_LOWEST);
  THREAD_CHECK(uv_thread_getpriority(self, &p->got_after) == 0);
  /* Lowering nice needs CAP_SYS_NICE (or RLIMIT_NICE). */
  p->highest = uv_thread_setpriority(self, UV_THREAD_PRIORITY_HIGHEST);
  THREAD_CHECK(uv_thread_getpriority(self, &p->got_highest) == 0);
}

static void calling_thread_priority_is_its_nice_value(void** state) {
  struct prio p;
  uv_thread_t tid;
  (void)state;

  memset(&p, 0, sizeof(p));
  assert_int_equal(uv_thread_create(&tid, nice_steps, &p), 0);
  assert_int_equal(uv_thread_join(&tid), 0);
  assert_threads_passed();
  if (p.not_sched_other) skip();
  assert_int_equal(p.got_initial, p.initial_nice);
  if (p.initial_nice > 2) skip();
  assert_int_equal(p.below_normal, 0);
  assert_int_equal(p.lowest, 0);
  /* libuv: two nice levels per step, and the nice value is reported. */
  assert_int_equal(p.got_after, -2 * UV_THREAD_PRIORITY_LOWEST);
  if (p.highest == 0) {
    assert_int_equal(p.got_highest, -2 * UV_THREAD_PRIORITY_HIGHEST);
  } else {
    assert_int_equal(p.highest, UV_EACCES);
    assert_int_equal(p.got_highest, -2 * UV_THREAD_PRIORITY_LOWEST);
  }
}

/* Another thread under SCHED_OTHER has static priority 0, the policy's
 * whole range; setting it changes nothing. */
static void other_thread_priority_is_the_static_one(void** state) {
  uv_sem_t release;
  uv_thread_t tid;
  struct sched_param param;
  int policy;
  int prio = -100;
  (void)state;

  assert_int_equal(uv_sem_init(&release, 0), 0);
  assert_int_equal(uv_thread_create(&tid, wait_on_sem, &release), 0);
  assert_int_equal(pthread_getschedparam(tid, &policy, &param), 0);
  assert_int_equal(uv_thread_getpriority(tid, &prio), 0);
  assert_int_equal(prio, param.sched_priority);
  assert_int_equal(uv_thread_setpriority(tid, UV_THREAD_PRIORITY_LOWEST), 0);
  assert_int_equal(uv_thread_getpriority(tid, &prio), 0);
  assert_int_equal(prio, sched_get_priority_min(policy));
  uv_sem_post(&release);
  assert_int_equal(uv_thread_join(&tid), 0);
  uv_sem_destroy(&release);
}

static void priority_rejects_bad_input(void** state) {
  uv_thread_t self = uv_thread_self();
  (void)state;
  assert_int_equal(uv_thread_getpriority(self, NULL), UV_EINVAL);
  assert_int_equal(uv_thread_setpriority(self, UV_THREAD_PRIORITY_HIGHEST + 1),
                   UV_EINVAL);
  assert_int_equal(uv_thread_setpriority(self, UV_THREAD_PRIORITY_LOWEST - 1),
                   UV_EINVAL);
}
#endif

/* ---- mutexes ------------------------------------------------------------- */

#define CONTENDERS 4
#define INCREMENTS 10000

struct counter {
  uv_mutex_t mutex;
  uv_barrier_t start;
  long value;
};

static void increment_many(void* arg) {
  struct counter* c = arg;
  int i;
  uv_barrier_wait(&c->start); /* all contend from the first increment */
  for (i = 0; i < INCREMENTS; i++) {
    uv_mutex_lock(&c->mutex);
    c->value++;
    uv_mutex_unlock(&c->mutex);
  }
}

static void mutex_serialises_contenders(void** state) {
  struct counter c;
  uv_thread_t tids[CONTENDERS];
  int i;
  (void)state;

  c.value = 0;
  assert_int_equal(uv_mutex_init(&c.mutex), 0);
  assert_int_equal(uv_barrier_init(&c.start, CONTENDERS), 0);
  for (i = 0; i < CONTENDERS; i++)
    assert_int_equal(uv_thread_create(&tids[i], increment_many, &c), 0);
  for (i = 0; i < CONTENDERS; i++)
    assert_int_equal(uv_thread_join(&tids[i]), 0);
  assert_int_equal(c.value, (long)CONTENDERS * INCREMENTS);
  uv_barrier_destroy(&c.start);
  uv_mutex_destroy(&c.mutex);
}

struct try_from_other {
  uv_mutex_t* mutex;
  int result;
};

static void trylock_from_other(void* arg) {
  struct try_from_other* t = arg;
  t->result = uv_mutex_trylock(t->mutex);
  if (t->result == 0) uv_mutex_unlock(t->mutex);
}

static int trylock_in_another_thread(uv_mutex_t* mutex) {
  struct try_from_other t = {mutex, -12345};
  uv_thread_t tid;
  assert_int_equal(uv_thread_create(&tid, trylock_from_other, &t), 0);
  assert_int_equal(uv_thread_join(&tid), 0);
  return t.result;
}

static void trylock_of_a_held_mutex_is_ebusy(void** state) {
  uv_mutex_t m;
  (void)state;

  assert_int_equal(uv_mutex_init(&m), 0);
  assert_int_equal(uv_mutex_trylock(&m), 0);
  assert_int_equal(trylock_in_another_thread(&m), UV_EBUSY);
  /* A plain mutex is not recursive: its holder cannot take it again. */
  assert_int_equal(uv_mutex_trylock(&m), UV_EBUSY);
  uv_mutex_unlock(&m);
  assert_int_equal(trylock_in_another_thread(&m), 0);
  uv_mutex_lock(&m);
  assert_int_equal(trylock_in_another_thread(&m), UV_EBUSY);
  uv_mutex_unlock(&m);
  uv_mutex_destroy(&m);
}

static void recursive_mutex_nests(void** state) {
  uv_mutex_t m;
  (void)state;

  assert_int_equal(uv_mutex_init_recursive(&m), 0);
  uv_mutex_lock(&m);
  uv_mutex_lock(&m);
  assert_int_equal(uv_mutex_trylock(&m), 0);
  assert_int_equal(trylock_in_another_thread(&m), UV_EBUSY);
  uv_mutex_unlock(&m);
  uv_mutex_unlock(&m);
  /* Still held once. */
  assert_int_equal(trylock_in_another_thread(&m), UV_EBUSY);
  uv_mutex_unlock(&m);
  assert_int_equal(trylock_in_another_thread(&m), 0);
  uv_mutex_destroy(&m);
}

static void destroy_locked_mutex(void) {
  uv_mutex_t m;
  if (uv_mutex_init(&m) != 0) _exit(101);
  uv_mutex_lock(&m);
  uv_mutex_destroy(&m);
}

static void unlock_unowned_recursive_mutex(void) {
  uv_mutex_t m;
  if (uv_mutex_init_recursive(&m) != 0) _exit(101);
  uv_mutex_unlock(&m);
}

/* libuv aborts when a void function's pthread call fails. */
static void mutex_misuse_aborts(void** state) {
  (void)state;
  assert_aborts(destroy_locked_mutex, "uv_mutex_destroy");
  assert_aborts(unlock_unowned_recursive_mutex, "uv_mutex_unlock");
}

static void lock_null_mutex(void) { uv_mutex_lock(NULL); }

static void eddy_null_mutex(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_mutex_init(NULL), UV_EINVAL);
  assert_int_equal(uv_mutex_init_recursive(NULL), UV_EINVAL);
  assert_int_equal(uv_mutex_trylock(NULL), UV_EINVAL);
  assert_aborts(lock_null_mutex, "uv_mutex_lock");
}

/* ---- read-write locks ---------------------------------------------------- */

struct try_rw {
  uv_rwlock_t* lock;
  int rd;
  int wr;
};

static void try_rw_from_other(void* arg) {
  struct try_rw* t = arg;
  t->rd = uv_rwlock_tryrdlock(t->lock);
  if (t->rd == 0) uv_rwlock_rdunlock(t->lock);
  t->wr = uv_rwlock_trywrlock(t->lock);
  if (t->wr == 0) uv_rwlock_wrunlock(t->lock);
}

static struct try_rw try_rw_in_another_thread(uv_rwlock_t* lock) {
  struct try_rw t = {lock, -12345, -12345};
  uv_thread_t tid;
  assert_int_equal(uv_thread_create(&tid, try_rw_from_other, &t), 0);
  assert_int_equal(uv_thread_join(&tid), 0);
  return t;
}

static void rwlock_readers_share_writers_exclude(void** state) {
  uv_rwlock_t lock;
  struct try_rw t;
  (void)state;

  assert_int_equal(uv_rwlock_init(&lock), 0);
  t = try_rw_in_another_thread(&lock);
  assert_int_equal(t.rd, 0);
  assert_int_equal(t.wr, 0);

  /* Held for reading: another reader gets in, a writer does not. */
  uv_rwlock_rdlock(&lock);
  t = try_rw_in_another_thread(&lock);
  assert_int_equal(t.rd, 0);
  assert_int_equal(t.wr, UV_EBUSY);
  assert_int_equal(uv_rwlock_tryrdlock(&lock), 0); /* a second read hold */
  uv_rwlock_rdunlock(&lock);
  uv_rwlock_rdunlock(&lock);

  /* Held for writing: nobody else gets in, the writer neither. */
  uv_rwlock_wrlock(&lock);
  t = try_rw_in_another_thread(&lock);
  assert_int_equal(t.rd, UV_EBUSY);
  assert_int_equal(t.wr, UV_EBUSY);
  assert_int_equal(uv_rwlock_tryrdlock(&lock), UV_EBUSY);
  assert_int_equal(uv_rwlock_trywrlock(&lock), UV_EBUSY);
  uv_rwlock_wrunlock(&lock);

  assert_int_equal(uv_rwlock_trywrlock(&lock), 0);
  uv_rwlock_wrunlock(&lock);
  uv_rwlock_destroy(&lock);
}

#define RW_ROUNDS 2000

struct rw_shared {
  uv_rwlock_t lock;
  uv_barrier_t start;
  long a;
  long b; /* equal to a whenever the lock is not held for writing */
  atomic_int torn;
};

static void rw_writer(void* arg) {
  struct rw_shared* s = arg;
  int i;
  uv_barrier_wait(&s->start);
  for (i = 0; i < RW_ROUNDS; i++) {
    uv_rwlock_wrlock(&s->lock);
    s->a++;
    s->b++;
    uv_rwlock_wrunlock(&s->lock);
  }
}

static void rw_reader(void* arg) {
  struct rw_shared* s = arg;
  int i;
  uv_barrier_wait(&s->start);
  for (i = 0; i < RW_ROUNDS; i++) {
    uv_rwlock_rdlock(&s->lock);
    if (s->a != s->b) atomic_fetch_add(&s->torn, 1);
    uv_rwlock_rdunlock(&s->lock);
  }
}

static void rwlock_under_contention(void** state) {
  struct rw_shared s;
  uv_thread_t tids[4];
  int i;
  (void)state;

  memset(&s, 0, sizeof(s));
  atomic_init(&s.torn, 0);
  assert_int_equal(uv_rwlock_init(&s.lock), 0);
  assert_int_equal(uv_barrier_init(&s.start, 4), 0);
  for (i = 0; i < 4; i++)
    assert_int_equal(
        uv_thread_create(&tids[i], i % 2 ? rw_reader : rw_writer, &s), 0);
  for (i = 0; i < 4; i++) assert_int_equal(uv_thread_join(&tids[i]), 0);
  assert_int_equal(s.a, 2 * RW_ROUNDS);
  assert_int_equal(s.b, 2 * RW_ROUNDS);
  assert_int_equal(atomic_load(&s.torn), 0);
  uv_barrier_destroy(&s.start);
  uv_rwlock_destroy(&s.lock);
}

static void eddy_null_rwlock(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_rwlock_init(NULL), UV_EINVAL);
  assert_int_equal(uv_rwlock_tryrdlock(NULL), UV_EINVAL);
  assert_int_equal(uv_rwlock_trywrlock(NULL), UV_EINVAL);
}

/* ---- semaphores ---------------------------------------------------------- */

static void sem_counts(void** state) {
  uv_sem_t s;
  (void)state;

  assert_int_equal(uv_sem_init(&s, 0), 0);
  assert_int_equal(uv_sem_trywait(&s), UV_EAGAIN);
  uv_sem_post(&s);
  uv_sem_post(&s);
  assert_int_equal(uv_sem_trywait(&s), 0);
  uv_sem_wait(&s);
  assert_int_equal(uv_sem_trywait(&s), UV_EAGAIN);
  uv_sem_destroy(&s);

  assert_int_equal(uv_sem_init(&s, 3), 0);
  assert_int_equal(uv_sem_trywait(&s), 0);
  assert_int_equal(uv_sem_trywait(&s), 0);
  assert_int_equal(uv_sem_trywait(&s), 0);
  assert_int_equal(uv_sem_trywait(&s), UV_EAGAIN);
  uv_sem_destroy(&s);
}

static void sem_init_beyond_the_maximum_is_einval(void** state) {
  uv_sem_t s;
  (void)state;
  assert_int_equal(uv_sem_init(&s, UINT_MAX), UV_EINVAL);
}

#define HANDOFFS 1000

struct ping_pong {
  uv_sem_t ping;
  uv_sem_t pong;
  int value; /* handed back and forth, never touched by both at once */
};

static void pong_main(void* arg) {
  struct ping_pong* p = arg;
  int i;
  for (i = 0; i < HANDOFFS; i++) {
    uv_sem_wait(&p->ping);
    p->value++;
    uv_sem_post(&p->pong);
  }
}

static void sem_hands_off_between_threads(void** state) {
  struct ping_pong p;
  uv_thread_t tid;
  int i;
  (void)state;

  p.value = 0;
  assert_int_equal(uv_sem_init(&p.ping, 0), 0);
  assert_int_equal(uv_sem_init(&p.pong, 0), 0);
  assert_int_equal(uv_thread_create(&tid, pong_main, &p), 0);
  for (i = 0; i < HANDOFFS; i++) {
    p.value++;
    uv_sem_post(&p.ping);
    uv_sem_wait(&p.pong);
    assert_int_equal(p.value, 2 * (i + 1));
  }
  assert_int_equal(uv_thread_join(&tid), 0);
  uv_sem_destroy(&p.ping);
  uv_sem_destroy(&p.pong);
}

static void eddy_null_sem(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_sem_init(NULL, 0), UV_EINVAL);
  assert_int_equal(uv_sem_trywait(NULL), UV_EINVAL);
}

/* ---- condition variables ------------------------------------------------- */

#define WAITERS 4

struct gate {
  uv_mutex_t mutex;
  uv_cond_t cond;      /* the waiters wait here */
  uv_cond_t main_cond; /* main waits here for the waiters */
  int waiting;         /* waiters inside uv_cond_wait */
  int open;
  int woken;
};

static void gate_init(struct gate* g) {
  memset(g, 0, sizeof(*g));
  assert_int_equal(uv_mutex_init(&g->mutex), 0);
  assert_int_equal(uv_cond_init(&g->cond), 0);
  assert_int_equal(uv_cond_init(&g->main_cond), 0);
}

static void gate_destroy(struct gate* g) {
  uv_cond_destroy(&g->cond);
  uv_cond_destroy(&g->main_cond);
  uv_mutex_destroy(&g->mutex);
}

/* A waiter announces itself and waits in one step under the mutex, so when
 * main holds the mutex and counts n waiting, all n are inside the wait. */
static void gate_waiter(void* arg) {
  struct gate* g = arg;
  uv_mutex_lock(&g->mutex);
  g->waiting++;
  uv_cond_signal(&g->main_cond);
  while (!g->open) uv_cond_wait(&g->cond, &g->mutex);
  g->woken++;
  uv_cond_signal(&g->main_cond);
  uv_mutex_unlock(&g->mutex);
}

static void gate_wait_for(struct gate* g, int* field, int n) {
  while (*field < n) uv_cond_wait(&g->main_cond, &g->mutex);
}

static void cond_signal_wakes_a_waiter(void** state) {
  struct gate g;
  uv_thread_t tid;
  (void)state;

  gate_init(&g);
  assert_int_equal(uv_thread_create(&tid, gate_waiter, &g), 0);
  uv_mutex_lock(&g.mutex);
  gate_wait_for(&g, &g.waiting, 1);
  assert_int_equal(g.woken, 0);
  g.open = 1;
  uv_cond_signal(&g.cond);
  gate_wait_for(&g, &g.woken, 1);
  uv_mutex_unlock(&g.mutex);
  assert_int_equal(uv_thread_join(&tid), 0);
  gate_destroy(&g);
}

static void cond_broadcast_wakes_every_waiter(void** state) {
  struct gate g;
  uv_thread_t tids[WAITERS];
  int i;
  (void)state;

  gate_init(&g);
  for (i = 0; i < WAITERS; i++)
    assert_int_equal(uv_thread_create(&tids[i], gate_waiter, &g), 0);
  uv_mutex_lock(&g.mutex);
  gate_wait_for(&g, &g.waiting, WAITERS);
  g.open = 1;
  uv_cond_broadcast(&g.cond); /* one call must release all of them */
  gate_wait_for(&g, &g.woken, WAITERS);
  uv_mutex_unlock(&g.mutex);
  for (i = 0; i < WAITERS; i++) assert_int_equal(uv_thread_join(&tids[i]), 0);
  gate_destroy(&g);
}

/* Returns UV_ETIMEDOUT only once the time has passed; a spurious wake-up
 * (0 with nobody signalling) is retried. */
static void cond_timedwait_times_out(void** state) {
  uv_mutex_t m;
  uv_cond_t c;
  uint64_t timeouts[] = {1 * NS_PER_MS, 20 * NS_PER_MS, 50 * NS_PER_MS};
  uint64_t start;
  size_t i;
  int r;
  (void)state;

  assert_int_equal(uv_mutex_init(&m), 0);
  assert_int_equal(uv_cond_init(&c), 0);
  uv_mutex_lock(&m);
  for (i = 0; i < ARRAY_LEN(timeouts); i++) {
    do {
      start = monotonic_ns();
      r = uv_cond_timedwait(&c, &m, timeouts[i]);
    } while (r == 0);
    assert_int_equal(r, UV_ETIMEDOUT);
    assert_true(monotonic_ns() - start >= timeouts[i]);
  }
  /* A zero timeout has passed already. */
  assert_int_equal(uv_cond_timedwait(&c, &m, 0), UV_ETIMEDOUT);
  uv_mutex_unlock(&m);
  uv_cond_destroy(&c);
  uv_mutex_destroy(&m);
}

struct timed_waiter {
  uv_mutex_t mutex;
  uv_cond_t cond;
  uv_sem_t inside;
  uint64_t timeout;
  int signalled;
  int result;
  int timeouts; /* waits that ended in UV_ETIMEDOUT */
};

static void timed_waiter_main(void* arg) {
  struct timed_waiter* w = arg;
  uv_mutex_lock(&w->mutex);
  uv_sem_post(&w->inside); /* main cannot take the mutex until we wait */
  while (!w->signalled) {
    w->result = uv_cond_timedwait(&w->cond, &w->mutex, w->timeout);
    if (w->result == UV_ETIMEDOUT) w->timeouts++;
  }
  uv_mutex_unlock(&w->mutex);
}

/* Signals a thread waiting with the given timeout, which must not expire:
 * returns the waiter's last result, after checking that none of its waits
 * timed out.  main waits a little before signalling so that a wait that
 * ends early has the chance to show; nothing depends on how long. */
static int signal_a_timed_waiter(uint64_t timeout) {
  struct timespec pause = {0, 10 * 1000 * 1000};
  struct timed_waiter w;
  uv_thread_t tid;

  memset(&w, 0, sizeof(w));
  w.timeout = timeout;
  w.result = -12345;
  assert_int_equal(uv_mutex_init(&w.mutex), 0);
  assert_int_equal(uv_cond_init(&w.cond), 0);
  assert_int_equal(uv_sem_init(&w.inside, 0), 0);
  assert_int_equal(uv_thread_create(&tid, timed_waiter_main, &w), 0);
  uv_sem_wait(&w.inside);
  nanosleep(&pause, NULL);
  uv_mutex_lock(&w.mutex);
  w.signalled = 1;
  uv_cond_signal(&w.cond);
  uv_mutex_unlock(&w.mutex);
  assert_int_equal(uv_thread_join(&tid), 0);
  assert_int_equal(w.timeouts, 0);
  uv_sem_destroy(&w.inside);
  uv_cond_destroy(&w.cond);
  uv_mutex_destroy(&w.mutex);
  return w.result;
}

static void cond_timedwait_returns_0_when_signalled(void** state) {
  (void)state;
  /* An hour: only a signal ends this wait. */
  assert_int_equal(signal_a_timed_waiter(3600 * NS_PER_SEC), 0);
}

/* libuv 1.44 adds the timeout to the clock and wraps around: a huge
 * timeout there ends at once.  eddy waits "for ever" instead. */
static void eddy_cond_timedwait_huge_timeout_waits(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(signal_a_timed_waiter(UINT64_MAX), 0);
  assert_int_equal(signal_a_timed_waiter(UINT64_MAX - 1000), 0);
}

static void cond_wait_null_mutex(void) {
  uv_cond_t c;
  if (uv_cond_init(&c) != 0) _exit(101);
  uv_cond_wait(&c, NULL);
}

static void eddy_null_cond(void** state) {
  uv_mutex_t m;
  uv_cond_t c;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_cond_init(NULL), UV_EINVAL);
  assert_int_equal(uv_mutex_init(&m), 0);
  assert_int_equal(uv_cond_init(&c), 0);
  assert_int_equal(uv_cond_timedwait(NULL, &m, 0), UV_EINVAL);
  assert_int_equal(uv_cond_timedwait(&c, NULL, 0), UV_EINVAL);
  uv_cond_destroy(&c);
  uv_mutex_destroy(&m);
  assert_aborts(cond_wait_null_mutex, "uv_cond_wait");
}

/* ---- barriers ------------------------------------------------------------ */

#define BARRIER_THREADS 4
#define BARRIER_ROUNDS 50

struct barrier_test {
  uv_barrier_t barrier;
  atomic_int serial[BARRIER_ROUNDS];
  atomic_int other_results; /* neither 0 nor a serial return */
  atomic_int arrived[BARRIER_ROUNDS];
  atomic_int early; /* left a round before everyone arrived */
};

static void barrier_main(void* arg) {
  struct barrier_test* b = arg;
  int round;
  int r;
  for (round = 0; round < BARRIER_ROUNDS; round++) {
    atomic_fetch_add(&b->arrived[round], 1);
    r = uv_barrier_wait(&b->barrier);
    if (atomic_load(&b->arrived[round]) != BARRIER_THREADS)
      atomic_fetch_add(&b->early, 1);
    if (r > 0)
      atomic_fetch_add(&b->serial[round], 1);
    else if (r != 0)
      atomic_fetch_add(&b->other_results, 1);
  }
}

static void barrier_releases_together_with_one_serial(void** state) {
  struct barrier_test* b;
  uv_thread_t tids[BARRIER_THREADS];
  int i;
  (void)state;

  b = calloc(1, sizeof(*b));
  assert_non_null(b);
  assert_int_equal(uv_barrier_init(&b->barrier, BARRIER_THREADS), 0);
  for (i = 0; i < BARRIER_THREADS; i++)
    assert_int_equal(uv_thread_create(&tids[i], barrier_main, b), 0);
  for (i = 0; i < BARRIER_THREADS; i++)
    assert_int_equal(uv_thread_join(&tids[i]), 0);
  for (i = 0; i < BARRIER_ROUNDS; i++)
    assert_int_equal(atomic_load(&b->serial[i]), 1);
  assert_int_equal(atomic_load(&b->other_results), 0);
  assert_int_equal(atomic_load(&b->early), 0);
  uv_barrier_destroy(&b->barrier);
  free(b);
}

/* The documented pattern: the serial thread destroys the barrier. */
struct barrier_owner {
  uv_barrier_t* barrier;
  int serial;
};

static void barrier_then_destroy(void* arg) {
  struct barrier_owner* o = arg;
  if (uv_barrier_wait(o->barrier) > 0) {
    o->serial = 1;
    uv_barrier_destroy(o->barrier);
  }
}

static void barrier_serial_thread_may_destroy(void** state) {
  uv_barrier_t barrier;
  struct barrier_owner owners[BARRIER_THREADS];
  uv_thread_t tids[BARRIER_THREADS];
  int i;
  int serials = 0;
  (void)state;

  assert_int_equal(uv_barrier_init(&barrier, BARRIER_THREADS), 0);
  for (i = 0; i < BARRIER_THREADS; i++) {
    owners[i].barrier = &barrier;
    owners[i].serial = 0;
    assert_int_equal(
        uv_thread_create(&tids[i], barrier_then_destroy, &owners[i]), 0);
  }
  for (i = 0; i < BARRIER_THREADS; i++) {
    assert_int_equal(uv_thread_join(&tids[i]), 0);
    serials += owners[i].serial;
  }
  assert_int_equal(serials, 1);
}

static void barrier_of_one_and_of_none(void** state) {
  uv_barrier_t b;
  (void)state;
  assert_int_equal(uv_barrier_init(&b, 0), UV_EINVAL);
  assert_int_equal(uv_barrier_init(&b, 1), 0);
  assert_true(uv_barrier_wait(&b) > 0); /* alone, so the serial one */
  assert_true(uv_barrier_wait(&b) > 0);
  uv_barrier_destroy(&b);
}

static void eddy_null_barrier(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_barrier_init(NULL, 1), UV_EINVAL);
  assert_int_equal(uv_barrier_wait(NULL), UV_EINVAL);
}

/* ---- once ---------------------------------------------------------------- */

#define ONCE_THREADS 8

static uv_once_t once_guard = UV_ONCE_INIT;
static atomic_int once_calls;
static uv_barrier_t once_start;

static void once_callback(void) { atomic_fetch_add(&once_calls, 1); }

/* Every caller returns only after the callback has run. */
static void once_main(void* arg) {
  int* seen = arg;
  uv_barrier_wait(&once_start);
  uv_once(&once_guard, once_callback);
  *seen = atomic_load(&once_calls);
}

static void once_runs_once_across_threads(void** state) {
  uv_thread_t tids[ONCE_THREADS];
  int seen[ONCE_THREADS];
  int i;
  (void)state;

  atomic_init(&once_calls, 0);
  assert_int_equal(uv_barrier_init(&once_start, ONCE_THREADS), 0);
  for (i = 0; i < ONCE_THREADS; i++) {
    seen[i] = -1;
    assert_int_equal(uv_thread_create(&tids[i], once_main, &seen[i]), 0);
  }
  for (i = 0; i < ONCE_THREADS; i++) {
    assert_int_equal(uv_thread_join(&tids[i]), 0);
    assert_int_equal(seen[i], 1);
  }
  uv_once(&once_guard, once_callback);
  assert_int_equal(atomic_load(&once_calls), 1);
  uv_barrier_destroy(&once_start);
}

static void once_null_guard(void) { uv_once(NULL, once_callback); }

static void eddy_null_once_aborts(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_aborts(once_null_guard, "uv_once");
}

/* ---- thread-local keys --------------------------------------------------- */

struct key_test {
  uv_key_t key;
  void* initial;
  void* after_set;
};

static void key_main(void* arg) {
  struct key_test* k = arg;
  static int mine;
  k->initial = uv_key_get(&k->key);
  uv_key_set(&k->key, &mine);
  k->after_set = uv_key_get(&k->key);
}

static void keys_hold_a_value_per_thread(void** state) {
  static int main_value;
  struct key_test k;
  uv_thread_t tid;
  (void)state;

  assert_int_equal(uv_key_create(&k.key), 0);
  assert_null(uv_key_get(&k.key));
  uv_key_set(&k.key, &main_value);
  assert_ptr_equal(uv_key_get(&k.key), &main_value);

  assert_int_equal(uv_thread_create(&tid, key_main, &k), 0);
  assert_int_equal(uv_thread_join(&tid), 0);
  assert_null(k.initial); /* a new thread starts with NULL */
  assert_non_null(k.after_set);
  assert_ptr_not_equal(k.after_set, &main_value);
  assert_ptr_equal(uv_key_get(&k.key), &main_value); /* ours is untouched */

  uv_key_set(&k.key, NULL);
  assert_null(uv_key_get(&k.key));
  uv_key_delete(&k.key);
}

static void keys_are_distinct(void** state) {
  uv_key_t a;
  uv_key_t b;
  int x;
  int y;
  (void)state;
  assert_int_equal(uv_key_create(&a), 0);
  assert_int_equal(uv_key_create(&b), 0);
  uv_key_set(&a, &x);
  uv_key_set(&b, &y);
  assert_ptr_equal(uv_key_get(&a), &x);
  assert_ptr_equal(uv_key_get(&b), &y);
  uv_key_delete(&a);
  uv_key_delete(&b);
}

static void key_get_null(void) { (void)uv_key_get(NULL); }

static void eddy_null_key(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_key_create(NULL), UV_EINVAL);
  assert_aborts(key_get_null, "uv_key_get");
}

/* ---- registration -------------------------------------------------------- */

int main(int argc, char** argv) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(threads_run_and_join),
    cmocka_unit_test(self_equals_self),
    cmocka_unit_test(join_self_is_edeadlk),
    cmocka_unit_test(create_ex_gives_the_stack_asked_for),
    cmocka_unit_test(default_stack_is_at_least_the_default),
    cmocka_unit_test(default_stack_follows_rlimit_stack),
#if UV_HAS_DETACH
    cmocka_unit_test(detach_lets_a_thread_finish_alone),
#endif
    cmocka_unit_test(eddy_thread_create_rejects_bad_input),
    cmocka_unit_test(eddy_thread_equal_null_aborts),
#if UV_HAS_NAMES
    cmocka_unit_test(setname_getname_round_trip),
    cmocka_unit_test(setname_truncates_to_15_bytes),
    cmocka_unit_test(getname_into_a_small_buffer),
    cmocka_unit_test(names_reject_bad_input),
    cmocka_unit_test(eddy_getname_null_thread),
#endif
    cmocka_unit_test(available_parallelism_counts_allowed_cpus),
#if UV_HAS_AFFINITY
    cmocka_unit_test(cpumask_size_is_cpu_setsize),
    cmocka_unit_test(getaffinity_matches_sched_getaffinity),
    cmocka_unit_test(setaffinity_round_trip_on_cpu0),
    cmocka_unit_test(setaffinity_of_another_thread),
    cmocka_unit_test(affinity_rejects_bad_masks),
    cmocka_unit_test(getcpu_is_in_range),
    cmocka_unit_test(eddy_affinity_null_arguments),
#endif
#if UV_HAS_PRIORITY
    cmocka_unit_test(calling_thread_priority_is_its_nice_value),
    cmocka_unit_test(other_thread_priority_is_the_static_one),
    cmocka_unit_test(priority_rejects_bad_input),
#endif
    cmocka_unit_test(mutex_serialises_contenders),
    cmocka_unit_test(trylock_of_a_held_mutex_is_ebusy),
    cmocka_unit_test(recursive_mutex_nests),
    cmocka_unit_test(mutex_misuse_aborts),
    cmocka_unit_test(eddy_null_mutex),
    cmocka_unit_test(rwlock_readers_share_writers_exclude),
    cmocka_unit_test(rwlock_under_contention),
    cmocka_unit_test(eddy_null_rwlock),
    cmocka_unit_test(sem_counts),
    cmocka_unit_test(sem_init_beyond_the_maximum_is_einval),
    cmocka_unit_test(sem_hands_off_between_threads),
    cmocka_unit_test(eddy_null_sem),
    cmocka_unit_test(cond_signal_wakes_a_waiter),
    cmocka_unit_test(cond_broadcast_wakes_every_waiter),
    cmocka_unit_test(cond_timedwait_times_out),
    cmocka_unit_test(cond_timedwait_returns_0_when_signalled),
    cmocka_unit_test(eddy_cond_timedwait_huge_timeout_waits),
    cmocka_unit_test(eddy_null_cond),
    cmocka_unit_test(barrier_releases_together_with_one_serial),
    cmocka_unit_test(barrier_serial_thread_may_destroy),
    cmocka_unit_test(barrier_of_one_and_of_none),
    cmocka_unit_test(eddy_null_barrier),
    cmocka_unit_test(once_runs_once_across_threads),
    cmocka_unit_test(eddy_null_once_aborts),
    cmocka_unit_test(keys_hold_a_value_per_thread),
    cmocka_unit_test(keys_are_distinct),
    cmocka_unit_test(eddy_null_key),
  };
  if (argc == 3 && strcmp(argv[1], "--default-stack") == 0)
    return default_stack_child(argv[2]);
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
