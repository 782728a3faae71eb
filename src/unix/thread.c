/* eddy — threads and the synchronisation primitives on POSIX: uv_thread_*
 * (creation, naming, affinity, priority), mutexes, read-write locks,
 * semaphores, condition variables, barriers, uv_once and thread-local
 * keys, and the CPU questions that go with them (uv_cpumask_size,
 * uv_available_parallelism).
 *
 * The types are the pthread ones (include/uv/unix.h), so the objects of a
 * program built against libuv are used as they are.  Functions that return
 * int report failures as UV_E* codes.  libuv's void functions cannot: a
 * failure there (unlocking a lock not held, destroying one in use, an
 * object never initialised) is a bug in the program, and it stops with a
 * message naming the call, where libuv calls abort() without a word.
 *
 * Naming, affinity and the nice-value side of priorities are Linux's; the
 * BSDs and macOS get their variants when eddy builds there. */
#include "../internal.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_SEC UINT64_C(1000000000)

/* Linux keeps 16 bytes of a thread's name (TASK_COMM_LEN), the NUL
 * included; pthread_setname_np refuses longer names with ERANGE. */
#define THREAD_NAME_SIZE 16

/* The stack a thread gets when RLIMIT_STACK gives no usable size: glibc's
 * own default on x86_64, which is what libuv picks too. */
#define FALLBACK_STACK_SIZE ((size_t)2 << 20)

/* A pthread call that cannot fail in a correct program failed, in a
 * function with no way to say so. */
static _Noreturn void fail(const char* func, const void* obj, const char* call,
                           int err) {
  char what[160];
  snprintf(what, sizeof(what), "%s failed: %s (%s)", call, uv_err_name(-err),
           uv_strerror(-err));
  uv__fatal(func, obj, what);
}

