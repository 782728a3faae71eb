/* eddy tests — the thread pool: uv_queue_work and uv_cancel (src/threadpool.c).
 *
 * What is asserted is libuv's behaviour: this file also builds against the
 * system's libuv (without -Iinclude, so that /usr/include/uv.h is used) and
 * passes there, except the tests named eddy_*, which check eddy's answers
 * where libuv crashes or differs on purpose; they skip themselves on libuv.
 *
 * The pool is process-wide and reads UV_THREADPOOL_SIZE once, when it
 * starts.  main() therefore clears the variable before any test runs, so
 * the pool of this process has the default 4 threads, and the tests of
 * other sizes run the binary again (fork + exec of /proc/self/exe with
 * --child pool-size N and the variable set), where a fresh pool starts.
 *
 * Nothing waits without a limit: work callbacks block on gates whose waits
 * give up after WAIT_MS (and count it, so the test fails instead of
 * hanging), children are killed after a deadline, and an alarm ends the
 * whole binary if all else fails.  Times are only ever lower bounds. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_getattr_np, also when built by hand */
#endif
#include "test-helpers.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* libuv 1.45 gave the workers an 8 MB stack (before: the platform's). */
#define UV_1_45 ((1 << 16) | (45 << 8))

/* How long anything may take before the test calls it a failure: far
 * more than a loaded machine needs, never a bound a test relies on. */
#define WAIT_MS 10000
#define CHILD_WAIT_MS 30000

#define DEFAULT_POOL_SIZE 4

extern char** environ;

/* ---- small tools ------------------------------------------------------------ */

static void sleep_ms(unsigned int ms) {
  struct timespec d;
  d.tv_sec = ms / 1000;
  d.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&d, &d) != 0 && errno == EINTR) {
  }
}

static struct timespec deadline_in(unsigned int ms) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  t.tv_sec += ms / 1000;
  t.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec++;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

static void cond_init_monotonic(pthread_cond_t* c) {
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_init(c, &a);
  pthread_condattr_destroy(&a);
}

static int load_int(const int* p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }

/* ---- gates: where work callbacks wait until the test lets them go ---------- */

struct gate {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  int arrived;  /* work callbacks that reached the gate */
  int open;     /* they may pass */
  int open_at;  /* opens by itself once this many arrived (0: never) */
  int timeouts; /* waits that gave up after WAIT_MS */
};

static void gate_init(struct gate* g, int open_at) {
  memset(g, 0, sizeof(*g));
  pthread_mutex_init(&g->mutex, NULL);
  cond_init_monotonic(&g->cond);
  g->open_at = open_at;
}

static void gate_destroy(struct gate* g) {
  pthread_cond_destroy(&g->cond);
  pthread_mutex_destroy(&g->mutex);
}

/* Called by a work callback: arrive, then wait until the gate opens. */
static void gate_pass(struct gate* g) {
  struct timespec until = deadline_in(WAIT_MS);

  pthread_mutex_lock(&g->mutex);
  g->arrived++;
  if (g->open_at != 0 && g->arrived >= g->open_at) g->open = 1;
  pthread_cond_broadcast(&g->cond);
  while (!g->open) {
    if (pthread_cond_timedwait(&g->cond, &g->mutex, &until) == ETIMEDOUT) {
      g->timeouts++;
      break;
    }
  }
  pthread_mutex_unlock(&g->mutex);
}

/* Waits until n work callbacks arrived; 0 if they did not in time. */
static int gate_wait_arrived(struct gate* g, int n) {
  struct timespec until = deadline_in(WAIT_MS);
  int ok;

  pthread_mutex_lock(&g->mutex);
  while (g->arrived < n)
    if (pthread_cond_timedwait(&g->cond, &g->mutex, &until) == ETIMEDOUT) break;
  ok = g->arrived >= n;
  pthread_mutex_unlock(&g->mutex);
  return ok;
}

static void gate_open(struct gate* g) {
  pthread_mutex_lock(&g->mutex);
  g->open = 1;
  pthread_cond_broadcast(&g->cond);
  pthread_mutex_unlock(&g->mutex);
}

static int gate_arrived(struct gate* g) {
  int n;
  pthread_mutex_lock(&g->mutex);
  n = g->arrived;
  pthread_mutex_unlock(&g->mutex);
  return n;
}

static int gate_timeouts(struct gate* g) {
  int n;
  pthread_mutex_lock(&g->mutex);
  n = g->timeouts;
  pthread_mutex_unlock(&g->mutex);
  return n;
}

/* ---- work items ------------------------------------------------------------- */

/* One request and what its callbacks saw.  The worker writes the work_*
 * fields; the loop reads them only after after_work_cb ran, which the pool
 * orders after the work. */
struct item {
  uv_work_t req; /* first: a uv_work_t* is a struct item* */
  struct gate* gate;
  unsigned int index;
  int work_calls; /* atomic: it is read while work may be running */
  int after_calls;
  int status;
  uint64_t result;
  pthread_t work_thread;
  pthread_t after_thread;
  uv_thread_t work_uv_thread;
  uv_thread_t after_uv_thread;
  uint64_t active_reqs_in_after; /* loop->active_reqs.count in after_work_cb */
};

/* Something a worker computes that the loop can check. */
static uint64_t mix(uint64_t x) {
  x += UINT64_C(0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
  return x ^ (x >> 31);
}

static void item_work(uv_work_t* req) {
  struct item* it = (struct item*)req;
  it->work_thread = pthread_self();
  it->work_uv_thread = uv_thread_self();
  it->result = mix(it->index);
  __atomic_add_fetch(&it->work_calls, 1, __ATOMIC_SEQ_CST);
  if (it->gate != NULL) gate_pass(it->gate);
}

static void item_after(uv_work_t* req, int status) {
  struct item* it = (struct item*)req;
  it->after_calls++;
  it->status = status;
  it->after_thread = pthread_self();
  it->after_uv_thread = uv_thread_self();
  it->active_reqs_in_after = req->loop->active_reqs.count;
}

static void items_init(struct item* items, unsigned int n, struct gate* g) {
  unsigned int i;
  memset(items, 0, n * sizeof(*items));
  for (i = 0; i < n; i++) {
    items[i].index = i;
    items[i].gate = g;
  }
}

static int queue_item(uv_loop_t* loop, struct item* it) {
  return uv_queue_work(loop, &it->req, item_work, item_after);
}

/* ---- a pool of exactly n threads -------------------------------------------- */

/* Checks that the pool runs n items at once and not n + 1: n items that
 * block all start, and one more queued behind them does not (it can
 * still be cancelled).  The short pause gives a spare thread, if there
 * were one, the time to take the extra item; on a slow machine it only
 * makes the check weaker, never wrong.  Returns NULL or what went wrong;
 * it also runs in child processes, where cmocka's assertions cannot. */
#define MAX_CHECKED_SIZE 1024

static const char* check_pool_size(int n) {
  static struct item blockers[MAX_CHECKED_SIZE];
  static struct item extra;
  struct gate g;
  uv_loop_t loop;
  const char* err = NULL;
  int i;

  if (n < 1 || n > MAX_CHECKED_SIZE) return "bad size to check";
  if (uv_loop_init(&loop) != 0) return "uv_loop_init failed";
  gate_init(&g, 0);
  items_init(blockers, (unsigned int)n, &g);
  items_init(&extra, 1, NULL);
  for (i = 0; i < n && err == NULL; i++)
    if (queue_item(&loop, &blockers[i]) != 0) err = "uv_queue_work failed";
  if (err != NULL) {
    /* nothing more to check */
  } else if (!gate_wait_arrived(&g, n)) {
    err = "fewer threads than expected ran at once";
  } else if (queue_item(&loop, &extra) != 0) {
    err = "uv_queue_work failed";
  } else {
    sleep_ms(50);
    if (load_int(&extra.work_calls) != 0 || gate_arrived(&g) != n)
      err = "more threads than expected ran at once";
    else if (uv_cancel((uv_req_t*)&extra.req) != 0)
      err = "the item queued behind the busy pool could not be cancelled";
  }
  gate_open(&g);
  if (uv_run(&loop, UV_RUN_DEFAULT) != 0 && err == NULL) err = "uv_run did not end";
  for (i = 0; i < n && err == NULL; i++)
    if (blockers[i].after_calls != 1 || blockers[i].status != 0)
      err = "a blocking item did not complete";
  if (err == NULL && extra.after_calls != 1) err = "the extra item never completed";
  if (err == NULL && extra.status != UV_ECANCELED) err = "the extra item was not cancelled";
  if (err == NULL && gate_timeouts(&g) != 0) err = "a gate timed out";
  if (uv_loop_close(&loop) != 0 && err == NULL) err = "uv_loop_close failed";
  gate_destroy(&g);
  return err;
}

/* With one thread, an item that waits for its successor to start waits in
 * vain: the successor starts only once it has finished. */
static struct {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  int first_done;
  int second_started;
  int first_saw_second;
  int second_saw_first_done;
} serial;

static void serial_first_work(uv_work_t* req) {
  struct timespec until = deadline_in(100);
  (void)req;
  pthread_mutex_lock(&serial.mutex);
  while (!serial.second_started)
    if (pthread_cond_timedwait(&serial.cond, &serial.mutex, &until) == ETIMEDOUT)
      break;
  serial.first_saw_second = serial.second_started;
  serial.first_done = 1;
  pthread_mutex_unlock(&serial.mutex);
}

static void serial_second_work(uv_work_t* req) {
  (void)req;
  pthread_mutex_lock(&serial.mutex);
  serial.second_started = 1;
  serial.second_saw_first_done = serial.first_done;
  pthread_cond_broadcast(&serial.cond);
  pthread_mutex_unlock(&serial.mutex);
}

static const char* check_items_run_one_after_another(void) {
  uv_loop_t loop;
  uv_work_t a, b;

  memset(&serial, 0, sizeof(serial));
  pthread_mutex_init(&serial.mutex, NULL);
  cond_init_monotonic(&serial.cond);
  if (uv_loop_init(&loop) != 0) return "uv_loop_init failed";
  if (uv_queue_work(&loop, &a, serial_first_work, NULL) != 0 ||
      uv_queue_work(&loop, &b, serial_second_work, NULL) != 0)
    return "uv_queue_work failed";
  if (uv_run(&loop, UV_RUN_DEFAULT) != 0) return "uv_run did not end";
  if (uv_loop_close(&loop) != 0) return "uv_loop_close failed";
  pthread_cond_destroy(&serial.cond);
  pthread_mutex_destroy(&serial.mutex);
  if (serial.first_saw_second) return "the second item ran beside the first";
  if (!serial.second_saw_first_done) return "the second item started first";
  return NULL;
}

/* The child side of the UV_THREADPOOL_SIZE tests (test-threadpool
 * --child pool-size N): this process's pool starts here, with the
 * environment the parent chose. */
static int pool_size_child(int expected) {
  const char* err;

  err = check_pool_size(expected);
  if (err == NULL && expected == 1) err = check_items_run_one_after_another();
  if (err != NULL) {
    fprintf(stderr, "pool child (UV_THREADPOOL_SIZE=%s, expected %d): %s\n",
            getenv("UV_THREADPOOL_SIZE") ? getenv("UV_THREADPOOL_SIZE") : "(unset)",
            expected, err);
    return 1;
  }
  return 0;
}

/* ---- child processes -------------------------------------------------------- */

/* How long a child may take: CHILD_WAIT_MS, or a quarter of the
 * EDDY_TEST_ALARM a slow harness sets (tools/valgrind.sh). */
static int child_wait_ms(void) {
  const char* e = getenv("EDDY_TEST_ALARM");
  return e != NULL && atoi(e) > 0 ? atoi(e) * 250 : CHILD_WAIT_MS;
}

/* Waits for pid; a child still running after child_wait_ms() is killed (a
 * hang is a failure, not a stuck test run).  Returns NULL when it exited
 * with 0, otherwise what happened, in why[]. */
static const char* wait_child(pid_t pid, char* why, size_t size) {
  int status = 0;
  int waited = 0;
  pid_t r;

  for (;;) {
    r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r != 0) {
      snprintf(why, size, "waitpid failed: %s", strerror(errno));
      return why;
    }
    if (waited >= child_wait_ms()) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      snprintf(why, size, "the child did not finish within %d ms", child_wait_ms());
      return why;
    }
    sleep_ms(5);
    waited += 5;
  }
  if (WIFSIGNALED(status)) {
    snprintf(why, size, "the child died of signal %d", WTERMSIG(status));
    return why;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    snprintf(why, size, "the child failed with status %d", WEXITSTATUS(status));
    return why;
  }
  return NULL;
}

