/* eddy — pipe handles: Unix domain sockets (and plain pipes opened with
 * uv_pipe_open), named by a path or, on Linux, by an abstract name that
 * starts with a NUL byte.
 *
 * A name that does not fit in sockaddr_un is refused with UV_EINVAL,
 * never cut short: a truncated name would bind or connect somewhere the
 * caller did not ask for. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int is_pipe(const uv_pipe_t* h) {
  return h != NULL && h->type == UV_NAMED_PIPE;
}

UV__EXPORT int uv_pipe_init(uv_loop_t* loop, uv_pipe_t* handle, int ipc) {
  if (loop == NULL || handle == NULL || loop->backend_fd < 0)
    return UV_EINVAL;
  uv__stream_init(loop, (uv_stream_t*)handle, UV_NAMED_PIPE);
  handle->ipc = ipc != 0;
  handle->pipe_flags = 0;
  handle->pipe_fname = NULL;
  return 0;
}

/* Readable and writable as the descriptor's access mode allows. */
UV__EXPORT int uv_pipe_open(uv_pipe_t* handle, uv_file file) {
  unsigned int flags = 0;
  int mode;

  if (!is_pipe(handle) || file < 0) return UV_EINVAL;
  if (handle->io.fd != -1) return UV_EBUSY;
  if ((unsigned int)file < handle->loop->nwatchers &&
      handle->loop->watchers[file] != NULL)
    return UV_EEXIST; /* another handle of this loop watches it */
  mode = fcntl(file, F_GETFL);
  if (mode == -1) return -errno;
  switch (mode & O_ACCMODE) {
    case O_RDONLY:
      flags = UV__STREAM_READABLE;
      break;
    case O_WRONLY:
      flags = UV__STREAM_WRITABLE;
      break;
    default:
      flags = UV__STREAM_READABLE | UV__STREAM_WRITABLE;
  }
  return uv__stream_open((uv_stream_t*)handle, file, flags);
}

/* Fills a sockaddr_un from name[0..namelen); the length to pass to the
 * kernel, or UV_EINVAL when the name does not fit. */
static int make_addr(struct sockaddr_un* sun, const char* name,
                     size_t namelen, socklen_t* len) {
  if (name == NULL || namelen == 0) return UV_EINVAL;
  /* A path needs room for its terminator; an abstract name does not. */
  if (name[0] == '\0' ? namelen > sizeof(sun->sun_path)
                      : namelen >= sizeof(sun->sun_path))
    return UV_EINVAL;
  if (name[0] != '\0' && memchr(name, '\0', namelen) != NULL)
    return UV_EINVAL;
  memset(sun, 0, sizeof(*sun));
  sun->sun_family = AF_UNIX;
  memcpy(sun->sun_path, name, namelen);
  *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + namelen +
                     (name[0] != '\0'));
  return 0;
}

static int new_socket(uv_pipe_t* h) {
  int fd;
  int err;

  if (h->io.fd != -1) return 0;
  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  err = uv__stream_adopt((uv_stream_t*)h, fd, 0);
  if (err != 0) uv__close(fd);
  return err;
}

