/* eddy — what every handle has: the loop's handle queue, close and the
 * close phase, reference counting, names and sizes, and the accessors.
 *
 * Closing: uv_close stops the handle at once (per type) and queues it;
 * the close phase of the loop finishes it and calls its callback.  Like
 * libuv, the close phase runs the most recently closed handle first. */
#include "internal.h"

#include <stddef.h>
#include <sys/socket.h>

/* Programs built against libuv reach into the private flags word (uvloop
 * sets UV_HANDLE_READABLE on its pipes): it must be where libuv has it,
 * and the bits they touch must be libuv's. */
_Static_assert(offsetof(uv_handle_t, flags) == 88,
               "handle flags must sit at libuv's offset");
_Static_assert(UV__HANDLE_CLOSING == 0x1 && UV__HANDLE_CLOSED == 0x2 &&
                   UV__HANDLE_ACTIVE == 0x4 && UV__HANDLE_REF == 0x8 &&
                   UV__STREAM_READABLE == 0x4000 &&
                   UV__STREAM_WRITABLE == 0x8000,
               "handle flags shared with programs must keep libuv's values");

void uv__handle_init(uv_loop_t* loop, uv_handle_t* h, uv_handle_type type) {
  h->loop = loop;
  h->type = type;
  h->flags = UV__HANDLE_REF;
  h->close_cb = NULL;
  h->next_closing = NULL;
  h->handle_spare = 0;
  uv__io_init(&h->io, UV__IO_NONE, -1);
  uv__link_insert_tail(&loop->handle_queue, &h->handle_queue);
}

void uv__make_close_pending(uv_handle_t* h) {
  h->next_closing = h->loop->closing_handles;
  h->loop->closing_handles = h;
}

UV__EXPORT void uv_close(uv_handle_t* handle, uv_close_cb close_cb) {
  if (handle == NULL) uv__fatal("uv_close", handle, "NULL handle");
  if (handle->flags & (UV__HANDLE_CLOSING | UV__HANDLE_CLOSED))
    uv__fatal("uv_close", handle, "handle is already closing or closed");

  handle->flags |= UV__HANDLE_CLOSING;
  handle->close_cb = close_cb;

  switch (handle->type) {
    case UV_TIMER:
      uv__timer_close((uv_timer_t*)handle);
      break;
    case UV_IDLE:
      uv__idle_close((uv_idle_t*)handle);
      break;
    case UV_PREPARE:
      uv__prepare_close((uv_prepare_t*)handle);
      break;
    case UV_CHECK:
      uv__check_close((uv_check_t*)handle);
      break;
    case UV_ASYNC:
      uv__async_close((uv_async_t*)handle);
      break;
    case UV_TCP:
      uv__stream_close((uv_stream_t*)handle);
      break;
    case UV_TTY:
      uv__tty_close((uv_tty_t*)handle);
      break;
    case UV_UDP:
      uv__udp_close((uv_udp_t*)handle);
      break;
    case UV_NAMED_PIPE:
      uv__pipe_close((uv_pipe_t*)handle);
      break;
    case UV_POLL:
      uv__poll_close((uv_poll_t*)handle);
      break;
    case UV_FS_EVENT:
      uv__fs_event_close((uv_fs_event_t*)handle);
      break;
    case UV_FS_POLL:
      uv__fs_poll_close((uv_fs_poll_t*)handle);
      break;
    case UV_SIGNAL:
      uv__signal_close((uv_signal_t*)handle);
      break;
    case UV_PROCESS:
      uv__process_close((uv_process_t*)handle);
      break;
    default:
      uv__fatal("uv_close", handle,
                "not an initialized handle of a type eddy supports");
  }
  uv__make_close_pending(handle);
}

static void finish_close(uv_handle_t* h) {
  switch (h->type) {
    case UV_TCP:
    case UV_NAMED_PIPE:
    case UV_TTY:
      uv__stream_destroy((uv_stream_t*)h);
      break;
    case UV_UDP:
      uv__udp_destroy((uv_udp_t*)h);
      break;
    default:
      break;
  }
  h->flags |= UV__HANDLE_CLOSED;
  h->flags &= ~UV__HANDLE_CLOSING;
  uv__handle_stop(h);
  uv__handle_unref(h);
  uv__link_remove(&h->handle_queue);
  if (h->close_cb != NULL) h->close_cb(h);
}

void uv__run_closing_handles(uv_loop_t* loop);
void uv__run_closing_handles(uv_loop_t* loop) {
  uv_handle_t* h = loop->closing_handles;
  uv_handle_t* next;

  loop->closing_handles = NULL;
  for (; h != NULL; h = next) {
    next = h->next_closing; /* the callback may free h */
    finish_close(h);
  }
}

UV__EXPORT int uv_is_closing(const uv_handle_t* handle) {
  return handle != NULL && uv__is_closing(handle);
}

UV__EXPORT int uv_is_active(const uv_handle_t* handle) {
  return handle != NULL && uv__is_active(handle);
}

UV__EXPORT void uv_ref(uv_handle_t* handle) {
  if (handle != NULL) uv__handle_ref(handle);
}

UV__EXPORT void uv_unref(uv_handle_t* handle) {
  if (handle != NULL) uv__handle_unref(handle);
}

UV__EXPORT int uv_has_ref(const uv_handle_t* handle) {
  return handle != NULL && (handle->flags & UV__HANDLE_REF) != 0;
}

