/* eddy tests — file-system requests on the loop's io_uring
 * (src/unix/uring.c): when the ring is made and dropped, many requests in
 * flight, the fallback to the thread pool when the kernel refuses a ring,
 * fork, cancel.  What each call answers is tested by test-fs*.c, which
 * ctest runs twice: on the ring, and with UV_USE_IO_URING=0 on the pool.
 *
 * Where this kernel has no io_uring at all, the tests that need a ring
 * expect none and check the pool answers instead. */
#include "test-fs.h"

#include <grp.h>

#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* Whether eddy should make rings here: the kernel has io_uring and
 * UV_USE_IO_URING does not turn it off. */
static int rings_expected(void) {
  struct io_uring_params p;
  const char* env = getenv("UV_USE_IO_URING");
  int fd;

  if (env != NULL && atoi(env) == 0) return 0;
  /* Unset: off in a process that could change identity (here: root). */
  if (env == NULL && geteuid() == 0) return 0;
  memset(&p, 0, sizeof(p));
  fd = (int)syscall(__NR_io_uring_setup, 4, &p);
  if (fd < 0) return 0;
  close(fd);
  return 1;
}

static void write_file(const char* path, size_t size) {
  char buf[4096];
  size_t done = 0;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  size_t k;

  assert_true(fd >= 0);
  for (k = 0; k < sizeof(buf); k++) buf[k] = (char)(k * 7);
  while (done < size) {
    size_t n = size - done < sizeof(buf) ? size - done : sizeof(buf);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    done += n;
  }
  close(fd);
}

/* ---- the ring's life ----------------------------------------------------- */

static void on_timer(uv_timer_t* t) { (void)t; }

/* A loop without fs requests never makes a ring; its first asynchronous
 * request does; a synchronous call does not; uv_loop_close drops it. */
static void ring_made_lazily_and_closed(void** state) {
  int before = uring_fds();
  uv_loop_t loop;
  uv_timer_t timer;
  uv_fs_t req;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &timer), 0);
  assert_int_equal(uv_timer_start(&timer, on_timer, 1, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uring_fds(), before);
  assert_int_equal(uv_fs_stat(NULL, &req, T->dir, NULL), 0); /* sync */
  uv_fs_req_cleanup(&req);
  assert_int_equal(uring_fds(), before);

  assert_int_equal(uv_fs_stat(&loop, &req, T->dir, on_done), 0);
  assert_int_equal(uring_fds(), before + rings_expected());
  /* In flight: the loop is alive and cannot close. */
  assert_true(uv_loop_alive(&loop));
  assert_int_equal(uv_loop_close(&loop), UV_EBUSY);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(T->done, 1);
  assert_int_equal(req.result, 0);
  assert_ptr_equal(req.ptr, &req.statbuf);
  assert_true(S_ISDIR(req.statbuf.st_mode));
  uv_fs_req_cleanup(&req);
  assert_false(uv_loop_alive(&loop));

  uv_close((uv_handle_t*)&timer, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_loop_close(&loop), 0);
  assert_int_equal(uring_fds(), before);
}

/* ---- many in flight ------------------------------------------------------ */

enum { NSTAT = 300, NREAD = 64, CHUNK = 4096 };

static int stat_cbs;
static int read_cbs;
static char read_bufs[NREAD][CHUNK];

static void on_many_stat(uv_fs_t* req) {
  assert_int_equal(req->result, 0);
  assert_int_equal(req->statbuf.st_size, NREAD * CHUNK);
  stat_cbs++;
  uv_fs_req_cleanup(req);
}

static void on_many_read(uv_fs_t* req) {
  int i = (int)(req - (uv_fs_t*)req->data);
  assert_int_equal(req->result, CHUNK);
  assert_int_equal(read_bufs[i][0], 0);
  assert_int_equal(read_bufs[i][1], 7);
  read_cbs++;
  uv_fs_req_cleanup(req);
}

/* More requests than the submission queue holds (128), all made before
 * the loop runs: each callback runs exactly once with its own result, and
 * the loop stays alive until the last.  UV_RUN_NOWAIT must get there too,
 * without ever blocking. */
