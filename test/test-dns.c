/* eddy tests — name resolution: uv_getaddrinfo, uv_freeaddrinfo,
 * uv_getnameinfo (src/unix/getaddrinfo.c, src/unix/getnameinfo.c,
 * src/idna.c).
 *
 * No lookup leaves the machine.  This file defines getaddrinfo and
 * getnameinfo itself, so the library's calls land here first (the
 * executable's definition wins over the C library's, for eddy's static
 * library and for libuv.so alike): the spy records what the library asked
 * for, can answer with a chosen EAI_* error, and passes on to the C
 * library only what /etc/hosts or a numeric form answers: "localhost", IP
 * literals, AI_NUMERICHOST, reverse lookups of 127.0.0.1.  Any other name
 * gets EAI_NONAME without a DNS query; so ".invalid" names are answered
 * here, as a resolver would answer them.  These machines' /etc/hosts maps
 * localhost to 127.0.0.1 only (no ::1), so no test expects ::1 for it.
 *
 * The file also builds against the system's libuv and passes there:
 *   gcc -std=gnu11 test/test-dns.c -Itest -lcmocka -luv -lpthread
 * (no -Iinclude); the tests named eddy_* check eddy's UV_EINVAL (or other
 * answer) where libuv would crash or abort, and skip themselves there. */
#include "test-helpers.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>

/* ---- the spy in front of the resolver -------------------------------------- */

static pthread_mutex_t spy_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct {
  int gai_calls;
  char node[2048];   /* the node the library passed, "(null)" for NULL */
  char service[64];
  int gni_calls;
  struct sockaddr_storage addr; /* the address getnameinfo was given */
  socklen_t addrlen;
  int fake;          /* non-zero: answer every call with this EAI_* code */
  int fake_errno;    /* errno to leave with EAI_SYSTEM */
} spy;

static void spy_reset(void) {
  pthread_mutex_lock(&spy_mutex);
  memset(&spy, 0, sizeof(spy));
  pthread_mutex_unlock(&spy_mutex);
}

static void spy_fake(int eai, int err) {
  pthread_mutex_lock(&spy_mutex);
  spy.fake = eai;
  spy.fake_errno = err;
  pthread_mutex_unlock(&spy_mutex);
}

static int spy_gai_calls(void) {
  int n;
  pthread_mutex_lock(&spy_mutex);
  n = spy.gai_calls;
  pthread_mutex_unlock(&spy_mutex);
  return n;
}

/* Names the C library answers from /etc/hosts or their numeric form. */
static int answered_locally(const char* node, const struct addrinfo* hints) {
  unsigned char buf[sizeof(struct in6_addr)];
  if (node == NULL || strcmp(node, "localhost") == 0) return 1;
  if (hints != NULL && (hints->ai_flags & AI_NUMERICHOST)) return 1;
  return inet_pton(AF_INET, node, buf) == 1 || inet_pton(AF_INET6, node, buf) == 1;
}

/* The C library's own definition of a function this file replaces. */
static void* next_symbol(const char* name) {
#ifdef RTLD_NEXT
  return dlsym(RTLD_NEXT, name);
#else
  /* RTLD_NEXT is a GNU extension, hidden without _GNU_SOURCE. */
  static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  static void* libc;
  void* h;
  pthread_mutex_lock(&mutex);
  if (libc == NULL) libc = dlopen("libc.so.6", RTLD_LAZY);
  h = libc;
  pthread_mutex_unlock(&mutex);
  assert_non_null(h);
  return dlsym(h, name);
#endif
}

typedef int (*gai_fn)(const char*, const char*, const struct addrinfo*,
                      struct addrinfo**);
typedef int (*gni_fn)(const struct sockaddr*, socklen_t, char*, socklen_t,
                      char*, socklen_t, int);

int getaddrinfo(const char* node, const char* service,
                const struct addrinfo* hints, struct addrinfo** res) {
  gai_fn real;
  int fake;
  int err;

  pthread_mutex_lock(&spy_mutex);
  spy.gai_calls++;
  snprintf(spy.node, sizeof(spy.node), "%s", node != NULL ? node : "(null)");
  snprintf(spy.service, sizeof(spy.service), "%s",
           service != NULL ? service : "(null)");
  fake = spy.fake;
  err = spy.fake_errno;
  pthread_mutex_unlock(&spy_mutex);

  if (fake != 0) {
    errno = err;
    return fake;
  }
  if (!answered_locally(node, hints)) return EAI_NONAME; /* no DNS query */
  real = (gai_fn)next_symbol("getaddrinfo");
  return real(node, service, hints, res);
}

