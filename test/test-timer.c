/* eddy tests — timers (src/timer.c).
 *
 * The specification is libuv's documented behaviour and, where the docs
 * are vague, what libuv 1.52 does.  Times are checked against the loop's
 * cached clock (uv_now), which the timer contract is written in and which
 * makes the checks exact; a wall-clock check is only ever a lower bound.
 *
 * The file also builds against the system's libuv (without eddy's
 * include/, so that /usr/include/uv.h is used) and passes there, except:
 *   - the tests named eddy_*, eddy's safety additions (UV_EINVAL for a
 *     NULL handle or a handle of another type, where libuv would crash).
 *     They skip themselves when built without eddy's headers;
 *     EDDY_TEST_SKIP=pattern skips tests by name (cmocka's skip filter),
 *     e.g. EDDY_TEST_SKIP='eddy_*';
 *   - the tests marked [libuv 1.45], whose expectation follows the release
 *     of the uv.h the file is built with (UV_VERSION_HEX).  libuv 1.45
 *     began to collect all due timers before running any of them, so a
 *     timer started by a timer callback with timeout 0 waits for the next
 *     iteration (1.44 ran it in the same round), and moved the timers of
 *     UV_RUN_NOWAIT and UV_RUN_ONCE from the start of the iteration to its
 *     end.  eddy follows 1.52. */
#include "test-helpers.h"

#include <limits.h>
#include <stdio.h>

/* libuv 1.45: due timers are collected before any runs; NOWAIT and ONCE
 * run them at the end of the iteration. */
#define UV_1_45 ((1 << 16) | (45 << 8))
#if UV_VERSION_HEX >= UV_1_45
#define TIMERS_COLLECTED_FIRST 1
#else
#define TIMERS_COLLECTED_FIRST 0
#endif

#define NS_PER_MS UINT64_C(1000000)

/* ---- shared state ---------------------------------------------------------- */

#define MAX_LOG 64

/* What the callbacks saw; reset by every test. */
static struct {
  int calls[16];              /* per timer index (handle->data) */
  int log[MAX_LOG];           /* timer indices, in callback order */
  int nlog;
  uint64_t now[MAX_LOG];      /* uv_now at each logged callback */
  uint64_t hr[MAX_LOG];       /* uv_hrtime at each logged callback */
  uint64_t due_in[MAX_LOG];   /* uv_timer_get_due_in at each callback */
  int iter_at[MAX_LOG];       /* iteration count at each logged callback */
  int iterations;             /* check callbacks so far */
  int close_calls;
  int stop_after;             /* a callback stops its timer on this call */
  uv_timer_t* other;          /* a timer a callback acts on */
  uv_timer_t* other2;
} st;

static void reset_state(void) { memset(&st, 0, sizeof(st)); }

static int idx_of(uv_timer_t* t) { return (int)(intptr_t)t->data; }

static void log_call(uv_timer_t* t) {
  int i = idx_of(t);
  assert_true(i >= 0 && i < (int)ARRAY_LEN(st.calls));
  st.calls[i]++;
  assert_true(st.nlog < MAX_LOG);
  st.now[st.nlog] = uv_now(t->loop);
  st.hr[st.nlog] = uv_hrtime();
  st.due_in[st.nlog] = uv_timer_get_due_in(t);
  st.iter_at[st.nlog] = st.iterations;
  st.log[st.nlog++] = i;
}

static void count_cb(uv_timer_t* t) { log_call(t); }

static void close_count_cb(uv_handle_t* h) {
  (void)h;
  st.close_calls++;
}

static void iteration_cb(uv_check_t* c) {
  (void)c;
  st.iterations++;
}

/* A check handle that counts loop iterations without keeping the loop
 * alive. */
static void start_iteration_counter(uv_loop_t* loop, uv_check_t* c) {
  assert_int_equal(uv_check_init(loop, c), 0);
  assert_int_equal(uv_check_start(c, iteration_cb), 0);
  uv_unref((uv_handle_t*)c);
}

static void init_timer(uv_loop_t* loop, uv_timer_t* t, int idx) {
  assert_int_equal(uv_timer_init(loop, t), 0);
  t->data = (void*)(intptr_t)idx;
}

/* ---- init, start, stop --------------------------------------------------- */

static void timer_fresh_state(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_handle_get_type((uv_handle_t*)&t), UV_TIMER);
  assert_ptr_equal(t.loop, &loop);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_is_closing((uv_handle_t*)&t), 0);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 1);
  assert_int_equal(uv_timer_get_repeat(&t), 0);
  assert_int_equal(uv_timer_get_due_in(&t), 0);
  /* An inactive timer keeps nothing alive. */
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void timer_start_null_cb_is_einval(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, NULL, 10, 0), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  /* On a running timer the refused call changes nothing. */
  assert_int_equal(uv_timer_start(&t, count_cb, 1000, 7), 0);
  assert_int_equal(uv_timer_start(&t, NULL, 10, 0), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_timer_get_due_in(&t), 1000);
  assert_int_equal(uv_timer_get_repeat(&t), 7);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
  assert_int_equal(st.calls[0], 0);
}

