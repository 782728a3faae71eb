/* eddy — moving file data: uv_fs_read and uv_fs_write over any number of
 * buffers, uv_fs_sendfile, and uv_fs_copyfile.
 *
 * A write is carried on until every byte is written or an error stops it
 * (then the bytes written so far are the result), as libuv does.  A read
 * is one system call, as in libuv: over the first IOV_MAX buffers when
 * there are more, and what it returns is the result (programs that read
 * a file through many buffers see libuv's counts). */
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <unistd.h>

/* uv_buf_t is laid out as struct iovec on Unix (uv/unix.h), so a run of
 * buffers goes to readv/writev as is. */
_Static_assert(sizeof(uv_buf_t) == sizeof(struct iovec) &&
                   offsetof(uv_buf_t, base) ==
                       offsetof(struct iovec, iov_base) &&
                   offsetof(uv_buf_t, len) == offsetof(struct iovec, iov_len),
               "uv_buf_t must match struct iovec");

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

/* Where a transfer over an array of buffers stands. */
struct cursor {
  const uv_buf_t* bufs;
  unsigned int nbufs;
  unsigned int i; /* the first buffer not done */
  size_t part;    /* bytes of bufs[i] already done */
};

/* The vector for the next system call: the rest of a partly done buffer
 * alone, else up to IOV_MAX whole buffers.  Returns their count and sets
 * *want to their total length. */
static int cursor_next(const struct cursor* c, struct iovec* one,
                       const struct iovec** iov, size_t* want) {
  unsigned int n;
  unsigned int k;
  size_t sum;

  if (c->part > 0) {
    one->iov_base = c->bufs[c->i].base + c->part;
    one->iov_len = c->bufs[c->i].len - c->part;
    *iov = one;
    *want = one->iov_len;
    return 1;
  }
  n = c->nbufs - c->i;
  if (n > IOV_MAX) n = IOV_MAX;
  sum = 0;
  for (k = 0; k < n; k++) {
    size_t len = c->bufs[c->i + k].len;
    sum = len > SIZE_MAX - sum ? SIZE_MAX : sum + len;
  }
  *iov = (const struct iovec*)(c->bufs + c->i);
  *want = sum;
  return (int)n;
}

/* Moves past n bytes (and past empty buffers). */
static void cursor_advance(struct cursor* c, size_t n) {
  while (c->i < c->nbufs) {
    size_t left = c->bufs[c->i].len - c->part;
    if (n < left) {
      c->part += n;
      return;
    }
    n -= left;
    c->i++;
    c->part = 0;
  }
}

/* One read or write at off (the file position when off < 0), retried
 * while a signal interrupts it. */
static ssize_t transfer(int fd, const struct iovec* iov, int n, int64_t off,
                        int writing) {
  ssize_t r;
  do {
    if (off < 0) {
      if (n == 1)
        r = writing ? write(fd, iov->iov_base, iov->iov_len)
                    : read(fd, iov->iov_base, iov->iov_len);
      else
        r = writing ? writev(fd, iov, n) : readv(fd, iov, n);
    } else {
      if (n == 1)
        r = writing ? pwrite(fd, iov->iov_base, iov->iov_len, (off_t)off)
                    : pread(fd, iov->iov_base, iov->iov_len, (off_t)off);
      else
        r = writing ? pwritev(fd, iov, n, (off_t)off)
                    : preadv(fd, iov, n, (off_t)off);
    }
  } while (r == -1 && errno == EINTR);
  return r == -1 ? -errno : r;
}

ssize_t uv__fs_read(int fd, const uv_buf_t* bufs, unsigned int nbufs,
                    int64_t off) {
  struct cursor c = {bufs, nbufs, 0, 0};
  struct iovec one;
  const struct iovec* iov;
  size_t want;
  int n;

  n = cursor_next(&c, &one, &iov, &want);
  return transfer(fd, iov, n, off, 0);
}

ssize_t uv__fs_write(int fd, const uv_buf_t* bufs, unsigned int nbufs,
                     int64_t off) {
  struct cursor c = {bufs, nbufs, 0, 0};
  struct iovec one;
  const struct iovec* iov;
  size_t total = 0;
  size_t want;
  ssize_t r;
  int n;

  for (;;) {
    n = cursor_next(&c, &one, &iov, &want);
    r = transfer(fd, iov, n, off < 0 ? -1 : off + (int64_t)total, 1);
    if (r < 0) return total > 0 ? (ssize_t)total : r;
    total += (size_t)r;
    cursor_advance(&c, (size_t)r);
    if (c.i == c.nbufs) break;
    if (r == 0 && want > 0) break; /* no progress: do not spin */
  }
  return (ssize_t)total;
}

