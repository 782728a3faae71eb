/* eddy — uv_fs_poll_t: watching a path by polling its stat.
 *
 * A started handle owns a context (its one private pointer, poll_ctx): the
 * path, the last stat seen and a repeating timer on the loop's timer heap.
 * The timer is eddy's own: unreferenced, and kept off the loop's handle
 * queue, so uv_walk and uv_loop_close never see it, and stopping the poll
 * frees the context at once.
 *
 * The stat runs on the loop thread, a stat(2) per interval, rather than on
 * the thread pool as libuv does: one stat of a path is a short system call
 * (the pool's round trip costs more), and nothing can be in flight when the
 * handle stops, which keeps stop and close trivial.  The first stat is taken
 * inside uv_fs_poll_start, so a change made right after the start is seen;
 * a failure of that first stat is reported from the loop, at the first
 * tick.
 *
 * What the callback gets is what libuv gives it: nothing for the first
 * successful stat; (0, previous, current) whenever a later stat differs in
 * the fields libuv compares (the change, modification and birth times, size,
 * mode, owner, group, inode, device, flags, generation); an error once per
 * change of error, with the last good stat as previous and zeros as current;
 * and on recovery (0, last good stat, current). */
#include "internal.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

struct poll_ctx {
  uv_timer_t timer;
  uv_fs_poll_t* parent;
  uv_fs_poll_cb cb;
  int status;    /* 0: no stat yet, 1: the last stat worked, <0: its error */
  int start_err; /* the first stat's error, reported at the first tick */
  uv_stat_t statbuf; /* the last good stat */
  char path[];
};

static int is_fs_poll(const uv_fs_poll_t* handle) {
  return handle != NULL && handle->type == UV_FS_POLL;
}

static void from_stat(uv_stat_t* out, const struct stat* st) {
  out->st_dev = st->st_dev;
  out->st_mode = st->st_mode;
  out->st_nlink = st->st_nlink;
  out->st_uid = st->st_uid;
  out->st_gid = st->st_gid;
  out->st_rdev = st->st_rdev;
  out->st_ino = st->st_ino;
  out->st_size = (uint64_t)st->st_size;
  out->st_blksize = (uint64_t)st->st_blksize;
  out->st_blocks = (uint64_t)st->st_blocks;
  out->st_flags = 0;
  out->st_gen = 0;
  out->st_atim.tv_sec = st->st_atim.tv_sec;
  out->st_atim.tv_nsec = st->st_atim.tv_nsec;
  out->st_mtim.tv_sec = st->st_mtim.tv_sec;
  out->st_mtim.tv_nsec = st->st_mtim.tv_nsec;
  out->st_ctim.tv_sec = st->st_ctim.tv_sec;
  out->st_ctim.tv_nsec = st->st_ctim.tv_nsec;
  /* stat(2) has no birth time: like libuv, report the change time. */
  out->st_birthtim = out->st_ctim;
}

/* stat(2) of a path into a uv_stat_t, with the birth time from statx(2)
 * where the kernel and libc have it. */
static int stat_path(const char* path, uv_stat_t* out) {
  struct stat st;

  memset(out, 0, sizeof(*out));
#if defined(__linux__) && defined(STATX_BASIC_STATS)
  {
    static int no_statx; /* racy but idempotent: only ever set to 1 */
    struct statx sx;
    if (!no_statx) {
      if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS | STATX_BTIME, &sx) == 0) {
        out->st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
        out->st_mode = sx.stx_mode;
        out->st_nlink = sx.stx_nlink;
        out->st_uid = sx.stx_uid;
        out->st_gid = sx.stx_gid;
        out->st_rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
        out->st_ino = sx.stx_ino;
        out->st_size = sx.stx_size;
        out->st_blksize = sx.stx_blksize;
        out->st_blocks = sx.stx_blocks;
        out->st_atim.tv_sec = sx.stx_atime.tv_sec;
        out->st_atim.tv_nsec = sx.stx_atime.tv_nsec;
        out->st_mtim.tv_sec = sx.stx_mtime.tv_sec;
        out->st_mtim.tv_nsec = sx.stx_mtime.tv_nsec;
        out->st_ctim.tv_sec = sx.stx_ctime.tv_sec;
        out->st_ctim.tv_nsec = sx.stx_ctime.tv_nsec;
        out->st_birthtim.tv_sec = sx.stx_btime.tv_sec;
        out->st_birthtim.tv_nsec = sx.stx_btime.tv_nsec;
        return 0;
      }
      /* Old kernels, and sandboxes that filter the call, say so with these;
       * anything else is the path's own error. */
      if (errno != ENOSYS && errno != EPERM && errno != EOPNOTSUPP)
        return -errno;
      no_statx = 1;
    }
  }
#endif
  if (stat(path, &st) != 0) return -errno;
  from_stat(out, &st);
  return 0;
}