static void timer_start_fires_once_after_timeout(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uint64_t now0, hr0;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  hr0 = uv_hrtime();
  uv_update_time(&loop);
  now0 = uv_now(&loop);
  assert_int_equal(uv_timer_start(&t, count_cb, 20, 0), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_loop_alive(&loop), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  /* Exact in loop time; on the wall clock, 1 ms for uv_now's truncation to
   * whole milliseconds and 1 ms for a coarse clock's tick. */
  assert_true(st.now[0] >= now0 + 20);
  assert_true(st.hr[0] - hr0 >= 18 * NS_PER_MS);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void timer_start_restarts_running_timer(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uint64_t now0;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  now0 = uv_now(&loop);
  assert_int_equal(uv_timer_start(&t, count_cb, 10000, 0), 0);
  assert_int_equal(uv_timer_get_due_in(&t), 10000);
  assert_int_equal(uv_timer_start(&t, count_cb, 5, 3), 0);
  assert_int_equal(uv_timer_get_due_in(&t), 5);
  assert_int_equal(uv_timer_get_repeat(&t), 3);
  assert_int_equal(uv_timer_start(&t, count_cb, 5, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  /* One heap entry: it fires once, 5 ms (not 10 s) after the start. */
  assert_int_equal(st.calls[0], 1);
  assert_true(st.now[0] >= now0 + 5);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void timer_stop_is_idempotent(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_stop(&t), 0); /* never started */
  assert_int_equal(uv_timer_start(&t, count_cb, 1, 0), 0);
  assert_int_equal(uv_timer_stop(&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_timer_stop(&t), 0); /* already stopped */
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 0);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void timer_start_on_closing_timer_is_einval(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  uv_close((uv_handle_t*)&t, close_count_cb);
  assert_int_equal(uv_timer_start(&t, count_cb, 0, 0), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  loop_close_clean(&loop);
  assert_int_equal(st.calls[0], 0);
  assert_int_equal(st.close_calls, 1);
}

static void timer_close_active_timer(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, count_cb, 0, 1), 0);
  uv_close((uv_handle_t*)&t, close_count_cb);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_is_closing((uv_handle_t*)&t), 1);
  loop_close_clean(&loop);
  assert_int_equal(st.calls[0], 0);
  assert_int_equal(st.close_calls, 1);
}

/* ---- again, repeat ---------------------------------------------------------- */

static void timer_again_without_callback_is_einval(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_timer_again(&t), UV_EINVAL);
  uv_timer_set_repeat(&t, 10);
  assert_int_equal(uv_timer_again(&t), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void timer_again_non_repeating_does_nothing(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, count_cb, 50, 0), 0);
  assert_int_equal(uv_timer_stop(&t), 0);
  assert_int_equal(uv_timer_again(&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  /* Running, without repeat: again leaves it as it is. */
  assert_int_equal(uv_timer_start(&t, count_cb, 50, 0), 0);
  assert_int_equal(uv_timer_again(&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_timer_get_due_in(&t), 50);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
  assert_int_equal(st.calls[0], 0);
}

static void stop_on_nth_cb(uv_timer_t* t) {
  log_call(t);
  if (st.calls[idx_of(t)] == st.stop_after)
    assert_int_equal(uv_timer_stop(t), 0);
}

static void timer_again_restarts_repeating_timer(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uint64_t now0;
  (void)state;
  reset_state();
  st.stop_after = 2;
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  now0 = uv_now(&loop);
  assert_int_equal(uv_timer_start(&t, stop_on_nth_cb, 10000, 20), 0);
  assert_int_equal(uv_timer_get_due_in(&t), 10000);
  /* again: due in repeat from now, whatever the first timeout was. */
  assert_int_equal(uv_timer_again(&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_timer_get_due_in(&t), 20);
  assert_int_equal(uv_timer_get_repeat(&t), 20);
  /* A stopped repeating timer is started again by again. */
  assert_int_equal(uv_timer_stop(&t), 0);
  uv_timer_set_repeat(&t, 7);
  assert_int_equal(uv_timer_again(&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_timer_get_due_in(&t), 7);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 2);
  assert_true(st.now[0] >= now0 + 7);
  assert_true(st.now[1] >= st.now[0] + 7);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void timer_set_get_repeat(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  uv_timer_set_repeat(&t, 42);
  assert_int_equal(uv_timer_get_repeat(&t), 42);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  uv_timer_set_repeat(&t, UINT64_MAX);
  assert_true(uv_timer_get_repeat(&t) == UINT64_MAX);
  uv_timer_set_repeat(&t, 0);
  assert_int_equal(uv_timer_get_repeat(&t), 0);
  /* start sets it too; set_repeat does not move a running timer. */
  assert_int_equal(uv_timer_start(&t, count_cb, 300, 9), 0);
  assert_int_equal(uv_timer_get_repeat(&t), 9);
  uv_timer_set_repeat(&t, 1);
  assert_int_equal(uv_timer_get_repeat(&t), 1);
  assert_int_equal(uv_timer_get_due_in(&t), 300);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void repeat_changing_cb(uv_timer_t* t) {
  log_call(t);
  switch (st.calls[0]) {
    case 1:
      uv_timer_set_repeat(t, 30);
      break;
    case 2:
      uv_timer_set_repeat(t, 0);
      break;
    case 3:
      /* Scheduled with the repeat of 30 before call 2 cleared it; now
       * nothing scheduled it again. */
      assert_int_equal(uv_is_active((uv_handle_t*)t), 0);
      break;
    default:
      fail_msg("a timer whose repeat was set to 0 ran again");
  }
}

/* libuv documents that set_repeat from the callback takes effect only
 * after the next timeout: the next run was scheduled with the old repeat
 * before the callback ran. */
static void timer_set_repeat_in_callback_applies_later(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, repeat_changing_cb, 1, 5), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 3);
  assert_int_equal(st.due_in[0], 5);  /* during call 1: the old repeat */
  assert_int_equal(st.due_in[1], 30); /* during call 2: the one set in 1 */
  assert_int_equal(st.due_in[2], 0);  /* during call 3: not rescheduled */
  assert_true(st.now[1] >= st.now[0] + 5);
  assert_true(st.now[2] >= st.now[1] + 30);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void set_repeat_on_oneshot_cb(uv_timer_t* t) {
  log_call(t);
  uv_timer_set_repeat(t, 5);
  assert_int_equal(uv_is_active((uv_handle_t*)t), 0);
}

static void timer_set_repeat_in_oneshot_callback_stays_stopped(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, set_repeat_on_oneshot_cb, 1, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(uv_timer_get_repeat(&t), 5);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void timer_repeat_fires_at_interval(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uint64_t now0;
  int i;
  (void)state;
  reset_state();
  st.stop_after = 5;
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  now0 = uv_now(&loop);
  assert_int_equal(uv_timer_start(&t, stop_on_nth_cb, 3, 10), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 5);
  assert_true(st.now[0] >= now0 + 3);
  for (i = 1; i < 5; i++) assert_true(st.now[i] >= st.now[i - 1] + 10);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void slow_cb(uv_timer_t* t) {
  log_call(t);
  uv_sleep(12); /* longer than the repeat interval */
  if (st.calls[0] == 4) uv_close((uv_handle_t*)t, close_count_cb);
}

/* The next run is scheduled from the loop time the round started with, so
 * an overrun makes it due at once, but still only once per iteration. */
static void timer_repeat_slow_callback_runs_once_per_iteration(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_check_t c;
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, slow_cb, 1, 4), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 4);
  assert_int_equal(st.close_calls, 1);
  for (i = 1; i < 4; i++) {
    assert_true(st.iter_at[i] > st.iter_at[i - 1]);
    assert_true(st.now[i] >= st.now[i - 1] + 4);
  }
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* ---- callbacks acting on timers -------------------------------------------- */

static void timer_stop_in_own_callback(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  st.stop_after = 3;
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, stop_on_nth_cb, 0, 1), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 3);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 0);
  assert_int_equal(uv_timer_get_repeat(&t), 1);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void close_self_cb(uv_timer_t* t) {
  log_call(t);
  uv_close((uv_handle_t*)t, close_count_cb);
  assert_int_equal(uv_is_active((uv_handle_t*)t), 0);
}

static void timer_close_in_own_callback(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, close_self_cb, 0, 1), 0);
  loop_close_clean(&loop);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(st.close_calls, 1);
}

static void stop_other_cb(uv_timer_t* t) {
  log_call(t);
  assert_int_equal(uv_timer_stop(st.other), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)st.other), 0);
}

/* B was due in the same round as A; A stops it first: B must not run. */
static void timer_stop_other_due_timer(void** state) {
  uv_loop_t loop;
  uv_timer_t a, b, c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &a, 0);
  init_timer(&loop, &b, 1);
  init_timer(&loop, &c, 2);
  st.other = &b;
  assert_int_equal(uv_timer_start(&a, stop_other_cb, 1, 0), 0);
  assert_int_equal(uv_timer_start(&b, count_cb, 1, 0), 0);
  assert_int_equal(uv_timer_start(&c, count_cb, 1, 0), 0);
  uv_sleep(2); /* all three are due when the loop looks */
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(st.calls[1], 0);
  assert_int_equal(st.calls[2], 1);
  assert_int_equal(st.nlog, 2);
  assert_int_equal(st.log[0], 0);
  assert_int_equal(st.log[1], 2);
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&b, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

static void close_other_cb(uv_timer_t* t) {
  log_call(t);
  uv_close((uv_handle_t*)st.other, close_count_cb);
}

static void timer_close_other_due_timer(void** state) {
  uv_loop_t loop;
  uv_timer_t a, b, c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &a, 0);
  init_timer(&loop, &b, 1);
  init_timer(&loop, &c, 2);
  st.other = &b;
  assert_int_equal(uv_timer_start(&a, close_other_cb, 1, 0), 0);
  assert_int_equal(uv_timer_start(&b, count_cb, 1, 1), 0);
  assert_int_equal(uv_timer_start(&c, count_cb, 1, 0), 0);
  uv_sleep(2);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(st.calls[1], 0);
  assert_int_equal(st.calls[2], 1);
  assert_int_equal(st.close_calls, 1);
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

static void restart_other_cb(uv_timer_t* t) {
  log_call(t);
  assert_int_equal(uv_timer_start(st.other, count_cb, 10, 0), 0);
  assert_int_equal(uv_timer_get_due_in(st.other), 10);
}

/* Restarting a due timer that has not run yet takes it out of the round. */
static void timer_restart_other_due_timer(void** state) {
  uv_loop_t loop;
  uv_timer_t a, b;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &a, 0);
  init_timer(&loop, &b, 1);
  st.other = &b;
  assert_int_equal(uv_timer_start(&a, restart_other_cb, 1, 0), 0);
  assert_int_equal(uv_timer_start(&b, count_cb, 1, 0), 0);
  uv_sleep(2);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(st.calls[1], 1);
  assert_int_equal(st.nlog, 2);
  assert_true(st.now[1] >= st.now[0] + 10);
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&b, NULL);
  loop_close_clean(&loop);
}

