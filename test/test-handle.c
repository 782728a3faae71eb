/* eddy tests — what every handle and request has (src/handle.c,
 * src/req.c): closing and the close phase, active and referenced states,
 * the accessors, names and sizes, uv_print_*_handles.
 *
 * What is asserted is libuv's behaviour: this file also builds against the
 * system's libuv (without -Iinclude, so that /usr/include/uv.h is used) and
 * passes there, except the tests named eddy_*, which check eddy's answers to
 * misuse that libuv leaves undefined.  EDDY_TEST_SKIP=pattern skips tests by
 * name (cmocka's skip filter), e.g. EDDY_TEST_SKIP='eddy_*'. */
#include "test-helpers.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a record of what ran, in order --------------------------------------- */

static const void* seen[32];
static const char* seen_what[32];
static int nseen;

static void record(const char* what, const void* handle) {
  if (nseen < (int)ARRAY_LEN(seen)) {
    seen_what[nseen] = what;
    seen[nseen] = handle;
  }
  nseen++;
}

static void reset_record(void) {
  nseen = 0;
  memset(seen, 0, sizeof(seen));
  memset(seen_what, 0, sizeof(seen_what));
}

static void record_close_cb(uv_handle_t* h) {
  /* Inside its close callback a handle still reads as closing. */
  assert_int_equal(uv_is_closing(h), 1);
  assert_int_equal(uv_is_active(h), 0);
  assert_int_equal(uv_has_ref(h), 0);
  record("close", h);
}

static void record_check_cb(uv_check_t* h) { record("check", h); }

static void noop_timer_cb(uv_timer_t* h) { (void)h; }
static void noop_idle_cb(uv_idle_t* h) { (void)h; }
static void noop_prepare_cb(uv_prepare_t* h) { (void)h; }
static void noop_check_cb(uv_check_t* h) { (void)h; }
static void noop_async_cb(uv_async_t* h) { (void)h; }

static void fail_timer_cb(uv_timer_t* h) {
  (void)h;
  fail_msg("this timer must not run");
}

/* ---- uv_close and the close phase ------------------------------------------- */

static void close_callback_runs_in_the_close_phase(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_check_t check;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_check_init(&loop, &check), 0);
  assert_int_equal(uv_check_start(&check, record_check_cb), 0);
  reset_record();

  uv_close((uv_handle_t*)&t, record_close_cb);
  assert_int_equal(nseen, 0); /* not from inside uv_close */
  assert_int_equal(uv_is_closing((uv_handle_t*)&t), 1);

  /* After the check phase, in the same iteration. */
  assert_int_not_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(nseen, 2);
  assert_string_equal(seen_what[0], "check");
  assert_ptr_equal(seen[0], &check);
  assert_string_equal(seen_what[1], "close");
  assert_ptr_equal(seen[1], &t);

  /* Once is all. */
  assert_int_not_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(nseen, 3);
  assert_string_equal(seen_what[2], "check");

  uv_close((uv_handle_t*)&check, NULL);
  loop_close_clean(&loop);
}

/* libuv on Unix pushes closing handles on a list and runs it from the
 * head: the handle closed last has its callback run first. */
static void close_callbacks_run_newest_first(void** state) {
  uv_loop_t loop;
  uv_timer_t t1, t2;
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_async_t async;
  const void* closed[6];
  int i;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t1), 0);
  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_prepare_init(&loop, &prepare), 0);
  assert_int_equal(uv_check_init(&loop, &check), 0);
  assert_int_equal(uv_async_init(&loop, &async, noop_async_cb), 0);
  assert_int_equal(uv_timer_init(&loop, &t2), 0);
  assert_int_equal(uv_timer_start(&t1, fail_timer_cb, 10000, 0), 0);
  assert_int_equal(uv_idle_start(&idle, noop_idle_cb), 0);
  reset_record();

  /* Closed in an order unlike the order of init. */
  closed[0] = &check;
  closed[1] = &t1;
  closed[2] = &async;
  closed[3] = &idle;
  closed[4] = &t2;
  closed[5] = &prepare;
  for (i = 0; i < 6; i++) uv_close((uv_handle_t*)closed[i], record_close_cb);

  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(nseen, 6);
  for (i = 0; i < 6; i++) assert_ptr_equal(seen[i], closed[5 - i]);
  assert_int_equal(uv_loop_close(&loop), 0);
}

static uv_timer_t* close_next;