int getnameinfo(const struct sockaddr* sa, socklen_t salen, char* host,
                socklen_t hostlen, char* serv, socklen_t servlen, int flags) {
  gni_fn real;
  int fake;
  int err;

  pthread_mutex_lock(&spy_mutex);
  spy.gni_calls++;
  spy.addrlen = salen;
  if (salen <= sizeof(spy.addr)) memcpy(&spy.addr, sa, salen);
  fake = spy.fake;
  err = spy.fake_errno;
  pthread_mutex_unlock(&spy_mutex);

  if (fake != 0) {
    errno = err;
    return fake;
  }
  /* Only 127.0.0.1 has a name in /etc/hosts; anything else would be a PTR
   * query, so it gets its numeric form. */
  if (!(sa->sa_family == AF_INET &&
        ((const struct sockaddr_in*)(const void*)sa)->sin_addr.s_addr ==
            htonl(INADDR_LOOPBACK)))
    flags |= NI_NUMERICHOST;
  real = (gni_fn)next_symbol("getnameinfo");
  return real(sa, salen, host, hostlen, serv, servlen, flags);
}

/* ---- helpers --------------------------------------------------------------- */

static struct {
  int calls;
  int status;
  int res_is_req_addrinfo;
  int has_loopback4;
  int on_loop_thread;
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  int host_null;
  int service_null;
  int host_is_req_host;
  int cancel_in_cb;
  int reuse_left; /* start the same request again this many times */
} cb;

static pthread_t loop_thread;

static void cb_reset(void) {
  memset(&cb, 0, sizeof(cb));
  loop_thread = pthread_self();
}

static int has_ipv4_loopback(const struct addrinfo* ai) {
  for (; ai != NULL; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET &&
        ((const struct sockaddr_in*)(const void*)ai->ai_addr)->sin_addr.s_addr ==
            htonl(INADDR_LOOPBACK))
      return 1;
  }
  return 0;
}

static int port_of(const struct addrinfo* ai) {
  if (ai->ai_family == AF_INET)
    return ntohs(((const struct sockaddr_in*)(const void*)ai->ai_addr)->sin_port);
  return ntohs(((const struct sockaddr_in6*)(const void*)ai->ai_addr)->sin6_port);
}

static void gai_cb(uv_getaddrinfo_t* req, int status, struct addrinfo* res) {
  cb.calls++;
  cb.status = status;
  cb.res_is_req_addrinfo = (res == req->addrinfo);
  cb.has_loopback4 = has_ipv4_loopback(res);
  cb.on_loop_thread = pthread_equal(pthread_self(), loop_thread);
  if (status != 0) assert_null(res);
  if (cb.cancel_in_cb) assert_int_equal(uv_cancel((uv_req_t*)req), UV_EBUSY);
  uv_freeaddrinfo(res);
  if (cb.reuse_left > 0) {
    cb.reuse_left--;
    assert_int_equal(uv_getaddrinfo(req->loop, req, gai_cb, "localhost", NULL, NULL), 0);
  }
}

static void gni_cb(uv_getnameinfo_t* req, int status, const char* host,
                   const char* service) {
  cb.calls++;
  cb.status = status;
  cb.on_loop_thread = pthread_equal(pthread_self(), loop_thread);
  cb.host_null = (host == NULL);
  cb.service_null = (service == NULL);
  cb.host_is_req_host = (host == req->host && service == req->service);
  if (host != NULL) snprintf(cb.host, sizeof(cb.host), "%s", host);
  if (service != NULL) snprintf(cb.service, sizeof(cb.service), "%s", service);
  if (cb.cancel_in_cb) assert_int_equal(uv_cancel((uv_req_t*)req), UV_EBUSY);
}

/* What /etc/services calls port 80/tcp: "http" on these machines, the
 * number where the file lacks it. */
static const char* http_service_name(void) {
  struct servent* s = getservbyport(htons(80), "tcp");
  return s != NULL ? "http" : "80";
}

/* ---- a pool whose workers are all busy -------------------------------------- */

/* UV_THREADPOOL_SIZE is set in main(), before the pool starts. */
#define POOL_SIZE 4

static struct {
  uv_sem_t started;
  uv_sem_t release;
  uv_work_t work[POOL_SIZE];
  int after;
} blocker;

static void block_work(uv_work_t* w) {
  (void)w;
  uv_sem_post(&blocker.started);
  uv_sem_wait(&blocker.release);
}

static void block_after(uv_work_t* w, int status) {
  (void)w;
  assert_int_equal(status, 0);
  blocker.after++;
}

/* Occupies every worker, so that what is queued next stays queued. */
static void pool_block(uv_loop_t* loop) {
  int i;
  assert_int_equal(uv_sem_init(&blocker.started, 0), 0);
  assert_int_equal(uv_sem_init(&blocker.release, 0), 0);
  blocker.after = 0;
  for (i = 0; i < POOL_SIZE; i++)
    assert_int_equal(uv_queue_work(loop, &blocker.work[i], block_work, block_after), 0);
  for (i = 0; i < POOL_SIZE; i++) uv_sem_wait(&blocker.started);
}