static void many_requests_in_flight(void** state) {
  static uv_fs_t stats[NSTAT];
  static uv_fs_t reads[NREAD];
  const char* file = P("data");
  uv_buf_t b;
  int fd;
  int i;
  int spins = 0;
  (void)state;

  write_file(file, NREAD * CHUNK);
  fd = open(file, O_RDONLY);
  assert_true(fd >= 0);
  stat_cbs = read_cbs = 0;
  for (i = 0; i < NSTAT; i++)
    assert_int_equal(uv_fs_stat(&T->loop, &stats[i], file, on_many_stat), 0);
  for (i = 0; i < NREAD; i++) {
    memset(read_bufs[i], 0x55, CHUNK);
    b = uv_buf_init(read_bufs[i], CHUNK);
    reads[i].data = reads;
    assert_int_equal(uv_fs_read(&T->loop, &reads[i], fd, &b, 1,
                                (int64_t)i * CHUNK, on_many_read),
                     0);
  }
  assert_int_equal(T->loop.active_reqs.count, NSTAT + NREAD);
  while (uv_run(&T->loop, UV_RUN_NOWAIT) != 0) {
    assert_true(uv_loop_alive(&T->loop));
    if (++spins % 64 == 0) usleep(100);
  }
  assert_int_equal(stat_cbs, NSTAT);
  assert_int_equal(read_cbs, NREAD);
  assert_int_equal(T->loop.active_reqs.count, 0);
  close(fd);
}

/* Reads at the file position (-1) go on where the last one stopped, on
 * the ring as on the pool. */
static void reads_at_the_file_position(void** state) {
  const char* file = P("pos");
  char buf[1000];
  uv_fs_t req;
  uv_buf_t b = uv_buf_init(buf, sizeof(buf));
  int fd;
  (void)state;

  write_file(file, 2500);
  fd = open(file, O_RDONLY);
  assert_true(fd >= 0);
  assert_int_equal(FS(uv_fs_read, &req, fd, &b, 1, -1), 1000);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_read, &req, fd, &b, 1, -1), 1000);
  uv_fs_req_cleanup(&req);
  assert_int_equal(buf[0], (char)((1000 % 4096) * 7));
  assert_int_equal(FS(uv_fs_read, &req, fd, &b, 1, -1), 500);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_read, &req, fd, &b, 1, -1), 0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(lseek(fd, 0, SEEK_CUR), 2500);
  close(fd);
}

/* ---- writes -------------------------------------------------------------- */

/* Every byte of back[from, from + len) is c. */
static void assert_filled(const char* back, size_t from, size_t len, char c) {
  size_t i;
  for (i = from; i < from + len; i++) assert_int_equal(back[i], c);
}

/* Writes at the file position (-1) go on where the last one stopped and
 * move it; a write at an offset does not move it; on the ring as on the
 * pool. */
static void writes_at_the_file_position(void** state) {
  const char* file = P("wpos");
  char buf[1000];
  char back[3000];
  uv_fs_t req;
  uv_buf_t b = uv_buf_init(buf, sizeof(buf));
  int fd;
  int k;
  (void)state;

  fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  for (k = 0; k < 3; k++) {
    memset(buf, 'a' + k, sizeof(buf));
    assert_int_equal(FS(uv_fs_write, &req, fd, &b, 1, -1), 1000);
    uv_fs_req_cleanup(&req);
  }
  memset(buf, 'z', 10);
  b.len = 10;
  assert_int_equal(FS(uv_fs_write, &req, fd, &b, 1, 500), 10);
  uv_fs_req_cleanup(&req);
  assert_int_equal(lseek(fd, 0, SEEK_CUR), 3000);
  assert_int_equal(pread(fd, back, sizeof(back), 0), 3000);
  assert_filled(back, 0, 500, 'a');
  assert_filled(back, 500, 10, 'z');
  assert_filled(back, 510, 490, 'a');
  assert_filled(back, 1000, 1000, 'b');
  assert_filled(back, 2000, 1000, 'c');
  close(fd);
}