static void close_another_cb(uv_handle_t* h) {
  record("close", h);
  if (close_next != NULL) {
    uv_close((uv_handle_t*)close_next, record_close_cb);
    close_next = NULL;
  }
}

/* A handle closed by a close callback waits for the next close phase. */
static void close_from_a_close_callback_waits_for_the_next_iteration(
    void** state) {
  uv_loop_t loop;
  uv_timer_t a, b;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &a), 0);
  assert_int_equal(uv_timer_init(&loop, &b), 0);
  reset_record();
  close_next = &b;
  uv_close((uv_handle_t*)&a, close_another_cb);

  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1); /* b is still closing */
  assert_int_equal(nseen, 1);
  assert_ptr_equal(seen[0], &a);
  assert_int_equal(uv_loop_alive(&loop), 1);

  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(nseen, 2);
  assert_ptr_equal(seen[1], &b);
  assert_int_equal(uv_loop_close(&loop), 0);
}

static int pending_calls;

static void pending_timer_cb(uv_timer_t* h) {
  (void)h;
  pending_calls++;
}

static void pending_idle_cb(uv_idle_t* h) {
  (void)h;
  pending_calls++;
}

static void pending_async_cb(uv_async_t* h) {
  (void)h;
  pending_calls++;
}

/* uv_close stops the handle at once: a due timer, a started idle handle, a
 * sent async handle never call back again. */
static void close_cancels_what_was_due(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_idle_t idle;
  uv_async_t async;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_async_init(&loop, &async, pending_async_cb), 0);
  pending_calls = 0;
  assert_int_equal(uv_timer_start(&t, pending_timer_cb, 0, 0), 0);
  assert_int_equal(uv_idle_start(&idle, pending_idle_cb), 0);
  assert_int_equal(uv_async_send(&async), 0);
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&idle, NULL);
  uv_close((uv_handle_t*)&async, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(pending_calls, 0);
  assert_int_equal(uv_loop_close(&loop), 0);
}

static uv_idle_t* idle_to_close;
static int closer_calls;

static void closer_idle_cb(uv_idle_t* h) {
  closer_calls++;
  if (idle_to_close != NULL) {
    uv_close((uv_handle_t*)idle_to_close, NULL);
    idle_to_close = NULL;
  }
  uv_close((uv_handle_t*)h, NULL);
}

/* A handle closed by an earlier callback of the same phase is skipped. */
static void close_from_a_callback_skips_the_rest_of_the_phase(void** state) {
  uv_loop_t loop;
  uv_idle_t first, second;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_idle_init(&loop, &first), 0);
  assert_int_equal(uv_idle_init(&loop, &second), 0);
  /* Idle handles run newest-started first. */
  assert_int_equal(uv_idle_start(&second, pending_idle_cb), 0);
  assert_int_equal(uv_idle_start(&first, closer_idle_cb), 0);
  pending_calls = closer_calls = 0;
  idle_to_close = &second;
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(closer_calls, 1);
  assert_int_equal(pending_calls, 0);
  assert_int_equal(uv_loop_close(&loop), 0);
}

static void is_closing_before_and_after(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_idle_t idle;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_is_closing((uv_handle_t*)&t), 0);
  assert_int_equal(uv_timer_start(&t, fail_timer_cb, 10000, 0), 0);
  assert_int_equal(uv_is_closing((uv_handle_t*)&t), 0);
  assert_int_equal(uv_is_closing((uv_handle_t*)&idle), 0);

  reset_record();
  uv_close((uv_handle_t*)&t, record_close_cb); /* checks it in the callback */
  uv_close((uv_handle_t*)&idle, NULL);
  assert_int_equal(uv_is_closing((uv_handle_t*)&t), 1);
  assert_int_equal(uv_is_closing((uv_handle_t*)&idle), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(nseen, 1);

  /* Closed for good: still "closing", neither active nor referenced. */
  assert_int_equal(uv_is_closing((uv_handle_t*)&t), 1);
  assert_int_equal(uv_is_closing((uv_handle_t*)&idle), 1);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 0);
  assert_int_equal(uv_has_ref((uv_handle_t*)&idle), 0);
  assert_int_equal(uv_loop_close(&loop), 0);
}

