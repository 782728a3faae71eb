/* eddy — signal handles: Unix signals delivered to loops.
 *
 * A signal is process-wide; its watchers belong to loops.  While any
 * handle of any loop watches signal N, eddy's handler is installed for N
 * (when the last watcher of N stops, N goes back to SIG_DFL, as in libuv,
 * whatever was there before).  The handler only writes the byte N to the pipe of
 * every loop that has a started handle for N; that is async-signal-safe,
 * and it keeps errno.  The loop reads its pipe in the poll phase and calls
 * every started handle of N, once per signal caught.
 *
 * The process-wide state (installed handlers, which loops watch what) is
 * guarded by a spin lock.  Code that takes it blocks every signal first,
 * so a handler can never interrupt its own thread while the lock is held;
 * a handler running on another thread waits the few instructions the
 * holder needs.  The handler runs with every signal blocked too (its
 * sa_mask), so handlers never nest.
 *
 * A write that finds the pipe full (tens of thousands of signals between
 * two iterations) is remembered in loop->signal_overflow instead, so the
 * latest signal of each number is never lost, only coalesced. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Signal numbers the handles accept: 1 .. SIGNAL_MAX (the counts and the
 * overflow bits of a loop have room for 64). */
#define SIGNAL_MAX (NSIG - 1 < 64 ? NSIG - 1 : 64)

static struct uv__link signal_loops = {&signal_loops, &signal_loops};
static unsigned int signal_watchers[SIGNAL_MAX + 1]; /* all loops */
static int signal_lock_word;

static void spin_lock(void) {
  while (__atomic_exchange_n(&signal_lock_word, 1, __ATOMIC_ACQUIRE) != 0)
    sched_yield();
}

static void spin_unlock(void) {
  __atomic_store_n(&signal_lock_word, 0, __ATOMIC_RELEASE);
}

/* For code outside the handler: signals blocked, then the lock. */
static void global_lock(sigset_t* saved) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, saved);
  spin_lock();
}

static void global_unlock(const sigset_t* saved) {
  spin_unlock();
  pthread_sigmask(SIG_SETMASK, saved, NULL);
}

static void signal_handler(int signum) {
  int saved_errno = errno;
  unsigned char byte = (unsigned char)signum;
  struct uv__link* l;
  uv_loop_t* loop;
  ssize_t r;

  if (signum < 1 || signum > SIGNAL_MAX) return;
  spin_lock();
  for (l = signal_loops.next; l != &signal_loops; l = l->next) {
    loop = container_of(l, uv_loop_t, signal_loop_link);
    if (loop->signal_counts[signum - 1] == 0) continue;
    do
      r = write(loop->signal_pipe_w, &byte, 1);
    while (r < 0 && errno == EINTR);
    if (r == 1) continue;
    /* The pipe is full: the loop will drain it, and then see the bit.
     * Write once more in case it drained between the two steps. */
    __atomic_fetch_or(&loop->signal_overflow, (uint64_t)1 << (signum - 1),
                      __ATOMIC_SEQ_CST);
    do
      r = write(loop->signal_pipe_w, &byte, 1);
    while (r < 0 && errno == EINTR);
  }
  spin_unlock();
  errno = saved_errno;
}

void uv__signal_loop_init(uv_loop_t* loop) {
  uv__link_init(&loop->signal_handles);
  uv__link_init(&loop->signal_loop_link);
  uv__io_init(&loop->signal_io, UV__IO_SIGNAL, -1);
  loop->signal_pipe_w = -1;
  loop->signal_nstarted = 0;
  loop->signal_overflow = 0;
  memset(loop->signal_counts, 0, sizeof(loop->signal_counts));
  uv__link_init(&loop->process_handles);
  loop->child_watcher = NULL;
}

int uv__signal_open(uv_loop_t* loop) {
  int fds[2];
  int err;

  if (loop->signal_io.fd >= 0) return 0;
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return -errno;
  uv__io_init(&loop->signal_io, UV__IO_SIGNAL, fds[0]);
  err = uv__io_start(loop, &loop->signal_io, UV__POLLIN);
  if (err != 0) {
    uv__io_init(&loop->signal_io, UV__IO_SIGNAL, -1);
    uv__close(fds[0]);
    uv__close(fds[1]);
    return err;
  }
  /* The handler reads signal_pipe_w under the lock. */
  {
    sigset_t saved;
    global_lock(&saved);
    loop->signal_pipe_w = fds[1];
    global_unlock(&saved);
  }
  return 0;
}

