/* eddy — file-system requests: how each uv_fs_* call becomes a request,
 * runs (on the calling thread without a callback, on the thread pool's
 * fast-I/O class with one), and hands back its result; what a request owns
 * and uv_fs_req_cleanup frees; the accessors, and the descriptor
 * conversions that are the identity on Unix.
 *
 * The one-syscall calls are in run() below; the others are in fs-io.c,
 * fs-stat.c, fs-path.c and fs-dir.c.  An asynchronous request works on
 * copies of the caller's paths and buffer array, since the caller's may be
 * gone by the time a worker runs it. */
#include "fs-internal.h"
#include "uring.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* req->fs_flags: what the request owns, so that uv_fs_req_cleanup frees
 * exactly that (and nothing on a zeroed request). */
enum {
  FS_OWN_PATH = 1u << 0,  /* path, and new_path in the same block */
  FS_OWN_BUFS = 1u << 1,  /* bufs is an allocated copy */
  FS_IN_FLIGHT = 1u << 2, /* on the pool or the ring, callback not run */
};

/* ---- running a request --------------------------------------------------- */

/* A system call, retried while a signal interrupts it; r becomes its
 * result or the negated errno (a UV_E* code). */
#define SYS(call)                      \
  do {                                 \
    do r = (call);                     \
    while (r == -1 && errno == EINTR); \
    if (r == -1) r = -errno;           \
  } while (0)

/* libuv 1.52's conversion: infinity is "now", NaN "leave it", anything
 * else is cut to the nanosecond (1.44 cut to the microsecond) and
 * normalised so that tv_nsec is in [0, 1e9). */
static struct timespec fs_timespec(double t) {
  struct timespec ts;
  if (isinf(t)) {
    ts.tv_sec = 0;
    ts.tv_nsec = UTIME_NOW;
  } else if (isnan(t)) {
    ts.tv_sec = 0;
    ts.tv_nsec = UTIME_OMIT;
  } else {
    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec < 0) {
      ts.tv_nsec += 1000000000L;
      ts.tv_sec -= 1;
    }
  }
  return ts;
}

static int fs_utimens(uv_fs_t* req) {
  struct timespec ts[2];
  int r;
  ts[0] = fs_timespec(req->atime);
  ts[1] = fs_timespec(req->mtime);
  switch (req->fs_type) {
    case UV_FS_FUTIME:
      SYS(futimens(req->file, ts));
      break;
    case UV_FS_LUTIME:
      SYS(utimensat(AT_FDCWD, req->path, ts, AT_SYMLINK_NOFOLLOW));
      break;
    default:
      SYS(utimensat(AT_FDCWD, req->path, ts, 0));
      break;
  }
  return r;
}