/* ---- sendfile ------------------------------------------------------------ */

/* copy_file_range errors that another method may not have: no support
 * (old kernel, another file system, a seccomp filter), not two regular
 * files, an O_APPEND destination (EBADF), a pipe given an offset. */
static int try_sendfile_after(int err) {
  switch (err) {
    case ENOSYS:
    case EXDEV:
    case EINVAL:
    case EOPNOTSUPP:
    case EPERM:
    case EACCES:
    case EBADF:
    case ETXTBSY:
    case EOVERFLOW:
    case EIO:
    case ESPIPE:
      return 1;
    default:
      return 0;
  }
}

/* sendfile errors that reading and writing can get past: the descriptors'
 * kinds (a pipe as the source, an O_APPEND destination, ...). */
static int try_copy_after(int err) {
  switch (err) {
    case ENOSYS:
    case EINVAL:
    case EIO:
    case ENOTSOCK:
    case EXDEV:
    case EOPNOTSUPP:
    case ESPIPE: /* a pipe as the source, with an offset */
      return 1;
    default:
      return 0;
  }
}

/* Writes all of buf, waiting for a non-blocking destination to drain. */
static ssize_t write_fully(int fd, const char* buf, size_t len) {
  size_t done = 0;
  ssize_t r;
  struct pollfd pfd;

  while (done < len) {
    r = write(fd, buf + done, len - done);
    if (r >= 0) {
      if (r == 0) break;
      done += (size_t)r;
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return done > 0 ? (ssize_t)done : -errno;
    pfd.fd = fd;
    pfd.events = POLLOUT;
    pfd.revents = 0;
    if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
      return done > 0 ? (ssize_t)done : -errno;
  }
  return (ssize_t)done;
}

/* The plain way: read a chunk, write it, until len bytes or the end of the
 * source. */
static ssize_t copy_by_reading(int out_fd, int in_fd, int64_t in_off,
                               size_t len) {
  char small[4096];
  char* buf;
  size_t size = 64 * 1024;
  size_t total = 0;
  int positioned = in_off >= 0;
  ssize_t err = 0;
  ssize_t n;
  ssize_t w;

  buf = uv__malloc(size);
  if (buf == NULL) { /* slower, but no reason to fail */
    buf = small;
    size = sizeof(small);
  }
  while (total < len) {
    size_t chunk = len - total < size ? len - total : size;
    if (positioned)
      n = pread(in_fd, buf, chunk, (off_t)(in_off + (int64_t)total));
    else
      n = read(in_fd, buf, chunk);
    if (n == -1) {
      if (errno == EINTR) continue;
      if (errno == ESPIPE && positioned) { /* a pipe: no offsets */
        positioned = 0;
        continue;
      }
      err = -errno;
      break;
    }
    if (n == 0) break;
    w = write_fully(out_fd, buf, (size_t)n);
    if (w < 0) {
      err = w;
      break;
    }
    total += (size_t)w;
    if (w < n) break;
  }
  if (buf != small) uv__free(buf);
  return total > 0 ? (ssize_t)total : err;
}

ssize_t uv__fs_sendfile(int out_fd, int in_fd, int64_t in_off, size_t len) {
  off_t off = (off_t)in_off;
  off_t* offp = in_off < 0 ? NULL : &off;
  ssize_t r;

  /* In the kernel, without a trip through user space; copy_file_range
   * also lets file systems share extents. */
  do r = copy_file_range(in_fd, offp, out_fd, NULL, len, 0);
  while (r == -1 && errno == EINTR);
  if (r >= 0) return r;
  if (!try_sendfile_after(errno)) return -errno;

  if (offp != NULL) off = (off_t)in_off;
  do r = sendfile(out_fd, in_fd, offp, len);
  while (r == -1 && errno == EINTR);
  if (r >= 0) return r;
  if (!try_copy_after(errno)) return -errno;

  return copy_by_reading(out_fd, in_fd, in_off, len);
}

/* ---- copyfile ------------------------------------------------------------ */

/* CIFS and SMB shares refuse fchmod with EPERM unless mounted "noperm";
 * permissions mean nothing there, so the copy goes on. */
static int on_smb_share(int fd) {
  struct statfs s;
  if (fstatfs(fd, &s) != 0) return 0;
  return (unsigned long)s.f_type == 0xFF534D42ul || /* CIFS */
         (unsigned long)s.f_type == 0xFE534D42ul || /* SMB2 */
         (unsigned long)s.f_type == 0x517Bul;       /* SMB */
}

/* Copies the first size bytes of src into the empty dst, data segment by
 * data segment (SEEK_DATA/SEEK_HOLE), so that the source's holes stay
 * holes in the copy; where the file system cannot tell, the whole file is
 * one segment.  The length is set last, for a hole at the end. */
static int copy_data(int dst, int src, int64_t size) {
  int64_t off = 0;
  int64_t end;
  ssize_t n;

  while (off < size) {
    end = (int64_t)lseek(src, (off_t)off, SEEK_DATA);
    if (end == -1 && errno == ENXIO) break; /* nothing but a hole left */
    if (end > off) off = end;
    if (off >= size) break;
    end = (int64_t)lseek(src, (off_t)off, SEEK_HOLE);
    if (end == -1 || end > size) end = size;
    if (lseek(dst, (off_t)off, SEEK_SET) == -1) return -errno;
    while (off < end) {
      n = uv__fs_sendfile(dst, src, off, (size_t)(end - off));
      if (n < 0) return (int)n;
      if (n == 0) { /* the source shrank meanwhile */
        size = off;
        break;
      }
      off += n;
    }
  }
  if (ftruncate(dst, (off_t)size) != 0) return -errno;
  return 0;
}

/* As libuv: the destination gets the source's permissions, is truncated
 * (unless it is the source itself, when nothing is done), cloned when asked
 * and possible, else copied; if anything fails once the destination is
 * open, it is removed. */
int uv__fs_copyfile(const char* from, const char* to, int flags) {
  struct stat src_st;
  struct stat dst_st;
  int src;
  int dst = -1;
  int oflags;
  int err = 0;
  int r;

  do src = open(from, O_RDONLY | O_CLOEXEC);
  while (src == -1 && errno == EINTR);
  if (src == -1) return -errno;

  if (fstat(src, &src_st) != 0) {
    err = -errno;
    goto out;
  }
  if (S_ISDIR(src_st.st_mode)) {
    err = UV_EISDIR;
    goto out;
  }

  oflags = O_WRONLY | O_CREAT | O_CLOEXEC;
  if (flags & UV_FS_COPYFILE_EXCL) oflags |= O_EXCL;
  do dst = open(to, oflags, src_st.st_mode & 07777);
  while (dst == -1 && errno == EINTR);
  if (dst == -1) {
    err = -errno;
    goto out;
  }

  if (fstat(dst, &dst_st) != 0) {
    err = -errno;
    goto out;
  }
  if (src_st.st_dev == dst_st.st_dev && src_st.st_ino == dst_st.st_ino)
    goto out; /* copying a file onto itself: already done */

  do r = ftruncate(dst, 0);
  while (r == -1 && errno == EINTR);
  if (r != 0) {
    err = -errno;
    goto out;
  }
  if (fchmod(dst, src_st.st_mode & 07777) != 0 &&
      !(errno == EPERM && on_smb_share(dst))) {
    err = -errno;
    goto out;
  }

  if (flags & (UV_FS_COPYFILE_FICLONE | UV_FS_COPYFILE_FICLONE_FORCE)) {
#ifdef FICLONE
    if (ioctl(dst, FICLONE, src) == 0) goto out;
    if (flags & UV_FS_COPYFILE_FICLONE_FORCE) {
      err = -errno; /* ENOTSUP where the file system cannot clone */
      goto out;
    }
#else
    if (flags & UV_FS_COPYFILE_FICLONE_FORCE) {
      err = UV_ENOTSUP;
      goto out;
    }
#endif
  }

  err = copy_data(dst, src, (int64_t)src_st.st_size);

out:
  r = uv__close(src);
  if (err == 0) err = r;
  if (dst >= 0) {
    r = uv__close(dst);
    if (err == 0) err = r;
    if (err != 0) unlink(to);
  }
  return err;
}