/* The handler writes only to loops on signal_loops, which a loop joins
 * with its first watched signal (watch_locked, on the loop thread). */
int uv__signal_fd_quiet(const uv_loop_t* loop) {
  return loop->signal_nstarted == 0;
}

static int signum_valid(int signum) {
  return signum >= 1 && signum <= SIGNAL_MAX;
}

/* Counts one more watcher of signum for loop; installs the handler for
 * the first watcher in the process.  Called with the lock held. */
static int watch_locked(uv_loop_t* loop, int signum) {
  struct sigaction sa;

  if (signal_watchers[signum] == 0) {
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = signal_handler;
    sa.sa_flags = SA_RESTART;
    sigfillset(&sa.sa_mask);
    if (sigaction(signum, &sa, NULL) != 0) return -errno;
  }
  signal_watchers[signum]++;
  loop->signal_counts[signum - 1]++;
  if (loop->signal_nstarted++ == 0)
    uv__link_insert_tail(&signal_loops, &loop->signal_loop_link);
  return 0;
}

/* The reverse; the last watcher in the process puts back SIG_DFL, as
 * libuv does (not the disposition found before: a runtime's own handler,
 * such as OCaml's for Sys.Break, stays replaced, and a second Ctrl-C kills
 * the process as it does on libuv). */
static void unwatch_locked(uv_loop_t* loop, int signum) {
  assert(signal_watchers[signum] > 0);
  assert(loop->signal_counts[signum - 1] > 0);
  loop->signal_counts[signum - 1]--;
  if (--loop->signal_nstarted == 0) uv__link_remove(&loop->signal_loop_link);
  if (--signal_watchers[signum] == 0) {
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(signum, &sa, NULL);
  }
}

UV__EXPORT int uv_signal_init(uv_loop_t* loop, uv_signal_t* handle) {
  int err;

  if (loop == NULL || handle == NULL || loop->backend_fd < 0)
    return UV_EINVAL;
  err = uv__signal_open(loop);
  if (err != 0) return err;
  uv__handle_init(loop, (uv_handle_t*)handle, UV_SIGNAL);
  handle->signal_cb = NULL;
  handle->signum = 0;
  uv__link_init(&handle->signal_link);
  memset(handle->signal_reserved, 0, sizeof(handle->signal_reserved));
  return 0;
}

static int signal_start(uv_signal_t* handle, uv_signal_cb signal_cb,
                        int signum, int oneshot) {
  uv_loop_t* loop;
  sigset_t saved;
  int err;

  if (handle == NULL || handle->type != UV_SIGNAL ||
      uv__is_closing((uv_handle_t*)handle) || signal_cb == NULL ||
      !signum_valid(signum))
    return UV_EINVAL;
  loop = handle->loop;

  /* Already watching this signal: only the callback and mode change, and
   * no signal caught meanwhile is lost. */
  if (uv__is_active((uv_handle_t*)handle) && handle->signum == signum) {
    handle->signal_cb = signal_cb;
    if (oneshot)
      handle->flags |= UV__SIGNAL_ONESHOT;
    else
      handle->flags &= ~UV__SIGNAL_ONESHOT;
    return 0;
  }

  global_lock(&saved);
  /* The new signal first: if it cannot be watched (SIGKILL, SIGSTOP), the
   * handle keeps watching what it watched. */
  err = watch_locked(loop, signum);
  if (err == 0 && uv__is_active((uv_handle_t*)handle))
    unwatch_locked(loop, handle->signum);
  global_unlock(&saved);
  if (err != 0) return err;

  handle->signum = signum;
  handle->signal_cb = signal_cb;
  if (oneshot)
    handle->flags |= UV__SIGNAL_ONESHOT;
  else
    handle->flags &= ~UV__SIGNAL_ONESHOT;
  if (!uv__link_linked(&handle->signal_link))
    uv__link_insert_tail(&loop->signal_handles, &handle->signal_link);
  uv__handle_start((uv_handle_t*)handle);
  return 0;
}