#define CHECK_NOT_NULL(func, p)                         \
  do {                                                  \
    if ((p) == NULL) uv__fatal(func, NULL, "NULL " #p); \
  } while (0)

/* The void wrappers: libuv's API cannot report these failures, which only
 * misuse causes, so they stop the program naming the call. */
#define CALL_OR_FAIL(func, obj, fn, ...)          \
  do {                                            \
    int err_;                                     \
    CHECK_NOT_NULL(func, obj);                    \
    err_ = fn(__VA_ARGS__);                       \
    if (err_ != 0) fail(func, obj, #fn, err_);    \
  } while (0)

/* The try wrappers: held elsewhere and (recursive) held too many times are
 * both "not now", which libuv reports as UV_EBUSY. */
static int try_result(const char* func, const void* obj, const char* call,
                      int err) {
  if (err == 0) return 0;
  if (err == EBUSY || err == EAGAIN) return UV_EBUSY;
  fail(func, obj, call, err);
}

/* ---- threads ------------------------------------------------------------- */

/* pthread_create wants a void* (*)(void*); calling a uv_thread_cb through
 * that type would be undefined, so the thread starts here.  The block is
 * freed before the entry runs, so that a thread leaving by pthread_exit()
 * leaks nothing. */
struct thread_start {
  uv_thread_cb entry;
  void* arg;
};

static void* thread_main(void* p) {
  struct thread_start start = *(struct thread_start*)p;
  uv__free(p);
  start.entry(start.arg);
  return NULL;
}

static size_t page_size(void) {
  long n = sysconf(_SC_PAGESIZE);
  return n > 0 ? (size_t)n : 4096;
}

/* With no stack size given, a thread gets the main thread's limit
 * (RLIMIT_STACK, rounded down to whole pages) as libuv does, read at each
 * creation so that a program's setrlimit() counts; an unlimited or
 * unusably small limit gives the fallback. */
static size_t default_stack_size(void) {
  struct rlimit lim;
  rlim_t size;

  if (getrlimit(RLIMIT_STACK, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY)
    return FALLBACK_STACK_SIZE;
  size = lim.rlim_cur - lim.rlim_cur % page_size();
  if (size < (rlim_t)PTHREAD_STACK_MIN || size > (rlim_t)SIZE_MAX)
    return FALLBACK_STACK_SIZE;
  return (size_t)size;
}

/* A requested size is rounded up to whole pages (pthread wants them) and
 * to at least PTHREAD_STACK_MIN.  0 when it cannot be rounded. */
static size_t round_stack_size(size_t size) {
  size_t page = page_size();
  if (size > SIZE_MAX - (page - 1)) return 0;
  size = (size + page - 1) / page * page;
  if (size < (size_t)PTHREAD_STACK_MIN) size = (size_t)PTHREAD_STACK_MIN;
  return size;
}

UV__EXPORT int uv_thread_create_ex(uv_thread_t* tid,
                                   const uv_thread_options_t* params,
                                   uv_thread_cb entry, void* arg) {
  struct thread_start* start;
  pthread_attr_t attr;
  size_t stack_size;
  int err;

  if (tid == NULL || params == NULL || entry == NULL) return UV_EINVAL;
  if (params->flags & ~(unsigned int)UV_THREAD_HAS_STACK_SIZE) return UV_EINVAL;

  stack_size = 0;
  if (params->flags & UV_THREAD_HAS_STACK_SIZE) stack_size = params->stack_size;
  if (stack_size == 0) {
    stack_size = default_stack_size();
  } else {
    stack_size = round_stack_size(stack_size);
    if (stack_size == 0) return UV_EINVAL;
  }

  start = uv__malloc(sizeof(*start));
  if (start == NULL) return UV_ENOMEM;
  start->entry = entry;
  start->arg = arg;

  err = pthread_attr_init(&attr);
  if (err != 0) {
    uv__free(start);
    return -err;
  }
  err = pthread_attr_setstacksize(&attr, stack_size);
  if (err == 0) err = pthread_create(tid, &attr, thread_main, start);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    uv__free(start);
    return -err;
  }
  return 0;
}

UV__EXPORT int uv_thread_create(uv_thread_t* tid, uv_thread_cb entry,
                                void* arg) {
  uv_thread_options_t params = {UV_THREAD_NO_FLAGS, 0};
  return uv_thread_create_ex(tid, &params, entry, arg);
}

UV__EXPORT int uv_thread_detach(uv_thread_t* tid) {
  if (tid == NULL) return UV_EINVAL;
  return -pthread_detach(*tid);
}

UV__EXPORT int uv_thread_join(uv_thread_t* tid) {
  if (tid == NULL) return UV_EINVAL;
  return -pthread_join(*tid, NULL);
}

UV__EXPORT uv_thread_t uv_thread_self(void) { return pthread_self(); }

/* A boolean: an error code would read as "equal", so NULL stops. */
UV__EXPORT int uv_thread_equal(const uv_thread_t* t1, const uv_thread_t* t2) {
  CHECK_NOT_NULL("uv_thread_equal", t1);
  CHECK_NOT_NULL("uv_thread_equal", t2);
  return pthread_equal(*t1, *t2);
}

/* ---- names --------------------------------------------------------------- */

/* A longer name is cut to what Linux keeps, as libuv does, rather than
 * refused: a thread name is a label for ps and debuggers. */
UV__EXPORT int uv_thread_setname(const char* name) {
  char buf[THREAD_NAME_SIZE];
  size_t len;

  if (name == NULL) return UV_EINVAL;
  len = strnlen(name, sizeof(buf) - 1);
  memcpy(buf, name, len);
  buf[len] = '\0';
  return -pthread_setname_np(pthread_self(), buf);
}

/* A buffer too small for the name gets as much of it as fits, terminated. */
UV__EXPORT int uv_thread_getname(uv_thread_t* tid, char* name, size_t size) {
  char buf[THREAD_NAME_SIZE];
  size_t len;
  int err;

  if (tid == NULL || name == NULL || size == 0) return UV_EINVAL;
  err = pthread_getname_np(*tid, buf, sizeof(buf));
  if (err != 0) return -err;
  len = strnlen(buf, sizeof(buf) - 1);
  if (len > size - 1) len = size - 1;
  memcpy(name, buf, len);
  name[len] = '\0';
  return 0;
}

/* ---- CPUs ---------------------------------------------------------------- */

/* Masks are arrays of one byte per CPU (non-zero: allowed), as many as a
 * cpu_set_t describes. */
UV__EXPORT int uv_cpumask_size(void) { return CPU_SETSIZE; }

UV__EXPORT int uv_thread_getaffinity(uv_thread_t* tid, char* cpumask,
                                     size_t mask_size) {
  cpu_set_t set;
  int err;
  int i;

  if (tid == NULL || cpumask == NULL) return UV_EINVAL;
  if (mask_size < (size_t)uv_cpumask_size()) return UV_EINVAL;
  CPU_ZERO(&set);
  err = pthread_getaffinity_np(*tid, sizeof(set), &set);
  if (err != 0) return -err;
  for (i = 0; i < CPU_SETSIZE; i++) cpumask[i] = CPU_ISSET(i, &set) ? 1 : 0;
  return 0;
}

/* The new mask is read before the old one is written, so that cpumask and
 * oldmask may be the same buffer. */
UV__EXPORT int uv_thread_setaffinity(uv_thread_t* tid, char* cpumask,
                                     char* oldmask, size_t mask_size) {
  cpu_set_t set;
  int err;
  int i;

  if (tid == NULL || cpumask == NULL) return UV_EINVAL;
  if (mask_size < (size_t)uv_cpumask_size()) return UV_EINVAL;
  CPU_ZERO(&set);
  for (i = 0; i < CPU_SETSIZE; i++)
    if (cpumask[i] != 0) CPU_SET(i, &set);
  if (oldmask != NULL) {
    err = uv_thread_getaffinity(tid, oldmask, mask_size);
    if (err != 0) return err;
  }
  return -pthread_setaffinity_np(*tid, sizeof(set), &set);
}

UV__EXPORT int uv_thread_getcpu(void) {
  int cpu = sched_getcpu();
  return cpu < 0 ? -errno : cpu;
}

/* The CPUs the calling thread may run on; the online count when the mask
 * cannot be read (more CPUs than a cpu_set_t holds). */
UV__EXPORT unsigned int uv_available_parallelism(void) {
  cpu_set_t set;
  long n;

  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    n = CPU_COUNT(&set);
  else
    n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > UINT_MAX) n = UINT_MAX;
  return (unsigned int)n;
}

/* ---- priorities ---------------------------------------------------------- */

/* Under SCHED_OTHER a thread's static priority is always 0 and what orders
 * threads is the nice value, which Linux keeps per thread; libuv sets and
 * reports that for the calling thread: each UV_THREAD_PRIORITY_* step is
 * two nice levels (HIGHEST -4 ... LOWEST +4), and getpriority reports the
 * nice value itself.  Raising priority (lowering nice) needs CAP_SYS_NICE or
 * RLIMIT_NICE; without them the call fails with UV_EACCES. */
static int is_calling_thread_under_nice(uv_thread_t tid, int policy) {
#ifdef __linux__
  return policy == SCHED_OTHER && pthread_equal(tid, pthread_self());
#else
  (void)tid;
  (void)policy;
  return 0;
#endif
}

UV__EXPORT int uv_thread_getpriority(uv_thread_t tid, int* priority) {
  struct sched_param param;
  int policy;
  int err;
  int value;

  if (priority == NULL) return UV_EINVAL;
  err = pthread_getschedparam(tid, &policy, &param);
  if (err != 0) return -err;
  if (is_calling_thread_under_nice(tid, policy)) {
    /* who = 0 is the calling thread on Linux, not the whole process. */
    errno = 0;
    value = getpriority(PRIO_PROCESS, 0);
    if (value == -1 && errno != 0) return -errno;
    *priority = value;
    return 0;
  }
  *priority = param.sched_priority;
  return 0;
}

/* Other threads and other policies get a static priority spread evenly
 * over the policy's range: LOWEST its minimum, HIGHEST its maximum.  For
 * SCHED_OTHER that range is 0..0, so the call changes nothing. */
UV__EXPORT int uv_thread_setpriority(uv_thread_t tid, int priority) {
  struct sched_param param;
  int policy;
  int min;
  int max;
  int prio;
  int err;

  if (priority < UV_THREAD_PRIORITY_LOWEST ||
      priority > UV_THREAD_PRIORITY_HIGHEST)
    return UV_EINVAL;
  err = pthread_getschedparam(tid, &policy, &param);
  if (err != 0) return -err;

  if (is_calling_thread_under_nice(tid, policy)) {
    if (setpriority(PRIO_PROCESS, 0, -2 * priority) != 0) return -errno;
    return 0;
  }

  min = sched_get_priority_min(policy);
  max = sched_get_priority_max(policy);
  if (min == -1 || max == -1) return -errno;
  prio = min + (max - min) * (priority - UV_THREAD_PRIORITY_LOWEST) /
                   (UV_THREAD_PRIORITY_HIGHEST - UV_THREAD_PRIORITY_LOWEST);
  if (param.sched_priority == prio) return 0;
  param.sched_priority = prio;
  return -pthread_setschedparam(tid, policy, &param);
}

/* ---- mutexes ------------------------------------------------------------- */

UV__EXPORT int uv_mutex_init(uv_mutex_t* mutex) {
  if (mutex == NULL) return UV_EINVAL;
  return -pthread_mutex_init(mutex, NULL);
}

UV__EXPORT int uv_mutex_init_recursive(uv_mutex_t* mutex) {
  pthread_mutexattr_t attr;
  int err;

  if (mutex == NULL) return UV_EINVAL;
  err = pthread_mutexattr_init(&attr);
  if (err != 0) return -err;
  err = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  if (err == 0) err = pthread_mutex_init(mutex, &attr);
  pthread_mutexattr_destroy(&attr);
  return -err;
}

UV__EXPORT void uv_mutex_destroy(uv_mutex_t* mutex) {
  CALL_OR_FAIL("uv_mutex_destroy", mutex, pthread_mutex_destroy, mutex);
}

UV__EXPORT void uv_mutex_lock(uv_mutex_t* mutex) {
  CALL_OR_FAIL("uv_mutex_lock", mutex, pthread_mutex_lock, mutex);
}

UV__EXPORT int uv_mutex_trylock(uv_mutex_t* mutex) {
  if (mutex == NULL) return UV_EINVAL;
  return try_result("uv_mutex_trylock", mutex, "pthread_mutex_trylock",
                    pthread_mutex_trylock(mutex));
}

UV__EXPORT void uv_mutex_unlock(uv_mutex_t* mutex) {
  CALL_OR_FAIL("uv_mutex_unlock", mutex, pthread_mutex_unlock, mutex);
}

/* ---- read-write locks ---------------------------------------------------- */

UV__EXPORT int uv_rwlock_init(uv_rwlock_t* rwlock) {
  if (rwlock == NULL) return UV_EINVAL;
  return -pthread_rwlock_init(rwlock, NULL);
}

UV__EXPORT void uv_rwlock_destroy(uv_rwlock_t* rwlock) {
  CALL_OR_FAIL("uv_rwlock_destroy", rwlock, pthread_rwlock_destroy, rwlock);
}

UV__EXPORT void uv_rwlock_rdlock(uv_rwlock_t* rwlock) {
  CALL_OR_FAIL("uv_rwlock_rdlock", rwlock, pthread_rwlock_rdlock, rwlock);
}

UV__EXPORT int uv_rwlock_tryrdlock(uv_rwlock_t* rwlock) {
  if (rwlock == NULL) return UV_EINVAL;
  return try_result("uv_rwlock_tryrdlock", rwlock, "pthread_rwlock_tryrdlock",
                    pthread_rwlock_tryrdlock(rwlock));
}

UV__EXPORT void uv_rwlock_rdunlock(uv_rwlock_t* rwlock) {
  CALL_OR_FAIL("uv_rwlock_rdunlock", rwlock, pthread_rwlock_unlock, rwlock);
}

UV__EXPORT void uv_rwlock_wrlock(uv_rwlock_t* rwlock) {
  CALL_OR_FAIL("uv_rwlock_wrlock", rwlock, pthread_rwlock_wrlock, rwlock);
}

UV__EXPORT int uv_rwlock_trywrlock(uv_rwlock_t* rwlock) {
  if (rwlock == NULL) return UV_EINVAL;
  return try_result("uv_rwlock_trywrlock", rwlock, "pthread_rwlock_trywrlock",
                    pthread_rwlock_trywrlock(rwlock));
}

UV__EXPORT void uv_rwlock_wrunlock(uv_rwlock_t* rwlock) {
  CALL_OR_FAIL("uv_rwlock_wrunlock", rwlock, pthread_rwlock_unlock, rwlock);
}

/* ---- semaphores ---------------------------------------------------------- */

/* Process-private POSIX semaphores; the sem_* calls report through errno. */
UV__EXPORT int uv_sem_init(uv_sem_t* sem, unsigned int value) {
  if (sem == NULL) return UV_EINVAL;
  if (sem_init(sem, 0, value) != 0) return -errno;
  return 0;
}

UV__EXPORT void uv_sem_destroy(uv_sem_t* sem) {
  CHECK_NOT_NULL("uv_sem_destroy", sem);
  if (sem_destroy(sem) != 0) fail("uv_sem_destroy", sem, "sem_destroy", errno);
}

UV__EXPORT void uv_sem_post(uv_sem_t* sem) {
  CHECK_NOT_NULL("uv_sem_post", sem);
  if (sem_post(sem) != 0) fail("uv_sem_post", sem, "sem_post", errno);
}

/* A signal handler may interrupt the wait; the caller asked to wait for the
 * count, so the wait goes on. */
UV__EXPORT void uv_sem_wait(uv_sem_t* sem) {
  int r;
  CHECK_NOT_NULL("uv_sem_wait", sem);
  do {
    r = sem_wait(sem);
  } while (r != 0 && errno == EINTR);
  if (r != 0) fail("uv_sem_wait", sem, "sem_wait", errno);
}

UV__EXPORT int uv_sem_trywait(uv_sem_t* sem) {
  int r;
  if (sem == NULL) return UV_EINVAL;
  do {
    r = sem_trywait(sem);
  } while (r != 0 && errno == EINTR);
  if (r == 0) return 0;
  if (errno == EAGAIN) return UV_EAGAIN;
  fail("uv_sem_trywait", sem, "sem_trywait", errno);
}

/* ---- condition variables ------------------------------------------------- */

/* Timed waits count on CLOCK_MONOTONIC, so that setting the wall clock
 * neither cuts a wait short nor stretches it. */
UV__EXPORT int uv_cond_init(uv_cond_t* cond) {
  pthread_condattr_t attr;
  int err;

  if (cond == NULL) return UV_EINVAL;
  err = pthread_condattr_init(&attr);
  if (err != 0) return -err;
  err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  if (err == 0) err = pthread_cond_init(cond, &attr);
  pthread_condattr_destroy(&attr);
  return -err;
}

UV__EXPORT void uv_cond_destroy(uv_cond_t* cond) {
  CALL_OR_FAIL("uv_cond_destroy", cond, pthread_cond_destroy, cond);
}

UV__EXPORT void uv_cond_signal(uv_cond_t* cond) {
  CALL_OR_FAIL("uv_cond_signal", cond, pthread_cond_signal, cond);
}

UV__EXPORT void uv_cond_broadcast(uv_cond_t* cond) {
  CALL_OR_FAIL("uv_cond_broadcast", cond, pthread_cond_broadcast, cond);
}

UV__EXPORT void uv_cond_wait(uv_cond_t* cond, uv_mutex_t* mutex) {
  int err;
  CHECK_NOT_NULL("uv_cond_wait", cond);
  CHECK_NOT_NULL("uv_cond_wait", mutex);
  err = pthread_cond_wait(cond, mutex);
  if (err != 0) fail("uv_cond_wait", cond, "pthread_cond_wait", err);
}

/* timeout is relative, in nanoseconds.  A deadline past what the clock can
 * express is clamped to the largest one (centuries away) instead of
 * wrapping around into the past, where the wait would end at once. */
UV__EXPORT int uv_cond_timedwait(uv_cond_t* cond, uv_mutex_t* mutex,
                                 uint64_t timeout) {
  struct timespec now;
  struct timespec ts;
  uint64_t deadline;
  int err;

  if (cond == NULL || mutex == NULL) return UV_EINVAL;
  if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
    fail("uv_cond_timedwait", cond, "clock_gettime", errno);
  deadline = (uint64_t)now.tv_sec * NS_PER_SEC + (uint64_t)now.tv_nsec;
  deadline = timeout > UINT64_MAX - deadline ? UINT64_MAX : deadline + timeout;
  ts.tv_sec = (time_t)(deadline / NS_PER_SEC);
  ts.tv_nsec = (long)(deadline % NS_PER_SEC);

  err = pthread_cond_timedwait(cond, mutex, &ts);
  if (err == 0) return 0;
  if (err == ETIMEDOUT) return UV_ETIMEDOUT;
  fail("uv_cond_timedwait", cond, "pthread_cond_timedwait", err);
}

/* ---- barriers ------------------------------------------------------------ */

/* Not a pthread_barrier_t: the thread told it is the serial one must be the
 * last to leave, so that it may destroy the barrier at once, which is the
 * pattern libuv documents.  A pthread barrier names the last to arrive;
 * glibc makes its destroy wait for the others to leave, but other systems
 * need not, and ThreadSanitizer reports the pattern as a race.  A mutex and
 * a condition variable do not fit in uv_barrier_t, so the object holds a
 * pointer to them. */
struct barrier {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  unsigned int threshold;
  unsigned int arrived; /* threads waiting in the current round */
  unsigned int leaving; /* threads released but not yet returned */
  unsigned long round;  /* rounds completed: what the waiters watch */
};

_Static_assert(sizeof(struct barrier*) <= sizeof(uv_barrier_t),
               "uv_barrier_t must hold a pointer");

/* Through memcpy: the storage is declared as another type. */
static struct barrier* barrier_get(const uv_barrier_t* barrier) {
  struct barrier* b;
  memcpy(&b, barrier, sizeof(b));
  return b;
}

static void barrier_set(uv_barrier_t* barrier, struct barrier* b) {
  memset(barrier, 0, sizeof(*barrier));
  memcpy(barrier, &b, sizeof(b));
}

UV__EXPORT int uv_barrier_init(uv_barrier_t* barrier, unsigned int count) {
  struct barrier* b;
  int err;

  if (barrier == NULL || count == 0) return UV_EINVAL;
  b = uv__malloc(sizeof(*b));
  if (b == NULL) return UV_ENOMEM;
  b->threshold = count;
  b->arrived = 0;
  b->leaving = 0;
  b->round = 0;
  err = pthread_mutex_init(&b->mutex, NULL);
  if (err != 0) {
    uv__free(b);
    return -err;
  }
  err = pthread_cond_init(&b->cond, NULL);
  if (err != 0) {
    pthread_mutex_destroy(&b->mutex);
    uv__free(b);
    return -err;
  }
  barrier_set(barrier, b);
  return 0;
}

static void barrier_lock(struct barrier* b, const char* func) {
  int err = pthread_mutex_lock(&b->mutex);
  if (err != 0) fail(func, b, "pthread_mutex_lock", err);
}

static void barrier_unlock(struct barrier* b, const char* func) {
  int err = pthread_mutex_unlock(&b->mutex);
  if (err != 0) fail(func, b, "pthread_mutex_unlock", err);
}

static void barrier_sleep(struct barrier* b) {
  int err = pthread_cond_wait(&b->cond, &b->mutex);
  if (err != 0) fail("uv_barrier_wait", b, "pthread_cond_wait", err);
}

static void barrier_wake_all(struct barrier* b) {
  int err = pthread_cond_broadcast(&b->cond);
  if (err != 0) fail("uv_barrier_wait", b, "pthread_cond_broadcast", err);
}

/* 1 in exactly one of the threads released together, the last of them to
 * return, 0 in the others. */
UV__EXPORT int uv_barrier_wait(uv_barrier_t* barrier) {
  struct barrier* b;
  unsigned long round;
  int serial;

  if (barrier == NULL) return UV_EINVAL;
  b = barrier_get(barrier);
  if (b == NULL)
    uv__fatal("uv_barrier_wait", barrier, "barrier not initialized");
  barrier_lock(b, "uv_barrier_wait");
  /* A thread back before the last round has drained waits, so that rounds
   * never mix (possible when more threads than the count share it). */
  while (b->leaving > 0) barrier_sleep(b);
  round = b->round;
  if (++b->arrived == b->threshold) {
    b->arrived = 0;
    b->leaving = b->threshold;
    b->round++;
    barrier_wake_all(b);
  } else {
    while (b->round == round) barrier_sleep(b);
  }
  serial = --b->leaving == 0;
  if (serial) barrier_wake_all(b); /* threads waiting for the drain */
  barrier_unlock(b, "uv_barrier_wait");
  return serial;
}

UV__EXPORT void uv_barrier_destroy(uv_barrier_t* barrier) {
  struct barrier* b;
  int err;

  CHECK_NOT_NULL("uv_barrier_destroy", barrier);
  b = barrier_get(barrier);
  if (b == NULL)
    uv__fatal("uv_barrier_destroy", barrier, "barrier not initialized");
  barrier_lock(b, "uv_barrier_destroy");
  if (b->arrived != 0 || b->leaving != 0)
    uv__fatal("uv_barrier_destroy", barrier, "threads are waiting on it");
  barrier_unlock(b, "uv_barrier_destroy");
  err = pthread_cond_destroy(&b->cond);
  if (err != 0)
    fail("uv_barrier_destroy", barrier, "pthread_cond_destroy", err);
  err = pthread_mutex_destroy(&b->mutex);
  if (err != 0)
    fail("uv_barrier_destroy", barrier, "pthread_mutex_destroy", err);
  uv__free(b);
  barrier_set(barrier, NULL);
}

/* ---- once and thread-local keys ------------------------------------------ */

UV__EXPORT void uv_once(uv_once_t* guard, void (*callback)(void)) {
  int err;
  CHECK_NOT_NULL("uv_once", guard);
  CHECK_NOT_NULL("uv_once", callback);
  err = pthread_once(guard, callback);
  if (err != 0) fail("uv_once", guard, "pthread_once", err);
}

UV__EXPORT int uv_key_create(uv_key_t* key) {
  if (key == NULL) return UV_EINVAL;
  return -pthread_key_create(key, NULL);
}

UV__EXPORT void uv_key_delete(uv_key_t* key) {
  CALL_OR_FAIL("uv_key_delete", key, pthread_key_delete, *key);
}

UV__EXPORT void* uv_key_get(uv_key_t* key) {
  CHECK_NOT_NULL("uv_key_get", key);
  return pthread_getspecific(*key);
}

UV__EXPORT void uv_key_set(uv_key_t* key, void* value) {
  CALL_OR_FAIL("uv_key_set", key, pthread_setspecific, *key, value);
}
