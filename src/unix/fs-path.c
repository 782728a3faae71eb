/* eddy — the calls whose result is a path: uv_fs_readlink,
 * uv_fs_realpath, uv_fs_mkdtemp and uv_fs_mkstemp.
 *
 * readlink's buffer grows until the whole target fits: a link is never
 * cut short, whatever its length.  Results come from uv__malloc, so that
 * uv_fs_req_cleanup frees them with the allocator that made them. */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int uv__fs_readlink(const char* path, void** out) {
  size_t size = 256; /* most targets fit at once */
  char* buf = NULL;
  char* bigger;
  ssize_t n;
  int err;

  for (;;) {
    bigger = uv__realloc(buf, size);
    if (bigger == NULL) {
      uv__free(buf);
      return UV_ENOMEM;
    }
    buf = bigger;
    do n = readlink(path, buf, size);
    while (n == -1 && errno == EINTR);
    if (n == -1) {
      err = -errno;
      uv__free(buf);
      return err;
    }
    if ((size_t)n < size) break; /* it fit, with room for the NUL */
    if (size > SSIZE_MAX / 2) {
      uv__free(buf);
      return UV_ENAMETOOLONG;
    }
    size *= 2;
  }
  buf[n] = '\0';
  *out = buf;
  return 0;
}

/* realpath(3) never writes more than PATH_MAX bytes into the buffer it is
 * given, and refuses a longer result with ENAMETOOLONG. */
int uv__fs_realpath(const char* path, void** out) {
  char* buf = uv__malloc(PATH_MAX);
  int err;

  if (buf == NULL) return UV_ENOMEM;
  if (realpath(path, buf) == NULL) {
    err = -errno;
    uv__free(buf);
    return err;
  }
  *out = buf;
  return 0;
}

int uv__fs_mkdtemp(char* tpl) { return mkdtemp(tpl) != NULL ? 0 : -errno; }

/* As libuv: the template must end in XXXXXX, and on failure the request's
 * path becomes "" rather than a name that was never created. */
int uv__fs_mkstemp(char* tpl) {
  size_t len = strlen(tpl);
  int fd;
  int err;

  if (len < 6 || memcmp(tpl + len - 6, "XXXXXX", 6) != 0) {
    tpl[0] = '\0';
    return UV_EINVAL;
  }
  fd = mkostemp(tpl, O_CLOEXEC);
  if (fd == -1) {
    err = -errno;
    tpl[0] = '\0';
    return err;
  }
  return fd;
}
