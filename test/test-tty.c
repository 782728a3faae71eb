/* eddy tests — TTY handles (src/unix/tty.c) on pseudo-terminals.
 *
 * Each test opens a pty pair (posix_openpt) and puts the handle on the
 * slave, or on the master where that is the point.  uv_tty_reset_mode
 * works on settings saved once per process, so the tests of it run in a
 * child process of their own, where theirs is the first mode switch.
 *
 * The file also builds against the system's libuv (without eddy's
 * include/) and passes there; tests named eddy_* check eddy's answers
 * where libuv differs and skip themselves off eddy; tests of behaviour
 * newer than that libuv compile only when uv/version.h has it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* posix_openpt and friends, also without the build's */
#endif
#include "test-helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define UV_AT_LEAST(maj, min) \
  (UV_VERSION_HEX >= (((maj) << 16) | ((min) << 8)))

/* ---- helpers ---------------------------------------------------------------------- */

struct pty {
  int master;
  int slave;
};

static void pty_open(struct pty* p) {
  p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  assert_true(p->master >= 0);
  assert_int_equal(grantpt(p->master), 0);
  assert_int_equal(unlockpt(p->master), 0);
  p->slave = open(ptsname(p->master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  assert_true(p->slave >= 0);
}

static void pty_close(struct pty* p) {
  close(p->slave);
  close(p->master);
}

static struct termios attrs(int fd) {
  struct termios t;
  assert_int_equal(tcgetattr(fd, &t), 0);
  return t;
}

static int same_termios(const struct termios* a, const struct termios* b) {
  return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
         a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
         memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc)) == 0;
}

/* Reads from fd until want bytes came or 2 s passed. */
static size_t read_for(int fd, char* buf, size_t want) {
  struct pollfd p;
  size_t got = 0;
  ssize_t r;

  while (got < want) {
    p.fd = fd;
    p.events = POLLIN;
    if (poll(&p, 1, 2000) <= 0) break;
    r = read(fd, buf + got, want - got);
    if (r <= 0) break;
    got += (size_t)r;
  }
  return got;
}

static void guard_cb(uv_timer_t* t) { (void)t; }
static void free_handle_cb(uv_handle_t* h) { free(h); }

#define RUN_UNTIL(loop, cond)                                      \
  do {                                                             \
    uv_timer_t* g_ = malloc(sizeof(*g_));                          \
    uint64_t t0_ = uv_hrtime();                                    \
    assert_non_null(g_);                                           \
    assert_int_equal(uv_timer_init((loop), g_), 0);                \
    assert_int_equal(uv_timer_start(g_, guard_cb, 20, 20), 0);     \
    while (!(cond)) {                                              \
      assert_true(uv_hrtime() - t0_ < 5000000000ull);              \
      uv_run((loop), UV_RUN_ONCE);                                 \
    }                                                              \
    uv_close((uv_handle_t*)g_, free_handle_cb);                    \
  } while (0)

/* Runs this program again with `name` as its argument: a fresh process,
 * whose settings for uv_tty_reset_mode nothing saved yet (a fork would
 * inherit this one's).  The child's exit status is 0 or the number of the
 * check that failed. */
static void in_child(const char* name) {
  char* argv[3];
  int status;
  pid_t pid;

  argv[0] = "test-tty";
  argv[1] = (char*)name;
  argv[2] = NULL;
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    execv(self_exe(), argv);
    _exit(127);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- init ---------------------------------------------------------------------------- */

static void init_on_slave(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  uv_os_fd_t fd = -1;
  (void)state;

  pty_open(&p);
  assert_int_equal(uv_guess_handle(p.slave), UV_TTY);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(&loop, &tty, p.slave, 0), 0);
  assert_int_equal(tty.type, UV_TTY);
  assert_true(uv_is_readable((uv_stream_t*)&tty));
  assert_true(uv_is_writable((uv_stream_t*)&tty));
  assert_false(uv_is_active((uv_handle_t*)&tty));
  /* The terminal was reopened: a descriptor of its own, non-blocking. */
  assert_int_equal(uv_fileno((uv_handle_t*)&tty, &fd), 0);
  assert_true(fd != p.slave);
  assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
  assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
  assert_int_equal(uv_tty_get_winsize(&tty, &(int){0}, &(int){0}), 0);
  uv_close((uv_handle_t*)&tty, NULL);
  loop_close_clean(&loop);
  /* Closing the handle closed its own descriptor, not the caller's. */
  assert_int_equal(fcntl(fd, F_GETFD), -1);
  assert_true(fcntl(p.slave, F_GETFD) != -1);
  pty_close(&p);
}

