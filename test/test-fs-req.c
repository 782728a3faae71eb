/* eddy tests — the file-system request itself: uv_fs_req_cleanup and the
 * accessors, argument checks, asynchronous calls working on copies of
 * their arguments, cancellation of queued requests, allocation failure at
 * every allocation of a scenario, and eddy's answers to bad input
 * (src/unix/fs.c).  test-fs.h describes how the tests run. */
#include "test-fs.h"

#include <signal.h>
#include <sys/wait.h>

/* ---- the request --------------------------------------------------------- */

static void cleanup_and_accessors(void** state) {
  const char* path = P("file");
  uv_fs_t req;
  (void)state;

  put_file(path, "", 0);
  assert_int_equal(uv_fs_stat(NULL, &req, path, NULL), 0); /* no loop */
  assert_int_equal(uv_fs_get_type(&req), UV_FS_STAT);
  assert_int_equal(uv_fs_get_result(&req), 0);
  assert_int_equal(uv_fs_get_system_error(&req), 0);
  assert_ptr_equal(uv_fs_get_ptr(&req), &req.statbuf);
  assert_ptr_equal(uv_fs_get_path(&req), path);
  assert_ptr_equal(uv_fs_get_statbuf(&req), &req.statbuf);
  assert_int_equal(uv_req_get_type((uv_req_t*)&req), UV_FS);
  uv_fs_req_cleanup(&req);
  assert_null(req.ptr);
  assert_null(req.path);
  uv_fs_req_cleanup(&req); /* twice */
  uv_fs_req_cleanup(NULL);

  assert_int_equal(
      uv_fs_open(NULL, &req, P("missing"), UV_FS_O_RDONLY, 0, NULL), UV_ENOENT);
  assert_int_equal(uv_fs_get_result(&req), UV_ENOENT);
  assert_int_equal(uv_fs_get_system_error(&req), ENOENT);
  uv_fs_req_cleanup(&req);

  memset(&req, 0, sizeof(req));
  uv_fs_req_cleanup(&req); /* a zeroed request */

  assert_int_equal(uv_get_osfhandle(5), 5);
  assert_int_equal(uv_open_osfhandle(7), 7);
  assert_int_equal(uv_req_size(UV_FS), sizeof(uv_fs_t));
}

/* nbufs 0 and unknown copyfile flags are refused by libuv too. */
static void refuses_bad_arguments(void** state) {
  uv_buf_t b = uv_buf_init("x", 1);
  uv_fs_t req;
  (void)state;

  assert_int_equal(FS(uv_fs_read, &req, 0, &b, 0, 0), UV_EINVAL);
  assert_int_equal(FS(uv_fs_write, &req, 1, &b, 0, 0), UV_EINVAL);
  assert_int_equal(FS(uv_fs_read, &req, 0, NULL, 0, 0), UV_EINVAL);
  assert_int_equal(
      FS(uv_fs_copyfile, &req, P("a"), P("b"), ~UV_FS_COPYFILE_EXCL),
      UV_EINVAL);
  uv_fs_req_cleanup(&req);
}

/* The caller's strings and buffer array may go as soon as the call
 * returns. */
static void async_calls_copy_their_arguments(void** state) {
  char path[PATH_MAX];
  char from[PATH_MAX];
  char to[PATH_MAX];
  char* parts[5] = {"a", "bb", "ccc", "dddd", "eeeee"};
  uv_buf_t bufs[5];
  uv_fs_t req;
  int fd;
  int i;
  (void)state;

  put_file(P("file"), "", 0);
  fmt(path, sizeof(path), "%s", P("file"));
  req.data = &req;
  assert_int_equal(uv_fs_stat(&T->loop, &req, path, on_done), 0);
  assert_ptr_not_equal(req.path, path);
  assert_string_equal(req.path, path);
  memset(path, 'x', sizeof(path) - 1);
  path[sizeof(path) - 1] = '\0';
  assert_true(uv_loop_alive(&T->loop));
  assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(T->done, 1);
  assert_int_equal(req.result, 0);
  assert_ptr_equal(req.data, &req); /* left alone */
  assert_string_equal(req.path, P("file"));
  uv_fs_req_cleanup(&req);
  assert_null(req.path);

  fmt(from, sizeof(from), "%s", P("file"));
  fmt(to, sizeof(to), "%s", P("moved"));
  assert_int_equal(uv_fs_rename(&T->loop, &req, from, to, on_done), 0);
  memset(from, 0, sizeof(from));
  memset(to, 0, sizeof(to));
  assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(req.result, 0);
  uv_fs_req_cleanup(&req);
  assert_true(exists(P("moved")));

  fd = open_file(P("moved"), O_WRONLY);
  for (i = 0; i < 5; i++) bufs[i] = uv_buf_init(parts[i], i + 1);
  assert_int_equal(uv_fs_write(&T->loop, &req, fd, bufs, 5, -1, on_done), 0);
  memset(bufs, 0, sizeof(bufs));
  assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(req.result, 15);
  uv_fs_req_cleanup(&req);
  close(fd);
  assert_file(P("moved"), "abbcccddddeeeee");
  assert_int_equal(T->wrong_thread, 0);
}