/* Performs the call; on a worker, or on the caller's thread. */
static void run(uv_fs_t* req) {
  ssize_t r;

  switch (req->fs_type) {
    case UV_FS_OPEN:
      SYS(open(req->path, req->flags | O_CLOEXEC, req->mode));
      break;
    case UV_FS_CLOSE:
      /* Never retried: Linux frees the descriptor even on EINTR. */
      r = uv__close(req->file);
      break;
    case UV_FS_READ:
      r = uv__fs_read(req->file, req->bufs, req->nbufs, req->off);
      break;
    case UV_FS_WRITE:
      r = uv__fs_write(req->file, req->bufs, req->nbufs, req->off);
      break;
    case UV_FS_SENDFILE:
      r = uv__fs_sendfile(req->file, req->flags, req->off, req->len);
      break;
    case UV_FS_STAT:
      r = uv__fs_stat(UV__FS_STAT, -1, req->path, &req->statbuf);
      break;
    case UV_FS_LSTAT:
      r = uv__fs_stat(UV__FS_LSTAT, -1, req->path, &req->statbuf);
      break;
    case UV_FS_FSTAT:
      r = uv__fs_stat(UV__FS_FSTAT, req->file, NULL, &req->statbuf);
      break;
    case UV_FS_FTRUNCATE:
      SYS(ftruncate(req->file, (off_t)req->off));
      break;
    case UV_FS_UTIME:
    case UV_FS_FUTIME:
    case UV_FS_LUTIME:
      r = fs_utimens(req);
      break;
    case UV_FS_ACCESS:
      SYS(access(req->path, req->flags));
      break;
    case UV_FS_CHMOD:
      SYS(chmod(req->path, (mode_t)req->mode));
      break;
    case UV_FS_FCHMOD:
      SYS(fchmod(req->file, (mode_t)req->mode));
      break;
    case UV_FS_FSYNC:
      SYS(fsync(req->file));
      break;
    case UV_FS_FDATASYNC:
      SYS(fdatasync(req->file));
      break;
    case UV_FS_UNLINK:
      SYS(unlink(req->path));
      break;
    case UV_FS_RMDIR:
      SYS(rmdir(req->path));
      break;
    case UV_FS_MKDIR:
      SYS(mkdir(req->path, (mode_t)req->mode));
      break;
    case UV_FS_MKDTEMP:
      r = uv__fs_mkdtemp((char*)req->path);
      break;
    case UV_FS_MKSTEMP:
      r = uv__fs_mkstemp((char*)req->path);
      break;
    case UV_FS_RENAME:
      SYS(rename(req->path, req->new_path));
      break;
    case UV_FS_SCANDIR:
      r = uv__fs_scandir(req->path, &req->ptr);
      break;
    case UV_FS_LINK:
      SYS(link(req->path, req->new_path));
      break;
    case UV_FS_SYMLINK:
      SYS(symlink(req->path, req->new_path));
      break;
    case UV_FS_READLINK:
      r = uv__fs_readlink(req->path, &req->ptr);
      break;
    case UV_FS_REALPATH:
      r = uv__fs_realpath(req->path, &req->ptr);
      break;
    case UV_FS_CHOWN:
      SYS(chown(req->path, req->uid, req->gid));
      break;
    case UV_FS_FCHOWN:
      SYS(fchown(req->file, req->uid, req->gid));
      break;
    case UV_FS_LCHOWN:
      SYS(lchown(req->path, req->uid, req->gid));
      break;
    case UV_FS_COPYFILE:
      r = uv__fs_copyfile(req->path, req->new_path, req->flags);
      break;
    case UV_FS_OPENDIR:
      r = uv__fs_opendir(req->path, &req->ptr);
      break;
    case UV_FS_READDIR:
      r = uv__fs_readdir(req->ptr);
      break;
    case UV_FS_CLOSEDIR:
      r = uv__fs_closedir(req->ptr);
      if (r == 0) req->ptr = NULL; /* freed with the directory */
      break;
    case UV_FS_STATFS:
      r = uv__fs_statfs(req->path, &req->ptr);
      break;
    default:
      r = UV_ENOSYS; /* not reachable: the entry points set the type */
      break;
  }

  req->result = r;
  if (r == 0 && (req->fs_type == UV_FS_STAT || req->fs_type == UV_FS_LSTAT ||
                 req->fs_type == UV_FS_FSTAT))
    req->ptr = &req->statbuf;
}

/* The copy of an asynchronous call's buffer array is needed only while the
 * call runs. */
static void fs_release_bufs(uv_fs_t* req) {
  if (req->fs_flags & FS_OWN_BUFS) uv__free(req->bufs);
  req->fs_flags &= ~(unsigned int)FS_OWN_BUFS;
  req->bufs = NULL;
  req->nbufs = 0;
}

static void fs_release_path(uv_fs_t* req) {
  if (req->fs_flags & FS_OWN_PATH) uv__free((char*)req->path);
  req->fs_flags &= ~(unsigned int)FS_OWN_PATH;
  req->path = NULL;
  req->new_path = NULL;
}

void uv__fs_work(struct uv__work* w) {
  run(container_of(w, uv_fs_t, work_req));
}