static void assert_child_exits_cleanly(pid_t pid) {
  char why[128];
  if (wait_child(pid, why, sizeof(why)) != NULL) fail_msg("%s", why);
}

/* Runs fn in a forked child (which must only _exit, never return into
 * cmocka) and checks that it exits with 0. */
static void run_in_child(int (*fn)(void)) {
  pid_t pid;

  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    alarm((unsigned)child_wait_ms() / 1000);
    _exit(fn());
  }
  assert_child_exits_cleanly(pid);
}

/* Starts this binary again (test-threadpool --child MODE ARG, see
 * child_main) with UV_THREADPOOL_SIZE set to size (NULL: unset), so that
 * the child's pool starts afresh; returns its pid. */
static pid_t spawn_exec_child(const char* mode, const char* arg, const char* size) {
  char size_var[64];
  char* argv[5];
  char** envp;
  size_t n = 0, i, j = 0;
  pid_t pid;

  while (environ[n] != NULL) n++;
  envp = calloc(n + 2, sizeof(*envp));
  assert_non_null(envp);
  for (i = 0; i < n; i++)
    if (strncmp(environ[i], "UV_THREADPOOL_SIZE=", 19) != 0) envp[j++] = environ[i];
  if (size != NULL) {
    snprintf(size_var, sizeof(size_var), "UV_THREADPOOL_SIZE=%s", size);
    envp[j++] = size_var;
  }
  envp[j] = NULL;
  argv[0] = (char*)"test-threadpool";
  argv[1] = (char*)"--child";
  argv[2] = (char*)mode;
  argv[3] = (char*)arg;
  argv[4] = NULL;

  fflush(NULL);
  pid = fork();
  if (pid == 0) {
    execve(self_exe(), argv, envp);
    _exit(127);
  }
  free(envp);
  assert_true(pid > 0);
  return pid;
}

static void run_exec_child(const char* mode, const char* arg, const char* size) {
  assert_child_exits_cleanly(spawn_exec_child(mode, arg, size));
}

/* ---- where the callbacks run ------------------------------------------------- */

static void work_runs_on_a_worker_and_after_work_on_the_loop_thread(void** state) {
  uv_loop_t loop;
  struct item it;
  uv_thread_t self = uv_thread_self();
  int token;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  items_init(&it, 1, NULL);
  it.index = 7;
  it.req.data = &token;
  assert_int_equal(queue_item(&loop, &it), 0);
  /* uv_queue_work sets the public members and keeps data. */
  assert_ptr_equal(it.req.loop, &loop);
  assert_int_equal(it.req.type, UV_WORK);
  assert_int_equal(uv_req_get_type((uv_req_t*)&it.req), UV_WORK);
  assert_ptr_equal(it.req.data, &token);
  assert_int_equal(it.after_calls, 0); /* never from inside uv_queue_work */

  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(load_int(&it.work_calls), 1);
  assert_int_equal(it.after_calls, 1);
  assert_int_equal(it.status, 0);
  assert_true(it.result == mix(7));
  assert_false(pthread_equal(it.work_thread, pthread_self()));
  assert_false(uv_thread_equal(&it.work_uv_thread, &self));
  assert_true(pthread_equal(it.after_thread, pthread_self()));
  assert_true(uv_thread_equal(&it.after_uv_thread, &self));
  assert_ptr_equal(it.req.data, &token);
  loop_close_clean(&loop);
}

/* A program's signal handler runs when a signal is sent to a worker, as
 * on any thread the program made: libuv's workers keep the signal mask of
 * the thread that started the pool. */
static int usr1_handled;

static void usr1_handler(int sig) {
  (void)sig;
  __atomic_store_n(&usr1_handled, 1, __ATOMIC_SEQ_CST);
}

static void signal_self_work(uv_work_t* req) {
  struct item* it = (struct item*)req;
  __atomic_store_n(&usr1_handled, 0, __ATOMIC_SEQ_CST);
  /* A signal a thread sends itself, unblocked, is handled before
   * pthread_kill returns. */
  pthread_kill(pthread_self(), SIGUSR1);
  it->status = load_int(&usr1_handled);
}