/* A write the kernel cuts short (here: the file size limit) answers the
 * bytes written, the next write the error, and the bytes land where they
 * belong, across buffer boundaries (writes stay on the pool: see
 * docs/fs.md, "io_uring"; these tests hold whichever side runs them). */
static void short_write_carried_on(void** state) {
  const char* file = P("short");
  static char data[4][4000];
  char back[10000];
  uv_buf_t bufs[4];
  struct rlimit old_lim;
  struct rlimit lim;
  void (*old_sig)(int);
  uv_fs_t req;
  int fd;
  int k;
  (void)state;

  for (k = 0; k < 4; k++) {
    memset(data[k], '0' + k, sizeof(data[k]));
    bufs[k] = uv_buf_init(data[k], sizeof(data[k]));
  }
  fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_lim), 0);
  lim = old_lim;
  lim.rlim_cur = 100000;
  old_sig = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
  assert_int_equal(FS(uv_fs_write, &req, fd, bufs, 4, 90000), 10000);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_write, &req, fd, bufs, 4, 100000), UV_EFBIG);
  uv_fs_req_cleanup(&req);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old_lim), 0);
  signal(SIGXFSZ, old_sig);
  assert_int_equal(lseek(fd, 0, SEEK_END), 100000);
  assert_int_equal(pread(fd, back, sizeof(back), 90000), 10000);
  assert_filled(back, 0, 4000, '0');
  assert_filled(back, 4000, 4000, '1');
  assert_filled(back, 8000, 2000, '2');
  close(fd);
}

/* A write to an O_NONBLOCK pipe that is full answers UV_EAGAIN at once
 * (a ring would wait for room). */