void uv__fs_finish(uv_fs_t* req) {
  uv__req_unregister(req->loop);
  req->fs_flags &= ~(unsigned int)FS_IN_FLIGHT;
  fs_release_bufs(req);
  req->cb(req);
}

void uv__fs_done(struct uv__work* w) {
  uv_fs_t* req = container_of(w, uv_fs_t, work_req);

  if (w->status == UV_ECANCELED) req->result = UV_ECANCELED;
  uv__fs_finish(req);
}

int uv__fs_to_pool(uv_fs_t* req) {
  return uv__work_submit(req->loop, &req->work_req, UV__WORK_FS,
                         UV__WORK_FAST_IO);
}

/* ---- setting a request up ------------------------------------------------ */

/* Every entry point starts here: the request is reset even when the call
 * is then refused, as libuv does, so that uv_fs_req_cleanup is safe. */
static int fs_init(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type,
                   uv_fs_cb cb) {
  if (req == NULL) return UV_EINVAL;
  req->type = UV_FS;
  req->fs_type = type;
  req->loop = loop;
  req->cb = cb;
  req->result = 0;
  req->ptr = NULL;
  req->path = NULL;
  req->new_path = NULL;
  req->bufs = NULL;
  req->nbufs = 0;
  req->fs_flags = 0;
  req->scan_next = 0;
  memset(&req->work_req, 0, sizeof(req->work_req)); /* not queued */
  req->fs_uring = NULL;
  /* Without a callback the call runs here and needs no loop. */
  if (cb != NULL && (loop == NULL || loop->backend_fd < 0)) return UV_EINVAL;
  return 0;
}

/* A synchronous call uses the caller's strings as they are; an
 * asynchronous one copies them, both in one block. */
static int fs_paths(uv_fs_t* req, const char* path, const char* new_path,
                    int two) {
  size_t len;
  size_t new_len;
  char* p;

  if (path == NULL || (two && new_path == NULL)) return UV_EINVAL;
  if (req->cb == NULL) {
    req->path = path;
    req->new_path = new_path;
    return 0;
  }
  len = strlen(path) + 1;
  new_len = two ? strlen(new_path) + 1 : 0;
  p = uv__malloc(len + new_len);
  if (p == NULL) return UV_ENOMEM;
  memcpy(p, path, len);
  if (two) memcpy(p + len, new_path, new_len);
  req->path = p;
  req->new_path = two ? p + len : NULL;
  req->fs_flags |= FS_OWN_PATH;
  return 0;
}

/* mkdtemp and mkstemp write the name into the request's own copy of the
 * template, synchronous or not (uv_fs_req_cleanup frees it). */
static int fs_template(uv_fs_t* req, const char* tpl) {
  char* p;
  if (tpl == NULL) return UV_EINVAL;
  p = uv__strdup(tpl);
  if (p == NULL) return UV_ENOMEM;
  req->path = p;
  req->fs_flags |= FS_OWN_PATH;
  return 0;
}

/* Runs the request now (no callback: the result is returned too), or
 * queues it on the pool. */
static int fs_post(uv_fs_t* req) {
  int err;

  if (req->cb == NULL) {
    run(req);
    fs_release_bufs(req);
    return (int)req->result;
  }
  req->fs_flags |= FS_IN_FLIGHT;
  /* The loop's io_uring takes the calls it does better (uring.c). */
  err = uv__uring_fs_start(req);
  if (err == UV_ENOSYS) err = uv__fs_to_pool(req);
  if (err != 0) {
    req->fs_flags &= ~(unsigned int)FS_IN_FLIGHT;
    fs_release_bufs(req);
    fs_release_path(req);
    req->result = err;
    return err;
  }
  uv__req_register(req->loop);
  return 0;
}

/* Shorthands for the shapes most calls have. */
static int fs_path_call(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type,
                        const char* path, uv_fs_cb cb) {
  int err = fs_init(loop, req, type, cb);
  if (err == 0) err = fs_paths(req, path, NULL, 0);
  if (err != 0) return err;
  return fs_post(req);
}

