/* eddy — file-system requests on io_uring.
 *
 * One ring per loop, made by the loop's first asynchronous request that
 * can use it, with the kernel's own interface (io_uring_setup, mmap,
 * io_uring_enter): no library.  A request is written into the submission
 * queue at once; the whole batch goes to the kernel in one io_uring_enter
 * when the loop is about to poll (uv__uring_flush), so 64 stat calls made
 * by one callback cost one system call.  The ring's descriptor is an I/O
 * watcher of the epoll backend: it becomes readable when completions are
 * waiting, and the poll phase reaps them and runs the callbacks as the
 * pool's completions run them (same result, same fields, uv_fs_t owned the
 * same way).
 *
 * What goes to the ring is the calls it does faster than the thread pool
 * (docs/fs.md, "io_uring"): the stat family, reads of regular files, open,
 * close, fsync and fdatasync, and the one-call path operations (rename,
 * unlink, rmdir, mkdir, link, symlink) and ftruncate where the kernel has
 * them.  The rest,
 * and everything when the ring cannot be had (no io_uring, a seccomp filter,
 * UV_USE_IO_URING=0), goes to the pool as before; a loop that fails to make
 * a ring never tries again.
 *
 * A request on the ring counts in loop->active_reqs as a pool request does.
 * uv_cancel answers UV_EBUSY, as it does for pool work already running:
 * the kernel may be in the middle of it, and its callback runs once, with
 * its real result. */
#include "uring.h"
#include "fs-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Submission queue size; the completion queue is twice that, and no more
 * requests than it holds are ever in flight, so none can be dropped. */
#define SQ_ENTRIES 128

/* What one readv takes: buffers (IOV_MAX), bytes (MAX_RW_COUNT). */
#define IOV_MAX_RING 1024
#define MAX_RW ((size_t)0x7ffff000)

/* Opcodes newer than the header this may be built with. */
#define OP_FTRUNCATE 55

struct uring {
  int fd;
  unsigned int features;
  uv__io_t io; /* the ring's descriptor, watched while requests are out */
  unsigned int in_flight;
  unsigned int cq_entries;
  /* submission queue: the kernel's head, our tail */
  unsigned int* sq_head;
  unsigned int* sq_tail;
  unsigned int sq_mask;
  unsigned int sq_entries;
  struct io_uring_sqe* sqes;
  unsigned int submitted; /* sq tail as of the last io_uring_enter */
  /* completion queue: the kernel's tail, our head */
  unsigned int* cq_head;
  unsigned int* cq_tail;
  unsigned int cq_mask;
  struct io_uring_cqe* cqes;
  /* the mappings, for munmap */
  void* sq_map;
  size_t sq_map_len;
  void* cq_map; /* == sq_map with IORING_FEAT_SINGLE_MMAP */
  size_t cq_map_len;
  size_t sqes_len;
  uint64_t ops[4]; /* opcodes the kernel supports (a bitmap) */
#ifdef STATX_BASIC_STATS
  /* statx buffers of finished stat calls, kept for the next ones */
  struct statx** sx_free;
  unsigned int nsx_free;
#endif
};

/* ---- the kernel's interface ------------------------------------------------ */

static int sys_setup(unsigned int entries, struct io_uring_params* p) {
  return (int)syscall(__NR_io_uring_setup, entries, p);
}

static int sys_enter(int fd, unsigned int to_submit) {
  return (int)syscall(__NR_io_uring_enter, fd, to_submit, 0, 0, NULL, 0);
}

static int sys_register(int fd, unsigned int op, void* arg,
                        unsigned int nargs) {
  return (int)syscall(__NR_io_uring_register, fd, op, arg, nargs);
}

/* ---- making and unmaking a ring ------------------------------------------- */

/* Whether this process could change its identity (root, a set-id
 * program, or CAP_SETUID/CAP_SETGID).  A ring's kernel workers keep the
 * credentials of the task that made them, so requests made after a
 * setuid() would still run as the old user (CVE-2024-22017, why libuv 1.49
 * made io_uring opt-in).  A process that cannot change identity has
 * nothing to fear from that. */