/* ---- cancellation -------------------------------------------------------- */

static uv_sem_t started;
static uv_sem_t release;

static void blocker(uv_work_t* w) {
  (void)w;
  uv_sem_post(&started);
  uv_sem_wait(&release);
}

static void blocker_done(uv_work_t* w, int status) {
  assert_int_equal(status, 0);
  (*(int*)w->data)++;
}

static int cancelled_cbs;
static int cancelled_cbs_ecanceled; /* those that got UV_ECANCELED */

static void on_cancelled(uv_fs_t* req) {
  cancelled_cbs++;
  if (req->result == UV_ECANCELED) cancelled_cbs_ecanceled++;
}

/* With the four workers busy, a queued request is cancelled: its callback
 * gets UV_ECANCELED, and what it would have returned is not there.  A stat
 * on eddy's io_uring is not queued behind them: it is running, uv_cancel
 * answers UV_EBUSY, and its callback gets its real result. */
static void cancel_queued_requests(void** state) {
  uv_work_t works[4];
  uv_fs_t stat_req;
  uv_fs_t scan_req;
  uv_fs_t tmp_req;
  uv_dirent_t ent;
  char tpl[PATH_MAX];
  int blocked_done = 0;
  int rings;
  int on_ring;
  int i;
  (void)state;

  assert_int_equal(uv_sem_init(&started, 0), 0);
  assert_int_equal(uv_sem_init(&release, 0), 0);
  for (i = 0; i < 4; i++) {
    works[i].data = &blocked_done;
    assert_int_equal(uv_queue_work(&T->loop, &works[i], blocker, blocker_done),
                     0);
  }
  for (i = 0; i < 4; i++) uv_sem_wait(&started);

  fmt(tpl, sizeof(tpl), "%s", P("tmp-XXXXXX"));
  rings = uring_fds();
  assert_int_equal(uv_fs_stat(&T->loop, &stat_req, T->dir, on_cancelled), 0);
  on_ring = uring_fds() > rings;
  assert_int_equal(uv_fs_scandir(&T->loop, &scan_req, T->dir, 0, on_cancelled),
                   0);
  assert_int_equal(uv_fs_mkdtemp(&T->loop, &tmp_req, tpl, on_cancelled), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&stat_req), on_ring ? UV_EBUSY : 0);
  assert_int_equal(uv_cancel((uv_req_t*)&scan_req), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&tmp_req), 0);
  for (i = 0; i < 4; i++) uv_sem_post(&release);

  assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(blocked_done, 4);
  assert_int_equal(cancelled_cbs, 3);
  assert_int_equal(cancelled_cbs_ecanceled, on_ring ? 2 : 3);
  if (on_ring) {
    assert_int_equal(stat_req.result, 0);
    assert_ptr_equal(stat_req.ptr, &stat_req.statbuf);
  } else {
    assert_int_equal(stat_req.result, UV_ECANCELED);
    assert_null(stat_req.ptr);
  }
  assert_int_equal(scan_req.result, UV_ECANCELED);
  assert_int_equal(uv_fs_scandir_next(&scan_req, &ent), UV_ECANCELED);
  assert_int_equal(tmp_req.result, UV_ECANCELED);
  assert_string_equal(tmp_req.path, tpl); /* never created */
  uv_fs_req_cleanup(&stat_req);
  uv_fs_req_cleanup(&scan_req);
  uv_fs_req_cleanup(&tmp_req);

  /* A finished request cannot be cancelled. */
  assert_int_equal(uv_fs_stat(&T->loop, &stat_req, T->dir, on_cancelled), 0);
  assert_int_equal(uv_run(&T->loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(stat_req.result, 0);
  assert_int_equal(uv_cancel((uv_req_t*)&stat_req), UV_EBUSY);
  uv_fs_req_cleanup(&stat_req);

  uv_sem_destroy(&started);
  uv_sem_destroy(&release);
  cancelled_cbs = 0;
  cancelled_cbs_ecanceled = 0;
}

/* ---- allocation failure -------------------------------------------------- */

/* One scenario of asynchronous calls; each call either works or reports
 * UV_ENOMEM (at once or in its callback). */
static void alloc_scenario(void) {
  uv_buf_t bufs[8];
  char data[8] = "abcdefgh";
  uv_dirent_t ents[4];
  uv_dirent_t ent;
  uv_dir_t* dir;
  uv_fs_t req;
  ssize_t r;
  int fd;
  int i;

#define CHECK_OK_OR_NOMEM(expr)              \
  do {                                       \
    r = (expr);                              \
    if (r != UV_ENOMEM) assert_true(r >= 0); \
  } while (0)

  CHECK_OK_OR_NOMEM(FS(uv_fs_stat, &req, P("dir")));
  uv_fs_req_cleanup(&req);

  fd = open_file(P("dir/file"), O_RDWR);
  for (i = 0; i < 8; i++) bufs[i] = uv_buf_init(data + i, 1);
  CHECK_OK_OR_NOMEM(FS(uv_fs_write, &req, fd, bufs, 8, 0));
  if (r >= 0) assert_int_equal(r, 8);
  uv_fs_req_cleanup(&req);
  close(fd);

  CHECK_OK_OR_NOMEM(FS(uv_fs_scandir, &req, P("dir"), 0));
  if (r >= 0) {
    assert_int_equal(r, 41);
    while (uv_fs_scandir_next(&req, &ent) == 0) {
    }
  }
  uv_fs_req_cleanup(&req);

  CHECK_OK_OR_NOMEM(FS(uv_fs_readlink, &req, P("dir/link")));
  if (r == 0) assert_string_equal(req.ptr, "file");
  uv_fs_req_cleanup(&req);

  CHECK_OK_OR_NOMEM(FS(uv_fs_realpath, &req, P("dir/link")));
  uv_fs_req_cleanup(&req);

  CHECK_OK_OR_NOMEM(FS(uv_fs_statfs, &req, P("dir")));
  uv_fs_req_cleanup(&req);

  CHECK_OK_OR_NOMEM(FS(uv_fs_opendir, &req, P("dir")));
  dir = r == 0 ? req.ptr : NULL;
  uv_fs_req_cleanup(&req);
  if (dir != NULL) {
    dir->dirents = ents;
    dir->nentries = ARRAY_LEN(ents);
    do {
      CHECK_OK_OR_NOMEM(FS(uv_fs_readdir, &req, dir));
      uv_fs_req_cleanup(&req);
    } while (r != 0);
    assert_int_equal(FS(uv_fs_closedir, &req, dir), 0);
    uv_fs_req_cleanup(&req);
  }

  CHECK_OK_OR_NOMEM(FS(uv_fs_copyfile, &req, P("dir/file"), P("copy"), 0));
  uv_fs_req_cleanup(&req);
  unlink(P("copy"));

  CHECK_OK_OR_NOMEM(FS(uv_fs_mkdtemp, &req, P("t-XXXXXX")));
  if (r == 0) rmdir(req.path);
  uv_fs_req_cleanup(&req);

  CHECK_OK_OR_NOMEM(FS(uv_fs_mkstemp, &req, P("t-XXXXXX")));
  if (r >= 0) {
    close((int)r);
    unlink(req.path);
  }
  uv_fs_req_cleanup(&req);
#undef CHECK_OK_OR_NOMEM
}

static void eddy_allocation_failures(void** state) {
  char name[64];
  uv_fs_t req;
  long n;
  (void)state;
  /* libuv's scandir and realpath memory comes from the C library's
   * allocator, and goes back through the replaced one. */
  EDDY_ONLY();

  assert_int_equal(mkdir(P("dir"), 0755), 0);
  put_file(P("dir/file"), "", 0);
  assert_int_equal(symlink("file", P("dir/link")), 0);
  for (n = 0; n < 39; n++) {
    fmt(name, sizeof(name), "dir/entry-with-a-longish-name-%02ld", n);
    put_file(P(name), "", 0);
  }
  /* Start the pool and the loop's wake-up before counting. */
  assert_int_equal(FS(uv_fs_stat, &req, T->dir), 0);
  uv_fs_req_cleanup(&req);

  for (n = 1;; n++) {
    test_alloc_install(n);
    alloc_scenario();
    test_alloc_restore();
    assert_int_equal(test_alloc.live, 0);
    if (test_alloc.failures == 0) break;
  }
  assert_true(n > 8); /* the scenario allocates */
}

/* ---- eddy only: what libuv crashes on or accepts ------------------------- */

static void eddy_refuses_null(void** state) {
  uv_buf_t b = uv_buf_init("x", 1);
  uv_dirent_t ent;
  uv_dirent_t ents[1];
  uv_dir_t dir;
  uv_fs_t req;
  uv_fs_cb cb = T->async ? on_done : NULL;
  uv_loop_t* loop = &T->loop;
  (void)state;
  EDDY_ONLY();

  /* No request. */
  assert_int_equal(uv_fs_open(loop, NULL, "x", 0, 0, cb), UV_EINVAL);
  assert_int_equal(uv_fs_close(loop, NULL, 0, cb), UV_EINVAL);
  assert_int_equal(uv_fs_read(loop, NULL, 0, &b, 1, 0, cb), UV_EINVAL);
  assert_int_equal(uv_fs_write(loop, NULL, 0, &b, 1, 0, cb), UV_EINVAL);
  assert_int_equal(uv_fs_stat(loop, NULL, "x", cb), UV_EINVAL);
  assert_int_equal(uv_fs_fstat(loop, NULL, 0, cb), UV_EINVAL);
  assert_int_equal(uv_fs_scandir(loop, NULL, "x", 0, cb), UV_EINVAL);
  assert_int_equal(uv_fs_opendir(loop, NULL, "x", cb), UV_EINVAL);
  assert_int_equal(uv_fs_readdir(loop, NULL, &dir, cb), UV_EINVAL);
  assert_int_equal(uv_fs_closedir(loop, NULL, &dir, cb), UV_EINVAL);
  assert_int_equal(uv_fs_copyfile(loop, NULL, "x", "y", 0, cb), UV_EINVAL);
  assert_int_equal(uv_fs_utime(loop, NULL, "x", 1, 1, cb), UV_EINVAL);
  assert_int_equal(uv_fs_sendfile(loop, NULL, 1, 0, 0, 1, cb), UV_EINVAL);
  assert_int_equal(uv_fs_mkdtemp(loop, NULL, "xXXXXXX", cb), UV_EINVAL);

  /* No path. */
#define NO_PATH(call)                  \
  do {                                 \
    assert_int_equal(call, UV_EINVAL); \
    uv_fs_req_cleanup(&req);           \
  } while (0)
  NO_PATH(uv_fs_open(loop, &req, NULL, 0, 0, cb));
  NO_PATH(uv_fs_unlink(loop, &req, NULL, cb));
  NO_PATH(uv_fs_mkdir(loop, &req, NULL, 0755, cb));
  NO_PATH(uv_fs_mkdtemp(loop, &req, NULL, cb));
  NO_PATH(uv_fs_mkstemp(loop, &req, NULL, cb));
  NO_PATH(uv_fs_rmdir(loop, &req, NULL, cb));
  NO_PATH(uv_fs_scandir(loop, &req, NULL, 0, cb));
  NO_PATH(uv_fs_opendir(loop, &req, NULL, cb));
  NO_PATH(uv_fs_stat(loop, &req, NULL, cb));
  NO_PATH(uv_fs_lstat(loop, &req, NULL, cb));
  NO_PATH(uv_fs_statfs(loop, &req, NULL, cb));
  NO_PATH(uv_fs_rename(loop, &req, NULL, "y", cb));
  NO_PATH(uv_fs_rename(loop, &req, "x", NULL, cb));
  NO_PATH(uv_fs_link(loop, &req, NULL, "y", cb));
  NO_PATH(uv_fs_link(loop, &req, "x", NULL, cb));
  NO_PATH(uv_fs_symlink(loop, &req, NULL, "y", 0, cb));
  NO_PATH(uv_fs_symlink(loop, &req, "x", NULL, 0, cb));
  NO_PATH(uv_fs_copyfile(loop, &req, NULL, "y", 0, cb));
  NO_PATH(uv_fs_copyfile(loop, &req, "x", NULL, 0, cb));
  NO_PATH(uv_fs_readlink(loop, &req, NULL, cb));
  NO_PATH(uv_fs_realpath(loop, &req, NULL, cb));
  NO_PATH(uv_fs_access(loop, &req, NULL, F_OK, cb));
  NO_PATH(uv_fs_chmod(loop, &req, NULL, 0644, cb));
  NO_PATH(uv_fs_utime(loop, &req, NULL, 1, 1, cb));
  NO_PATH(uv_fs_lutime(loop, &req, NULL, 1, 1, cb));
  NO_PATH(uv_fs_chown(loop, &req, NULL, 0, 0, cb));
  NO_PATH(uv_fs_lchown(loop, &req, NULL, 0, 0, cb));

  /* Bad directories. */
  NO_PATH(uv_fs_readdir(loop, &req, NULL, cb));
  NO_PATH(uv_fs_closedir(loop, &req, NULL, cb));
  memset(&dir, 0, sizeof(dir));
  NO_PATH(uv_fs_readdir(loop, &req, &dir, cb)); /* never opened */
  assert_int_equal(uv_fs_opendir(NULL, &req, T->dir, NULL), 0);
  {
    uv_dir_t* d = req.ptr;
    uv_fs_req_cleanup(&req);
    NO_PATH(uv_fs_readdir(loop, &req, d, cb)); /* no dirents */
    d->dirents = ents;
    d->nentries = 0;
    NO_PATH(uv_fs_readdir(loop, &req, d, cb)); /* room for none */
    assert_int_equal(uv_fs_closedir(NULL, &req, d, NULL), 0);
    uv_fs_req_cleanup(&req);
  }

  /* Unknown symlink flags; times no time_t holds. */
  NO_PATH(uv_fs_symlink(loop, &req, "x", P("y"), 0x100, cb));
  NO_PATH(uv_fs_utime(loop, &req, P("x"), 1e300, 1, cb));
  NO_PATH(uv_fs_futime(loop, &req, 0, 1, -1e300, cb));
#undef NO_PATH

  /* A callback needs a loop. */
  assert_int_equal(uv_fs_stat(NULL, &req, T->dir, on_done), UV_EINVAL);
  uv_fs_req_cleanup(&req);

  /* scandir_next: nothing to step through. */
  assert_int_equal(uv_fs_scandir_next(NULL, &ent), UV_EINVAL);
  assert_int_equal(uv_fs_stat(NULL, &req, T->dir, NULL), 0);
  assert_int_equal(uv_fs_scandir_next(&req, &ent), UV_EINVAL);
  assert_int_equal(uv_fs_scandir_next(&req, NULL), UV_EINVAL);
  uv_fs_req_cleanup(&req);

  /* The accessors. */
  assert_int_equal(uv_fs_get_type(NULL), UV_FS_UNKNOWN);
  assert_int_equal(uv_fs_get_result(NULL), UV_EINVAL);
  assert_int_equal(uv_fs_get_system_error(NULL), 0);
  assert_null(uv_fs_get_ptr(NULL));
  assert_null(uv_fs_get_path(NULL));
  assert_null(uv_fs_get_statbuf(NULL));

  /* A synchronous request cannot be cancelled. */
  assert_int_equal(uv_fs_stat(NULL, &req, T->dir, NULL), 0);
  assert_int_equal(uv_cancel((uv_req_t*)&req), UV_EBUSY);
  uv_fs_req_cleanup(&req);
  assert_int_equal(T->done, 0);
}

static void on_never(uv_fs_t* req) { (void)req; }

/* uv_fs_req_cleanup of a request still on the pool would free what a
 * worker may be using: eddy stops with a message naming the call. */
static void eddy_cleanup_in_flight_aborts(void** state) {
  int status;
  pid_t pid;
  (void)state;
  EDDY_ONLY();
#if defined(__SANITIZE_THREAD__)
  skip(); /* ThreadSanitizer cannot start threads after a threaded fork */
#endif

  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    uv_loop_t loop;
    uv_fs_t req;
    int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, STDERR_FILENO);
    if (uv_loop_init(&loop) != 0) _exit(1);
    if (uv_fs_stat(&loop, &req, "/", on_never) != 0) _exit(2);
    uv_fs_req_cleanup(&req); /* its callback has not run */
    _exit(3);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFSIGNALED(status));
  assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* ---- the table ----------------------------------------------------------- */

int main(void) {
  const struct CMUnitTest tests[] = {
      SYNC(cleanup_and_accessors),
      BOTH(refuses_bad_arguments),
      ASYNC(async_calls_copy_their_arguments),
      ASYNC(cancel_queued_requests),
      ASYNC(eddy_allocation_failures),
      BOTH(eddy_refuses_null),
      SYNC(eddy_cleanup_in_flight_aborts),
  };
  fs_tests_init();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