UV__EXPORT size_t uv_handle_size(uv_handle_type type) {
  switch (type) {
#define UV__HANDLE_SIZE(uc, lc) \
  case UV_##uc:                 \
    return sizeof(uv_##lc##_t);
    UV_HANDLE_TYPE_MAP(UV__HANDLE_SIZE)
#undef UV__HANDLE_SIZE
    default:
      return (size_t)-1;
  }
}

UV__EXPORT const char* uv_handle_type_name(uv_handle_type type) {
  switch (type) {
#define UV__HANDLE_NAME(uc, lc) \
  case UV_##uc:                 \
    return #lc;
    UV_HANDLE_TYPE_MAP(UV__HANDLE_NAME)
#undef UV__HANDLE_NAME
    case UV_FILE:
      return "file";
    default:
      return NULL;
  }
}

UV__EXPORT uv_handle_type uv_handle_get_type(const uv_handle_t* handle) {
  return handle != NULL ? handle->type : UV_UNKNOWN_HANDLE;
}

UV__EXPORT void* uv_handle_get_data(const uv_handle_t* handle) {
  return handle != NULL ? handle->data : NULL;
}

UV__EXPORT uv_loop_t* uv_handle_get_loop(const uv_handle_t* handle) {
  return handle != NULL ? handle->loop : NULL;
}

UV__EXPORT void uv_handle_set_data(uv_handle_t* handle, void* data) {
  if (handle != NULL) handle->data = data;
}

static void print_handles(uv_loop_t* loop, FILE* stream, int only_active) {
  struct uv__link* l;
  uv_handle_t* h;
  const char* name;

  if (loop == NULL) loop = uv_default_loop();
  if (loop == NULL || stream == NULL) return;
  for (l = loop->handle_queue.next; l != &loop->handle_queue; l = l->next) {
    h = container_of(l, uv_handle_t, handle_queue);
    if (only_active && !uv__is_active(h)) continue;
    name = uv_handle_type_name(h->type);
    fprintf(stream, "[%c%c%c] %-8s %p\n",
            (h->flags & UV__HANDLE_REF) ? 'R' : '-',
            (h->flags & UV__HANDLE_ACTIVE) ? 'A' : '-',
            (h->flags & UV__HANDLE_INTERNAL) ? 'I' : '-',
            name != NULL ? name : "<unknown>", (void*)h);
  }
}

UV__EXPORT void uv_print_all_handles(uv_loop_t* loop, FILE* stream) {
  print_handles(loop, stream, 0);
}

UV__EXPORT void uv_print_active_handles(uv_loop_t* loop, FILE* stream) {
  print_handles(loop, stream, 1);
}

/* The descriptor behind a handle, for the types that have one. */
static int handle_fd(const uv_handle_t* handle, int* fd) {
  switch (handle->type) {
    case UV_TCP:
    case UV_NAMED_PIPE:
    case UV_TTY:
    case UV_UDP:
    case UV_POLL:
      break;
    default:
      return UV_EINVAL;
  }
  if (uv__is_closing(handle) || handle->io.fd < 0) return UV_EBADF;
  *fd = handle->io.fd;
  return 0;
}

UV__EXPORT int uv_fileno(const uv_handle_t* handle, uv_os_fd_t* fd) {
  if (handle == NULL || fd == NULL) return UV_EINVAL;
  return handle_fd(handle, fd);
}

/* *value == 0 reads the option, anything else sets it (libuv's contract;
 * Linux reports twice the size that was set). */
static int socket_buffer_size(uv_handle_t* handle, int* value, int option) {
  socklen_t len = sizeof(*value);
  int fd;
  int err;

  if (handle == NULL || value == NULL) return UV_EINVAL;
  if (handle->type != UV_TCP && handle->type != UV_NAMED_PIPE &&
      handle->type != UV_UDP)
    return UV_ENOTSUP;
  err = handle_fd(handle, &fd);
  if (err != 0) return err;
  if (*value == 0)
    err = getsockopt(fd, SOL_SOCKET, option, value, &len);
  else
    err = setsockopt(fd, SOL_SOCKET, option, value, len);
  return err != 0 ? -errno : 0;
}

UV__EXPORT int uv_send_buffer_size(uv_handle_t* handle, int* value) {
  return socket_buffer_size(handle, value, SO_SNDBUF);
}

UV__EXPORT int uv_recv_buffer_size(uv_handle_t* handle, int* value) {
  return socket_buffer_size(handle, value, SO_RCVBUF);
}

UV__EXPORT void uv_walk(uv_loop_t* loop, uv_walk_cb walk_cb, void* arg) {
  struct uv__link snapshot;
  struct uv__link* l;
  uv_handle_t* h;

  if (loop == NULL || walk_cb == NULL) return;
  /* Walk a snapshot so that the callback may close or init handles. */
  uv__link_move(&loop->handle_queue, &snapshot);
  while (!uv__link_empty(&snapshot)) {
    l = snapshot.next;
    uv__link_remove(l);
    uv__link_insert_tail(&loop->handle_queue, l);
    h = container_of(l, uv_handle_t, handle_queue);
    if (h->flags & UV__HANDLE_INTERNAL) continue;
    walk_cb(h, arg);
  }
}

UV__EXPORT uv_buf_t uv_buf_init(char* base, unsigned int len) {
  uv_buf_t buf;
  buf.base = base;
  buf.len = len;
  return buf;
}
