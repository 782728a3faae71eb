/* eddy tests — idle, prepare and check handles (src/idle.c).
 *
 * The three kinds behave alike except for the loop phase that runs them,
 * so most tests are written once and registered for each kind ("idle/...",
 * "prepare/...", "check/...").  The expectations are libuv's: each active
 * handle runs once per iteration, the most recently started first; a handle
 * started by a callback of its own kind waits for the next iteration; one
 * stopped or closed by an earlier callback of the round does not run.
 *
 * The file also builds against the system's libuv (without eddy's
 * include/, so that /usr/include/uv.h is used) and passes there, except
 * the tests named eddy_*: eddy's UV_EINVAL where libuv would crash or
 * corrupt its queues.  They skip themselves when built without eddy's
 * headers; EDDY_TEST_SKIP=pattern skips tests by name (cmocka's skip
 * filter), e.g. EDDY_TEST_SKIP='eddy_*'. */
#include "test-helpers.h"

#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- counting the loop's waits ----------------------------------------------- */

/* This file's epoll_wait stands in for the C library's (the library's
 * calls bind to the executable's definition) and counts the calls made
 * while epoll_waits_counting is set. */
static int epoll_waits_counting;
static int epoll_waits;

int epoll_wait(int epfd, struct epoll_event* events, int max, int timeout) {
  static int (*real)(int, struct epoll_event*, int, int);
  if (real == NULL) {
    *(void**)&real = dlsym(RTLD_NEXT, "epoll_wait");
    if (real == NULL) abort();
  }
  if (epoll_waits_counting) epoll_waits++;
  return real(epfd, events, max, timeout);
}

/* ---- one interface over the three kinds ------------------------------------ */

typedef union {
  uv_handle_t handle;
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_timer_t timer; /* for the wrong-type tests */
} watcher_u;

enum action {
  ACT_NONE,
  ACT_STOP_SELF_AT_3, /* stop itself on its third call */
  ACT_STOP_TARGET,
  ACT_START_TARGET,   /* start target (a no-op if it is running) */
  ACT_RESTART_TARGET, /* stop target, then start it again */
  ACT_CLOSE_SELF,
  ACT_CLOSE_TARGET,
};

struct watcher {
  watcher_u u;
  int id;
  int calls;   /* callbacks through the first callback */
  int calls_b; /* through the second one */
  enum action action;
  struct watcher* target;
  int closed;
};

struct kind {
  const char* name;
  int (*init)(uv_loop_t* loop, struct watcher* w);
  int (*start)(struct watcher* w, int second_cb); /* 0: the first cb */
  int (*start_null)(struct watcher* w);
  int (*stop)(struct watcher* w);
};

#define MAX_LOG 128

static struct {
  int log[MAX_LOG]; /* ids of the handles whose callback ran, in order */
  int nlog;
  const struct kind* kind;
} st;

static void reset_state(const struct kind* k) {
  memset(&st, 0, sizeof(st));
  st.kind = k;
}

static void watcher_close_cb(uv_handle_t* h) {
  ((struct watcher*)h->data)->closed++;
}

static void on_any(uv_handle_t* h, int second) {
  struct watcher* w = h->data;
  assert_non_null(w);
  assert_true(st.nlog < MAX_LOG);
  st.log[st.nlog++] = w->id;
  if (second)
    w->calls_b++;
  else
    w->calls++;
  switch (w->action) {
    case ACT_NONE:
      break;
    case ACT_STOP_SELF_AT_3:
      if (w->calls == 3) {
        assert_int_equal(st.kind->stop(w), 0);
        assert_int_equal(uv_is_active(h), 0);
      }
      break;
    case ACT_STOP_TARGET:
      assert_int_equal(st.kind->stop(w->target), 0);
      break;
    case ACT_START_TARGET:
      assert_int_equal(st.kind->start(w->target, 0), 0);
      break;
    case ACT_RESTART_TARGET:
      assert_int_equal(st.kind->stop(w->target), 0);
      assert_int_equal(st.kind->start(w->target, 0), 0);
      break;
    case ACT_CLOSE_SELF:
      uv_close(h, watcher_close_cb);
      assert_int_equal(uv_is_active(h), 0);
      break;
    case ACT_CLOSE_TARGET:
      uv_close(&w->target->u.handle, watcher_close_cb);
      break;
  }
}

