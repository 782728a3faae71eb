/* eddy — TCP handles: sockets, bind, listen, connect and the options.
 *
 * The socket is made lazily, by the first bind, connect or listen, in the
 * family that call needs (or at once by uv_tcp_init_ex with a family).
 * As in libuv, an address already in use is not reported by uv_tcp_bind
 * but by the listen or connect that follows: programs rely on that. */
#include "internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int is_tcp(const uv_tcp_t* h) { return h != NULL && h->type == UV_TCP; }

static socklen_t addr_len(const struct sockaddr* addr) {
  switch (addr->sa_family) {
    case AF_INET:
      return sizeof(struct sockaddr_in);
    case AF_INET6:
      return sizeof(struct sockaddr_in6);
    default:
      return 0;
  }
}

/* Makes the socket if the handle has none yet. */
static int ensure_socket(uv_tcp_t* h, int family) {
  int fd;
  int err;

  if (h->io.fd != -1) return 0;
  fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  /* uv__stream_adopt also applies the options set before the socket
   * existed. */
  err = uv__stream_adopt((uv_stream_t*)h, fd, 0);
  if (err != 0) {
    uv__close(fd);
    return err;
  }
  return 0;
}

UV__EXPORT int uv_tcp_init_ex(uv_loop_t* loop, uv_tcp_t* handle,
                              unsigned int flags) {
  int family = (int)(flags & 0xFF);
  int err;

  if (loop == NULL || handle == NULL || loop->backend_fd < 0)
    return UV_EINVAL;
  if (flags & ~0xFFu) return UV_EINVAL;
  if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
    return UV_EINVAL;
  uv__stream_init(loop, (uv_stream_t*)handle, UV_TCP);
  if (family != AF_UNSPEC) {
    err = ensure_socket(handle, family);
    if (err != 0) {
      uv__link_remove(&handle->handle_queue);
      return err;
    }
  }
  return 0;
}

UV__EXPORT int uv_tcp_init(uv_loop_t* loop, uv_tcp_t* handle) {
  return uv_tcp_init_ex(loop, handle, AF_UNSPEC);
}

/* The socket counts as readable and writable whatever its state, as in
 * libuv: an unconnected one answers reads and writes with the kernel's
 * error, and becomes usable once uv_tcp_connect completes. */
UV__EXPORT int uv_tcp_open(uv_tcp_t* handle, uv_os_sock_t sock) {
  uv_loop_t* loop;

  if (!is_tcp(handle) || sock < 0) return UV_EINVAL;
  if (handle->io.fd != -1) return UV_EBUSY;
  loop = handle->loop;
  if ((unsigned int)sock < loop->nwatchers && loop->watchers[sock] != NULL)
    return UV_EEXIST; /* another handle of this loop watches it */
  return uv__stream_open((uv_stream_t*)handle, sock,
                         UV__STREAM_READABLE | UV__STREAM_WRITABLE);
}

UV__EXPORT int uv_tcp_bind(uv_tcp_t* handle, const struct sockaddr* addr,
                           unsigned int flags) {
  socklen_t len;
  int on = 1;
  int err;

  if (!is_tcp(handle) || addr == NULL || (flags & ~UV_TCP_IPV6ONLY &
                                          ~UV_TCP_REUSEPORT) ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  len = addr_len(addr);
  if (len == 0) return UV_EINVAL;
  if ((flags & UV_TCP_IPV6ONLY) && addr->sa_family != AF_INET6)
    return UV_EINVAL;

  err = ensure_socket(handle, addr->sa_family);
  if (err != 0) return err;
  if (setsockopt(handle->io.fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)))
    return -errno;
  if ((flags & UV_TCP_REUSEPORT) &&
      setsockopt(handle->io.fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)))
    return -errno;
  if (addr->sa_family == AF_INET6) {
    on = (flags & UV_TCP_IPV6ONLY) != 0;
    if (setsockopt(handle->io.fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)))
      return -errno;
  }

  errno = 0;
  if (bind(handle->io.fd, addr, len) != 0 && errno != EADDRINUSE) {
    if (errno == EAFNOSUPPORT) return UV_EINVAL; /* libuv's answer */
    return -errno;
  }
  handle->delayed_error = -errno; /* 0, or EADDRINUSE for later */
  handle->flags |= UV__TCP_BOUND;
  return 0;
}

int uv__tcp_listen(uv_tcp_t* tcp, int backlog, uv_connection_cb cb) {
  struct sockaddr_in any;
  int err;

  if (tcp->delayed_error != 0) return tcp->delayed_error;
  if (tcp->io.fd == -1) {
    /* libuv binds an unbound listener to 0.0.0.0, any port. */
    memset(&any, 0, sizeof(any));
    any.sin_family = AF_INET;
    err = uv_tcp_bind(tcp, (const struct sockaddr*)&any, 0);
    if (err != 0) return err;
    if (tcp->delayed_error != 0) return tcp->delayed_error;
  }
  return uv__stream_listen((uv_stream_t*)tcp, backlog, cb);
}