/* eddy leaves the caller's descriptor alone (libuv dup2()s the reopened
 * terminal over it, making it non-blocking and close-on-exec). */
static void eddy_init_leaves_caller_fd(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  int fl;
  (void)state;
  EDDY_ONLY();

  pty_open(&p);
  assert_int_equal(fcntl(p.slave, F_SETFD, 0), 0);
  fl = fcntl(p.slave, F_GETFL);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(&loop, &tty, p.slave, 1), 0);
  assert_int_equal(fcntl(p.slave, F_GETFL), fl);
  assert_int_equal(fcntl(p.slave, F_GETFD), 0);
  uv_close((uv_handle_t*)&tty, NULL);
  loop_close_clean(&loop);
  pty_close(&p);
}

/* A pty master cannot be reopened (that makes a new pty): the handle
 * takes the descriptor as it is, blocking, as libuv does. */
static void init_on_master_stays_blocking(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  uv_os_fd_t fd = -1;
  uv_write_t req;
  uv_buf_t b = uv_buf_init("m\n", 2);
  char got[2];
  int master;
  (void)state;

  pty_open(&p);
  master = dup(p.master); /* the handle closes its descriptor */
  assert_true(master > 2);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(&loop, &tty, master, 0), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&tty, &fd), 0);
  assert_int_equal(fd, master);
  assert_false(fcntl(master, F_GETFL) & O_NONBLOCK);
  /* Writes still work (they complete at once); the slave is cooked, so
   * it sees a whole line. */
  assert_int_equal(uv_write(&req, (uv_stream_t*)&tty, &b, 1, NULL), 0);
  assert_int_equal(read_for(p.slave, got, 2), 2);
  assert_memory_equal(got, "m\n", 2);
  uv_close((uv_handle_t*)&tty, NULL);
  loop_close_clean(&loop);
  pty_close(&p);
}

static void init_errors_and_other_descriptors(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  uv_tty_t ro;
  uv_tty_t pipe_end;
  struct pty p;
  char path[] = "/tmp/eddy-tty-XXXXXX";
  int file;
  int fds[2];
  int rd;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  /* A file is not a terminal (UV_EINVAL since libuv 1.5.0). */
  file = mkstemp(path);
  assert_true(file >= 0);
  unlink(path);
  assert_int_equal(uv_tty_init(&loop, &tty, file, 0), UV_EINVAL);
  close(file);
  assert_int_equal(uv_tty_init(&loop, &tty, -1, 0), UV_EINVAL);

  /* A read-only terminal: readable, not writable, whatever `readable`
   * says (ignored since libuv 1.23.1). */
  pty_open(&p);
  rd = open(ptsname(p.master), O_RDONLY | O_NOCTTY | O_CLOEXEC);
  assert_true(rd >= 0);
  assert_int_equal(uv_tty_init(&loop, &ro, rd, 0), 0);
  assert_true(uv_is_readable((uv_stream_t*)&ro));
  assert_false(uv_is_writable((uv_stream_t*)&ro));

  /* A pipe is taken too (libuv does), made non-blocking. */
  assert_int_equal(pipe(fds), 0);
  assert_int_equal(uv_tty_init(&loop, &pipe_end, fds[0], 1), 0);
  assert_true(uv_is_readable((uv_stream_t*)&pipe_end));
  assert_false(uv_is_writable((uv_stream_t*)&pipe_end));
  assert_true(fcntl(fds[0], F_GETFL) & O_NONBLOCK);
  /* No terminal behind it: no modes. */
  assert_int_equal(uv_tty_set_mode(&pipe_end, UV_TTY_MODE_RAW), UV_ENOTTY);

  uv_close((uv_handle_t*)&ro, NULL);       /* closes its own descriptor */
  uv_close((uv_handle_t*)&pipe_end, NULL); /* closes fds[0] */
  loop_close_clean(&loop);
  close(fds[1]);
  close(rd);
  pty_close(&p);
}

/* ---- modes ---------------------------------------------------------------------------- */