static void start_and_close_cb(uv_timer_t* t) {
  log_call(t);
  assert_int_equal(uv_timer_start(st.other, count_cb, 2, 0), 0);
  uv_close((uv_handle_t*)st.other2, close_count_cb);
}

static void timer_start_and_close_others_from_callback(void** state) {
  uv_loop_t loop;
  uv_timer_t a, b, c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &a, 0);
  init_timer(&loop, &b, 1);
  init_timer(&loop, &c, 2);
  st.other = &b;
  st.other2 = &c;
  assert_int_equal(uv_timer_start(&a, start_and_close_cb, 1, 0), 0);
  assert_int_equal(uv_timer_start(&c, count_cb, 60000, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(st.calls[1], 1);
  assert_int_equal(st.calls[2], 0);
  assert_int_equal(st.close_calls, 1);
  assert_int_equal(st.log[0], 0);
  assert_int_equal(st.log[1], 1);
  assert_true(st.now[1] >= st.now[0] + 2);
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&b, NULL);
  loop_close_clean(&loop);
}

static void stop_loop_cb(uv_timer_t* t) {
  log_call(t);
  uv_stop(t->loop);
}

/* uv_stop in a timer callback ends uv_run after the round: the other
 * timers due in it still run, the later ones wait. */
static void timer_uv_stop_finishes_the_round(void** state) {
  uv_loop_t loop;
  uv_timer_t t[4];
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < 4; i++) init_timer(&loop, &t[i], i);
  assert_int_equal(uv_timer_start(&t[0], stop_loop_cb, 1, 0), 0);
  assert_int_equal(uv_timer_start(&t[1], count_cb, 1, 0), 0);
  assert_int_equal(uv_timer_start(&t[2], count_cb, 1, 0), 0);
  assert_int_equal(uv_timer_start(&t[3], count_cb, 60000, 0), 0);
  uv_sleep(2);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 1);
  assert_int_equal(st.nlog, 3);
  for (i = 0; i < 3; i++) assert_int_equal(st.log[i], i);
  assert_int_equal(st.calls[3], 0);
  for (i = 0; i < 4; i++) uv_close((uv_handle_t*)&t[i], NULL);
  loop_close_clean(&loop);
  assert_int_equal(st.calls[3], 0);
}

