/* eddy — streams: what TCP sockets, pipes and TTYs share.
 *
 * Reading: a readable stream that is reading wants POLLIN; each wake-up
 * reads a bounded number of times so one busy peer cannot starve the loop.
 * Writing: a write is tried at once when nothing is queued before it;
 * what the kernel does not take waits on write_queue for POLLOUT.  A
 * finished write moves to write_done and its callback runs in the next
 * pending phase, never inside uv_write.  Listening sockets accept on
 * POLLIN and hold one connection until uv_accept takes it.  IPC pipes pass
 * descriptors with SCM_RIGHTS. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* Reads per wake-up: enough to drain a fast peer, few enough to let the
 * rest of the loop run. */
#define READS_PER_WAKEUP 32
#define READ_SUGGESTED_SIZE 65536
/* Descriptors one IPC message may carry. */
#define MAX_PASSED_FDS 64

struct queued_fds {
  unsigned int count;
  unsigned int cap;
  int fds[];
};

static uv_stream_t* stream_of(uv__io_t* w) {
  return (uv_stream_t*)container_of(w, uv_handle_t, io);
}

static int is_stream_type(uv_handle_type t) {
  return t == UV_TCP || t == UV_NAMED_PIPE || t == UV_TTY;
}

void uv__stream_init(uv_loop_t* loop, uv_stream_t* s, uv_handle_type type) {
  uv__handle_init(loop, (uv_handle_t*)s, type);
  s->write_queue_size = 0;
  s->alloc_cb = NULL;
  s->read_cb = NULL;
  s->connect_req = NULL;
  s->shutdown_req = NULL;
  s->connection_cb = NULL;
  uv__link_init(&s->write_queue);
  uv__link_init(&s->write_done);
  uv__link_init(&s->pending.link);
  s->pending.kind = UV__IO_STREAM;
  s->delayed_error = 0;
  s->shutdown_error = 0;
  s->accepted_fd = -1;
  s->queued_fds = NULL;
  memset(s->stream_reserved, 0, sizeof(s->stream_reserved));
  uv__io_init(&s->io, UV__IO_STREAM, -1);
  uv__stream_set_fd(s, -1);
}

/* libuv keeps a stream's descriptor in io_watcher.fd at offset 184, and
 * programs built against it read it there (include/uv/unix.h). */
_Static_assert(offsetof(uv_stream_t, io_watcher.fd) == 184 &&
                   offsetof(uv_tcp_t, io_watcher.fd) == 184 &&
                   offsetof(uv_pipe_t, io_watcher.fd) == 184 &&
                   offsetof(uv_tty_t, io_watcher.fd) == 184,
               "streams: libuv's io_watcher.fd is at offset 184");

/* Gives the stream its descriptor (non-blocking from here on).  TCP
 * options asked for before the handle had a socket (uv_tcp_nodelay,
 * uv_tcp_keepalive) are applied to it now, whether the socket was made,
 * accepted or opened, as libuv does. */
int uv__stream_open(uv_stream_t* s, int fd, unsigned int flags) {
  int err;

  if (s->io.fd != -1 && s->io.fd != fd) return UV_EBUSY;
  err = uv__nonblock(fd, 1);
  if (err != 0) return err;
  return uv__stream_adopt(s, fd, flags);
}

/* The same for a descriptor eddy made non-blocking itself (socket() or
 * accept4() with SOCK_NONBLOCK): no system call to say so again. */
int uv__stream_adopt(uv_stream_t* s, int fd, unsigned int flags) {
  unsigned int old_flags = s->flags;
  int err = 0;

  if (s->io.fd != -1 && s->io.fd != fd) return UV_EBUSY;
  uv__stream_set_fd(s, fd);
  s->flags |= flags;
  if (s->type == UV_TCP) {
    if (s->flags & UV__TCP_NODELAY) err = uv_tcp_nodelay((uv_tcp_t*)s, 1);
    if (err == 0 && (s->flags & UV__TCP_KEEPALIVE))
      err = uv_tcp_keepalive((uv_tcp_t*)s, 1, 60);
    if (err != 0) {
      uv__stream_set_fd(s, -1);
      s->flags = old_flags;
      return err;
    }
  }
  return 0;
}

static void stream_maybe_stop(uv_stream_t* s) {
  /* Active while reading, writing, connecting or shutting down: the
   * requests count as active requests of their own; the handle itself is
   * active while it reads or listens. */
  if (!(s->flags & (UV__STREAM_READING | UV__STREAM_LISTENING)))
    uv__handle_stop((uv_handle_t*)s);
}

