/* eddy tests — uv_fs_poll_t (src/fs-poll.c).
 *
 * The expectations are what libuv 1.44 reports (observed): no callback for
 * the first stat; (0, prev, curr) on a change; an error once, with the last
 * good stat as prev and zeros as curr; (0, last good stat, curr) when the
 * path is back.  The polls use a 10 ms interval and the tests move on from
 * callback to callback; changes are size changes, so the file system's
 * timestamp granularity does not matter.  A guard timer turns a missing
 * callback into a failure instead of a hang.
 *
 * The file also builds against the system's libuv (-I/usr/include, -luv)
 * and passes there, except the tests named eddy_*, which skip themselves. */
#include "test-helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define GUARD_MS 2000
#define MAX_CALLS 16

struct call {
  int status;
  uv_stat_t prev;
  uv_stat_t curr;
};

static char dir[128];
static char file[256];
static struct call calls[MAX_CALLS];
static int ncalls;
static int timed_out;
static uv_timer_t guard;
static uv_timer_t recreate_timer;

static void make_dir(void) {
  snprintf(dir, sizeof(dir), "/tmp/eddy-fs-poll-XXXXXX");
  assert_non_null(mkdtemp(dir));
  snprintf(file, sizeof(file), "%s/file", dir);
  ncalls = 0;
}

static void remove_dir(void) {
  unlink(file);
  assert_int_equal(rmdir(dir), 0);
}

static void write_file(const char* content, int flags) {
  int fd = open(file, O_CREAT | O_WRONLY | flags, 0644);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, content, strlen(content)),
                   (ssize_t)strlen(content));
  close(fd);
}

static void record(int status, const uv_stat_t* prev, const uv_stat_t* curr) {
  assert_true(ncalls < MAX_CALLS);
  calls[ncalls].status = status;
  calls[ncalls].prev = *prev;
  calls[ncalls].curr = *curr;
  ncalls++;
}

static void guard_cb(uv_timer_t* t) {
  timed_out = 1;
  uv_stop(t->loop);
}

static void start_guard(uv_loop_t* loop) {
  timed_out = 0;
  assert_int_equal(uv_timer_init(loop, &guard), 0);
  assert_int_equal(uv_timer_start(&guard, guard_cb, GUARD_MS, 0), 0);
  uv_unref((uv_handle_t*)&guard);
}

static int is_zero(const uv_stat_t* s) {
  static const uv_stat_t zero;
  return memcmp(s, &zero, sizeof(zero)) == 0;
}

/* ---- a file that grows, goes away and comes back ------------------------ */

static uv_timer_t grow_timer;

static void grow_cb(uv_timer_t* t) {
  (void)t;
  write_file("xx", O_APPEND);
}

static void recreate_cb(uv_timer_t* t) {
  (void)t;
  write_file("abcd", O_TRUNC);
}

static void lifecycle_cb(uv_fs_poll_t* h, int status, const uv_stat_t* prev,
                         const uv_stat_t* curr) {
  record(status, prev, curr);
  switch (ncalls) {
    case 1: /* grew: now delete it */
      assert_int_equal(unlink(file), 0);
      break;
    case 2: /* gone: let a few polls see it missing, then bring it back */
      assert_int_equal(uv_timer_start(&recreate_timer, recreate_cb, 60, 0), 0);
      break;
    default:
      uv_fs_poll_stop(h);
      break;
  }
}

