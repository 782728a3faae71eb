/* eddy — async handles: waking a loop from any thread or signal handler.
 *
 * Each loop has one eventfd, made by uv_loop_init (as libuv does, so that
 * uv_async_init never needs a descriptor).  A send
 * marks its handle pending and, if the loop was not already signalled,
 * writes the eventfd; both steps are atomic exchanges, so any number of
 * sends between two loop iterations cost one write and one callback, and
 * a send racing with the loop is never lost: the loop clears its
 * signalled flag before it looks at the handles.  Everything a send does
 * is async-signal-safe.
 *
 * The eventfd is watched edge-triggered and never read: every write wakes
 * epoll once, which is all the loop needs, and the loop's side of a
 * wake-up is one epoll_wait instead of an epoll_wait and a read (a round
 * trip between two loops: 4 system calls instead of 6).  The counter only
 * grows, by one per wake-up; it would take 2^64 of them to saturate it.
 *
 * And the eventfd is written only when the loop may be asleep.  While the
 * loop thread runs callbacks inside uv_run it is "awake" (async_awake): a
 * send then only marks the loop pending, and the loop looks at that mark
 * at the end of each poll phase and, above all, before it lets a wait
 * block.  The two sides are a store followed by a load of the other's
 * flag, both sequentially consistent, so at least one of them sees the
 * other: either the sender sees the loop about to sleep and writes, or
 * the loop sees the pending mark and does not block.  A sender that
 * calls often while the loop is busy (a producer thread, the workers of
 * the thread pool finishing items) thus costs the loop no system call at
 * all.  Outside uv_run the loop counts as asleep, so a program that
 * polls uv_backend_fd() itself is woken as before; uv_run writes the
 * eventfd on its way out if a send came while it was awake. */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <unistd.h>

static void signal_fd(uv_loop_t* loop) {
  uint64_t one = 1;
  ssize_t r;

  do
    r = write(loop->async_io.fd, &one, sizeof(one));
  while (r < 0 && errno == EINTR);
  /* EAGAIN: the counter is saturated, so the loop is signalled anyway. */
  __atomic_store_n(&loop->async_written, 1, __ATOMIC_RELEASE);
}

void uv__async_wake(uv_loop_t* loop) {
  if (__atomic_exchange_n(&loop->async_pending, 1, __ATOMIC_SEQ_CST) != 0)
    return;
  if (__atomic_load_n(&loop->async_awake, __ATOMIC_SEQ_CST) != 0) return;
  signal_fd(loop);
}

/* Before a wait that may block: from now on senders write.  Returns
 * whether a send came while the loop was awake (then it must not block). */
int uv__async_before_sleep(uv_loop_t* loop) {
  __atomic_store_n(&loop->async_awake, 0, __ATOMIC_SEQ_CST);
  return __atomic_load_n(&loop->async_pending, __ATOMIC_SEQ_CST) != 0;
}

void uv__async_after_sleep(uv_loop_t* loop) {
  /* With idle-time metrics on, every completion goes through the eventfd,
   * so that the poll reports it the way libuv counts it. */
  if (!uv__metrics_idle_enabled(loop))
    __atomic_store_n(&loop->async_awake, 1, __ATOMIC_RELAXED);
}

/* The end of a poll phase: sends that came while the loop was awake wrote
 * nothing; handle them here, as if the eventfd had been reported.  Not if
 * the handles were looked at in this poll already: a send made since
 * (from an async callback, say) is for the next iteration, as in libuv. */
unsigned int uv__async_poll_end(uv_loop_t* loop) {
  unsigned int ran;

  if (loop->flags & UV__LOOP_ASYNC_RAN) {
    loop->flags &= ~UV__LOOP_ASYNC_RAN;
    return 0;
  }
  if (__atomic_load_n(&loop->async_pending, __ATOMIC_ACQUIRE) == 0) return 0;
  ran = uv__async_io(loop, UV__POLLIN);
  loop->flags &= ~UV__LOOP_ASYNC_RAN;
  /* Counted after its callbacks, as the poll counts a reported eventfd. */
  if (ran != 0) loop->metrics_events++;
  return ran;
}

/* The loop the calling thread is running (inside uv_run), if any.  In the
 * static TLS block (initial-exec): reading it is one load, with no call
 * that could allocate, so uv_async_send stays async-signal-safe even when
 * the library was loaded with dlopen (a thread's first access to dynamic
 * TLS may allocate). */
static _Thread_local uv_loop_t* running_loop
    __attribute__((tls_model("initial-exec")));