UV__EXPORT int uv_pipe_bind2(uv_pipe_t* handle, const char* name,
                             size_t namelen, unsigned int flags) {
  struct sockaddr_un sun;
  socklen_t len;
  char* fname = NULL;
  int err;

  if (!is_pipe(handle) || (flags & ~UV_PIPE_NO_TRUNCATE) || name == NULL ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  if (handle->pipe_fname != NULL || (handle->flags & UV__TCP_BOUND))
    return UV_EINVAL; /* already bound */
  if (namelen == 0) {
    /* Linux's autobind (unix(7)): the kernel picks an abstract name;
     * uv_pipe_getsockname tells which. */
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    len = (socklen_t)offsetof(struct sockaddr_un, sun_path);
  } else {
    err = make_addr(&sun, name, namelen, &len);
    if (err != 0) return err;
  }
  if (namelen != 0 && name[0] != '\0') {
    fname = uv__malloc(namelen + 1);
    if (fname == NULL) return UV_ENOMEM;
    memcpy(fname, name, namelen);
    fname[namelen] = '\0';
  }
  err = new_socket(handle);
  if (err == 0 && bind(handle->io.fd, (struct sockaddr*)&sun, len) != 0)
    err = errno == ENOENT ? UV_EACCES : -errno; /* libuv's mapping */
  if (err != 0) {
    uv__free(fname);
    return err;
  }
  handle->pipe_fname = fname;
  handle->flags |= UV__TCP_BOUND;
  return 0;
}

UV__EXPORT int uv_pipe_bind(uv_pipe_t* handle, const char* name) {
  if (name == NULL) return UV_EINVAL;
  return uv_pipe_bind2(handle, name, strlen(name), 0);
}

int uv__pipe_listen(uv_pipe_t* pipe, int backlog, uv_connection_cb cb) {
  if (pipe->io.fd == -1) return UV_EINVAL; /* libuv: bind first */
  /* libuv's docs: the listening pipe is never IPC (only the connection
   * that passes handles is); libuv refuses it. */
  if (pipe->ipc) return UV_EINVAL;
  return uv__stream_listen((uv_stream_t*)pipe, backlog, cb);
}

UV__EXPORT int uv_pipe_connect2(uv_connect_t* req, uv_pipe_t* handle,
                                const char* name, size_t namelen,
                                unsigned int flags, uv_connect_cb cb) {
  struct sockaddr_un sun;
  socklen_t len;
  int err;
  int r;

  if (req == NULL || !is_pipe(handle) || (flags & ~UV_PIPE_NO_TRUNCATE) ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  if (handle->connect_req != NULL) return UV_EALREADY;
  err = make_addr(&sun, name, namelen, &len);
  if (err != 0) return err;
  err = new_socket(handle);
  if (err != 0) return err;

  do
    r = connect(handle->io.fd, (struct sockaddr*)&sun, len);
  while (r != 0 && errno == EINTR);
  /* Success and failure both reach the callback, from the loop. */
  err = r != 0 && errno != EINPROGRESS ? -errno : 0;
  /* Once the connect is under way the pipe is readable and writable, as in
   * libuv: reads, writes and a shutdown may be asked for now and wait. */
  if (err == 0) handle->flags |= UV__STREAM_READABLE | UV__STREAM_WRITABLE;
  return uv__stream_connect_started((uv_stream_t*)handle, req, cb, err);
}

/* The void form reports every error through the callback. */
UV__EXPORT void uv_pipe_connect(uv_connect_t* req, uv_pipe_t* handle,
                                const char* name, uv_connect_cb cb) {
  int err;

  if (req == NULL || !is_pipe(handle)) return;
  err = uv_pipe_connect2(req, handle, name, name != NULL ? strlen(name) : 0,
                         0, cb);
  if (err != 0 && handle->connect_req == NULL)
    uv__stream_connect_started((uv_stream_t*)handle, req, cb, err);
}

/* The name of either end, in the UV_ENOBUFS protocol: *size is the length
 * without a terminator on success, the room needed with one otherwise.
 * Abstract names come back with their leading NUL and, as in libuv,
 * without a terminator (they may hold NULs): they need no room for one. */
static int name_of(const uv_pipe_t* h, char* buffer, size_t* size, int peer) {
  struct sockaddr_un sun;
  socklen_t len = sizeof(sun);
  size_t n;
  size_t room;

  if (!is_pipe(h) || buffer == NULL || size == NULL || *size == 0)
    return UV_EINVAL;
  if (h->io.fd < 0) {
    *size = 0;
    return UV_EBADF;
  }
  memset(&sun, 0, sizeof(sun));
  if ((peer ? getpeername : getsockname)(h->io.fd, (struct sockaddr*)&sun,
                                          &len) != 0) {
    *size = 0;
    return -errno;
  }
  n = len > offsetof(struct sockaddr_un, sun_path)
          ? len - offsetof(struct sockaddr_un, sun_path)
          : 0;
  if (n > 0 && sun.sun_path[0] != '\0') n = strnlen(sun.sun_path, n);
  room = n > 0 && sun.sun_path[0] == '\0' ? n : n + 1;
  if (room > *size) {
    *size = room;
    return UV_ENOBUFS;
  }
  memcpy(buffer, sun.sun_path, n);
  if (room > n) buffer[n] = '\0';
  *size = n;
  return 0;
}

UV__EXPORT int uv_pipe_getsockname(const uv_pipe_t* handle, char* buffer,
                                   size_t* size) {
  return name_of(handle, buffer, size, 0);
}

UV__EXPORT int uv_pipe_getpeername(const uv_pipe_t* handle, char* buffer,
                                   size_t* size) {
  return name_of(handle, buffer, size, 1);
}

/* Windows-only: the number of server instances.  Nothing to do here. */
UV__EXPORT void uv_pipe_pending_instances(uv_pipe_t* handle, int count) {
  (void)handle;
  (void)count;
}

UV__EXPORT int uv_pipe_pending_count(uv_pipe_t* handle) {
  if (!is_pipe(handle) || !handle->ipc) return 0;
  return uv__stream_received_fds((uv_stream_t*)handle);
}

/* What the next descriptor received over an IPC pipe is. */
UV__EXPORT uv_handle_type uv_pipe_pending_type(uv_pipe_t* handle) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  int type;
  socklen_t tlen = sizeof(type);
  int fd;

  if (!is_pipe(handle) || !handle->ipc || handle->accepted_fd == -1)
    return UV_UNKNOWN_HANDLE;
  fd = handle->accepted_fd;
  if (getsockname(fd, (struct sockaddr*)&ss, &len) != 0 ||
      getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0)
    return UV_UNKNOWN_HANDLE;
  if (ss.ss_family == AF_UNIX) return UV_NAMED_PIPE;
  if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)
    return type == SOCK_DGRAM ? UV_UDP : UV_TCP;
  return UV_UNKNOWN_HANDLE;
}