static void fs_poll_change_delete_recreate(void** state) {
  uv_loop_t loop;
  uv_fs_poll_t poll;
  (void)state;

  make_dir();
  write_file("a", O_TRUNC);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &recreate_timer), 0);
  assert_int_equal(uv_fs_poll_init(&loop, &poll), 0);
  assert_int_equal(uv_fs_poll_start(&poll, lifecycle_cb, file, 10), 0);
  assert_true(uv_is_active((uv_handle_t*)&poll));
  /* Grow it once the first stat is surely taken: eddy takes it inside
   * uv_fs_poll_start, libuv on its thread pool. */
  assert_int_equal(uv_timer_init(&loop, &grow_timer), 0);
  assert_int_equal(uv_timer_start(&grow_timer, grow_cb, 30, 0), 0);
  start_guard(&loop);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_false(timed_out);
  assert_int_equal(ncalls, 3);

  assert_int_equal(calls[0].status, 0);
  assert_int_equal(calls[0].prev.st_size, 1);
  assert_int_equal(calls[0].curr.st_size, 3);
  assert_int_equal(calls[0].prev.st_ino, calls[0].curr.st_ino);
  assert_true(S_ISREG(calls[0].curr.st_mode));
  assert_int_equal(calls[0].curr.st_nlink, 1);
  assert_true(calls[0].curr.st_mtim.tv_sec > 0);

  /* Reported once however many polls saw it missing. */
  assert_int_equal(calls[1].status, UV_ENOENT);
  assert_int_equal(calls[1].prev.st_size, 3);
  assert_true(is_zero(&calls[1].curr));

  assert_int_equal(calls[2].status, 0);
  assert_int_equal(calls[2].prev.st_size, 3); /* the last good stat */
  assert_int_equal(calls[2].curr.st_size, 4);

  assert_false(uv_is_active((uv_handle_t*)&poll));
  uv_close((uv_handle_t*)&poll, NULL);
  uv_close((uv_handle_t*)&guard, NULL);
  uv_close((uv_handle_t*)&recreate_timer, NULL);
  uv_close((uv_handle_t*)&grow_timer, NULL);
  loop_close_clean(&loop);
  remove_dir();
}

/* ---- a path missing from the start -------------------------------------- */

static void missing_cb(uv_fs_poll_t* h, int status, const uv_stat_t* prev,
                       const uv_stat_t* curr) {
  record(status, prev, curr);
  if (ncalls == 1) {
    write_file("hello", O_TRUNC);
  } else {
    uv_close((uv_handle_t*)h, NULL); /* closing inside the callback */
  }
}

static void fs_poll_missing_then_created(void** state) {
  uv_loop_t loop;
  uv_fs_poll_t poll;
  (void)state;

  make_dir();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_poll_init(&loop, &poll), 0);
  assert_int_equal(uv_fs_poll_start(&poll, missing_cb, file, 10), 0);
  start_guard(&loop);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_false(timed_out);
  assert_int_equal(ncalls, 2);
  assert_int_equal(calls[0].status, UV_ENOENT);
  assert_true(is_zero(&calls[0].prev));
  assert_true(is_zero(&calls[0].curr));
  assert_int_equal(calls[1].status, 0);
  assert_true(is_zero(&calls[1].prev));
  assert_int_equal(calls[1].curr.st_size, 5);
  uv_close((uv_handle_t*)&guard, NULL);
  loop_close_clean(&loop);
  remove_dir();
}

/* ---- nothing changes: no callback --------------------------------------- */

static void quiet_cb(uv_fs_poll_t* h, int status, const uv_stat_t* prev,
                     const uv_stat_t* curr) {
  (void)h;
  record(status, prev, curr);
}

static void stop_poll_cb(uv_timer_t* t) {
  uv_fs_poll_stop((uv_fs_poll_t*)t->data);
}