static void signal_sent_to_a_worker_runs_its_handler(void** state) {
  uv_loop_t loop;
  struct item it;
  struct sigaction sa, old, ign;
  sigset_t set;
  (void)state;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = usr1_handler;
  sigemptyset(&sa.sa_mask);
  assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  assert_int_equal(pthread_sigmask(SIG_UNBLOCK, &set, NULL), 0);

  assert_int_equal(uv_loop_init(&loop), 0);
  items_init(&it, 1, NULL);
  assert_int_equal(uv_queue_work(&loop, &it.req, signal_self_work, NULL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  loop_close_clean(&loop);

  /* Ignoring the signal discards it if it is still pending on a worker
   * that blocks it, before the old action comes back. */
  memset(&ign, 0, sizeof(ign));
  ign.sa_handler = SIG_IGN;
  sigaction(SIGUSR1, &ign, NULL);
  assert_int_equal(sigaction(SIGUSR1, &old, NULL), 0);
  assert_int_equal(it.status, 1);
}

/* The workers have libuv's 8 MB stack (libuv 1.45 and later; eddy). */
static void stack_size_work(uv_work_t* req) {
  struct item* it = (struct item*)req;
  pthread_attr_t attr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstacksize(&attr, &size);
    pthread_attr_destroy(&attr);
  }
  it->result = size;
}

static void workers_have_an_8mb_stack(void** state) {
  uv_loop_t loop;
  struct item it;
  (void)state;

  if (!TEST_ON_EDDY && UV_VERSION_HEX < UV_1_45) skip();
  assert_int_equal(uv_loop_init(&loop), 0);
  items_init(&it, 1, NULL);
  assert_int_equal(uv_queue_work(&loop, &it.req, stack_size_work, NULL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  loop_close_clean(&loop);
  assert_true(it.result >= (UINT64_C(8) << 20));
}

/* ---- arguments -------------------------------------------------------------- */

static void queue_work_without_work_cb_is_einval(void** state) {
  uv_loop_t loop;
  struct item it;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  items_init(&it, 1, NULL);
  assert_int_equal(uv_queue_work(&loop, &it.req, NULL, item_after), UV_EINVAL);
  assert_int_equal(loop.active_reqs.count, 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 0);
  loop_close_clean(&loop);
}

static int null_after_work_ran;

static void flag_work(uv_work_t* req) {
  (void)req;
  __atomic_store_n(&null_after_work_ran, 1, __ATOMIC_SEQ_CST);
}

static void after_work_cb_may_be_null(void** state) {
  uv_loop_t loop;
  uv_work_t req;
  (void)state;

  null_after_work_ran = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_queue_work(&loop, &req, flag_work, NULL), 0);
  assert_int_equal(loop.active_reqs.count, 1);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(load_int(&null_after_work_ran), 1);
  assert_int_equal(loop.active_reqs.count, 0);
  loop_close_clean(&loop);
}

/* Queueing work needs no new descriptor once the loop is initialized (libuv
 * 1.44 opens the loop's wake-up eventfd in uv_loop_init): a program out of
 * descriptors can still queue the work (a close, say) that frees one. */
static void queue_work_takes_no_descriptor_after_loop_init(void** state) {
  struct descriptor_hog hog;
  uv_loop_t loop;
  uv_work_t req;
  int err;
  (void)state;

  null_after_work_ran = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  hog_descriptors(&hog);
  err = uv_queue_work(&loop, &req, flag_work, NULL);
  if (err == 0) assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  release_descriptors(&hog);
  assert_int_equal(err, 0);
  assert_int_equal(load_int(&null_after_work_ran), 1);
  loop_close_clean(&loop);
}

static void eddy_queue_work_null_loop_or_req_is_einval(void** state) {
  uv_loop_t loop;
  struct item it;
  (void)state;

  EDDY_ONLY();
  assert_int_equal(uv_loop_init(&loop), 0);
  items_init(&it, 1, NULL);
  assert_int_equal(uv_queue_work(NULL, &it.req, item_work, item_after), UV_EINVAL);
  assert_int_equal(uv_queue_work(&loop, NULL, item_work, item_after), UV_EINVAL);
  assert_int_equal(loop.active_reqs.count, 0);
  /* The loop still works. */
  assert_int_equal(queue_item(&loop, &it), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 1);
  loop_close_clean(&loop);
}

static void eddy_queue_work_on_a_closed_loop_is_einval(void** state) {
  uv_loop_t loop;
  struct item it;
  (void)state;

  EDDY_ONLY();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_loop_close(&loop), 0);
  items_init(&it, 1, NULL);
  assert_int_equal(queue_item(&loop, &it), UV_EINVAL);
  assert_int_equal(loop.active_reqs.count, 0);
  assert_int_equal(load_int(&it.work_calls), 0);
}

static void eddy_cancel_null_is_einval(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_cancel(NULL), UV_EINVAL);
}

/* ---- the request and the loop's life ----------------------------------------- */

static void request_keeps_the_loop_alive_until_after_work_cb(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item it;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  gate_init(&g, 0);
  items_init(&it, 1, &g);
  assert_int_equal(loop.active_reqs.count, 0);
  assert_int_equal(queue_item(&loop, &it), 0);
  assert_int_equal(loop.active_reqs.count, 1);
  assert_int_equal(uv_loop_alive(&loop), 1);
  assert_int_equal(uv_loop_close(&loop), UV_EBUSY);

  /* Running, blocked: the loop stays alive and does not wait for it. */
  assert_true(gate_wait_arrived(&g, 1));
  assert_int_not_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(it.after_calls, 0);
  assert_int_equal(loop.active_reqs.count, 1);
  assert_int_equal(uv_loop_close(&loop), UV_EBUSY);

  gate_open(&g);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 1);
  assert_int_equal(it.status, 0);
  /* The request no longer counts once its callback runs. */
  assert_int_equal(it.active_reqs_in_after, 0);
  assert_int_equal(loop.active_reqs.count, 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(gate_timeouts(&g), 0);
  loop_close_clean(&loop);
  gate_destroy(&g);
}

/* UV_RUN_ONCE waits in the poll for the work, runs after_work_cb, and
 * returns 0 when nothing else is left. */
static void run_once_waits_for_the_work(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item it;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  gate_init(&g, 0);
  items_init(&it, 1, &g);
  assert_int_equal(queue_item(&loop, &it), 0);
  assert_true(gate_wait_arrived(&g, 1));
  gate_open(&g);
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 0);
  assert_int_equal(it.after_calls, 1);
  loop_close_clean(&loop);
  gate_destroy(&g);
}

/* Short items one after another, each queued by the callback of the one
 * before: every UV_RUN_ONCE runs exactly one callback (the loop waits for
 * the item in flight, however it learns that it finished: on eddy an
 * item that finishes within microseconds is often seen by the loop's
 * short watch before it sleeps, not through the eventfd), and returns
 * nonzero while the next item is in flight. */
static int once_left;
static int once_after_calls;

static void once_after(uv_work_t* req, int status) {
  assert_int_equal(status, 0);
  once_after_calls++;
  if (--once_left > 0)
    assert_int_equal(uv_queue_work(req->loop, req, flag_work, once_after), 0);
}

static void run_once_runs_each_short_item_of_a_chain(void** state) {
  uv_loop_t loop;
  uv_work_t req;
  int i;
  (void)state;

  once_left = 2000;
  once_after_calls = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_queue_work(&loop, &req, flag_work, once_after), 0);
  for (i = 1; i < 2000; i++) {
    assert_int_not_equal(uv_run(&loop, UV_RUN_ONCE), 0);
    assert_int_equal(once_after_calls, i);
  }
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 0);
  assert_int_equal(once_after_calls, 2000);
  loop_close_clean(&loop);
}

/* Work queued by an after_work callback, together with a check handle,
 * finishes after that check callback: the poll phase takes finished work
 * once, so the new item's callback comes in a later iteration, however
 * fast it is (a program's setImmediate queued next to an fs call runs
 * first).  200 times over. */
static int co_left;
static int co_checks;      /* check callbacks so far */
static int co_check_seen;  /* checks when the item was queued */
static uv_check_t co_check;

static void co_check_cb(uv_check_t* h) {
  co_checks++;
  uv_check_stop(h);
}

static void co_after(uv_work_t* req, int status) {
  assert_int_equal(status, 0);
  if (co_left < 200) assert_true(co_checks > co_check_seen); /* check came first */
  if (--co_left == 0) {
    uv_close((uv_handle_t*)&co_check, NULL);
    return;
  }
  co_check_seen = co_checks;
  assert_int_equal(uv_queue_work(req->loop, req, flag_work, co_after), 0);
  assert_int_equal(uv_check_start(&co_check, co_check_cb), 0);
}

static void work_queued_by_after_work_finishes_after_check(void** state) {
  uv_loop_t loop;
  uv_work_t req;
  (void)state;

  co_left = 200;
  co_checks = 0;
  co_check_seen = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_check_init(&loop, &co_check), 0);
  assert_int_equal(uv_queue_work(&loop, &req, flag_work, co_after), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(co_left, 0);
  assert_int_equal(co_checks, 199);
  loop_close_clean(&loop);
}

static void fill_the_pool(uv_loop_t* loop, struct gate* g, struct item* blockers);
static void drain_the_pool(uv_loop_t* loop, struct gate* g, struct item* blockers);

/* eddy only: the loop watches for finished work before it sleeps only
 * right after finished work ran: not while a long item is all there is
 * (a loop serving sockets then pays nothing per poll), and again once
 * short items complete. */
static void count_poll(uv_timer_t* t) {
  (void)t;
}

static void eddy_loop_watches_only_after_work_ran(void** state) {
  uv_loop_t loop;
  uv_timer_t timer;
  struct gate g;
  struct item it;
  uv_work_t req;
  int polls;
  (void)state;
  EDDY_ONLY();
#if TEST_ON_EDDY
  assert_int_equal(uv_loop_init(&loop), 0);
  gate_init(&g, 0);
  items_init(&it, 1, &g);
  assert_int_equal(queue_item(&loop, &it), 0);
  assert_true(gate_wait_arrived(&g, 1));
  /* Each UV_RUN_ONCE polls with a 1 ms timeout (the timer's): no watch,
   * so the watch's length is still unset. */
  assert_int_equal(uv_timer_init(&loop, &timer), 0);
  assert_int_equal(uv_timer_start(&timer, count_poll, 1, 1), 0);
  for (polls = 0; polls < 20; polls++)
    assert_int_not_equal(uv_run(&loop, UV_RUN_ONCE), 0);
  assert_int_equal(loop.watch_ns, 0);
  assert_int_equal(it.after_calls, 0);
  uv_close((uv_handle_t*)&timer, NULL);
  gate_open(&g);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 1);
  assert_int_equal(gate_timeouts(&g), 0);
  gate_destroy(&g);
  /* A chain of short items: the poll after each callback watches. */
  once_left = 50;
  once_after_calls = 0;
  assert_int_equal(uv_queue_work(&loop, &req, flag_work, once_after), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(once_after_calls, 50);
  assert_int_not_equal(loop.watch_ns, 0);
  loop_close_clean(&loop);
#else
  (void)loop;
  (void)timer;
  (void)g;
  (void)it;
  (void)req;
  (void)polls;
#endif
}

