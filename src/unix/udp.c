/* eddy — UDP handles: sockets, bind and connect, sending, receiving and the
 * socket options (TTL, broadcast, multicast).
 *
 * The socket is made lazily, as libuv does: by uv_udp_init_ex with a
 * family, or bound to the family's any-address by the first call that
 * needs one (send, recv_start, connect, a multicast membership).
 *
 * Sending: a send is tried at once when no other is queued before it;
 * what the kernel refuses for now waits on write_queue for POLLOUT and
 * goes out in batches (sendmmsg).  A finished send moves to write_done and
 * its callback runs in the pending phase, never inside uv_udp_send;
 * send_queue_size and send_queue_count count a request until just before
 * its callback runs.  Closing the handle cancels what is still queued:
 * those callbacks get UV_ECANCELED, before the close callback.
 *
 * Receiving: each wake-up reads a bounded number of datagrams, IPv4 and
 * IPv6 handles with one recvmmsg (see "reading ahead"), one datagram at a
 * time for libuv's callbacks.  With UV_UDP_RECVMMSG and a buffer of at
 * least one 64 KiB slot, one recvmmsg fills the slots and each datagram
 * is handed over as a UV_UDP_MMSG_CHUNK of the user's buffer, then the
 * whole buffer once more with UV_UDP_MMSG_FREE (libuv's documented
 * contract).  A socket bound with
 * UV_UDP_LINUX_RECVERR hands each ICMP error of its error queue to
 * recv_cb, flagged UV_UDP_LINUX_RECVERR, as libuv does. */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

/* What alloc_cb is told: the largest datagram (libuv's figure). */
#define DGRAM_MAX 65536
/* Datagrams read per wake-up, so one busy peer cannot starve the loop. */
#define READS_PER_WAKEUP 32
/* Slots one recvmmsg fills at most, and datagrams one sendmmsg takes. */
#define MMSG_SLOTS 32
#define SEND_BATCH 32

/* handle->flags bits of a UDP handle (from 1 << 16 on, see internal.h). */
enum {
  UDP_CONNECTED = 1u << 16,
  UDP_RECVMMSG = 1u << 17,  /* uv_udp_init_ex(UV_UDP_RECVMMSG) */
  UDP_READING = 1u << 18,
  UDP_IPV6 = 1u << 19,      /* the socket is AF_INET6 */
  UDP_RECVERR = 1u << 20,   /* bound with UV_UDP_LINUX_RECVERR */
  UDP_INET = 1u << 21,      /* an IPv4 or IPv6 socket: reads in batches */
  UDP_SEND_CBS = 1u << 22,  /* uv__udp_pending is running send callbacks */
  UDP_SHARED = 1u << 23,    /* may have another reader: read one at a time */
};

static void recv_some(uv_udp_t* h);

static int is_udp(const uv_udp_t* h) { return h != NULL && h->type == UV_UDP; }

static uv_udp_t* udp_of(uv__io_t* w) {
  return (uv_udp_t*)container_of(w, uv_handle_t, io);
}

static size_t bufs_size(const uv_buf_t* bufs, unsigned int nbufs) {
  size_t n = 0;
  unsigned int i;
  for (i = 0; i < nbufs; i++) n += bufs[i].len;
  return n;
}

/* The length of a destination address, or 0 for a family UDP cannot
 * send to. */
static socklen_t addr_len(const struct sockaddr* addr) {
  switch (addr->sa_family) {
    case AF_INET:
      return sizeof(struct sockaddr_in);
    case AF_INET6:
      return sizeof(struct sockaddr_in6);
    case AF_UNIX:
      return sizeof(struct sockaddr_un);
    default:
      return 0;
  }
}

/* Active while it reads or has sends whose callbacks have not run. */
static void maybe_stop(uv_udp_t* h) {
  if (!(h->flags & UDP_READING) && uv__link_empty(&h->write_queue) &&
      uv__link_empty(&h->write_done))
    uv__handle_stop((uv_handle_t*)h);
}

/* ---- sockets ---------------------------------------------------------------- */

static int new_socket(int family) {
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  return fd < 0 ? -errno : fd;
}

/* libuv keeps a UDP handle's descriptor in io_watcher.fd at offset 176,
 * and programs built against it read it there (include/uv/unix.h). */
_Static_assert(offsetof(uv_udp_t, io_watcher.fd) == 176,
               "uv_udp_t: libuv's io_watcher.fd is at offset 176");

static int set_int_option(int fd, int level, int name, int value) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) != 0) return -errno;
  return 0;
}

static void adopt_socket(uv_udp_t* h, int fd, int family) {
  uv__udp_set_fd(h, fd);
  h->flags &= ~(UDP_IPV6 | UDP_INET);
  if (family == AF_INET6) h->flags |= UDP_IPV6;
  if (family == AF_INET || family == AF_INET6) h->flags |= UDP_INET;
}

/* Binds (making the socket first when there is none).  A socket made here
 * and not bound is closed again, so a failed bind leaves the handle as it
 * was. */
static int do_bind(uv_udp_t* h, const struct sockaddr* addr, socklen_t len,
                   unsigned int flags) {
  int made = 0;
  int fd = h->io.fd;
  int err = 0;

  if (fd == -1) {
    fd = new_socket(addr->sa_family);
    if (fd < 0) return fd;
    made = 1;
  }
  if (flags & UV_UDP_REUSEADDR)
    err = set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1);
  if (err == 0 && (flags & UV_UDP_REUSEPORT))
    err = set_int_option(fd, SOL_SOCKET, SO_REUSEPORT, 1);
  if (err == 0 && (flags & UV_UDP_IPV6ONLY))
    err = set_int_option(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
  if (err == 0 && (flags & UV_UDP_LINUX_RECVERR)) {
    if (addr->sa_family == AF_INET6)
      err = set_int_option(fd, IPPROTO_IPV6, IPV6_RECVERR, 1);
    else
      err = set_int_option(fd, IPPROTO_IP, IP_RECVERR, 1);
  }
  if (err == 0 && bind(fd, addr, len) != 0) {
    /* A socket of the other family: libuv's answer is UV_EINVAL. */
    err = errno == EAFNOSUPPORT ? UV_EINVAL : -errno;
  }
  if (err != 0) {
    if (made) uv__close(fd);
    return err;
  }
  if (made) adopt_socket(h, fd, addr->sa_family);
  if (flags & UV_UDP_LINUX_RECVERR) h->flags |= UDP_RECVERR;
  return 0;
}

/* The implicit bind of libuv: to the family's any-address and port 0,
 * when the handle has no socket yet. */
static int ensure_socket(uv_udp_t* h, int family, unsigned int flags) {
  struct sockaddr_in6 any6;
  struct sockaddr_in any4;

  if (h->io.fd != -1) return 0;
  if (family == AF_INET6) {
    memset(&any6, 0, sizeof(any6));
    any6.sin6_family = AF_INET6;
    any6.sin6_addr = in6addr_any;
    return do_bind(h, (const struct sockaddr*)&any6, sizeof(any6), flags);
  }
  if (family != AF_INET) return UV_EINVAL; /* nothing to bind implicitly */
  memset(&any4, 0, sizeof(any4));
  any4.sin_family = AF_INET;
  any4.sin_addr.s_addr = htonl(INADDR_ANY);
  return do_bind(h, (const struct sockaddr*)&any4, sizeof(any4), flags);
}