static void pool_release(void) {
  int i;
  for (i = 0; i < POOL_SIZE; i++) uv_sem_post(&blocker.release);
}

static void pool_block_done(void) {
  assert_int_equal(blocker.after, POOL_SIZE);
  uv_sem_destroy(&blocker.started);
  uv_sem_destroy(&blocker.release);
}

/* ---- uv_getaddrinfo ---------------------------------------------------------- */

static void getaddrinfo_localhost_sync(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  (void)state;
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(&req, 0xA5, sizeof(req));
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost", NULL, NULL), 0);
  assert_int_equal(req.type, UV_GETADDRINFO);
  assert_ptr_equal(req.loop, &loop);
  assert_non_null(req.addrinfo);
  assert_true(has_ipv4_loopback(req.addrinfo));
  assert_string_equal(spy.node, "localhost");
  assert_string_equal(spy.service, "(null)");
  uv_freeaddrinfo(req.addrinfo);
  /* A synchronous request leaves nothing for the loop to do. */
  assert_int_equal(uv_loop_alive(&loop), 0);
  loop_close_clean(&loop);
}

static void getaddrinfo_localhost_async(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, "localhost", NULL, NULL), 0);
  assert_int_equal(req.type, UV_GETADDRINFO);
  assert_int_equal(uv_loop_alive(&loop), 1); /* the request keeps it alive */
  assert_int_equal(cb.calls, 0);             /* never called synchronously */
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, 0);
  assert_true(cb.res_is_req_addrinfo);
  assert_true(cb.has_loopback4);
  assert_true(cb.on_loop_thread);
  loop_close_clean(&loop);
}

/* The request is free again in its callback: the callback starts it anew. */
static void getaddrinfo_reuse_in_callback(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  (void)state;
  spy_reset();
  cb_reset();
  cb.reuse_left = 2;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, "localhost", NULL, NULL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 3);
  assert_int_equal(cb.status, 0);
  loop_close_clean(&loop);
}

static void getaddrinfo_numeric_hosts(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  struct addrinfo hints;
  struct addrinfo* ai;
  char text[INET6_ADDRSTRLEN];
  (void)state;
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(&hints, 0, sizeof(hints));
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  hints.ai_socktype = SOCK_STREAM;

  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "127.0.0.1", "8080", &hints), 0);
  ai = req.addrinfo;
  assert_non_null(ai);
  assert_null(ai->ai_next); /* one socket type asked for, one result */
  assert_int_equal(ai->ai_family, AF_INET);
  assert_int_equal(ai->ai_socktype, SOCK_STREAM);
  assert_int_equal(port_of(ai), 8080);
  assert_true(has_ipv4_loopback(ai));
  uv_freeaddrinfo(ai);

  /* A literal needs no entry in /etc/hosts, so ::1 works here. */
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "::1", "443", &hints), 0);
  ai = req.addrinfo;
  assert_non_null(ai);
  assert_int_equal(ai->ai_family, AF_INET6);
  assert_int_equal(port_of(ai), 443);
  assert_non_null(inet_ntop(AF_INET6,
                            &((struct sockaddr_in6*)(void*)ai->ai_addr)->sin6_addr,
                            text, sizeof(text)));
  assert_string_equal(text, "::1");
  uv_freeaddrinfo(ai);

  /* The family in the hints selects. */
  hints.ai_family = AF_INET6;
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "127.0.0.1", NULL, &hints),
                   UV_EAI_ADDRFAMILY);
  assert_null(req.addrinfo);

  /* AI_NUMERICHOST refuses a name without looking it up. */
  hints.ai_family = AF_UNSPEC;
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost", NULL, &hints),
                   UV_EAI_NONAME);
  assert_null(req.addrinfo);
  loop_close_clean(&loop);
}

/* The hints are copied: changing them after the call changes nothing. */
static void getaddrinfo_hints_copied(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  struct addrinfo* hints;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  hints = calloc(1, sizeof(*hints));
  assert_non_null(hints);
  hints->ai_flags = AI_NUMERICHOST;
  {
    char node[32] = "not-numeric";
    assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, node, NULL, hints), 0);
    memset(node, 'x', sizeof(node) - 1);
  }
  hints->ai_flags = 0;
  free(hints);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, UV_EAI_NONAME);
  assert_string_equal(spy.node, "not-numeric");
  loop_close_clean(&loop);
}