/* eddy only: the loop counts its items in flight on the pool (it watches
 * for their completion before it sleeps only while some are): up with
 * each submission, down as each callback runs, cancelled ones too.  A
 * count that leaked would have the loop watch before every sleep. */
static void eddy_loop_counts_its_items_in_flight(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item blockers[DEFAULT_POOL_SIZE];
  struct item victim;
  (void)state;
  EDDY_ONLY();
#if TEST_ON_EDDY
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(loop.wq_inflight, 0);
  fill_the_pool(&loop, &g, blockers);
  assert_int_equal(loop.wq_inflight, DEFAULT_POOL_SIZE);
  items_init(&victim, 1, NULL);
  assert_int_equal(queue_item(&loop, &victim), 0);
  assert_int_equal(loop.wq_inflight, DEFAULT_POOL_SIZE + 1);
  assert_int_equal(uv_cancel((uv_req_t*)&victim.req), 0);
  assert_int_equal(loop.wq_inflight, DEFAULT_POOL_SIZE + 1);
  drain_the_pool(&loop, &g, blockers);
  assert_int_equal(victim.status, UV_ECANCELED);
  assert_int_equal(loop.wq_inflight, 0);
  loop_close_clean(&loop);
#else
  (void)loop;
  (void)g;
  (void)blockers;
  (void)victim;
#endif
}

/* after_work_cb runs in the poll phase: after prepare, before check. */
static const char* phases[8];
static int nphases;

static void phase_prepare_cb(uv_prepare_t* h) {
  (void)h;
  if (nphases < 8) phases[nphases++] = "prepare";
}

static void phase_check_cb(uv_check_t* h) {
  if (nphases < 8) phases[nphases++] = "check";
  uv_close((uv_handle_t*)h, NULL);
  uv_close((uv_handle_t*)h->data, NULL);
}

static void phase_after_work(uv_work_t* req, int status) {
  (void)req;
  (void)status;
  if (nphases < 8) phases[nphases++] = "after_work";
}

static void after_work_cb_runs_in_the_poll_phase(void** state) {
  uv_loop_t loop;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_work_t req;
  (void)state;

  nphases = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_prepare_init(&loop, &prepare), 0);
  assert_int_equal(uv_check_init(&loop, &check), 0);
  check.data = &prepare;
  assert_int_equal(uv_prepare_start(&prepare, phase_prepare_cb), 0);
  assert_int_equal(uv_check_start(&check, phase_check_cb), 0);
  assert_int_equal(uv_queue_work(&loop, &req, flag_work, phase_after_work), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(nphases, 3);
  assert_string_equal(phases[0], "prepare");
  assert_string_equal(phases[1], "after_work");
  assert_string_equal(phases[2], "check");
  loop_close_clean(&loop);
}

/* An after_work_cb may queue the request again; the loop lives on. */
static int chain_left;

static void chain_after(uv_work_t* req, int status) {
  struct item* it = (struct item*)req;
  item_after(req, status);
  if (--chain_left > 0) {
    it->index++;
    assert_int_equal(uv_queue_work(req->loop, req, item_work, chain_after), 0);
  }
}

static void after_work_cb_may_queue_the_request_again(void** state) {
  uv_loop_t loop;
  struct item it;
  (void)state;

  chain_left = 10;
  assert_int_equal(uv_loop_init(&loop), 0);
  items_init(&it, 1, NULL);
  assert_int_equal(uv_queue_work(&loop, &it.req, item_work, chain_after), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(chain_left, 0);
  assert_int_equal(it.after_calls, 10);
  assert_int_equal(load_int(&it.work_calls), 10);
  assert_true(it.result == mix(9));
  loop_close_clean(&loop);
}

/* The loop's wake-up is made when the first work is queued, and made
 * again after the loop is closed and initialised anew. */
static void queue_work_on_a_loop_initialised_again(void** state) {
  uv_loop_t loop;
  struct item it;
  int round;
  (void)state;

  for (round = 0; round < 3; round++) {
    assert_int_equal(uv_loop_init(&loop), 0);
    items_init(&it, 1, NULL);
    assert_int_equal(queue_item(&loop, &it), 0);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(it.after_calls, 1);
    loop_close_clean(&loop);
  }
}

static void default_loop_runs_work(void** state) {
  uv_loop_t* loop = uv_default_loop();
  struct item it;
  (void)state;

  assert_non_null(loop);
  items_init(&it, 1, NULL);
  assert_int_equal(queue_item(loop, &it), 0);
  assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 1);
  assert_true(pthread_equal(it.after_thread, pthread_self()));
  assert_int_equal(uv_loop_close(loop), 0);
}

/* ---- many items, several threads --------------------------------------------- */

#define MANY 100000
static struct item many[MANY];

static void hundred_thousand_items_complete_exactly_once(void** state) {
  uv_loop_t loop;
  unsigned int i;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  items_init(many, MANY, NULL);
  for (i = 0; i < MANY; i++) assert_int_equal(queue_item(&loop, &many[i]), 0);
  /* Callbacks run only inside uv_run: all of them still count. */
  assert_int_equal(loop.active_reqs.count, MANY);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  for (i = 0; i < MANY; i++) {
    assert_int_equal(load_int(&many[i].work_calls), 1);
    assert_int_equal(many[i].after_calls, 1);
    assert_int_equal(many[i].status, 0);
    assert_true(many[i].result == mix(i));
    assert_false(pthread_equal(many[i].work_thread, pthread_self()));
    assert_true(pthread_equal(many[i].after_thread, pthread_self()));
  }
  assert_int_equal(loop.active_reqs.count, 0);
  loop_close_clean(&loop);
}

/* Four items that each wait until all four have started can only finish
 * if four threads run them at once. */
