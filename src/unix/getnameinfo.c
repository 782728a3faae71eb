/* eddy — uv_getnameinfo: getnameinfo(3) of an IPv4 or IPv6 address on the
 * thread pool's slow-I/O class, or on the caller's thread when there is no
 * callback.
 *
 * The request keeps a copy of the address, sized by its family, so the
 * caller's sockaddr need not outlive the call; the names are written to the
 * request's own host and service arrays (NI_MAXHOST and NI_MAXSERV bytes,
 * the sizes getnameinfo is told, so it cannot overrun them). */
#include "internal.h"
#include "dns.h"

#include <netdb.h>
#include <string.h>

static socklen_t address_size(int family) {
  switch (family) {
    case AF_INET:
      return sizeof(struct sockaddr_in);
    case AF_INET6:
      return sizeof(struct sockaddr_in6);
    default:
      return 0;
  }
}

/* On a worker (or the caller's thread when synchronous). */
void uv__getnameinfo_work(struct uv__work* w) {
  uv_getnameinfo_t* req = container_of(w, uv_getnameinfo_t, work_req);
  int r;

  r = getnameinfo((const struct sockaddr*)&req->storage,
                  address_size(req->storage.ss_family), req->host,
                  sizeof(req->host), req->service, sizeof(req->service),
                  req->flags);
  req->retcode = uv__getaddrinfo_error(r);
}

/* On the loop thread, once the work ran or was cancelled. */
void uv__getnameinfo_done(struct uv__work* w) {
  uv_getnameinfo_t* req = container_of(w, uv_getnameinfo_t, work_req);
  const char* host = NULL;
  const char* service = NULL;

  uv__req_unregister(req->loop);
  if (w->status == UV_ECANCELED) {
    req->retcode = UV_EAI_CANCELED; /* as libuv, not UV_ECANCELED */
  } else if (req->retcode == 0) {
    host = req->host;
    service = req->service;
  }
  req->getnameinfo_cb(req, req->retcode, host, service);
}

UV__EXPORT int uv_getnameinfo(uv_loop_t* loop, uv_getnameinfo_t* req,
                              uv_getnameinfo_cb getnameinfo_cb,
                              const struct sockaddr* addr, int flags) {
  socklen_t size;
  int err;

  if (loop == NULL || req == NULL || addr == NULL) return UV_EINVAL;
  size = address_size(addr->sa_family);
  if (size == 0) return UV_EINVAL;
  if (getnameinfo_cb != NULL && loop->backend_fd < 0) return UV_EINVAL;

  memcpy(&req->storage, addr, size);
  req->type = UV_GETNAMEINFO;
  req->loop = loop;
  req->getnameinfo_cb = getnameinfo_cb;
  req->flags = flags;
  req->retcode = 0;

  if (getnameinfo_cb == NULL) {
    /* Never queued: uv_cancel must see it as not cancellable. */
    memset(&req->work_req, 0, sizeof(req->work_req));
    uv__getnameinfo_work(&req->work_req);
    return req->retcode;
  }

  err = uv__work_submit(loop, &req->work_req, UV__WORK_GETNAMEINFO,
                        UV__WORK_SLOW_IO);
  if (err != 0) return err;
  uv__req_register(loop);
  return 0;
}