static void getaddrinfo_service(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  struct addrinfo hints;
  (void)state;
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;

  /* A port number needs no services database. */
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost", "80", &hints), 0);
  assert_int_equal(port_of(req.addrinfo), 80);
  uv_freeaddrinfo(req.addrinfo);

  /* A service alone (node NULL): the loopback address, or any with
   * AI_PASSIVE. */
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, NULL, "8000", &hints), 0);
  assert_true(has_ipv4_loopback(req.addrinfo));
  assert_int_equal(port_of(req.addrinfo), 8000);
  assert_string_equal(spy.node, "(null)");
  uv_freeaddrinfo(req.addrinfo);

  if (getservbyname("http", "tcp") != NULL) {
    assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost", "http", &hints), 0);
    assert_int_equal(port_of(req.addrinfo), 80);
    assert_string_equal(spy.service, "http");
    uv_freeaddrinfo(req.addrinfo);
  }

  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost",
                                  "no-such-service-here", &hints),
                   UV_EAI_SERVICE);
  assert_null(req.addrinfo);
  loop_close_clean(&loop);
}

/* What getaddrinfo(3) itself refuses in the hints comes back as UV_EAI_*. */
static void getaddrinfo_bad_hints(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  struct addrinfo hints;
  (void)state;
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = 12345;
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "127.0.0.1", NULL, &hints),
                   UV_EAI_FAMILY);
  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = 12345;
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "127.0.0.1", NULL, &hints),
                   UV_EAI_SOCKTYPE);
  memset(&hints, 0, sizeof(hints));
  hints.ai_flags = 0x7FFF0000;
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "127.0.0.1", NULL, &hints),
                   UV_EAI_BADFLAGS);
  loop_close_clean(&loop);
}

/* A name nobody can resolve: UV_EAI_NONAME (a resolver that cannot be
 * reached would give UV_EAI_AGAIN; the spy answers for it here). */
static void getaddrinfo_unresolvable(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  int r;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  r = uv_getaddrinfo(&loop, &req, NULL, "no-such-host.invalid", NULL, NULL);
  assert_true(r == UV_EAI_NONAME || r == UV_EAI_AGAIN);
  assert_null(req.addrinfo);
  assert_string_equal(spy.node, "no-such-host.invalid");

  assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, "no-such-host.invalid", NULL, NULL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_true(cb.status == UV_EAI_NONAME || cb.status == UV_EAI_AGAIN);
  loop_close_clean(&loop);
}

static void getaddrinfo_bad_arguments(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, NULL, NULL, NULL), UV_EINVAL);
  assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, NULL, NULL, NULL), UV_EINVAL);
  assert_int_equal(uv_getaddrinfo(&loop, NULL, gai_cb, "localhost", NULL, NULL), UV_EINVAL);
  assert_int_equal(uv_getaddrinfo(&loop, NULL, NULL, "localhost", NULL, NULL), UV_EINVAL);
  /* libuv refuses an empty node too (it converts it first, and an empty
   * name has nothing to convert). */
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "", "80", NULL), UV_EINVAL);
  assert_int_equal(spy_gai_calls(), 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 0);
  loop_close_clean(&loop);
}

/* libuv 1.52 runs a lookup without a callback on the caller's thread and
 * needs no loop for it; a lookup with a callback still needs one. */
static void getaddrinfo_null_loop(void** state) {
  uv_getaddrinfo_t req;
  (void)state;
  if (UV_VERSION_HEX < ((1 << 16) | (52 << 8))) skip();
  spy_reset();
  memset(&req, 0xA5, sizeof(req));
  assert_int_equal(uv_getaddrinfo(NULL, &req, NULL, "localhost", NULL, NULL), 0);
  assert_non_null(req.addrinfo);
  assert_true(has_ipv4_loopback(req.addrinfo));
  uv_freeaddrinfo(req.addrinfo);
  memset(&req, 0xA5, sizeof(req));
  assert_true(uv_getaddrinfo(NULL, &req, NULL, "example.invalid.", NULL, NULL) < 0);
  assert_null(req.addrinfo);
  assert_int_equal(spy_gai_calls(), 2);
  assert_int_equal(uv_getaddrinfo(NULL, &req, gai_cb, "localhost", NULL, NULL), UV_EINVAL);
  assert_int_equal(spy_gai_calls(), 2);
}

static void fill_name(char* buf, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) buf[i] = (i % 64 == 63) ? '.' : 'a';
  buf[n] = '\0';
}

/* 255 characters is the longest name passed on; a longer one is refused
 * whole, never cut short (CVE-2024-24806), synchronously or not. */
static void getaddrinfo_too_long(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  static char name[4096];
  char label[3 * 60 + 1];
  int i;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);

  fill_name(name, 255);
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, name, NULL, NULL), UV_EAI_NONAME);
  assert_int_equal(spy_gai_calls(), 1);
  assert_string_equal(spy.node, name);

  fill_name(name, 256);
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, name, NULL, NULL), UV_EINVAL);
  assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, name, NULL, NULL), UV_EINVAL);
  fill_name(name, sizeof(name) - 1);
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, name, "80", NULL), UV_EINVAL);
  assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, name, "80", NULL), UV_EINVAL);

  /* 180 bytes of UTF-8 whose ASCII form is 480 characters long. */
  for (i = 0; i < 60; i++) memcpy(label + 3 * i, "\xc3\xa9.", 3);
  label[3 * 60] = '\0';
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, label, NULL, NULL), UV_EINVAL);

  assert_int_equal(spy_gai_calls(), 1);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 0);
  loop_close_clean(&loop);
}