/* ---- order ------------------------------------------------------------------ */

static void timer_same_timeout_runs_in_start_order(void** state) {
  uv_loop_t loop;
  uv_timer_t t[10];
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < 10; i++) init_timer(&loop, &t[i], i);
  /* Started in an order unlike their addresses or init order. */
  for (i = 0; i < 10; i++)
    assert_int_equal(uv_timer_start(&t[(i * 3) % 10], count_cb, 5, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.nlog, 10);
  for (i = 0; i < 10; i++) assert_int_equal(st.log[i], (i * 3) % 10);
  for (i = 0; i < 10; i++) uv_close((uv_handle_t*)&t[i], NULL);
  loop_close_clean(&loop);
}

static void timer_restart_moves_to_end_of_ties(void** state) {
  uv_loop_t loop;
  uv_timer_t t[10];
  static const int expected[10] = {9, 1, 2, 4, 5, 6, 7, 8, 3, 0};
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < 10; i++) init_timer(&loop, &t[i], i);
  for (i = 0; i < 10; i++)
    assert_int_equal(uv_timer_start(&t[i], count_cb, 5, 0), 0);
  /* Same due time, started later: after the others.  A shorter timeout
   * goes first whatever its start order. */
  assert_int_equal(uv_timer_start(&t[3], count_cb, 5, 0), 0);
  assert_int_equal(uv_timer_start(&t[0], count_cb, 5, 0), 0);
  assert_int_equal(uv_timer_start(&t[9], count_cb, 4, 0), 0);
  /* A stop and again keeps the new place too. */
  assert_int_equal(uv_timer_stop(&t[8]), 0);
  assert_int_equal(uv_timer_start(&t[8], count_cb, 5, 0), 0);
  assert_int_equal(uv_timer_stop(&t[3]), 0);
  assert_int_equal(uv_timer_start(&t[3], count_cb, 5, 0), 0);
  assert_int_equal(uv_timer_start(&t[0], count_cb, 5, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.nlog, 10);
  for (i = 0; i < 10; i++) assert_int_equal(st.log[i], expected[i]);
  for (i = 0; i < 10; i++) uv_close((uv_handle_t*)&t[i], NULL);
  loop_close_clean(&loop);
}

/* ---- zero timeouts and iterations --------------------------------------------- */

