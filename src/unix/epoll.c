/* eddy — the epoll backend.
 *
 * Applies the queued watcher changes (loop->io_changes) at the start of
 * each poll, waits, and hands each ready descriptor to its watcher.  The
 * event carries the descriptor and the watcher's registration generation,
 * not a pointer: a watcher stopped or freed by an earlier callback of the
 * same batch is found missing in the table, and one that took the same
 * descriptor number since (closed and reused in the batch) has another
 * generation; either way the event is dropped in O(1), never followed. */
#include "internal.h"
#include "uring.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

/* Events taken per epoll_wait; a full batch means more may be ready, so
 * the loop asks again without blocking, a bounded number of times. */
#define EVENTS_PER_WAIT 1024
#define MAX_FULL_BATCHES 48

int uv__backend_init(uv_loop_t* loop) {
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return -errno;
  loop->backend_fd = fd;
  return 0;
}

void uv__backend_close(uv_loop_t* loop) {
  if (loop->backend_fd >= 0) uv__close(loop->backend_fd);
  loop->backend_fd = -1;
  uv__free(loop->watchers);
  loop->watchers = NULL;
  loop->nwatchers = 0;
  loop->nfds = 0;
}

/* The child of a fork shares the parent's epoll instance: take a new one
 * and register every watcher again. */
int uv__backend_fork(uv_loop_t* loop) {
  unsigned int i;
  uv__io_t* w;
  int fd = epoll_create1(EPOLL_CLOEXEC);

  if (fd < 0) return -errno;
  uv__close(loop->backend_fd);
  loop->backend_fd = fd;
  loop->nfds = 0;
  for (i = 0; i < loop->nwatchers; i++) {
    w = loop->watchers[i];
    if (w == NULL) continue;
    w->have = 0;
    if (w->want != 0 && !uv__link_linked(&w->change_link))
      uv__link_insert_tail(&loop->io_changes, &w->change_link);
  }
  return 0;
}

void uv__backend_invalidate_fd(uv_loop_t* loop, int fd) {
  struct epoll_event dummy;

  /* Events of the current batch for fd need no scrubbing: the watcher is
   * gone from the table, or a new one has a new generation (see above).
   * The descriptor may be closed right after; remove it while it exists
   * (a duplicate of it would keep the registration alive otherwise).
   * Failure means it was never registered. */
  memset(&dummy, 0, sizeof(dummy));
  epoll_ctl(loop->backend_fd, EPOLL_CTL_DEL, fd, &dummy);
}

/* Brings the backend in line with what one watcher wants. */
static int apply_change(uv_loop_t* loop, uv__io_t* w) {
  struct epoll_event ev;
  int op;

  memset(&ev, 0, sizeof(ev));
  ev.events = w->want;
  ev.data.u64 = (uint64_t)w->gen << 32 | (uint32_t)w->fd;
  if (w->want == 0)
    op = EPOLL_CTL_DEL;
  else if (w->have == 0)
    op = EPOLL_CTL_ADD;
  else
    op = EPOLL_CTL_MOD;

  if (epoll_ctl(loop->backend_fd, op, w->fd, &ev) != 0) {
    if (op == EPOLL_CTL_ADD && errno == EEXIST)
      op = EPOLL_CTL_MOD; /* registered by an earlier, unflushed owner */
    else if (op == EPOLL_CTL_DEL)
      op = -1; /* already gone with its descriptor */
    else
      return -errno;
    if (op == EPOLL_CTL_MOD && epoll_ctl(loop->backend_fd, op, w->fd, &ev))
      return -errno;
  }
  if (w->have == 0 && w->want != 0) loop->nfds++;
  if (w->have != 0 && w->want == 0) loop->nfds--;
  w->have = w->want;
  return 0;
}

/* Applies one watcher's queued change now rather than at the next poll:
 * uv_loop_init registers the loop's eventfd at once, so that a fresh loop
 * has no pending change (uv_backend_timeout would report 0 for it). */
int uv__backend_apply_now(uv_loop_t* loop, uv__io_t* w) {
  if (!uv__link_linked(&w->change_link)) return 0;
  uv__link_remove(&w->change_link);
  return apply_change(loop, w);
}

/* The loop's own descriptors, registered from uv_loop_init on, that
 * nothing can have made ready: the eventfd, which no sender writes while
 * the loop is awake (what a sender did is in loop->async_pending, which
 * uv__io_poll looks at after the backend; src/unix/async.c), and the
 * signal pipe while no signal is watched. */
