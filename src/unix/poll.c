/* eddy — poll handles: readiness of a descriptor the user owns.
 *
 * The descriptor stays the user's: eddy makes it non-blocking (as libuv
 * does) and watches it, but never reads, writes or closes it. */
#include "internal.h"

#include <errno.h>
#include <string.h>
#include <stddef.h>
#include <sys/epoll.h>

/* libuv keeps a poll handle's descriptor in io_watcher.fd at offset 152,
 * and programs built against libuv read it there (libwebsockets 4.1). */
_Static_assert(offsetof(uv_poll_t, io_watcher.fd) == 152,
               "uv_poll_t: libuv's io_watcher.fd is at offset 152");

static int is_poll(const uv_poll_t* h) { return h != NULL && h->type == UV_POLL; }

/* Whether the backend accepts the descriptor (regular files are refused
 * with EPERM) and nobody in this loop watches it already. */
static int check_fd(uv_loop_t* loop, int fd) {
  struct epoll_event ev;

  if ((unsigned int)fd < loop->nwatchers && loop->watchers[fd] != NULL)
    return UV_EEXIST;
  memset(&ev, 0, sizeof(ev));
  ev.data.fd = -1;
  if (epoll_ctl(loop->backend_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
    return errno == EEXIST ? 0 : -errno;
  epoll_ctl(loop->backend_fd, EPOLL_CTL_DEL, fd, &ev);
  return 0;
}

UV__EXPORT int uv_poll_init(uv_loop_t* loop, uv_poll_t* handle, int fd) {
  int err;

  if (loop == NULL || handle == NULL || loop->backend_fd < 0)
    return UV_EINVAL;
  if (fd < 0) return UV_EBADF; /* what libuv's check of the fd says */
  err = check_fd(loop, fd);
  if (err != 0) return err;
  err = uv__nonblock(fd, 1);
  if (err != 0) return err;
  uv__handle_init(loop, (uv_handle_t*)handle, UV_POLL);
  uv__io_init(&handle->io, UV__IO_POLL, fd);
  handle->poll_cb = NULL;
  memset(&handle->io_watcher, 0, sizeof(handle->io_watcher));
  handle->io_watcher.fd = fd; /* where libuv's is: programs read it */
  return 0;
}

UV__EXPORT int uv_poll_init_socket(uv_loop_t* loop, uv_poll_t* handle,
                                   uv_os_sock_t socket) {
  return uv_poll_init(loop, handle, socket);
}

static void poll_stop(uv_poll_t* handle) {
  uv__io_stop(handle->loop, &handle->io,
              UV__POLLIN | UV__POLLOUT | UV__POLLPRI | UV__POLLRDHUP);
  uv__handle_stop((uv_handle_t*)handle);
}

UV__EXPORT int uv_poll_stop(uv_poll_t* handle) {
  if (!is_poll(handle)) return UV_EINVAL;
  poll_stop(handle);
  return 0;
}

UV__EXPORT int uv_poll_start(uv_poll_t* handle, int events, uv_poll_cb cb) {
  unsigned int want = 0;
  int err;

  if (!is_poll(handle) || uv__is_closing((uv_handle_t*)handle) ||
      (events & ~(UV_READABLE | UV_WRITABLE | UV_DISCONNECT | UV_PRIORITIZED)))
    return UV_EINVAL;
  poll_stop(handle);
  if (events == 0) return 0;

  if (events & UV_READABLE) want |= UV__POLLIN;
  if (events & UV_PRIORITIZED) want |= UV__POLLPRI;
  if (events & UV_WRITABLE) want |= UV__POLLOUT;
  if (events & UV_DISCONNECT) want |= UV__POLLRDHUP;
  err = uv__io_start(handle->loop, &handle->io, want);
  if (err != 0) return err;
  handle->poll_cb = cb;
  uv__handle_start((uv_handle_t*)handle);
  return 0;
}

void uv__poll_io(uv_loop_t* loop, uv__io_t* w, unsigned int events) {
  uv_poll_t* handle = (uv_poll_t*)container_of(w, uv_handle_t, io);
  int pevents = 0;

  (void)loop;
  /* sysfs attributes signal a change with POLLERR|POLLPRI: for a handle
   * watching UV_PRIORITIZED that is an event, not an error (libuv). */
  if ((events & UV__POLLERR) && !(events & UV__POLLPRI)) {
    /* libuv's contract: an error stops the handle and says UV_EBADF. */
    poll_stop(handle);
    if (handle->poll_cb != NULL) handle->poll_cb(handle, UV_EBADF, 0);
    return;
  }
  if (events & UV__POLLIN) pevents |= UV_READABLE;
  if (events & UV__POLLPRI) pevents |= UV_PRIORITIZED;
  if (events & UV__POLLOUT) pevents |= UV_WRITABLE;
  if (events & UV__POLLRDHUP) pevents |= UV_DISCONNECT;
  if (handle->poll_cb != NULL) handle->poll_cb(handle, 0, pevents);
}

void uv__poll_close(uv_poll_t* handle) {
  uv__io_t* w = &handle->io;

  poll_stop(handle);
  /* Another handle may watch the same descriptor now (this one was made
   * beside it, or stopped first).  Unless this watcher still has the
   * descriptor registered with the backend, dropping it there would
   * silence the other handle (libuv does so): just forget this one. */
  if (w->have == 0) {
    uv__link_remove(&w->change_link);
    return;
  }
  uv__io_close(handle->loop, w); /* the fd is the user's: not closed */
}