static void timer_zero_timeout_fires_first_iteration(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_check_t c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, count_cb, 0, 0), 0);
  assert_int_equal(uv_timer_get_due_in(&t), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(st.iter_at[0], 0); /* before the first check phase */
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* UV_RUN_ONCE waits in the poll for the next timer and runs it. */
static void timer_run_once_waits_for_timer(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uint64_t now0;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  now0 = uv_now(&loop);
  assert_int_equal(uv_timer_start(&t, count_cb, 15, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 0);
  assert_int_equal(st.calls[0], 1);
  assert_true(st.now[0] >= now0 + 15);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

/* [libuv 1.45] UV_RUN_NOWAIT runs due timers after the poll and the check
 * phase; 1.44 ran them at the start of the iteration. */
static void timer_nowait_runs_due_timers_at_end_of_iteration(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_check_t c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, count_cb, 0, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(st.iter_at[0], TIMERS_COLLECTED_FIRST ? 1 : 0);
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

static void start_zero_other_cb(uv_timer_t* t) {
  log_call(t);
  assert_int_equal(uv_timer_start(st.other, count_cb, 0, 0), 0);
}

/* [libuv 1.45] A timer started with timeout 0 from a timer callback runs
 * in the next iteration, not in the round that started it (1.44: in the
 * same round). */
static void timer_zero_started_in_callback_runs_next_iteration(void** state) {
  uv_loop_t loop;
  uv_timer_t a, b;
  uv_check_t c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  init_timer(&loop, &a, 0);
  init_timer(&loop, &b, 1);
  st.other = &b;
  assert_int_equal(uv_timer_start(&a, start_zero_other_cb, 0, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.nlog, 2);
  assert_int_equal(st.log[0], 0);
  assert_int_equal(st.log[1], 1);
  assert_int_equal(st.iter_at[1],
                   st.iter_at[0] + (TIMERS_COLLECTED_FIRST ? 1 : 0));
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&b, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

static void restart_self_zero_cb(uv_timer_t* t) {
  log_call(t);
  if (st.calls[0] < 5) assert_int_equal(uv_timer_start(t, restart_self_zero_cb, 0, 0), 0);
}

/* [libuv 1.45] A timer that restarts itself with timeout 0 runs once per
 * iteration: it cannot starve the rest of the loop (1.44 ran it again and
 * again in the same round). */
static void timer_zero_restarting_itself_runs_once_per_iteration(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uv_check_t c;
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, restart_self_zero_cb, 0, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 5);
  for (i = 0; i < 5; i++)
    assert_int_equal(st.iter_at[i], TIMERS_COLLECTED_FIRST ? i : 0);
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* ---- get_due_in, huge timeouts, references ----------------------------------- */

static void timer_get_due_in(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  uint64_t now0, elapsed;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_get_due_in(&t), 0); /* fresh */
  now0 = uv_now(&loop);
  assert_int_equal(uv_timer_start(&t, count_cb, 10000000, 0), 0);
  assert_int_equal(uv_timer_get_due_in(&t), 10000000); /* running */
  /* Relative to the cached time: sleeping changes nothing until the loop
   * time is updated. */
  uv_sleep(5);
  assert_int_equal(uv_timer_get_due_in(&t), 10000000);
  uv_update_time(&loop);
  elapsed = uv_now(&loop) - now0;
  assert_true(elapsed >= 5);
  assert_int_equal(uv_timer_get_due_in(&t), 10000000 - elapsed);
  /* Due but not yet run: 0. */
  assert_int_equal(uv_timer_start(&t, count_cb, 2, 0), 0);
  assert_int_equal(uv_timer_get_due_in(&t), 2);
  uv_sleep(3);
  uv_update_time(&loop);
  assert_int_equal(uv_timer_get_due_in(&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(uv_timer_get_due_in(&t), 0); /* expired */
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
}

static void timer_huge_timeout_saturates(void** state) {
  uv_loop_t loop;
  uv_timer_t t, u, w;
  uint64_t now;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  init_timer(&loop, &u, 1);
  init_timer(&loop, &w, 2);
  now = uv_now(&loop);
  assert_true(now > 0);
  assert_int_equal(uv_timer_start(&t, count_cb, UINT64_MAX, 0), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_true(uv_timer_get_due_in(&t) == UINT64_MAX - now);
  /* Just past the overflow point, and just before it. */
  assert_int_equal(uv_timer_start(&u, count_cb, UINT64_MAX - now + 1, 0), 0);
  assert_true(uv_timer_get_due_in(&u) == UINT64_MAX - now);
  assert_int_equal(uv_timer_start(&w, count_cb, UINT64_MAX - now - 1, 0), 0);
  assert_true(uv_timer_get_due_in(&w) == UINT64_MAX - now - 1);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(uv_loop_alive(&loop), 1);
  assert_int_equal(st.nlog, 0);
  /* The poll timeout is capped, not wrapped to a negative or small value
   * (asked after a run: libuv 1.44 answers 0 on a loop that never ran). */
  assert_int_equal(uv_backend_timeout(&loop), INT_MAX);
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&u, NULL);
  uv_close((uv_handle_t*)&w, NULL);
  loop_close_clean(&loop);
  assert_int_equal(st.nlog, 0);
}

static void timer_huge_repeat_fires_once(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  assert_int_equal(uv_timer_start(&t, count_cb, 0, UINT64_MAX), 0);
  for (i = 0; i < 3; i++) assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_true(uv_timer_get_due_in(&t) == UINT64_MAX - uv_now(&loop));
  assert_int_equal(uv_backend_timeout(&loop), INT_MAX);
  uv_close((uv_handle_t*)&t, NULL);
  loop_close_clean(&loop);
  assert_int_equal(st.calls[0], 1);
}

static void timer_unref_does_not_keep_loop_alive(void** state) {
  uv_loop_t loop;
  uv_timer_t t, keep;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &t, 0);
  init_timer(&loop, &keep, 1);
  assert_int_equal(uv_timer_start(&t, count_cb, 1, 0), 0);
  uv_unref((uv_handle_t*)&t);
  assert_int_equal(uv_has_ref((uv_handle_t*)&t), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&t), 1);
  assert_int_equal(uv_loop_alive(&loop), 0);
  uv_sleep(2);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 0);
  /* While something else keeps the loop running, it fires all the same. */
  assert_int_equal(uv_timer_start(&keep, count_cb, 20, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 1);
  assert_int_equal(st.calls[1], 1);
  assert_int_equal(st.log[0], 0);
  /* ref again: now it does keep the loop alive. */
  assert_int_equal(uv_timer_start(&t, count_cb, 1, 0), 0);
  uv_ref((uv_handle_t*)&t);
  assert_int_equal(uv_loop_alive(&loop), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls[0], 2);
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&keep, NULL);
  loop_close_clean(&loop);
}

/* ---- the cached loop time ---------------------------------------------------- */

static struct {
  uv_timer_t early; /* started before uv_update_time */
  uv_timer_t late;  /* started after it */
  uint64_t t0;      /* uv_now when the slow callback began */
  uint64_t t1;      /* uv_now after uv_update_time */
  uint64_t hr1;     /* uv_hrtime before that update */
} nowst;

static void slow_then_start_cb(uv_timer_t* t) {
  log_call(t);
  nowst.t0 = uv_now(t->loop);
  uv_sleep(40);
  /* The cached time does not move by itself... */
  assert_true(uv_now(t->loop) == nowst.t0);
  /* ...so this timer is due 30 ms after the time the round started, which
   * has already passed. */
  assert_int_equal(uv_timer_start(&nowst.early, count_cb, 30, 0), 0);
  assert_int_equal(uv_timer_get_due_in(&nowst.early), 30);
  nowst.hr1 = uv_hrtime();
  uv_update_time(t->loop);
  nowst.t1 = uv_now(t->loop);
  assert_true(nowst.t1 >= nowst.t0 + 40);
  assert_int_equal(uv_timer_get_due_in(&nowst.early), 0);
  /* After the update, 30 ms from the real now. */
  assert_int_equal(uv_timer_start(&nowst.late, count_cb, 30, 0), 0);
  assert_int_equal(uv_timer_get_due_in(&nowst.late), 30);
}

static void timer_relative_to_cached_loop_time(void** state) {
  uv_loop_t loop;
  uv_timer_t a;
  (void)state;
  reset_state();
  memset(&nowst, 0, sizeof(nowst));
  assert_int_equal(uv_loop_init(&loop), 0);
  init_timer(&loop, &a, 0);
  init_timer(&loop, &nowst.early, 1);
  init_timer(&loop, &nowst.late, 2);
  assert_int_equal(uv_timer_start(&a, slow_then_start_cb, 1, 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.nlog, 3);
  assert_int_equal(st.log[0], 0);
  assert_int_equal(st.log[1], 1); /* early: due long before late */
  assert_int_equal(st.log[2], 2);
  assert_true(st.now[1] >= nowst.t0 + 30);
  assert_true(st.now[2] >= nowst.t1 + 30);
  assert_true(st.hr[2] - nowst.hr1 >= 28 * NS_PER_MS);
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&nowst.early, NULL);
  uv_close((uv_handle_t*)&nowst.late, NULL);
  loop_close_clean(&loop);
}

/* ---- many timers -------------------------------------------------------------- */

#define MANY 100000

static struct {
  uv_timer_t* t;
  uint64_t* timeout; /* the timeout of its last start */
  uint64_t* seq;     /* the order of its last start */
  int* fired;
  int* live;         /* started and not stopped */
  uint64_t last_timeout;
  uint64_t last_seq;
  long fires;
  uint64_t next_seq;
  uint64_t rng;
} many;

static uint64_t rng_next(void) {
  /* xorshift64*: fixed seed, same sequence on every run */
  many.rng ^= many.rng >> 12;
  many.rng ^= many.rng << 25;
  many.rng ^= many.rng >> 27;
  return many.rng * UINT64_C(2685821657736338717);
}

static void many_cb(uv_timer_t* t) {
  size_t i = (size_t)(t - many.t);
  assert_true(i < MANY);
  assert_int_equal(many.live[i], 1);
  assert_int_equal(many.fired[i], 0);
  many.fired[i] = 1;
  /* Non-decreasing in (timeout, start order). */
  if (many.fires > 0) {
    assert_true(many.timeout[i] >= many.last_timeout);
    if (many.timeout[i] == many.last_timeout)
      assert_true(many.seq[i] > many.last_seq);
  }
  many.last_timeout = many.timeout[i];
  many.last_seq = many.seq[i];
  many.fires++;
}

static void many_start(size_t i) {
  many.timeout[i] = rng_next() % 21;
  many.seq[i] = many.next_seq++;
  many.live[i] = 1;
  assert_int_equal(uv_timer_start(&many.t[i], many_cb, many.timeout[i], 0), 0);
}

static void timer_many_random_fire_once_in_order(void** state) {
  uv_loop_t loop;
  uint64_t now0;
  size_t i;
  long expected = 0, stopped = 0, restarted = 0;
  (void)state;
  memset(&many, 0, sizeof(many));
  many.rng = UINT64_C(0x9E3779B97F4A7C15);
  many.t = calloc(MANY, sizeof(*many.t));
  many.timeout = calloc(MANY, sizeof(*many.timeout));
  many.seq = calloc(MANY, sizeof(*many.seq));
  many.fired = calloc(MANY, sizeof(*many.fired));
  many.live = calloc(MANY, sizeof(*many.live));
  assert_non_null(many.t);
  assert_non_null(many.timeout);
  assert_non_null(many.seq);
  assert_non_null(many.fired);
  assert_non_null(many.live);

  assert_int_equal(uv_loop_init(&loop), 0);
  now0 = uv_now(&loop);
  for (i = 0; i < MANY; i++) {
    assert_int_equal(uv_timer_init(&loop, &many.t[i]), 0);
    many_start(i);
  }
  /* Nothing above may have moved the cached time: every due time is
   * now0 + timeout, so (timeout, start order) is the firing order. */
  assert_true(uv_now(&loop) == now0);
  for (i = 0; i < MANY; i++) {
    if (rng_next() % 2 == 0) continue;
    assert_int_equal(uv_timer_stop(&many.t[i]), 0);
    many.live[i] = 0;
    stopped++;
  }
  for (i = 0; i < MANY; i++) {
    if (rng_next() % 4 != 0) continue;
    many_start(i); /* a stopped one, or a running one moved */
    restarted++;
  }
  assert_true(uv_now(&loop) == now0);
  for (i = 0; i < MANY; i++) expected += many.live[i];
  assert_true(stopped > MANY / 3);
  assert_true(restarted > MANY / 8);

  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(many.fires, expected);
  for (i = 0; i < MANY; i++) {
    assert_int_equal(many.fired[i], many.live[i]);
    assert_int_equal(uv_is_active((uv_handle_t*)&many.t[i]), 0);
    uv_close((uv_handle_t*)&many.t[i], NULL);
  }
  loop_close_clean(&loop);
  free(many.t);
  free(many.timeout);
  free(many.seq);
  free(many.fired);
  free(many.live);
}

/* ---- near and far timeouts -------------------------------------------------- */

/* Timeouts of every size share one order and one "next timeout": eddy
 * keeps the next seconds on a wheel and the rest in a heap, and the loop
 * must see through both. */
static void timer_far_and_near_timeouts(void** state) {
  uv_loop_t loop;
  uv_timer_t t[5];
  static const uint64_t timeouts[5] = {5000, 10, 100000, 4095, UINT64_MAX};
  uv_async_t async;
  int i, bt;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  /* Lets the loop apply what uv_async_init asked of the backend (libuv's
   * backend timeout is 0 until it has). */
  assert_int_equal(uv_async_init(&loop, &async, NULL), 0);
  assert_int_not_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  for (i = 0; i < 5; i++) {
    init_timer(&loop, &t[i], i);
    assert_int_equal(uv_timer_start(&t[i], count_cb, timeouts[i], 0), 0);
  }
  assert_int_equal(uv_backend_timeout(&loop), 10);
  assert_int_equal(uv_timer_get_due_in(&t[0]), 5000);
  assert_int_equal(uv_timer_stop(&t[1]), 0);
  assert_int_equal(uv_backend_timeout(&loop), 4095);
  assert_int_equal(uv_timer_stop(&t[3]), 0);
  assert_int_equal(uv_backend_timeout(&loop), 5000);
  assert_int_equal(uv_timer_stop(&t[0]), 0);
  assert_int_equal(uv_backend_timeout(&loop), 100000);
  assert_int_equal(uv_timer_stop(&t[2]), 0);
  bt = uv_backend_timeout(&loop);
  assert_true(bt == INT_MAX || bt == -1); /* libuv 1.44 truncates to -1 */
  /* The near one again, after the far ones went: it fires alone. */
  assert_int_equal(uv_timer_stop(&t[4]), 0);
  assert_int_equal(uv_timer_start(&t[1], count_cb, 1, 0), 0);
  uv_unref((uv_handle_t*)&async);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.nlog, 1);
  assert_int_equal(st.log[0], 1);
  for (i = 0; i < 5; i++) uv_close((uv_handle_t*)&t[i], NULL);
  uv_close((uv_handle_t*)&async, NULL);
  loop_close_clean(&loop);
}

/* eddy only: when the wheel cannot be allocated the heap takes the timer;
 * timers due at the same time on the heap and on the wheel still run in
 * start order. */
static void eddy_timer_wheel_allocation_failure_keeps_order(void** state) {
  uv_loop_t loop;
  uv_timer_t t[4];
  int i;
  (void)state;
  EDDY_ONLY();
  reset_state();
  /* Installed before the loop exists: uv_loop_init allocates too. */
  test_alloc_install(0);
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < 4; i++) init_timer(&loop, &t[i], i);
  test_alloc.fail_at = test_alloc.calls + 1; /* the next allocation fails */
  assert_int_equal(uv_timer_start(&t[0], count_cb, 5, 0), 0); /* heap */
  assert_int_equal(test_alloc.failures, 1);
  assert_int_equal(uv_timer_start(&t[1], count_cb, 5, 0), 0); /* wheel */
  assert_int_equal(uv_timer_start(&t[2], count_cb, 5, 0), 0);
  assert_int_equal(uv_timer_start(&t[3], count_cb, 4, 0), 0);
  assert_int_equal(uv_backend_timeout(&loop), 4);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.nlog, 4);
  assert_int_equal(st.log[0], 3);
  assert_int_equal(st.log[1], 0);
  assert_int_equal(st.log[2], 1);
  assert_int_equal(st.log[3], 2);
  for (i = 0; i < 4; i++) uv_close((uv_handle_t*)&t[i], NULL);
  loop_close_clean(&loop);
  assert_int_equal(test_alloc.live, 0);
  test_alloc_restore();
}

/* ---- eddy_*: bad input ------------------------------------------------------ */

static void eddy_timer_null_handle_is_einval(void** state) {
  uv_loop_t loop;
  uv_timer_t t;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, NULL), UV_EINVAL);
  assert_int_equal(uv_timer_init(NULL, &t), UV_EINVAL);
  assert_int_equal(uv_timer_start(NULL, count_cb, 0, 0), UV_EINVAL);
  assert_int_equal(uv_timer_stop(NULL), UV_EINVAL);
  assert_int_equal(uv_timer_again(NULL), UV_EINVAL);
  assert_int_equal(uv_timer_get_repeat(NULL), 0);
  assert_int_equal(uv_timer_get_due_in(NULL), 0);
  uv_timer_set_repeat(NULL, 5); /* ignored, no crash */
  loop_close_clean(&loop);
}

