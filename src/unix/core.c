/* eddy — small Unix helpers the rest of the library shares: the loop's
 * clock and descriptor flags. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Linux always releases the descriptor, even when close() reports EINTR,
 * so retrying could close someone else's. */
int uv__close(int fd) {
  int saved = errno;
  int r = close(fd);
  if (r != 0) {
    r = errno == EINTR || errno == EINPROGRESS ? 0 : -errno;
  }
  errno = saved;
  return r;
}

int uv__cloexec(int fd, int set) {
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0) return -errno;
  flags = set ? (flags | FD_CLOEXEC) : (flags & ~FD_CLOEXEC);
  return fcntl(fd, F_SETFD, flags) < 0 ? -errno : 0;
}

/* One ioctl rather than fcntl's read-modify-write pair: FIONBIO sets or
 * clears O_NONBLOCK on any descriptor. */
int uv__nonblock(int fd, int set) {
  int on = set != 0;
  int r;

  do
    r = ioctl(fd, FIONBIO, &on);
  while (r != 0 && errno == EINTR);
  return r != 0 ? -errno : 0;
}

int uv__env_setting(int* cache, const char* name, int (*parse)(const char*)) {
  int v = __atomic_load_n(cache, __ATOMIC_RELAXED);

  if (v == 0) {
    /* Two first calls may both parse; they store the same answer. */
    v = parse(getenv(name));
    __atomic_store_n(cache, v, __ATOMIC_RELAXED);
  }
  return v;
}