static void default_pool_runs_four_items_at_once(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item items[DEFAULT_POOL_SIZE];
  int i;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  gate_init(&g, DEFAULT_POOL_SIZE);
  items_init(items, DEFAULT_POOL_SIZE, &g);
  for (i = 0; i < DEFAULT_POOL_SIZE; i++) assert_int_equal(queue_item(&loop, &items[i]), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(gate_timeouts(&g), 0);
  for (i = 0; i < DEFAULT_POOL_SIZE; i++) {
    assert_int_equal(items[i].after_calls, 1);
    assert_int_equal(items[i].status, 0);
  }
  loop_close_clean(&loop);
  gate_destroy(&g);
}

static void default_pool_has_exactly_four_threads(void** state) {
  const char* err;
  (void)state;
  err = check_pool_size(DEFAULT_POOL_SIZE);
  if (err != NULL) fail_msg("%s", err);
}

/* The variable counts only when the pool starts: changed later, it
 * changes nothing. */
static void threadpool_size_is_read_once_when_the_pool_starts(void** state) {
  uv_loop_t loop;
  struct item it;
  const char* err;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0); /* make sure the pool runs */
  items_init(&it, 1, NULL);
  assert_int_equal(queue_item(&loop, &it), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  loop_close_clean(&loop);

  assert_int_equal(setenv("UV_THREADPOOL_SIZE", "1", 1), 0);
  err = check_pool_size(DEFAULT_POOL_SIZE);
  unsetenv("UV_THREADPOOL_SIZE");
  if (err != NULL) fail_msg("%s", err);
}

/* Two loops, each on its own thread, use the pool at the same time; each
 * gets its own callbacks, on its own thread. */
#define PER_LOOP 200

struct loop_thread {
  pthread_t thread;
  pthread_barrier_t* start;
  uv_loop_t loop;
  struct item items[PER_LOOP];
  int errors;
};

static void* loop_thread_main(void* arg) {
  struct loop_thread* t = arg;
  pthread_t self = pthread_self();
  unsigned int i;

  if (uv_loop_init(&t->loop) != 0) {
    t->errors++;
    pthread_barrier_wait(t->start);
    return NULL;
  }
  items_init(t->items, PER_LOOP, NULL);
  pthread_barrier_wait(t->start);
  for (i = 0; i < PER_LOOP; i++)
    if (queue_item(&t->loop, &t->items[i]) != 0) t->errors++;
  if (uv_run(&t->loop, UV_RUN_DEFAULT) != 0) t->errors++;
  for (i = 0; i < PER_LOOP; i++) {
    struct item* it = &t->items[i];
    if (load_int(&it->work_calls) != 1 || it->after_calls != 1 || it->status != 0 ||
        it->result != mix(i) || it->req.loop != &t->loop ||
        !pthread_equal(it->after_thread, self) || pthread_equal(it->work_thread, self))
      t->errors++;
  }
  if (uv_loop_close(&t->loop) != 0) t->errors++;
  return NULL;
}

static struct loop_thread loop_threads[2];

static void work_from_two_loops_on_two_threads(void** state) {
  pthread_barrier_t start;
  int i;
  (void)state;

  memset(loop_threads, 0, sizeof(loop_threads));
  assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
  for (i = 0; i < 2; i++) {
    loop_threads[i].start = &start;
    assert_int_equal(pthread_create(&loop_threads[i].thread, NULL, loop_thread_main,
                                    &loop_threads[i]),
                     0);
  }
  for (i = 0; i < 2; i++) assert_int_equal(pthread_join(loop_threads[i].thread, NULL), 0);
  pthread_barrier_destroy(&start);
  assert_int_equal(loop_threads[0].errors, 0);
  assert_int_equal(loop_threads[1].errors, 0);
}

/* A loop may be freed as soon as uv_loop_close returned 0: nothing of the
 * pool may touch it afterwards.  Four items that finish together make the
 * last ones likely to complete while the loop thread already runs the
 * callbacks; ASan sees a late write to the freed loop, TSan a race with
 * uv_loop_close. */
static void loop_may_be_freed_right_after_its_last_callback(void** state) {
  struct gate g;
  struct item items[DEFAULT_POOL_SIZE];
  uv_loop_t* loop;
  int round, i;
  (void)state;

  for (round = 0; round < 200; round++) {
    loop = malloc(sizeof(*loop));
    assert_non_null(loop);
    assert_int_equal(uv_loop_init(loop), 0);
    gate_init(&g, DEFAULT_POOL_SIZE);
    items_init(items, DEFAULT_POOL_SIZE, &g);
    for (i = 0; i < DEFAULT_POOL_SIZE; i++) assert_int_equal(queue_item(loop, &items[i]), 0);
    assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
    for (i = 0; i < DEFAULT_POOL_SIZE; i++) assert_int_equal(items[i].after_calls, 1);
    assert_int_equal(uv_loop_close(loop), 0);
    memset(loop, 0xdd, sizeof(*loop));
    free(loop);
    assert_int_equal(gate_timeouts(&g), 0);
    gate_destroy(&g);
  }
}

/* A burst of submissions made from an after_work callback (the loop's
 * completion phase, where the pool takes submissions in batches) all run,
 * once each, and start in the order they were queued: with three workers
 * held at a gate, the one left starts them one after another, so the
 * order in which they start is observable. */
#define BURST 300

static struct {
  struct gate gate;
  struct item blockers[DEFAULT_POOL_SIZE - 1];
  uv_work_t trigger;
  uv_work_t items[BURST];
  int start_rank[BURST]; /* written by the work callbacks */
  int started;           /* atomic */
  int after_calls[BURST];
  int bad_status;
  int done;
} burst;

static void burst_work(uv_work_t* req) {
  int i = (int)(req - burst.items);
  burst.start_rank[i] = __atomic_fetch_add(&burst.started, 1, __ATOMIC_SEQ_CST);
}

static void burst_after(uv_work_t* req, int status) {
  int i = (int)(req - burst.items);
  if (status != 0) burst.bad_status++;
  burst.after_calls[i]++;
  if (++burst.done == BURST) gate_open(&burst.gate);
}

static void burst_trigger_work(uv_work_t* req) { (void)req; }

static void burst_trigger_after(uv_work_t* req, int status) {
  int i;
  (void)status;
  for (i = 0; i < BURST; i++)
    assert_int_equal(uv_queue_work(req->loop, &burst.items[i], burst_work, burst_after), 0);
}

static void burst_from_after_work_runs_in_order(void** state) {
  uv_loop_t loop;
  int i;
  (void)state;

  memset(&burst, 0, sizeof(burst));
  assert_int_equal(uv_loop_init(&loop), 0);
  gate_init(&burst.gate, 0);
  items_init(burst.blockers, DEFAULT_POOL_SIZE - 1, &burst.gate);
  for (i = 0; i < DEFAULT_POOL_SIZE - 1; i++)
    assert_int_equal(queue_item(&loop, &burst.blockers[i]), 0);
  assert_true(gate_wait_arrived(&burst.gate, DEFAULT_POOL_SIZE - 1));
  assert_int_equal(
      uv_queue_work(&loop, &burst.trigger, burst_trigger_work, burst_trigger_after), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(gate_timeouts(&burst.gate), 0);
  assert_int_equal(burst.bad_status, 0);
  assert_int_equal(burst.done, BURST);
  for (i = 0; i < BURST; i++) {
    assert_int_equal(burst.after_calls[i], 1);
    assert_int_equal(burst.start_rank[i], i);
  }
  for (i = 0; i < DEFAULT_POOL_SIZE - 1; i++) assert_int_equal(burst.blockers[i].after_calls, 1);
  loop_close_clean(&loop);
  gate_destroy(&burst.gate);
}

/* ---- cancelling ---------------------------------------------------------------- */

/* Fills every worker with items blocked on g, then returns once all of
 * them run. */
static void fill_the_pool(uv_loop_t* loop, struct gate* g, struct item* blockers) {
  int i;
  gate_init(g, 0);
  items_init(blockers, DEFAULT_POOL_SIZE, g);
  for (i = 0; i < DEFAULT_POOL_SIZE; i++) assert_int_equal(queue_item(loop, &blockers[i]), 0);
  assert_true(gate_wait_arrived(g, DEFAULT_POOL_SIZE));
}

static void drain_the_pool(uv_loop_t* loop, struct gate* g, struct item* blockers) {
  int i;
  gate_open(g);
  assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
  for (i = 0; i < DEFAULT_POOL_SIZE; i++) {
    assert_int_equal(blockers[i].after_calls, 1);
    assert_int_equal(blockers[i].status, 0);
  }
  assert_int_equal(gate_timeouts(g), 0);
  gate_destroy(g);
}

/* An item cancelled by an after_work callback gets its ECANCELED callback
 * in a later iteration, not in the pass that cancelled it (libuv posts it
 * to the loop, which takes finished work once per poll phase). */
static struct {
  struct gate g;
  struct item blockers[DEFAULT_POOL_SIZE];
  struct item victim;
  uv_work_t first;
  int first_done;
} cf;

static void cancel_from_after_work(uv_work_t* req, int status) {
  (void)req;
  assert_int_equal(status, 0);
  cf.first_done = 1;
  fill_the_pool(req->loop, &cf.g, cf.blockers);
  items_init(&cf.victim, 1, NULL);
  assert_int_equal(queue_item(req->loop, &cf.victim), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&cf.victim.req), 0);
}

static void cancel_from_after_work_reports_in_a_later_iteration(void** state) {
  uv_loop_t loop;
  (void)state;

  memset(&cf, 0, sizeof(cf));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_queue_work(&loop, &cf.first, flag_work, cancel_from_after_work), 0);
  while (!cf.first_done) assert_int_not_equal(uv_run(&loop, UV_RUN_ONCE), 0);
  assert_int_equal(cf.victim.after_calls, 0);
  assert_int_not_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(cf.victim.after_calls, 1);
  assert_int_equal(cf.victim.status, UV_ECANCELED);
  drain_the_pool(&loop, &cf.g, cf.blockers);
  loop_close_clean(&loop);
}

static void cancel_before_start_reports_ecanceled(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item blockers[DEFAULT_POOL_SIZE];
  struct item victim;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  fill_the_pool(&loop, &g, blockers);
  items_init(&victim, 1, NULL);
  assert_int_equal(queue_item(&loop, &victim), 0);
  assert_int_equal(loop.active_reqs.count, DEFAULT_POOL_SIZE + 1);
  assert_int_equal(uv_cancel((uv_req_t*)&victim.req), 0);
  /* Its callback is still to come: the request still counts. */
  assert_int_equal(victim.after_calls, 0);
  assert_int_equal(loop.active_reqs.count, DEFAULT_POOL_SIZE + 1);
  drain_the_pool(&loop, &g, blockers);
  assert_int_equal(victim.after_calls, 1);
  assert_int_equal(victim.status, UV_ECANCELED);
  assert_int_equal(load_int(&victim.work_calls), 0);
  assert_true(pthread_equal(victim.after_thread, pthread_self()));
  assert_int_equal(loop.active_reqs.count, 0);
  loop_close_clean(&loop);
}

/* The cancelled item's callback comes even when no worker ever frees up
 * during the run that delivers it. */
static void cancelled_callback_runs_while_the_pool_is_busy(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item blockers[DEFAULT_POOL_SIZE];
  struct item victim;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  fill_the_pool(&loop, &g, blockers);
  items_init(&victim, 1, NULL);
  assert_int_equal(queue_item(&loop, &victim), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&victim.req), 0);
  /* One blocking iteration: the only thing that can end it is the
   * cancelled item's completion. */
  assert_int_not_equal(uv_run(&loop, UV_RUN_ONCE), 0);
  assert_int_equal(victim.after_calls, 1);
  assert_int_equal(victim.status, UV_ECANCELED);
  drain_the_pool(&loop, &g, blockers);
  loop_close_clean(&loop);
}