static int could_change_identity(void) {
  struct {
    uint32_t version;
    int pid;
  } hdr = {0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0};
  struct {
    uint32_t effective, permitted, inheritable;
  } caps[2];
  uid_t ru, eu, su;
  gid_t rg, eg, sg;

  if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
    return 1;
  if (eu == 0 || ru != eu || su != eu || rg != eg || sg != eg) return 1;
  if (syscall(SYS_capget, &hdr, caps) != 0) return 1;
  /* CAP_SETGID is 6, CAP_SETUID 7: in the first word. */
  return (caps[0].permitted & ((1u << 6) | (1u << 7))) != 0;
}

/* UV_USE_IO_URING, read once per process: "0" (or anything that reads as
 * the number 0) means off, any other number on.  Unset means on, except
 * in a process that could change its identity, where it must be asked for
 * (see above). */
static int parse_uring_wanted(const char* val) {
  if (val != NULL) return atoi(val) != 0 ? 1 : -1;
  return could_change_identity() ? -1 : 1;
}

/* 1 on, -1 off. */
static int uring_wanted(void) {
  static int wanted;
  return uv__env_setting(&wanted, "UV_USE_IO_URING", parse_uring_wanted) > 0;
}

static int op_supported(const struct uring* r, unsigned int op) {
  return op < 256 && (r->ops[op / 64] >> (op % 64) & 1) != 0;
}

/* Which opcodes the kernel has: asked once, at setup. */
static void probe_ops(struct uring* r) {
  /* The header and its 256 entries, as one suitably aligned block (a
   * struct ending in a flexible array cannot be embedded in another). */
  uint64_t buf[(sizeof(struct io_uring_probe) +
                256 * sizeof(struct io_uring_probe_op)) / sizeof(uint64_t) + 1];
  struct io_uring_probe* probe = (struct io_uring_probe*)buf;
  unsigned int i;

  memset(buf, 0, sizeof(buf));
  if (sys_register(r->fd, IORING_REGISTER_PROBE, probe, 256) != 0) return;
  for (i = 0; i < probe->ops_len && i < 256; i++)
    if (probe->ops[i].flags & IO_URING_OP_SUPPORTED)
      r->ops[probe->ops[i].op / 64] |= (uint64_t)1 << (probe->ops[i].op % 64);
}

static void uring_free(struct uring* r) {
  if (r->sqes != NULL && r->sqes != MAP_FAILED) munmap(r->sqes, r->sqes_len);
  if (r->cq_map != NULL && r->cq_map != MAP_FAILED && r->cq_map != r->sq_map)
    munmap(r->cq_map, r->cq_map_len);
  if (r->sq_map != NULL && r->sq_map != MAP_FAILED)
    munmap(r->sq_map, r->sq_map_len);
  if (r->fd >= 0) uv__close(r->fd);
#ifdef STATX_BASIC_STATS
  while (r->nsx_free > 0) uv__free(r->sx_free[--r->nsx_free]);
  uv__free(r->sx_free);
#endif
  uv__free(r);
}

static void* map_ring(int fd, size_t len, uint64_t off) {
  return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
              fd, (off_t)off);
}

/* A ring of our own, or NULL (then the loop uses the pool for good). */
static struct uring* uring_create(void) {
  struct io_uring_params p;
  struct uring* r;
  char* sq;
  char* cq;
  unsigned int* array;
  unsigned int i;

  r = uv__calloc(1, sizeof(*r));
  if (r == NULL) return NULL;
  memset(&p, 0, sizeof(p));
  r->fd = sys_setup(SQ_ENTRIES, &p);
  /* ENOSYS: no io_uring; EPERM: a seccomp filter or the
   * kernel.io_uring_disabled sysctl; ENOMEM: the memlock limit. */
  if (r->fd < 0) goto fail;
  uv__cloexec(r->fd, 1); /* io_uring_setup sets it itself since 5.x */
  /* Current-position reads and writes (offset -1) need 5.6, and every
   * opcode used here is newer than that anyway. */
  if (!(p.features & IORING_FEAT_NODROP) ||
      !(p.features & IORING_FEAT_RW_CUR_POS))
    goto fail;
  r->features = p.features;