static unsigned int quiet_own_fds(uv_loop_t* loop) {
  unsigned int n = 0;
  if (loop->async_io.have != 0 && uv__async_fd_quiet(loop)) n++;
  if (loop->signal_io.have != 0 && uv__signal_fd_quiet(loop)) n++;
  return n;
}

static void flush_changes(uv_loop_t* loop) {
  struct uv__link* l;
  uv__io_t* w;

  while (!uv__link_empty(&loop->io_changes)) {
    l = loop->io_changes.next;
    uv__link_remove(l);
    w = container_of(l, uv__io_t, change_link);
    /* A descriptor the kernel refuses (a regular file, say) simply never
     * becomes ready; owners check pollability when they are set up. */
    apply_change(loop, w);
  }
}

static int wait_events(uv_loop_t* loop, struct epoll_event* events,
                       int timeout) {
  sigset_t set;
  int sleeping = 0;
  int n;

  /* A wait that may block lets async senders know they must write the
   * eventfd; one that came before (and did not write) cancels the sleep. */
  if (loop->async_io.fd >= 0) {
    /* What senders write from now on is for a later wait. */
    __atomic_store_n(&loop->async_written, 0, __ATOMIC_RELAXED);
    if (timeout != 0) {
      sleeping = 1;
      if (uv__async_before_sleep(loop)) timeout = 0;
    }
  }
  if (loop->flags & UV__LOOP_BLOCK_SIGPROF) {
    sigemptyset(&set);
    sigaddset(&set, SIGPROF);
    n = epoll_pwait(loop->backend_fd, events, EVENTS_PER_WAIT, timeout, &set);
  } else {
    n = epoll_wait(loop->backend_fd, events, EVENTS_PER_WAIT, timeout);
  }
  if (sleeping) uv__async_after_sleep(loop);
  return n;
}

static int poll_io(uv_loop_t* loop, int timeout);

/* A wait that may block came back with nothing to report: what is left of
 * the caller's timeout, measured from the start of the poll (base), not
 * from the last wake-up; -1 for none, 0 when it has run out. */
static int time_left(uv_loop_t* loop, uint64_t base, int user_timeout) {
  if (user_timeout == -1) return -1;
  if (loop->time - base >= (uint64_t)user_timeout) return 0;
  return user_timeout - (int)(loop->time - base);
}

/* The poll phase.  A wake-up can have nothing behind it: a worker pushes
 * finished work and then wakes the loop, which may have taken the work in
 * between (the watch or the last look before sleeping then sees the mark,
 * and the eventfd may fire later).  A poll that was to wait and ran
 * nothing at all waits again for what is left of its timeout, so that
 * UV_RUN_ONCE returns having run something, as libuv's does. */
void uv__io_poll(uv_loop_t* loop, int timeout) {
  uint64_t base = loop->time;
  int user_timeout = timeout;

  for (;;) {
    if (poll_io(loop, timeout) + uv__async_poll_end(loop) != 0) return;
    /* Not when the ring holds requests it could not submit: the poll did
     * not block for them, and the loop must come back to submit. */
    if (timeout == 0 || uv__uring_unflushed(loop)) return;
    timeout = time_left(loop, base, user_timeout);
    if (timeout == 0) return;
  }
}