UV__EXPORT int uv_udp_init_ex(uv_loop_t* loop, uv_udp_t* handle,
                              unsigned int flags) {
  int family = (int)(flags & 0xFF);
  int fd = -1;

  if (loop == NULL || handle == NULL || loop->backend_fd < 0)
    return UV_EINVAL;
  if ((flags & ~0xFFu) & ~(unsigned int)UV_UDP_RECVMMSG) return UV_EINVAL;
  if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
    return UV_EINVAL;
  if (family != AF_UNSPEC) {
    fd = new_socket(family);
    if (fd < 0) return fd;
  }

  uv__handle_init(loop, (uv_handle_t*)handle, UV_UDP);
  handle->send_queue_size = 0;
  handle->send_queue_count = 0;
  handle->alloc_cb = NULL;
  handle->recv_cb = NULL;
  uv__link_init(&handle->write_queue);
  uv__link_init(&handle->write_done);
  uv__link_init(&handle->pending.link);
  handle->pending.kind = UV__IO_UDP;
  handle->recv_stash = NULL;
  memset(handle->udp_reserved, 0, sizeof(handle->udp_reserved));
  memset(handle->udp_spare, 0, sizeof(handle->udp_spare));
  handle->io_watcher.spare = 0;
  uv__io_init(&handle->io, UV__IO_UDP, -1);
  uv__udp_set_fd(handle, -1);
  if (flags & UV_UDP_RECVMMSG) handle->flags |= UDP_RECVMMSG;
  if (fd != -1) adopt_socket(handle, fd, family);
  return 0;
}

UV__EXPORT int uv_udp_init(uv_loop_t* loop, uv_udp_t* handle) {
  return uv_udp_init_ex(loop, handle, AF_UNSPEC);
}

UV__EXPORT int uv_udp_using_recvmmsg(const uv_udp_t* handle) {
  return is_udp(handle) && (handle->flags & UDP_RECVMMSG) != 0;
}

UV__EXPORT int uv_udp_open_ex(uv_udp_t* handle, uv_os_sock_t sock,
                              unsigned int flags) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  uv_loop_t* loop;
  int err;

  if (!is_udp(handle) || uv__is_closing((uv_handle_t*)handle) ||
      (flags & ~(unsigned int)(UV_UDP_REUSEADDR | UV_UDP_REUSEPORT)))
    return UV_EINVAL;
  if (handle->io.fd != -1) return UV_EBUSY;
  if (sock < 0) return UV_EBADF;
  loop = handle->loop;
  if ((unsigned int)sock < loop->nwatchers && loop->watchers[sock] != NULL)
    return UV_EEXIST; /* another handle of this loop watches it */

  err = uv__nonblock(sock, 1);
  if (err == 0 && (flags & UV_UDP_REUSEADDR))
    err = set_int_option(sock, SOL_SOCKET, SO_REUSEADDR, 1);
  if (err == 0 && (flags & UV_UDP_REUSEPORT))
    err = set_int_option(sock, SOL_SOCKET, SO_REUSEPORT, 1);
  if (err != 0) return err;

  memset(&ss, 0, sizeof(ss));
  if (getsockname(sock, (struct sockaddr*)&ss, &len) != 0) ss.ss_family = 0;
  adopt_socket(handle, sock, ss.ss_family);
  /* A socket from outside may be read by others too (a descriptor
   * received from another process, as node's cluster workers share one
   * socket): what eddy read ahead and then dropped with a uv_close, or
   * held after a recv_stop, would be lost to them. */
  handle->flags |= UDP_SHARED;
  len = sizeof(ss);
  if (getpeername(sock, (struct sockaddr*)&ss, &len) == 0)
    handle->flags |= UDP_CONNECTED;
  return 0;
}

/* libuv sets SO_REUSEADDR on every socket uv_udp_open adopts. */
UV__EXPORT int uv_udp_open(uv_udp_t* handle, uv_os_sock_t sock) {
  return uv_udp_open_ex(handle, sock, UV_UDP_REUSEADDR);
}