  r->sq_map_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
  r->cq_map_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  if (p.features & IORING_FEAT_SINGLE_MMAP) {
    if (r->cq_map_len > r->sq_map_len) r->sq_map_len = r->cq_map_len;
    r->cq_map_len = r->sq_map_len;
  }
  r->sq_map = map_ring(r->fd, r->sq_map_len, IORING_OFF_SQ_RING);
  if (r->sq_map == MAP_FAILED) goto fail;
  if (p.features & IORING_FEAT_SINGLE_MMAP)
    r->cq_map = r->sq_map;
  else
    r->cq_map = map_ring(r->fd, r->cq_map_len, IORING_OFF_CQ_RING);
  if (r->cq_map == MAP_FAILED) goto fail;
  r->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
  r->sqes = map_ring(r->fd, r->sqes_len, IORING_OFF_SQES);
  if (r->sqes == MAP_FAILED) goto fail;

  sq = r->sq_map;
  cq = r->cq_map;
  r->sq_head = (unsigned int*)(sq + p.sq_off.head);
  r->sq_tail = (unsigned int*)(sq + p.sq_off.tail);
  r->sq_mask = *(unsigned int*)(sq + p.sq_off.ring_mask);
  r->sq_entries = *(unsigned int*)(sq + p.sq_off.ring_entries);
  array = (unsigned int*)(sq + p.sq_off.array);
  for (i = 0; i < r->sq_entries; i++) array[i] = i; /* slot i is sqes[i] */
  r->submitted = *r->sq_tail;
  r->cq_head = (unsigned int*)(cq + p.cq_off.head);
  r->cq_tail = (unsigned int*)(cq + p.cq_off.tail);
  r->cq_mask = *(unsigned int*)(cq + p.cq_off.ring_mask);
  r->cq_entries = *(unsigned int*)(cq + p.cq_off.ring_entries);
  r->cqes = (struct io_uring_cqe*)(cq + p.cq_off.cqes);

  probe_ops(r);
  uv__io_init(&r->io, UV__IO_URING, r->fd);
  return r;

fail:
  uring_free(r);
  return NULL;
}

/* The loop's ring, made on first use; NULL when it cannot have one. */
static struct uring* loop_uring(uv_loop_t* loop) {
  if (loop->uring != NULL) return loop->uring;
  if (loop->flags & UV__LOOP_NO_URING) return NULL;
  if (uring_wanted()) loop->uring = uring_create();
  if (loop->uring == NULL) loop->flags |= UV__LOOP_NO_URING;
  return loop->uring;
}

static void uring_forget(uv_loop_t* loop) {
  struct uring* r = loop->uring;
  if (r == NULL) return;
  uv__io_close(loop, &r->io);
  uring_free(r);
  loop->uring = NULL;
}

void uv__uring_loop_close(uv_loop_t* loop) {
  uring_forget(loop);
  loop->flags &= ~UV__LOOP_NO_URING;
}

/* The rings's memory is shared with the parent (MAP_SHARED) and so are its
 * requests: the child drops its copies of both.  Requests that were in
 * flight at the fork complete in the parent only, as the pool's do. */
void uv__uring_fork(uv_loop_t* loop) {
  uring_forget(loop);
}

/* ---- submitting ----------------------------------------------------------- */

/* A zeroed submission entry, or NULL when the queue is full even after
 * handing the kernel what it holds. */
static struct io_uring_sqe* get_sqe(struct uring* r) {
  unsigned int head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
  unsigned int tail = *r->sq_tail;
  struct io_uring_sqe* sqe;

  if (tail - head >= r->sq_entries) {
    int n = sys_enter(r->fd, tail - r->submitted);
    if (n > 0) r->submitted += (unsigned int)n;
    head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
    if (tail - head >= r->sq_entries) return NULL;
  }
  sqe = &r->sqes[tail & r->sq_mask];
  memset(sqe, 0, sizeof(*sqe));
  return sqe;
}

