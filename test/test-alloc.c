/* eddy tests — the allocator (src/alloc.c) and allocation failure.
 *
 * Every allocation of the library goes through the functions set with
 * uv_replace_allocator.  The counting allocator of test-helpers.h fails the
 * Nth call; a scenario that touches the loop and the handle types built so
 * far is run once to count its allocation calls and then once per call,
 * failing that call.  Each run must end with every call having either
 * succeeded or returned UV_ENOMEM, and with nothing leaked.
 *
 * The file also builds against the system's libuv (without eddy's
 * include/, so that /usr/include/uv.h is used) and passes there, except
 * the tests named eddy_*: libuv aborts when some of its allocations fail
 * (growing the loop's watcher table), where eddy returns UV_ENOMEM.  They
 * skip themselves when built without eddy's headers; EDDY_TEST_SKIP=pattern
 * skips tests by name (cmocka's skip filter), e.g. EDDY_TEST_SKIP='eddy_*'.
 * uv_loop_new under failing allocations is tested in test-loop.c. */
#include "test-helpers.h"

#include <dirent.h>

/* Whatever a test did, the C library's allocator is back afterwards. */
static int restore_allocator(void** state) {
  (void)state;
  test_alloc_restore();
  return 0;
}

/* ---- uv_replace_allocator --------------------------------------------------- */

static void* other_malloc(size_t n) { return malloc(n); }
static void* other_realloc(void* p, size_t n) { return realloc(p, n); }
static void* other_calloc(size_t c, size_t n) { return calloc(c, n); }
static void other_free(void* p) { free(p); }

static void alloc_replace_with_null_is_einval(void** state) {
  (void)state;
  test_alloc_install(0);
  assert_int_equal(uv_replace_allocator(NULL, other_realloc, other_calloc,
                                        other_free),
                   UV_EINVAL);
  assert_int_equal(uv_replace_allocator(other_malloc, NULL, other_calloc,
                                        other_free),
                   UV_EINVAL);
  assert_int_equal(uv_replace_allocator(other_malloc, other_realloc, NULL,
                                        other_free),
                   UV_EINVAL);
  assert_int_equal(uv_replace_allocator(other_malloc, other_realloc,
                                        other_calloc, NULL),
                   UV_EINVAL);
  assert_int_equal(uv_replace_allocator(NULL, NULL, NULL, NULL), UV_EINVAL);
}

/* ---- the scenario ------------------------------------------------------------- */

static struct {
  int enomem;        /* calls that returned UV_ENOMEM */
  int timer_calls[3];
  int idle_calls;
  int async_calls;
} sc;

static void sc_timer_cb(uv_timer_t* t) { sc.timer_calls[(intptr_t)t->data]++; }

static void sc_idle_cb(uv_idle_t* h) {
  sc.idle_calls++;
  assert_int_equal(uv_idle_stop(h), 0);
}

static void sc_async_cb(uv_async_t* a) {
  (void)a;
  sc.async_calls++;
}

/* 1 if r is 0, 0 if it is UV_ENOMEM; anything else fails the test. */
static int ok(int r) {
  if (r == UV_ENOMEM) {
    sc.enomem++;
    return 0;
  }
  assert_int_equal(r, 0);
  return 1;
}

/* Loop init, three timers, an idle and an async handle, one run, close
 * everything, loop close; whatever fails with UV_ENOMEM is left out of
 * the rest. */
static void scenario(void) {
  uv_loop_t loop;
  uv_timer_t timers[3];
  uv_idle_t idle;
  uv_async_t async;
  int timer_ok[3] = {0, 0, 0};
  int timer_started[3] = {0, 0, 0};
  int idle_ok, idle_started = 0, async_ok, async_sent = 0;
  int i, r;

  memset(&sc, 0, sizeof(sc));
  if (!ok(uv_loop_init(&loop))) return;

  for (i = 0; i < 3; i++) {
    timer_ok[i] = ok(uv_timer_init(&loop, &timers[i]));
    if (!timer_ok[i]) continue;
    timers[i].data = (void*)(intptr_t)i;
    timer_started[i] = ok(uv_timer_start(&timers[i], sc_timer_cb, 0, 0));
  }
  idle_ok = ok(uv_idle_init(&loop, &idle));
  if (idle_ok) idle_started = ok(uv_idle_start(&idle, sc_idle_cb));
  async_ok = ok(uv_async_init(&loop, &async, sc_async_cb));
  if (async_ok) async_sent = ok(uv_async_send(&async));

  /* One iteration: the timers are due, the idle handle runs, the send has
   * been made.  The loop is alive while the async handle is open. */
  r = uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(r, async_ok);
  for (i = 0; i < 3; i++) assert_int_equal(sc.timer_calls[i], timer_started[i]);
  assert_int_equal(sc.idle_calls, idle_started);
  assert_int_equal(sc.async_calls, async_sent);

  for (i = 0; i < 3; i++)
    if (timer_ok[i]) uv_close((uv_handle_t*)&timers[i], NULL);
  if (idle_ok) uv_close((uv_handle_t*)&idle, NULL);
  if (async_ok) uv_close((uv_handle_t*)&async, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_loop_close(&loop), 0);
}