UV__EXPORT int uv_signal_start(uv_signal_t* handle, uv_signal_cb signal_cb,
                               int signum) {
  return signal_start(handle, signal_cb, signum, 0);
}

UV__EXPORT int uv_signal_start_oneshot(uv_signal_t* handle,
                                       uv_signal_cb signal_cb, int signum) {
  return signal_start(handle, signal_cb, signum, 1);
}

static void signal_stop(uv_signal_t* handle) {
  sigset_t saved;

  if (!uv__is_active((uv_handle_t*)handle)) return;
  global_lock(&saved);
  unwatch_locked(handle->loop, handle->signum);
  global_unlock(&saved);
  uv__link_remove(&handle->signal_link);
  uv__handle_stop((uv_handle_t*)handle);
}

UV__EXPORT int uv_signal_stop(uv_signal_t* handle) {
  if (handle == NULL || handle->type != UV_SIGNAL) return UV_EINVAL;
  signal_stop(handle);
  return 0;
}

void uv__signal_close(uv_signal_t* handle) {
  signal_stop(handle);
}

/* Calls every started handle of signum, each once. */
static void dispatch(uv_loop_t* loop, int signum) {
  struct uv__link snapshot;
  struct uv__link* l;
  uv_signal_t* h;

  if (signum < 1 || signum > SIGNAL_MAX ||
      loop->signal_counts[signum - 1] == 0)
    return;
  /* Walk a snapshot: callbacks may stop, close or start handles. */
  uv__link_move(&loop->signal_handles, &snapshot);
  while (!uv__link_empty(&snapshot)) {
    l = snapshot.next;
    uv__link_remove(l);
    uv__link_insert_tail(&loop->signal_handles, l);
    h = container_of(l, uv_signal_t, signal_link);
    if (h->signum != signum) continue;
    if (h->flags & UV__SIGNAL_ONESHOT) signal_stop(h);
    h->signal_cb(h, signum);
  }
}

void uv__signal_io(uv_loop_t* loop, unsigned int events) {
  unsigned char buf[256];
  uint64_t missed;
  ssize_t r;
  ssize_t i;
  int signum;

  (void)events;
  for (;;) {
    r = read(loop->signal_io.fd, buf, sizeof(buf));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    for (i = 0; i < r; i++) dispatch(loop, buf[i]);
    if ((size_t)r < sizeof(buf) || loop->signal_io.fd < 0) break;
  }
  missed = __atomic_exchange_n(&loop->signal_overflow, 0, __ATOMIC_SEQ_CST);
  for (signum = 1; missed != 0; signum++, missed >>= 1)
    if (missed & 1) dispatch(loop, signum);
}

/* Called by uv_loop_close once every user handle is closed, so no signal
 * handle of the loop is started any more. */
void uv__signal_loop_close(uv_loop_t* loop) {
  sigset_t saved;
  int fd = loop->signal_io.fd;

  if (fd < 0) return;
  global_lock(&saved);
  if (uv__link_linked(&loop->signal_loop_link))
    uv__link_remove(&loop->signal_loop_link);
  uv__close(loop->signal_pipe_w);
  loop->signal_pipe_w = -1;
  global_unlock(&saved);
  uv__io_close(loop, &loop->signal_io);
  uv__close(fd);
  uv__io_init(&loop->signal_io, UV__IO_SIGNAL, -1);
}

/* The child of a fork shares the parent's pipe: take a new one, so that
 * the two processes do not read each other's signals. */
int uv__signal_loop_fork(uv_loop_t* loop) {
  sigset_t saved;
  int fd = loop->signal_io.fd;

  if (fd < 0) return 0;
  global_lock(&saved);
  uv__close(loop->signal_pipe_w);
  loop->signal_pipe_w = -1;
  global_unlock(&saved);
  uv__io_close(loop, &loop->signal_io);
  uv__close(fd);
  uv__io_init(&loop->signal_io, UV__IO_SIGNAL, -1);
  return uv__signal_open(loop);
}