/* Work starts in the order it was queued, whatever its class: a lookup
 * queued right behind four blockers waits for a free worker and can still
 * be cancelled (libuv's threadpool_cancel_getaddrinfo counts on it). */
static int order_lookup_status = 1;

static void order_on_lookup(uv_getaddrinfo_t* req, int status,
                            struct addrinfo* res) {
  (void)req;
  order_lookup_status = status;
  uv_freeaddrinfo(res);
}

static void slow_work_waits_its_turn(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item blockers[DEFAULT_POOL_SIZE];
  uv_getaddrinfo_t lookup;
  int i;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  gate_init(&g, 0);
  items_init(blockers, DEFAULT_POOL_SIZE, &g);
  /* All queued before any worker can look: the lookup is last in line. */
  for (i = 0; i < DEFAULT_POOL_SIZE; i++)
    assert_int_equal(queue_item(&loop, &blockers[i]), 0);
  assert_int_equal(
      uv_getaddrinfo(&loop, &lookup, order_on_lookup, "localhost", NULL, NULL),
      0);
  /* Every blocker got a worker: the lookup did not take one first. */
  assert_true(gate_wait_arrived(&g, DEFAULT_POOL_SIZE));
  assert_int_equal(uv_cancel((uv_req_t*)&lookup), 0);
  drain_the_pool(&loop, &g, blockers);
  assert_int_equal(order_lookup_status, UV_EAI_CANCELED);
  loop_close_clean(&loop);
}

/* eddy only: a fork can catch a worker between handing finished work to
 * a loop and waking it (the loop counts such workers, and uv_loop_close
 * waits for them).  The child has no such worker: after uv_loop_fork its
 * loop closes at once instead of waiting forever. */
static void eddy_loop_fork_forgets_the_parents_posting_workers(void** state) {
  uv_loop_t loop;
  int status;
  pid_t pid;
  (void)state;
  EDDY_ONLY();
#if TEST_ON_EDDY
  assert_int_equal(uv_loop_init(&loop), 0);
  loop.wq_posters = 1; /* a worker of the parent, mid-post */
  loop.wq_inflight = 1; /* and an item of the loop's in its hands */
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    alarm(10); /* a hang becomes a failure */
    if (uv_loop_fork(&loop) != 0) _exit(1);
    /* Nor will the parent's items in flight finish here: the loop does
     * not watch for them. */
    if (loop.wq_inflight != 0) _exit(3);
    if (uv_loop_close(&loop) != 0) _exit(2);
    _exit(0);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  loop.wq_posters = 0; /* here the (pretend) worker finished */
  loop.wq_inflight = 0;
  assert_int_equal(uv_loop_close(&loop), 0);
#else
  (void)loop;
  (void)status;
  (void)pid;
#endif
}

static void cancelled_request_can_be_queued_again(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item blockers[DEFAULT_POOL_SIZE];
  struct item victim;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  fill_the_pool(&loop, &g, blockers);
  items_init(&victim, 1, NULL);
  victim.index = 3;
  assert_int_equal(queue_item(&loop, &victim), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&victim.req), 0);
  drain_the_pool(&loop, &g, blockers);
  assert_int_equal(victim.status, UV_ECANCELED);

  assert_int_equal(queue_item(&loop, &victim), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(victim.after_calls, 2);
  assert_int_equal(victim.status, 0);
  assert_int_equal(load_int(&victim.work_calls), 1);
  assert_true(victim.result == mix(3));
  loop_close_clean(&loop);
}

static void cancel_running_is_ebusy(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item it;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  gate_init(&g, 0);
  items_init(&it, 1, &g);
  assert_int_equal(queue_item(&loop, &it), 0);
  assert_true(gate_wait_arrived(&g, 1));
  assert_int_equal(uv_cancel((uv_req_t*)&it.req), UV_EBUSY);
  gate_open(&g);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 1);
  assert_int_equal(it.status, 0);
  assert_int_equal(gate_timeouts(&g), 0);
  loop_close_clean(&loop);
  gate_destroy(&g);
}

static int cancel_in_after_result;

static void cancel_self_after(uv_work_t* req, int status) {
  item_after(req, status);
  cancel_in_after_result = uv_cancel((uv_req_t*)req);
}

static void cancel_finished_is_ebusy(void** state) {
  uv_loop_t loop;
  struct item it;
  int i;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  items_init(&it, 1, NULL);
  cancel_in_after_result = 1;
  assert_int_equal(uv_queue_work(&loop, &it.req, item_work, cancel_self_after), 0);
  /* Done on the worker, its callback not yet run. */
  for (i = 0; i < WAIT_MS && load_int(&it.work_calls) == 0; i++) sleep_ms(1);
  assert_int_equal(load_int(&it.work_calls), 1);
  sleep_ms(1);
  assert_int_equal(uv_cancel((uv_req_t*)&it.req), UV_EBUSY);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 1);
  assert_int_equal(it.status, 0);
  /* In its own callback, and after it. */
  assert_int_equal(cancel_in_after_result, UV_EBUSY);
  assert_int_equal(uv_cancel((uv_req_t*)&it.req), UV_EBUSY);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 1);
  loop_close_clean(&loop);
}

/* Requests that are not thread-pool work cannot be cancelled. */
static void cancel_other_request_types_is_einval(void** state) {
  static const uv_req_type types[] = {UV_UNKNOWN_REQ, UV_REQ,      UV_CONNECT,
                                      UV_WRITE,       UV_SHUTDOWN, UV_UDP_SEND};
  union {
    uv_req_t req;
    uv_connect_t connect;
    uv_write_t write;
    uv_shutdown_t shutdown;
    uv_udp_send_t send;
  } r;
  size_t i;
  (void)state;

  for (i = 0; i < ARRAY_LEN(types); i++) {
    memset(&r, 0, sizeof(r));
    r.req.type = types[i];
    assert_int_equal(uv_cancel(&r.req), UV_EINVAL);
  }
}

/* ---- a flood of slow I/O does not starve file-system work -------------------- */

/* Name resolution is slow I/O: at most half the threads take it.  This
 * binary's own getaddrinfo (the library's calls resolve to it, both in
 * eddy and in libuv) makes lookups of SLOW_NAME wait at a gate that opens
 * only once every file-system request of the test has completed: with
 * slow requests on every thread, the file-system requests would never
 * run, and the gate would give up after WAIT_MS and fail the test. */
#define SLOW_NAME "eddy-slow-lookup.invalid"
#define SLOW_FLOOD 32
#define FS_UNDER_FLOOD 16

static struct gate slow_gate;
static int slow_running; /* atomic: lookups at the gate now */
static int slow_most;    /* atomic: the most at once */

typedef int (*getaddrinfo_fn)(const char*, const char*, const struct addrinfo*,
                              struct addrinfo**);

int getaddrinfo(const char* node, const char* service,
                const struct addrinfo* hints, struct addrinfo** res) {
  getaddrinfo_fn next;
  int now;
  int most;

  if (node == NULL || strcmp(node, SLOW_NAME) != 0) {
    next = (getaddrinfo_fn)dlsym(RTLD_NEXT, "getaddrinfo");
    if (next == NULL) return EAI_SYSTEM;
    return next(node, service, hints, res);
  }
  now = __atomic_add_fetch(&slow_running, 1, __ATOMIC_SEQ_CST);
  most = __atomic_load_n(&slow_most, __ATOMIC_SEQ_CST);
  while (now > most &&
         !__atomic_compare_exchange_n(&slow_most, &most, now, 0,
                                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
  }
  gate_pass(&slow_gate);
  __atomic_sub_fetch(&slow_running, 1, __ATOMIC_SEQ_CST);
  *res = NULL;
  return EAI_NONAME;
}

static struct {
  uv_getaddrinfo_t lookups[SLOW_FLOOD];
  uv_fs_t stats[FS_UNDER_FLOOD];
  int lookups_done;
  int lookup_errors; /* lookups whose status was not an error */
  int fs_done;
  int fs_failed;
  int lookups_done_before_fs; /* lookups finished when the last fs did */
} flood;

static void flood_on_lookup(uv_getaddrinfo_t* req, int status,
                            struct addrinfo* res) {
  (void)req;
  if (status == 0) flood.lookup_errors++;
  uv_freeaddrinfo(res);
  flood.lookups_done++;
}

static void flood_on_stat(uv_fs_t* req) {
  if (req->result != 0) flood.fs_failed++;
  uv_fs_req_cleanup(req);
  if (++flood.fs_done == FS_UNDER_FLOOD) {
    flood.lookups_done_before_fs = flood.lookups_done;
    gate_open(&slow_gate);
  }
}

static void slow_io_flood_does_not_starve_fs_work(void** state) {
  uv_loop_t loop;
  int i;
  (void)state;

  memset(&flood, 0, sizeof(flood));
  slow_running = 0;
  slow_most = 0;
  gate_init(&slow_gate, 0);
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < SLOW_FLOOD; i++)
    assert_int_equal(uv_getaddrinfo(&loop, &flood.lookups[i], flood_on_lookup,
                                    SLOW_NAME, NULL, NULL),
                     0);
  /* Queued behind the whole flood. */
  for (i = 0; i < FS_UNDER_FLOOD; i++)
    assert_int_equal(uv_fs_stat(&loop, &flood.stats[i], "/", flood_on_stat), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);

  assert_int_equal(gate_timeouts(&slow_gate), 0);
  assert_int_equal(flood.fs_done, FS_UNDER_FLOOD);
  assert_int_equal(flood.fs_failed, 0);
  /* Not one lookup could finish before the file-system work did. */
  assert_int_equal(flood.lookups_done_before_fs, 0);
  assert_int_equal(flood.lookups_done, SLOW_FLOOD);
  assert_int_equal(flood.lookup_errors, 0);
  /* Slow I/O never had more than half of the four threads. */
  assert_true(__atomic_load_n(&slow_most, __ATOMIC_SEQ_CST) >= 1);
  assert_true(__atomic_load_n(&slow_most, __ATOMIC_SEQ_CST) <=
              (DEFAULT_POOL_SIZE + 1) / 2);
  loop_close_clean(&loop);
  gate_destroy(&slow_gate);
}