static void starting_a_closing_timer_fails(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_timer_start(&t, fail_timer_cb, 5, 0), 0);
  uv_close((uv_handle_t*)&t, NULL);
  assert_int_equal(uv_timer_start(&t, fail_timer_cb, 0, 0), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_timer_start(&t, fail_timer_cb, 0, 0), UV_EINVAL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- closing twice: an abort that names uv_close ---------------------------- */

/* Runs fn in a child whose stderr goes to a pipe; returns the wait status
 * and what the child wrote (at most size - 1 bytes). */
static int run_in_child(void (*fn)(void), char* out, size_t size) {
  int fds[2];
  pid_t pid;
  size_t len = 0;
  ssize_t n;
  int wstatus;

  assert_int_equal(pipe(fds), 0);
  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* A crash must end the child, not unwind into cmocka's runner. */
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    signal(SIGILL, SIG_DFL);
    signal(SIGFPE, SIG_DFL);
    signal(SIGABRT, SIG_DFL);
    close(fds[0]);
    if (dup2(fds[1], STDERR_FILENO) < 0) _exit(100);
    fn();
    _exit(0);
  }
  close(fds[1]);
  for (;;) {
    n = read(fds[0], out + len, size - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
    if (len == size - 1) break;
  }
  out[len] = '\0';
  close(fds[0]);
  assert_int_equal(waitpid(pid, &wstatus, 0), pid);
  return wstatus;
}

static void close_twice(void) {
  uv_loop_t loop;
  uv_timer_t t;
  if (uv_loop_init(&loop) != 0) _exit(101);
  if (uv_timer_init(&loop, &t) != 0) _exit(102);
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&t, NULL);
}

static void close_after_close_callback(void) {
  uv_loop_t loop;
  uv_idle_t idle;
  if (uv_loop_init(&loop) != 0) _exit(101);
  if (uv_idle_init(&loop, &idle) != 0) _exit(102);
  uv_close((uv_handle_t*)&idle, NULL);
  if (uv_run(&loop, UV_RUN_DEFAULT) != 0) _exit(103);
  uv_close((uv_handle_t*)&idle, NULL);
}

static void assert_aborted_naming_uv_close(int wstatus, const char* out) {
  if (!WIFSIGNALED(wstatus))
    fail_msg("the child was not killed by a signal (exit status %d)",
             WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  assert_int_equal(WTERMSIG(wstatus), SIGABRT);
  if (strstr(out, "uv_close") == NULL)
    fail_msg("the message does not name uv_close: \"%s\"", out);
}

static void closing_a_handle_twice_aborts(void** state) {
  char out[1024];
  int wstatus;
  (void)state;

  wstatus = run_in_child(close_twice, out, sizeof(out));
  assert_aborted_naming_uv_close(wstatus, out);
  wstatus = run_in_child(close_after_close_callback, out, sizeof(out));
  assert_aborted_naming_uv_close(wstatus, out);
}

/* ---- active ---------------------------------------------------------------------- */

static int repeat_calls;

static void repeat_cb(uv_timer_t* h) {
  repeat_calls++;
  if (repeat_calls == 3) uv_unref((uv_handle_t*)h);
}

static void is_active_follows_start_and_stop(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_async_t async;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);

  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_timer_start(&t, noop_timer_cb, 0, 0), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_timer_stop(&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_timer_stop(&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  /* A one-shot timer is inactive once it has run... */
  assert_int_equal(uv_timer_start(&t, noop_timer_cb, 1, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  /* ...a repeating one stays active. */
  repeat_calls = 0;
  assert_int_equal(uv_timer_start(&t, repeat_cb, 1, 1), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(repeat_calls, 3);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);

  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&idle), 0);
  assert_int_equal(uv_idle_start(&idle, noop_idle_cb), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&idle), 1);
  assert_int_equal(uv_idle_stop(&idle), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&idle), 0);

  assert_int_equal(uv_prepare_init(&loop, &prepare), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&prepare), 0);
  assert_int_equal(uv_prepare_start(&prepare, noop_prepare_cb), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&prepare), 1);
  assert_int_equal(uv_prepare_stop(&prepare), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&prepare), 0);

  assert_int_equal(uv_check_init(&loop, &check), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&check), 0);
  assert_int_equal(uv_check_start(&check, noop_check_cb), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&check), 1);
  assert_int_equal(uv_check_stop(&check), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&check), 0);

  /* An async handle is active from its init until it is closed. */
  assert_int_equal(uv_async_init(&loop, &async, noop_async_cb), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&async), 1);
  assert_int_equal(uv_async_send(&async), 0);
  assert_int_not_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&async), 1);
  uv_close((uv_handle_t*)&async, NULL);
  assert_int_equal(uv_is_active((uv_handle_t*)&async), 0);

  /* Closing stops an active handle at once. */
  assert_int_equal(uv_idle_start(&idle, noop_idle_cb), 0);
  uv_close((uv_handle_t*)&idle, NULL);
  assert_int_equal(uv_is_active((uv_handle_t*)&idle), 0);
  uv_close((uv_handle_t*)&t, NULL);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);

  uv_close((uv_handle_t*)&prepare, NULL);
  uv_close((uv_handle_t*)&check, NULL);
  loop_close_clean(&loop);
}