static void write_to_full_nonblocking_pipe(void** state) {
  char chunk[4096];
  uv_buf_t b = uv_buf_init(chunk, sizeof(chunk));
  uv_fs_t req;
  int fds[2];
  (void)state;

  memset(chunk, 'p', sizeof(chunk));
  assert_int_equal(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  while (write(fds[1], chunk, sizeof(chunk)) > 0) {
  }
  assert_int_equal(errno, EAGAIN);
  assert_int_equal(FS(uv_fs_write, &req, fds[1], &b, 1, -1), UV_EAGAIN);
  uv_fs_req_cleanup(&req);
  close(fds[0]);
  close(fds[1]);
}

#define NWRITE 300

static int write_cbs;

static void on_many_write(uv_fs_t* req) {
  assert_int_equal(req->result, 4096);
  write_cbs++;
  uv_fs_req_cleanup(req);
}

/* More writes than the submission queue holds, each at its own offset:
 * every callback runs once with its count and every block is in place. */
static void many_writes_in_flight(void** state) {
  static uv_fs_t reqs[NWRITE];
  static char blocks[NWRITE][4096];
  char back[4096];
  uv_buf_t b;
  int fd;
  int i;
  (void)state;

  fd = open(P("many-w"), O_RDWR | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  write_cbs = 0;
  for (i = 0; i < NWRITE; i++) {
    memset(blocks[i], i & 0xff, sizeof(blocks[i]));
    b = uv_buf_init(blocks[i], sizeof(blocks[i]));
    assert_int_equal(uv_fs_write(&T->loop, &reqs[i], fd, &b, 1,
                                 (int64_t)i * 4096, on_many_write),
                     0);
  }
  assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(write_cbs, NWRITE);
  for (i = 0; i < NWRITE; i++) {
    assert_int_equal(pread(fd, back, sizeof(back), (off_t)i * 4096), 4096);
    assert_int_equal(back[0], (char)(i & 0xff));
    assert_int_equal(back[4095], (char)(i & 0xff));
  }
  close(fd);
}

/* ---- cancel -------------------------------------------------------------- */

static int cancel_cbs;

static void on_cancel_cb(uv_fs_t* req) {
  cancel_cbs++;
  (void)req;
}

/* A stat on the ring is running: uv_cancel answers UV_EBUSY and the
 * callback runs once, with the real result. */
static void cancel_on_the_ring_is_busy(void** state) {
  int rings = uring_fds();
  uv_fs_t req;
  int on_ring;
  (void)state;

  cancel_cbs = 0;
  assert_int_equal(uv_fs_lstat(&T->loop, &req, T->dir, on_cancel_cb), 0);
  on_ring = uring_fds() > rings || T->loop.uring != NULL;
  if (!on_ring) { /* on the pool: test-fs-req covers it */
    assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
    uv_fs_req_cleanup(&req);
    skip();
  }
  assert_int_equal(uv_cancel((uv_req_t*)&req), UV_EBUSY);
  assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(cancel_cbs, 1);
  assert_int_equal(req.result, 0);
  assert_true(S_ISDIR(req.statbuf.st_mode));
  uv_fs_req_cleanup(&req);
}

/* ---- fork ----------------------------------------------------------------- */

/* Runs one stat, one open, one read and one close on loop; returns a
 * nonzero line number on the first wrong answer (for a child's exit). */
static int fs_round(uv_loop_t* loop, const char* file, int size) {
  char buf[64];
  uv_buf_t b = uv_buf_init(buf, sizeof(buf));
  uv_fs_t req;
  int fd;

  if (uv_fs_stat(loop, &req, file, NULL) != 0) return __LINE__;
  uv_fs_req_cleanup(&req);
  if (uv_fs_stat(loop, &req, file, on_done) != 0) return __LINE__;
  if (uv_run(loop, UV_RUN_DEFAULT) != 0) return __LINE__;
  if (req.result != 0 || req.statbuf.st_size != (uint64_t)size) return __LINE__;
  uv_fs_req_cleanup(&req);
  if (uv_fs_open(loop, &req, file, O_RDONLY, 0, on_done) != 0) return __LINE__;
  if (uv_run(loop, UV_RUN_DEFAULT) != 0 || req.result < 0) return __LINE__;
  fd = (int)req.result;
  uv_fs_req_cleanup(&req);
  if (uv_fs_read(loop, &req, fd, &b, 1, 0, on_done) != 0) return __LINE__;
  if (uv_run(loop, UV_RUN_DEFAULT) != 0) return __LINE__;
  if (req.result != (size < 64 ? size : 64) || buf[1] != 7) return __LINE__;
  uv_fs_req_cleanup(&req);
  if (uv_fs_close(loop, &req, fd, on_done) != 0) return __LINE__;
  if (uv_run(loop, UV_RUN_DEFAULT) != 0 || req.result != 0) return __LINE__;
  uv_fs_req_cleanup(&req);
  if (uv_fs_close(loop, &req, fd, on_done) != 0) return __LINE__;
  if (uv_run(loop, UV_RUN_DEFAULT) != 0 || req.result != UV_EBADF)
    return __LINE__;
  uv_fs_req_cleanup(&req);
  return 0;
}

static int wait_child(pid_t pid) {
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  return WEXITSTATUS(status);
}

/* The child of a fork drops its copy of the parent's ring at uv_loop_fork
 * and makes its own; the parent's goes on working. */
static void fork_then_fs_in_child(void** state) {
  const char* file = P("f");
  int expected = rings_expected();
  int rings;
  pid_t pid;
  (void)state;

  /* TSan cannot start threads in the child of a multi-threaded fork. */
  if (TEST_TSAN && !expected) skip(); /* the child would start workers */
  write_file(file, 100);
  rings = uring_fds();
  assert_int_equal(fs_round(&T->loop, file, 100), 0);
  assert_int_equal(uring_fds(), rings + expected);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int line;
    if (uv_loop_fork(&T->loop) != 0) _exit(100);
    if (uring_fds() != rings) _exit(101); /* the parent's is gone */
    line = fs_round(&T->loop, file, 100);
    if (line != 0) _exit(1 + line % 99);
    if (uring_fds() != rings + expected) _exit(102); /* its own */
    if (uv_loop_close(&T->loop) != 0) _exit(103);
    if (uring_fds() != rings) _exit(104);
    _exit(0);
  }
  assert_int_equal(wait_child(pid), 0);
  assert_int_equal(fs_round(&T->loop, file, 100), 0);
}

/* ---- a kernel that refuses ---------------------------------------------- */

/* In a child, a seccomp filter makes io_uring_setup fail with err, as a
 * container's default profile does (EPERM) or an old kernel (ENOSYS): the
 * loop answers everything on the pool, and never asks for a ring again. */
static int refused_child(const char* file, int err) {
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {ARRAY_LEN(filter), filter};
  uv_loop_t loop;
  int line;

  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 90;
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) return 91;
  if (uv_loop_init(&loop) != 0) return 92;
  line = fs_round(&loop, file, 100);
  if (line != 0) return 1 + line % 89;
  line = fs_round(&loop, file, 100); /* and again: still the pool */
  if (line != 0) return 1 + line % 89;
  if (uring_fds() != 0) return 93;
  if (uv_loop_close(&loop) != 0) return 94;
  return 0;
}

