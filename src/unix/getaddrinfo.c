/* eddy — uv_getaddrinfo and uv_freeaddrinfo: getaddrinfo(3) on the thread
 * pool's slow-I/O class, or on the caller's thread when there is no
 * callback; and the EAI_* to UV_EAI_* translation uv_getnameinfo shares.
 *
 * The request owns copies of what it was given, in one allocation: the
 * hints, the node in its ASCII form (src/idna.c: libuv converts Unicode
 * labels to Punycode, and refuses a name whose converted form is longer
 * than 255 characters instead of cutting it) and the service.  They are
 * freed before the callback runs, so the callback may reuse the request. */
#include "internal.h"
#include "idna.h"
#include "dns.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>

int uv__getaddrinfo_error(int eai) {
  switch (eai) {
    case 0:
      return 0;
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
      return UV_EAI_ADDRFAMILY;
#endif
    case EAI_AGAIN:
      return UV_EAI_AGAIN;
    case EAI_BADFLAGS:
      return UV_EAI_BADFLAGS;
#ifdef EAI_BADHINTS
    case EAI_BADHINTS:
      return UV_EAI_BADHINTS;
#endif
#ifdef EAI_CANCELED
    case EAI_CANCELED:
      return UV_EAI_CANCELED;
#endif
    case EAI_FAIL:
      return UV_EAI_FAIL;
    case EAI_FAMILY:
      return UV_EAI_FAMILY;
    case EAI_MEMORY:
      return UV_EAI_MEMORY;
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
    case EAI_NODATA:
      return UV_EAI_NODATA;
#endif
    case EAI_NONAME:
      return UV_EAI_NONAME;
#ifdef EAI_OVERFLOW
    case EAI_OVERFLOW:
      return UV_EAI_OVERFLOW;
#endif
#ifdef EAI_PROTOCOL
    case EAI_PROTOCOL:
      return UV_EAI_PROTOCOL;
#endif
    case EAI_SERVICE:
      return UV_EAI_SERVICE;
    case EAI_SOCKTYPE:
      return UV_EAI_SOCKTYPE;
    case EAI_SYSTEM:
      /* A failure without an errno would otherwise read as success. */
      return errno > 0 ? -errno : UV_EAI_FAIL;
    default:
      /* glibc's extensions (EAI_INTR, EAI_IDN_ENCODE, ...) have no UV_
       * code; libuv aborts on them, eddy reports a plain failure. */
      return UV_EAI_FAIL;
  }
}

static void release(uv_getaddrinfo_t* req) {
  uv__free(req->gai_block);
  req->gai_block = NULL;
  req->hints = NULL;
  req->hostname = NULL;
  req->service = NULL;
}

/* On a worker (or the caller's thread when synchronous). */
void uv__getaddrinfo_work(struct uv__work* w) {
  uv_getaddrinfo_t* req = container_of(w, uv_getaddrinfo_t, work_req);
  struct addrinfo* res = NULL;
  int r;

  r = getaddrinfo(req->hostname, req->service, req->hints, &res);
  req->retcode = uv__getaddrinfo_error(r);
  /* What res holds after a failure is not specified: keep NULL. */
  if (r == 0) req->addrinfo = res;
}

/* On the loop thread, once the work ran or was cancelled. */
void uv__getaddrinfo_done(struct uv__work* w) {
  uv_getaddrinfo_t* req = container_of(w, uv_getaddrinfo_t, work_req);

  uv__req_unregister(req->loop);
  release(req);
  /* libuv reports a cancelled lookup as UV_EAI_CANCELED, not UV_ECANCELED
   * (its documentation says the latter; programs test what it does). */
  if (w->status == UV_ECANCELED) req->retcode = UV_EAI_CANCELED;
  req->cb(req, req->retcode, req->addrinfo);
}

UV__EXPORT int uv_getaddrinfo(uv_loop_t* loop, uv_getaddrinfo_t* req,
                              uv_getaddrinfo_cb getaddrinfo_cb,
                              const char* node, const char* service,
                              const struct addrinfo* hints) {
  char ascii[UV__IDNA_MAX];
  size_t hints_size = 0;
  size_t node_size = 0;
  size_t service_size = 0;
  struct addrinfo* h;
  char* block;
  char* p;
  long n;
  int err;

  if (req == NULL || (node == NULL && service == NULL)) return UV_EINVAL;
  /* A synchronous lookup needs no loop: libuv 1.52 accepts NULL then. */
  if (getaddrinfo_cb != NULL && (loop == NULL || loop->backend_fd < 0))
    return UV_EINVAL;

  if (node != NULL) {
    n = uv__idna_toascii(node, strlen(node), ascii, sizeof(ascii));
    if (n < 0) return (int)n;
    node_size = (size_t)n;
  }
  if (service != NULL) service_size = strlen(service) + 1;
  if (hints != NULL) hints_size = sizeof(struct addrinfo);

  /* The hints first: the allocation's alignment suits them. */
  block = uv__malloc(hints_size + node_size + service_size);
  if (block == NULL) return UV_ENOMEM;

  req->type = UV_GETADDRINFO;
  req->loop = loop;
  req->cb = getaddrinfo_cb;
  req->addrinfo = NULL;
  req->retcode = 0;
  req->gai_block = block;
  req->hints = NULL;
  req->hostname = NULL;
  req->service = NULL;
  p = block;
  if (hints != NULL) {
    /* Only the four fields getaddrinfo(3) reads from hints; the pointers
     * are left NULL rather than pointing into the caller's memory. */
    h = (struct addrinfo*)(void*)p;
    memset(h, 0, sizeof(*h));
    h->ai_flags = hints->ai_flags;
    h->ai_family = hints->ai_family;
    h->ai_socktype = hints->ai_socktype;
    h->ai_protocol = hints->ai_protocol;
    req->hints = h;
    p += hints_size;
  }
  if (node != NULL) {
    memcpy(p, ascii, node_size);
    req->hostname = p;
    p += node_size;
  }
  if (service != NULL) {
    memcpy(p, service, service_size);
    req->service = p;
  }

  if (getaddrinfo_cb == NULL) {
    /* Never queued: uv_cancel must see it as not cancellable. */
    memset(&req->work_req, 0, sizeof(req->work_req));
    uv__getaddrinfo_work(&req->work_req);
    release(req);
    return req->retcode;
  }

  err = uv__work_submit(loop, &req->work_req, UV__WORK_GETADDRINFO,
                        UV__WORK_SLOW_IO);
  if (err != 0) {
    release(req);
    return err;
  }
  uv__req_register(loop);
  return 0;
}

UV__EXPORT void uv_freeaddrinfo(struct addrinfo* ai) {
  if (ai != NULL) freeaddrinfo(ai);
}
