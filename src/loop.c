/* eddy — the loop: its life cycle, uv_run's phases, and what a program can
 * ask of it (time, liveness, the backend, metrics).
 *
 * One iteration, as libuv and Node.js document it: due timers, pending
 * callbacks, idle, prepare, poll for I/O, check, close callbacks.  In
 * UV_RUN_DEFAULT the due timers also run once before the first iteration,
 * and every iteration ends by updating the time and running due timers, so
 * that a timer's callback runs as soon after the poll as possible. */
#include "internal.h"
#include "heap.h"
#include "unix/uring.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>

_Static_assert(sizeof(uv_loop_t) == 848, "uv_loop_t must keep libuv's size");

void uv__run_closing_handles(uv_loop_t* loop);
void uv__run_pending(uv_loop_t* loop);

static uv_loop_t default_loop_struct;
static uv_loop_t* default_loop_ptr;

/* Empty lists, no descriptors, everything zero but loop->data, which
 * programs set before uv_loop_init (libuv keeps it) and read after
 * uv_loop_close. */
static void loop_reset(uv_loop_t* loop) {
  void* data = loop->data;

  memset(loop, 0, sizeof(*loop));
  loop->data = data;
  loop->backend_fd = -1;
  loop->emfile_fd = -1;
  uv__link_init(&loop->handle_queue);
  uv__link_init(&loop->pending_queue);
  uv__link_init(&loop->io_changes);
  uv__link_init(&loop->idle_handles);
  uv__link_init(&loop->prepare_handles);
  uv__link_init(&loop->check_handles);
  uv__link_init(&loop->async_handles);
  uv__io_init(&loop->async_io, UV__IO_ASYNC, -1);
  uv__heap_init(&loop->timer_heap);
  uv__inotify_loop_init(loop);
  uv__signal_loop_init(loop);
}

/* Everything the loop needs a descriptor for later is opened here, as
 * libuv 1.44 does: the wake-up eventfd behind async handles and the thread
 * pool, and the pipe that signal handles read.  A program may rely on
 * uv_async_init, uv_queue_work and uv_signal_init not failing once the
 * loop is up (Node.js aborts when a worker's uv_async_init fails in a
 * process out of descriptors).  Both are registered with epoll at once,
 * so that a fresh loop has no queued watcher change (uv_backend_timeout
 * would report 0 for it). */
UV__EXPORT int uv_loop_init(uv_loop_t* loop) {
  int err;

  if (loop == NULL) return UV_EINVAL;
  loop_reset(loop);
  uv__update_time(loop);
  err = uv__backend_init(loop);
  if (err != 0) return err;
  err = uv__async_open(loop);
  if (err == 0) err = uv__backend_apply_now(loop, &loop->async_io);
  if (err == 0) err = uv__signal_open(loop);
  if (err == 0) err = uv__backend_apply_now(loop, &loop->signal_io);
  if (err != 0) {
    uv__signal_loop_close(loop);
    uv__async_loop_close(loop);
    uv__backend_close(loop);
    loop_reset(loop);
    return err;
  }
  return 0;
}

UV__EXPORT int uv_loop_close(uv_loop_t* loop) {
  struct uv__link* l;
  uv_handle_t* h;

  if (loop == NULL) return UV_EINVAL;
  /* A loop closed already: UV_EBUSY, as libuv 1.44 answers (its close
   * leaves the loop's bytes at -1, read as requests in flight).  netdata
   * 1.37 closes its loops with `do rc = uv_loop_close(loop); while (rc !=
   * UV_EBUSY);` and would spin forever at exit on any other answer. */
  if (loop->backend_fd < 0) return UV_EBUSY;
  if (loop->active_reqs.count != 0) return UV_EBUSY;
  for (l = loop->handle_queue.next; l != &loop->handle_queue; l = l->next) {
    h = container_of(l, uv_handle_t, handle_queue);
    if (!(h->flags & UV__HANDLE_INTERNAL)) return UV_EBUSY;
  }

  /* First: a worker that posted the last completion may still be about
   * to write the loop's eventfd, which uv__async_loop_close closes. */
  uv__work_loop_close(loop);
  uv__process_loop_close(loop);
  uv__signal_loop_close(loop);
  uv__timer_loop_close(loop);
  uv__async_loop_close(loop);
  uv__inotify_loop_close(loop);
  uv__stream_loop_close(loop);
  uv__udp_loop_close(loop);
  uv__uring_loop_close(loop);
  uv__backend_close(loop);

  /* Leave a loop that every entry point recognises as closed (backend_fd
   * -1, empty lists) rather than dangling pointers. */
  loop_reset(loop);
  if (loop == default_loop_ptr) default_loop_ptr = NULL;
  return 0;
}

