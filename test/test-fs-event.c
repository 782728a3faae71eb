/* eddy tests — uv_fs_event_t (src/unix/fs-event.c).
 *
 * The expectations are what libuv 1.44 on Linux reports (observed): the
 * event kinds and filenames for entries created, written, chmod'ed,
 * renamed and deleted in a watched directory, and for a watched file; the
 * getpath size protocol; the errors of start.  Every test works in a fresh
 * mkdtemp directory and waits for events, never for a fixed time (a guard
 * timer only turns a missing event into a failure instead of a hang).
 *
 * The file also builds against the system's libuv (-I/usr/include, -luv)
 * and passes there, except the tests named eddy_*, which skip themselves. */
#include "test-helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_EVENTS 64
#define MAX_HANDLES 16
#define GUARD_MS 2000

struct event {
  int handle; /* index in the test's handle array */
  char name[64];
  int events;
  int status;
};

static char dir[128];
static uv_fs_event_t handles[MAX_HANDLES];
static struct event seen[MAX_EVENTS];
static int nseen;
static int close_self;     /* a callback closes its own handle */
static int close_other;    /* handle 0's callback closes handle 1 */
static int restart_self;   /* a callback stops and restarts its handle */
static int timed_out;

static void make_dir(void) {
  snprintf(dir, sizeof(dir), "/tmp/eddy-fs-event-XXXXXX");
  assert_non_null(mkdtemp(dir));
  nseen = 0;
  close_self = close_other = restart_self = 0;
  memset(handles, 0, sizeof(handles));
}

static void path_of(char* out, size_t size, const char* name) {
  snprintf(out, size, "%s/%s", dir, name);
}

static void remove_dir(void) { assert_int_equal(rmdir(dir), 0); }

static void touch(const char* name, const char* content) {
  char p[256];
  int fd;
  path_of(p, sizeof(p), name);
  fd = open(p, O_CREAT | O_WRONLY | O_APPEND, 0644);
  assert_true(fd >= 0);
  if (content != NULL)
    assert_int_equal(write(fd, content, strlen(content)),
                     (ssize_t)strlen(content));
  close(fd);
}

static void event_cb(uv_fs_event_t* h, const char* filename, int events,
                     int status) {
  struct event* e;
  assert_true(nseen < MAX_EVENTS);
  e = &seen[nseen++];
  e->handle = (int)(h - handles);
  snprintf(e->name, sizeof(e->name), "%s", filename != NULL ? filename : "");
  e->events = events;
  e->status = status;
  if (close_other && e->handle == 0 && !uv_is_closing((uv_handle_t*)&handles[1]))
    uv_close((uv_handle_t*)&handles[1], NULL);
  if (close_self) uv_close((uv_handle_t*)h, NULL);
  if (restart_self) {
    char p[256];
    size_t size = sizeof(p);
    assert_int_equal(uv_fs_event_getpath(h, p, &size), 0);
    assert_int_equal(uv_fs_event_stop(h), 0);
    assert_int_equal(uv_fs_event_start(h, event_cb, p, 0), 0);
  }
}

static void guard_cb(uv_timer_t* t) {
  timed_out = 1;
  uv_stop(t->loop);
}

/* Runs the loop until n events in all have been seen. */
static void wait_events(uv_loop_t* loop, int n) {
  uv_timer_t guard;
  timed_out = 0;
  assert_int_equal(uv_timer_init(loop, &guard), 0);
  assert_int_equal(uv_timer_start(&guard, guard_cb, GUARD_MS, 0), 0);
  while (nseen < n && !timed_out) uv_run(loop, UV_RUN_ONCE);
  uv_close((uv_handle_t*)&guard, NULL);
  uv_run(loop, UV_RUN_NOWAIT);
  assert_false(timed_out);
  assert_int_equal(nseen, n);
}

/* Runs the loop a little and checks that nothing more arrives. */
static void expect_quiet(uv_loop_t* loop) {
  uv_timer_t guard;
  int before = nseen;
  timed_out = 0;
  assert_int_equal(uv_timer_init(loop, &guard), 0);
  assert_int_equal(uv_timer_start(&guard, guard_cb, 50, 0), 0);
  while (!timed_out) uv_run(loop, UV_RUN_ONCE);
  uv_close((uv_handle_t*)&guard, NULL);
  uv_run(loop, UV_RUN_NOWAIT);
  assert_int_equal(nseen, before);
}