/* Non-ASCII names reach the resolver in their ASCII (Punycode) form. */
static void getaddrinfo_idna(void** state) {
  static const struct {
    const char* in;
    const char* out;
  } cases[] = {
      {"b\xc3\xbc" "cher.example", "xn--bcher-kva.example"},
      {"www.b\xc3\xbc" "cher.de", "www.xn--bcher-kva.de"},
      /* No case folding, in either kind of label. */
      {"B\xc3\x9c" "CHER.Example", "xn--BCHER-2pa.Example"},
      {"\xe4\xbe\x8b\xe3\x81\x88.\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88",
       "xn--r8jz45g.xn--zckzah"},
      /* The ideographic full stops separate labels. */
      {"a\xe3\x80\x82" "b\xef\xbc\x8e" "c\xef\xbd\xa1" "d", "a.b.c.d"},
      {"\xc3\xa9\xe3\x80\x82", "xn--9ca."},
      {"-\xc3\xa9-", "xn-----bja"},
      {"\xf0\x9f\x98\x80", "xn--e28h"},
      {"\xf4\x8f\xbf\xbf", "xn--dn32g"}, /* U+10FFFF */
      /* ASCII labels pass as they are, empty ones too. */
      {"a..b.", "a..b."},
      {"xn--9ca", "xn--9ca"},
      /* RFC 3492, section 7.1: (A), (B), (L), (M). */
      {"\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648"
       "\u0634\u0639\u0631\u0628\u064A\u061F",
       "xn--egbpdaj6bu4bxfgehfvwxn"},
      {"\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587",
       "xn--ihqwcrb4cv8a8dqg056pqjye"},
      {"3\u5E74B\u7D44\u91D1\u516B\u5148\u751F", "xn--3B-ww4c5e180e575a65lsy2b"},
      {"\u5B89\u5BA4\u5948\u7F8E\u6075-with-SUPER-MONKEYS",
       "xn---with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"},
  };
  static const char* const invalid[] = {
      "\xff\xfe",             /* not UTF-8 at all */
      "a\xc3",                /* cut short */
      "\x80" "abc",           /* a stray continuation byte */
      "\xc0\x80" "x",         /* overlong NUL */
      "\xe0\x80\x80",         /* overlong, 3 bytes */
      "\xf0\x80\x80\x80",     /* overlong, 4 bytes */
      "\xed\xa0\x80.example", /* a surrogate */
      "\xf4\x90\x80\x80",     /* past U+10FFFF */
      "\xf8\x88\x80\x80\x80", /* 5 bytes */
  };
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  size_t i;
  (void)state;
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < ARRAY_LEN(cases); i++) {
    assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, cases[i].in, NULL, NULL),
                     UV_EAI_NONAME);
    assert_string_equal(spy.node, cases[i].out);
  }
  spy_reset();
  for (i = 0; i < ARRAY_LEN(invalid); i++)
    assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, invalid[i], NULL, NULL), UV_EINVAL);
  assert_int_equal(spy_gai_calls(), 0);
  loop_close_clean(&loop);
}

/* libuv's decoder lets these malformed sequences through (a 3-byte
 * sequence cut short by the end, a lead byte past F4, a lead byte followed
 * by another lead byte) and looks up whatever it made of them; eddy
 * refuses every name that is not UTF-8. */
static void eddy_getaddrinfo_idna_strict_utf8(void** state) {
  static const char* const invalid[] = {
      "\x10\xef\x81", "Z\xec\xb1", "\xf5\xb2", "\xf0\xe7\xdf\x95", "ok.\xe7\xab",
  };
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  size_t i;
  (void)state;
  EDDY_ONLY();
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < ARRAY_LEN(invalid); i++)
    assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, invalid[i], NULL, NULL), UV_EINVAL);
  assert_int_equal(spy_gai_calls(), 0);
  loop_close_clean(&loop);
}

/* Each EAI_* code of getaddrinfo(3) reaches the caller as its UV_EAI_*
 * code, EAI_SYSTEM as the errno it left. */