/* ---- references --------------------------------------------------------------------- */

static int ref_timer_calls;

static void ref_timer_cb(uv_timer_t* h) {
  (void)h;
  ref_timer_calls++;
}

static void ref_and_unref_decide_whether_run_waits(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 1); /* referenced at init */
  uv_unref((uv_handle_t*)&t);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 0);
  uv_unref((uv_handle_t*)&t); /* not counted: one uv_ref undoes both */
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 0);

  /* Unreferenced, the active timer does not keep uv_run waiting. */
  ref_timer_calls = 0;
  assert_int_equal(uv_timer_start(&t, ref_timer_cb, 5, 0), 0);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(ref_timer_calls, 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);

  uv_ref((uv_handle_t*)&t);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 1);
  uv_ref((uv_handle_t*)&t);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(ref_timer_calls, 1);

  /* An unref from a callback lets the loop end: the repeating timer stays
   * active, yet uv_run returns. */
  repeat_calls = 0;
  assert_int_equal(uv_timer_start(&t, repeat_cb, 1, 1), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(repeat_calls, 3);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 0);

  /* The reference does not change with start and stop. */
  assert_int_equal(uv_timer_stop(&t), 0);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 0);
  uv_ref((uv_handle_t*)&t);
  assert_int_equal(uv_timer_start(&t, ref_timer_cb, 1000, 0), 0);
  assert_int_equal(uv_timer_stop(&t), 0);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 1);

  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

/* ---- accessors ------------------------------------------------------------------------ */

static void handle_accessors(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_async_t async;
  int token;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  t.data = &token; /* init leaves data alone */
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_ptr_equal(t.data, &token);
  assert_ptr_equal(uv_handle_get_data((uv_handle_t*)&t), &token);
  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_prepare_init(&loop, &prepare), 0);
  assert_int_equal(uv_check_init(&loop, &check), 0);
  assert_int_equal(uv_async_init(&loop, &async, noop_async_cb), 0);

  assert_int_equal(uv_handle_get_type((uv_handle_t*)&t), UV_TIMER);
  assert_int_equal(uv_handle_get_type((uv_handle_t*)&idle), UV_IDLE);
  assert_int_equal(uv_handle_get_type((uv_handle_t*)&prepare), UV_PREPARE);
  assert_int_equal(uv_handle_get_type((uv_handle_t*)&check), UV_CHECK);
  assert_int_equal(uv_handle_get_type((uv_handle_t*)&async), UV_ASYNC);
  assert_int_equal(t.type, UV_TIMER);

  assert_ptr_equal(uv_handle_get_loop((uv_handle_t*)&t), &loop);
  assert_ptr_equal(uv_handle_get_loop((uv_handle_t*)&async), &loop);
  assert_ptr_equal(t.loop, &loop);

  uv_handle_set_data((uv_handle_t*)&idle, &token);
  assert_ptr_equal(idle.data, &token);
  assert_ptr_equal(uv_handle_get_data((uv_handle_t*)&idle), &token);
  idle.data = &loop;
  assert_ptr_equal(uv_handle_get_data((uv_handle_t*)&idle), &loop);
  uv_handle_set_data((uv_handle_t*)&idle, NULL);
  assert_null(uv_handle_get_data((uv_handle_t*)&idle));

  /* Kept through close, for the close callback to use. */
  uv_handle_set_data((uv_handle_t*)&check, &token);
  uv_close((uv_handle_t*)&check, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_ptr_equal(uv_handle_get_data((uv_handle_t*)&check), &token);
  assert_int_equal(uv_handle_get_type((uv_handle_t*)&check), UV_CHECK);

  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&idle, NULL);
  uv_close((uv_handle_t*)&prepare, NULL);
  uv_close((uv_handle_t*)&async, NULL);
  loop_close_clean(&loop);
}

