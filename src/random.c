/* eddy — uv_random: cryptographically strong bytes from the system's
 * CSPRNG, on the caller's thread without a callback, else on the thread
 * pool's CPU class.
 *
 * The source is getrandom(2) with no flags, as libuv: it blocks only until
 * the kernel's pool has been seeded once (early boot), and never returns
 * weak bytes.  GRND_NONBLOCK would instead fail with EAGAIN then, and
 * falling back to /dev/urandom on that would hand out exactly the bytes
 * getrandom refused to.  Only when the kernel has no getrandom (ENOSYS:
 * before Linux 3.17, or a sandbox filtering it out) does eddy read
 * /dev/urandom, after reading one byte of /dev/random once, which blocks
 * likewise until the pool is seeded: the sources and order libuv documents.
 * Nothing is ever cut short: the whole buffer is filled or an error is
 * returned. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

/* libuv's bound: lengths that do not fit a signed 32-bit int are refused
 * (UV_E2BIG), whatever the platform's own limit. */
#define RANDOM_MAX 0x7FFFFFFFu

/* ---- /dev/urandom -------------------------------------------------------- */

/* Fills buf from the character device at path: all of it, or an error. */
static int read_device(const char* path, char* buf, size_t len) {
  struct stat st;
  size_t pos = 0;
  ssize_t n;
  int fd;
  int err = 0;

  do {
    fd = open(path, O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return -errno;

  /* A regular file or a FIFO planted at the path is no source of entropy. */
  if (fstat(fd, &st) != 0) {
    err = -errno;
  } else if (!S_ISCHR(st.st_mode)) {
    err = UV_EIO;
  }
  while (err == 0 && pos < len) {
    n = read(fd, buf + pos, len - pos);
    if (n < 0) {
      if (errno != EINTR) err = -errno;
    } else if (n == 0) {
      err = UV_EIO;
    } else {
      pos += (size_t)n;
    }
  }
  uv__close(fd);
  return err;
}

static pthread_once_t seeded_once = PTHREAD_ONCE_INIT;
static int seeded_status;

/* /dev/random becomes readable once the pool is seeded; from then on
 * /dev/urandom is as good as getrandom. */
static void wait_seeded(void) {
  char c;
  seeded_status = read_device("/dev/random", &c, 1);
}

static int from_urandom(char* buf, size_t len) {
  pthread_once(&seeded_once, wait_seeded);
  if (seeded_status != 0) return seeded_status;
  return read_device("/dev/urandom", buf, len);
}

/* ---- getrandom(2) ---------------------------------------------------------- */

/* Set once getrandom has answered ENOSYS: later calls go straight to the
 * fallback. */
static int getrandom_missing;

/* Fills buf with getrandom; UV_ENOSYS when the kernel lacks it. */
static int from_getrandom(char* buf, size_t len) {
#if defined(__linux__) && defined(SYS_getrandom)
  size_t pos = 0;
  long n;

  while (pos < len) {
    /* Reads of more than 256 bytes may be cut short by a signal: the loop
     * carries on from where the kernel stopped. */
    n = syscall(SYS_getrandom, buf + pos, len - pos, 0u);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (n == 0) return UV_EIO;
    pos += (size_t)n;
  }
  return 0;
#else
  (void)buf;
  (void)len;
  return UV_ENOSYS;
#endif
}

static int random_fill(void* buf, size_t len) {
  int err;

  if (len == 0) return 0;
  if (!__atomic_load_n(&getrandom_missing, __ATOMIC_RELAXED)) {
    err = from_getrandom(buf, len);
    if (err != UV_ENOSYS) return err;
    __atomic_store_n(&getrandom_missing, 1, __ATOMIC_RELAXED);
  }
  return from_urandom(buf, len);
}

/* ---- the request ------------------------------------------------------------- */

/* On a worker. */
void uv__random_work(struct uv__work* w) {
  uv_random_t* req = container_of(w, uv_random_t, work_req);
  req->status = random_fill(req->buf, req->buflen);
}

/* On the loop thread, once the work ran or was cancelled. */
void uv__random_done(struct uv__work* w) {
  uv_random_t* req = container_of(w, uv_random_t, work_req);

  uv__req_unregister(req->loop);
  req->cb(req, w->status != 0 ? w->status : req->status, req->buf,
          req->buflen);
}

UV__EXPORT int uv_random(uv_loop_t* loop, uv_random_t* req, void* buf,
                         size_t buflen, unsigned flags, uv_random_cb cb) {
  int err;

  /* libuv's order: the length first, then the flags. */
  if (buflen > RANDOM_MAX) return UV_E2BIG;
  if (flags != 0) return UV_EINVAL;
  if (buf == NULL && buflen > 0) return UV_EINVAL;
  /* Without a callback neither the loop nor the request is used. */
  if (cb == NULL) return random_fill(buf, buflen);
  if (loop == NULL || req == NULL || loop->backend_fd < 0) return UV_EINVAL;

  req->type = UV_RANDOM;
  req->loop = loop;
  req->cb = cb;
  req->buf = buf;
  req->buflen = buflen;
  req->status = 0;
  err = uv__work_submit(loop, &req->work_req, UV__WORK_RANDOM, UV__WORK_CPU);
  if (err != 0) return err;
  uv__req_register(loop);
  return 0;
}