/* libuv 1.52 sets the mode to exactly what is asked (r--r--r--,
 * -w--w--w- or rw-rw-rw-); older releases added it to the file's mode. */
UV__EXPORT int uv_pipe_chmod(uv_pipe_t* handle, int flags) {
  mode_t mode = 0;

  if (!is_pipe(handle) || handle->io.fd < 0) return UV_EBADF;
  if (flags == 0 || (flags & ~(UV_READABLE | UV_WRITABLE))) return UV_EINVAL;
  if (handle->pipe_fname == NULL) return UV_EINVAL; /* unnamed or abstract */
  if (flags & UV_READABLE) mode |= S_IRUSR | S_IRGRP | S_IROTH;
  if (flags & UV_WRITABLE) mode |= S_IWUSR | S_IWGRP | S_IWOTH;
  if (chmod(handle->pipe_fname, mode) != 0) return -errno;
  return 0;
}

void uv__pipe_close(uv_pipe_t* pipe) {
  if (pipe->pipe_fname != NULL) {
    /* Only a listener's path is ours to remove. */
    unlink(pipe->pipe_fname);
    uv__free((void*)pipe->pipe_fname);
    pipe->pipe_fname = NULL;
  }
  uv__stream_close((uv_stream_t*)pipe);
}

/* An anonymous pipe, close-on-exec, each end optionally non-blocking. */
UV__EXPORT int uv_pipe(uv_file fds[2], int read_flags, int write_flags) {
  int p[2];
  int err = 0;

  if (fds == NULL || ((read_flags | write_flags) & ~UV_NONBLOCK_PIPE))
    return UV_EINVAL;
  if (pipe2(p, O_CLOEXEC) != 0) return -errno;
  if (read_flags & UV_NONBLOCK_PIPE) err = uv__nonblock(p[0], 1);
  if (err == 0 && (write_flags & UV_NONBLOCK_PIPE)) err = uv__nonblock(p[1], 1);
  if (err != 0) {
    uv__close(p[0]);
    uv__close(p[1]);
    return err;
  }
  fds[0] = p[0];
  fds[1] = p[1];
  return 0;
}