UV__EXPORT uv_loop_t* uv_default_loop(void) {
  if (default_loop_ptr != NULL) return default_loop_ptr;
  if (uv_loop_init(&default_loop_struct) != 0) return NULL;
  default_loop_ptr = &default_loop_struct;
  return default_loop_ptr;
}

UV__EXPORT uv_loop_t* uv_loop_new(void) {
  uv_loop_t* loop = uv__malloc(sizeof(*loop));
  if (loop == NULL) return NULL;
  loop->data = NULL;
  if (uv_loop_init(loop) != 0) {
    uv__free(loop);
    return NULL;
  }
  return loop;
}

UV__EXPORT void uv_loop_delete(uv_loop_t* loop) {
  int is_default = (loop == &default_loop_struct);
  if (uv_loop_close(loop) != 0)
    uv__fatal("uv_loop_delete", loop, "loop still has handles or requests");
  if (!is_default) uv__free(loop);
}

UV__EXPORT size_t uv_loop_size(void) { return sizeof(uv_loop_t); }

static int loop_alive(const uv_loop_t* loop) {
  return loop->active_handles != 0 || loop->active_reqs.count != 0 ||
         !uv__link_empty(&loop->pending_queue) || loop->closing_handles != NULL;
}

UV__EXPORT int uv_loop_alive(const uv_loop_t* loop) {
  return loop != NULL && loop_alive(loop);
}

UV__EXPORT int uv_loop_configure(uv_loop_t* loop, uv_loop_option option,
                                 ...) {
  va_list ap;
  int signum;

  if (loop == NULL) return UV_EINVAL;
  switch (option) {
    case UV_LOOP_BLOCK_SIGNAL:
      va_start(ap, option);
      signum = va_arg(ap, int);
      va_end(ap);
      if (signum != SIGPROF) return UV_EINVAL; /* the one libuv supports */
      loop->flags |= UV__LOOP_BLOCK_SIGPROF;
      return 0;
    case UV_METRICS_IDLE_TIME:
      loop->flags |= UV__LOOP_METRICS_IDLE;
      return 0;
    case UV_LOOP_USE_IO_URING_SQPOLL:
      loop->flags |= UV__LOOP_SQPOLL; /* a hint; the epoll backend has no use */
      return 0;
    default:
      return UV_ENOSYS;
  }
}

UV__EXPORT int uv_loop_fork(uv_loop_t* loop) {
  int err;
  if (loop == NULL || loop->backend_fd < 0) return UV_EINVAL;
  err = uv__backend_fork(loop);
  if (err != 0) return err;
  uv__work_loop_fork(loop);
  uv__uring_fork(loop);
  err = uv__signal_loop_fork(loop);
  if (err != 0) return err;
  err = uv__async_fork(loop);
  if (err != 0) return err;
  return uv__inotify_fork(loop);
}

/* The poll timeout: 0 when there is work that must not wait, otherwise
 * until the next timer, -1 (no limit) without one. */
static int backend_timeout(const uv_loop_t* loop) {
  if (loop->stop_flag != 0) return 0;
  if (loop->active_handles == 0 && loop->active_reqs.count == 0) return 0;
  if (!uv__link_empty(&loop->pending_queue)) return 0;
  if (!uv__link_empty(&loop->idle_handles)) return 0;
  if (loop->closing_handles != NULL) return 0;
  return uv__next_timeout(loop);
}

/* An embedder polls uv_backend_fd() itself and calls uv_run when it is
 * ready; watcher changes not yet applied to the backend would be missed,
 * so while there are any the answer is 0: run the loop now. */
UV__EXPORT int uv_backend_timeout(const uv_loop_t* loop) {
  if (loop == NULL) return UV_EINVAL;
  if (!uv__link_empty(&loop->io_changes)) return 0;
  if (uv__uring_unflushed(loop)) return 0; /* fs requests to submit */
  return backend_timeout(loop);
}

