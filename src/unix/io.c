/* eddy — I/O watchers: interest in a descriptor's readiness.
 *
 * Handle code never calls the poller.  It says which events a watcher
 * wants; a watcher whose wish differs from what the backend has is queued
 * on loop->io_changes, and the backend applies the queue in one batch when
 * the poll phase starts (so a handle that starts and stops reading within
 * one callback costs no system call).  Ready events come back through
 * uv__io_dispatch, which routes them by the watcher's kind. */
#include "internal.h"
#include "uring.h"

#include <stdlib.h>
#include <string.h>

void uv__io_init(uv__io_t* w, enum uv__io_kind kind, int fd) {
  uv__link_init(&w->change_link);
  w->fd = fd;
  w->want = 0;
  w->have = 0;
  w->kind = (unsigned char)kind;
  w->spare = 0;
  w->gen = 0;
}

/* Makes room in the fd -> watcher table for fd. */
static int grow_watchers(uv_loop_t* loop, int fd) {
  unsigned int cap = loop->nwatchers != 0 ? loop->nwatchers : 64;
  uv__io_t** table;

  while (cap <= (unsigned int)fd) cap *= 2;
  table = uv__realloc(loop->watchers, cap * sizeof(*table));
  if (table == NULL) return UV_ENOMEM;
  memset(table + loop->nwatchers, 0,
         (cap - loop->nwatchers) * sizeof(*table));
  loop->watchers = table;
  loop->nwatchers = cap;
  return 0;
}

static void note_change(uv_loop_t* loop, uv__io_t* w) {
  int linked = uv__link_linked(&w->change_link);
  if (w->want != w->have && !linked)
    uv__link_insert_tail(&loop->io_changes, &w->change_link);
  else if (w->want == w->have && linked)
    uv__link_remove(&w->change_link);
}

int uv__io_start(uv_loop_t* loop, uv__io_t* w, unsigned int events) {
  int err;

  assert(w->fd >= 0);
  if ((unsigned int)w->fd >= loop->nwatchers) {
    err = grow_watchers(loop, w->fd);
    if (err != 0) return err;
  }
  if (loop->watchers[w->fd] == NULL) {
    loop->watchers[w->fd] = w;
    /* A new registration: events still in the batch being dispatched for
     * this descriptor number belong to an earlier one.  (A watcher
     * stopped and started again before the backend heard of the stop is
     * still registered, under its generation, and keeps it.) */
    if (w->have == 0) w->gen = (unsigned short)++loop->io_gen;
  }
  else if (loop->watchers[w->fd] != w)
    return UV_EEXIST; /* one watcher per descriptor */
  w->want |= events;
  note_change(loop, w);
  return 0;
}

void uv__io_stop(uv_loop_t* loop, uv__io_t* w, unsigned int events) {
  if (w->fd < 0) return;
  w->want &= ~events;
  if (w->want == 0 && (unsigned int)w->fd < loop->nwatchers &&
      loop->watchers[w->fd] == w)
    loop->watchers[w->fd] = NULL;
  note_change(loop, w);
}

void uv__io_close(uv_loop_t* loop, uv__io_t* w) {
  if (w->fd < 0) return;
  uv__link_remove(&w->change_link);
  if ((unsigned int)w->fd < loop->nwatchers && loop->watchers[w->fd] == w)
    loop->watchers[w->fd] = NULL;
  w->want = 0;
  if (w->have != 0) {
    w->have = 0;
    loop->nfds--;
  }
  uv__backend_invalidate_fd(loop, w->fd);
}

void uv__io_dispatch(uv_loop_t* loop, uv__io_t* w, unsigned int events) {
  switch ((enum uv__io_kind)w->kind) {
    case UV__IO_ASYNC:
      uv__async_io(loop, events);
      return;
    case UV__IO_STREAM:
      uv__stream_io(loop, w, events);
      return;
    case UV__IO_POLL:
      uv__poll_io(loop, w, events);
      return;
    case UV__IO_UDP:
      uv__udp_io(loop, w, events);
      return;
    case UV__IO_INOTIFY:
      uv__inotify_io(loop, events);
      return;
    case UV__IO_SIGNAL:
      uv__signal_io(loop, events);
      return;
    case UV__IO_URING:
      uv__uring_io(loop, events);
      return;
    case UV__IO_NONE:
    case UV__IO_KIND_MAX:
      break;
  }
  uv__fatal("uv__io_dispatch", w, "watcher of unknown kind");
}

void uv__pending_dispatch(uv_loop_t* loop, struct uv__pending* p) {
  (void)loop;
  switch ((enum uv__io_kind)p->kind) {
    case UV__IO_STREAM:
      uv__stream_pending(container_of(p, uv_stream_t, pending));
      return;
    case UV__IO_UDP:
      uv__udp_pending(container_of(p, uv_udp_t, pending));
      return;
    default:
      break;
  }
  uv__fatal("uv__pending_dispatch", p, "pending callback of unknown kind");
}