static void check_event(int i, int handle, const char* name, int events) {
  assert_int_equal(seen[i].handle, handle);
  assert_string_equal(seen[i].name, name);
  assert_int_equal(seen[i].events, events);
  assert_int_equal(seen[i].status, 0);
}

static void fs_event_dir_entries(void** state) {
  uv_loop_t loop;
  char a[256], b[256], sub[256];
  (void)state;

  make_dir();
  path_of(a, sizeof(a), "a");
  path_of(b, sizeof(b), "b");
  path_of(sub, sizeof(sub), "sub");
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_event_init(&loop, &handles[0]), 0);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0), 0);
  assert_true(uv_is_active((uv_handle_t*)&handles[0]));

  touch("a", NULL); /* create */
  wait_events(&loop, 1);
  check_event(0, 0, "a", UV_RENAME);

  touch("a", "x"); /* write */
  wait_events(&loop, 2);
  check_event(1, 0, "a", UV_CHANGE);

  assert_int_equal(chmod(a, 0600), 0);
  wait_events(&loop, 3);
  check_event(2, 0, "a", UV_CHANGE);

  assert_int_equal(rename(a, b), 0); /* both names, old one first */
  wait_events(&loop, 5);
  check_event(3, 0, "a", UV_RENAME);
  check_event(4, 0, "b", UV_RENAME);

  assert_int_equal(unlink(b), 0);
  wait_events(&loop, 6);
  check_event(5, 0, "b", UV_RENAME);

  assert_int_equal(mkdir(sub, 0755), 0);
  wait_events(&loop, 7);
  check_event(6, 0, "sub", UV_RENAME);
  assert_int_equal(rmdir(sub), 0);
  wait_events(&loop, 8);
  check_event(7, 0, "sub", UV_RENAME);

  /* Stopped: nothing more, and the loop has nothing left to wait for. */
  assert_int_equal(uv_fs_event_stop(&handles[0]), 0);
  assert_false(uv_is_active((uv_handle_t*)&handles[0]));
  touch("a", NULL);
  expect_quiet(&loop);
  assert_int_equal(unlink(a), 0);

  uv_close((uv_handle_t*)&handles[0], NULL);
  loop_close_clean(&loop);
  remove_dir();
}

static void fs_event_watched_file(void** state) {
  uv_loop_t loop;
  char f[256], g[256];
  (void)state;

  make_dir();
  path_of(f, sizeof(f), "file");
  path_of(g, sizeof(g), "moved");
  touch("file", NULL);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_event_init(&loop, &handles[0]), 0);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, f, 0), 0);

  touch("file", "y");
  wait_events(&loop, 1);
  check_event(0, 0, "file", UV_CHANGE);

  assert_int_equal(chmod(f, 0600), 0);
  wait_events(&loop, 2);
  check_event(1, 0, "file", UV_CHANGE);

  /* A watched file keeps its name in the events, whatever it is now. */
  assert_int_equal(rename(f, g), 0);
  wait_events(&loop, 3);
  check_event(2, 0, "file", UV_RENAME);

  /* Deleting it: the link count (attrib), the inode going away, and the
   * watch being dropped by the kernel. */
  assert_int_equal(unlink(g), 0);
  wait_events(&loop, 6);
  check_event(3, 0, "file", UV_CHANGE);
  check_event(4, 0, "file", UV_RENAME);
  check_event(5, 0, "file", UV_RENAME);

  uv_close((uv_handle_t*)&handles[0], NULL);
  loop_close_clean(&loop);
  remove_dir();
}

static void fs_event_two_handles_one_path(void** state) {
  uv_loop_t loop;
  char f[256];
  (void)state;

  make_dir();
  path_of(f, sizeof(f), "file");
  touch("file", NULL);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_event_init(&loop, &handles[0]), 0);
  assert_int_equal(uv_fs_event_init(&loop, &handles[1]), 0);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, f, 0), 0);
  assert_int_equal(uv_fs_event_start(&handles[1], event_cb, f, 0), 0);

  touch("file", "1");
  wait_events(&loop, 2);
  check_event(0, 0, "file", UV_CHANGE);
  check_event(1, 1, "file", UV_CHANGE);

  /* Stopping one leaves the shared watch to the other. */
  assert_int_equal(uv_fs_event_stop(&handles[0]), 0);
  touch("file", "2");
  wait_events(&loop, 3);
  check_event(2, 1, "file", UV_CHANGE);

  /* And a handle started again joins it. */
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, f, 0), 0);
  touch("file", "3");
  wait_events(&loop, 5);
  check_event(3, 1, "file", UV_CHANGE);
  check_event(4, 0, "file", UV_CHANGE);

  assert_int_equal(uv_fs_event_stop(&handles[0]), 0);
  assert_int_equal(uv_fs_event_stop(&handles[1]), 0);
  touch("file", "4");
  expect_quiet(&loop);

  assert_int_equal(unlink(f), 0);
  uv_close((uv_handle_t*)&handles[0], NULL);
  uv_close((uv_handle_t*)&handles[1], NULL);
  loop_close_clean(&loop);
  remove_dir();
}