static int fs_path2_call(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type,
                         const char* path, const char* new_path, uv_fs_cb cb) {
  int err = fs_init(loop, req, type, cb);
  if (err == 0) err = fs_paths(req, path, new_path, 1);
  if (err != 0) return err;
  return fs_post(req);
}

static int fs_fd_call(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type,
                      uv_file file, uv_fs_cb cb) {
  int err = fs_init(loop, req, type, cb);
  if (err != 0) return err;
  req->file = file;
  return fs_post(req);
}

/* read and write: an asynchronous call keeps its own copy of the array
 * (small ones inside the request). */
static int fs_bufs(uv_fs_t* req, const uv_buf_t bufs[], unsigned int nbufs) {
  if (bufs == NULL || nbufs == 0) return UV_EINVAL;
  if (req->cb == NULL) {
    req->bufs = (uv_buf_t*)bufs; /* only read through */
  } else {
    if (nbufs <= UV__ARRAY_LEN(req->bufsml)) {
      req->bufs = req->bufsml;
    } else {
      req->bufs = uv__malloc(nbufs * sizeof(*bufs));
      if (req->bufs == NULL) return UV_ENOMEM;
      req->fs_flags |= FS_OWN_BUFS;
    }
    memcpy(req->bufs, bufs, nbufs * sizeof(*bufs));
  }
  req->nbufs = nbufs;
  return 0;
}

/* A time the utime calls can pass on: "now" (infinity), "leave it" (NaN),
 * or one a time_t holds. */
static int fs_time_ok(double t) {
  return isinf(t) || isnan(t) || (t > -9.2e18 && t < 9.2e18);
}

/* ---- the calls ----------------------------------------------------------- */

UV__EXPORT int uv_fs_open(uv_loop_t* loop, uv_fs_t* req, const char* path,
                          int flags, int mode, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_OPEN, cb);
  if (err == 0) err = fs_paths(req, path, NULL, 0);
  if (err != 0) return err;
  req->flags = flags;
  req->mode = mode;
  return fs_post(req);
}

UV__EXPORT int uv_fs_close(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                           uv_fs_cb cb) {
  return fs_fd_call(loop, req, UV_FS_CLOSE, file, cb);
}

UV__EXPORT int uv_fs_read(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                          const uv_buf_t bufs[], unsigned int nbufs,
                          int64_t offset, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_READ, cb);
  if (err == 0) err = fs_bufs(req, bufs, nbufs);
  if (err != 0) return err;
  req->file = file;
  req->off = offset;
  return fs_post(req);
}

UV__EXPORT int uv_fs_write(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                           const uv_buf_t bufs[], unsigned int nbufs,
                           int64_t offset, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_WRITE, cb);
  if (err == 0) err = fs_bufs(req, bufs, nbufs);
  if (err != 0) return err;
  req->file = file;
  req->off = offset;
  return fs_post(req);
}

UV__EXPORT int uv_fs_unlink(uv_loop_t* loop, uv_fs_t* req, const char* path,
                            uv_fs_cb cb) {
  return fs_path_call(loop, req, UV_FS_UNLINK, path, cb);
}

UV__EXPORT int uv_fs_copyfile(uv_loop_t* loop, uv_fs_t* req, const char* path,
                              const char* new_path, int flags, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_COPYFILE, cb);
  if (err != 0) return err;
  if (flags & ~(UV_FS_COPYFILE_EXCL | UV_FS_COPYFILE_FICLONE |
                UV_FS_COPYFILE_FICLONE_FORCE))
    return UV_EINVAL;
  err = fs_paths(req, path, new_path, 1);
  if (err != 0) return err;
  req->flags = flags;
  return fs_post(req);
}

UV__EXPORT int uv_fs_mkdir(uv_loop_t* loop, uv_fs_t* req, const char* path,
                           int mode, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_MKDIR, cb);
  if (err == 0) err = fs_paths(req, path, NULL, 0);
  if (err != 0) return err;
  req->mode = mode;
  return fs_post(req);
}

