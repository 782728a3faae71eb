/* eddy — TTY handles: terminal streams, their modes and window size.
 *
 * A TTY handle is a stream (src/unix/stream.c) on a terminal, a pipe or a
 * socket.  A terminal slave is reopened by its name (ttyname_r) so that
 * the handle gets an open file description of its own: making that one
 * non-blocking cannot surprise another process sharing the terminal (the
 * shell, `prog | cat`).  When the terminal cannot be reopened (a pty
 * master, whose reopening would make a new pty) the descriptor stays as it
 * is, blocking, and writes simply complete before uv_write returns, as in
 * libuv.  Unlike libuv, the caller's descriptor is left as it was (libuv
 * dup2()s the reopened terminal over it, which makes it non-blocking and
 * close-on-exec behind the caller's back).
 *
 * Modes: the first switch out of normal mode saves the terminal's
 * settings in the handle and, once per process, in saved_termios for
 * uv_tty_reset_mode(), which a signal handler may call (it only try-locks
 * and calls tcsetattr, both async-signal-safe).  Closing the handle that
 * saved them gives the terminal back its settings (libuv 1.49 and later). */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* The settings uv_tty_reset_mode() restores, and the descriptor to
 * restore them through (-1: none saved).  saved_lock guards both. */
static struct termios saved_termios;
static int saved_fd = -1;
static int saved_lock;

static int lock_try(void) {
  return __atomic_exchange_n(&saved_lock, 1, __ATOMIC_ACQUIRE) == 0;
}

/* Held for a few instructions by normal code only (a signal handler
 * never waits for it), so spinning is enough. */
static void lock_take(void) {
  while (!lock_try()) {
  }
}

static void lock_drop(void) { __atomic_store_n(&saved_lock, 0, __ATOMIC_RELEASE); }

static int set_attr(int fd, int when, const struct termios* t) {
  int r;
  do
    r = tcsetattr(fd, when, t);
  while (r != 0 && errno == EINTR);
  return r != 0 ? -errno : 0;
}

static int get_attr(int fd, struct termios* t) {
  int r;
  do
    r = tcgetattr(fd, t);
  while (r != 0 && errno == EINTR);
  return r != 0 ? -errno : 0;
}

static int is_tty(const uv_tty_t* t) { return t != NULL && t->type == UV_TTY; }

/* A pty master answers TIOCGPTN; reopening it by name would make a new
 * pty, so only other terminals are reopened. */
static int is_master(int fd) {
  unsigned int n;
  return ioctl(fd, TIOCGPTN, &n) == 0;
}

/* A descriptor of our own for the terminal behind fd, or -1. */
static int reopen_terminal(int fd, int access) {
  char path[PATH_MAX];
  int r;

  if (is_master(fd) || ttyname_r(fd, path, sizeof(path)) != 0) return -1;
  /* O_NONBLOCK: a serial line without carrier must not hang the open;
   * the descriptor is made non-blocking anyway. */
  do
    r = open(path, access | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  while (r < 0 && errno == EINTR);
  return r;
}

UV__EXPORT int uv_tty_init(uv_loop_t* loop, uv_tty_t* tty, uv_file fd,
                           int readable) {
  unsigned int flags = 0;
  uv_handle_type type;
  struct stat st;
  int blocking = 0;
  int access;
  int newfd = -1;
  int fl;
  int err;

  (void)readable; /* as in libuv since 1.23.1: the descriptor says */
  if (loop == NULL || tty == NULL || loop->backend_fd < 0) return UV_EINVAL;
  type = uv_guess_handle(fd);
  if (type == UV_FILE || type == UV_UNKNOWN_HANDLE) return UV_EINVAL;
  fl = fcntl(fd, F_GETFL);
  if (fl < 0) return -errno;
  access = fl & O_ACCMODE;

  if (type == UV_TTY) {
    newfd = reopen_terminal(fd, access);
    if (newfd >= 0)
      fd = newfd;
    else
      blocking = (fl & O_NONBLOCK) == 0; /* shared: leave it as it is */
  }
  if (access != O_WRONLY) flags |= UV__STREAM_READABLE;
  if (access != O_RDONLY) flags |= UV__STREAM_WRITABLE;
  if (fstat(fd, &st) == 0 && !S_ISSOCK(st.st_mode))
    flags |= UV__STREAM_NOT_SOCKET; /* writev, not sendmsg */

  if (!blocking) {
    err = uv__nonblock(fd, 1);
    if (err != 0) {
      if (newfd >= 0) uv__close(newfd);
      return err;
    }
  }
  uv__stream_init(loop, (uv_stream_t*)tty, UV_TTY);
  /* uv__stream_open would make the descriptor non-blocking: done above
   * when wanted, so the handle takes it as it is. */
  uv__stream_set_fd((uv_stream_t*)tty, fd);
  tty->flags |= flags;
  memset(&tty->orig_termios, 0, sizeof(tty->orig_termios));
  tty->mode = UV_TTY_MODE_NORMAL;
  return 0;
}

/* libuv's raw mode: no echo, no line editing or signals, no input
 * translation; output still turns \n into \r\n. */
static void make_raw(struct termios* t) {
  t->c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
  t->c_oflag |= ONLCR;
  t->c_cflag |= CS8;
  t->c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
  t->c_cc[VMIN] = 1;
  t->c_cc[VTIME] = 0;
}

/* Binary-safe I/O: what cfmakeraw(3) documents, no output processing. */
static void make_binary(struct termios* t) {
  t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
                            IGNCR | ICRNL | IXON);
  t->c_oflag &= ~(tcflag_t)OPOST;
  t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
  t->c_cflag |= CS8;
  t->c_cc[VMIN] = 1;
  t->c_cc[VTIME] = 0;
}