/* Many watchers on one directory, each closing itself in its callback, and
 * the first also closing the second before the second's turn. */
static void fs_event_close_in_callback(void** state) {
  uv_loop_t loop;
  int i;
  (void)state;

  make_dir();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < MAX_HANDLES; i++) {
    assert_int_equal(uv_fs_event_init(&loop, &handles[i]), 0);
    assert_int_equal(uv_fs_event_start(&handles[i], event_cb, dir, 0), 0);
  }
  close_self = 1;
  close_other = 1;
  touch("a", NULL);
  wait_events(&loop, MAX_HANDLES - 1);
  check_event(0, 0, "a", UV_RENAME);
  for (i = 1; i < MAX_HANDLES - 1; i++) check_event(i, i + 1, "a", UV_RENAME);
  for (i = 0; i < MAX_HANDLES; i++)
    assert_true(uv_is_closing((uv_handle_t*)&handles[i]));
  loop_close_clean(&loop);

  { /* the directory's watch is gone with its handles */
    char a[256];
    path_of(a, sizeof(a), "a");
    assert_int_equal(unlink(a), 0);
  }
  remove_dir();
}

static void fs_event_restart_in_callback(void** state) {
  uv_loop_t loop;
  (void)state;

  make_dir();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_event_init(&loop, &handles[0]), 0);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0), 0);
  restart_self = 1;
  touch("a", NULL);
  wait_events(&loop, 1);
  touch("b", NULL);
  wait_events(&loop, 2);
  check_event(0, 0, "a", UV_RENAME);
  check_event(1, 0, "b", UV_RENAME);
  restart_self = 0;
  uv_close((uv_handle_t*)&handles[0], NULL);
  loop_close_clean(&loop);
  {
    char p[256];
    path_of(p, sizeof(p), "a");
    assert_int_equal(unlink(p), 0);
    path_of(p, sizeof(p), "b");
    assert_int_equal(unlink(p), 0);
  }
  remove_dir();
}

static void fs_event_start_errors_and_getpath(void** state) {
  uv_loop_t loop;
  char missing[256];
  char small[4];
  char big[256];
  size_t size;
  size_t len;
  (void)state;

  make_dir();
  len = strlen(dir);
  path_of(missing, sizeof(missing), "no/such");
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_event_init(&loop, &handles[0]), 0);

  size = sizeof(big);
  assert_int_equal(uv_fs_event_getpath(&handles[0], big, &size), UV_EINVAL);
  assert_int_equal(size, 0);

  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, missing, 0),
                   UV_ENOENT);
  assert_false(uv_is_active((uv_handle_t*)&handles[0]));

  /* Linux has no recursive watch; libuv accepts the flag all the same. */
  assert_int_equal(
      uv_fs_event_start(&handles[0], event_cb, dir, UV_FS_EVENT_RECURSIVE),
      0);
  assert_int_equal(uv_fs_event_stop(&handles[0]), 0);

  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0), 0);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0),
                   UV_EINVAL);

  size = sizeof(small);
  assert_int_equal(uv_fs_event_getpath(&handles[0], small, &size),
                   UV_ENOBUFS);
  assert_int_equal(size, len + 1);
  size = len; /* no room for the NUL */
  assert_int_equal(uv_fs_event_getpath(&handles[0], big, &size), UV_ENOBUFS);
  assert_int_equal(size, len + 1);
  size = len + 1;
  assert_int_equal(uv_fs_event_getpath(&handles[0], big, &size), 0);
  assert_int_equal(size, len);
  assert_string_equal(big, dir);

  assert_int_equal(uv_fs_event_stop(&handles[0]), 0);
  assert_int_equal(uv_fs_event_stop(&handles[0]), 0);
  size = sizeof(big);
  assert_int_equal(uv_fs_event_getpath(&handles[0], big, &size), UV_EINVAL);
  assert_int_equal(size, 0);

  /* Closing an active handle stops it. */
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0), 0);
  uv_close((uv_handle_t*)&handles[0], NULL);
  assert_false(uv_is_active((uv_handle_t*)&handles[0]));
  loop_close_clean(&loop);
  remove_dir();
}