static int stat_equal(const uv_stat_t* a, const uv_stat_t* b) {
  return a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
         a->st_ctim.tv_nsec == b->st_ctim.tv_nsec &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
         a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
         a->st_birthtim.tv_sec == b->st_birthtim.tv_sec &&
         a->st_birthtim.tv_nsec == b->st_birthtim.tv_nsec &&
         a->st_size == b->st_size && a->st_mode == b->st_mode &&
         a->st_uid == b->st_uid && a->st_gid == b->st_gid &&
         a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
         a->st_flags == b->st_flags && a->st_gen == b->st_gen;
}

/* The context's state is brought up to date before the callback, and the
 * stats it gets are copies on the stack: the callback may stop or close
 * the handle, which frees the context. */
static void poll_tick(uv_timer_t* timer) {
  struct poll_ctx* ctx = timer->data;
  uv_fs_poll_t* parent = ctx->parent;
  uv_fs_poll_cb cb = ctx->cb;
  uv_stat_t prev;
  uv_stat_t curr;
  int err;

  if (ctx->start_err != 0) {
    err = ctx->start_err;
    ctx->start_err = 0;
    memset(&curr, 0, sizeof(curr));
  } else {
    err = stat_path(ctx->path, &curr);
  }

  if (err != 0) {
    if (ctx->status == err) return; /* reported already */
    ctx->status = err;
    prev = ctx->statbuf;
    memset(&curr, 0, sizeof(curr));
    cb(parent, err, &prev, &curr);
    return;
  }

  prev = ctx->statbuf;
  ctx->statbuf = curr;
  if (ctx->status == 0) { /* the first stat: nothing to compare with */
    ctx->status = 1;
    return;
  }
  if (ctx->status == 1 && stat_equal(&prev, &curr)) return;
  ctx->status = 1;
  cb(parent, 0, &prev, &curr);
}

UV__EXPORT int uv_fs_poll_init(uv_loop_t* loop, uv_fs_poll_t* handle) {
  if (loop == NULL || handle == NULL) return UV_EINVAL;
  uv__handle_init(loop, (uv_handle_t*)handle, UV_FS_POLL);
  handle->poll_ctx = NULL;
  return 0;
}

UV__EXPORT int uv_fs_poll_start(uv_fs_poll_t* handle, uv_fs_poll_cb poll_cb,
                                const char* path, unsigned int interval) {
  struct poll_ctx* ctx;
  size_t len;
  int err;

  if (!is_fs_poll(handle) || poll_cb == NULL || path == NULL)
    return UV_EINVAL;
  if (uv__is_closing((uv_handle_t*)handle)) return UV_EINVAL;
  if (uv__is_active((uv_handle_t*)handle)) return 0; /* as libuv */

  len = strlen(path);
  ctx = uv__calloc(1, sizeof(*ctx) + len + 1);
  if (ctx == NULL) return UV_ENOMEM;
  memcpy(ctx->path, path, len + 1);
  ctx->parent = handle;
  ctx->cb = poll_cb;
  if (interval == 0) interval = 1;

  uv_timer_init(handle->loop, &ctx->timer);
  uv__link_remove(&ctx->timer.handle_queue);
  ctx->timer.flags |= UV__HANDLE_INTERNAL;
  uv__handle_unref((uv_handle_t*)&ctx->timer);
  ctx->timer.data = ctx;

  err = stat_path(ctx->path, &ctx->statbuf);
  if (err == 0) {
    ctx->status = 1;
    uv_timer_start(&ctx->timer, poll_tick, interval, interval);
  } else {
    memset(&ctx->statbuf, 0, sizeof(ctx->statbuf));
    ctx->start_err = err;
    uv_timer_start(&ctx->timer, poll_tick, 0, interval);
  }

  handle->poll_ctx = ctx;
  uv__handle_start((uv_handle_t*)handle);
  return 0;
}

UV__EXPORT int uv_fs_poll_stop(uv_fs_poll_t* handle) {
  struct poll_ctx* ctx;

  if (!is_fs_poll(handle)) return UV_EINVAL;
  if (!uv__is_active((uv_handle_t*)handle)) return 0;
  ctx = handle->poll_ctx;
  uv_timer_stop(&ctx->timer);
  uv__free(ctx);
  handle->poll_ctx = NULL;
  uv__handle_stop((uv_handle_t*)handle);
  return 0;
}

void uv__fs_poll_close(uv_fs_poll_t* handle) { uv_fs_poll_stop(handle); }

UV__EXPORT int uv_fs_poll_getpath(uv_fs_poll_t* handle, char* buffer,
                                  size_t* size) {
  struct poll_ctx* ctx;
  size_t len;

  if (!is_fs_poll(handle) || buffer == NULL || size == NULL)
    return UV_EINVAL;
  ctx = handle->poll_ctx;
  if (!uv__is_active((uv_handle_t*)handle) || ctx == NULL) {
    *size = 0;
    return UV_EINVAL;
  }
  len = strlen(ctx->path);
  if (len >= *size) {
    *size = len + 1; /* what the caller must pass, the NUL included */
    return UV_ENOBUFS;
  }
  memcpy(buffer, ctx->path, len + 1);
  *size = len;
  return 0;
}