/* ---- writing ------------------------------------------------------------- */

static size_t bufs_size(const uv_buf_t* bufs, unsigned int nbufs) {
  size_t n = 0;
  unsigned int i;
  for (i = 0; i < nbufs; i++) n += bufs[i].len;
  return n;
}

static size_t req_remaining(const uv_write_t* req) {
  return bufs_size(req->bufs + req->write_index,
                   req->nbufs - req->write_index);
}

static void write_finished(uv_stream_t* s, uv_write_t* req, int error) {
  s->write_queue_size -= req_remaining(req);
  req->error = error;
  uv__link_remove(&req->queue);
  uv__link_insert_tail(&s->write_done, &req->queue);
  uv__pending_add(s->loop, &s->pending);
}

/* Sends what the kernel takes of one request's buffers (and, first, the
 * handle it passes).  Returns bytes sent, or a negative error. */
static ssize_t send_bufs(uv_stream_t* s, uv_write_t* req) {
  struct iovec* iov = (struct iovec*)(req->bufs + req->write_index);
  unsigned int n = req->nbufs - req->write_index;
  struct msghdr msg;
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } ctl;
  struct cmsghdr* cmsg;
  ssize_t r;
  int fd;

  if (n > IOV_MAX) n = IOV_MAX;
  if (req->send_handle != NULL) {
    fd = req->send_handle->io.fd;
    if (fd < 0) return UV_EBADF;
    memset(&msg, 0, sizeof(msg));
    memset(&ctl, 0, sizeof(ctl));
    msg.msg_iov = iov;
    msg.msg_iovlen = n;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof(ctl.buf);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    do
      r = sendmsg(s->io.fd, &msg, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r >= 0) req->send_handle = NULL; /* the handle went with byte one */
  } else if (s->flags & UV__STREAM_NOT_SOCKET) {
    do
      r = n == 1 ? write(s->io.fd, iov[0].iov_base, iov[0].iov_len)
                 : writev(s->io.fd, iov, (int)n);
    while (r < 0 && errno == EINTR);
  } else {
    /* send or sendmsg, not write or writev: MSG_NOSIGNAL turns a closed
     * peer into EPIPE instead of a SIGPIPE that would kill the process.
     * One buffer (the common case) goes through send, which the kernel
     * takes without copying in a msghdr and an iovec array. */
    if (n == 1) {
      do
        r = send(s->io.fd, iov[0].iov_base, iov[0].iov_len, MSG_NOSIGNAL);
      while (r < 0 && errno == EINTR);
    } else {
      memset(&msg, 0, sizeof(msg));
      msg.msg_iov = iov;
      msg.msg_iovlen = n;
      do
        r = sendmsg(s->io.fd, &msg, MSG_NOSIGNAL);
      while (r < 0 && errno == EINTR);
    }
    if (r < 0 && errno == ENOTSOCK) {
      s->flags |= UV__STREAM_NOT_SOCKET; /* a pipe or a terminal */
      return send_bufs(s, req);
    }
  }
  if (r < 0) return errno == EWOULDBLOCK ? UV_EAGAIN : -errno;
  return r;
}

/* Advances a request past n written bytes; returns whether it is done. */
static int advance(uv_stream_t* s, uv_write_t* req, size_t n) {
  uv_buf_t* b;

  s->write_queue_size -= n;
  while (req->write_index < req->nbufs) {
    b = &req->bufs[req->write_index];
    if (n < b->len) {
      b->base += n;
      b->len -= n;
      return 0;
    }
    n -= b->len;
    b->len = 0;
    req->write_index++;
  }
  return 1;
}

static void try_shutdown(uv_stream_t* s);

/* Writes queued requests until the kernel pushes back. */
static void write_queued(uv_stream_t* s) {
  uv_write_t* req;
  ssize_t r;

  while (!uv__link_empty(&s->write_queue)) {
    req = container_of(s->write_queue.next, uv_write_t, queue);
    if (req->write_index == req->nbufs && req->send_handle == NULL) {
      write_finished(s, req, 0); /* zero-length write */
      continue;
    }
    r = send_bufs(s, req);
    if (r == UV_EAGAIN) {
      uv__io_start(s->loop, &s->io, UV__POLLOUT);
      return;
    }
    if (r < 0) {
      write_finished(s, req, (int)r);
      continue;
    }
    if (advance(s, req, (size_t)r) && req->send_handle == NULL)
      write_finished(s, req, 0);
  }
  if (s->connect_req == NULL) uv__io_stop(s->loop, &s->io, UV__POLLOUT);
  try_shutdown(s);
}