static void getaddrinfo_errors_translated(void** state) {
  static const struct {
    int eai;
    int uv;
  } map[] = {
      {EAI_AGAIN, UV_EAI_AGAIN},       {EAI_BADFLAGS, UV_EAI_BADFLAGS},
      {EAI_FAIL, UV_EAI_FAIL},         {EAI_FAMILY, UV_EAI_FAMILY},
      {EAI_MEMORY, UV_EAI_MEMORY},     {EAI_NONAME, UV_EAI_NONAME},
      {EAI_OVERFLOW, UV_EAI_OVERFLOW}, {EAI_SERVICE, UV_EAI_SERVICE},
      {EAI_SOCKTYPE, UV_EAI_SOCKTYPE},
  /* glibc's, visible with _GNU_SOURCE */
#ifdef EAI_ADDRFAMILY
      {EAI_ADDRFAMILY, UV_EAI_ADDRFAMILY},
#endif
#ifdef EAI_NODATA
      {EAI_NODATA, UV_EAI_NODATA},
#endif
#ifdef EAI_CANCELED
      {EAI_CANCELED, UV_EAI_CANCELED},
#endif
  };
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  size_t i;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < ARRAY_LEN(map); i++) {
    spy_fake(map[i].eai, 0);
    assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost", NULL, NULL), map[i].uv);
    assert_null(req.addrinfo);
  }
  spy_fake(EAI_SYSTEM, EMFILE);
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost", NULL, NULL), UV_EMFILE);
  /* The same on a worker thread. */
  spy_fake(EAI_SYSTEM, ENFILE);
  assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, "localhost", NULL, NULL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, UV_ENFILE);
  spy_reset();
  loop_close_clean(&loop);
}

/* libuv aborts on an EAI_* code it does not know (glibc's EAI_INTR, ...)
 * and on EAI_SYSTEM without an errno (it would report success); eddy
 * reports UV_EAI_FAIL. */
static void eddy_getaddrinfo_unknown_error(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  (void)state;
  EDDY_ONLY();
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  spy_fake(-104 /* glibc's EAI_INTR */, 0);
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost", NULL, NULL), UV_EAI_FAIL);
  spy_fake(EAI_SYSTEM, 0);
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, "localhost", NULL, NULL), UV_EAI_FAIL);
  spy_reset();
  loop_close_clean(&loop);
}

/* Requests that no worker has started are cancelled: their callbacks run
 * with UV_EAI_CANCELED (libuv's code, though its documentation says
 * UV_ECANCELED) and no result. */
static void dns_cancel_queued(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t gai;
  uv_getnameinfo_t gni;
  struct sockaddr_in addr;
  struct {
    int gai_calls, gai_status, gni_calls, gni_status;
  } seen;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);
  pool_block(&loop);

  assert_int_equal(uv_getaddrinfo(&loop, &gai, gai_cb, "localhost", NULL, NULL), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&gai), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, UV_EAI_CANCELED);
  assert_true(cb.on_loop_thread);
  seen.gai_calls = cb.calls;
  seen.gai_status = cb.status;

  cb_reset();
  assert_int_equal(uv_getnameinfo(&loop, &gni, gni_cb, (struct sockaddr*)&addr, 0), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&gni), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  seen.gni_calls = cb.calls;
  seen.gni_status = cb.status;
  assert_true(cb.host_null);
  assert_true(cb.service_null);

  pool_release();
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  pool_block_done();
  assert_int_equal(seen.gai_calls, 1);
  assert_int_equal(seen.gai_status, UV_EAI_CANCELED);
  assert_int_equal(seen.gni_calls, 1);
  assert_int_equal(seen.gni_status, UV_EAI_CANCELED);
  assert_int_equal(cb.calls, 1); /* once each, not again after the release */
  /* Neither lookup ran. */
  assert_int_equal(spy.gai_calls, 0);
  assert_int_equal(spy.gni_calls, 0);
  loop_close_clean(&loop);
}

/* A request whose work has finished cannot be cancelled any more. */
static void dns_cancel_finished(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t gai;
  uv_getnameinfo_t gni;
  struct sockaddr_in addr;
  (void)state;
  spy_reset();
  cb_reset();
  cb.cancel_in_cb = 1;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);
  assert_int_equal(uv_getaddrinfo(&loop, &gai, gai_cb, "localhost", NULL, NULL), 0);
  assert_int_equal(uv_getnameinfo(&loop, &gni, gni_cb, (struct sockaddr*)&addr, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 2);
  assert_int_equal(cb.status, 0);
  loop_close_clean(&loop);
}

static void eddy_dns_cancel_synchronous(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t gai;
  uv_getnameinfo_t gni;
  struct sockaddr_in addr;
  (void)state;
  EDDY_ONLY();
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);
  memset(&gai, 0x01, sizeof(gai)); /* whatever the memory held before */
  memset(&gni, 0x01, sizeof(gni));
  assert_int_equal(uv_getaddrinfo(&loop, &gai, NULL, "localhost", NULL, NULL), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&gai), UV_EBUSY);
  uv_freeaddrinfo(gai.addrinfo);
  assert_int_equal(uv_getnameinfo(&loop, &gni, NULL, (struct sockaddr*)&addr, 0), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&gni), UV_EBUSY);
  loop_close_clean(&loop);
}