/* The loop's watch before it blocks.  A sleep and the wake-up that ends
 * it cost the sender an eventfd write and the loop an epoll_wait that
 * blocks, a context switch each way: 10-15 us here.  When a wake-up is
 * likely within a few microseconds, looking at the signalled flag
 * (async_pending) for that long is cheaper, and the answer, seen while
 * the loop still counts as awake, costs no system call on either side.
 * A wake-up is likely soon
 * - after finished pool work ran with more in flight (uv__work_recent:
 *   items that finish every few microseconds);
 * - after this loop's thread, running it, woke another loop
 *   (UV__LOOP_ASYNC_SENT): a request to a loop on another thread is
 *   typically answered the same way.  A thread that only produces for a
 *   loop (not running one itself) marks nothing, so a loop fed by such a
 *   producer sleeps as before and its sends keep coalescing.
 *
 * The watch lasts watch_ns, between WATCH_MIN_NS and WATCH_MAX_NS: the
 * loop does not see its descriptors while it watches.  A watch that saw
 * the flag doubles the next one's length, one that did not halves it, so
 * a loop whose requests are seldom answered at once pays about a
 * microsecond per poll.  Halving alone could never learn a longer wait,
 * though: two loops that answer each other both sleep, each answer takes
 * a wake-up, longer than the short watch, and each watch fails.  So a
 * watch that missed an answer which came within WATCH_MAX_NS of the
 * watch's start (the poll that followed was woken by a send that soon;
 * uv__loop_watch_missed) makes the next watch a full-length trial: once
 * one side watches while the other wakes, both are awake and each answer
 * takes well under a microsecond (async_pingpong: 25 us a round trip
 * when both sides sleep).  A trial that fails too (the other thread was
 * not running: the machine is busy, or the answer is slower) is not
 * repeated for the next WATCH_BACKOFF missed answers, so a loop on a
 * loaded machine does not keep spinning where sleeping is cheaper. */
#define WATCH_MIN_NS 1000
#define WATCH_MAX_NS 16000
#define WATCH_CLOCK_EVERY 8 /* pauses between looks at the clock */
#define WATCH_BACKOFF 64

static void watch_ended(uv_loop_t* loop, unsigned int len, int seen) {
  if (seen) {
    loop->watch_ns = len * 2 > WATCH_MAX_NS ? WATCH_MAX_NS : len * 2;
    loop->watch_backoff = 0;
  } else {
    loop->watch_ns = len / 2 < WATCH_MIN_NS ? WATCH_MIN_NS : len / 2;
    if (loop->flags & UV__LOOP_WATCH_TRIAL) loop->watch_backoff = WATCH_BACKOFF;
  }
  loop->flags &= ~UV__LOOP_WATCH_TRIAL;
}

int uv__loop_watch(uv_loop_t* loop, uint64_t* since) {
  int likely = uv__work_recent(loop);
  uint64_t start;
  unsigned int len;
  unsigned int i;

  *since = 0;
  if (loop->flags & UV__LOOP_ASYNC_SENT) {
    loop->flags &= ~UV__LOOP_ASYNC_SENT;
    likely = 1;
  }
  if (!likely) return 0;
  len = loop->watch_ns < WATCH_MIN_NS ? WATCH_MIN_NS : loop->watch_ns;
  start = uv_hrtime();
  for (;;) {
    for (i = 0; i < WATCH_CLOCK_EVERY; i++) {
      if (__atomic_load_n(&loop->async_pending, __ATOMIC_RELAXED) != 0) {
        watch_ended(loop, len, 1);
        return 1;
      }
      uv__cpu_relax();
    }
    if (uv_hrtime() - start >= len) break;
  }
  watch_ended(loop, len, 0);
  *since = start;
  return 0;
}

/* The poll after a watch that missed has returned: if a send woke it
 * within WATCH_MAX_NS of the watch's start, a full watch would have seen
 * it without the sleep. */
void uv__loop_watch_missed(uv_loop_t* loop, uint64_t since) {
  /* Written while the loop slept, or sent (and not yet run) between the
   * watch's end and the wait, which then did not block. */
  if (__atomic_load_n(&loop->async_written, __ATOMIC_ACQUIRE) == 0 &&
      __atomic_load_n(&loop->async_pending, __ATOMIC_ACQUIRE) == 0)
    return;
  if (uv_hrtime() - since >= WATCH_MAX_NS) return;
  if (loop->watch_backoff > 0) {
    loop->watch_backoff--;
    return;
  }
  loop->watch_ns = WATCH_MAX_NS;
  loop->flags |= UV__LOOP_WATCH_TRIAL;
}

/* Whether the eventfd can have nothing to report: not written since the
 * last epoll_wait began.  Then a poll that may not block can skip the
 * system call when the eventfd is all that is registered; skipping it
 * while a write is queued would leave that edge for a later wait, which
 * would return at once for nothing. */
int uv__async_fd_quiet(uv_loop_t* loop) {
  return __atomic_load_n(&loop->async_written, __ATOMIC_ACQUIRE) == 0;
}

/* Returns the loop the thread ran before (uv_run may be called from a
 * callback of another loop), for uv__async_run_leave. */