UV__EXPORT int uv_fs_mkdtemp(uv_loop_t* loop, uv_fs_t* req, const char* tpl,
                             uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_MKDTEMP, cb);
  if (err == 0) err = fs_template(req, tpl);
  if (err != 0) return err;
  return fs_post(req);
}

UV__EXPORT int uv_fs_mkstemp(uv_loop_t* loop, uv_fs_t* req, const char* tpl,
                             uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_MKSTEMP, cb);
  if (err == 0) err = fs_template(req, tpl);
  if (err != 0) return err;
  return fs_post(req);
}

UV__EXPORT int uv_fs_rmdir(uv_loop_t* loop, uv_fs_t* req, const char* path,
                           uv_fs_cb cb) {
  return fs_path_call(loop, req, UV_FS_RMDIR, path, cb);
}

/* flags is documented as unused; it is passed on, as libuv does. */
UV__EXPORT int uv_fs_scandir(uv_loop_t* loop, uv_fs_t* req, const char* path,
                             int flags, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_SCANDIR, cb);
  if (err == 0) err = fs_paths(req, path, NULL, 0);
  if (err != 0) return err;
  req->flags = flags;
  return fs_post(req);
}

UV__EXPORT int uv_fs_opendir(uv_loop_t* loop, uv_fs_t* req, const char* path,
                             uv_fs_cb cb) {
  return fs_path_call(loop, req, UV_FS_OPENDIR, path, cb);
}

UV__EXPORT int uv_fs_readdir(uv_loop_t* loop, uv_fs_t* req, uv_dir_t* dir,
                             uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_READDIR, cb);
  if (err != 0) return err;
  if (dir == NULL || dir->dir == NULL || dir->dirents == NULL ||
      dir->nentries == 0)
    return UV_EINVAL;
  req->ptr = dir;
  return fs_post(req);
}

UV__EXPORT int uv_fs_closedir(uv_loop_t* loop, uv_fs_t* req, uv_dir_t* dir,
                              uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_CLOSEDIR, cb);
  if (err != 0) return err;
  if (dir == NULL) return UV_EINVAL;
  req->ptr = dir;
  return fs_post(req);
}

UV__EXPORT int uv_fs_stat(uv_loop_t* loop, uv_fs_t* req, const char* path,
                          uv_fs_cb cb) {
  return fs_path_call(loop, req, UV_FS_STAT, path, cb);
}

UV__EXPORT int uv_fs_lstat(uv_loop_t* loop, uv_fs_t* req, const char* path,
                           uv_fs_cb cb) {
  return fs_path_call(loop, req, UV_FS_LSTAT, path, cb);
}

UV__EXPORT int uv_fs_fstat(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                           uv_fs_cb cb) {
  return fs_fd_call(loop, req, UV_FS_FSTAT, file, cb);
}

UV__EXPORT int uv_fs_statfs(uv_loop_t* loop, uv_fs_t* req, const char* path,
                            uv_fs_cb cb) {
  return fs_path_call(loop, req, UV_FS_STATFS, path, cb);
}

UV__EXPORT int uv_fs_rename(uv_loop_t* loop, uv_fs_t* req, const char* path,
                            const char* new_path, uv_fs_cb cb) {
  return fs_path2_call(loop, req, UV_FS_RENAME, path, new_path, cb);
}

UV__EXPORT int uv_fs_fsync(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                           uv_fs_cb cb) {
  return fs_fd_call(loop, req, UV_FS_FSYNC, file, cb);
}

UV__EXPORT int uv_fs_fdatasync(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                               uv_fs_cb cb) {
  return fs_fd_call(loop, req, UV_FS_FDATASYNC, file, cb);
}

UV__EXPORT int uv_fs_ftruncate(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                               int64_t offset, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_FTRUNCATE, cb);
  if (err != 0) return err;
  req->file = file;
  req->off = offset;
  return fs_post(req);
}