static void req_accessors(void** state) {
  uv_req_t req;
  uv_work_t work;
  int token;
  (void)state;

  memset(&req, 0, sizeof(req));
  req.type = UV_FS;
  assert_int_equal(uv_req_get_type(&req), UV_FS);
  req.type = UV_RANDOM;
  assert_int_equal(uv_req_get_type(&req), UV_RANDOM);
  uv_req_set_data(&req, &token);
  assert_ptr_equal(req.data, &token);
  assert_ptr_equal(uv_req_get_data(&req), &token);
  req.data = &req;
  assert_ptr_equal(uv_req_get_data(&req), &req);

  /* Through the uv_req_t every request starts with. */
  memset(&work, 0, sizeof(work));
  work.type = UV_WORK;
  uv_req_set_data((uv_req_t*)&work, &token);
  assert_ptr_equal(work.data, &token);
  assert_int_equal(uv_req_get_type((uv_req_t*)&work), UV_WORK);
}

/* ---- names and sizes --------------------------------------------------------------------- */

static const struct {
  uv_handle_type type;
  const char* name;
  size_t size;
} handle_types[] = {
    {UV_ASYNC, "async", sizeof(uv_async_t)},
    {UV_CHECK, "check", sizeof(uv_check_t)},
    {UV_FS_EVENT, "fs_event", sizeof(uv_fs_event_t)},
    {UV_FS_POLL, "fs_poll", sizeof(uv_fs_poll_t)},
    {UV_HANDLE, "handle", sizeof(uv_handle_t)},
    {UV_IDLE, "idle", sizeof(uv_idle_t)},
    {UV_NAMED_PIPE, "pipe", sizeof(uv_pipe_t)},
    {UV_POLL, "poll", sizeof(uv_poll_t)},
    {UV_PREPARE, "prepare", sizeof(uv_prepare_t)},
    {UV_PROCESS, "process", sizeof(uv_process_t)},
    {UV_STREAM, "stream", sizeof(uv_stream_t)},
    {UV_TCP, "tcp", sizeof(uv_tcp_t)},
    {UV_TIMER, "timer", sizeof(uv_timer_t)},
    {UV_TTY, "tty", sizeof(uv_tty_t)},
    {UV_UDP, "udp", sizeof(uv_udp_t)},
    {UV_SIGNAL, "signal", sizeof(uv_signal_t)},
};

static const struct {
  uv_req_type type;
  const char* name;
  size_t size;
} req_types[] = {
    {UV_REQ, "req", sizeof(uv_req_t)},
    {UV_CONNECT, "connect", sizeof(uv_connect_t)},
    {UV_WRITE, "write", sizeof(uv_write_t)},
    {UV_SHUTDOWN, "shutdown", sizeof(uv_shutdown_t)},
    {UV_UDP_SEND, "udp_send", sizeof(uv_udp_send_t)},
    {UV_FS, "fs", sizeof(uv_fs_t)},
    {UV_WORK, "work", sizeof(uv_work_t)},
    {UV_GETADDRINFO, "getaddrinfo", sizeof(uv_getaddrinfo_t)},
    {UV_GETNAMEINFO, "getnameinfo", sizeof(uv_getnameinfo_t)},
    {UV_RANDOM, "random", sizeof(uv_random_t)},
};

static void handle_type_names(void** state) {
  size_t i;
  (void)state;

  /* Every type, and the enum has no other. */
  assert_int_equal(ARRAY_LEN(handle_types), UV_FILE - UV_UNKNOWN_HANDLE - 1);
  for (i = 0; i < ARRAY_LEN(handle_types); i++) {
    assert_int_equal(handle_types[i].type, (uv_handle_type)(i + 1));
    assert_non_null(uv_handle_type_name(handle_types[i].type));
    assert_string_equal(uv_handle_type_name(handle_types[i].type),
                        handle_types[i].name);
  }
  assert_string_equal(uv_handle_type_name(UV_FILE), "file");
  assert_null(uv_handle_type_name(UV_UNKNOWN_HANDLE));
  assert_null(uv_handle_type_name(UV_HANDLE_TYPE_MAX));
  assert_null(uv_handle_type_name((uv_handle_type)(UV_HANDLE_TYPE_MAX + 1)));
  assert_null(uv_handle_type_name((uv_handle_type)1000));
  assert_null(uv_handle_type_name((uv_handle_type)-1));
}