/* Once the writes before it are done, the shutdown is due: shutdown(2)
 * and the callback both happen in the pending phase, never inside
 * uv_shutdown or uv_write.  libuv does the same, and the difference is
 * visible: a peer that answers the FIN at once (loopback) closes the
 * connection, and getpeername() then fails for code that still runs in
 * the same callback as uv_shutdown (node's socket.remoteAddress). */
static void try_shutdown(uv_stream_t* s) {
  if (s->shutdown_req == NULL || !uv__link_empty(&s->write_queue) ||
      (s->flags & UV__STREAM_SHUTDOWN_DUE))
    return;
  s->flags |= UV__STREAM_SHUTDOWN_DUE;
  uv__pending_add(s->loop, &s->pending);
}

/* libuv refuses a write of no buffers, and a count so large that it can
 * only be a negative number converted to unsigned, before anything else. */
static int nbufs_valid(unsigned int nbufs) {
  return nbufs >= 1 && nbufs <= 1024 * 1024;
}

UV__EXPORT int uv_write2(uv_write_t* req, uv_stream_t* handle,
                         const uv_buf_t bufs[], unsigned int nbufs,
                         uv_stream_t* send_handle, uv_write_cb cb) {
  int was_empty;

  if (req == NULL || handle == NULL || !is_stream_type(handle->type) ||
      bufs == NULL || !nbufs_valid(nbufs))
    return UV_EINVAL;
  if (handle->io.fd < 0) return UV_EBADF;
  if (!(handle->flags & UV__STREAM_WRITABLE)) return UV_EPIPE;
  if (send_handle != NULL) {
    if (handle->type != UV_NAMED_PIPE || !((uv_pipe_t*)handle)->ipc)
      return UV_EINVAL;
    if (send_handle->io.fd < 0) return UV_EBADF;
    /* The other process reads the same socket from now on. */
    if (send_handle->type == UV_UDP) uv__udp_shared((uv_udp_t*)send_handle);
  }

  req->type = UV_WRITE;
  req->cb = cb;
  req->handle = handle;
  req->send_handle = send_handle;
  req->error = 0;
  req->write_index = 0;
  req->nbufs = nbufs;
  req->bufs = req->bufsml;
  if (nbufs > UV__ARRAY_LEN(req->bufsml)) {
    req->bufs = uv__malloc(nbufs * sizeof(*bufs));
    if (req->bufs == NULL) return UV_ENOMEM;
  }
  if (nbufs > 0) memcpy(req->bufs, bufs, nbufs * sizeof(*bufs));

  was_empty = uv__link_empty(&handle->write_queue);
  uv__link_insert_tail(&handle->write_queue, &req->queue);
  handle->write_queue_size += bufs_size(bufs, nbufs);
  uv__req_register(handle->loop);

  if (handle->connect_req != NULL) return 0; /* written once connected */
  if (was_empty)
    write_queued(handle);
  else
    uv__io_start(handle->loop, &handle->io, UV__POLLOUT);
  return 0;
}

UV__EXPORT int uv_write(uv_write_t* req, uv_stream_t* handle,
                        const uv_buf_t bufs[], unsigned int nbufs,
                        uv_write_cb cb) {
  return uv_write2(req, handle, bufs, nbufs, NULL, cb);
}

UV__EXPORT int uv_try_write2(uv_stream_t* handle, const uv_buf_t bufs[],
                             unsigned int nbufs, uv_stream_t* send_handle) {
  uv_write_t req;
  ssize_t r;

  if (handle == NULL || !is_stream_type(handle->type) || bufs == NULL ||
      !nbufs_valid(nbufs))
    return UV_EINVAL;
  if (handle->io.fd < 0) return UV_EBADF;
  if (!(handle->flags & UV__STREAM_WRITABLE)) return UV_EPIPE;
  /* Bytes must not overtake queued writes, nor a connect in progress. */
  if (handle->connect_req != NULL || !uv__link_empty(&handle->write_queue))
    return UV_EAGAIN;
  if (send_handle != NULL &&
      (handle->type != UV_NAMED_PIPE || !((uv_pipe_t*)handle)->ipc))
    return UV_EINVAL;
  if (bufs_size(bufs, nbufs) == 0) return 0;
  if (send_handle != NULL && send_handle->type == UV_UDP)
    uv__udp_shared((uv_udp_t*)send_handle);

  /* send_bufs works on a request: lend it a view of the caller's buffers
   * (it never writes to them). */
  memset(&req, 0, sizeof(req));
  req.bufs = (uv_buf_t*)bufs;
  req.nbufs = nbufs > IOV_MAX ? IOV_MAX : nbufs;
  req.send_handle = send_handle;
  r = send_bufs(handle, &req);
  if (r == 0) return UV_EAGAIN;
  return (int)(r > INT_MAX ? INT_MAX : r);
}