/* Publishes the entry get_sqe gave; the kernel reads it at the next
 * io_uring_enter. */
static void push_sqe(uv_loop_t* loop, struct uring* r, uv_fs_t* req,
                     struct io_uring_sqe* sqe) {
  sqe->user_data = (uint64_t)(uintptr_t)req;
  __atomic_store_n(r->sq_tail, *r->sq_tail + 1, __ATOMIC_RELEASE);
  if (r->in_flight++ == 0) uv__io_start(loop, &r->io, UV__POLLIN);
}

#ifdef STATX_BASIC_STATS
static struct statx* statx_buffer(struct uring* r) {
  if (r->nsx_free > 0) return r->sx_free[--r->nsx_free];
  return uv__malloc(sizeof(struct statx));
}

/* Keeps a finished stat's buffer for the next (as many as can be in
 * flight at once, which bounds the cache). */
static void statx_release(struct uring* r, struct statx* sx) {
  struct statx** list;
  if (sx == NULL) return;
  if (r->sx_free == NULL) {
    list = uv__malloc(r->cq_entries * sizeof(*list));
    if (list == NULL) {
      uv__free(sx);
      return;
    }
    r->sx_free = list;
  }
  if (r->nsx_free < r->cq_entries)
    r->sx_free[r->nsx_free++] = sx;
  else
    uv__free(sx);
}
#endif

/* Whether a read is one the ring does exactly as the pool would: one
 * readv on a regular file.  Elsewhere the two differ: the ring ignores an
 * offset on a pipe (the pool gets ESPIPE) and waits on an O_NONBLOCK pipe
 * or socket (the pool gets EAGAIN).  More buffers than one readv takes,
 * or more bytes than the kernel moves at once, make the pool read on. */
static int read_on_ring(const struct uring* r, const uv_fs_t* req) {
  struct stat st;
  size_t sum = 0;
  unsigned int i;

  if (!op_supported(r, IORING_OP_READV) || req->nbufs > IOV_MAX_RING)
    return 0;
  for (i = 0; i < req->nbufs; i++) {
    if (req->bufs[i].len > MAX_RW - sum) return 0;
    sum += req->bufs[i].len;
  }
  return fstat(req->file, &st) == 0 && S_ISREG(st.st_mode);
}