static void freeaddrinfo_null(void** state) {
  (void)state;
  uv_freeaddrinfo(NULL);
}

/* ---- uv_getnameinfo ------------------------------------------------------------ */

static void getnameinfo_localhost(void** state) {
  uv_loop_t loop;
  uv_getnameinfo_t req;
  struct sockaddr_in addr;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);

  memset(&req, 0xA5, sizeof(req));
  assert_int_equal(uv_getnameinfo(&loop, &req, NULL, (struct sockaddr*)&addr, 0), 0);
  assert_int_equal(req.type, UV_GETNAMEINFO);
  assert_ptr_equal(req.loop, &loop);
  assert_string_equal(req.host, "localhost");
  assert_string_equal(req.service, http_service_name());
  assert_int_equal(spy.addrlen, sizeof(struct sockaddr_in));
  assert_int_equal(uv_loop_alive(&loop), 0);

  memset(&req, 0, sizeof(req));
  assert_int_equal(uv_getnameinfo(&loop, &req, gni_cb, (struct sockaddr*)&addr, 0), 0);
  /* The address is copied: the caller's may go away. */
  memset(&addr, 0, sizeof(addr));
  assert_int_equal(uv_loop_alive(&loop), 1);
  assert_int_equal(cb.calls, 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, 0);
  assert_true(cb.on_loop_thread);
  assert_true(cb.host_is_req_host);
  assert_string_equal(cb.host, "localhost");
  assert_string_equal(cb.service, http_service_name());
  loop_close_clean(&loop);
}

static void getnameinfo_numeric(void** state) {
  uv_loop_t loop;
  uv_getnameinfo_t req;
  struct sockaddr_in addr;
  struct sockaddr_in6 addr6;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);
  assert_int_equal(uv_getnameinfo(&loop, &req, NULL, (struct sockaddr*)&addr,
                                  NI_NUMERICHOST | NI_NUMERICSERV),
                   0);
  assert_string_equal(req.host, "127.0.0.1");
  assert_string_equal(req.service, "80");

  assert_int_equal(uv_ip6_addr("::1", 8443, &addr6), 0);
  assert_int_equal(uv_getnameinfo(&loop, &req, gni_cb, (struct sockaddr*)&addr6,
                                  NI_NUMERICHOST | NI_NUMERICSERV),
                   0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, 0);
  assert_string_equal(cb.host, "::1");
  assert_string_equal(cb.service, "8443");
  assert_int_equal(spy.addrlen, sizeof(struct sockaddr_in6));
  loop_close_clean(&loop);
}

static void getnameinfo_bad_arguments(void** state) {
  uv_loop_t loop;
  uv_getnameinfo_t req;
  struct sockaddr_storage ss;
  struct sockaddr_in addr;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(&ss, 0, sizeof(ss));
  ss.ss_family = AF_UNIX;
  assert_int_equal(uv_getnameinfo(&loop, &req, NULL, (struct sockaddr*)&ss, 0), UV_EINVAL);
  assert_int_equal(uv_getnameinfo(&loop, &req, gni_cb, (struct sockaddr*)&ss, 0), UV_EINVAL);
  ss.ss_family = AF_UNSPEC;
  assert_int_equal(uv_getnameinfo(&loop, &req, gni_cb, (struct sockaddr*)&ss, 0), UV_EINVAL);
  assert_int_equal(uv_getnameinfo(&loop, &req, gni_cb, NULL, 0), UV_EINVAL);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);
  assert_int_equal(uv_getnameinfo(&loop, NULL, gni_cb, (struct sockaddr*)&addr, 0), UV_EINVAL);
  assert_int_equal(spy.gni_calls, 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 0);
  loop_close_clean(&loop);
}

static void eddy_getnameinfo_null_loop(void** state) {
  uv_getnameinfo_t req;
  struct sockaddr_in addr;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);
  assert_int_equal(uv_getnameinfo(NULL, &req, NULL, (struct sockaddr*)&addr, 0), UV_EINVAL);
  assert_int_equal(uv_getnameinfo(NULL, &req, gni_cb, (struct sockaddr*)&addr, 0), UV_EINVAL);
}