UV__EXPORT int uv_backend_fd(const uv_loop_t* loop) {
  return loop != NULL ? loop->backend_fd : UV_EINVAL;
}

UV__EXPORT int uv_run(uv_loop_t* loop, uv_run_mode mode) {
  uv_loop_t* outer;
  int alive;
  int timeout;
  int can_sleep;
  int i;

  if (loop == NULL) return UV_EINVAL;
  if (mode != UV_RUN_DEFAULT && mode != UV_RUN_ONCE && mode != UV_RUN_NOWAIT)
    return UV_EINVAL;

  outer = uv__async_run_enter(loop);
  alive = loop_alive(loop);
  if (!alive) uv__update_time(loop);

  if (mode == UV_RUN_DEFAULT && alive && loop->stop_flag == 0) {
    uv__update_time(loop);
    uv__run_timers(loop);
  }

  while (alive && loop->stop_flag == 0) {
    can_sleep = uv__link_empty(&loop->pending_queue) &&
                uv__link_empty(&loop->idle_handles);

    uv__run_pending(loop);
    uv__run_idle(loop);
    uv__run_prepare(loop);

    timeout = 0;
    if (mode == UV_RUN_DEFAULT || (mode == UV_RUN_ONCE && can_sleep))
      timeout = backend_timeout(loop);

    loop->metrics_loop_count++;
    uv__io_poll(loop, timeout);

    /* Callbacks deferred by the poll (a write that completed at once, say)
     * run now, a bounded number of rounds so that they cannot starve the
     * rest of the loop. */
    for (i = 0; i < 8 && !uv__link_empty(&loop->pending_queue); i++)
      uv__run_pending(loop);

    uv__run_check(loop);
    uv__run_closing_handles(loop);

    uv__update_time(loop);
    uv__run_timers(loop);

    alive = loop_alive(loop);
    if (mode != UV_RUN_DEFAULT) break;
  }

  if (loop->stop_flag != 0) loop->stop_flag = 0;
  uv__async_run_leave(loop, outer);
  return alive;
}

/* Callbacks deferred to the next iteration's pending phase (an I/O
 * completion that happened inside a call, say).  Owners embed a
 * struct uv__pending and queue it with uv__pending_add. */
void uv__run_pending(uv_loop_t* loop) {
  struct uv__link snapshot;
  struct uv__link* l;

  if (uv__link_empty(&loop->pending_queue)) return;
  uv__link_move(&loop->pending_queue, &snapshot);
  while (!uv__link_empty(&snapshot)) {
    l = snapshot.next;
    uv__link_remove(l);
    uv__pending_dispatch(loop, container_of(l, struct uv__pending, link));
  }
}

UV__EXPORT void uv_stop(uv_loop_t* loop) {
  if (loop != NULL) loop->stop_flag = 1;
}

UV__EXPORT void uv_update_time(uv_loop_t* loop) {
  if (loop != NULL) uv__update_time(loop);
}

UV__EXPORT uint64_t uv_now(const uv_loop_t* loop) {
  return loop != NULL ? loop->time : 0;
}

UV__EXPORT void* uv_loop_get_data(const uv_loop_t* loop) {
  return loop != NULL ? loop->data : NULL;
}

UV__EXPORT void uv_loop_set_data(uv_loop_t* loop, void* data) {
  if (loop != NULL) loop->data = data;
}

UV__EXPORT int uv_metrics_info(uv_loop_t* loop, uv_metrics_t* metrics) {
  if (loop == NULL || metrics == NULL) return UV_EINVAL;
  memset(metrics, 0, sizeof(*metrics));
  metrics->loop_count = loop->metrics_loop_count;
  metrics->events = loop->metrics_events;
  metrics->events_waiting = loop->metrics_events_waiting;
  return 0;
}

/* Another thread may ask (Node's event loop utilisation does), so the
 * counter is read and written atomically. */
UV__EXPORT uint64_t uv_metrics_idle_time(uv_loop_t* loop) {
  if (loop == NULL) return 0;
  return __atomic_load_n(&loop->metrics_idle_time, __ATOMIC_RELAXED);
}

UV__EXPORT const char* eddy_loop_backend_name(const uv_loop_t* loop) {
  if (loop == NULL) loop = uv_default_loop();
  return loop != NULL ? "epoll" : NULL;
}