UV__EXPORT int uv_try_write(uv_stream_t* handle, const uv_buf_t bufs[],
                            unsigned int nbufs) {
  return uv_try_write2(handle, bufs, nbufs, NULL);
}

UV__EXPORT int uv_shutdown(uv_shutdown_t* req, uv_stream_t* handle,
                           uv_shutdown_cb cb) {
  if (req == NULL || handle == NULL || !is_stream_type(handle->type))
    return UV_EINVAL;
  if (handle->io.fd < 0 || !(handle->flags & UV__STREAM_WRITABLE) ||
      handle->shutdown_req != NULL || uv__is_closing((uv_handle_t*)handle))
    return UV_ENOTCONN;

  req->type = UV_SHUTDOWN;
  req->handle = handle;
  req->cb = cb;
  handle->shutdown_req = req;
  handle->flags &= ~UV__STREAM_WRITABLE;
  uv__req_register(handle->loop);
  if (handle->connect_req == NULL) try_shutdown(handle);
  return 0;
}

/* ---- reading --------------------------------------------------------------- */

static void queue_fd(uv_stream_t* s, int fd) {
  struct queued_fds* q = s->queued_fds;
  struct queued_fds* grown;
  unsigned int cap;

  if (q == NULL || q->count == q->cap) {
    cap = q == NULL ? 4 : q->cap * 2;
    grown = uv__realloc(q, sizeof(*q) + cap * sizeof(int));
    if (grown == NULL) {
      uv__close(fd); /* nowhere to keep it: drop rather than leak */
      return;
    }
    if (q == NULL) grown->count = 0;
    grown->cap = cap;
    s->queued_fds = q = grown;
  }
  if (s->accepted_fd == -1)
    s->accepted_fd = fd;
  else
    q->fds[q->count++] = fd;
}

static ssize_t read_ipc(uv_stream_t* s, char* base, size_t len) {
  union {
    char buf[CMSG_SPACE(MAX_PASSED_FDS * sizeof(int))];
    struct cmsghdr align;
  } ctl;
  struct msghdr msg;
  struct iovec iov;
  struct cmsghdr* c;
  ssize_t r;
  size_t i;
  int fd;

  iov.iov_base = base;
  iov.iov_len = len;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = ctl.buf;
  msg.msg_controllen = sizeof(ctl.buf);
  do
    r = recvmsg(s->io.fd, &msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r < 0) return r;
  for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    for (i = 0; (i + 1) * sizeof(int) <= c->cmsg_len - CMSG_LEN(0); i++) {
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      queue_fd(s, fd);
    }
  }
  return r;
}

/* Descriptors received over an IPC pipe and not yet accepted. */
int uv__stream_received_fds(const uv_stream_t* s) {
  const struct queued_fds* q = s->queued_fds;
  if (s->accepted_fd == -1) return 0;
  return 1 + (q != NULL ? (int)q->count : 0);
}

/* As in libuv, EOF stops reading but leaves the stream readable: a later
 * uv_read_start reports UV_EOF again. */
static void read_eof(uv_stream_t* s, const uv_buf_t* buf) {
  s->flags &= ~UV__STREAM_READING;
  uv__io_stop(s->loop, &s->io, UV__POLLIN);
  stream_maybe_stop(s);
  s->read_cb(s, UV_EOF, buf);
}

/* Returns 1 when it stopped on a short read (the socket drained, no end of
 * file seen), else 0. */