static void req_type_names(void** state) {
  size_t i;
  (void)state;

  assert_int_equal(ARRAY_LEN(req_types), UV_REQ_TYPE_MAX - UV_UNKNOWN_REQ - 1);
  for (i = 0; i < ARRAY_LEN(req_types); i++) {
    assert_int_equal(req_types[i].type, (uv_req_type)(i + 1));
    assert_non_null(uv_req_type_name(req_types[i].type));
    assert_string_equal(uv_req_type_name(req_types[i].type),
                        req_types[i].name);
  }
  assert_null(uv_req_type_name(UV_UNKNOWN_REQ));
  assert_null(uv_req_type_name(UV_REQ_TYPE_MAX));
  assert_null(uv_req_type_name((uv_req_type)1000));
  assert_null(uv_req_type_name((uv_req_type)-1));
}

static void handle_and_req_sizes(void** state) {
  size_t i;
  (void)state;

  for (i = 0; i < ARRAY_LEN(handle_types); i++)
    assert_int_equal(uv_handle_size(handle_types[i].type),
                     handle_types[i].size);
  assert_int_equal(uv_handle_size(UV_UNKNOWN_HANDLE), (size_t)-1);
  assert_int_equal(uv_handle_size(UV_FILE), (size_t)-1);
  assert_int_equal(uv_handle_size(UV_HANDLE_TYPE_MAX), (size_t)-1);
  assert_int_equal(uv_handle_size((uv_handle_type)1000), (size_t)-1);
  assert_int_equal(uv_handle_size((uv_handle_type)-1), (size_t)-1);

  for (i = 0; i < ARRAY_LEN(req_types); i++)
    assert_int_equal(uv_req_size(req_types[i].type), req_types[i].size);
  assert_int_equal(uv_req_size(UV_UNKNOWN_REQ), (size_t)-1);
  assert_int_equal(uv_req_size(UV_REQ_TYPE_MAX), (size_t)-1);
  assert_int_equal(uv_req_size((uv_req_type)1000), (size_t)-1);
  assert_int_equal(uv_req_size((uv_req_type)-1), (size_t)-1);
}

/* ---- uv_print_all_handles, uv_print_active_handles ------------------------------------ */

struct expected_line {
  const char* prefix; /* flags and padded type name, as libuv prints them */
  const void* handle;
  int active;
};

/* Checks what was printed: one line per handle of ours, exactly, in the
 * order of the loop's handle queue (init order); any other line is one of
 * the loop's own handles ('I' for internal, as libuv marks its own). */
static void check_printed(FILE* f, const struct expected_line* want, int n,
                          int only_active) {
  char line[256];
  char expected[256];
  int next = 0;
  int i;
  int ours;

  rewind(f);
  while (fgets(line, sizeof(line), f) != NULL) {
    ours = -1;
    for (i = 0; i < n; i++) {
      snprintf(expected, sizeof(expected), "%p\n", want[i].handle);
      if (strlen(line) >= strlen(expected) &&
          strcmp(line + strlen(line) - strlen(expected), expected) == 0)
        ours = i;
    }
    if (ours < 0) {
      /* "[xxI] name     0x...\n" */
      assert_true(strlen(line) > 6);
      assert_int_equal(line[0], '[');
      assert_int_equal(line[3], 'I');
      assert_int_equal(line[4], ']');
      assert_int_equal(line[5], ' ');
      if (only_active) assert_int_equal(line[2], 'A');
      continue;
    }
    while (next < n && only_active && !want[next].active) next++;
    assert_true(next < n);
    assert_int_equal(ours, next); /* in queue order, each once */
    snprintf(expected, sizeof(expected), "%s%p\n", want[ours].prefix,
             want[ours].handle);
    assert_string_equal(line, expected);
    next++;
  }
  while (next < n && only_active && !want[next].active) next++;
  assert_int_equal(next, n); /* none missing */
}