#define KIND_ADAPTERS(name)                                                  \
  static void name##_cb_a(uv_##name##_t* h) { on_any((uv_handle_t*)h, 0); }  \
  static void name##_cb_b(uv_##name##_t* h) { on_any((uv_handle_t*)h, 1); }  \
  static int name##_init_w(uv_loop_t* loop, struct watcher* w) {             \
    int r = uv_##name##_init(loop, &w->u.name);                              \
    w->u.handle.data = w;                                                    \
    return r;                                                                \
  }                                                                          \
  static int name##_start_w(struct watcher* w, int second) {                 \
    return uv_##name##_start(&w->u.name, second ? name##_cb_b : name##_cb_a); \
  }                                                                          \
  static int name##_start_null_w(struct watcher* w) {                        \
    return uv_##name##_start(&w->u.name, NULL);                              \
  }                                                                          \
  static int name##_stop_w(struct watcher* w) {                              \
    return uv_##name##_stop(&w->u.name);                                     \
  }

KIND_ADAPTERS(idle)
KIND_ADAPTERS(prepare)
KIND_ADAPTERS(check)

static const struct kind kinds[3] = {
    {"idle", idle_init_w, idle_start_w, idle_start_null_w, idle_stop_w},
    {"prepare", prepare_init_w, prepare_start_w, prepare_start_null_w,
     prepare_stop_w},
    {"check", check_init_w, check_start_w, check_start_null_w, check_stop_w},
};

static void init_watchers(uv_loop_t* loop, const struct kind* k,
                          struct watcher* w, int n) {
  int i;
  memset(w, 0, sizeof(*w) * (size_t)n);
  for (i = 0; i < n; i++) {
    assert_int_equal(k->init(loop, &w[i]), 0);
    w[i].id = i;
    assert_int_equal(uv_handle_get_type(&w[i].u.handle),
                     k == &kinds[0]   ? UV_IDLE
                     : k == &kinds[1] ? UV_PREPARE
                                      : UV_CHECK);
    assert_int_equal(uv_is_active(&w[i].u.handle), 0);
  }
}

static void spin_cb(uv_idle_t* h) { (void)h; }

/* With only prepare or check handles active, UV_RUN_DEFAULT would block in
 * the poll for ever (there is no I/O to wait for).  An active idle handle
 * makes the poll return at once; unreferenced, it does not keep the loop
 * alive, and it logs nothing. */
static void start_spinner(uv_loop_t* loop, uv_idle_t* spinner) {
  assert_int_equal(uv_idle_init(loop, spinner), 0);
  assert_int_equal(uv_idle_start(spinner, spin_cb), 0);
  uv_unref((uv_handle_t*)spinner);
}

static void close_watchers(struct watcher* w, int n) {
  int i;
  for (i = 0; i < n; i++)
    if (!uv_is_closing(&w[i].u.handle)) uv_close(&w[i].u.handle, NULL);
}

static void expect_log(const int* expected, int n) {
  int i;
  assert_int_equal(st.nlog, n);
  for (i = 0; i < n; i++) assert_int_equal(st.log[i], expected[i]);
}

/* ---- per kind ---------------------------------------------------------------- */