/* The child is this program run afresh ("refused-child <errno> <file>"):
 * a single-threaded process, so that its pool may start threads under
 * ThreadSanitizer, which refuses that after a multi-threaded fork. */
static void setup_refused_falls_back_to_pool(void** state) {
  static const int errs[] = {EPERM, ENOSYS, ENOMEM};
  const char* file = P("f");
  char err[16];
  unsigned int i;
  pid_t pid;
  (void)state;

  write_file(file, 100);
  for (i = 0; i < ARRAY_LEN(errs); i++) {
    snprintf(err, sizeof(err), "%d", errs[i]);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      execl(self_exe(), "test-fs-uring", "refused-child", err, file,
            (char*)NULL);
      _exit(127);
    }
    assert_int_equal(wait_child(pid), 0);
  }
}

/* The default without UV_USE_IO_URING, in a fresh process: no ring while
 * the process could still change identity (root), a ring once it has
 * dropped to an ordinary user for good. */
static int identity_child(const char* file, int drop) {
  uv_loop_t loop;
  int line;
  int rings;

  unsetenv("UV_USE_IO_URING");
  if (drop && (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
               setresuid(65534, 65534, 65534) != 0))
    return 80;
  rings = rings_expected(); /* the kernel's answer for this identity */
  if (uv_loop_init(&loop) != 0) return 92;
  line = fs_round(&loop, file, 100);
  if (line != 0) return 1 + line % 79;
  if (uring_fds() != rings) return 93;
  if (!drop && rings != 0) return 95; /* root: never without asking */
  if (uv_loop_close(&loop) != 0) return 94;
  return 0;
}

static void default_depends_on_identity(void** state) {
  const char* file = P("f");
  int drop;
  pid_t pid;
  (void)state;

  if (geteuid() != 0) skip(); /* needs root to be root, then drop it */
  write_file(file, 100);
  assert_int_equal(chmod(file, 0644), 0);
  assert_int_equal(chmod(T->dir, 0755), 0);
  for (drop = 0; drop <= 1; drop++) {
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      execl(self_exe(), "test-fs-uring", "identity-child",
            drop ? "1" : "0", file, (char*)NULL);
      _exit(127);
    }
    assert_int_equal(wait_child(pid), 0);
  }
}

int main(int argc, char** argv) {
  const struct CMUnitTest tests[] = {
      ASYNC(ring_made_lazily_and_closed),
      ASYNC(many_requests_in_flight),
      BOTH(reads_at_the_file_position),
      BOTH(writes_at_the_file_position),
      BOTH(short_write_carried_on),
      BOTH(write_to_full_nonblocking_pipe),
      ASYNC(many_writes_in_flight),
      ASYNC(cancel_on_the_ring_is_busy),
      ASYNC(fork_then_fs_in_child),
      ASYNC(setup_refused_falls_back_to_pool),
      ASYNC(default_depends_on_identity),
  };
  static struct fixture child_fixture; /* what on_done counts into */

  if (argc == 4 && strcmp(argv[1], "refused-child") == 0) {
    child_fixture.loop_thread = pthread_self();
    T = &child_fixture;
    return refused_child(argv[3], atoi(argv[2]));
  }
  if (argc == 4 && strcmp(argv[1], "identity-child") == 0) {
    child_fixture.loop_thread = pthread_self();
    T = &child_fixture;
    return identity_child(argv[3], atoi(argv[2]));
  }
  fs_tests_init();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