UV__EXPORT int uv_fs_sendfile(uv_loop_t* loop, uv_fs_t* req, uv_file out_fd,
                              uv_file in_fd, int64_t in_offset, size_t length,
                              uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_SENDFILE, cb);
  if (err != 0) return err;
  req->file = out_fd;
  req->flags = in_fd;
  req->off = in_offset;
  req->len = length;
  return fs_post(req);
}

UV__EXPORT int uv_fs_access(uv_loop_t* loop, uv_fs_t* req, const char* path,
                            int mode, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_ACCESS, cb);
  if (err == 0) err = fs_paths(req, path, NULL, 0);
  if (err != 0) return err;
  req->flags = mode;
  return fs_post(req);
}

UV__EXPORT int uv_fs_chmod(uv_loop_t* loop, uv_fs_t* req, const char* path,
                           int mode, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_CHMOD, cb);
  if (err == 0) err = fs_paths(req, path, NULL, 0);
  if (err != 0) return err;
  req->mode = mode;
  return fs_post(req);
}

UV__EXPORT int uv_fs_fchmod(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                            int mode, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_FCHMOD, cb);
  if (err != 0) return err;
  req->file = file;
  req->mode = mode;
  return fs_post(req);
}

static int fs_utime_call(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type,
                         const char* path, uv_file file, double atime,
                         double mtime, uv_fs_cb cb) {
  int err = fs_init(loop, req, type, cb);
  if (err != 0) return err;
  if (!fs_time_ok(atime) || !fs_time_ok(mtime)) return UV_EINVAL;
  if (type != UV_FS_FUTIME) {
    err = fs_paths(req, path, NULL, 0);
    if (err != 0) return err;
  }
  req->file = file;
  req->atime = atime;
  req->mtime = mtime;
  return fs_post(req);
}

UV__EXPORT int uv_fs_utime(uv_loop_t* loop, uv_fs_t* req, const char* path,
                           double atime, double mtime, uv_fs_cb cb) {
  return fs_utime_call(loop, req, UV_FS_UTIME, path, -1, atime, mtime, cb);
}

UV__EXPORT int uv_fs_futime(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                            double atime, double mtime, uv_fs_cb cb) {
  return fs_utime_call(loop, req, UV_FS_FUTIME, NULL, file, atime, mtime, cb);
}

UV__EXPORT int uv_fs_lutime(uv_loop_t* loop, uv_fs_t* req, const char* path,
                            double atime, double mtime, uv_fs_cb cb) {
  return fs_utime_call(loop, req, UV_FS_LUTIME, path, -1, atime, mtime, cb);
}

UV__EXPORT int uv_fs_link(uv_loop_t* loop, uv_fs_t* req, const char* path,
                          const char* new_path, uv_fs_cb cb) {
  return fs_path2_call(loop, req, UV_FS_LINK, path, new_path, cb);
}

/* The flags matter only on Windows; unknown bits are refused. */
UV__EXPORT int uv_fs_symlink(uv_loop_t* loop, uv_fs_t* req, const char* path,
                             const char* new_path, int flags, uv_fs_cb cb) {
  int err = fs_init(loop, req, UV_FS_SYMLINK, cb);
  if (err != 0) return err;
  if (flags & ~(UV_FS_SYMLINK_DIR | UV_FS_SYMLINK_JUNCTION)) return UV_EINVAL;
  err = fs_paths(req, path, new_path, 1);
  if (err != 0) return err;
  req->flags = flags;
  return fs_post(req);
}

UV__EXPORT int uv_fs_readlink(uv_loop_t* loop, uv_fs_t* req, const char* path,
                              uv_fs_cb cb) {
  return fs_path_call(loop, req, UV_FS_READLINK, path, cb);
}

UV__EXPORT int uv_fs_realpath(uv_loop_t* loop, uv_fs_t* req, const char* path,
                              uv_fs_cb cb) {
  return fs_path_call(loop, req, UV_FS_REALPATH, path, cb);
}