static int poll_io(uv_loop_t* loop, int timeout) {
  struct epoll_event events[EVENTS_PER_WAIT];
  uint64_t base = loop->time;
  uint64_t entered = 0;
  uint64_t watched = 0; /* a watch that missed began then */
  int user_timeout = timeout;
  int measure_idle = uv__metrics_idle_enabled(loop);
  int batches = MAX_FULL_BATCHES;
  int nevents;
  int dispatched;
  int total = 0;
  int have_signals;
  int probing;
  int i;
  int fd;
  uv__io_t* w;
  unsigned int ev;

  /* Even with no descriptor registered the wait happens: a loop kept
   * alive by, say, a prepare handle sleeps as libuv's does (libuv always
   * has its own eventfd registered), rather than spinning. */
  /* File-system requests made since the last poll go to the kernel in one
   * call; if some could not, do not block on their completion. */
  if (uv__uring_flush(loop)) timeout = 0;
  flush_changes(loop);
  /* A wake-up due within a few microseconds (pool work finishing, another
   * thread's answer) is cheaper to watch for than to sleep and be woken
   * for (async.c). */
  if (timeout != 0 && !measure_idle && uv__loop_watch(loop, &watched))
    timeout = 0;
  /* Nothing registered and no time to wait: nothing can be ready, and the
   * system call would be the whole cost of an idle-driven iteration. */
  if (timeout == 0 && !measure_idle && loop->nfds == quiet_own_fds(loop))
    return total;

  /* With idle-time metrics, first look without blocking: what is ready
   * already was waiting, and only the rest of the wait counts as idle. */
  if (measure_idle && timeout != 0) timeout = 0;

  for (;;) {
    if (measure_idle && timeout != 0) entered = uv_hrtime();
    nevents = wait_events(loop, events, timeout);
    if (watched != 0) {
      uv__loop_watch_missed(loop, watched);
      watched = 0;
    }
    uv__update_time(loop);
    if (entered != 0) {
      __atomic_fetch_add(&loop->metrics_idle_time, uv_hrtime() - entered,
                         __ATOMIC_RELAXED);
      entered = 0;
    }

    if (nevents < 0) {
      if (errno != EINTR) uv__fatal("uv__io_poll", loop, strerror(errno));
      if (timeout == 0) return total;
      timeout = time_left(loop, base, user_timeout);
      if (timeout == 0) return total;
      continue;
    }

    if (nevents == 0) {
      if (measure_idle && timeout == 0 && user_timeout != 0) {
        timeout = user_timeout; /* nothing was waiting: now really wait */
        continue;
      }
      return total;
    }

    /* Only the non-blocking look that idle-time metrics make first tells
     * how many events were already waiting (as in libuv). */
    probing = measure_idle && timeout == 0 && user_timeout != 0;

    if (probing) loop->flags |= UV__LOOP_PROBING;
    dispatched = 0;
    have_signals = 0;
    for (i = 0; i < nevents; i++) {
      fd = (int)(uint32_t)events[i].data.u64;
      w = (unsigned int)fd < loop->nwatchers ? loop->watchers[fd] : NULL;
      if (w == NULL) {
        /* Nobody wants this descriptor any more: stop hearing about it. */
        epoll_ctl(loop->backend_fd, EPOLL_CTL_DEL, fd, &events[i]);
        continue;
      }
      if (w->gen != (unsigned short)(events[i].data.u64 >> 32))
        continue; /* an earlier registration's: closed in this batch */
      ev = events[i].events;
      /* A bare error or hang-up: let the owner find out by doing what it
       * waits for (a read then sees EOF or the error), as libuv does. */
      if (ev == UV__POLLERR || ev == UV__POLLHUP)
        ev |= w->want & (UV__POLLIN | UV__POLLOUT | UV__POLLPRI |
                         UV__POLLRDHUP);
      ev &= w->want | UV__POLLERR | UV__POLLHUP;
      if (ev == 0) continue;
      /* The loop's eventfd may fire with nothing behind it: a worker pushes
       * finished work and then wakes the loop, which may have taken the
       * work in between; a sender that saw the loop about to sleep writes
       * while the loop, having seen its mark, did not sleep after all
       * (src/unix/async.c).  Such a wake-up is not an event: a poll that
       * ran nothing waits again (uv__io_poll), so that UV_RUN_ONCE returns
       * having run something, as libuv's does. */
      if (w == &loop->async_io) {
        if (uv__async_io(loop, ev) != 0) dispatched++;
        continue;
      }
      dispatched++;
      /* The signal pipe waits for the rest of the batch, as in libuv: what
       * a child wrote before it exited is read before SIGCHLD reports the
       * exit, whatever order the kernel listed the two in. */
      if (w == &loop->signal_io) {
        have_signals = 1;
        continue;
      }
      uv__io_dispatch(loop, w, ev);
    }
    /* Unless a callback of this batch closed the pipe (the loop closing). */
    if (have_signals && loop->signal_io.fd >= 0)
      uv__io_dispatch(loop, &loop->signal_io, UV__POLLIN);
    loop->flags &= ~UV__LOOP_PROBING;
    total += dispatched;
    loop->metrics_events += (uint64_t)dispatched;
    if (probing) loop->metrics_events_waiting += (uint64_t)dispatched;

    if (nevents != EVENTS_PER_WAIT || --batches == 0) return total;
    timeout = 0;
    flush_changes(loop);
  }
}