/* With nothing failing, the scenario runs whole and leaves nothing behind;
 * the same scenario always makes the same number of calls. */
static void alloc_scenario_without_failure(void** state) {
  long calls;
  (void)state;
  test_alloc_install(0);
  scenario();
  assert_int_equal(sc.enomem, 0);
  assert_int_equal(sc.timer_calls[0] + sc.timer_calls[1] + sc.timer_calls[2], 3);
  assert_int_equal(sc.idle_calls, 1);
  assert_int_equal(sc.async_calls, 1);
  assert_int_equal(test_alloc.live, 0);
  assert_int_equal(test_alloc.failures, 0);
  calls = test_alloc.calls;
  /* The async handle needs the loop's wake-up descriptor watched, which
   * takes at least one allocation. */
  assert_true(calls >= 1);
  test_alloc_install(0);
  scenario();
  assert_int_equal(test_alloc.calls, calls);
  assert_int_equal(test_alloc.live, 0);
}

/* eddy only: fail each allocation call of the scenario in turn. */
static void eddy_alloc_scenario_fail_each_call(void** state) {
  long calls, n;
  int fds, absorbed;
  (void)state;
  EDDY_ONLY();
  test_alloc_install(0);
  scenario();
  calls = test_alloc.calls;
  assert_true(calls >= 1);
  fds = count_fds();
  absorbed = 0;
  for (n = 1; n <= calls; n++) {
    test_alloc_install(n);
    scenario();
    assert_int_equal(count_fds(), fds);
    /* Call n was reached and failed, and at most one API call reported
     * it: the failure was never reported twice. */
    assert_int_equal(test_alloc.failures, 1);
    assert_true(sc.enomem <= 1);
    assert_int_equal(test_alloc.live, 0);
    /* One allocation is an optimisation, not a need: the timer wheel.
     * Without it the timers go to the heap, start and fire all the same
     * (scenario() checked that every started timer fired). */
    if (sc.enomem == 0) {
      absorbed++;
      assert_int_equal(sc.timer_calls[0] + sc.timer_calls[1] +
                           sc.timer_calls[2], 3);
    }
  }
  assert_true(absorbed <= 1);
}

/* A refused uv_replace_allocator leaves the allocator in place that was
 * there: the counting one still sees the scenario's calls. */
static void alloc_refused_replacement_keeps_allocator(void** state) {
  (void)state;
  test_alloc_install(0);
  assert_int_equal(uv_replace_allocator(other_malloc, other_realloc, NULL,
                                        other_free),
                   UV_EINVAL);
  scenario();
  assert_true(test_alloc.calls >= 1);
  assert_int_equal(test_alloc.live, 0);
}

static void retry_async_cb(uv_async_t* a) {
  sc.async_calls++;
  uv_close((uv_handle_t*)a, NULL);
}

/* eddy only: uv_loop_init takes all the loop needs for async handles (the
 * eventfd and its watcher, as libuv 1.44 does), so uv_async_init allocates
 * nothing and cannot fail; a uv_loop_init whose allocation failed leaves
 * no trace (no descriptor, no memory), and trying again works. */
static void eddy_alloc_loop_init_enomem_then_retry(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  long calls;
  int fds;
  (void)state;
  EDDY_ONLY();
  memset(&sc, 0, sizeof(sc));
  test_alloc_install(1); /* the first one uv_loop_init makes */
  fds = count_fds();
  assert_int_equal(uv_loop_init(&loop), UV_ENOMEM);
  assert_int_equal(test_alloc.failures, 1);
  assert_int_equal(count_fds(), fds);
  assert_int_equal(test_alloc.live, 0);
  assert_int_equal(uv_loop_init(&loop), 0);
  calls = test_alloc.calls;
  assert_int_equal(uv_async_init(&loop, &a, retry_async_cb), 0);
  assert_int_equal(test_alloc.calls, calls);
  assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(sc.async_calls, 1);
  assert_int_equal(uv_loop_close(&loop), 0);
  assert_int_equal(test_alloc.live, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(alloc_replace_with_null_is_einval,
                                restore_allocator),
      cmocka_unit_test_teardown(alloc_scenario_without_failure,
                                restore_allocator),
      cmocka_unit_test_teardown(eddy_alloc_scenario_fail_each_call,
                                restore_allocator),
      cmocka_unit_test_teardown(alloc_refused_replacement_keeps_allocator,
                                restore_allocator),
      cmocka_unit_test_teardown(eddy_alloc_loop_init_enomem_then_retry,
                                restore_allocator),
  };
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