static int read_some(uv_stream_t* s) {
  int ipc = s->type == UV_NAMED_PIPE && ((uv_pipe_t*)s)->ipc;
  uv_buf_t buf;
  ssize_t r;
  int count;
  int err;

  for (count = 0; count < READS_PER_WAKEUP; count++) {
    if (!(s->flags & UV__STREAM_READING) || s->io.fd < 0) return 0;
    buf = uv_buf_init(NULL, 0);
    s->alloc_cb((uv_handle_t*)s, READ_SUGGESTED_SIZE, &buf);
    if (buf.base == NULL || buf.len == 0) {
      s->read_cb(s, UV_ENOBUFS, &buf);
      return 0;
    }
    if (ipc) {
      r = read_ipc(s, buf.base, buf.len);
    } else {
      do
        r = read(s->io.fd, buf.base, buf.len);
      while (r < 0 && errno == EINTR);
    }
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        s->read_cb(s, 0, &buf); /* hands the buffer back */
      } else {
        /* A broken connection (a reset, say) can be neither read nor
         * written any more; libuv says so too. */
        err = -errno;
        s->flags &= ~(UV__STREAM_READABLE | UV__STREAM_WRITABLE);
        s->read_cb(s, err, &buf);
        if (s->flags & UV__STREAM_READING) uv_read_stop(s);
      }
      return 0;
    }
    if (r == 0) {
      read_eof(s, &buf);
      return 0;
    }
    s->read_cb(s, r, &buf);
    if ((size_t)r < buf.len) return 1; /* drained for now */
  }
  return 0;
}

UV__EXPORT int uv_read_start(uv_stream_t* stream, uv_alloc_cb alloc_cb,
                             uv_read_cb read_cb) {
  int err;

  if (stream == NULL || !is_stream_type(stream->type) || alloc_cb == NULL ||
      read_cb == NULL || uv__is_closing((uv_handle_t*)stream))
    return UV_EINVAL;
  if (!(stream->flags & UV__STREAM_READABLE) || stream->io.fd < 0)
    return UV_ENOTCONN;
  if (stream->flags & UV__STREAM_READING) return UV_EALREADY;

  err = uv__io_start(stream->loop, &stream->io, UV__POLLIN);
  if (err != 0) return err;
  stream->flags |= UV__STREAM_READING;
  stream->alloc_cb = alloc_cb;
  stream->read_cb = read_cb;
  uv__handle_start((uv_handle_t*)stream);
  return 0;
}

UV__EXPORT int uv_read_stop(uv_stream_t* stream) {
  if (stream == NULL || !is_stream_type(stream->type)) return UV_EINVAL;
  if (!(stream->flags & UV__STREAM_READING)) return 0;
  stream->flags &= ~UV__STREAM_READING;
  uv__io_stop(stream->loop, &stream->io, UV__POLLIN);
  stream_maybe_stop(stream);
  stream->alloc_cb = NULL;
  stream->read_cb = NULL;
  return 0;
}

/* ---- listening and accepting ------------------------------------------------- */

/* Descriptor exhaustion.  When accept() fails with EMFILE or ENFILE the
 * connection stays in the kernel's backlog and the listening socket stays
 * readable: the loop would wake up for it again and again, and the peer
 * would hang.  So a loop that listens keeps one descriptor in reserve (an
 * open /dev/null).  On EMFILE it closes the reserve, accepts and at once
 * closes every pending connection with the slot that freed (their peers
 * see the connection closed, not a hang), and takes the reserve again.
 * libuv does the same, and like libuv the connection callback is not told
 * when the reserve did its job: servers (node's among them) treat an
 * accept error as fatal.  Only a loop without a reserve reports UV_EMFILE.
 *
 * One reserve per loop rather than per process: a drain never waits for
 * another loop's drain (no lock), and a loop that never listens costs no
 * descriptor.  A reserve that could not be taken (the table was full) is
 * tried again at the listener's next wake-up. */