static void print_handles_format(void** state) {
  uv_loop_t loop;
  uv_timer_t active_ref, active_unref, closing;
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check_unref;
  uv_async_t async;
  FILE* f;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &active_ref), 0);
  assert_int_equal(uv_timer_init(&loop, &active_unref), 0);
  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_prepare_init(&loop, &prepare), 0);
  assert_int_equal(uv_check_init(&loop, &check_unref), 0);
  assert_int_equal(uv_async_init(&loop, &async, noop_async_cb), 0);
  assert_int_equal(uv_timer_init(&loop, &closing), 0);

  assert_int_equal(uv_timer_start(&active_ref, fail_timer_cb, 10000, 0), 0);
  assert_int_equal(uv_timer_start(&active_unref, fail_timer_cb, 10000, 0), 0);
  uv_unref((uv_handle_t*)&active_unref);
  assert_int_equal(uv_prepare_start(&prepare, noop_prepare_cb), 0);
  uv_unref((uv_handle_t*)&check_unref);
  assert_int_equal(uv_timer_start(&closing, fail_timer_cb, 10000, 0), 0);
  uv_close((uv_handle_t*)&closing, NULL); /* stopped, still referenced */

  {
    /* The type name is left-aligned in 8 columns, then one space. */
    const struct expected_line want[] = {
        {"[RA-] timer    ", &active_ref, 1},
        {"[-A-] timer    ", &active_unref, 1},
        {"[R--] idle     ", &idle, 0},
        {"[RA-] prepare  ", &prepare, 1},
        {"[---] check    ", &check_unref, 0},
        {"[RA-] async    ", &async, 1},
        {"[R--] timer    ", &closing, 0},
    };

    f = tmpfile();
    assert_non_null(f);
    uv_print_all_handles(&loop, f);
    check_printed(f, want, (int)ARRAY_LEN(want), 0);
    fclose(f);

    f = tmpfile();
    assert_non_null(f);
    uv_print_active_handles(&loop, f);
    check_printed(f, want, (int)ARRAY_LEN(want), 1);
    fclose(f);
  }

  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  uv_close((uv_handle_t*)&active_ref, NULL);
  uv_close((uv_handle_t*)&active_unref, NULL);
  uv_close((uv_handle_t*)&idle, NULL);
  uv_close((uv_handle_t*)&prepare, NULL);
  uv_close((uv_handle_t*)&check_unref, NULL);
  uv_close((uv_handle_t*)&async, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);

  /* Closed handles are gone from the listing. */
  f = tmpfile();
  assert_non_null(f);
  uv_print_all_handles(&loop, f);
  check_printed(f, NULL, 0, 0);
  fclose(f);
  assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- descriptors and socket buffers ---------------------------------------------------- */

static void fileno_of_a_timer_is_einval(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_idle_t idle;
  uv_async_t async;
  uv_os_fd_t fd = (uv_os_fd_t)-7;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_async_init(&loop, &async, noop_async_cb), 0);
  assert_int_equal(uv_fileno((uv_handle_t*)&t, &fd), UV_EINVAL);
  assert_int_equal(uv_fileno((uv_handle_t*)&idle, &fd), UV_EINVAL);
  assert_int_equal(uv_fileno((uv_handle_t*)&async, &fd), UV_EINVAL);
  assert_int_equal(fd, (uv_os_fd_t)-7); /* untouched */
  /* The type is checked before the output pointer is used. */
  assert_int_equal(uv_fileno((uv_handle_t*)&t, NULL), UV_EINVAL);
  uv_close((uv_handle_t*)&t, NULL);
  assert_int_equal(uv_fileno((uv_handle_t*)&t, &fd), UV_EINVAL);
  uv_close((uv_handle_t*)&idle, NULL);
  uv_close((uv_handle_t*)&async, NULL);
  loop_close_clean(&loop);
}

static void socket_buffer_sizes_of_a_timer(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_async_t async;
  int value;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_async_init(&loop, &async, noop_async_cb), 0);

  /* Not a socket: ENOTSUP, for reading (0) and for setting alike. */
  value = 0;
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&t, &value), UV_ENOTSUP);
  assert_int_equal(value, 0);
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)&t, &value), UV_ENOTSUP);
  assert_int_equal(value, 0);
  value = 65536;
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&t, &value), UV_ENOTSUP);
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)&async, &value),
                   UV_ENOTSUP);
  assert_int_equal(value, 65536);

  /* No value: EINVAL, before the type is looked at. */
  assert_int_equal(uv_send_buffer_size((uv_handle_t*)&t, NULL), UV_EINVAL);
  assert_int_equal(uv_recv_buffer_size((uv_handle_t*)&t, NULL), UV_EINVAL);
  assert_int_equal(uv_send_buffer_size(NULL, &value), UV_EINVAL);
  assert_int_equal(uv_recv_buffer_size(NULL, &value), UV_EINVAL);

  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&async, NULL);
  loop_close_clean(&loop);
}

