/* eddy — uv_fs_event_t on Linux: inotify.
 *
 * One inotify instance per loop, opened on the first uv_fs_event_start
 * (non-blocking, close-on-exec) and watched like any descriptor.  The kernel
 * gives every watched inode one watch descriptor per instance, so handles
 * watching the same path (or the same inode by another name) share it: the
 * loop keeps one entry per watch descriptor with the list of its handles,
 * and the watch is removed from the kernel when the last handle stops.
 *
 * Events are reported like libuv reports them on Linux: IN_ATTRIB and
 * IN_MODIFY are UV_CHANGE, everything else (create, delete, move, the
 * watched inode going away, IN_IGNORED) is UV_RENAME; the filename is the
 * entry's name for an event inside a watched directory, otherwise the
 * basename of the path the handle watches.  Flags are accepted and ignored,
 * as libuv does on Linux (UV_FS_EVENT_RECURSIVE has no inotify equivalent,
 * and libuv still returns 0). */
#include "internal.h"

#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define WATCH_MASK                                                          \
  (IN_ATTRIB | IN_CREATE | IN_MODIFY | IN_DELETE | IN_DELETE_SELF |         \
   IN_MOVE_SELF | IN_MOVED_FROM | IN_MOVED_TO)

/* How many read(2)s of the inotify fd one poll round may do: the rest waits
 * for the next round, so that a flood of events cannot starve the loop. */
#define MAX_READS 32

struct watch_entry {
  struct uv__link link;    /* on loop->inotify_watches */
  struct uv__link handles; /* uv_fs_event_t.watchers */
  int wd;
  int dead;                /* the kernel dropped the watch (IN_IGNORED) */
  unsigned int iterating;  /* callbacks running: do not free */
};

static int is_fs_event(const uv_fs_event_t* handle) {
  return handle != NULL && handle->type == UV_FS_EVENT;
}

void uv__inotify_loop_init(uv_loop_t* loop) {
  uv__io_init(&loop->inotify_io, UV__IO_INOTIFY, -1);
  uv__link_init(&loop->inotify_watches);
}

static struct watch_entry* find_entry(uv_loop_t* loop, int wd) {
  struct uv__link* l;
  struct watch_entry* e;

  for (l = loop->inotify_watches.next; l != &loop->inotify_watches;
       l = l->next) {
    e = container_of(l, struct watch_entry, link);
    if (e->wd == wd) return e;
  }
  return NULL;
}

static int inotify_open(uv_loop_t* loop) {
  int fd;
  int err;

  if (loop->inotify_io.fd >= 0) return 0;
  fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return -errno;
  uv__io_init(&loop->inotify_io, UV__IO_INOTIFY, fd);
  err = uv__io_start(loop, &loop->inotify_io, UV__POLLIN);
  if (err != 0) {
    uv__io_init(&loop->inotify_io, UV__IO_INOTIFY, -1);
    uv__close(fd);
    return err;
  }
  return 0;
}

static void maybe_free_entry(uv_loop_t* loop, struct watch_entry* e) {
  if (e->iterating != 0 || !uv__link_empty(&e->handles)) return;
  /* A watch the kernel already dropped has a descriptor that is no longer
   * ours to remove. */
  if (!e->dead && loop->inotify_io.fd >= 0)
    inotify_rm_watch(loop->inotify_io.fd, e->wd);
  uv__link_remove(&e->link);
  uv__free(e);
}

/* Adds the kernel watch for handle->path and puts the handle on its
 * entry. */