/* Fills sqe for req; UV_ENOSYS when the ring does not do this call. */
static int prep(struct uring* r, uv_fs_t* req, struct io_uring_sqe* sqe) {
  switch (req->fs_type) {
#ifdef STATX_BASIC_STATS
    case UV_FS_STAT:
    case UV_FS_LSTAT:
    case UV_FS_FSTAT: {
      struct statx* sx;
      /* Where statx is refused the pool's stat fallback answers. */
      if (uv__fs_statx_refused() || !op_supported(r, IORING_OP_STATX))
        return UV_ENOSYS;
      sx = statx_buffer(r);
      if (sx == NULL) return UV_ENOSYS;
      req->fs_uring = sx;
      sqe->opcode = IORING_OP_STATX;
      sqe->fd = AT_FDCWD;
      sqe->addr = (uint64_t)(uintptr_t)req->path;
      sqe->statx_flags = AT_STATX_SYNC_AS_STAT;
      if (req->fs_type == UV_FS_FSTAT) {
        sqe->fd = req->file;
        sqe->addr = (uint64_t)(uintptr_t)"";
        sqe->statx_flags |= AT_EMPTY_PATH;
      } else if (req->fs_type == UV_FS_LSTAT) {
        sqe->statx_flags |= AT_SYMLINK_NOFOLLOW;
      }
      sqe->len = STATX_BASIC_STATS | STATX_BTIME;
      sqe->off = (uint64_t)(uintptr_t)sx; /* addr2 */
      return 0;
    }
#endif
    case UV_FS_OPEN:
      if (!op_supported(r, IORING_OP_OPENAT)) return UV_ENOSYS;
      sqe->opcode = IORING_OP_OPENAT;
      sqe->fd = AT_FDCWD;
      sqe->addr = (uint64_t)(uintptr_t)req->path;
      sqe->len = (unsigned int)req->mode;
      sqe->open_flags = (unsigned int)(req->flags | O_CLOEXEC);
      return 0;
    case UV_FS_CLOSE:
      if (!op_supported(r, IORING_OP_CLOSE)) return UV_ENOSYS;
      sqe->opcode = IORING_OP_CLOSE;
      sqe->fd = req->file;
      return 0;
    case UV_FS_FSYNC:
    case UV_FS_FDATASYNC:
      if (!op_supported(r, IORING_OP_FSYNC)) return UV_ENOSYS;
      sqe->opcode = IORING_OP_FSYNC;
      sqe->fd = req->file;
      if (req->fs_type == UV_FS_FDATASYNC)
        sqe->fsync_flags = IORING_FSYNC_DATASYNC;
      return 0;
    case UV_FS_FTRUNCATE:
      if (!op_supported(r, OP_FTRUNCATE)) return UV_ENOSYS;
      sqe->opcode = OP_FTRUNCATE;
      sqe->fd = req->file;
      sqe->off = (uint64_t)req->off;
      return 0;
    case UV_FS_RENAME:
    case UV_FS_LINK:
      if (!op_supported(r, req->fs_type == UV_FS_RENAME ? IORING_OP_RENAMEAT
                                                        : IORING_OP_LINKAT))
        return UV_ENOSYS;
      /* rename(2) and link(2) are these with no flags: link does not
       * follow a symbolic link. */
      sqe->opcode = req->fs_type == UV_FS_RENAME ? IORING_OP_RENAMEAT
                                                 : IORING_OP_LINKAT;
      sqe->fd = AT_FDCWD;
      sqe->addr = (uint64_t)(uintptr_t)req->path;
      sqe->len = (unsigned int)AT_FDCWD;
      sqe->off = (uint64_t)(uintptr_t)req->new_path; /* addr2 */
      return 0;
    case UV_FS_SYMLINK:
      if (!op_supported(r, IORING_OP_SYMLINKAT)) return UV_ENOSYS;
      sqe->opcode = IORING_OP_SYMLINKAT;
      sqe->fd = AT_FDCWD;
      sqe->addr = (uint64_t)(uintptr_t)req->path;     /* the target */
      sqe->off = (uint64_t)(uintptr_t)req->new_path; /* the link */
      return 0;
    case UV_FS_UNLINK:
    case UV_FS_RMDIR:
      if (!op_supported(r, IORING_OP_UNLINKAT)) return UV_ENOSYS;
      sqe->opcode = IORING_OP_UNLINKAT;
      sqe->fd = AT_FDCWD;
      sqe->addr = (uint64_t)(uintptr_t)req->path;
      if (req->fs_type == UV_FS_RMDIR) sqe->unlink_flags = AT_REMOVEDIR;
      return 0;
    case UV_FS_MKDIR:
      if (!op_supported(r, IORING_OP_MKDIRAT)) return UV_ENOSYS;
      sqe->opcode = IORING_OP_MKDIRAT;
      sqe->fd = AT_FDCWD;
      sqe->addr = (uint64_t)(uintptr_t)req->path;
      sqe->len = (unsigned int)req->mode;
      return 0;
    case UV_FS_READ:
      if (!read_on_ring(r, req)) return UV_ENOSYS;
      sqe->opcode = IORING_OP_READV;
      sqe->fd = req->file;
      sqe->addr = (uint64_t)(uintptr_t)req->bufs;
      sqe->len = req->nbufs;
      /* -1: at the file position, which the read moves (RW_CUR_POS). */
      sqe->off = req->off < 0 ? (uint64_t)-1 : (uint64_t)req->off;
      return 0;
    default:
      return UV_ENOSYS;
  }
}