static void check_raw(const struct termios* t) {
  assert_int_equal(t->c_lflag & (ECHO | ICANON | ISIG | IEXTEN), 0);
  assert_int_equal(t->c_iflag & (BRKINT | ICRNL | INPCK | ISTRIP | IXON), 0);
  assert_int_equal(t->c_oflag & (OPOST | ONLCR), OPOST | ONLCR);
  assert_int_equal(t->c_cflag & CSIZE, CS8);
  assert_int_equal(t->c_cc[VMIN], 1);
  assert_int_equal(t->c_cc[VTIME], 0);
}

static void set_mode_flags(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  struct termios orig;
  struct termios t;
  (void)state;

  pty_open(&p);
  orig = attrs(p.slave);
  assert_true(orig.c_lflag & ICANON); /* a fresh pty is cooked */
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(&loop, &tty, p.slave, 1), 0);

  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_NORMAL), 0);
  t = attrs(p.slave);
  assert_true(same_termios(&t, &orig));

  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_RAW), 0);
  t = attrs(p.slave);
  check_raw(&t);
  /* The same mode again changes nothing. */
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_RAW), 0);

  /* IO: cfmakeraw's settings, output processing off too. */
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_IO), 0);
  t = attrs(p.slave);
  assert_int_equal(t.c_lflag & (ECHO | ECHONL | ICANON | ISIG | IEXTEN), 0);
  assert_int_equal(t.c_iflag & (IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
                                IGNCR | ICRNL | IXON),
                   0);
  assert_int_equal(t.c_oflag & OPOST, 0);
  assert_int_equal(t.c_cflag & (CSIZE | PARENB), CS8);

  /* Back to normal: the settings from before the first switch. */
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_NORMAL), 0);
  t = attrs(p.slave);
  assert_true(same_termios(&t, &orig));

#if UV_AT_LEAST(1, 51)
  /* RAW_VT is RAW on Unix: the terminal does the VT processing. */
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_RAW_VT), 0);
  t = attrs(p.slave);
  check_raw(&t);
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_NORMAL), 0);
#endif
  uv_close((uv_handle_t*)&tty, NULL);
  loop_close_clean(&loop);
  pty_close(&p);
}

static int reset_mode_child(void) {
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  struct termios orig;
  struct termios t;

  pty_open(&p);
  orig = attrs(p.slave);
  if (uv_loop_init(&loop) != 0) return 1;
  if (uv_tty_init(&loop, &tty, p.slave, 1) != 0) return 2;
  /* Nothing saved yet: nothing to do. */
  if (uv_tty_reset_mode() != 0) return 3;
  if (uv_tty_set_mode(&tty, UV_TTY_MODE_RAW) != 0) return 4;
  t = attrs(p.slave);
  if (t.c_lflag & ICANON) return 5;
  if (uv_tty_reset_mode() != 0) return 6;
  t = attrs(p.slave);
  if (!same_termios(&t, &orig)) return 7;
  /* Again: the settings stay saved. */
  if (uv_tty_set_mode(&tty, UV_TTY_MODE_IO) != 0) return 8;
  if (uv_tty_reset_mode() != 0) return 9;
  t = attrs(p.slave);
  if (!same_termios(&t, &orig)) return 10;
  uv_close((uv_handle_t*)&tty, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop) != 0) return 11;
  return 0;
}

static void reset_mode_restores(void** state) {
  (void)state;
  in_child("reset-mode");
}

#if UV_AT_LEAST(1, 49)
/* Closing the handle that saved the settings gives them back (libuv
 * 1.49 on); uv_tty_reset_mode has nothing left to do afterwards. */