static int add_watch(uv_loop_t* loop, uv_fs_event_t* handle) {
  struct watch_entry* e;
  int wd;
  int err;

  err = inotify_open(loop);
  if (err != 0) return err;
  wd = inotify_add_watch(loop->inotify_io.fd, handle->path, WATCH_MASK);
  if (wd < 0) return -errno;

  e = find_entry(loop, wd);
  if (e != NULL && e->dead) {
    /* The kernel reused a descriptor whose IN_IGNORED we saw: it is a new
     * watch now. */
    e->dead = 0;
  }
  if (e == NULL) {
    e = uv__malloc(sizeof(*e));
    if (e == NULL) {
      inotify_rm_watch(loop->inotify_io.fd, wd);
      return UV_ENOMEM;
    }
    e->wd = wd;
    e->dead = 0;
    e->iterating = 0;
    uv__link_init(&e->handles);
    uv__link_insert_tail(&loop->inotify_watches, &e->link);
  }
  handle->wd = wd;
  uv__link_insert_tail(&e->handles, &handle->watchers);
  return 0;
}

UV__EXPORT int uv_fs_event_init(uv_loop_t* loop, uv_fs_event_t* handle) {
  if (loop == NULL || handle == NULL) return UV_EINVAL;
  uv__handle_init(loop, (uv_handle_t*)handle, UV_FS_EVENT);
  handle->path = NULL;
  handle->cb = NULL;
  uv__link_init(&handle->watchers);
  handle->wd = -1;
  handle->fs_event_spare = 0;
  return 0;
}

UV__EXPORT int uv_fs_event_start(uv_fs_event_t* handle, uv_fs_event_cb cb,
                                 const char* path, unsigned int flags) {
  int err;

  (void)flags; /* see the top of the file */
  if (!is_fs_event(handle) || cb == NULL || path == NULL)
    return UV_EINVAL;
  if (uv__is_closing((uv_handle_t*)handle) ||
      uv__is_active((uv_handle_t*)handle))
    return UV_EINVAL;

  handle->path = uv__strdup(path);
  if (handle->path == NULL) return UV_ENOMEM;
  err = add_watch(handle->loop, handle);
  if (err != 0) {
    uv__free(handle->path);
    handle->path = NULL;
    return err;
  }
  handle->cb = cb;
  uv__handle_start((uv_handle_t*)handle);
  return 0;
}

UV__EXPORT int uv_fs_event_stop(uv_fs_event_t* handle) {
  struct watch_entry* e;

  if (!is_fs_event(handle)) return UV_EINVAL;
  if (!uv__is_active((uv_handle_t*)handle)) return 0;

  e = uv__link_linked(&handle->watchers)
          ? find_entry(handle->loop, handle->wd)
          : NULL;
  uv__link_remove(&handle->watchers);
  if (e != NULL) maybe_free_entry(handle->loop, e);
  handle->wd = -1;
  uv__free(handle->path);
  handle->path = NULL;
  uv__handle_stop((uv_handle_t*)handle);
  return 0;
}

void uv__fs_event_close(uv_fs_event_t* handle) { uv_fs_event_stop(handle); }

UV__EXPORT int uv_fs_event_getpath(uv_fs_event_t* handle, char* buffer,
                                   size_t* size) {
  size_t len;

  if (!is_fs_event(handle) || buffer == NULL || size == NULL)
    return UV_EINVAL;
  if (!uv__is_active((uv_handle_t*)handle) || handle->path == NULL) {
    *size = 0;
    return UV_EINVAL;
  }
  len = strlen(handle->path);
  if (len >= *size) {
    *size = len + 1; /* what the caller must pass, the NUL included */
    return UV_ENOBUFS;
  }
  memcpy(buffer, handle->path, len + 1);
  *size = len;
  return 0;
}

