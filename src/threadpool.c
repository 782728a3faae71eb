/* eddy — the worker thread pool: uv_queue_work, uv_cancel, and the
 * machinery the file system and DNS requests share.
 *
 * One pool per process, started on first use with UV_THREADPOOL_SIZE
 * threads (default 4, at most 1024).  Work has a class: CPU and fast I/O
 * share one queue; slow I/O (name resolution) has its own and may occupy
 * at most half the threads, so that slow lookups cannot starve the file
 * system.  A submission is a lock-free push; the workers move submissions
 * to the queue under the pool's mutex.  The pool keeps as few workers awake
 * as keep the queue moving (see "waking workers").  A finished item goes on
 * its loop's lock-free stack of finished work and wakes the loop through
 * the loop's eventfd (src/unix/async.c); its callback runs on the loop
 * thread, in the poll phase.  Items are routed by kind, not by a stored
 * function pointer.  docs/threadpool.md tells the design. */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_THREADS 4
#define MAX_THREADS 1024

/* How long work may wait in the queue behind active workers before the
 * standby decides they are not keeping up and joins them. */
#define STANDBY_NS 100000

/* How long the last active worker watches for submissions before it
 * sleeps (spin_for_submissions), in pauses: at most about 90 us on x86,
 * at least about 1 us.  The length adapts: doubled after a watch that saw
 * a submission, halved after one that did not, so that a program that
 * submits seldom does not pay a watch per item in CPU time. */
#define SPIN_LOOKS_MAX 2000
#define SPIN_LOOKS_MIN 16

enum { WORK_QUEUED = 1, WORK_RUNNING, WORK_DONE };

/* The standby: at most one worker that waits with a timeout and watches
 * the queue while other workers are active. */
enum { STANDBY_NONE, STANDBY_CALLED, STANDBY_WAITING };

#define CACHE_LINE 64

/* Fields marked "atomic" are written under the mutex but also read
 * without it, by uv__work_submit's lock-free path.  Three cache lines
 * apart: what every submission writes (incoming), what it only reads and
 * changes seldom (active, standby, nthreads), and what a worker writes
 * for every item (the mutex and the queue), so that neither side's
 * per-item writes take the other's lines away. */