static int close_restores_child(void) {
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  struct termios orig;
  struct termios t;

  pty_open(&p);
  orig = attrs(p.slave);
  if (uv_loop_init(&loop) != 0) return 1;
  if (uv_tty_init(&loop, &tty, p.slave, 1) != 0) return 2;
  if (uv_tty_set_mode(&tty, UV_TTY_MODE_RAW) != 0) return 3;
  uv_close((uv_handle_t*)&tty, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  t = attrs(p.slave);
  if (!same_termios(&t, &orig)) return 4;
  if (uv_tty_reset_mode() != 0) return 5;
  if (uv_loop_close(&loop) != 0) return 6;
  return 0;
}

static void close_restores_terminal(void** state) {
  (void)state;
  in_child("close-restores");
}
#endif

static void eddy_set_mode_checks(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  uv_timer_t timer;
  struct pty p;
  int w;
  int h;
  (void)state;
  EDDY_ONLY();

  pty_open(&p);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(NULL, &tty, p.slave, 1), UV_EINVAL);
  assert_int_equal(uv_tty_init(&loop, NULL, p.slave, 1), UV_EINVAL);
  assert_int_equal(uv_tty_init(&loop, &tty, p.slave, 1), 0);
  /* libuv applies an unknown mode as if it were normal. */
  assert_int_equal(uv_tty_set_mode(&tty, (uv_tty_mode_t)7), UV_EINVAL);
  assert_int_equal(uv_tty_set_mode(NULL, UV_TTY_MODE_RAW), UV_EINVAL);
  assert_int_equal(uv_timer_init(&loop, &timer), 0);
  assert_int_equal(uv_tty_set_mode((uv_tty_t*)&timer, UV_TTY_MODE_RAW),
                   UV_EINVAL);
  assert_int_equal(uv_tty_get_winsize(&tty, NULL, &h), UV_EINVAL);
  assert_int_equal(uv_tty_get_winsize(&tty, &w, NULL), UV_EINVAL);
  assert_int_equal(uv_tty_get_winsize(NULL, &w, &h), UV_EINVAL);
  uv_close((uv_handle_t*)&tty, NULL);
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_RAW), UV_EINVAL);
  assert_int_equal(uv_tty_get_winsize(&tty, &w, &h), UV_EBADF);
  loop_teardown(&loop);
  pty_close(&p);
}

/* ---- window size, vterm ----------------------------------------------------------------- */

static void winsize_after_tiocswinsz(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  struct winsize ws;
  int w = -1;
  int h = -1;
  (void)state;

  pty_open(&p);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(&loop, &tty, p.slave, 1), 0);
  assert_int_equal(uv_tty_get_winsize(&tty, &w, &h), 0);
  assert_int_equal(w, 0); /* a fresh pty has no size */
  assert_int_equal(h, 0);
  memset(&ws, 0, sizeof(ws));
  ws.ws_col = 132;
  ws.ws_row = 43;
  assert_int_equal(ioctl(p.master, TIOCSWINSZ, &ws), 0);
  assert_int_equal(uv_tty_get_winsize(&tty, &w, &h), 0);
  assert_int_equal(w, 132);
  assert_int_equal(h, 43);
  uv_close((uv_handle_t*)&tty, NULL);
  loop_close_clean(&loop);
  pty_close(&p);
}

static void vterm_state_unsupported(void** state) {
  uv_tty_vtermstate_t st = UV_TTY_UNSUPPORTED;
  (void)state;

  uv_tty_set_vterm_state(UV_TTY_SUPPORTED); /* a no-op on Unix */
  assert_int_equal(uv_tty_get_vterm_state(&st), UV_ENOTSUP);
  assert_int_equal(st, UV_TTY_UNSUPPORTED); /* untouched */
}

/* ---- the stream ------------------------------------------------------------------------- */

struct io {
  int writes;
  int write_status;
  char got[64];
  size_t ngot;
  int reads;
};

static void write_cb(uv_write_t* req, int status) {
  struct io* io = req->data;
  io->writes++;
  io->write_status = status;
}

static void alloc_cb(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  (void)h;
  buf->base = malloc(suggested);
  buf->len = suggested;
}

static void read_cb(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  struct io* io = s->data;
  if (nread > 0 && io->ngot + (size_t)nread <= sizeof(io->got)) {
    memcpy(io->got + io->ngot, buf->base, (size_t)nread);
    io->ngot += (size_t)nread;
    io->reads++;
  }
  free(buf->base);
}

static void write_reaches_master(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  uv_write_t req;
  struct pty p;
  struct io io;
  uv_buf_t b[2];
  char got[16];
  (void)state;

  memset(&io, 0, sizeof(io));
  pty_open(&p);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(&loop, &tty, p.slave, 1), 0);
  b[0] = uv_buf_init("hello", 5);
  b[1] = uv_buf_init(", tty\n", 6);
  req.data = &io;
  assert_int_equal(uv_write(&req, (uv_stream_t*)&tty, b, 2, write_cb), 0);
  RUN_UNTIL(&loop, io.writes == 1);
  assert_int_equal(io.write_status, 0);
  /* The terminal's output processing turned \n into \r\n. */
  assert_int_equal(read_for(p.master, got, 12), 12);
  assert_memory_equal(got, "hello, tty\r\n", 12);

  /* In IO mode the bytes pass untouched. */
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_IO), 0);
  b[0] = uv_buf_init("raw\n", 4);
  assert_int_equal(uv_try_write((uv_stream_t*)&tty, b, 1), 4);
  assert_int_equal(read_for(p.master, got, 4), 4);
  assert_memory_equal(got, "raw\n", 4);
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_NORMAL), 0);
  uv_close((uv_handle_t*)&tty, NULL);
  loop_close_clean(&loop);
  pty_close(&p);
}