static void fs_poll_unchanged_is_silent(void** state) {
  uv_loop_t loop;
  uv_fs_poll_t poll;
  uv_timer_t stop;
  (void)state;

  make_dir();
  write_file("same", O_TRUNC);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_poll_init(&loop, &poll), 0);
  assert_int_equal(uv_fs_poll_start(&poll, quiet_cb, file, 5), 0);
  assert_int_equal(uv_timer_init(&loop, &stop), 0);
  stop.data = &poll;
  assert_int_equal(uv_timer_start(&stop, stop_poll_cb, 60, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(ncalls, 0);
  uv_close((uv_handle_t*)&poll, NULL);
  uv_close((uv_handle_t*)&stop, NULL);
  loop_close_clean(&loop);
  remove_dir();
}

/* ---- start, stop, getpath ------------------------------------------------ */

static void fs_poll_getpath_and_state(void** state) {
  uv_loop_t loop;
  uv_fs_poll_t poll;
  char small[4];
  char big[256];
  size_t size;
  size_t len;
  (void)state;

  make_dir();
  write_file("a", O_TRUNC);
  len = strlen(file);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_poll_init(&loop, &poll), 0);

  size = sizeof(big);
  assert_int_equal(uv_fs_poll_getpath(&poll, big, &size), UV_EINVAL);
  assert_int_equal(size, 0);
  assert_int_equal(uv_fs_poll_stop(&poll), 0); /* not started: fine */

  assert_int_equal(uv_fs_poll_start(&poll, quiet_cb, file, 10), 0);
  /* Starting an active handle does nothing, and says so with 0. */
  assert_int_equal(uv_fs_poll_start(&poll, quiet_cb, dir, 10), 0);

  size = sizeof(small);
  assert_int_equal(uv_fs_poll_getpath(&poll, small, &size), UV_ENOBUFS);
  assert_int_equal(size, len + 1);
  size = len;
  assert_int_equal(uv_fs_poll_getpath(&poll, big, &size), UV_ENOBUFS);
  assert_int_equal(size, len + 1);
  size = len + 1;
  assert_int_equal(uv_fs_poll_getpath(&poll, big, &size), 0);
  assert_int_equal(size, len);
  assert_string_equal(big, file); /* the first path, not the second */

  /* An active poll keeps the loop alive; a stopped one does not. */
  assert_true(uv_loop_alive(&loop));
  assert_int_equal(uv_fs_poll_stop(&poll), 0);
  assert_int_equal(uv_fs_poll_stop(&poll), 0);
  assert_false(uv_is_active((uv_handle_t*)&poll));
  /* eddy has nothing left behind a stopped poll; libuv still closes its
   * internal timer (and may have a stat in flight) until the next run. */
  if (TEST_ON_EDDY) assert_false(uv_loop_alive(&loop));
  size = sizeof(big);
  assert_int_equal(uv_fs_poll_getpath(&poll, big, &size), UV_EINVAL);

  /* Closing an active poll stops it. */
  assert_int_equal(uv_fs_poll_start(&poll, quiet_cb, file, 10), 0);
  uv_close((uv_handle_t*)&poll, NULL);
  assert_false(uv_is_active((uv_handle_t*)&poll));
  loop_close_clean(&loop);
  assert_int_equal(ncalls, 0);
  remove_dir();
}

static void eddy_fs_poll_bad_input(void** state) {
  uv_loop_t loop;
  uv_fs_poll_t poll;
  uv_timer_t timer;
  char buf[8];
  size_t size = sizeof(buf);
  (void)state;

  if (!TEST_ON_EDDY) skip();
  make_dir();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_poll_init(NULL, &poll), UV_EINVAL);
  assert_int_equal(uv_fs_poll_init(&loop, &poll), 0);
  assert_int_equal(uv_fs_poll_start(&poll, NULL, file, 10), UV_EINVAL);
  assert_int_equal(uv_fs_poll_start(&poll, quiet_cb, NULL, 10), UV_EINVAL);
  assert_int_equal(uv_fs_poll_start(NULL, quiet_cb, file, 10), UV_EINVAL);
  assert_int_equal(uv_fs_poll_stop(NULL), UV_EINVAL);
  assert_int_equal(uv_fs_poll_getpath(NULL, buf, &size), UV_EINVAL);
  assert_int_equal(uv_timer_init(&loop, &timer), 0);
  assert_int_equal(uv_fs_poll_start((uv_fs_poll_t*)&timer, quiet_cb, file, 10),
                   UV_EINVAL);
  uv_close((uv_handle_t*)&timer, NULL);

  test_alloc_install(1);
  assert_int_equal(uv_fs_poll_start(&poll, quiet_cb, file, 10), UV_ENOMEM);
  assert_false(uv_is_active((uv_handle_t*)&poll));
  assert_int_equal(test_alloc.live, 0);
  test_alloc_restore();

  uv_close((uv_handle_t*)&poll, NULL);
  loop_close_clean(&loop);
  remove_dir();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fs_poll_change_delete_recreate),
      cmocka_unit_test(fs_poll_missing_then_created),
      cmocka_unit_test(fs_poll_unchanged_is_silent),
      cmocka_unit_test(fs_poll_getpath_and_state),
      cmocka_unit_test(eddy_fs_poll_bad_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