UV__EXPORT int uv_tty_set_mode(uv_tty_t* tty, uv_tty_mode_t mode) {
  struct termios t;
  int fd;
  int err;

  if (!is_tty(tty) || uv__is_closing((uv_handle_t*)tty)) return UV_EINVAL;
  switch (mode) {
    case UV_TTY_MODE_NORMAL:
    case UV_TTY_MODE_RAW:
    case UV_TTY_MODE_IO:
    case UV_TTY_MODE_RAW_VT:
      break;
    default:
      return UV_EINVAL;
  }
  fd = tty->io.fd;
  if (fd < 0) return UV_EBADF;
  if (tty->mode == (int)mode) return 0;

  if (tty->mode == UV_TTY_MODE_NORMAL) {
    err = get_attr(fd, &tty->orig_termios);
    if (err != 0) return err;
    lock_take();
    if (saved_fd == -1) {
      saved_termios = tty->orig_termios;
      saved_fd = fd;
    }
    lock_drop();
  }

  t = tty->orig_termios;
  switch (mode) {
    case UV_TTY_MODE_RAW:
    case UV_TTY_MODE_RAW_VT: /* the same on Unix: the terminal does VT */
      make_raw(&t);
      break;
    case UV_TTY_MODE_IO:
      make_binary(&t);
      break;
    default:
      break;
  }
  /* After what is queued for output has gone, as libuv does. */
  err = set_attr(fd, TCSADRAIN, &t);
  if (err != 0) return err;
  tty->mode = (int)mode;
  return 0;
}

/* Async-signal-safe: no allocation, no waiting; UV_EBUSY when it
 * interrupted uv_tty_set_mode. */
UV__EXPORT int uv_tty_reset_mode(void) {
  int saved_errno = errno;
  int err = 0;

  if (!lock_try()) return UV_EBUSY;
  if (saved_fd != -1) err = set_attr(saved_fd, TCSANOW, &saved_termios);
  lock_drop();
  errno = saved_errno;
  return err;
}

void uv__tty_close(uv_tty_t* tty) {
  int fd = tty->io.fd;

  /* Its descriptor is about to go: restore through it while it can. */
  if (fd >= 0) {
    lock_take();
    if (fd == saved_fd) {
      set_attr(fd, TCSANOW, &saved_termios);
      saved_fd = -1;
    }
    lock_drop();
  }
  uv__stream_close((uv_stream_t*)tty);
}

UV__EXPORT int uv_tty_get_winsize(uv_tty_t* tty, int* width, int* height) {
  struct winsize ws;
  int r;

  if (!is_tty(tty) || width == NULL || height == NULL) return UV_EINVAL;
  if (tty->io.fd < 0) return UV_EBADF;
  do
    r = ioctl(tty->io.fd, TIOCGWINSZ, &ws);
  while (r != 0 && errno == EINTR);
  if (r != 0) return -errno;
  *width = ws.ws_col;
  *height = ws.ws_row;
  return 0;
}

/* Virtual-terminal processing is the console's business on Windows only;
 * on Unix setting it does nothing and asking is not supported (libuv). */
UV__EXPORT void uv_tty_set_vterm_state(uv_tty_vtermstate_t state) {
  (void)state;
}

UV__EXPORT int uv_tty_get_vterm_state(uv_tty_vtermstate_t* state) {
  (void)state;
  return UV_ENOTSUP;
}