/* ---- UV_THREADPOOL_SIZE, read once when the pool starts --------------------------- */

static void threadpool_size_one_runs_items_one_after_another(void** state) {
  (void)state;
  run_exec_child("pool-size", "1", "1");
}

static void threadpool_size_six_runs_six_items_at_once(void** state) {
  (void)state;
  run_exec_child("pool-size", "6", "6");
}

/* The largest size there is, and one more, which is cut to it.  Not
 * under ThreadSanitizer: 1,024 threads that each block there take it
 * longer than the child's deadline on two busy cores, and a bound is no
 * race. */
static void threadpool_size_1024_runs_1024_items_at_once(void** state) {
  (void)state;
  if (TEST_TSAN) skip();
  run_exec_child("pool-size", "1024", "1024");
}

static void threadpool_size_1025_is_cut_to_1024(void** state) {
  (void)state;
  if (TEST_TSAN) skip();
  run_exec_child("pool-size", "1024", "1025");
}

static void threadpool_size_unset_gives_four_threads(void** state) {
  (void)state;
  run_exec_child("pool-size", "4", NULL);
}

/* eddy refuses what is not a positive decimal number and keeps the
 * default.  libuv 1.44 reads the variable with atoi: "abc", "0" and ""
 * give it one thread, "3x" three, "-2" the maximum. */
static void eddy_threadpool_size_invalid_falls_back_to_four(void** state) {
  static const char* const invalid[] = {"abc", "0", "", "-2", "3x"};
  pid_t pids[ARRAY_LEN(invalid)];
  const char* err[ARRAY_LEN(invalid)];
  char why[ARRAY_LEN(invalid)][128];
  size_t i;
  (void)state;

  EDDY_ONLY();
  /* All at once (each needs a process of its own); every child is
   * waited for before anything is asserted. */
  for (i = 0; i < ARRAY_LEN(invalid); i++)
    pids[i] = spawn_exec_child("pool-size", "4", invalid[i]);
  for (i = 0; i < ARRAY_LEN(invalid); i++) err[i] = wait_child(pids[i], why[i], sizeof(why[i]));
  for (i = 0; i < ARRAY_LEN(invalid); i++)
    if (err[i] != NULL) fail_msg("UV_THREADPOOL_SIZE=\"%s\": %s", invalid[i], err[i]);
}

/* ---- fork ------------------------------------------------------------------------- */

/* The child of a fork has none of the parent's worker threads; the pool
 * starts again there on first use. */
#define FORK_ITEMS 8
static struct item fork_items[FORK_ITEMS];

static int pool_child_after_fork(void) {
  uv_loop_t loop;
  unsigned int i;

  if (uv_loop_init(&loop) != 0) return 10;
  items_init(fork_items, FORK_ITEMS, NULL);
  for (i = 0; i < FORK_ITEMS; i++)
    if (queue_item(&loop, &fork_items[i]) != 0) return 11;
  if (uv_run(&loop, UV_RUN_DEFAULT) != 0) return 12;
  for (i = 0; i < FORK_ITEMS; i++) {
    if (fork_items[i].after_calls != 1 || fork_items[i].status != 0) return 13;
    if (fork_items[i].result != mix(i)) return 14;
    if (pthread_equal(fork_items[i].work_thread, pthread_self())) return 15;
  }
  if (uv_loop_close(&loop) != 0) return 16;
  return 0;
}

static void pool_works_in_a_forked_child(void** state) {
  uv_loop_t loop;
  struct gate g;
  struct item it;
  (void)state;

  /* ThreadSanitizer cannot start threads in the child of a multi-threaded
   * fork (glibc hands the child the stacks of the parent's threads, which
   * it still counts as alive); the tests that only need a fresh pool run
   * this binary again instead. */
  if (TEST_TSAN) skip();
  /* The pool is running, one worker busy, when the process forks. */
  assert_int_equal(uv_loop_init(&loop), 0);
  gate_init(&g, 0);
  items_init(&it, 1, &g);
  assert_int_equal(queue_item(&loop, &it), 0);
  assert_true(gate_wait_arrived(&g, 1));

  run_in_child(pool_child_after_fork);

  gate_open(&g);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(it.after_calls, 1);
  assert_int_equal(gate_timeouts(&g), 0);
  loop_close_clean(&loop);
  gate_destroy(&g);
}

/* ---- eddy: allocation failures and shutdown ---------------------------------------- */

/* Starting the pool allocates; when that fails, uv_queue_work returns
 * UV_ENOMEM, leaks nothing (a loop that then closes leaves no allocation
 * behind), and a later call succeeds.  Every allocation the first
 * uv_queue_work makes fails once, each on a fresh loop.  In a child
 * process (--child alloc), where the pool starts afresh. */
static int queue_work_under_failing_allocations(void) {
  uv_loop_t loop;
  struct item it;
  long n;
  int r = -1;
  int err = 0;

  for (n = 1; n < 64 && err == 0 && r != 0; n++) {
    test_alloc_install(0);
    if (uv_loop_init(&loop) != 0) return 20;
    items_init(&it, 1, NULL);
    test_alloc.fail_at = test_alloc.calls + n;
    r = queue_item(&loop, &it);
    if (r == 0) {
      if (uv_run(&loop, UV_RUN_DEFAULT) != 0) err = 25;
      if (it.after_calls != 1 || it.status != 0) err = 26;
    } else if (r != UV_ENOMEM) {
      fprintf(stderr, "with allocation %ld failing, uv_queue_work returned %s\n", n,
              uv_err_name(r));
      err = 21;
    } else if (loop.active_reqs.count != 0) {
      err = 23;
    }
    if (uv_loop_close(&loop) != 0 && err == 0) err = 27;
    if (r != 0 && err == 0 && test_alloc.live != 0) err = 22;
  }
  test_alloc_restore();
  if (r != 0 && err == 0) err = 24;
  return err;
}

static void eddy_queue_work_survives_allocation_failures(void** state) {
  (void)state;
  EDDY_ONLY();
  run_exec_child("alloc", "", NULL);
}

/* uv_library_shutdown stops and joins the workers (it must not hang); the
 * pool is not to be used afterwards, and eddy says so with an error
 * rather than a hang or a crash.  In a child process (--child shutdown). */
static int shutdown_in_child(void) {
  uv_loop_t loop;
  struct item items[4];
  int i;

  if (uv_loop_init(&loop) != 0) return 30;
  items_init(items, 4, NULL);
  for (i = 0; i < 4; i++)
    if (queue_item(&loop, &items[i]) != 0) return 31;
  if (uv_run(&loop, UV_RUN_DEFAULT) != 0) return 32;
  uv_library_shutdown();
  items_init(items, 1, NULL);
  if (queue_item(&loop, &items[0]) >= 0) return 33;
  if (loop.active_reqs.count != 0) return 34;
  if (uv_loop_close(&loop) != 0) return 35;
  return 0;
}

static void eddy_library_shutdown_joins_the_workers(void** state) {
  (void)state;
  EDDY_ONLY();
  run_exec_child("shutdown", "", NULL);
}

/* The shutdown comes right after the last callback, while the worker that
 * finished the item may still be looking for more work without the pool's
 * lock (it watches for submissions a moment before it sleeps): it must
 * still see that the pool is exiting, not sleep through it.  Each child
 * can shut down only once, so several children try it.  The loop polls
 * (UV_RUN_NOWAIT) so as to reach the shutdown within microseconds of the
 * completion, inside that moment. */
static int shutdown_after_last_item_in_child(void) {
  uv_loop_t loop;
  struct item it;

  if (uv_loop_init(&loop) != 0) return 40;
  items_init(&it, 1, NULL);
  if (queue_item(&loop, &it) != 0) return 41;
  /* Polling, not sleeping in the kernel: the shutdown follows the
   * completion within microseconds. */
  while (it.after_calls == 0) uv_run(&loop, UV_RUN_NOWAIT);
  uv_library_shutdown();
  if (it.after_calls != 1 || it.status != 0) return 43;
  if (uv_loop_close(&loop) != 0) return 44;
  return 0;
}