/* A failed lookup: the code, and no names for the callback. */
static void getnameinfo_errors(void** state) {
  uv_loop_t loop;
  uv_getnameinfo_t req;
  struct sockaddr_in addr;
  (void)state;
  spy_reset();
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);
  /* getnameinfo(3) refuses these flags together. */
  assert_int_equal(uv_getnameinfo(&loop, &req, NULL, (struct sockaddr*)&addr,
                                  NI_NAMEREQD | NI_NUMERICHOST),
                   UV_EAI_NONAME);
  spy_fake(EAI_AGAIN, 0);
  assert_int_equal(uv_getnameinfo(&loop, &req, gni_cb, (struct sockaddr*)&addr, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cb.calls, 1);
  assert_int_equal(cb.status, UV_EAI_AGAIN);
  assert_true(cb.host_null);
  assert_true(cb.service_null);
  spy_fake(EAI_SYSTEM, EMFILE);
  assert_int_equal(uv_getnameinfo(&loop, &req, NULL, (struct sockaddr*)&addr, 0), UV_EMFILE);
  spy_reset();
  loop_close_clean(&loop);
}

/* ---- allocation failures ----------------------------------------------------- */

/* Fails each allocation call of one request's life in turn (from the call
 * on, the loop being set up first): the call reports UV_ENOMEM or
 * succeeds, and nothing leaks either way. */
static void alloc_failures(int kind) {
  uv_loop_t loop;
  uv_getaddrinfo_t gai;
  uv_getnameinfo_t gni;
  struct sockaddr_in addr;
  long n;
  int r;

  assert_int_equal(uv_ip4_addr("127.0.0.1", 80, &addr), 0);
  for (n = 1; n < 100; n++) {
    cb_reset();
    test_alloc_install(0);
    assert_int_equal(uv_loop_init(&loop), 0);
    test_alloc.fail_at = test_alloc.calls + n;
    switch (kind) {
      case 0:
        r = uv_getaddrinfo(&loop, &gai, gai_cb, "localhost", "80", NULL);
        break;
      case 1:
        r = uv_getaddrinfo(&loop, &gai, NULL, "localhost", "80", NULL);
        if (r == 0) {
          assert_true(has_ipv4_loopback(gai.addrinfo));
          uv_freeaddrinfo(gai.addrinfo);
        }
        break;
      default:
        r = uv_getnameinfo(&loop, &gni, gni_cb, (struct sockaddr*)&addr, 0);
        break;
    }
    if (r == 0) {
      assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
      assert_int_equal(cb.calls, kind == 1 ? 0 : 1);
      assert_int_equal(cb.status, 0);
    } else {
      assert_int_equal(r, UV_ENOMEM);
      assert_int_equal(test_alloc.failures, 1);
      assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
      assert_int_equal(cb.calls, 0);
    }
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_restore();
    if (test_alloc.failures == 0) break; /* past the last allocation */
  }
  assert_true(n < 100);
}

static void warm_up_pool(void) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  /* The pool's own allocations (made once per process) must not count. */
  cb_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, "localhost", NULL, NULL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  loop_close_clean(&loop);
}

static void getaddrinfo_alloc_failures(void** state) {
  (void)state;
  spy_reset();
  warm_up_pool();
  alloc_failures(0);
  alloc_failures(1);
}

static void getnameinfo_alloc_failures(void** state) {
  (void)state;
  spy_reset();
  warm_up_pool();
  alloc_failures(2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(getaddrinfo_localhost_sync),
      cmocka_unit_test(getaddrinfo_localhost_async),
      cmocka_unit_test(getaddrinfo_reuse_in_callback),
      cmocka_unit_test(getaddrinfo_numeric_hosts),
      cmocka_unit_test(getaddrinfo_hints_copied),
      cmocka_unit_test(getaddrinfo_service),
      cmocka_unit_test(getaddrinfo_bad_hints),
      cmocka_unit_test(getaddrinfo_unresolvable),
      cmocka_unit_test(getaddrinfo_bad_arguments),
      cmocka_unit_test(getaddrinfo_null_loop),
      cmocka_unit_test(getaddrinfo_too_long),
      cmocka_unit_test(getaddrinfo_idna),
      cmocka_unit_test(eddy_getaddrinfo_idna_strict_utf8),
      cmocka_unit_test(getaddrinfo_errors_translated),
      cmocka_unit_test(eddy_getaddrinfo_unknown_error),
      cmocka_unit_test(dns_cancel_queued),
      cmocka_unit_test(dns_cancel_finished),
      cmocka_unit_test(eddy_dns_cancel_synchronous),
      cmocka_unit_test(freeaddrinfo_null),
      cmocka_unit_test(getnameinfo_localhost),
      cmocka_unit_test(getnameinfo_numeric),
      cmocka_unit_test(getnameinfo_bad_arguments),
      cmocka_unit_test(eddy_getnameinfo_null_loop),
      cmocka_unit_test(getnameinfo_errors),
      cmocka_unit_test(getaddrinfo_alloc_failures),
      cmocka_unit_test(getnameinfo_alloc_failures),
  };
  /* Before the pool starts: the cancellation tests occupy every worker. */
  setenv("UV_THREADPOOL_SIZE", "4", 1);
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