static void read_from_master(void** state) {
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  struct io io;
  (void)state;

  memset(&io, 0, sizeof(io));
  pty_open(&p);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(&loop, &tty, p.slave, 1), 0);
  tty.data = &io;
  /* Raw: each byte is there to read at once, no line to wait for. */
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_RAW), 0);
  assert_int_equal(uv_read_start((uv_stream_t*)&tty, alloc_cb, read_cb), 0);
  assert_true(uv_is_active((uv_handle_t*)&tty));
  assert_int_equal(write(p.master, "abc", 3), 3);
  RUN_UNTIL(&loop, io.ngot == 3);
  assert_memory_equal(io.got, "abc", 3);
  assert_int_equal(uv_read_stop((uv_stream_t*)&tty), 0);
  assert_int_equal(uv_tty_set_mode(&tty, UV_TTY_MODE_NORMAL), 0);

  /* Cooked: a line at a time. */
  io.ngot = 0;
  assert_int_equal(uv_read_start((uv_stream_t*)&tty, alloc_cb, read_cb), 0);
  assert_int_equal(write(p.master, "line\n", 5), 5);
  RUN_UNTIL(&loop, io.ngot == 5);
  assert_memory_equal(io.got, "line\n", 5);
  uv_close((uv_handle_t*)&tty, NULL);
  loop_close_clean(&loop);
  pty_close(&p);
}

/* What the slave wrote before it closed is all read from the master,
 * though the master polls as hung up and reads return it in pieces
 * shorter than the buffer: a short read there is not the end (libuv
 * 1.52's tty_pty_partial). */
static struct {
  size_t total;
  ssize_t end; /* the first nread < 0 */
} hup;

static void hup_read_cb(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  free(buf->base);
  if (nread > 0) hup.total += (size_t)nread;
  if (nread < 0 && hup.end == 0) {
    hup.end = nread;
    uv_close((uv_handle_t*)s, NULL);
  }
}

static void master_reads_all_after_slave_closed(void** state) {
  char data[8192];
  uv_loop_t loop;
  uv_tty_t tty;
  struct pty p;
  struct termios t;
  int master;
  (void)state;
  if (!UV_AT_LEAST(1, 52)) skip(); /* libuv 1.44 ends at the first piece */

  memset(&hup, 0, sizeof(hup));
  memset(data, 'x', sizeof(data)); /* no newline: no output translation */
  pty_open(&p);
  t = attrs(p.slave);
  cfmakeraw(&t);
  assert_int_equal(tcsetattr(p.slave, TCSANOW, &t), 0);
  assert_int_equal(write(p.slave, data, sizeof(data)), (ssize_t)sizeof(data));
  close(p.slave);
  master = p.master;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_tty_init(&loop, &tty, master, 1), 0);
  assert_int_equal(uv_read_start((uv_stream_t*)&tty, alloc_cb, hup_read_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(hup.total, sizeof(data));
  assert_true(hup.end == UV_EOF || hup.end == UV_EIO);
  loop_close_clean(&loop);
}

int main(int argc, char** argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(init_on_slave),
      cmocka_unit_test(eddy_init_leaves_caller_fd),
      cmocka_unit_test(init_on_master_stays_blocking),
      cmocka_unit_test(init_errors_and_other_descriptors),
      cmocka_unit_test(set_mode_flags),
      cmocka_unit_test(reset_mode_restores),
#if UV_AT_LEAST(1, 49)
      cmocka_unit_test(close_restores_terminal),
#endif
      cmocka_unit_test(eddy_set_mode_checks),
      cmocka_unit_test(winsize_after_tiocswinsz),
      cmocka_unit_test(vterm_state_unsupported),
      cmocka_unit_test(write_reaches_master),
      cmocka_unit_test(read_from_master),
      cmocka_unit_test(master_reads_all_after_slave_closed),
  };
  if (argc == 2 && strcmp(argv[1], "reset-mode") == 0)
    return reset_mode_child();
#if UV_AT_LEAST(1, 49)
  if (argc == 2 && strcmp(argv[1], "close-restores") == 0)
    return close_restores_child();
#endif
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