int uv__uring_fs_start(uv_fs_t* req) {
  struct uring* r = loop_uring(req->loop);
  struct io_uring_sqe* sqe;
  int err;

  if (r == NULL) return UV_ENOSYS;
  /* Never more in flight than the completion queue holds. */
  if (r->in_flight >= r->cq_entries) return UV_ENOSYS;
  sqe = get_sqe(r);
  if (sqe == NULL) return UV_ENOSYS;
  err = prep(r, req, sqe);
  if (err != 0) return err; /* the entry is simply not published */
  push_sqe(req->loop, r, req, sqe);
  return 0;
}

int uv__uring_unflushed(const uv_loop_t* loop) {
  const struct uring* r = loop->uring;
  return r != NULL && *r->sq_tail != r->submitted;
}

int uv__uring_flush(uv_loop_t* loop) {
  struct uring* r = loop->uring;
  unsigned int tail;
  int n;

  if (r == NULL) return 0;
  tail = *r->sq_tail;
  while (r->submitted != tail) {
    n = sys_enter(r->fd, tail - r->submitted);
    if (n > 0) {
      r->submitted += (unsigned int)n;
      continue;
    }
    if (n == 0 || errno == EINTR) continue;
    /* EAGAIN, EBUSY: the kernel is short of memory or its completion
     * backlog is full; what completes frees it, so poll and come back. */
    if (errno == EAGAIN || errno == EBUSY) return 1;
    uv__fatal("uv__uring_flush", loop, strerror(errno));
  }
  return 0;
}

/* ---- completing ----------------------------------------------------------- */

/* Sets req's result from the kernel's answer res; returns 0 when the
 * request is finished, 1 when it went on to the pool. */
static int complete(struct uring* r, uv_fs_t* req, int res) {
  switch (req->fs_type) {
#ifdef STATX_BASIC_STATS
    case UV_FS_STAT:
    case UV_FS_LSTAT:
    case UV_FS_FSTAT: {
      struct statx* sx = req->fs_uring;
      req->fs_uring = NULL;
      if (res == 0) uv__fs_statx_fill(sx, &req->statbuf);
      statx_release(r, sx);
      /* statx refused (a filter, an odd file system): the pool's stat
       * fallback answers, as it would have on its own. */
      if (uv__fs_statx_refusal(res) && uv__fs_to_pool(req) == 0) return 1;
      if (res == 0) req->ptr = &req->statbuf;
      break;
    }
#endif
    case UV_FS_READ:
      /* EAGAIN: an O_NONBLOCK file on a file system that cannot wait
       * without blocking; EINTR: the pool retries it.  A blocking read on
       * the pool gives what the caller expects. */
      if ((res == UV_EAGAIN || res == UV_EINTR) && uv__fs_to_pool(req) == 0)
        return 1;
      break;
    case UV_FS_CLOSE:
      /* Linux frees the descriptor even then (uv__close does the same). */
      if (res == UV_EINTR || res == -EINPROGRESS) res = 0;
      break;
    default:
      break;
  }
  (void)r;
  req->result = res;
  return 0;
}

void uv__uring_io(uv_loop_t* loop, unsigned int events) {
  struct uring* r = loop->uring;
  struct io_uring_cqe* cqe;
  unsigned int first;
  unsigned int head;
  unsigned int tail;
  uv_fs_t* req;
  int res;

  (void)events;
  if (r == NULL) return;
  head = *r->cq_head;
  /* What is there now; later completions wake the next poll. */
  tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
  first = head;
  while (head != tail) {
    if (head != first) uv__metrics_extra_event(loop);
    cqe = &r->cqes[head & r->cq_mask];
    req = (uv_fs_t*)(uintptr_t)cqe->user_data;
    res = cqe->res;
    head++;
    /* Give the slot back before the callback, which may submit more. */
    __atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
    r->in_flight--;
    if (complete(r, req, res) == 0) uv__fs_finish(req);
    /* The callback may have closed the loop (its last request done) or
     * forked and dropped the ring: then r is gone. */
    if (loop->uring != r) return;
  }
  if (r->in_flight == 0) uv__io_stop(loop, &r->io, UV__POLLIN);
}