UV__EXPORT int uv_tcp_connect(uv_connect_t* req, uv_tcp_t* handle,
                              const struct sockaddr* addr, uv_connect_cb cb) {
  socklen_t len;
  int err;
  int r;

  if (req == NULL || !is_tcp(handle) || addr == NULL ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  len = addr_len(addr);
  if (len == 0) return UV_EINVAL;
  if (handle->connect_req != NULL) return UV_EALREADY;
  /* An address in use found by an earlier bind: libuv reports it through
   * the callback. */
  if (handle->delayed_error != 0)
    return uv__stream_connect_started((uv_stream_t*)handle, req, cb,
                                      handle->delayed_error);

  err = ensure_socket(handle, addr->sa_family);
  if (err != 0) return err;
  /* Readable and writable from now on, as in libuv: reads, writes and a
   * shutdown may be asked for while connecting and wait for it. */
  handle->flags |= UV__STREAM_READABLE | UV__STREAM_WRITABLE;

  do
    r = connect(handle->io.fd, addr, len);
  while (r != 0 && errno == EINTR);
  err = 0;
  if (r != 0 && errno != EINPROGRESS) {
    /* As libuv: a refusal (a local connect can be refused at once) comes
     * through the callback; any other error (ENETUNREACH, EISCONN, ...)
     * is the call's, and no request starts. */
    if (errno != ECONNREFUSED) return -errno;
    err = UV_ECONNREFUSED;
  }
  return uv__stream_connect_started((uv_stream_t*)handle, req, cb, err);
}

static int name_of(const uv_tcp_t* h, struct sockaddr* name, int* namelen,
                   int peer) {
  socklen_t len;

  if (!is_tcp(h) || name == NULL || namelen == NULL || *namelen < 0)
    return UV_EINVAL;
  if (h->delayed_error != 0) return h->delayed_error;
  if (h->io.fd < 0) return UV_EBADF; /* no socket yet: libuv's answer */
  len = (socklen_t)*namelen;
  if ((peer ? getpeername : getsockname)(h->io.fd, name, &len) != 0)
    return -errno;
  *namelen = (int)len;
  return 0;
}

UV__EXPORT int uv_tcp_getsockname(const uv_tcp_t* handle,
                                  struct sockaddr* name, int* namelen) {
  return name_of(handle, name, namelen, 0);
}

UV__EXPORT int uv_tcp_getpeername(const uv_tcp_t* handle,
                                  struct sockaddr* name, int* namelen) {
  return name_of(handle, name, namelen, 1);
}

UV__EXPORT int uv_tcp_nodelay(uv_tcp_t* handle, int enable) {
  if (!is_tcp(handle)) return UV_EINVAL;
  enable = enable != 0;
  if (handle->io.fd != -1 &&
      setsockopt(handle->io.fd, IPPROTO_TCP, TCP_NODELAY, &enable,
                 sizeof(enable)) != 0)
    return -errno;
  if (enable)
    handle->flags |= UV__TCP_NODELAY;
  else
    handle->flags &= ~UV__TCP_NODELAY;
  return 0;
}

UV__EXPORT int uv_tcp_keepalive_ex(uv_tcp_t* handle, int on,
                                   unsigned int idle, unsigned int intvl,
                                   unsigned int cnt) {
  int fd;
  int v;

  if (!is_tcp(handle)) return UV_EINVAL;
  fd = handle->io.fd;
  if (on && (idle == 0 || intvl == 0 || cnt == 0)) return UV_EINVAL;
  if (fd == -1) {
    /* Applied when the socket is made, as libuv does. */
    if (on)
      handle->flags |= UV__TCP_KEEPALIVE;
    else
      handle->flags &= ~UV__TCP_KEEPALIVE;
    return 0;
  }
  v = on != 0;
  if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v)) != 0)
    return -errno;
  if (!on) {
    handle->flags &= ~UV__TCP_KEEPALIVE;
    return 0;
  }
  v = (int)idle;
  if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof(v)) != 0)
    return -errno;
  v = (int)intvl;
  if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &v, sizeof(v)) != 0)
    return -errno;
  v = (int)cnt;
  if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof(v)) != 0)
    return -errno;
  handle->flags |= UV__TCP_KEEPALIVE;
  return 0;
}

/* libuv's defaults behind the old call: probe every second, ten times. */
UV__EXPORT int uv_tcp_keepalive(uv_tcp_t* handle, int enable,
                                unsigned int delay) {
  return uv_tcp_keepalive_ex(handle, enable, delay, 1, 10);
}

/* A Windows tuning knob; on Unix there is nothing to change. */
UV__EXPORT int uv_tcp_simultaneous_accepts(uv_tcp_t* handle, int enable) {
  (void)enable;
  return is_tcp(handle) ? 0 : UV_EINVAL;
}

/* Closes with an RST instead of a FIN: SO_LINGER with a zero timeout. */
UV__EXPORT int uv_tcp_close_reset(uv_tcp_t* handle, uv_close_cb close_cb) {
  struct linger l = {1, 0};

  if (!is_tcp(handle) || uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  if (handle->shutdown_req != NULL) return UV_EINVAL;
  if (handle->io.fd != -1 &&
      setsockopt(handle->io.fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) != 0)
    return -errno;
  uv_close((uv_handle_t*)handle, close_cb);
  return 0;
}

/* A connected pair of sockets, close-on-exec, each optionally
 * non-blocking (UV_NONBLOCK_PIPE). */
UV__EXPORT int uv_socketpair(int type, int protocol,
                             uv_os_sock_t socket_vector[2], int flags0,
                             int flags1) {
  int fds[2];
  int err;

  if (socket_vector == NULL || ((flags0 | flags1) & ~UV_NONBLOCK_PIPE))
    return UV_EINVAL;
  if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, protocol, fds) != 0)
    return -errno;
  err = 0;
  if (flags0 & UV_NONBLOCK_PIPE) err = uv__nonblock(fds[0], 1);
  if (err == 0 && (flags1 & UV_NONBLOCK_PIPE)) err = uv__nonblock(fds[1], 1);
  if (err != 0) {
    uv__close(fds[0]);
    uv__close(fds[1]);
    return err;
  }
  socket_vector[0] = fds[0];
  socket_vector[1] = fds[1];
  return 0;
}