static void eddy_fs_event_bad_input(void** state) {
  uv_loop_t loop;
  uv_timer_t timer;
  size_t size = 8;
  char buf[8];
  (void)state;

  if (!TEST_ON_EDDY) skip();
  make_dir();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_event_init(NULL, &handles[0]), UV_EINVAL);
  assert_int_equal(uv_fs_event_init(&loop, &handles[0]), 0);
  assert_int_equal(uv_fs_event_start(&handles[0], NULL, dir, 0), UV_EINVAL);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, NULL, 0),
                   UV_EINVAL);
  assert_int_equal(uv_fs_event_start(NULL, event_cb, dir, 0), UV_EINVAL);
  assert_int_equal(uv_fs_event_stop(NULL), UV_EINVAL);
  assert_int_equal(uv_fs_event_getpath(NULL, buf, &size), UV_EINVAL);
  assert_int_equal(uv_timer_init(&loop, &timer), 0);
  assert_int_equal(
      uv_fs_event_start((uv_fs_event_t*)&timer, event_cb, dir, 0), UV_EINVAL);
  uv_close((uv_handle_t*)&timer, NULL);

  /* A failed allocation leaves the handle stopped and leaks nothing. */
  test_alloc_install(1);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0),
                   UV_ENOMEM);
  assert_false(uv_is_active((uv_handle_t*)&handles[0]));
  test_alloc_install(2);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0),
                   UV_ENOMEM);
  assert_false(uv_is_active((uv_handle_t*)&handles[0]));
  assert_int_equal(test_alloc.live, 0);
  test_alloc_restore();
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0), 0);

  uv_close((uv_handle_t*)&handles[0], NULL);
  loop_close_clean(&loop);
  remove_dir();
}

/* After uv_loop_fork the child has an inotify instance of its own with
 * every watch added back; the parent's watch is untouched (the child never
 * removes watches from the instance they shared). */
static void fs_event_after_fork(void** state) {
  uv_loop_t loop;
  pid_t pid;
  int status;
  (void)state;

  make_dir();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_fs_event_init(&loop, &handles[0]), 0);
  assert_int_equal(uv_fs_event_start(&handles[0], event_cb, dir, 0), 0);

  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int ok;
    uv_timer_t guard;
    if (uv_loop_fork(&loop) != 0) _exit(2);
    touch("child", NULL);
    timed_out = 0;
    uv_timer_init(&loop, &guard);
    uv_timer_start(&guard, guard_cb, GUARD_MS, 0);
    while (nseen < 1 && !timed_out) uv_run(&loop, UV_RUN_ONCE);
    ok = nseen == 1 && strcmp(seen[0].name, "child") == 0 &&
         seen[0].events == UV_RENAME;
    /* Stopping removes the child's watch only. */
    uv_fs_event_stop(&handles[0]);
    _exit(ok ? 0 : 1);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);

  /* The parent saw the child's file appear, and still sees events. */
  wait_events(&loop, 1);
  check_event(0, 0, "child", UV_RENAME);
  touch("parent", NULL);
  wait_events(&loop, 2);
  check_event(1, 0, "parent", UV_RENAME);

  uv_close((uv_handle_t*)&handles[0], NULL);
  loop_close_clean(&loop);
  {
    char p[256];
    path_of(p, sizeof(p), "child");
    assert_int_equal(unlink(p), 0);
    path_of(p, sizeof(p), "parent");
    assert_int_equal(unlink(p), 0);
  }
  remove_dir();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fs_event_dir_entries),
      cmocka_unit_test(fs_event_watched_file),
      cmocka_unit_test(fs_event_two_handles_one_path),
      cmocka_unit_test(fs_event_close_in_callback),
      cmocka_unit_test(fs_event_restart_in_callback),
      cmocka_unit_test(fs_event_start_errors_and_getpath),
      cmocka_unit_test(fs_event_after_fork),
      cmocka_unit_test(eddy_fs_event_bad_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