uv_loop_t* uv__async_run_enter(uv_loop_t* loop) {
  uv_loop_t* outer = running_loop;

  running_loop = loop;
  uv__async_after_sleep(loop);
  return outer;
}

void uv__async_run_leave(uv_loop_t* loop, uv_loop_t* outer) {
  running_loop = outer;
  if (uv__async_before_sleep(loop)) signal_fd(loop);
}

int uv__async_open(uv_loop_t* loop) {
  int fd;
  int err;

  if (loop->async_io.fd >= 0) return 0;
  fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) return -errno;
  uv__io_init(&loop->async_io, UV__IO_ASYNC, fd);
  err = uv__io_start(loop, &loop->async_io, UV__POLLIN | UV__POLLET);
  if (err != 0) {
    uv__io_init(&loop->async_io, UV__IO_ASYNC, -1);
    uv__close(fd);
    return err;
  }
  return 0;
}

UV__EXPORT int uv_async_init(uv_loop_t* loop, uv_async_t* handle,
                             uv_async_cb async_cb) {
  int err;

  if (loop == NULL || handle == NULL || loop->backend_fd < 0)
    return UV_EINVAL;
  err = uv__async_open(loop); /* open since uv_loop_init, but for a fork */
  if (err != 0) return err;
  uv__handle_init(loop, (uv_handle_t*)handle, UV_ASYNC);
  handle->async_cb = async_cb;
  handle->pending = 0;
  handle->busy = 0;
  uv__link_insert_tail(&loop->async_handles, &handle->queue);
  uv__handle_start((uv_handle_t*)handle);
  return 0;
}

UV__EXPORT int uv_async_send(uv_async_t* handle) {
  if (handle == NULL || handle->type != UV_ASYNC) return UV_EINVAL;
  /* Already pending: this send coalesces with the earlier one. */
  if (__atomic_load_n(&handle->pending, __ATOMIC_ACQUIRE) != 0) return 0;

  /* busy tells uv_close that a sender may still touch the handle. */
  __atomic_fetch_add(&handle->busy, 1, __ATOMIC_SEQ_CST);
  if (__atomic_exchange_n(&handle->pending, 1, __ATOMIC_SEQ_CST) == 0) {
    uv__async_wake(handle->loop);
    /* From a callback of another loop: an answer may follow (the watch,
     * above).  Only that loop's own thread touches its flags; a send from
     * a signal handler that interrupted it can at worst lose this hint. */
    if (running_loop != NULL && running_loop != handle->loop)
      running_loop->flags |= UV__LOOP_ASYNC_SENT;
  }
  __atomic_fetch_sub(&handle->busy, 1, __ATOMIC_SEQ_CST);
  return 0;
}

unsigned int uv__async_io(uv_loop_t* loop, unsigned int events) {
  struct uv__link snapshot;
  struct uv__link* l;
  uv_async_t* h;
  unsigned int ran;

  (void)events;
  loop->flags |= UV__LOOP_ASYNC_RAN;
  /* Clear the flag first: a send from now on writes the eventfd again. */
  __atomic_store_n(&loop->async_pending, 0, __ATOMIC_SEQ_CST);

  ran = uv__work_done(loop); /* thread-pool completions share the eventfd */

  uv__link_move(&loop->async_handles, &snapshot);
  while (!uv__link_empty(&snapshot)) {
    l = snapshot.next;
    uv__link_remove(l);
    uv__link_insert_tail(&loop->async_handles, l);
    h = container_of(l, uv_async_t, queue);
    if (__atomic_exchange_n(&h->pending, 0, __ATOMIC_SEQ_CST) == 0) continue;
    ran++;
    if (h->async_cb != NULL) h->async_cb(h);
  }
  return ran;
}

void uv__async_close(uv_async_t* handle) {
  /* A sender on another thread may be between its two atomic steps; the
   * handle's memory must outlive it. */
  while (__atomic_load_n(&handle->busy, __ATOMIC_SEQ_CST) != 0) sched_yield();
  uv__link_remove(&handle->queue);
  uv__handle_stop((uv_handle_t*)handle);
}

void uv__async_loop_close(uv_loop_t* loop) {
  int fd = loop->async_io.fd;
  if (fd < 0) return;
  uv__io_close(loop, &loop->async_io);
  uv__close(fd);
  uv__io_init(&loop->async_io, UV__IO_ASYNC, -1);
  loop->async_pending = 0;
}

/* The child of a fork shares the parent's eventfd: take a new one, and
 * signal it at once if sends were pending at the fork. */
int uv__async_fork(uv_loop_t* loop) {
  struct uv__link* l;
  int err;

  if (loop->async_io.fd < 0) return 0;
  uv__async_loop_close(loop);
  err = uv__async_open(loop);
  if (err != 0) return err;
  for (l = loop->async_handles.next; l != &loop->async_handles; l = l->next)
    if (container_of(l, uv_async_t, queue)->pending != 0) {
      uv__async_wake(loop);
      break;
    }
  return 0;
}