UV__EXPORT int uv_udp_bind(uv_udp_t* handle, const struct sockaddr* addr,
                           unsigned int flags) {
  const unsigned int known = UV_UDP_IPV6ONLY | UV_UDP_REUSEADDR |
                             UV_UDP_REUSEPORT | UV_UDP_LINUX_RECVERR;
  socklen_t len;

  if (!is_udp(handle) || addr == NULL || (flags & ~known) ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  if (addr->sa_family == AF_INET)
    len = sizeof(struct sockaddr_in);
  else if (addr->sa_family == AF_INET6)
    len = sizeof(struct sockaddr_in6);
  else
    return UV_EINVAL;
  if ((flags & UV_UDP_IPV6ONLY) && addr->sa_family != AF_INET6)
    return UV_EINVAL;
  return do_bind(handle, addr, len, flags);
}

UV__EXPORT int uv_udp_connect(uv_udp_t* handle, const struct sockaddr* addr) {
  struct sockaddr unspec;
  socklen_t len;
  int err;
  int r;

  if (!is_udp(handle) || uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;

  if (addr == NULL) {
    if (!(handle->flags & UDP_CONNECTED)) return UV_ENOTCONN;
    /* Connecting to AF_UNSPEC dissolves the association. */
    memset(&unspec, 0, sizeof(unspec));
    unspec.sa_family = AF_UNSPEC;
    do
      r = connect(handle->io.fd, &unspec, sizeof(unspec));
    while (r != 0 && errno == EINTR);
    if (r != 0 && errno != EAFNOSUPPORT) return -errno;
    handle->flags &= ~UDP_CONNECTED;
    return 0;
  }

  if (addr->sa_family == AF_INET)
    len = sizeof(struct sockaddr_in);
  else if (addr->sa_family == AF_INET6)
    len = sizeof(struct sockaddr_in6);
  else
    return UV_EINVAL;
  if (handle->flags & UDP_CONNECTED) return UV_EISCONN;

  err = ensure_socket(handle, addr->sa_family, 0);
  if (err != 0) return err;
  do
    r = connect(handle->io.fd, addr, len);
  while (r != 0 && errno == EINTR);
  if (r != 0) return -errno;
  handle->flags |= UDP_CONNECTED;
  return 0;
}

static int name_of(const uv_udp_t* h, struct sockaddr* name, int* namelen,
                   int peer) {
  socklen_t len;

  if (!is_udp(h) || name == NULL || namelen == NULL || *namelen < 0)
    return UV_EINVAL;
  if (h->io.fd < 0) return UV_EBADF;
  len = (socklen_t)*namelen;
  if ((peer ? getpeername : getsockname)(h->io.fd, name, &len) != 0)
    return -errno;
  *namelen = (int)len;
  return 0;
}

UV__EXPORT int uv_udp_getsockname(const uv_udp_t* handle,
                                  struct sockaddr* name, int* namelen) {
  return name_of(handle, name, namelen, 0);
}

UV__EXPORT int uv_udp_getpeername(const uv_udp_t* handle,
                                  struct sockaddr* name, int* namelen) {
  return name_of(handle, name, namelen, 1);
}

/* ---- sending ------------------------------------------------------------------ */

/* libuv's checks, in libuv's order: a connected handle takes no address,
 * an unconnected one needs one.  *len gets the address length (0: none). */
static int check_destination(const uv_udp_t* h, const struct sockaddr* addr,
                             socklen_t* len) {
  if (addr != NULL && (h->flags & UDP_CONNECTED)) return UV_EISCONN;
  if (addr == NULL && !(h->flags & UDP_CONNECTED)) return UV_EDESTADDRREQ;
  *len = 0;
  if (addr != NULL) {
    *len = addr_len(addr);
    if (*len == 0) return UV_EINVAL;
  }
  return 0;
}

static void fill_msghdr(struct msghdr* m, const struct sockaddr* addr,
                        socklen_t len, const uv_buf_t* bufs,
                        unsigned int nbufs) {
  memset(m, 0, sizeof(*m));
  m->msg_name = (void*)addr;
  m->msg_namelen = addr != NULL ? len : 0;
  /* uv_buf_t has struct iovec's layout on Unix (uv/unix.h). */
  m->msg_iov = (struct iovec*)bufs;
  m->msg_iovlen = nbufs;
}

static int is_eagain(int e) {
  return e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS;
}

static void send_finished(uv_udp_t* h, uv_udp_send_t* req, int status) {
  req->status = status;
  uv__link_remove(&req->queue);
  uv__link_insert_tail(&h->write_done, &req->queue);
  uv__pending_add(h->loop, &h->pending);
}

static socklen_t req_addr_len(const uv_udp_send_t* req) {
  if (req->addr.ss_family == AF_UNSPEC) return 0;
  return addr_len((const struct sockaddr*)&req->addr);
}

/* Sends queued requests, a batch per system call, until the queue is
 * empty or the kernel pushes back (then POLLOUT brings us back). */
static void send_queued(uv_udp_t* h) {
  struct mmsghdr msgs[SEND_BATCH];
  uv_udp_send_t* reqs[SEND_BATCH];
  struct uv__link* l;
  uv_udp_send_t* req;
  unsigned int n;
  unsigned int i;
  socklen_t len;
  int r;

  while (!uv__link_empty(&h->write_queue) && h->io.fd >= 0) {
    n = 0;
    for (l = h->write_queue.next; l != &h->write_queue && n < SEND_BATCH;
         l = l->next) {
      req = container_of(l, uv_udp_send_t, queue);
      len = req_addr_len(req);
      fill_msghdr(&msgs[n].msg_hdr,
                  len != 0 ? (const struct sockaddr*)&req->addr : NULL, len,
                  req->bufs, req->nbufs);
      msgs[n].msg_len = 0;
      reqs[n++] = req;
    }
    do
      r = sendmmsg(h->io.fd, msgs, n, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r <= 0) {
      if (r == 0 || is_eagain(errno)) break;
      /* This datagram cannot go: it fails alone, the rest go on. */
      send_finished(h, reqs[0], -errno);
      continue;
    }
    for (i = 0; i < (unsigned int)r; i++) send_finished(h, reqs[i], 0);
  }

  if (h->io.fd < 0) return;
  if (uv__link_empty(&h->write_queue)) {
    uv__io_stop(h->loop, &h->io, UV__POLLOUT);
    return;
  }
  r = uv__io_start(h->loop, &h->io, UV__POLLOUT);
  if (r != 0) /* no way to learn when to go on: fail what is left */
    while (!uv__link_empty(&h->write_queue))
      send_finished(h, container_of(h->write_queue.next, uv_udp_send_t, queue),
                    r);
}

UV__EXPORT int uv_udp_send(uv_udp_send_t* req, uv_udp_t* handle,
                           const uv_buf_t bufs[], unsigned int nbufs,
                           const struct sockaddr* addr,
                           uv_udp_send_cb send_cb) {
  socklen_t len;
  int was_idle;
  int err;

  if (req == NULL || !is_udp(handle) || bufs == NULL || nbufs == 0 ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  err = check_destination(handle, addr, &len);
  if (err != 0) return err;
  if (addr != NULL) {
    err = ensure_socket(handle, addr->sa_family, 0);
    if (err != 0) return err;
  }
  if (handle->io.fd < 0) return UV_EBADF;

  req->type = UV_UDP_SEND;
  req->handle = handle;
  req->cb = send_cb;
  req->status = 0;
  memset(&req->addr, 0, sizeof(req->addr));
  if (addr != NULL) memcpy(&req->addr, addr, len);
  req->nbufs = nbufs;
  req->bufs = req->bufsml;
  if (nbufs > UV__ARRAY_LEN(req->bufsml)) {
    req->bufs = uv__malloc(nbufs * sizeof(*bufs));
    if (req->bufs == NULL) return UV_ENOMEM;
  }
  memcpy(req->bufs, bufs, nbufs * sizeof(*bufs));

  /* Nothing in flight: send now.  Otherwise the datagram joins the queue,
   * which goes out in one sendmmsg: at the start of the pending phase that
   * runs the callbacks due, or, for a send made inside one of those
   * callbacks, in the poll phase once the socket is writable
   * (uv__udp_pending).  libuv queues the same way; a sender driven by
   * callbacks (every echo server) thus makes one system call per batch,
   * not per datagram. */
  was_idle = handle->send_queue_count == 0;
  uv__link_insert_tail(&handle->write_queue, &req->queue);
  handle->send_queue_size += bufs_size(bufs, nbufs);
  handle->send_queue_count++;
  uv__req_register(handle->loop);
  uv__handle_start((uv_handle_t*)handle);

  /* A send from a send callback waits for the poll phase, as on libuv
   * (uv__udp_pending watches for POLLOUT once the callbacks are done). */
  if (was_idle && !(handle->flags & UDP_SEND_CBS)) send_queued(handle);
  return 0;
}

UV__EXPORT int uv_udp_try_send(uv_udp_t* handle, const uv_buf_t bufs[],
                               unsigned int nbufs,
                               const struct sockaddr* addr) {
  struct msghdr m;
  socklen_t len;
  ssize_t r;
  int err;

  if (!is_udp(handle) || bufs == NULL || nbufs == 0 ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  err = check_destination(handle, addr, &len);
  if (err != 0) return err;
  /* Never overtake sends that are queued (libuv counts those whose
   * callback has not run yet). */
  if (handle->send_queue_count != 0) return UV_EAGAIN;
  if (addr != NULL) {
    err = ensure_socket(handle, addr->sa_family, 0);
    if (err != 0) return err;
  }
  if (handle->io.fd < 0) return UV_EBADF;

  fill_msghdr(&m, addr, len, bufs, nbufs);
  do
    r = sendmsg(handle->io.fd, &m, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  if (r < 0) return is_eagain(errno) ? UV_EAGAIN : -errno;
  return (int)(r > INT_MAX ? INT_MAX : r);
}

UV__EXPORT int uv_udp_try_send2(uv_udp_t* handle, unsigned int count,
                                uv_buf_t* bufs[], unsigned int nbufs[],
                                struct sockaddr* addrs[], unsigned int flags) {
  struct mmsghdr msgs[SEND_BATCH];
  const struct sockaddr* addr;
  unsigned int sent = 0;
  unsigned int n;
  socklen_t len;
  int err = 0;
  int r;

  if (!is_udp(handle) || uv__is_closing((uv_handle_t*)handle) || flags != 0)
    return UV_EINVAL;
  if (count == 0) return 0;
  if (bufs == NULL || nbufs == NULL) return UV_EINVAL;
  if (handle->send_queue_count != 0) return UV_EAGAIN;

  while (sent < count) {
    /* The next batch: datagrams up to the first one that is invalid. */
    for (n = 0; n < SEND_BATCH && sent + n < count; n++) {
      addr = addrs != NULL ? addrs[sent + n] : NULL;
      if (bufs[sent + n] == NULL && nbufs[sent + n] > 0) err = UV_EINVAL;
      if (err == 0) err = check_destination(handle, addr, &len);
      if (err == 0 && addr != NULL)
        err = ensure_socket(handle, addr->sa_family, 0);
      if (err == 0 && handle->io.fd < 0) err = UV_EBADF;
      if (err != 0) break;
      fill_msghdr(&msgs[n].msg_hdr, addr, len, bufs[sent + n],
                  nbufs[sent + n]);
      msgs[n].msg_len = 0;
    }
    if (n == 0) break;
    do
      r = sendmmsg(handle->io.fd, msgs, n, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
      err = is_eagain(errno) ? UV_EAGAIN : -errno;
      break;
    }
    sent += (unsigned int)r;
    if ((unsigned int)r < n || err != 0) break;
  }
  /* An error counts only when nothing went (libuv's contract). */
  if (sent > 0) return (int)(sent > INT_MAX ? INT_MAX : sent);
  return err != 0 ? err : UV_EAGAIN;
}

/* The pending phase: callbacks of the sends finished so far.  Only those
 * finished before this round: a callback that sends again (and finishes
 * at once) waits for the next round instead of looping here.  Then the
 * sends queued meanwhile go out. */
void uv__udp_pending(uv_udp_t* h) {
  struct uv__link done;
  struct uv__link* l;
  uv_udp_send_t* req;

  /* As in libuv, whose pending phase writes before it calls back: what
   * was queued behind sends whose callbacks were due goes out first, and
   * its callbacks run with theirs.  (On a socket with IP_RECVERR, that
   * write is what takes the error an earlier datagram's ICMP left: libuv's
   * udp_send_unreachable test counts on it.)  Sends made in the callbacks
   * below wait for the poll phase. */
  if (!uv__is_closing((uv_handle_t*)h) && !uv__link_empty(&h->write_queue))
    send_queued(h);
  uv__link_move(&h->write_done, &done);
  h->flags |= UDP_SEND_CBS;
  while (!uv__link_empty(&done)) {
    l = done.next;
    uv__link_remove(l);
    req = container_of(l, uv_udp_send_t, queue);
    h->send_queue_size -= bufs_size(req->bufs, req->nbufs);
    h->send_queue_count--;
    if (req->bufs != req->bufsml) uv__free(req->bufs);
    req->bufs = NULL;
    uv__req_unregister(h->loop);
    if (req->cb != NULL) req->cb(req, req->status);
  }
  h->flags &= ~UDP_SEND_CBS;
  if (uv__is_closing((uv_handle_t*)h)) return;
  /* Datagrams read ahead (after recv_start, or a refused buffer), then
   * what the kernel has, as the read libuv would make now. */
  if (h->recv_stash != NULL) {
    recv_some(h);
    if (uv__is_closing((uv_handle_t*)h)) return;
  }
  /* The sends queued behind these callbacks go out in the poll phase,
   * in one go, when the socket says it is writable: libuv sends them
   * there, not here, so a peer's reads and its "nothing more" come in
   * libuv's order (luv's test-udp "udp connect" sees one). */
  if (!uv__link_empty(&h->write_queue) &&
      uv__io_start(h->loop, &h->io, UV__POLLOUT) != 0)
    send_queued(h); /* no way to wait: send now, failing what cannot go */
  maybe_stop(h);
}

/* ---- receiving ------------------------------------------------------------------ */

/* One recvmmsg into the slots of buf.  Returns the datagrams read, or 0
 * when it stopped (nothing more, an error, or the user stopped). */
static int recv_mmsg(uv_udp_t* h, uv_buf_t* buf) {
  struct mmsghdr msgs[MMSG_SLOTS];
  struct iovec iov[MMSG_SLOTS];
  struct sockaddr_storage peers[MMSG_SLOTS];
  unsigned int slots = (unsigned int)(buf->len / DGRAM_MAX);
  unsigned int flags;
  unsigned int k;
  uv_buf_t chunk;
  int r;

  if (slots > MMSG_SLOTS) slots = MMSG_SLOTS;
  for (k = 0; k < slots; k++) {
    iov[k].iov_base = buf->base + (size_t)k * DGRAM_MAX;
    iov[k].iov_len = DGRAM_MAX;
    memset(&msgs[k], 0, sizeof(msgs[k]));
    msgs[k].msg_hdr.msg_iov = &iov[k];
    msgs[k].msg_hdr.msg_iovlen = 1;
    msgs[k].msg_hdr.msg_name = &peers[k];
    msgs[k].msg_hdr.msg_namelen = sizeof(peers[k]);
  }
  do
    r = recvmmsg(h->io.fd, msgs, slots, 0, NULL);
  while (r < 0 && errno == EINTR);
  if (r <= 0) {
    if (r == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
      h->recv_cb(h, 0, buf, NULL, 0);
    else
      h->recv_cb(h, -errno, buf, NULL, 0);
    return 0;
  }
  for (k = 0; k < (unsigned int)r && (h->flags & UDP_READING); k++) {
    flags = UV_UDP_MMSG_CHUNK;
    if (msgs[k].msg_hdr.msg_flags & MSG_TRUNC) flags |= UV_UDP_PARTIAL;
    chunk = uv_buf_init(iov[k].iov_base, (unsigned int)iov[k].iov_len);
    h->recv_cb(h, (ssize_t)msgs[k].msg_len, &chunk,
               (const struct sockaddr*)&peers[k], flags);
  }
  /* The buffer is the user's again. */
  if (h->flags & UDP_READING) h->recv_cb(h, 0, buf, NULL, UV_UDP_MMSG_FREE);
  return r;
}

/* ---- reading ahead ---------------------------------------------------------------- */

/* libuv reads a handle opened without UV_UDP_RECVMMSG one datagram per
 * recvmsg, each into the buffer alloc_cb has just given.  eddy asks
 * alloc_cb for the first buffer, then reads with one recvmmsg: the first
 * datagram straight into that buffer, the ones behind it into the loop's
 * scratch slots; each of those goes to alloc_cb and recv_cb in turn, copied
 * into the buffer given for it.  The callbacks see libuv's sequence, one
 * system call reads a whole wake-up's worth.  Datagrams read but not yet
 * handed over when the batch ends early (recv_stop or uv_close in
 * recv_cb, a buffer refused) move to the handle's stash and come first
 * when reading goes on; a closing handle drops them. */

/* A slot holds any IP datagram whole: at most 65507 bytes of UDP payload
 * over IPv4 and 65527 over IPv6 (no jumbograms), a raw IPv4 packet 65535.
 * Other families (AF_UNIX datagrams can be larger) are read one by one. */
#define SLOT_SIZE 65536
/* The user's buffer plus these make one wake-up's reads. */
#define SCRATCH_SLOTS (READS_PER_WAKEUP - 1)

union peer {
  struct sockaddr sa;
  struct sockaddr_in in4;
  struct sockaddr_in6 in6;
};

/* A datagram read ahead of its alloc_cb. */
struct dgram {
  char* data;
  size_t len;
  unsigned int flags; /* UV_UDP_PARTIAL if the read already cut it */
  union peer peer;
};

/* What a handle holds for later: d[next] to d[count - 1]. */
struct stash {
  unsigned int next;
  unsigned int count;
  struct dgram* d;
  void* mapping; /* the scratch itself (no memory was left for a copy) */
};

/* The loop's scratch, mapped on the first batch read with MAP_NORESERVE:
 * only the pages datagrams land on become resident (one per slot used
 * for small datagrams).  The slots follow this header, page-aligned. */
struct scratch {
  int busy;        /* a batch is using the slots */
  struct stash st; /* when a handle takes the scratch as its stash */
  struct dgram d[SCRATCH_SLOTS];
};

#define SCRATCH_HEAD \
  ((sizeof(struct scratch) + 4095) & ~(size_t)4095)
#define SCRATCH_BYTES (SCRATCH_HEAD + (size_t)SCRATCH_SLOTS * SLOT_SIZE)

static char* slot_of(struct scratch* s, unsigned int k) {
  return (char*)s + SCRATCH_HEAD + (size_t)k * SLOT_SIZE;
}

/* The loop's scratch, mapped now if need be; NULL when it cannot be had
 * (no memory, or a batch already uses it): read one by one then. */
static struct scratch* scratch_get(uv_loop_t* loop) {
  struct scratch* s = loop->udp_scratch;
  void* p;

  if (s == NULL) {
    p = mmap(NULL, SCRATCH_BYTES, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return NULL;
    s = p; /* zero-filled: not busy */
    loop->udp_scratch = s;
  }
  return s->busy ? NULL : s;
}

void uv__udp_shared(uv_udp_t* handle) { handle->flags |= UDP_SHARED; }

void uv__udp_loop_close(uv_loop_t* loop) {
  if (loop->udp_scratch != NULL) munmap(loop->udp_scratch, SCRATCH_BYTES);
  loop->udp_scratch = NULL;
}

static void stash_free(uv_udp_t* h) {
  struct stash* st = h->recv_stash;
  struct scratch* s;

  if (st == NULL) return;
  h->recv_stash = NULL;
  if (st->mapping == NULL) {
    uv__free(st);
    return;
  }
  /* A scratch taken as a stash goes back to the loop if it has none. */
  s = st->mapping;
  s->busy = 0;
  if (h->loop->udp_scratch == NULL)
    h->loop->udp_scratch = s;
  else
    munmap(s, SCRATCH_BYTES);
}

static unsigned int trunc_flag(const struct msghdr* m) {
  return (m->msg_flags & MSG_TRUNC) ? UV_UDP_PARTIAL : 0;
}

/* Keeps datagrams from..to-1 of a batch (msgs[k] was read into slot k-1)
 * on the handle: copied into one allocation, or, without memory for it,
 * the handle takes the whole scratch (the loop maps another when it
 * needs one). */
static void stash_keep(uv_udp_t* h, struct scratch* s,
                       const struct mmsghdr* msgs, const union peer* peers,
                       unsigned int from, unsigned int to) {
  unsigned int n = to - from;
  struct stash* st;
  struct dgram* d;
  size_t bytes = 0;
  char* data = NULL;
  unsigned int k;

  for (k = from; k < to; k++) bytes += msgs[k].msg_len;
  st = uv__malloc(sizeof(*st) + n * sizeof(*d) + bytes);
  if (st != NULL) {
    st->d = (struct dgram*)(void*)(st + 1);
    st->mapping = NULL;
    data = (char*)(st->d + n);
  } else {
    st = &s->st;
    st->d = s->d;
    st->mapping = s;
    h->loop->udp_scratch = NULL;
  }
  st->next = 0;
  st->count = n;
  for (k = from; k < to; k++) {
    d = &st->d[k - from];
    d->len = msgs[k].msg_len;
    d->flags = trunc_flag(&msgs[k].msg_hdr);
    d->peer = peers[k];
    if (data == NULL) {
      d->data = slot_of(s, k - 1);
    } else {
      d->data = data;
      memcpy(data, slot_of(s, k - 1), d->len);
      data += d->len;
    }
  }
  h->recv_stash = st;
}

/* Hands over a datagram eddy read ahead as libuv would have read it: into
 * a buffer from alloc_cb, cut to its size with UV_UDP_PARTIAL.  Returns
 * UV_ENOBUFS (after telling recv_cb) when alloc_cb gave no buffer: the
 * datagram is not consumed, as in libuv where it stays in the kernel. */
static int deliver_held(uv_udp_t* h, const char* data, size_t len,
                        unsigned int flags, const struct sockaddr* peer) {
  uv_buf_t buf = uv_buf_init(NULL, 0);

  h->alloc_cb((uv_handle_t*)h, DGRAM_MAX, &buf);
  if (buf.base == NULL || buf.len == 0) {
    h->recv_cb(h, UV_ENOBUFS, &buf, NULL, 0);
    return UV_ENOBUFS;
  }
  if (len > buf.len) {
    len = buf.len;
    flags |= UV_UDP_PARTIAL;
  }
  memcpy(buf.base, data, len);
  h->recv_cb(h, (ssize_t)len, &buf, peer, flags);
  return 0;
}

static int still_reading(const uv_udp_t* h) {
  return (h->flags & UDP_READING) && h->io.fd >= 0;
}

/* Delivers up to budget held datagrams, oldest first; returns how many.
 * What is left (budget spent, a buffer refused) waits for the pending
 * phase, or for recv_start if reading stopped. */
static int deliver_stash(uv_udp_t* h, int budget) {
  struct stash* st = h->recv_stash;
  struct dgram* d;
  int n = 0;

  while (n < budget && st->next < st->count && still_reading(h)) {
    d = &st->d[st->next];
    n++;
    if (deliver_held(h, d->data, d->len, d->flags, &d->peer.sa) != 0) break;
    st->next++;
  }
  if (st->next == st->count)
    stash_free(h);
  else if (still_reading(h))
    uv__pending_add(h->loop, &h->pending);
  return n;
}

/* One recvmmsg: the first datagram into buf (from alloc_cb), up to max - 1
 * more into the scratch, each then through alloc_cb and recv_cb.  Returns
 * the datagrams read (the socket may hold more: read again), 0 when this
 * wake-up is over. */
static int recv_batch(uv_udp_t* h, struct scratch* s, uv_buf_t* buf,
                      int max) {
  struct mmsghdr msgs[READS_PER_WAKEUP];
  struct iovec iov[READS_PER_WAKEUP];
  union peer peers[READS_PER_WAKEUP];
  unsigned int vlen = max < READS_PER_WAKEUP ? (unsigned int)max
                                             : READS_PER_WAKEUP;
  unsigned int n;
  unsigned int k;
  int r;

  iov[0].iov_base = buf->base;
  iov[0].iov_len = buf->len;
  for (k = 1; k < vlen; k++) {
    iov[k].iov_base = slot_of(s, k - 1);
    iov[k].iov_len = SLOT_SIZE;
  }
  memset(msgs, 0, vlen * sizeof(msgs[0]));
  for (k = 0; k < vlen; k++) {
    msgs[k].msg_hdr.msg_name = &peers[k];
    msgs[k].msg_hdr.msg_namelen = sizeof(peers[k]);
    msgs[k].msg_hdr.msg_iov = &iov[k];
    msgs[k].msg_hdr.msg_iovlen = 1;
  }
  do
    r = recvmmsg(h->io.fd, msgs, vlen, 0, NULL);
  while (r < 0 && errno == EINTR);
  if (r < 0) {
    /* Nothing more (or an error): the buffer goes back either way. */
    r = errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
    h->recv_cb(h, r, buf, NULL, 0);
    return 0;
  }

  n = (unsigned int)r;
  s->busy = 1;
  h->recv_cb(h, (ssize_t)msgs[0].msg_len, buf, &peers[0].sa,
             trunc_flag(&msgs[0].msg_hdr));
  for (k = 1; k < n && still_reading(h); k++)
    if (deliver_held(h, slot_of(s, k - 1), msgs[k].msg_len,
                     trunc_flag(&msgs[k].msg_hdr), &peers[k].sa) != 0)
      break;
  s->busy = 0;
  if (k < n) {
    /* Stopped, or a buffer refused: keep the rest, unless closing. */
    if (!uv__is_closing((uv_handle_t*)h)) {
      stash_keep(h, s, msgs, peers, k, n);
      if (still_reading(h)) uv__pending_add(h->loop, &h->pending);
    }
    return 0;
  }
  /* Read again even when the kernel gave fewer than asked, as libuv
   * does after every callback: a datagram the callbacks caused (a reply
   * sent to this socket over loopback) is there now and comes before
   * "nothing more".  The next read finds it, or says nothing more. */
  return r;
}

static void recv_some(uv_udp_t* h) {
  struct sockaddr_storage peer;
  struct scratch* s;
  struct msghdr m;
  struct iovec iov;
  uv_buf_t buf;
  ssize_t r;
  int count = READS_PER_WAKEUP;

  /* What was read ahead comes before what the kernel holds. */
  if (h->recv_stash != NULL) {
    count -= deliver_stash(h, count);
    if (h->recv_stash != NULL) return;
  }

  while (count > 0 && still_reading(h)) {
    buf = uv_buf_init(NULL, 0);
    h->alloc_cb((uv_handle_t*)h, DGRAM_MAX, &buf);
    if (buf.base == NULL || buf.len == 0) {
      h->recv_cb(h, UV_ENOBUFS, &buf, NULL, 0);
      return;
    }
    /* recvmmsg needs room for one largest datagram per slot (libuv
     * reads with one slot, as chunks, from 64 KiB on); a smaller buffer
     * is read the ordinary way, where libuv would read nothing, forever. */
    if ((h->flags & UDP_RECVMMSG) && buf.len >= DGRAM_MAX) {
      r = recv_mmsg(h, &buf);
      if (r == 0) return;
      count -= (int)r;
      continue;
    }
    /* The ordinary way, a batch at a time when it can be: never on a
     * socket another reader may share, which must find in the kernel
     * every datagram this handle was not asked for (libuv's reads). */
    if ((h->flags & (UDP_INET | UDP_SHARED)) == UDP_INET && count > 1 &&
        (s = scratch_get(h->loop)) != NULL) {
      r = recv_batch(h, s, &buf, count);
      if (r == 0) return;
      count -= (int)r;
      continue;
    }

    memset(&peer, 0, sizeof(peer));
    iov.iov_base = buf.base;
    iov.iov_len = buf.len;
    memset(&m, 0, sizeof(m));
    m.msg_name = &peer;
    m.msg_namelen = sizeof(peer);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    do
      r = recvmsg(h->io.fd, &m, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
      /* Nothing more (or an error): the buffer goes back either way. */
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        h->recv_cb(h, 0, &buf, NULL, 0);
      else
        h->recv_cb(h, -errno, &buf, NULL, 0);
      return;
    }
    h->recv_cb(h, r, &buf, (const struct sockaddr*)&peer,
               (m.msg_flags & MSG_TRUNC) ? UV_UDP_PARTIAL : 0);
    count--;
  }
}

UV__EXPORT int uv_udp_recv_start(uv_udp_t* handle, uv_alloc_cb alloc_cb,
                                 uv_udp_recv_cb recv_cb) {
  int err;

  if (!is_udp(handle) || alloc_cb == NULL || recv_cb == NULL ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  if (handle->flags & UDP_READING) return UV_EALREADY;
  err = ensure_socket(handle, AF_INET, 0);
  if (err != 0) return err;
  err = uv__io_start(handle->loop, &handle->io, UV__POLLIN);
  if (err != 0) return err;
  handle->flags |= UDP_READING;
  handle->alloc_cb = alloc_cb;
  handle->recv_cb = recv_cb;
  uv__handle_start((uv_handle_t*)handle);
  /* Datagrams read ahead before a recv_stop come first; the socket may
   * have nothing to wake us with. */
  if (handle->recv_stash != NULL)
    uv__pending_add(handle->loop, &handle->pending);
  return 0;
}

UV__EXPORT int uv_udp_recv_stop(uv_udp_t* handle) {
  if (!is_udp(handle)) return UV_EINVAL;
  if (!(handle->flags & UDP_READING)) return 0;
  handle->flags &= ~UDP_READING;
  uv__io_stop(handle->loop, &handle->io, UV__POLLIN);
  handle->alloc_cb = NULL;
  handle->recv_cb = NULL;
  maybe_stop(handle);
  return 0;
}

/* With IP_RECVERR the kernel keeps the details of each ICMP error on the
 * socket's error queue, and the socket polls as in error (POLLERR) until
 * someone reads them.  While the handle reads, each entry goes to recv_cb
 * as libuv hands it over: nread the error (-ee_errno), the buffer holding
 * what the datagram that failed carried, the address the ICMP came from,
 * and the flag UV_UDP_LINUX_RECVERR; the queue's end is a recv_cb with
 * nread 0, as for any read that finds nothing. */
static void recv_error_queue(uv_udp_t* h) {
  union {
    char buf[512];
    struct cmsghdr align;
  } ctl;
  struct sockaddr_storage peer;
  struct sock_extended_err* serr;
  struct cmsghdr* c;
  struct msghdr m;
  struct iovec iov;
  uv_buf_t buf;
  ssize_t r;
  int count = READS_PER_WAKEUP;

  while (count-- > 0 && (h->flags & UDP_READING) && h->io.fd >= 0) {
    buf = uv_buf_init(NULL, 0);
    h->alloc_cb((uv_handle_t*)h, DGRAM_MAX, &buf);
    if (buf.base == NULL || buf.len == 0) {
      h->recv_cb(h, UV_ENOBUFS, &buf, NULL, 0);
      return;
    }
    memset(&peer, 0, sizeof(peer));
    iov.iov_base = buf.base;
    iov.iov_len = buf.len;
    memset(&m, 0, sizeof(m));
    m.msg_name = &peer;
    m.msg_namelen = sizeof(peer);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.buf;
    m.msg_controllen = sizeof(ctl.buf);
    do
      r = recvmsg(h->io.fd, &m, MSG_ERRQUEUE);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
      h->recv_cb(h, errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno, &buf,
                 NULL, 0);
      return;
    }
    serr = NULL;
    for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
      if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
          (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR))
        serr = (struct sock_extended_err*)(void*)CMSG_DATA(c);
    if (serr != NULL)
      h->recv_cb(h, -(ssize_t)serr->ee_errno, &buf,
                 (const struct sockaddr*)SO_EE_OFFENDER(serr),
                 UV_UDP_LINUX_RECVERR |
                     ((m.msg_flags & MSG_TRUNC) ? UV_UDP_PARTIAL : 0));
    else
      h->recv_cb(h, r, &buf, (const struct sockaddr*)&peer,
                 (m.msg_flags & MSG_TRUNC) ? UV_UDP_PARTIAL : 0);
  }
}

/* Not reading: nobody wants the details; drop them so that the socket
 * stops polling as in error (a loop that does not would spin). */
static void drain_error_queue(int fd) {
  union {
    char buf[512];
    struct cmsghdr align;
  } ctl;
  char data[64];
  struct msghdr m;
  struct iovec iov;
  int i;

  for (i = 0; i < 64; i++) {
    iov.iov_base = data;
    iov.iov_len = sizeof(data);
    memset(&m, 0, sizeof(m));
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.buf;
    m.msg_controllen = sizeof(ctl.buf);
    if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0 && errno != EINTR)
      return;
  }
}

void uv__udp_io(uv_loop_t* loop, uv__io_t* w, unsigned int events) {
  uv_udp_t* h = udp_of(w);

  (void)loop;
  /* Errors are read out by recvmsg/sendmsg, which report them. */
  if (events & (UV__POLLIN | UV__POLLERR | UV__POLLHUP)) recv_some(h);
  if (h->io.fd < 0) return; /* closed by a callback */
  if ((events & (UV__POLLOUT | UV__POLLERR | UV__POLLHUP)) &&
      !uv__link_empty(&h->write_queue))
    send_queued(h);
  if ((events & UV__POLLERR) && (h->flags & UDP_RECVERR) && h->io.fd >= 0) {
    if (h->flags & UDP_READING)
      recv_error_queue(h);
    else
      drain_error_queue(h->io.fd);
  }
}

/* ---- closing ---------------------------------------------------------------------- */

void uv__udp_close(uv_udp_t* h) {
  h->flags &= ~UDP_READING;
  uv__handle_stop((uv_handle_t*)h);
  if (h->io.fd >= 0) {
    uv__io_close(h->loop, &h->io);
    /* Standard descriptors stay open: the process still owns them. */
    if (h->io.fd > STDERR_FILENO) uv__close(h->io.fd);
    uv__udp_set_fd(h, -1);
  }
}

void uv__udp_destroy(uv_udp_t* h) {
  /* Finished sends keep their result; the rest never went out. */
  while (!uv__link_empty(&h->write_queue))
    send_finished(h, container_of(h->write_queue.next, uv_udp_send_t, queue),
                  UV_ECANCELED);
  /* Every callback runs now, before the close callback: none is left
   * for the pending phase. */
  uv__link_remove(&h->pending.link);
  uv__udp_pending(h);
  stash_free(h); /* datagrams read ahead that nobody will take */
  h->alloc_cb = NULL;
  h->recv_cb = NULL;
}

/* ---- options ---------------------------------------------------------------------- */

static int udp_fd(const uv_udp_t* h, int* fd) {
  if (!is_udp(h) || uv__is_closing((const uv_handle_t*)h)) return UV_EINVAL;
  if (h->io.fd < 0) return UV_EBADF;
  *fd = h->io.fd;
  return 0;
}

/* The IPv4 or the IPv6 option, by the socket's family. */
static int set_family_option(uv_udp_t* h, int opt4, int opt6, int value) {
  int fd;
  int err = udp_fd(h, &fd);

  if (err != 0) return err;
  if (h->flags & UDP_IPV6)
    return set_int_option(fd, IPPROTO_IPV6, opt6, value);
  return set_int_option(fd, IPPROTO_IP, opt4, value);
}

UV__EXPORT int uv_udp_set_ttl(uv_udp_t* handle, int ttl) {
  if (ttl < 1 || ttl > 255) return UV_EINVAL;
  return set_family_option(handle, IP_TTL, IPV6_UNICAST_HOPS, ttl);
}

UV__EXPORT int uv_udp_set_multicast_ttl(uv_udp_t* handle, int ttl) {
  if (ttl < 0 || ttl > 255) return UV_EINVAL;
  return set_family_option(handle, IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS,
                           ttl);
}

UV__EXPORT int uv_udp_set_multicast_loop(uv_udp_t* handle, int on) {
  if (on < 0 || on > 255) return UV_EINVAL;
  return set_family_option(handle, IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP,
                           on);
}

UV__EXPORT int uv_udp_set_broadcast(uv_udp_t* handle, int on) {
  int fd;
  int err = udp_fd(handle, &fd);
  if (err != 0) return err;
  return set_int_option(fd, SOL_SOCKET, SO_BROADCAST, on);
}

/* The option follows the address given (an IPv4 address sets
 * IP_MULTICAST_IF, an IPv6 one IPV6_MULTICAST_IF by its scope); NULL means
 * "the default interface" in the socket's own family. */
UV__EXPORT int uv_udp_set_multicast_interface(uv_udp_t* handle,
                                              const char* interface_addr) {
  struct sockaddr_in6 a6;
  struct sockaddr_in a4;
  int ipv6;
  int fd;
  int err;

  if (!is_udp(handle)) return UV_EINVAL;
  memset(&a4, 0, sizeof(a4));
  memset(&a6, 0, sizeof(a6));
  if (interface_addr == NULL) {
    ipv6 = (handle->flags & UDP_IPV6) != 0;
    a4.sin_addr.s_addr = htonl(INADDR_ANY);
  } else if (uv_ip4_addr(interface_addr, 0, &a4) == 0) {
    ipv6 = 0;
  } else if (uv_ip6_addr(interface_addr, 0, &a6) == 0) {
    ipv6 = 1;
  } else {
    return UV_EINVAL;
  }
  err = udp_fd(handle, &fd);
  if (err != 0) return err;
  if (ipv6)
    return set_int_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
                          (int)a6.sin6_scope_id);
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a4.sin_addr,
                 sizeof(a4.sin_addr)) != 0)
    return -errno;
  return 0;
}

/* An IPv4 interface address, INADDR_ANY when none is given. */
static int parse_if4(const char* interface_addr, struct in_addr* out) {
  struct sockaddr_in a4;

  if (interface_addr == NULL) {
    out->s_addr = htonl(INADDR_ANY);
    return 0;
  }
  if (uv_ip4_addr(interface_addr, 0, &a4) != 0) return UV_EINVAL;
  *out = a4.sin_addr;
  return 0;
}

/* An IPv6 interface, by the scope of the address given (0: any). */
static int parse_if6(const char* interface_addr, unsigned int* index) {
  struct sockaddr_in6 a6;

  *index = 0;
  if (interface_addr == NULL) return 0;
  if (uv_ip6_addr(interface_addr, 0, &a6) != 0) return UV_EINVAL;
  *index = a6.sin6_scope_id;
  return 0;
}

static int join_option(uv_membership membership, int join, int leave,
                       int* opt) {
  if (membership == UV_JOIN_GROUP)
    *opt = join;
  else if (membership == UV_LEAVE_GROUP)
    *opt = leave;
  else
    return UV_EINVAL;
  return 0;
}

static int set_option(uv_udp_t* h, int level, int opt, const void* value,
                      socklen_t len) {
  if (setsockopt(h->io.fd, level, opt, value, len) != 0) return -errno;
  return 0;
}

UV__EXPORT int uv_udp_set_membership(uv_udp_t* handle,
                                     const char* multicast_addr,
                                     const char* interface_addr,
                                     uv_membership membership) {
  struct sockaddr_in6 m6;
  struct sockaddr_in m4;
  struct ipv6_mreq mreq6;
  struct ip_mreq mreq4;
  unsigned int index;
  int opt;
  int err;

  if (!is_udp(handle) || multicast_addr == NULL ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;

  if (uv_ip4_addr(multicast_addr, 0, &m4) == 0) {
    memset(&mreq4, 0, sizeof(mreq4));
    mreq4.imr_multiaddr = m4.sin_addr;
    err = parse_if4(interface_addr, &mreq4.imr_interface);
    if (err == 0)
      err = join_option(membership, IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP,
                        &opt);
    if (err == 0) err = ensure_socket(handle, AF_INET, UV_UDP_REUSEADDR);
    if (err != 0) return err;
    return set_option(handle, IPPROTO_IP, opt, &mreq4, sizeof(mreq4));
  }

  if (uv_ip6_addr(multicast_addr, 0, &m6) == 0) {
    memset(&mreq6, 0, sizeof(mreq6));
    mreq6.ipv6mr_multiaddr = m6.sin6_addr;
    err = parse_if6(interface_addr, &index);
    mreq6.ipv6mr_interface = index;
    if (err == 0)
      err = join_option(membership, IPV6_ADD_MEMBERSHIP,
                        IPV6_DROP_MEMBERSHIP, &opt);
    if (err == 0) err = ensure_socket(handle, AF_INET6, UV_UDP_REUSEADDR);
    if (err != 0) return err;
    return set_option(handle, IPPROTO_IPV6, opt, &mreq6, sizeof(mreq6));
  }

  return UV_EINVAL;
}

UV__EXPORT int uv_udp_set_source_membership(uv_udp_t* handle,
                                            const char* multicast_addr,
                                            const char* interface_addr,
                                            const char* source_addr,
                                            uv_membership membership) {
  struct sockaddr_in6 m6;
  struct sockaddr_in6 s6;
  struct sockaddr_in m4;
  struct sockaddr_in s4;
  struct group_source_req gsr;
  struct ip_mreq_source mreq4;
  unsigned int index;
  int opt;
  int err;

  if (!is_udp(handle) || multicast_addr == NULL || source_addr == NULL ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;

  if (uv_ip4_addr(multicast_addr, 0, &m4) == 0) {
    /* The source must be of the group's family. */
    if (uv_ip4_addr(source_addr, 0, &s4) != 0) return UV_EINVAL;
    memset(&mreq4, 0, sizeof(mreq4));
    mreq4.imr_multiaddr = m4.sin_addr;
    mreq4.imr_sourceaddr = s4.sin_addr;
    err = parse_if4(interface_addr, &mreq4.imr_interface);
    if (err == 0)
      err = join_option(membership, IP_ADD_SOURCE_MEMBERSHIP,
                        IP_DROP_SOURCE_MEMBERSHIP, &opt);
    if (err == 0) err = ensure_socket(handle, AF_INET, UV_UDP_REUSEADDR);
    if (err != 0) return err;
    return set_option(handle, IPPROTO_IP, opt, &mreq4, sizeof(mreq4));
  }

  if (uv_ip6_addr(multicast_addr, 0, &m6) == 0) {
    if (uv_ip6_addr(source_addr, 0, &s6) != 0) return UV_EINVAL;
    memset(&gsr, 0, sizeof(gsr));
    memcpy(&gsr.gsr_group, &m6, sizeof(m6));
    memcpy(&gsr.gsr_source, &s6, sizeof(s6));
    err = parse_if6(interface_addr, &index);
    gsr.gsr_interface = index;
    if (err == 0)
      err = join_option(membership, MCAST_JOIN_SOURCE_GROUP,
                        MCAST_LEAVE_SOURCE_GROUP, &opt);
    if (err == 0) err = ensure_socket(handle, AF_INET6, UV_UDP_REUSEADDR);
    if (err != 0) return err;
    return set_option(handle, IPPROTO_IPV6, opt, &gsr, sizeof(gsr));
  }

  return UV_EINVAL;
}

UV__EXPORT size_t uv_udp_get_send_queue_size(const uv_udp_t* handle) {
  return is_udp(handle) ? handle->send_queue_size : 0;
}

UV__EXPORT size_t uv_udp_get_send_queue_count(const uv_udp_t* handle) {
  return is_udp(handle) ? handle->send_queue_count : 0;
}