static void runs_once_per_iteration(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[1];
  int i;
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 1);
  assert_int_equal(k->start(&w[0], 0), 0);
  assert_int_equal(uv_is_active(&w[0].u.handle), 1);
  assert_int_equal(uv_loop_alive(&loop), 1);
  for (i = 1; i <= 3; i++) {
    assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
    assert_int_equal(w[0].calls, i);
  }
  if (k == &kinds[0]) {
    /* UV_RUN_ONCE does not block while an idle handle is active (with
     * only a prepare or check handle it would wait for I/O for ever). */
    assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 1);
    assert_int_equal(w[0].calls, 4);
  } else {
    assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  }
  assert_int_equal(k->stop(&w[0]), 0);
  assert_int_equal(uv_is_active(&w[0].u.handle), 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(w[0].calls, 4);
  assert_int_equal(k->stop(&w[0]), 0); /* stopping twice is fine */
  close_watchers(w, 1);
  loop_close_clean(&loop);
}

static void newest_started_runs_first(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[4];
  static const int expected[] = {3, 2, 1, 0, /* restarted 1 */ 1, 3, 2, 0};
  int i;
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 4);
  for (i = 0; i < 4; i++) assert_int_equal(k->start(&w[i], 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(k->stop(&w[1]), 0);
  assert_int_equal(k->start(&w[1], 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  expect_log(expected, 8);
  close_watchers(w, 4);
  loop_close_clean(&loop);
}

static void start_twice_keeps_first(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[2];
  static const int expected[] = {1, 0};
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 2);
  assert_int_equal(k->start(&w[0], 0), 0);
  assert_int_equal(k->start(&w[1], 0), 0);
  /* A no-op: neither the callback nor the place in the queue changes. */
  assert_int_equal(k->start(&w[0], 1), 0);
  assert_int_equal(uv_is_active(&w[0].u.handle), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  expect_log(expected, 2);
  assert_int_equal(w[0].calls, 1);
  assert_int_equal(w[0].calls_b, 0);
  /* After a stop, start takes the new callback. */
  assert_int_equal(k->stop(&w[0]), 0);
  assert_int_equal(k->start(&w[0], 1), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(w[0].calls, 1);
  assert_int_equal(w[0].calls_b, 1);
  close_watchers(w, 2);
  loop_close_clean(&loop);
}

static void start_null_cb_is_einval(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[1];
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 1);
  assert_int_equal(k->start_null(&w[0]), UV_EINVAL);
  assert_int_equal(uv_is_active(&w[0].u.handle), 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  close_watchers(w, 1);
  loop_close_clean(&loop);
}

static void stop_in_own_callback(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[1];
  uv_idle_t spinner;
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 1);
  start_spinner(&loop, &spinner);
  w[0].action = ACT_STOP_SELF_AT_3;
  assert_int_equal(k->start(&w[0], 0), 0);
  /* UV_RUN_DEFAULT ends once the handle stopped itself. */
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(w[0].calls, 3);
  assert_int_equal(uv_is_active(&w[0].u.handle), 0);
  close_watchers(w, 1);
  uv_close((uv_handle_t*)&spinner, NULL);
  loop_close_clean(&loop);
}

static void stop_other_in_callback(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[3];
  static const int expected[] = {2, 0, 2, 0};
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 3);
  /* Run order 2, 1, 0; 2 stops 1 before its turn. */
  w[2].action = ACT_STOP_TARGET;
  w[2].target = &w[1];
  assert_int_equal(k->start(&w[0], 0), 0);
  assert_int_equal(k->start(&w[1], 0), 0);
  assert_int_equal(k->start(&w[2], 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  expect_log(expected, 4);
  assert_int_equal(w[1].calls, 0);
  close_watchers(w, 3);
  loop_close_clean(&loop);
}

static void start_in_callback_runs_next_iteration(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[2];
  static const int expected[] = {0, 1, 0};
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 2);
  w[0].action = ACT_START_TARGET;
  w[0].target = &w[1];
  assert_int_equal(k->start(&w[0], 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(w[1].calls, 0);
  assert_int_equal(uv_is_active(&w[1].u.handle), 1);
  /* Next iteration: 1, started last, runs first. */
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  expect_log(expected, 3);
  close_watchers(w, 2);
  loop_close_clean(&loop);
}

/* A handle due later in the round, stopped and started again by an earlier
 * callback, has left the round: it runs from the next iteration on. */
static void restart_in_callback_leaves_the_round(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[2];
  static const int expected[] = {1, 0, 1};
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 2);
  w[1].action = ACT_RESTART_TARGET;
  w[1].target = &w[0];
  assert_int_equal(k->start(&w[0], 0), 0);
  assert_int_equal(k->start(&w[1], 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(w[0].calls, 0);
  /* Now 0 is the newest. */
  w[1].action = ACT_NONE;
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  expect_log(expected, 3);
  close_watchers(w, 2);
  loop_close_clean(&loop);
}

static void close_while_active(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[1];
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 1);
  assert_int_equal(k->start(&w[0], 0), 0);
  uv_close(&w[0].u.handle, watcher_close_cb);
  assert_int_equal(uv_is_active(&w[0].u.handle), 0);
  assert_int_equal(uv_is_closing(&w[0].u.handle), 1);
  loop_close_clean(&loop);
  assert_int_equal(w[0].calls, 0);
  assert_int_equal(w[0].closed, 1);
}

static void close_in_callbacks(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[3];
  static const int expected[] = {2, 0};
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 3);
  /* Run order 2, 1, 0: 2 closes 1 before its turn, 0 closes itself. */
  w[2].action = ACT_CLOSE_TARGET;
  w[2].target = &w[1];
  w[0].action = ACT_CLOSE_SELF;
  assert_int_equal(k->start(&w[0], 0), 0);
  assert_int_equal(k->start(&w[1], 0), 0);
  assert_int_equal(k->start(&w[2], 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  expect_log(expected, 2);
  /* Close callbacks run in the same iteration. */
  assert_int_equal(w[0].closed, 1);
  assert_int_equal(w[1].closed, 1);
  assert_int_equal(w[2].closed, 0);
  uv_close(&w[2].u.handle, NULL);
  loop_close_clean(&loop);
  assert_int_equal(w[1].calls, 0);
  assert_int_equal(w[2].calls, 1);
}

static void unref_does_not_keep_loop_alive(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[2];
  uv_idle_t spinner;
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 2);
  start_spinner(&loop, &spinner);
  assert_int_equal(k->start(&w[0], 0), 0);
  uv_unref(&w[0].u.handle);
  assert_int_equal(uv_has_ref(&w[0].u.handle), 0);
  assert_int_equal(uv_is_active(&w[0].u.handle), 1);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(w[0].calls, 0);
  /* It still runs while something else keeps the loop iterating. */
  w[1].action = ACT_STOP_SELF_AT_3;
  assert_int_equal(k->start(&w[1], 0), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(w[1].calls, 3);
  assert_int_equal(w[0].calls, 3);
  close_watchers(w, 2);
  uv_close((uv_handle_t*)&spinner, NULL);
  loop_close_clean(&loop);
}

/* eddy only: libuv would queue the closing handle and then free it from
 * under the queue; eddy refuses. */
static void eddy_start_on_closing_is_einval(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[1];
  EDDY_ONLY();
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  init_watchers(&loop, k, w, 1);
  uv_close(&w[0].u.handle, watcher_close_cb);
  assert_int_equal(k->start(&w[0], 0), UV_EINVAL);
  assert_int_equal(uv_is_active(&w[0].u.handle), 0);
  loop_close_clean(&loop);
  assert_int_equal(w[0].calls, 0);
  assert_int_equal(w[0].closed, 1);
}

/* eddy only: a handle of another type is refused, not written to. */
static void eddy_wrong_handle_type_is_einval(void** state) {
  const struct kind* k = *state;
  uv_loop_t loop;
  struct watcher w[1];
  EDDY_ONLY();
  reset_state(k);
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(w, 0, sizeof(w));
  assert_int_equal(uv_timer_init(&loop, &w[0].u.timer), 0);
  w[0].u.handle.data = &w[0];
  assert_int_equal(k->start(&w[0], 0), UV_EINVAL);
  assert_int_equal(k->stop(&w[0]), UV_EINVAL);
  assert_int_equal(uv_is_active(&w[0].u.handle), 0);
  assert_int_equal(uv_loop_alive(&loop), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(w[0].calls, 0);
  uv_close(&w[0].u.handle, NULL);
  loop_close_clean(&loop);
}

/* eddy only: NULL is refused by every function of the three types. */
static void eddy_null_handle_is_einval(void** state) {
  uv_loop_t loop;
  uv_idle_t i;
  uv_prepare_t p;
  uv_check_t c;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_idle_init(&loop, NULL), UV_EINVAL);
  assert_int_equal(uv_prepare_init(&loop, NULL), UV_EINVAL);
  assert_int_equal(uv_check_init(&loop, NULL), UV_EINVAL);
  assert_int_equal(uv_idle_init(NULL, &i), UV_EINVAL);
  assert_int_equal(uv_prepare_init(NULL, &p), UV_EINVAL);
  assert_int_equal(uv_check_init(NULL, &c), UV_EINVAL);
  assert_int_equal(uv_idle_start(NULL, idle_cb_a), UV_EINVAL);
  assert_int_equal(uv_prepare_start(NULL, prepare_cb_a), UV_EINVAL);
  assert_int_equal(uv_check_start(NULL, check_cb_a), UV_EINVAL);
  assert_int_equal(uv_idle_stop(NULL), UV_EINVAL);
  assert_int_equal(uv_prepare_stop(NULL), UV_EINVAL);
  assert_int_equal(uv_check_stop(NULL), UV_EINVAL);
  loop_close_clean(&loop);
}

/* ---- all kinds together ---------------------------------------------------- */

static void all_kinds_run_in_phase_order(void** state) {
  uv_loop_t loop;
  struct watcher w[3];
  static const int expected[] = {0, 1, 2, 0, 1, 2, 0, 1, 2};
  int i;
  (void)state;
  reset_state(&kinds[0]);
  assert_int_equal(uv_loop_init(&loop), 0);
  memset(w, 0, sizeof(w));
  /* Started in the reverse of phase order: the phase decides. */
  for (i = 2; i >= 0; i--) {
    assert_int_equal(kinds[i].init(&loop, &w[i]), 0);
    w[i].id = i;
    assert_int_equal(kinds[i].start(&w[i], 0), 0);
  }
  for (i = 0; i < 3; i++) assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  expect_log(expected, 9);
  close_watchers(w, 3);
  loop_close_clean(&loop);
}

static struct {
  int idle_calls;
  int timer_calls;
  int prepare_calls;
  int timeout_idle;   /* uv_backend_timeout seen by prepare, idle active */
  int timeout_noidle; /* ... after the idle handle stopped */
  uint64_t due_in_noidle;
  uv_timer_t timer;
  uv_idle_t idle;
  uv_prepare_t prepare;
} blk;

static void blk_timer_cb(uv_timer_t* t) {
  (void)t;
  blk.timer_calls++;
  fail_msg("the 10 s timer fired: the loop blocked instead of running idle");
}

static void blk_idle_cb(uv_idle_t* h) {
  assert_int_equal(blk.timer_calls, 0);
  if (++blk.idle_calls == 5) assert_int_equal(uv_idle_stop(h), 0);
}

static void blk_prepare_cb(uv_prepare_t* h) {
  blk.prepare_calls++;
  if (uv_is_active((uv_handle_t*)&blk.idle)) {
    blk.timeout_idle = uv_backend_timeout(h->loop);
    return;
  }
  /* Without the idle handle, the poll would wait for the timer. */
  blk.timeout_noidle = uv_backend_timeout(h->loop);
  blk.due_in_noidle = uv_timer_get_due_in(&blk.timer);
  uv_close((uv_handle_t*)&blk.timer, NULL);
  uv_close((uv_handle_t*)h, NULL);
}

/* An active idle handle makes the poll not block: a 10 s timer does not
 * delay its five calls. */
static void idle_keeps_loop_from_blocking(void** state) {
  uv_loop_t loop;
  (void)state;
  memset(&blk, 0, sizeof(blk));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &blk.timer), 0);
  assert_int_equal(uv_idle_init(&loop, &blk.idle), 0);
  assert_int_equal(uv_prepare_init(&loop, &blk.prepare), 0);
  assert_int_equal(uv_timer_start(&blk.timer, blk_timer_cb, 10000, 0), 0);
  assert_int_equal(uv_idle_start(&blk.idle, blk_idle_cb), 0);
  assert_int_equal(uv_prepare_start(&blk.prepare, blk_prepare_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(blk.idle_calls, 5);
  assert_int_equal(blk.timer_calls, 0);
  /* Prepare ran after each idle call; in the fifth iteration the idle
   * handle had just stopped itself. */
  assert_int_equal(blk.prepare_calls, 5);
  assert_int_equal(blk.timeout_idle, 0);
  assert_true(blk.due_in_noidle > 0);
  assert_int_equal(blk.timeout_noidle, (int)blk.due_in_noidle);
  uv_close((uv_handle_t*)&blk.idle, NULL);
  loop_close_clean(&loop);
}

/* With nothing to poll and no timer, the poll waits for ever: a loop whose
 * only active handle is a prepare handle runs it once and then sleeps in
 * the poll (libuv).  It must not return at once and spin, calling the
 * prepare callback again and again.  The loop runs in a child process,
 * which the test kills: a correct loop never returns. */
static volatile int* shared_calls;

static void count_prepare_cb(uv_prepare_t* h) {
  (void)h;
  __atomic_add_fetch(shared_calls, 1, __ATOMIC_SEQ_CST);
}

static void prepare_only_loop_waits_in_poll(void** state) {
  volatile int* shm;
  pid_t pid, exited;
  int status = 0;
  int calls, returned;
  int i;
  (void)state;
  shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
             -1, 0);
  assert_true(shm != MAP_FAILED);
  shm[0] = 0; /* prepare calls */
  shm[1] = 0; /* uv_run returned */
  shared_calls = shm;
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    uv_loop_t loop;
    uv_prepare_t p;
    if (uv_loop_init(&loop) != 0 || uv_prepare_init(&loop, &p) != 0 ||
        uv_prepare_start(&p, count_prepare_cb) != 0)
      _exit(2);
    uv_run(&loop, UV_RUN_DEFAULT);
    __atomic_store_n(&shm[1], 1, __ATOMIC_SEQ_CST);
    _exit(0);
  }
  /* Wait for the first call (10 s at most: a child that never gets there
   * is a failure too), then give a spinning loop time to show. */
  for (i = 0; i < 10000 && __atomic_load_n(&shm[0], __ATOMIC_SEQ_CST) == 0;
       i++)
    uv_sleep(1);
  uv_sleep(50);
  /* Look, then stop the child before any assertion can end the test. */
  exited = waitpid(pid, &status, WNOHANG);
  calls = __atomic_load_n(&shm[0], __ATOMIC_SEQ_CST);
  returned = __atomic_load_n(&shm[1], __ATOMIC_SEQ_CST);
  if (exited == 0) {
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
  }
  assert_int_equal(munmap((void*)shm, 4096), 0);
  assert_int_equal(calls, 1);
  assert_int_equal(returned, 0);
  assert_int_equal(exited, 0); /* it was still waiting */
  assert_true(WIFSIGNALED(status));
}

/* eddy only: an iteration driven by an idle handle alone, where nothing
 * can be ready, makes no epoll_wait: not even for the loop's own eventfd
 * and signal pipe, which uv_loop_init opens and registers (libuv's
 * iteration always waits: its "loop" benchmark is 30 times slower). */
static int idle_left;
static void never_signal_cb(uv_signal_t* h, int signum) {
  (void)h;
  (void)signum;
  fail();
}

static void count_down_idle_cb(uv_idle_t* h) {
  if (--idle_left == 0) uv_idle_stop(h);
}

/* Runs loop until idle has run `iterations` times; the epoll_waits made. */
static int epoll_waits_of_idle_run(uv_loop_t* loop, uv_idle_t* idle,
                                   int iterations) {
  idle_left = iterations;
  assert_int_equal(uv_idle_start(idle, count_down_idle_cb), 0);
  epoll_waits = 0;
  epoll_waits_counting = 1;
  assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
  epoll_waits_counting = 0;
  assert_int_equal(idle_left, 0);
  return epoll_waits;
}

static void eddy_idle_iterations_make_no_epoll_wait(void** state) {
  uv_loop_t loop;
  uv_idle_t idle;
  uv_async_t async;
  uv_signal_t sig;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_idle_init(&loop, &idle), 0);
  assert_int_equal(uv_async_init(&loop, &async, NULL), 0);
  assert_int_equal(uv_signal_init(&loop, &sig), 0);
  uv_unref((uv_handle_t*)&async);

  assert_int_equal(epoll_waits_of_idle_run(&loop, &idle, 1000), 0);

  /* A watched signal can write the pipe at any time: then it is looked at
   * every iteration. */
  assert_int_equal(uv_signal_start(&sig, never_signal_cb, SIGUSR2), 0);
  uv_unref((uv_handle_t*)&sig);
  assert_int_equal(epoll_waits_of_idle_run(&loop, &idle, 10), 10);

  uv_close((uv_handle_t*)&idle, NULL);
  uv_close((uv_handle_t*)&async, NULL);
  uv_close((uv_handle_t*)&sig, NULL);
  loop_close_clean(&loop);
}

/* ---- registration ------------------------------------------------------------ */

#define FOR_KIND(fn, k) \
  {#fn "/" #k, fn, NULL, NULL, (void*)&kinds[KIND_##k]}
#define FOR_EACH_KIND(fn) FOR_KIND(fn, idle), FOR_KIND(fn, prepare), FOR_KIND(fn, check)

enum { KIND_idle, KIND_prepare, KIND_check };

int main(void) {
  const struct CMUnitTest tests[] = {
      FOR_EACH_KIND(runs_once_per_iteration),
      FOR_EACH_KIND(newest_started_runs_first),
      FOR_EACH_KIND(start_twice_keeps_first),
      FOR_EACH_KIND(start_null_cb_is_einval),
      FOR_EACH_KIND(stop_in_own_callback),
      FOR_EACH_KIND(stop_other_in_callback),
      FOR_EACH_KIND(start_in_callback_runs_next_iteration),
      FOR_EACH_KIND(restart_in_callback_leaves_the_round),
      FOR_EACH_KIND(close_while_active),
      FOR_EACH_KIND(close_in_callbacks),
      FOR_EACH_KIND(unref_does_not_keep_loop_alive),
      FOR_EACH_KIND(eddy_start_on_closing_is_einval),
      FOR_EACH_KIND(eddy_wrong_handle_type_is_einval),
      cmocka_unit_test(eddy_null_handle_is_einval),
      cmocka_unit_test(all_kinds_run_in_phase_order),
      cmocka_unit_test(idle_keeps_loop_from_blocking),
      cmocka_unit_test(prepare_only_loop_waits_in_poll),
      cmocka_unit_test(eddy_idle_iterations_make_no_epoll_wait),
  };
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