static struct {
  struct uv__link* incoming;   /* atomic: submitted, not yet queued; newest first */
  unsigned int active __attribute__((aligned(CACHE_LINE)));
                               /* atomic: running an item, looking for one, or woken to */
  int standby;                 /* atomic: STANDBY_* */
  int spinning;                /* atomic: the last active worker watches
                                  incoming (spin_for_submissions) */
  unsigned int spin_looks;     /* the next watch's length (under mutex) */
  unsigned int nthreads;       /* atomic: started */
  pthread_mutex_t mutex __attribute__((aligned(CACHE_LINE)));
  pthread_cond_t cond;         /* idle workers: a role was handed out, or exit */
  pthread_cond_t standby_cond; /* the standby: promoted, or exit */
  struct uv__link queue;       /* CPU and fast I/O */
  struct uv__link slow;        /* slow I/O */
  struct uv__link slow_turn;   /* on queue: slow I/O's place in line */
  unsigned int sleeping;       /* waiting on cond */
  unsigned int wakeups;        /* of those: signalled to become active */
  int promote;                 /* the standby is to become active */
  unsigned int queued;         /* items on queue and slow */
  uint64_t dequeued;           /* items taken or cancelled, ever */
  unsigned int slow_running;
  unsigned int slow_max;
  int exiting;
  int conds_ready;             /* standby_cond is initialised */
  pthread_t* threads;
} pool = {.mutex = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static void set_active(unsigned int n) {
  __atomic_store_n(&pool.active, n, __ATOMIC_SEQ_CST);
}

static void set_standby(int s) {
  __atomic_store_n(&pool.standby, s, __ATOMIC_SEQ_CST);
}

/* ---- running one item ------------------------------------------------------ */

static void run_work(struct uv__work* w) {
  switch ((enum uv__work_kind)w->kind) {
    case UV__WORK_USER: {
      uv_work_t* req = container_of(w, uv_work_t, work_req);
      req->work_cb(req);
      return;
    }
    case UV__WORK_FS:
      uv__fs_work(w);
      return;
    case UV__WORK_GETADDRINFO:
      uv__getaddrinfo_work(w);
      return;
    case UV__WORK_GETNAMEINFO:
      uv__getnameinfo_work(w);
      return;
    case UV__WORK_RANDOM:
      uv__random_work(w);
      return;
  }
  uv__fatal("threadpool", w, "work item of unknown kind");
}

static void run_done(struct uv__work* w) {
  switch ((enum uv__work_kind)w->kind) {
    case UV__WORK_USER: {
      uv_work_t* req = container_of(w, uv_work_t, work_req);
      uv__req_unregister(req->loop);
      if (req->after_work_cb != NULL) req->after_work_cb(req, w->status);
      return;
    }
    case UV__WORK_FS:
      uv__fs_done(w);
      return;
    case UV__WORK_GETADDRINFO:
      uv__getaddrinfo_done(w);
      return;
    case UV__WORK_GETNAMEINFO:
      uv__getnameinfo_done(w);
      return;
    case UV__WORK_RANDOM:
      uv__random_done(w);
      return;
  }
  uv__fatal("threadpool", w, "work item of unknown kind");
}

/* Hands a finished (or cancelled) item back to its loop: a lock-free push
 * on the loop's stack of finished work; whoever pushes onto an empty stack
 * wakes the loop, which takes the whole stack at once.  Between the push
 * and the wake-up the loop thread may already have taken w, run its
 * callback and be closing the loop: wq_posters tells uv_loop_close to wait
 * until no worker can touch the loop any more (uv__work_loop_close). */
static void post_done(struct uv__work* w) {
  uv_loop_t* loop = w->loop;
  void* head;

  __atomic_fetch_add(&loop->wq_posters, 1, __ATOMIC_SEQ_CST);
  head = __atomic_load_n(&loop->wq_done, __ATOMIC_RELAXED);
  do
    w->link.next = head;
  while (!__atomic_compare_exchange_n(&loop->wq_done, &head, &w->link, 1,
                                      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
  /* uv__async_wake does not write while the loop says it is awake
   * (uv__work_done). */
  if (head == NULL) uv__async_wake(loop);
  __atomic_fetch_sub(&loop->wq_posters, 1, __ATOMIC_RELEASE);
}

/* ---- the queue ------------------------------------------------------------- */

static void enqueue(struct uv__work* w) {
  if (w->cls == UV__WORK_SLOW_IO) {
    uv__link_insert_tail(&pool.slow, &w->link);
    if (!uv__link_linked(&pool.slow_turn))
      uv__link_insert_tail(&pool.queue, &pool.slow_turn);
  } else {
    uv__link_insert_tail(&pool.queue, &w->link);
  }
  pool.queued++;
}

/* The lock-free stacks (submissions, finished work) are pushed newest
 * first: reverses one taken whole, through the links' next pointers. */
static struct uv__link* oldest_first(struct uv__link* l) {
  struct uv__link* next;
  struct uv__link* fifo = NULL;

  for (; l != NULL; l = next) {
    next = l->next;
    l->next = fifo;
    fifo = l;
  }
  return fifo;
}

/* Moves the submissions to the queue, oldest first; called with the pool
 * locked.  Every submission is newer than everything queued, so order is
 * kept whenever this runs. */
static void take_incoming(void) {
  struct uv__link* l;
  struct uv__link* next;

  if (__atomic_load_n(&pool.incoming, __ATOMIC_SEQ_CST) == NULL) return;
  l = oldest_first(__atomic_exchange_n(&pool.incoming, NULL, __ATOMIC_ACQUIRE));
  for (; l != NULL; l = next) {
    next = l->next;
    enqueue(container_of(l, struct uv__work, link));
  }
}

/* The next item a worker may take, or NULL; called with the pool locked.
 *
 * Work starts in the order it was queued, as in libuv (programs and
 * libuv's own tests count on it: a cancel of work queued behind busy
 * workers must find it not started).  Slow I/O waits in its own list and
 * holds one place in the main queue, slow_turn: when a worker reaches it
 * and fewer than slow_max slow items run, it takes the oldest slow item,
 * and slow_turn goes to the back of the line if more wait.  At the cap the
 * worker passes slow_turn by and takes the fast item behind it, so slow
 * work can hold at most half of the workers. */
static struct uv__work* pick_item(void) {
  struct uv__link* l = pool.queue.next;

  for (; l != &pool.queue; l = l->next) {
    if (l != &pool.slow_turn) break; /* a fast item */
    if (uv__link_empty(&pool.slow)) {
      uv__link_remove(l); /* its slow work was cancelled */
      uv__link_init(l);
      l = &pool.queue; /* look again from the head */
      continue;
    }
    if (pool.slow_running >= pool.slow_max) continue; /* pass it by */
    uv__link_remove(&pool.slow_turn);
    uv__link_init(&pool.slow_turn);
    l = pool.slow.next;
    uv__link_remove(l);
    if (!uv__link_empty(&pool.slow))
      uv__link_insert_tail(&pool.queue, &pool.slow_turn);
    pool.slow_running++;
    return container_of(l, struct uv__work, link);
  }
  if (l == &pool.queue) return NULL;
  uv__link_remove(l);
  return container_of(l, struct uv__work, link);
}

static struct uv__work* next_item(void) {
  struct uv__work* w;

  /* Submissions are newer than all that is queued: look at them (a cache
   * line the submitters write) only when the queue has nothing to give. */
  w = pick_item();
  if (w == NULL) {
    take_incoming();
    w = pick_item();
  }
  if (w != NULL) {
    pool.queued--;
    pool.dequeued++;
  }
  return w;
}

/* Whether next_item would return an item (slow_turn is there at most
 * once, so this looks at two entries at most). */
static int work_available(void) {
  struct uv__link* l;

  take_incoming();
  for (l = pool.queue.next; l != &pool.queue; l = l->next) {
    if (l != &pool.slow_turn) return 1;
    if (!uv__link_empty(&pool.slow) && pool.slow_running < pool.slow_max)
      return 1;
  }
  return 0;
}

/* ---- waking workers ---------------------------------------------------------
 *
 * A futex wake-up and the context switch behind it cost far more than a
 * short item, and every extra worker awake on a short queue contends for
 * the mutex: so the pool keeps as few workers awake as keep the queue
 * moving.
 *
 * - Work submitted while no worker is active wakes one; a woken worker
 *   counts as active at once, so a burst of submissions costs one futex
 *   wake, not one per item.
 * - Work queued behind active workers could wait behind a long item, so
 *   it is watched: one idle worker becomes the standby and waits with a
 *   timeout (STANDBY_NS).  When the timeout passes and some item that was
 *   queued when it started waiting has still not been taken, the active
 *   workers are not keeping up (they are blocked in long work, or too few):
 *   it joins them, and wakes as many again (up to what is queued), so n
 *   blocked items reach n workers in about log2(n) timeouts.  Otherwise
 *   it watches again or, once nothing is queued, goes back to sleep.
 * - A worker that finishes an item looks for the next one before it
 *   sleeps, so a busy queue keeps its workers without any wake-up.  The
 *   last active worker watches for submissions a moment before it sleeps
 *   (spin_for_submissions).
 * - A worker running slow I/O does not count as active: work queued
 *   behind lookups wakes a worker at once.
 *
 * Submitting is a lock-free push onto pool.incoming, followed by a look
 * at pool.active and pool.standby: only when no worker is active, or when
 * nobody watches and a worker could, does the submitter take the mutex.
 * A worker going to sleep first stops counting as active, then looks at
 * incoming once more; the standby stepping down does the same with
 * pool.standby.  All four accesses are sequentially consistent, so either
 * the submitter sees the worker gone or the worker sees the submission:
 * none is left without a worker.
 *
 * Roles are handed out under the mutex and claimed by whichever idle
 * worker wakes first (a spurious wake-up may claim a role another worker
 * was signalled for; that one then sleeps again). */

/* Idle workers no role is promised to yet. */
static unsigned int unclaimed_sleepers(void) {
  unsigned int claimed = pool.wakeups + (pool.standby == STANDBY_CALLED);
  return pool.sleeping > claimed ? pool.sleeping - claimed : 0;
}

/* Wakes one idle worker to take work; 0 if none is left to wake. */
static int wake_worker(void) {
  if (unclaimed_sleepers() == 0) return 0;
  pool.wakeups++;
  set_active(pool.active + 1);
  pthread_cond_signal(&pool.cond);
  return 1;
}

/* Makes sure some worker watches the queue: a standby, if an idle worker
 * is left to be one. */
static void watch_queue(void) {
  if (pool.standby != STANDBY_NONE || unclaimed_sleepers() == 0) return;
  set_standby(STANDBY_CALLED);
  pthread_cond_signal(&pool.cond);
}

/* What a submission needs from the workers; called with the pool locked. */
static void work_queued(void) {
  if (!work_available()) return; /* taken already, or slow I/O at its cap */
  if (pool.active > 0) {
    watch_queue();
    return;
  }
  if (wake_worker()) return;
  if (pool.standby == STANDBY_CALLED) {
    /* The worker called to stand by will take work instead. */
    set_standby(STANDBY_NONE);
    pool.wakeups++;
    set_active(pool.active + 1);
  } else if (pool.standby == STANDBY_WAITING) {
    pool.promote = 1;
    set_active(pool.active + 1);
    pthread_cond_signal(&pool.standby_cond);
  }
}

/* Whether a submission just pushed needs work_queued (lock-free). */
static int submission_needs_lock(void) {
  unsigned int active;

  /* The watching worker takes it: no lock, no standby called for an item
   * that an idle worker is about to pick up (see spin_for_submissions). */
  if (__atomic_load_n(&pool.spinning, __ATOMIC_SEQ_CST)) return 0;
  active = __atomic_load_n(&pool.active, __ATOMIC_SEQ_CST);
  if (active == 0) return 1;
  /* Some worker is active; the new item needs a watcher if one could be
   * had: an idle worker exists and none stands by or is called to. */
  return __atomic_load_n(&pool.standby, __ATOMIC_SEQ_CST) == STANDBY_NONE &&
         active < __atomic_load_n(&pool.nthreads, __ATOMIC_RELAXED);
}

static void standby_deadline(struct timespec* t) {
  clock_gettime(CLOCK_MONOTONIC, t);
  t->tv_nsec += STANDBY_NS;
  if (t->tv_nsec >= 1000000000L) {
    t->tv_sec++;
    t->tv_nsec -= 1000000000L;
  }
}

/* The standby's watch; returns 1 when the worker has become active, 0
 * when it is to sleep again (or exit). */
static int stand_by(void) {
  struct timespec until;
  uint64_t mark_dequeued;
  unsigned int mark_queued;
  unsigned int more;

  set_standby(STANDBY_WAITING);
  for (;;) {
    take_incoming();
    mark_dequeued = pool.dequeued;
    mark_queued = pool.queued;
    standby_deadline(&until);
    while (!pool.exiting && !pool.promote)
      if (pthread_cond_timedwait(&pool.standby_cond, &pool.mutex, &until) != 0)
        break; /* ETIMEDOUT */
    if (pool.exiting) break;
    if (pool.promote) { /* counted as active by whoever promoted it */
      pool.promote = 0;
      set_standby(STANDBY_NONE);
      return 1;
    }
    if (!work_available()) {
      /* Step down, unless a submission came in meanwhile (see above). */
      set_standby(STANDBY_NONE);
      if (__atomic_load_n(&pool.incoming, __ATOMIC_SEQ_CST) == NULL) return 0;
      if (!work_available()) return 0;
      set_standby(STANDBY_WAITING);
      continue;
    }
    if (pool.dequeued - mark_dequeued < mark_queued) {
      /* Work has waited a whole timeout: join, and double the workers. */
      set_standby(STANDBY_NONE);
      more = pool.active < pool.queued ? pool.active : pool.queued;
      set_active(pool.active + 1);
      for (; more > 1 && wake_worker(); more--) {
      }
      return 1;
    }
  }
  set_standby(STANDBY_NONE);
  return 0;
}

/* An active worker that found nothing to take: sleeps until it is given a
 * role.  Returns 1 once it is active again, 0 to exit.  Called, and
 * returns, with the pool locked. */
static int sleep_until_needed(void) {
  set_active(pool.active - 1);
  /* A submission may have seen this worker still active (see above), and
   * one that took the lock before this worker did has queued its item. */
  if (work_available()) {
    set_active(pool.active + 1);
    return 1;
  }
  pool.sleeping++;
  /* exiting is looked at before each wait: this worker may have missed
   * the shutdown's broadcast while it watched without the lock. */
  while (!pool.exiting) {
    pthread_cond_wait(&pool.cond, &pool.mutex);
    if (pool.exiting) break;
    if (pool.wakeups > 0) { /* counted as active by whoever woke it */
      pool.wakeups--;
      pool.sleeping--;
      return 1;
    }
    if (pool.standby == STANDBY_CALLED) {
      pool.sleeping--;
      if (stand_by()) return 1;
      if (pool.exiting) return 0;
      pool.sleeping++;
    }
  }
  pool.sleeping--;
  return 0;
}

/* ---- the workers ----------------------------------------------------------- */

/* Watches for up to *looks pauses until seen(arg) says something came;
 * then adapts *looks for the next watch (doubled after a watch that saw
 * something, halved after one that did not, within SPIN_LOOKS_MIN and
 * max).  Returns whether something was seen.  *looks belongs to the one
 * thread that watches. */
static int watch_for(int (*seen)(const void*), const void* arg,
                     unsigned int* looks, unsigned int max) {
  unsigned int n = *looks;
  unsigned int i;

  if (n < SPIN_LOOKS_MIN) n = SPIN_LOOKS_MIN; /* first use */
  for (i = 0; i < n; i++) {
    if (seen(arg)) break;
    uv__cpu_relax();
  }
  if (i < n)
    *looks = n * 2 > max ? max : n * 2;
  else
    *looks = n / 2 < SPIN_LOOKS_MIN ? SPIN_LOOKS_MIN : n / 2;
  return i < n;
}

static int submitted(const void* arg) {
  (void)arg;
  return __atomic_load_n(&pool.incoming, __ATOMIC_RELAXED) != NULL;
}

/* The last active worker found the queue empty.  The loop thread is likely
 * in the middle of its callbacks, queueing the next items; a futex wait
 * and the wake-up that would follow cost more than a short look: watch
 * pool.incoming for a moment, without the lock, still counted as active
 * (so that submitters wake nobody).  Only one worker ever does this, so
 * it takes at most one core from the rest of the machine, for at most
 * SPIN_LOOKS_MAX pauses.  While it watches, submitters leave everything to it
 * (pool.spinning): they take no lock and call no standby.  It stops
 * watching, then looks at incoming once more; a submitter pushes, then
 * looks at spinning; all sequentially consistent, so a submitter that
 * still saw it watching has its item seen.  Returns with the pool locked;
 * the caller looks for work again either way. */
static void spin_for_submissions(void) {
  unsigned int looks = pool.spin_looks;

  pthread_mutex_unlock(&pool.mutex);
  __atomic_store_n(&pool.spinning, 1, __ATOMIC_SEQ_CST);
  watch_for(submitted, NULL, &looks, SPIN_LOOKS_MAX);
  __atomic_store_n(&pool.spinning, 0, __ATOMIC_SEQ_CST);
  pthread_mutex_lock(&pool.mutex);
  /* Only one worker watches at a time (the last active one), and it
   * holds the mutex again: the length is its to change. */
  pool.spin_looks = looks;
}

static void* worker(void* arg) {
  struct uv__work* w;
  int spun = 0;
  int slow;

  (void)arg;
  pthread_mutex_lock(&pool.mutex);
  for (;;) {
    if (pool.exiting) break;
    w = next_item();
    if (w == NULL && pool.active == 1 && !spun) {
      /* Then look again: what came in may be queued by now (a submitter
       * that took the lock moved it there). */
      spun = 1;
      spin_for_submissions();
      continue;
    }
    spun = 0;
    if (w == NULL) {
      if (sleep_until_needed()) continue;
      pthread_mutex_unlock(&pool.mutex); /* exiting, no longer active */
      return NULL;
    }
    /* More behind this item, which may take long: have it watched. */
    if (pool.standby == STANDBY_NONE && unclaimed_sleepers() > 0 &&
        work_available())
      watch_queue();

    w->state = WORK_RUNNING;
    slow = (w->cls == UV__WORK_SLOW_IO);
    if (slow) {
      /* Slow I/O is long by definition: work queued behind it should not
       * wait for the standby's timeout, so this worker stops counting as
       * active (and, like a worker going to sleep, looks at what came in). */
      set_active(pool.active - 1);
      work_queued();
    }
    pthread_mutex_unlock(&pool.mutex);

    run_work(w);
    post_done(w);

    pthread_mutex_lock(&pool.mutex);
    if (slow) {
      pool.slow_running--;
      set_active(pool.active + 1); /* it looks for the next item itself */
    }
  }
  set_active(pool.active - 1);
  pthread_mutex_unlock(&pool.mutex);
  return NULL;
}

static unsigned int configured_threads(void) {
  const char* s = getenv("UV_THREADPOOL_SIZE");
  char* end;
  unsigned long n;

  if (s == NULL || *s == '\0') return DEFAULT_THREADS;
  errno = 0;
  n = strtoul(s, &end, 10);
  if (errno != 0 || *end != '\0' || n == 0 || s[0] == '-')
    return DEFAULT_THREADS;
  return n > MAX_THREADS ? MAX_THREADS : (unsigned int)n;
}


/* The child of a fork has none of the parent's threads: start afresh on
 * its first submission. */
static void init_standby_cond(void) {
  pthread_condattr_t attr;

  /* The standby's timeout is a duration: the monotonic clock's. */
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&pool.standby_cond, &attr);
  pthread_condattr_destroy(&attr);
  pool.conds_ready = 1;
}

static void pool_reset_in_child(void) {
  pthread_mutex_init(&pool.mutex, NULL);
  pthread_cond_init(&pool.cond, NULL);
  if (pool.conds_ready) init_standby_cond();
  pool.incoming = NULL;
  uv__link_init(&pool.queue);
  uv__link_init(&pool.slow);
  uv__link_init(&pool.slow_turn);
  pool.nthreads = 0;
  pool.active = 0;
  pool.sleeping = 0;
  pool.wakeups = 0;
  pool.standby = STANDBY_NONE;
  pool.spinning = 0;
  pool.spin_looks = 0;
  pool.promote = 0;
  pool.queued = 0;
  pool.dequeued = 0;
  pool.slow_running = 0;
  pool.exiting = 0;
  /* pool.threads is kept: the parent's array, copied into this process
   * with the rest of the heap, describes no thread here but is ours to
   * free.  pool_start frees it, outside the fork handler, where the
   * allocator is safe to call. */
}

/* Starts the workers; called with the pool locked, until one succeeds.
 * Returns 0, UV_ENOMEM, or the error of pthread_create when no worker
 * could be started. */
static int pool_start(void) {
  static int atfork_done;
  unsigned int n = configured_threads();
  unsigned int i;
  pthread_attr_t attr;
  int err = 0;

  if (pool.threads == NULL) {
    uv__link_init(&pool.queue);
    uv__link_init(&pool.slow);
    uv__link_init(&pool.slow_turn);
  } else {
    /* In the child of a fork: the parent's array (pool_reset_in_child). */
    uv__free(pool.threads);
  }
  pool.threads = uv__calloc(n, sizeof(*pool.threads));
  if (pool.threads == NULL) return UV_ENOMEM;
  if (!pool.conds_ready) init_standby_cond();
  pool.slow_max = (n + 1) / 2;

  if (!atfork_done) {
    pthread_atfork(NULL, NULL, pool_reset_in_child);
    atfork_done = 1;
  }

  /* The workers inherit the signal mask of this thread, as libuv's do: a
   * program's handlers run on them, including for a fault in work_cb.
   * They start once the caller unlocks the pool, each active: looking for
   * work. */
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 8u << 20);
  for (i = 0; i < n; i++) {
    if ((err = pthread_create(&pool.threads[i], &attr, worker, NULL)) != 0) break;
    pthread_setname_np(pool.threads[i], "libuv-worker");
  }
  pthread_attr_destroy(&attr);
  set_active(i);
  __atomic_store_n(&pool.nthreads, i, __ATOMIC_RELEASE);
  if (i == 0) {
    uv__free(pool.threads);
    pool.threads = NULL;
    return -err;
  }
  return 0;
}

/* Starts the pool if it has not started; 0 or an error. */
static int pool_ensure_started(void) {
  int err;

  pthread_mutex_lock(&pool.mutex);
  err = UV_EAGAIN; /* after shutdown */
  if (pool.nthreads == 0 && !pool.exiting) err = pool_start();
  if (pool.nthreads != 0) err = 0;
  pthread_mutex_unlock(&pool.mutex);
  return err;
}

/* What an item submitted (or cancelled) now carries: the number of the
 * poll phase's pass over finished work if a callback of that pass does
 * it, else 0 (uv__work_done). */
static unsigned char pass_stamp(const uv_loop_t* loop) {
  return (loop->flags & UV__LOOP_WORK_DONE) ? (unsigned char)loop->wq_pass : 0;
}

int uv__work_submit(uv_loop_t* loop, struct uv__work* w,
                    enum uv__work_kind kind, enum uv__work_class cls) {
  struct uv__link* head;
  int err;

  err = uv__async_open(loop); /* how finished work wakes the loop */
  if (err != 0) return err;
  if (__atomic_load_n(&pool.nthreads, __ATOMIC_ACQUIRE) == 0) {
    err = pool_ensure_started();
    if (err != 0) return err;
  }
  w->loop = loop;
  w->kind = (unsigned char)kind;
  w->cls = (unsigned char)cls;
  w->status = 0;
  w->state = WORK_QUEUED;
  w->pass = pass_stamp(loop);

  loop->wq_inflight++;
  head = __atomic_load_n(&pool.incoming, __ATOMIC_RELAXED);
  do
    w->link.next = head;
  while (!__atomic_compare_exchange_n(&pool.incoming, &head, &w->link, 1,
                                      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
  if (submission_needs_lock()) {
    pthread_mutex_lock(&pool.mutex);
    work_queued();
    pthread_mutex_unlock(&pool.mutex);
  }
  return 0;
}

/* Cancels an item that no worker has taken yet: its callback will run on
 * the loop with UV_ECANCELED. */
int uv__work_cancel(struct uv__work* w) {
  int queued;

  pthread_mutex_lock(&pool.mutex);
  take_incoming(); /* w may still be a submission */
  queued = (w->state == WORK_QUEUED);
  if (queued) {
    uv__link_remove(&w->link);
    w->state = WORK_DONE;
    pool.queued--;
    pool.dequeued++;
  }
  pthread_mutex_unlock(&pool.mutex);
  if (!queued) return UV_EBUSY;

  w->status = UV_ECANCELED;
  w->pass = pass_stamp(w->loop);
  post_done(w);
  return 0;
}

/* How many times the loop looks again for work finished while it ran the
 * callbacks of the last, before it goes back to the poll. */
#define DONE_ROUNDS 16

/* Runs the callbacks of finished work, oldest first (l is in that order,
 * linked through next); *ran counts them.  Stops at the first item that a
 * callback of this same pass submitted or cancelled, and returns it with
 * the rest (NULL when all ran): those wait for the next poll phase. */
static struct uv__link* run_finished(uv_loop_t* loop, struct uv__link* l,
                                     unsigned int* ran) {
  struct uv__link* next;
  struct uv__work* w;

  for (; l != NULL; l = next) {
    w = container_of(l, struct uv__work, link);
    if (w->pass != 0 && w->pass == loop->wq_pass) return l;
    next = l->next;
    uv__link_init(l);
    loop->wq_inflight--;
    if ((*ran)++ > 0) uv__metrics_extra_event(loop);
    run_done(w);
  }
  return NULL;
}

/* The loop side (poll phase, src/unix/async.c, after the eventfd was read
 * and loop->async_pending cleared): runs the callbacks of finished work.
 *
 * While it runs them, workers keep finishing items: the loop says it is
 * awake (async_pending set, so that a worker pushing onto an empty stack
 * does not write the eventfd) and takes the stack again, up to
 * DONE_ROUNDS times, instead of a write, a poll and a read for each few
 * items.  Not the items that callbacks of this pass submitted (or
 * cancelled), though: as in libuv, whose poll phase takes finished work
 * once, those finish in a later iteration, after the check phase (a
 * program may count on a setImmediate-like check callback, queued with
 * them, coming first).  The first such item and all that finished after
 * it wait in loop->wq_later, in order, for the next pass.
 *
 * Then the loop clears the flag and looks once more: the worker pushes,
 * then looks at the flag; the loop clears the flag, then looks at the
 * stack (both sequentially consistent), so work pushed meanwhile is
 * either seen here or signalled through the eventfd.  Async handles sent
 * meanwhile are not missed: uv__async_io looks at them after this
 * returns.  Each completion counts as one event in the metrics: the poll
 * counted the first.  Returns how many callbacks ran. */
unsigned int uv__work_done(uv_loop_t* loop) {
  struct uv__link* l = loop->wq_later;
  unsigned int ran = 0;
  int round;

  if (l == NULL && __atomic_load_n(&loop->wq_done, __ATOMIC_RELAXED) == NULL)
    return 0;
  loop->wq_later = NULL;
  loop->wq_pass = loop->wq_pass % 255 + 1;
  loop->flags |= UV__LOOP_WORK_DONE;
  __atomic_store_n(&loop->async_pending, 1, __ATOMIC_SEQ_CST);
  /* Held from the last pass: carries an older number, so all of it runs. */
  if (l != NULL) loop->wq_later = run_finished(loop, l, &ran);
  for (round = 0; round < DONE_ROUNDS && loop->wq_later == NULL; round++) {
    l = __atomic_exchange_n(&loop->wq_done, NULL, __ATOMIC_ACQUIRE);
    if (l == NULL) break;
    loop->wq_later = run_finished(loop, oldest_first(l), &ran);
  }
  loop->flags &= ~UV__LOOP_WORK_DONE;
  if (ran > 0) loop->flags |= UV__LOOP_WORK_RAN;
  __atomic_store_n(&loop->async_pending, 0, __ATOMIC_SEQ_CST);
  if (loop->wq_later != NULL ||
      __atomic_load_n(&loop->wq_done, __ATOMIC_SEQ_CST) != NULL)
    uv__async_wake(loop); /* the next poll returns at once */
  return ran;
}

/* In the child of a fork: the parent's workers do not exist here, so none
 * of them can still be posting to this loop (one may have been, between
 * its push and its wake-up, when the parent forked). */
void uv__work_loop_fork(uv_loop_t* loop) {
  __atomic_store_n(&loop->wq_posters, 0, __ATOMIC_RELAXED);
  loop->wq_inflight = 0; /* nothing will finish here: do not watch */
}

/* Whether the loop has reason to watch for finished work before it
 * blocks (uv__loop_watch in async.c): items it submitted are with the
 * workers, and finished work ran since the last poll (UV__LOOP_WORK_RAN).
 * When items finish every few microseconds (stats, short work), a short
 * look costs less than a sleep and a wake-up (fs_stat on the pool: 1.7x,
 * a tenth of the system calls), while a loop serving sockets as a long
 * item runs (a lookup, a big hash) watches once after each completion,
 * not before every poll.  Clears the mark. */
int uv__work_recent(uv_loop_t* loop) {
  unsigned int recent = loop->flags & UV__LOOP_WORK_RAN;

  loop->flags &= ~UV__LOOP_WORK_RAN;
  return loop->wq_inflight != 0 && recent;
}

/* No worker may still be inside post_done for this loop once it is gone
 * (every request is finished by now: uv_loop_close checked). */
void uv__work_loop_close(uv_loop_t* loop) {
  while (__atomic_load_n(&loop->wq_posters, __ATOMIC_ACQUIRE) != 0)
    sched_yield();
}

/* Stops and joins the workers (uv_library_shutdown). */
void uv__threadpool_shutdown(void) {
  unsigned int i;

  pthread_mutex_lock(&pool.mutex);
  if (pool.nthreads == 0) {
    pthread_mutex_unlock(&pool.mutex);
    return;
  }
  pool.exiting = 1;
  pthread_cond_broadcast(&pool.cond);
  pthread_cond_broadcast(&pool.standby_cond);
  pthread_mutex_unlock(&pool.mutex);
  for (i = 0; i < pool.nthreads; i++) pthread_join(pool.threads[i], NULL);
  pthread_mutex_lock(&pool.mutex);
  uv__free(pool.threads);
  pool.threads = NULL;
  __atomic_store_n(&pool.nthreads, 0, __ATOMIC_RELEASE);
  pthread_mutex_unlock(&pool.mutex);
}

UV__EXPORT int uv_queue_work(uv_loop_t* loop, uv_work_t* req,
                             uv_work_cb work_cb,
                             uv_after_work_cb after_work_cb) {
  int err;

  if (loop == NULL || req == NULL || work_cb == NULL || loop->backend_fd < 0)
    return UV_EINVAL;
  req->type = UV_WORK;
  req->loop = loop;
  req->work_cb = work_cb;
  req->after_work_cb = after_work_cb;
  err = uv__work_submit(loop, &req->work_req, UV__WORK_USER, UV__WORK_CPU);
  if (err == 0) uv__req_register(loop);
  return err;
}

UV__EXPORT int uv_cancel(uv_req_t* req) {
  if (req == NULL) return UV_EINVAL;
  switch (req->type) {
    case UV_WORK:
      return uv__work_cancel(&((uv_work_t*)req)->work_req);
    case UV_FS:
      return uv__work_cancel(&((uv_fs_t*)req)->work_req);
    case UV_GETADDRINFO:
      return uv__work_cancel(&((uv_getaddrinfo_t*)req)->work_req);
    case UV_GETNAMEINFO:
      return uv__work_cancel(&((uv_getnameinfo_t*)req)->work_req);
    case UV_RANDOM:
      return uv__work_cancel(&((uv_random_t*)req)->work_req);
    default:
      return UV_EINVAL;
  }
}