static int fs_chown_call(uv_loop_t* loop, uv_fs_t* req, uv_fs_type type,
                         const char* path, uv_file file, uv_uid_t uid,
                         uv_gid_t gid, uv_fs_cb cb) {
  int err = fs_init(loop, req, type, cb);
  if (err != 0) return err;
  if (type != UV_FS_FCHOWN) {
    err = fs_paths(req, path, NULL, 0);
    if (err != 0) return err;
  }
  req->file = file;
  req->uid = uid;
  req->gid = gid;
  return fs_post(req);
}

UV__EXPORT int uv_fs_chown(uv_loop_t* loop, uv_fs_t* req, const char* path,
                           uv_uid_t uid, uv_gid_t gid, uv_fs_cb cb) {
  return fs_chown_call(loop, req, UV_FS_CHOWN, path, -1, uid, gid, cb);
}

UV__EXPORT int uv_fs_fchown(uv_loop_t* loop, uv_fs_t* req, uv_file file,
                            uv_uid_t uid, uv_gid_t gid, uv_fs_cb cb) {
  return fs_chown_call(loop, req, UV_FS_FCHOWN, NULL, file, uid, gid, cb);
}

UV__EXPORT int uv_fs_lchown(uv_loop_t* loop, uv_fs_t* req, const char* path,
                            uv_uid_t uid, uv_gid_t gid, uv_fs_cb cb) {
  return fs_chown_call(loop, req, UV_FS_LCHOWN, path, -1, uid, gid, cb);
}

/* ---- cleanup and accessors ----------------------------------------------- */

/* Frees what the request owns: path copies, buffer copies, and the results
 * that point to allocated memory (scandir entries, readdir names, readlink
 * and realpath strings, statfs).  An opendir's directory stays the
 * caller's until uv_fs_closedir.  Safe twice, and on a zeroed request. */
UV__EXPORT void uv_fs_req_cleanup(uv_fs_t* req) {
  if (req == NULL) return;
  if (req->fs_flags & FS_IN_FLIGHT)
    uv__fatal("uv_fs_req_cleanup", req,
              "request still in progress (its callback has not run)");
  fs_release_path(req);
  fs_release_bufs(req);
  switch (req->fs_type) {
    case UV_FS_SCANDIR:
      uv__fs_scandir_free(req->ptr);
      break;
    case UV_FS_READDIR:
      uv__fs_readdir_cleanup(req);
      break;
    case UV_FS_READLINK:
    case UV_FS_REALPATH:
    case UV_FS_STATFS:
      uv__free(req->ptr);
      break;
    default:
      break;
  }
  req->ptr = NULL;
}

UV__EXPORT uv_fs_type uv_fs_get_type(const uv_fs_t* req) {
  return req != NULL ? req->fs_type : UV_FS_UNKNOWN;
}

UV__EXPORT ssize_t uv_fs_get_result(const uv_fs_t* req) {
  return req != NULL ? req->result : UV_EINVAL;
}

/* The errno behind a failure: -result on Unix, as libuv documents. */
UV__EXPORT int uv_fs_get_system_error(const uv_fs_t* req) {
  return req != NULL ? (int)-req->result : 0;
}

UV__EXPORT void* uv_fs_get_ptr(const uv_fs_t* req) {
  return req != NULL ? req->ptr : NULL;
}

UV__EXPORT const char* uv_fs_get_path(const uv_fs_t* req) {
  return req != NULL ? req->path : NULL;
}

UV__EXPORT uv_stat_t* uv_fs_get_statbuf(uv_fs_t* req) {
  return req != NULL ? &req->statbuf : NULL;
}

/* On Unix an OS file handle is the descriptor itself. */
UV__EXPORT uv_os_fd_t uv_get_osfhandle(int fd) { return fd; }

UV__EXPORT int uv_open_osfhandle(uv_os_fd_t os_fd) { return os_fd; }