static void eddy_timer_wrong_handle_type_is_einval(void** state) {
  uv_loop_t loop;
  /* Room for a timer, so that an unchecked access reads the idle handle's
   * memory rather than past it. */
  union {
    uv_idle_t idle;
    uv_timer_t timer;
  } u;
  (void)state;
  EDDY_ONLY();
  memset(&u, 0, sizeof(u));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_idle_init(&loop, &u.idle), 0);
  assert_int_equal(uv_timer_start(&u.timer, count_cb, 0, 0), UV_EINVAL);
  assert_int_equal(uv_timer_stop(&u.timer), UV_EINVAL);
  assert_int_equal(uv_timer_again(&u.timer), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&u.idle), 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  uv_close((uv_handle_t*)&u.idle, NULL);
  loop_close_clean(&loop);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(timer_fresh_state),
      cmocka_unit_test(timer_start_null_cb_is_einval),
      cmocka_unit_test(timer_start_fires_once_after_timeout),
      cmocka_unit_test(timer_start_restarts_running_timer),
      cmocka_unit_test(timer_stop_is_idempotent),
      cmocka_unit_test(timer_start_on_closing_timer_is_einval),
      cmocka_unit_test(timer_close_active_timer),
      cmocka_unit_test(timer_again_without_callback_is_einval),
      cmocka_unit_test(timer_again_non_repeating_does_nothing),
      cmocka_unit_test(timer_again_restarts_repeating_timer),
      cmocka_unit_test(timer_set_get_repeat),
      cmocka_unit_test(timer_set_repeat_in_callback_applies_later),
      cmocka_unit_test(timer_set_repeat_in_oneshot_callback_stays_stopped),
      cmocka_unit_test(timer_repeat_fires_at_interval),
      cmocka_unit_test(timer_repeat_slow_callback_runs_once_per_iteration),
      cmocka_unit_test(timer_stop_in_own_callback),
      cmocka_unit_test(timer_close_in_own_callback),
      cmocka_unit_test(timer_stop_other_due_timer),
      cmocka_unit_test(timer_close_other_due_timer),
      cmocka_unit_test(timer_restart_other_due_timer),
      cmocka_unit_test(timer_start_and_close_others_from_callback),
      cmocka_unit_test(timer_uv_stop_finishes_the_round),
      cmocka_unit_test(timer_same_timeout_runs_in_start_order),
      cmocka_unit_test(timer_restart_moves_to_end_of_ties),
      cmocka_unit_test(timer_zero_timeout_fires_first_iteration),
      cmocka_unit_test(timer_run_once_waits_for_timer),
      cmocka_unit_test(timer_nowait_runs_due_timers_at_end_of_iteration),
      cmocka_unit_test(timer_zero_started_in_callback_runs_next_iteration),
      cmocka_unit_test(timer_zero_restarting_itself_runs_once_per_iteration),
      cmocka_unit_test(timer_get_due_in),
      cmocka_unit_test(timer_huge_timeout_saturates),
      cmocka_unit_test(timer_huge_repeat_fires_once),
      cmocka_unit_test(timer_unref_does_not_keep_loop_alive),
      cmocka_unit_test(timer_relative_to_cached_loop_time),
      cmocka_unit_test(timer_many_random_fire_once_in_order),
      cmocka_unit_test(timer_far_and_near_timeouts),
      cmocka_unit_test(eddy_timer_wheel_allocation_failure_keeps_order),
      cmocka_unit_test(eddy_timer_null_handle_is_einval),
      cmocka_unit_test(eddy_timer_wrong_handle_type_is_einval),
  };
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