/* ---- uv_buf_init ------------------------------------------------------------------------ */

static void buf_init_fills_both_fields(void** state) {
  char storage[16];
  uv_buf_t buf;
  (void)state;

  buf = uv_buf_init(storage, sizeof(storage));
  assert_ptr_equal(buf.base, storage);
  assert_int_equal(buf.len, sizeof(storage));
  buf = uv_buf_init(NULL, 0);
  assert_null(buf.base);
  assert_int_equal(buf.len, 0);
  buf = uv_buf_init(storage, UINT32_MAX);
  assert_int_equal(buf.len, (size_t)UINT32_MAX);
}

/* ---- eddy's answers to misuse (libuv crashes or misbehaves) ------------------------------ */

static void eddy_null_handles_are_rejected(void** state) {
  uv_os_fd_t fd = (uv_os_fd_t)-7;
  (void)state;

  assert_int_equal(uv_fileno(NULL, &fd), UV_EINVAL);
  assert_int_equal(fd, (uv_os_fd_t)-7);
  assert_int_equal(uv_is_active(NULL), 0);
  assert_int_equal(uv_is_closing(NULL), 0);
  assert_int_equal(uv_has_ref(NULL), 0);
  uv_ref(NULL);
  uv_unref(NULL);
  assert_int_equal(uv_handle_get_type(NULL), UV_UNKNOWN_HANDLE);
  assert_null(uv_handle_get_data(NULL));
  assert_null(uv_handle_get_loop(NULL));
  uv_handle_set_data(NULL, NULL);
  assert_int_equal(uv_req_get_type(NULL), UV_UNKNOWN_REQ);
  assert_null(uv_req_get_data(NULL));
  uv_req_set_data(NULL, NULL);
}

/* libuv starts the handle again, and it keeps running after its close. */
static void eddy_starting_a_closing_handle_is_rejected(void** state) {
  uv_loop_t loop;
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check;
  (void)state;

  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_prepare_init(&loop, &prepare), 0);
  assert_int_equal(uv_check_init(&loop, &check), 0);
  uv_close((uv_handle_t*)&idle, NULL);
  uv_close((uv_handle_t*)&prepare, NULL);
  uv_close((uv_handle_t*)&check, NULL);
  assert_int_equal(uv_idle_start(&idle, noop_idle_cb), UV_EINVAL);
  assert_int_equal(uv_prepare_start(&prepare, noop_prepare_cb), UV_EINVAL);
  assert_int_equal(uv_check_start(&check, noop_check_cb), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&idle), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&prepare), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&check), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_idle_start(&idle, noop_idle_cb), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&idle), 0);
  assert_int_equal(uv_loop_close(&loop), 0);
}

static void close_null(void) { uv_close(NULL, NULL); }

static void eddy_closing_null_aborts_naming_uv_close(void** state) {
  char out[1024];
  (void)state;
  assert_aborted_naming_uv_close(run_in_child(close_null, out, sizeof(out)),
                                 out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(close_callback_runs_in_the_close_phase),
      cmocka_unit_test(close_callbacks_run_newest_first),
      cmocka_unit_test(close_from_a_close_callback_waits_for_the_next_iteration),
      cmocka_unit_test(close_cancels_what_was_due),
      cmocka_unit_test(close_from_a_callback_skips_the_rest_of_the_phase),
      cmocka_unit_test(is_closing_before_and_after),
      cmocka_unit_test(starting_a_closing_timer_fails),
      cmocka_unit_test(closing_a_handle_twice_aborts),
      cmocka_unit_test(is_active_follows_start_and_stop),
      cmocka_unit_test(ref_and_unref_decide_whether_run_waits),
      cmocka_unit_test(handle_accessors),
      cmocka_unit_test(req_accessors),
      cmocka_unit_test(handle_type_names),
      cmocka_unit_test(req_type_names),
      cmocka_unit_test(handle_and_req_sizes),
      cmocka_unit_test(print_handles_format),
      cmocka_unit_test(fileno_of_a_timer_is_einval),
      cmocka_unit_test(socket_buffer_sizes_of_a_timer),
      cmocka_unit_test(buf_init_fills_both_fields),
      cmocka_unit_test(eddy_null_handles_are_rejected),
      cmocka_unit_test(eddy_starting_a_closing_handle_is_rejected),
      cmocka_unit_test(eddy_closing_null_aborts_naming_uv_close),
  };
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
