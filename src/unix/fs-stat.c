/* eddy — file status for uv_fs_stat, uv_fs_lstat and uv_fs_fstat, and
 * file-system status for uv_fs_statfs.
 *
 * statx gives the birth time where the file system keeps one; without it
 * (old kernels, seccomp filters that refuse it) the stat family fills the
 * same uv_stat_t with the change time as birth time, as libuv does.  Once
 * statx has been refused it is not tried again. */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

static int no_statx; /* atomic */

int uv__fs_statx_refusal(int err) {
  switch (err) {
    case UV_ENOSYS:     /* the kernel has none */
    case UV_EPERM:      /* a seccomp filter refuses it */
    case UV_ENOTSUP:    /* some network file systems */
    case UV_EINVAL:     /* flags this kernel does not know */
      return 1;
    default:
      return 0;
  }
}

int uv__fs_statx_refused(void) {
  return __atomic_load_n(&no_statx, __ATOMIC_RELAXED);
}

#ifdef STATX_BASIC_STATS
void uv__fs_statx_fill(const struct statx* sxp, uv_stat_t* st) {
  st->st_dev = makedev(sxp->stx_dev_major, sxp->stx_dev_minor);
  st->st_mode = sxp->stx_mode;
  st->st_nlink = sxp->stx_nlink;
  st->st_uid = sxp->stx_uid;
  st->st_gid = sxp->stx_gid;
  st->st_rdev = makedev(sxp->stx_rdev_major, sxp->stx_rdev_minor);
  st->st_ino = sxp->stx_ino;
  st->st_size = sxp->stx_size;
  st->st_blksize = sxp->stx_blksize;
  st->st_blocks = sxp->stx_blocks;
  st->st_flags = 0;
  st->st_gen = 0;
  st->st_atim.tv_sec = sxp->stx_atime.tv_sec;
  st->st_atim.tv_nsec = sxp->stx_atime.tv_nsec;
  st->st_mtim.tv_sec = sxp->stx_mtime.tv_sec;
  st->st_mtim.tv_nsec = sxp->stx_mtime.tv_nsec;
  st->st_ctim.tv_sec = sxp->stx_ctime.tv_sec;
  st->st_ctim.tv_nsec = sxp->stx_ctime.tv_nsec;
  if (sxp->stx_mask & STATX_BTIME) {
    st->st_birthtim.tv_sec = sxp->stx_btime.tv_sec;
    st->st_birthtim.tv_nsec = sxp->stx_btime.tv_nsec;
  } else { /* this file system keeps none */
    st->st_birthtim.tv_sec = 0;
    st->st_birthtim.tv_nsec = 0;
  }
}

/* 0, a UV_E* code, or UV_ENOSYS when statx is not to be had. */
static int try_statx(enum uv__fs_stat_kind kind, int fd, const char* path,
                     uv_stat_t* st) {
  struct statx sx;
  int dirfd = AT_FDCWD;
  int flags = AT_STATX_SYNC_AS_STAT;
  int r;

  if (__atomic_load_n(&no_statx, __ATOMIC_RELAXED)) return UV_ENOSYS;
  if (kind == UV__FS_FSTAT) {
    dirfd = fd;
    path = "";
    flags |= AT_EMPTY_PATH;
  } else if (kind == UV__FS_LSTAT) {
    flags |= AT_SYMLINK_NOFOLLOW;
  }

  do r = statx(dirfd, path, flags, STATX_BASIC_STATS | STATX_BTIME, &sx);
  while (r == -1 && errno == EINTR);
  if (r != 0) {
    if (uv__fs_statx_refusal(-errno)) {
      __atomic_store_n(&no_statx, 1, __ATOMIC_RELAXED);
      return UV_ENOSYS;
    }
    return -errno;
  }

  uv__fs_statx_fill(&sx, st);
  return 0;
}
#else
static int try_statx(enum uv__fs_stat_kind kind, int fd, const char* path,
                     uv_stat_t* st) {
  (void)kind;
  (void)fd;
  (void)path;
  (void)st;
  (void)no_statx;
  return UV_ENOSYS;
}
#endif

int uv__fs_stat(enum uv__fs_stat_kind kind, int fd, const char* path,
                uv_stat_t* st) {
  struct stat s;
  int r;

  r = try_statx(kind, fd, path, st);
  if (r != UV_ENOSYS) return r;

  do {
    switch (kind) {
      case UV__FS_FSTAT:
        r = fstat(fd, &s);
        break;
      case UV__FS_LSTAT:
        r = lstat(path, &s);
        break;
      default:
        r = stat(path, &s);
        break;
    }
  } while (r == -1 && errno == EINTR);
  if (r != 0) return -errno;

  st->st_dev = s.st_dev;
  st->st_mode = s.st_mode;
  st->st_nlink = s.st_nlink;
  st->st_uid = s.st_uid;
  st->st_gid = s.st_gid;
  st->st_rdev = s.st_rdev;
  st->st_ino = s.st_ino;
  st->st_size = (uint64_t)s.st_size;
  st->st_blksize = (uint64_t)s.st_blksize;
  st->st_blocks = (uint64_t)s.st_blocks;
  st->st_flags = 0;
  st->st_gen = 0;
  st->st_atim.tv_sec = s.st_atim.tv_sec;
  st->st_atim.tv_nsec = s.st_atim.tv_nsec;
  st->st_mtim.tv_sec = s.st_mtim.tv_sec;
  st->st_mtim.tv_nsec = s.st_mtim.tv_nsec;
  st->st_ctim.tv_sec = s.st_ctim.tv_sec;
  st->st_ctim.tv_nsec = s.st_ctim.tv_nsec;
  st->st_birthtim = st->st_ctim; /* stat(2) has no birth time */
  return 0;
}

int uv__fs_statfs(const char* path, void** out) {
  struct statfs s;
  uv_statfs_t* p;
  int r;

  do r = statfs(path, &s);
  while (r == -1 && errno == EINTR);
  if (r != 0) return -errno;

  p = uv__calloc(1, sizeof(*p)); /* f_spare stays zero */
  if (p == NULL) return UV_ENOMEM;
  p->f_type = (uint64_t)s.f_type;
  p->f_bsize = (uint64_t)s.f_bsize;
  p->f_blocks = s.f_blocks;
  p->f_bfree = s.f_bfree;
  p->f_bavail = s.f_bavail;
  p->f_files = s.f_files;
  p->f_ffree = s.f_ffree;
  p->f_frsize = (uint64_t)s.f_frsize;
  *out = p;
  return 0;
}