static const char* path_basename(const char* path) {
  const char* slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

/* Hands one inotify event to every handle on its watch descriptor.  The
 * handles are moved to a local list and put back one by one before their
 * callback runs, so a callback may stop or close any handle (itself or
 * another), or start new ones, without upsetting the walk; the entry stays
 * allocated until the walk is over. */
static void deliver(uv_loop_t* loop, const struct inotify_event* ev) {
  struct watch_entry* e = find_entry(loop, ev->wd);
  struct uv__link pending;
  struct uv__link* l;
  uv_fs_event_t* h;
  const char* name;
  int events = 0;

  if (e == NULL) return; /* a watch stopped since, or IN_Q_OVERFLOW (-1) */
  if (ev->mask & (IN_ATTRIB | IN_MODIFY)) events |= UV_CHANGE;
  if (ev->mask & ~(uint32_t)(IN_ATTRIB | IN_MODIFY)) events |= UV_RENAME;
  if (ev->mask & IN_IGNORED) e->dead = 1;

  e->iterating++;
  uv__link_move(&e->handles, &pending);
  while (!uv__link_empty(&pending)) {
    l = pending.next;
    uv__link_remove(l);
    uv__link_insert_tail(&e->handles, l);
    h = container_of(l, uv_fs_event_t, watchers);
    name = ev->len != 0 ? ev->name : path_basename(h->path);
    h->cb(h, name, events, 0);
  }
  e->iterating--;
  maybe_free_entry(loop, e);
}

void uv__inotify_io(uv_loop_t* loop, unsigned int events) {
  /* Aligned for struct inotify_event, as inotify(7) asks. */
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  const struct inotify_event* ev;
  ssize_t n;
  ssize_t off;
  int reads;

  (void)events;
  for (reads = 0; reads < MAX_READS; reads++) {
    if (loop->inotify_io.fd < 0) return;
    n = read(loop->inotify_io.fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return; /* EAGAIN: drained */
    }
    if (n == 0) return;
    for (off = 0; off + (ssize_t)sizeof(*ev) <= n;
         off += (ssize_t)sizeof(*ev) + ev->len) {
      ev = (const struct inotify_event*)(buf + off);
      deliver(loop, ev);
    }
  }
}

void uv__inotify_loop_close(uv_loop_t* loop) {
  struct watch_entry* e;
  int fd = loop->inotify_io.fd;

  /* uv_loop_close refuses while handles remain, so no entry is left; free
   * any all the same rather than leak. */
  while (!uv__link_empty(&loop->inotify_watches)) {
    e = container_of(loop->inotify_watches.next, struct watch_entry, link);
    while (!uv__link_empty(&e->handles)) uv__link_remove(e->handles.next);
    uv__link_remove(&e->link);
    uv__free(e);
  }
  if (fd < 0) return;
  uv__io_close(loop, &loop->inotify_io);
  uv__close(fd);
  uv__io_init(&loop->inotify_io, UV__IO_INOTIFY, -1);
}

/* The child shares the parent's inotify instance: removing a watch from it
 * would remove the parent's.  It forgets the instance instead and builds its
 * own, adding back every handle's watch. */
int uv__inotify_fork(uv_loop_t* loop) {
  struct uv__link handles;
  struct watch_entry* e;
  uv_fs_event_t* h;
  int fd = loop->inotify_io.fd;
  int first_err = 0;
  int err;

  if (fd < 0) return 0;
  uv__link_init(&handles);
  while (!uv__link_empty(&loop->inotify_watches)) {
    e = container_of(loop->inotify_watches.next, struct watch_entry, link);
    while (!uv__link_empty(&e->handles)) {
      struct uv__link* l = e->handles.next;
      uv__link_remove(l);
      uv__link_insert_tail(&handles, l);
    }
    uv__link_remove(&e->link);
    uv__free(e);
  }
  uv__io_close(loop, &loop->inotify_io);
  uv__close(fd);
  uv__io_init(&loop->inotify_io, UV__IO_INOTIFY, -1);

  while (!uv__link_empty(&handles)) {
    h = container_of(handles.next, uv_fs_event_t, watchers);
    uv__link_remove(&h->watchers);
    h->wd = -1;
    /* A handle whose path is gone stays active but silent, as it would
     * have been after its watch was dropped. */
    err = add_watch(loop, h);
    if (first_err == 0 && (err == UV_ENOMEM || loop->inotify_io.fd < 0))
      first_err = err;
  }
  return first_err;
}