static void eddy_library_shutdown_right_after_the_last_item(void** state) {
  int i;
  (void)state;
  EDDY_ONLY();
  for (i = 0; i < 10; i++) run_exec_child("shutdown-last", "", NULL);
}

/* ---- unloading the library ---------------------------------------------------- */

/* The threads of this process named like the pool's workers. */
static int count_workers(void) {
  char path[300];
  char comm[32];
  struct dirent* ent;
  DIR* dir = opendir("/proc/self/task");
  FILE* f;
  int n = 0;

  assert_non_null(dir);
  while ((ent = readdir(dir)) != NULL) {
    if (ent->d_name[0] == '.') continue;
    snprintf(path, sizeof(path), "/proc/self/task/%s/comm", ent->d_name);
    f = fopen(path, "r");
    if (f == NULL) continue; /* gone meanwhile */
    if (fgets(comm, sizeof(comm), f) != NULL &&
        strncmp(comm, "libuv-worker", 12) == 0)
      n++;
    fclose(f);
  }
  closedir(dir);
  return n;
}

static int is_mapped(const char* path) {
  char line[512];
  char* real = realpath(path, NULL);
  FILE* f = fopen("/proc/self/maps", "r");
  int found = 0;

  assert_non_null(real);
  assert_non_null(f);
  while (!found && fgets(line, sizeof(line), f) != NULL)
    found = strstr(line, real) != NULL;
  fclose(f);
  free(real);
  return found;
}

static void unload_work(uv_work_t* req) { (void)req; }
static void unload_after(uv_work_t* req, int status) {
  *(int*)req->data = status;
}

/* A module that links libuv.so.1 may be unloaded while the pool runs (Lua
 * closes luv's at exit): like libuv, eddy joins its workers from the
 * library's destructor, or they would wake up in unmapped code (luv's fs
 * test crashed at exit now and then).  The shared library is loaded here
 * beside the static one this test is linked with: a copy of its own. */
static void eddy_unloading_the_library_joins_its_workers(void** state) {
#ifdef EDDY_SHARED_LIBRARY
  void* lib;
  int (*loop_init)(uv_loop_t*);
  int (*queue_work)(uv_loop_t*, uv_work_t*, uv_work_cb, uv_after_work_cb);
  int (*run)(uv_loop_t*, uv_run_mode);
  int (*loop_close)(uv_loop_t*);
  uv_loop_t loop;
  uv_work_t req;
  int status = 1;
  int before;
  (void)state;
  EDDY_ONLY();

  before = count_workers(); /* the static copy's, if it has started */
  lib = dlopen(EDDY_SHARED_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  assert_non_null(lib);
  *(void**)&loop_init = dlsym(lib, "uv_loop_init");
  *(void**)&queue_work = dlsym(lib, "uv_queue_work");
  *(void**)&run = dlsym(lib, "uv_run");
  *(void**)&loop_close = dlsym(lib, "uv_loop_close");
  assert_true(loop_init && queue_work && run && loop_close);
  assert_int_equal(loop_init(&loop), 0);
  req.data = &status;
  assert_int_equal(queue_work(&loop, &req, unload_work, unload_after), 0);
  assert_int_equal(run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(status, 0);
  assert_int_equal(loop_close(&loop), 0);
  assert_true(count_workers() > before); /* the copy started its pool */

  assert_int_equal(dlclose(lib), 0);
  assert_false(is_mapped(EDDY_SHARED_LIBRARY)); /* really unloaded */
  assert_int_equal(count_workers(), before);
#else
  (void)state;
  skip();
#endif
}

/* ---- registration ------------------------------------------------------------------- */

/* test-threadpool --child MODE ARG: what run_exec_child runs. */
static int child_main(const char* mode, const char* arg) {
  int r;

  alarm((unsigned)child_wait_ms() / 1000);
  if (strcmp(mode, "pool-size") == 0) {
    r = pool_size_child(atoi(arg));
  } else if (strcmp(mode, "alloc") == 0) {
    r = queue_work_under_failing_allocations();
  } else if (strcmp(mode, "shutdown") == 0) {
    r = shutdown_in_child(); /* it shuts the library down itself */
    if (r != 0) fprintf(stderr, "child %s: failed at check %d\n", mode, r);
    return r;
  } else if (strcmp(mode, "shutdown-last") == 0) {
    r = shutdown_after_last_item_in_child(); /* shuts down itself */
    if (r != 0) fprintf(stderr, "child %s: failed at check %d\n", mode, r);
    return r;
  } else {
    r = 99;
  }
  if (r != 0) fprintf(stderr, "child %s: failed at check %d\n", mode, r);
  /* Leave with no worker alive (ThreadSanitizer waits a second at exit
   * for threads still running). */
  uv_library_shutdown();
  return r;
}

int main(int argc, char** argv) {
  int r;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(work_runs_on_a_worker_and_after_work_on_the_loop_thread),
      cmocka_unit_test(signal_sent_to_a_worker_runs_its_handler),
      cmocka_unit_test(workers_have_an_8mb_stack),
      cmocka_unit_test(queue_work_without_work_cb_is_einval),
      cmocka_unit_test(after_work_cb_may_be_null),
      cmocka_unit_test(queue_work_takes_no_descriptor_after_loop_init),
      cmocka_unit_test(eddy_queue_work_null_loop_or_req_is_einval),
      cmocka_unit_test(eddy_queue_work_on_a_closed_loop_is_einval),
      cmocka_unit_test(eddy_cancel_null_is_einval),
      cmocka_unit_test(request_keeps_the_loop_alive_until_after_work_cb),
      cmocka_unit_test(run_once_waits_for_the_work),
      cmocka_unit_test(run_once_runs_each_short_item_of_a_chain),
      cmocka_unit_test(eddy_loop_counts_its_items_in_flight),
      cmocka_unit_test(eddy_loop_watches_only_after_work_ran),
      cmocka_unit_test(work_queued_by_after_work_finishes_after_check),
      cmocka_unit_test(after_work_cb_runs_in_the_poll_phase),
      cmocka_unit_test(after_work_cb_may_queue_the_request_again),
      cmocka_unit_test(queue_work_on_a_loop_initialised_again),
      cmocka_unit_test(default_loop_runs_work),
      cmocka_unit_test(hundred_thousand_items_complete_exactly_once),
      cmocka_unit_test(default_pool_runs_four_items_at_once),
      cmocka_unit_test(default_pool_has_exactly_four_threads),
      cmocka_unit_test(threadpool_size_is_read_once_when_the_pool_starts),
      cmocka_unit_test(work_from_two_loops_on_two_threads),
      cmocka_unit_test(loop_may_be_freed_right_after_its_last_callback),
      cmocka_unit_test(burst_from_after_work_runs_in_order),
      cmocka_unit_test(cancel_before_start_reports_ecanceled),
      cmocka_unit_test(cancel_from_after_work_reports_in_a_later_iteration),
      cmocka_unit_test(cancelled_callback_runs_while_the_pool_is_busy),
      cmocka_unit_test(slow_work_waits_its_turn),
      cmocka_unit_test(eddy_loop_fork_forgets_the_parents_posting_workers),
      cmocka_unit_test(cancelled_request_can_be_queued_again),
      cmocka_unit_test(cancel_running_is_ebusy),
      cmocka_unit_test(cancel_finished_is_ebusy),
      cmocka_unit_test(cancel_other_request_types_is_einval),
      cmocka_unit_test(slow_io_flood_does_not_starve_fs_work),
      cmocka_unit_test(threadpool_size_one_runs_items_one_after_another),
      cmocka_unit_test(threadpool_size_six_runs_six_items_at_once),
      cmocka_unit_test(threadpool_size_1024_runs_1024_items_at_once),
      cmocka_unit_test(threadpool_size_1025_is_cut_to_1024),
      cmocka_unit_test(threadpool_size_unset_gives_four_threads),
      cmocka_unit_test(eddy_threadpool_size_invalid_falls_back_to_four),
      cmocka_unit_test(pool_works_in_a_forked_child),
      cmocka_unit_test(eddy_queue_work_survives_allocation_failures),
      cmocka_unit_test(eddy_library_shutdown_joins_the_workers),
      cmocka_unit_test(eddy_library_shutdown_right_after_the_last_item),
      cmocka_unit_test(eddy_unloading_the_library_joins_its_workers),
  };

  if (argc == 4 && strcmp(argv[1], "--child") == 0) return child_main(argv[2], argv[3]);

  /* This process's pool is the default one (see the top of the file). */
  unsetenv("UV_THREADPOOL_SIZE");
  /* The last resort against a hang nothing else caught (longer where the
   * caller says so: tools/valgrind.sh, whose one-thread-at-a-time
   * emulation makes the suite several times slower). */
  alarm(getenv("EDDY_TEST_ALARM") != NULL ? (unsigned)atoi(getenv("EDDY_TEST_ALARM")) : 120);
  if (getenv("EDDY_TEST_SKIP") != NULL) cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  r = cmocka_run_group_tests(tests, NULL, NULL);
  /* Join the workers: the process ends with no thread of the pool alive
   * (ThreadSanitizer waits a second at exit for running threads). */
  uv_library_shutdown();
  return r;
}