static void reserve_take(uv_loop_t* loop) {
  if (loop->emfile_fd == -1)
    loop->emfile_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

void uv__stream_loop_close(uv_loop_t* loop) {
  if (loop->emfile_fd != -1) uv__close(loop->emfile_fd);
  loop->emfile_fd = -1;
}

/* Rejects the backlog with the reserve's slot; 0 when it was drained (the
 * next accept would block), UV_EMFILE when there was no reserve. */
static int reject_backlog(uv_stream_t* s) {
  uv_loop_t* loop = s->loop;
  int fd;

  if (loop->emfile_fd == -1) return UV_EMFILE;
  uv__close(loop->emfile_fd);
  loop->emfile_fd = -1;
  for (;;) {
    fd = accept4(s->io.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      uv__close(fd);
      continue;
    }
    if (errno != EINTR && errno != ECONNABORTED) break;
  }
  /* The slot is free again unless another thread took it meanwhile. */
  reserve_take(loop);
  return 0;
}

static void accept_some(uv_stream_t* s) {
  int fd;
  int err;

  reserve_take(s->loop);
  while (s->accepted_fd == -1 && (s->flags & UV__STREAM_LISTENING)) {
    if (s->connection_cb == NULL) {
      /* Listening without a callback (libuv allows it): nobody would take
       * the connection, so leave the backlog to the kernel. */
      uv__io_stop(s->loop, &s->io, UV__POLLIN);
      return;
    }
    do
      fd = accept4(s->io.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (errno == ECONNABORTED) continue; /* the peer gave up: next */
      err = -errno;
      if ((err == UV_EMFILE || err == UV_ENFILE) && reject_backlog(s) == 0)
        return;
      s->connection_cb(s, err);
      return;
    }
    s->accepted_fd = fd;
    s->connection_cb(s, 0);
    if (s->accepted_fd != -1) {
      /* Not taken yet: stop accepting until uv_accept is called, so the
       * kernel's backlog, not our memory, holds the rest. */
      uv__io_stop(s->loop, &s->io, UV__POLLIN);
      return;
    }
  }
}

int uv__stream_listen(uv_stream_t* s, int backlog, uv_connection_cb cb) {
  int err;

  if (listen(s->io.fd, backlog) != 0) return -errno;
  reserve_take(s->loop);
  err = uv__io_start(s->loop, &s->io, UV__POLLIN);
  if (err != 0) return err;
  s->connection_cb = cb;
  s->flags |= UV__STREAM_LISTENING;
  uv__handle_start((uv_handle_t*)s);
  return 0;
}

UV__EXPORT int uv_listen(uv_stream_t* stream, int backlog,
                         uv_connection_cb cb) {
  /* libuv accepts a NULL callback: a socket listens before its owner is
   * ready to accept (the tests of bind errors rely on it). */
  if (stream == NULL || uv__is_closing((uv_handle_t*)stream))
    return UV_EINVAL;
  switch (stream->type) {
    case UV_TCP:
      return uv__tcp_listen((uv_tcp_t*)stream, backlog, cb);
    case UV_NAMED_PIPE:
      return uv__pipe_listen((uv_pipe_t*)stream, backlog, cb);
    default:
      return UV_ENOTSUP;
  }
}

UV__EXPORT int uv_accept(uv_stream_t* server, uv_stream_t* client) {
  struct queued_fds* q;
  int fd;
  int err;

  /* A UDP socket can only come from an IPC pipe, passed by uv_write2. */
  if (server == NULL || client == NULL || client->loop != server->loop ||
      !(is_stream_type(client->type) ||
        (client->type == UV_UDP && server->type == UV_NAMED_PIPE)))
    return UV_EINVAL;
  fd = server->accepted_fd;
  if (fd == -1) return UV_EAGAIN;
  if (client->io.fd != -1) return UV_EBUSY;

  switch (client->type) {
    case UV_TCP:
    case UV_NAMED_PIPE:
      /* A listener's connections come from accept4(SOCK_NONBLOCK); a
       * descriptor received over IPC is as the sender left it. */
      if (server->flags & UV__STREAM_LISTENING)
        err = uv__stream_adopt(client, fd,
                               UV__STREAM_READABLE | UV__STREAM_WRITABLE);
      else
        err = uv__stream_open(client, fd,
                              UV__STREAM_READABLE | UV__STREAM_WRITABLE);
      break;
    case UV_UDP:
      err = uv_udp_open((uv_udp_t*)client, fd);
      break;
    default:
      return UV_EINVAL;
  }
  if (err != 0) {
    uv__close(fd);
  }

  q = server->queued_fds;
  if (q != NULL && q->count > 0) {
    server->accepted_fd = q->fds[0];
    memmove(q->fds, q->fds + 1, --q->count * sizeof(int));
  } else {
    server->accepted_fd = -1;
    if (server->flags & UV__STREAM_LISTENING)
      uv__io_start(server->loop, &server->io, UV__POLLIN);
  }
  return err;
}

/* ---- connecting ---------------------------------------------------------------- */

/* Starts connect bookkeeping once the socket's connect() was issued:
 * completion (or the delayed error) arrives through POLLOUT or the
 * pending phase. */
int uv__stream_connect_started(uv_stream_t* s, uv_connect_t* req,
                               uv_connect_cb cb, int error) {
  int err;

  req->type = UV_CONNECT;
  req->handle = s;
  req->cb = cb;
  s->connect_req = req;
  uv__req_register(s->loop);
  if (error != 0) {
    s->delayed_error = error;
    uv__pending_add(s->loop, &s->pending);
    return 0;
  }
  err = uv__io_start(s->loop, &s->io, UV__POLLOUT);
  if (err != 0) {
    s->connect_req = NULL;
    uv__req_unregister(s->loop);
    return err;
  }
  return 0;
}

static void connect_done(uv_stream_t* s, int error) {
  uv_connect_t* req = s->connect_req;

  s->connect_req = NULL;
  uv__req_unregister(s->loop);
  if (error == 0) s->flags |= UV__STREAM_READABLE | UV__STREAM_WRITABLE;
  if (uv__link_empty(&s->write_queue))
    uv__io_stop(s->loop, &s->io, UV__POLLOUT);
  else if (error != 0)
    /* Writes queued behind a failed connect were never tried: canceled,
     * their callbacks after the connect callback (as in libuv). */
    while (!uv__link_empty(&s->write_queue))
      write_finished(s, container_of(s->write_queue.next, uv_write_t, queue),
                     UV_ECANCELED);
  else
    write_queued(s);
  if (error == 0 && s->shutdown_req != NULL) try_shutdown(s);
  if (req->cb != NULL) req->cb(req, error);
}

static void connect_ready(uv_stream_t* s) {
  socklen_t len = sizeof(int);
  int error = 0;

  if (s->delayed_error != 0) {
    error = s->delayed_error;
    s->delayed_error = 0;
  } else if (getsockopt(s->io.fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) {
    error = errno;
  }
  if (error == EINPROGRESS) return; /* spurious wake-up */
  connect_done(s, error > 0 ? -error : error);
}

/* Calls back the writes finished so far.  Only those: a callback that
 * writes again, and whose write completes at once, is called back in a
 * later round, as in libuv; otherwise such a chain would never let the
 * loop move on. */
static void write_callbacks(uv_stream_t* s) {
  struct uv__link done;
  struct uv__link* l;
  uv_write_t* req;

  uv__link_move(&s->write_done, &done);
  while (!uv__link_empty(&done)) {
    l = done.next;
    uv__link_remove(l);
    req = container_of(l, uv_write_t, queue);
    if (req->bufs != req->bufsml) uv__free(req->bufs);
    req->bufs = NULL;
    uv__req_unregister(s->loop);
    if (req->cb != NULL) req->cb(req, req->error);
  }
}

/* ---- the loop's entry points ----------------------------------------------------- */

void uv__stream_io(uv_loop_t* loop, uv__io_t* w, unsigned int events) {
  uv_stream_t* s = stream_of(w);
  uv_buf_t buf;
  int partial;

  (void)loop;
  if (s->connect_req != NULL) {
    connect_ready(s);
    return;
  }
  if (s->flags & UV__STREAM_LISTENING) {
    accept_some(s);
    return;
  }
  /* Errors and hang-ups are read out by read(), which reports them. */
  partial = 0;
  if (events & (UV__POLLIN | UV__POLLERR | UV__POLLHUP)) partial = read_some(s);
  if (s->io.fd < 0) return; /* closed by a callback */
  /* A hang-up seen with the data that drained the socket: nothing can come
   * after it, so the end of file is reported now rather than at the next
   * poll, as libuv does.  (uvloop counts on it: a child's stdout ends
   * before the SIGCHLD of its exit, read in the same poll, is handled.)
   * Not on a terminal: a pseudo-terminal whose other side closed polls as
   * hung up while it still holds data, and a short read there does not
   * mean it is drained (libuv's tty_pty_partial test). */
  if (partial && (events & UV__POLLHUP) && (s->flags & UV__STREAM_READING) &&
      s->type != UV_TTY) {
    buf = uv_buf_init(NULL, 0);
    read_eof(s, &buf);
    if (s->io.fd < 0) return;
  }
  /* The writes that the descriptor's readiness let out are called back
   * here, before the callbacks of descriptors later in the same poll, as
   * libuv does (its write callbacks run inside the I/O callback that
   * finished them); writes finished inside a call (uv_write) wait for the
   * pending phase. */
  if (events & (UV__POLLOUT | UV__POLLERR | UV__POLLHUP) &&
      !uv__link_empty(&s->write_queue)) {
    write_queued(s);
    write_callbacks(s);
  }
}

/* The pending phase: a connect that failed at once, finished writes, a
 * shutdown that is due. */
void uv__stream_pending(uv_stream_t* s) {
  uv_shutdown_t* sreq;
  int err;

  if (s->connect_req != NULL && s->delayed_error != 0) {
    connect_ready(s);
  }
  write_callbacks(s);
  if ((s->flags & UV__STREAM_SHUTDOWN_DUE) && s->shutdown_req != NULL) {
    sreq = s->shutdown_req;
    s->shutdown_req = NULL;
    s->flags &= ~UV__STREAM_SHUTDOWN_DUE;
    err = s->shutdown_error;
    s->shutdown_error = 0;
    if (err == 0 && uv__is_closing((uv_handle_t*)s))
      err = UV_ECANCELED; /* closed before its turn: not done */
    if (err == 0) {
      if (shutdown(s->io.fd, SHUT_WR) != 0)
        err = -errno;
      else
        s->flags |= UV__STREAM_SHUT;
    }
    uv__req_unregister(s->loop);
    if (sreq->cb != NULL) sreq->cb(sreq, err);
  }
}

/* ---- closing ------------------------------------------------------------------- */

void uv__stream_close(uv_stream_t* s) {
  struct queued_fds* q = s->queued_fds;
  unsigned int i;

  uv_read_stop(s);
  /* A closing stream is neither readable nor writable any more (libuv's
   * uv_is_readable and uv_is_writable answer 0 from uv_close on). */
  s->flags &= ~(UV__STREAM_LISTENING | UV__STREAM_READABLE |
                UV__STREAM_WRITABLE);
  uv__handle_stop((uv_handle_t*)s);
  if (s->io.fd >= 0) {
    uv__io_close(s->loop, &s->io);
    /* Standard descriptors stay open: the process still owns them. */
    if (s->io.fd > STDERR_FILENO) uv__close(s->io.fd);
    uv__stream_set_fd(s, -1);
  }
  if (s->accepted_fd != -1) {
    uv__close(s->accepted_fd);
    s->accepted_fd = -1;
  }
  if (q != NULL) {
    for (i = 0; i < q->count; i++) uv__close(q->fds[i]);
    uv__free(q);
    s->queued_fds = NULL;
  }
}

/* At the close callback: every request still open ends with
 * UV_ECANCELED, as in libuv, before the handle's own close callback. */
void uv__stream_destroy(uv_stream_t* s) {
  uv_connect_t* creq = s->connect_req;

  if (creq != NULL) {
    s->connect_req = NULL;
    uv__req_unregister(s->loop);
    if (creq->cb != NULL) creq->cb(creq, UV_ECANCELED);
  }
  while (!uv__link_empty(&s->write_queue))
    write_finished(s, container_of(s->write_queue.next, uv_write_t, queue),
                   UV_ECANCELED);
  if (s->shutdown_req != NULL) {
    /* Closed before its turn came: not done, canceled (as in libuv). */
    s->shutdown_error = UV_ECANCELED;
    s->flags |= UV__STREAM_SHUTDOWN_DUE;
  }
  s->delayed_error = 0;
  uv__stream_pending(s);
  /* Every callback has run: the handle leaves the pending queue only now,
   * because cancelling a queued write (write_finished) queues it again,
   * and its memory is the program's once the close callback returns. */
  uv__link_remove(&s->pending.link);
  s->write_queue_size = 0;
}

/* ---- the rest of the stream API ------------------------------------------------- */

UV__EXPORT int uv_is_readable(const uv_stream_t* handle) {
  return handle != NULL && (handle->flags & UV__STREAM_READABLE) != 0;
}

UV__EXPORT int uv_is_writable(const uv_stream_t* handle) {
  return handle != NULL && (handle->flags & UV__STREAM_WRITABLE) != 0;
}

UV__EXPORT size_t uv_stream_get_write_queue_size(const uv_stream_t* stream) {
  return stream != NULL ? stream->write_queue_size : 0;
}

UV__EXPORT int uv_stream_set_blocking(uv_stream_t* handle, int blocking) {
  if (handle == NULL || !is_stream_type(handle->type)) return UV_EINVAL;
  if (handle->io.fd < 0) return UV_EBADF;
  return uv__nonblock(handle->io.fd, !blocking);
}
