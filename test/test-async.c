/* eddy tests — async handles (src/unix/async.c).
 *
 * uv_async_send may be called from any thread and from a signal handler;
 * sends before the loop gets to the handle coalesce into one callback, and
 * a send is never lost: a callback always runs after the last send.  The
 * threaded tests make a lost wake-up hang rather than pass, and run clean
 * under ThreadSanitizer.
 *
 * The file also builds against the system's libuv (without eddy's
 * include/, so that /usr/include/uv.h is used) and passes there, except
 * the tests named eddy_*: UV_EINVAL where libuv would write into whatever
 * the pointer points at.  They skip themselves when built without eddy's
 * headers; EDDY_TEST_SKIP=pattern skips tests by name (cmocka's skip
 * filter), e.g. EDDY_TEST_SKIP='eddy_*'. */
#include "test-helpers.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>

static struct {
  int calls;
  int calls_b;
  int close_calls;
  int order[8];
  int norder;
  int iterations; /* check callbacks */
  int iter_at_cb;
} st;

static void reset_state(void) { memset(&st, 0, sizeof(st)); }

static void close_count_cb(uv_handle_t* h) {
  (void)h;
  st.close_calls++;
}

static void count_cb(uv_async_t* a) {
  st.calls++;
  st.iter_at_cb = st.iterations;
  assert_true(st.norder < (int)ARRAY_LEN(st.order));
  st.order[st.norder++] = (int)(intptr_t)a->data;
}

static void count_close_cb(uv_async_t* a) {
  count_cb(a);
  uv_close((uv_handle_t*)a, close_count_cb);
}

static void iteration_cb(uv_check_t* c) {
  (void)c;
  st.iterations++;
}

static void start_iteration_counter(uv_loop_t* loop, uv_check_t* c) {
  assert_int_equal(uv_check_init(loop, c), 0);
  assert_int_equal(uv_check_start(c, iteration_cb), 0);
  uv_unref((uv_handle_t*)c);
}

/* ---- on the loop thread ------------------------------------------------------ */

static void async_init_is_active_and_referenced(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_init(&loop, &a, count_cb), 0);
  assert_int_equal(uv_handle_get_type((uv_handle_t*)&a), UV_ASYNC);
  assert_int_equal(uv_is_active((uv_handle_t*)&a), 1);
  assert_int_equal(uv_has_ref((uv_handle_t*)&a), 1);
  assert_int_equal(uv_loop_alive(&loop), 1);
  /* Without a send, nothing happens (and NOWAIT does not block). */
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(st.calls, 0);
  uv_close((uv_handle_t*)&a, close_count_cb);
  assert_int_equal(uv_is_active((uv_handle_t*)&a), 0);
  loop_close_clean(&loop);
  assert_int_equal(st.close_calls, 1);
}

static void async_send_before_run_calls_back_once(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  uv_check_t c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  assert_int_equal(uv_async_init(&loop, &a, count_close_cb), 0);
  assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(st.calls, 0); /* never from inside uv_async_send */
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls, 1);
  assert_int_equal(st.close_calls, 1);
  assert_int_equal(st.iter_at_cb, 0); /* in the first poll */
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

static void async_sends_coalesce(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_init(&loop, &a, count_cb), 0);
  for (i = 0; i < 1000; i++) assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(st.calls, 1);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(st.calls, 1);
  /* A send after the callback is a new one. */
  assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 1);
  assert_int_equal(st.calls, 2);
  uv_close((uv_handle_t*)&a, NULL);
  loop_close_clean(&loop);
}

static void resend_from_cb(uv_async_t* a) {
  count_cb(a);
  if (st.calls < 5)
    assert_int_equal(uv_async_send(a), 0);
  else
    uv_close((uv_handle_t*)a, close_count_cb);
}

/* A send from the callback itself is not lost: it runs the callback again
 * in a later iteration. */
static void async_send_from_own_callback(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  uv_check_t c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  assert_int_equal(uv_async_init(&loop, &a, resend_from_cb), 0);
  assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls, 5);
  assert_int_equal(st.close_calls, 1);
  assert_int_equal(st.iter_at_cb, 4); /* one callback per iteration */
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* Several handles on one loop: each sent one runs once, in the order the
 * handles were initialised; the others do not run. */
static void async_several_handles(void** state) {
  uv_loop_t loop;
  uv_async_t a[4];
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < 4; i++) {
    assert_int_equal(uv_async_init(&loop, &a[i], count_cb), 0);
    a[i].data = (void*)(intptr_t)i;
  }
  assert_int_equal(uv_async_send(&a[3]), 0);
  assert_int_equal(uv_async_send(&a[1]), 0);
  assert_int_equal(uv_async_send(&a[3]), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 1);
  assert_int_equal(st.norder, 2);
  assert_int_equal(st.order[0], 1);
  assert_int_equal(st.order[1], 3);
  for (i = 0; i < 4; i++) uv_close((uv_handle_t*)&a[i], NULL);
  loop_close_clean(&loop);
  assert_int_equal(st.calls, 2);
}

/* A send to a handle closed before the loop got to it runs no callback. */
static void async_send_then_close(void** state) {
  uv_loop_t loop;
  uv_async_t a, b;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_init(&loop, &a, count_cb), 0);
  assert_int_equal(uv_async_init(&loop, &b, count_cb), 0);
  a.data = (void*)(intptr_t)0;
  b.data = (void*)(intptr_t)1;
  assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(uv_async_send(&b), 0);
  uv_close((uv_handle_t*)&a, close_count_cb);
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 1);
  assert_int_equal(st.calls, 1);
  assert_int_equal(st.order[0], 1);
  assert_int_equal(st.close_calls, 1);
  uv_close((uv_handle_t*)&b, NULL);
  loop_close_clean(&loop);
}

static void async_unref_does_not_keep_loop_alive(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_init(&loop, &a, count_cb), 0);
  uv_unref((uv_handle_t*)&a);
  assert_int_equal(uv_has_ref((uv_handle_t*)&a), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&a), 1);
  assert_int_equal(uv_loop_alive(&loop), 0);
  /* Returns at once (it would block for ever otherwise), even with a send
   * pending. */
  assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(st.calls, 0);
  /* uv_ref makes it count again; the pending send was kept. */
  uv_ref((uv_handle_t*)&a);
  assert_int_equal(uv_loop_alive(&loop), 1);
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 1);
  assert_int_equal(st.calls, 1);
  uv_close((uv_handle_t*)&a, NULL);
  loop_close_clean(&loop);
}

static void async_null_callback_still_wakes(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  uv_check_t c;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  assert_int_equal(uv_async_init(&loop, &a, NULL), 0);
  assert_int_equal(uv_is_active((uv_handle_t*)&a), 1);
  assert_int_equal(uv_async_send(&a), 0);
  /* The handle is active and referenced and there is no timer: without
   * the wake-up, UV_RUN_ONCE would wait for ever. */
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 1);
  assert_int_equal(st.iterations, 1);
  assert_int_equal(uv_async_send(&a), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 1);
  assert_int_equal(st.iterations, 2);
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* ---- from a signal handler -------------------------------------------------- */

static uv_async_t* signal_async;
static volatile sig_atomic_t signal_sends;

static void on_sigusr1(int signum) {
  (void)signum;
  if (uv_async_send(signal_async) == 0) signal_sends++;
}

static void raise_in_prepare_cb(uv_prepare_t* p) {
  assert_int_equal(raise(SIGUSR1), 0);
  assert_int_equal(uv_prepare_stop(p), 0);
}

static void async_send_from_signal_handler(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  uv_prepare_t p;
  uv_check_t c;
  struct sigaction sa, old;
  (void)state;
  reset_state();
  signal_sends = 0;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_sigusr1;
  sigemptyset(&sa.sa_mask);
  assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);

  assert_int_equal(uv_loop_init(&loop), 0);
  start_iteration_counter(&loop, &c);
  assert_int_equal(uv_async_init(&loop, &a, count_close_cb), 0);
  signal_async = &a;
  /* Before the loop runs... */
  assert_int_equal(raise(SIGUSR1), 0);
  assert_int_equal(signal_sends, 1);
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
  assert_int_equal(st.calls, 1);
  assert_int_equal(st.close_calls, 1);

  /* ...and from inside it, just before the poll: the poll sees it. */
  reset_state();
  assert_int_equal(uv_async_init(&loop, &a, count_close_cb), 0);
  assert_int_equal(uv_prepare_init(&loop, &p), 0);
  assert_int_equal(uv_prepare_start(&p, raise_in_prepare_cb), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(signal_sends, 2);
  assert_int_equal(st.calls, 1);
  assert_int_equal(st.iter_at_cb, 0);
  assert_int_equal(st.close_calls, 1);

  assert_int_equal(sigaction(SIGUSR1, &old, NULL), 0);
  uv_close((uv_handle_t*)&p, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* ---- from other threads ------------------------------------------------------ */

#define SENDERS 4
#define SENDS_PER_THREAD 10000

static struct {
  uv_async_t async;
  int counter;   /* atomic: incremented before every send */
  int seen;      /* what the callback saw last */
  int callbacks;
  int go;        /* atomic: start gate for the senders */
  int stop;      /* atomic: tells a sender to finish */
  long sends;    /* atomic: sends made */
  int close_after;
} th;

static void* sender_main(void* arg) {
  int i;
  (void)arg;
  while (!__atomic_load_n(&th.go, __ATOMIC_ACQUIRE)) sched_yield();
  for (i = 0; i < SENDS_PER_THREAD; i++) {
    __atomic_add_fetch(&th.counter, 1, __ATOMIC_SEQ_CST);
    if (uv_async_send(&th.async) != 0) abort();
  }
  return NULL;
}

static void final_state_cb(uv_async_t* a) {
  int v = __atomic_load_n(&th.counter, __ATOMIC_SEQ_CST);
  assert_true(v >= th.seen); /* never goes back */
  th.seen = v;
  th.callbacks++;
  if (v == SENDERS * SENDS_PER_THREAD) uv_close((uv_handle_t*)a, NULL);
}

/* The loop exits only once a callback has seen all the increments: a
 * wake-up lost after the last send would leave it waiting for ever. */
static void async_many_threads_last_callback_sees_all(void** state) {
  uv_loop_t loop;
  pthread_t t[SENDERS];
  int i;
  (void)state;
  memset(&th, 0, sizeof(th));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_init(&loop, &th.async, final_state_cb), 0);
  for (i = 0; i < SENDERS; i++)
    assert_int_equal(pthread_create(&t[i], NULL, sender_main, NULL), 0);
  __atomic_store_n(&th.go, 1, __ATOMIC_RELEASE);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  for (i = 0; i < SENDERS; i++) assert_int_equal(pthread_join(t[i], NULL), 0);
  assert_int_equal(th.seen, SENDERS * SENDS_PER_THREAD);
  assert_true(th.callbacks >= 1);
  assert_true(th.callbacks <= SENDERS * SENDS_PER_THREAD);
  loop_close_clean(&loop);
}

static void* endless_sender_main(void* arg) {
  (void)arg;
  while (!__atomic_load_n(&th.stop, __ATOMIC_ACQUIRE)) {
    if (uv_async_send(&th.async) != 0) abort();
    __atomic_add_fetch(&th.sends, 1, __ATOMIC_RELAXED);
  }
  return NULL;
}

static void stop_sender_close_cb(uv_handle_t* h) {
  close_count_cb(h);
  __atomic_store_n(&th.stop, 1, __ATOMIC_RELEASE);
}

static void close_after_n_cb(uv_async_t* a) {
  th.callbacks++;
  assert_true(th.callbacks <= th.close_after);
  if (th.callbacks == th.close_after)
    uv_close((uv_handle_t*)a, stop_sender_close_cb);
}

/* Closing races with a sender that is still sending: uv_close must wait
 * for a send in progress, and no callback runs after the close.  The
 * sender is told to stop in the close callback and joined only after it
 * (its last sends may reach the closed handle, whose memory and loop are
 * still there). */
static void async_close_while_other_thread_sends(void** state) {
  uv_loop_t loop;
  pthread_t t;
  (void)state;
  reset_state();
  memset(&th, 0, sizeof(th));
  th.close_after = 100;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_init(&loop, &th.async, close_after_n_cb), 0);
  assert_int_equal(pthread_create(&t, NULL, endless_sender_main, NULL), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(th.callbacks, 100);
  assert_int_equal(st.close_calls, 1);
  assert_int_equal(__atomic_load_n(&th.stop, __ATOMIC_ACQUIRE), 1);
  assert_int_equal(pthread_join(t, NULL), 0);
  assert_true(__atomic_load_n(&th.sends, __ATOMIC_RELAXED) >= 100);
  loop_close_clean(&loop);
}

static void* one_send_main(void* arg) {
  if (uv_async_send(arg) != 0) abort();
  return NULL; /* and never touches the handle again */
}

static int freed_handles;

static void free_close_cb(uv_handle_t* h) {
  free(h);
  freed_handles++;
}

static void close_on_first_cb(uv_async_t* a) {
  st.calls++;
  uv_close((uv_handle_t*)a, free_close_cb);
}

/* A thread's only send wakes the loop, whose callback closes the handle
 * and frees it in the close callback, while the sender may still be
 * inside uv_async_send: uv_close must wait for it to leave.  (Under
 * ThreadSanitizer a missing wait shows as a race with free().) */
static void async_free_after_last_send_from_thread(void** state) {
  uv_loop_t loop;
  uv_async_t* a;
  pthread_t t;
  int round;
  (void)state;
  reset_state();
  freed_handles = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  for (round = 0; round < 50; round++) {
    a = malloc(sizeof(*a));
    assert_non_null(a);
    assert_int_equal(uv_async_init(&loop, a, close_on_first_cb), 0);
    assert_int_equal(pthread_create(&t, NULL, one_send_main, a), 0);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(st.calls, round + 1);
    assert_int_equal(freed_handles, round + 1);
  }
  loop_close_clean(&loop);
}

static int about_to_send; /* atomic */
static int sent_before_check;

static void* wake_later_main(void* arg) {
  uv_async_t* a = arg;
  uv_sleep(20);
  __atomic_store_n(&about_to_send, 1, __ATOMIC_SEQ_CST);
  if (uv_async_send(a) != 0) abort();
  return NULL;
}

static void note_send_cb(uv_check_t* c) {
  iteration_cb(c);
  sent_before_check = __atomic_load_n(&about_to_send, __ATOMIC_SEQ_CST);
}

/* A handle without a callback wakes a loop that waits in the poll. */
static void async_null_callback_wakes_blocked_loop(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  uv_check_t c;
  pthread_t t;
  (void)state;
  reset_state();
  about_to_send = 0;
  sent_before_check = 0;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_check_init(&loop, &c), 0);
  assert_int_equal(uv_check_start(&c, note_send_cb), 0);
  uv_unref((uv_handle_t*)&c);
  assert_int_equal(uv_async_init(&loop, &a, NULL), 0);
  assert_int_equal(pthread_create(&t, NULL, wake_later_main, &a), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_ONCE), 1);
  assert_int_equal(st.iterations, 1);
  /* The poll waited for the send (the loop has nothing else to do). */
  assert_int_equal(sent_before_check, 1);
  assert_int_equal(pthread_join(t, NULL), 0);
  uv_close((uv_handle_t*)&a, NULL);
  uv_close((uv_handle_t*)&c, NULL);
  loop_close_clean(&loop);
}

/* ---- eddy_*: bad input ------------------------------------------------------ */

static void eddy_async_send_wrong_handle_type_is_einval(void** state) {
  uv_loop_t loop;
  union {
    uv_timer_t timer;
    uv_async_t async;
  } u;
  (void)state;
  EDDY_ONLY();
  reset_state();
  memset(&u, 0, sizeof(u));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_timer_init(&loop, &u.timer), 0);
  assert_int_equal(uv_async_send(&u.async), UV_EINVAL);
  assert_int_equal(uv_is_active((uv_handle_t*)&u.timer), 0);
  /* The loop was not woken either: nothing to do, it does not iterate. */
  assert_int_equal(uv_loop_alive(&loop), 0);
  uv_close((uv_handle_t*)&u.timer, NULL);
  loop_close_clean(&loop);
}

static void eddy_async_null_handle_is_einval(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_send(NULL), UV_EINVAL);
  assert_int_equal(uv_async_init(&loop, NULL, count_cb), UV_EINVAL);
  assert_int_equal(uv_async_init(NULL, &a, count_cb), UV_EINVAL);
  loop_close_clean(&loop);
  /* A closed loop takes no new async handle. */
  assert_int_equal(uv_async_init(&loop, &a, count_cb), UV_EINVAL);
}

/* After a wake-up has been handled, the loop sleeps again: the eventfd
 * must not stay ready (eddy watches it edge-triggered and never reads it;
 * a level-triggered watch would make every later poll return at once). */
static void timer_count_cb(uv_timer_t* t) {
  (void)t;
  st.calls_b++;
}

static void async_loop_sleeps_after_wakeup(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  uv_timer_t t;
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_init(&loop, &a, count_cb), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  for (i = 1; i <= 3; i++) {
    assert_int_equal(uv_async_send(&a), 0);
    assert_int_equal(uv_async_send(&a), 0);
    uv_run(&loop, UV_RUN_NOWAIT);
    assert_int_equal(st.calls, i);
    /* Nothing is ready now: one UV_RUN_ONCE blocks until the timer. */
    assert_int_equal(uv_timer_start(&t, timer_count_cb, 5, 0), 0);
    uv_run(&loop, UV_RUN_ONCE);
    assert_int_equal(st.calls_b, i);
    assert_int_equal(st.calls, i);
  }
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&a, NULL);
  loop_close_clean(&loop);
}

/* A program that polls uv_backend_fd() itself (an embedder: it blocks in
 * its own poll and calls uv_run(UV_RUN_NOWAIT) when the descriptor is
 * readable) must be woken by a send made while uv_run was running. */
static uv_async_t* embed_target;

static void send_from_check(uv_check_t* c) {
  (void)c;
  if (st.iterations++ == 0) assert_int_equal(uv_async_send(embed_target), 0);
}

static void async_send_during_run_wakes_backend_fd(void** state) {
  uv_loop_t loop;
  uv_async_t a;
  uv_check_t c;
  struct pollfd pfd;
  int i;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_async_init(&loop, &a, count_cb), 0);
  assert_int_equal(uv_check_init(&loop, &c), 0);
  embed_target = &a;
  assert_int_equal(uv_check_start(&c, send_from_check), 0);
  /* The send happens in the check phase, after this run's poll. */
  uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(st.iterations, 1);
  assert_int_equal(st.calls, 0);
  for (i = 0; i < 3 && st.calls == 0; i++) {
    pfd.fd = uv_backend_fd(&loop);
    pfd.events = POLLIN;
    pfd.revents = 0;
    /* Generous: only a lost wake-up makes this wait time out. */
    assert_int_equal(poll(&pfd, 1, 10000), 1);
    uv_run(&loop, UV_RUN_NOWAIT);
  }
  assert_int_equal(st.calls, 1);
  uv_close((uv_handle_t*)&c, NULL);
  uv_close((uv_handle_t*)&a, NULL);
  loop_close_clean(&loop);
}

/* Every descriptor a loop needs is taken by uv_loop_init: libuv 1.44 opens
 * the loop's wake-up eventfd there, so an async handle made later cannot
 * fail for want of a descriptor.  Node.js relies on it: a worker thread
 * aborts (CHECK on uv_async_init) when it initialized its loop but the
 * process ran out of descriptors before its first async handle
 * (test-worker-init-failure, run with `ulimit -n 128`). */
static void async_init_takes_no_descriptor_after_loop_init(void** state) {
  struct descriptor_hog hog;
  uv_loop_t loop;
  uv_async_t a;
  int err;
  (void)state;
  reset_state();
  assert_int_equal(uv_loop_init(&loop), 0);
  hog_descriptors(&hog);
  err = uv_async_init(&loop, &a, count_cb);
  release_descriptors(&hog);
  assert_int_equal(err, 0);
  assert_int_equal(uv_async_send(&a), 0);
  uv_run(&loop, UV_RUN_NOWAIT);
  assert_int_equal(st.calls, 1);
  uv_close((uv_handle_t*)&a, NULL);
  loop_close_clean(&loop);
}

/* Two loops on two threads bounce one message with async handles: A's
 * callback sends to B, whose callback sends back.  With one message in
 * flight no send may coalesce or be lost, whether the other side is
 * asleep in its poll or (on eddy) watching for the answer before it
 * sleeps: each side's callback runs exactly PINGPONG_TRIPS times, and
 * the exchange alternates. */
#define PINGPONG_TRIPS 2000

static struct {
  uv_loop_t loop_a, loop_b;
  uv_async_t to_a, to_b;
  int pongs;   /* A's callbacks (loop A's thread) */
  int pings;   /* B's callbacks (loop B's thread) */
  int turn;    /* atomic: 0 when a ping is due, 1 when a pong is */
  int stop;    /* atomic: A tells B to close */
  int misorder; /* atomic: a callback ran out of turn */
} pp;

static void pp_on_b(uv_async_t* h) {
  if (__atomic_load_n(&pp.stop, __ATOMIC_ACQUIRE)) {
    uv_close((uv_handle_t*)h, NULL);
    return;
  }
  if (__atomic_exchange_n(&pp.turn, 1, __ATOMIC_ACQ_REL) != 0)
    __atomic_store_n(&pp.misorder, 1, __ATOMIC_RELEASE);
  pp.pings++;
  assert_int_equal(uv_async_send(&pp.to_a), 0);
}

static void pp_on_a(uv_async_t* h) {
  if (__atomic_exchange_n(&pp.turn, 0, __ATOMIC_ACQ_REL) != 1)
    __atomic_store_n(&pp.misorder, 1, __ATOMIC_RELEASE);
  if (++pp.pongs < PINGPONG_TRIPS) {
    assert_int_equal(uv_async_send(&pp.to_b), 0);
    return;
  }
  __atomic_store_n(&pp.stop, 1, __ATOMIC_RELEASE);
  assert_int_equal(uv_async_send(&pp.to_b), 0);
  uv_close((uv_handle_t*)h, NULL);
}

static void* pp_run_b(void* arg) {
  (void)arg;
  uv_run(&pp.loop_b, UV_RUN_DEFAULT);
  return NULL;
}

static void async_pingpong_between_two_loops(void** state) {
  pthread_t b;
  (void)state;
  memset(&pp, 0, sizeof(pp));
  assert_int_equal(uv_loop_init(&pp.loop_a), 0);
  assert_int_equal(uv_loop_init(&pp.loop_b), 0);
  assert_int_equal(uv_async_init(&pp.loop_a, &pp.to_a, pp_on_a), 0);
  assert_int_equal(uv_async_init(&pp.loop_b, &pp.to_b, pp_on_b), 0);
  assert_int_equal(pthread_create(&b, NULL, pp_run_b, NULL), 0);
  assert_int_equal(uv_async_send(&pp.to_b), 0);
  assert_int_equal(uv_run(&pp.loop_a, UV_RUN_DEFAULT), 0);
  /* B's last send to A may still be returning: join before A's handle
   * and loop go away. */
  assert_int_equal(pthread_join(b, NULL), 0);
  assert_int_equal(pp.pongs, PINGPONG_TRIPS);
  assert_int_equal(pp.pings, PINGPONG_TRIPS);
  assert_int_equal(pp.misorder, 0);
  loop_close_clean(&pp.loop_a);
  loop_close_clean(&pp.loop_b);
}

/* eddy only: a loop whose callback woke another loop watches a moment
 * before its next poll blocks, for the answer (src/unix/async.c,
 * uv__loop_watch); sends from a thread that runs no loop, and a loop's
 * sends to its own handles, never make it watch, so a loop fed by a
 * producer thread sleeps as before.  The watch's adaptive length is 0
 * until the first watch. */
static uv_async_t* watch_peer;

static void send_to_peer_cb(uv_timer_t* t) {
  assert_int_equal(uv_async_send(watch_peer), 0);
  uv_timer_stop(t);
}

static void eddy_loop_watches_after_waking_another_loop(void** state) {
  uv_loop_t loop, other;
  uv_async_t own, peer;
  uv_timer_t t, tick;
  int i;
  (void)state;
  EDDY_ONLY();
  reset_state();
#if TEST_ON_EDDY
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_loop_init(&other), 0);
  assert_int_equal(uv_async_init(&loop, &own, count_cb), 0);
  assert_int_equal(uv_async_init(&other, &peer, count_cb), 0);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_timer_init(&loop, &tick), 0);
  assert_int_equal(uv_timer_start(&tick, timer_count_cb, 1, 1), 0);
  /* Timers alone, sends from outside any uv_run, sends to its own
   * handle: no watch. */
  for (i = 0; i < 3; i++) uv_run(&loop, UV_RUN_ONCE);
  assert_int_equal(uv_async_send(&own), 0);
  assert_int_equal(uv_async_send(&peer), 0);
  for (i = 0; i < 3; i++) uv_run(&loop, UV_RUN_ONCE);
  assert_int_equal(st.calls, 1);
  uv_run(&other, UV_RUN_NOWAIT);
  assert_int_equal(st.calls, 2);
  watch_peer = &own;
  assert_int_equal(uv_timer_start(&t, send_to_peer_cb, 0, 0), 0);
  for (i = 0; i < 3; i++) uv_run(&loop, UV_RUN_ONCE);
  assert_int_equal(st.calls, 3);
  assert_int_equal(loop.watch_ns, 0);
  /* From a callback, to the other loop: the next poll that waits (for the
   * tick) watches first; one that finds the tick due already does not
   * wait, and leaves it to the next. */
  watch_peer = &peer;
  assert_int_equal(uv_timer_start(&t, send_to_peer_cb, 0, 0), 0);
  for (i = 0; i < 5 && loop.watch_ns == 0; i++) uv_run(&loop, UV_RUN_ONCE);
  assert_int_not_equal(loop.watch_ns, 0);
  assert_int_equal(other.watch_ns, 0);
  uv_run(&other, UV_RUN_NOWAIT);
  assert_int_equal(st.calls, 4);
  uv_close((uv_handle_t*)&t, NULL);
  uv_close((uv_handle_t*)&tick, NULL);
  uv_close((uv_handle_t*)&own, NULL);
  uv_close((uv_handle_t*)&peer, NULL);
  loop_close_clean(&loop);
  loop_close_clean(&other);
#else
  (void)loop;
  (void)other;
  (void)own;
  (void)peer;
  (void)t;
  (void)tick;
  (void)i;
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(async_init_is_active_and_referenced),
      cmocka_unit_test(async_send_before_run_calls_back_once),
      cmocka_unit_test(async_sends_coalesce),
      cmocka_unit_test(async_send_from_own_callback),
      cmocka_unit_test(async_several_handles),
      cmocka_unit_test(async_send_then_close),
      cmocka_unit_test(async_unref_does_not_keep_loop_alive),
      cmocka_unit_test(async_null_callback_still_wakes),
      cmocka_unit_test(async_send_from_signal_handler),
      cmocka_unit_test(async_many_threads_last_callback_sees_all),
      cmocka_unit_test(async_close_while_other_thread_sends),
      cmocka_unit_test(async_free_after_last_send_from_thread),
      cmocka_unit_test(async_null_callback_wakes_blocked_loop),
      cmocka_unit_test(async_loop_sleeps_after_wakeup),
      cmocka_unit_test(async_send_during_run_wakes_backend_fd),
      cmocka_unit_test(async_init_takes_no_descriptor_after_loop_init),
      cmocka_unit_test(async_pingpong_between_two_loops),
      cmocka_unit_test(eddy_loop_watches_after_waking_another_loop),
      cmocka_unit_test(eddy_async_send_wrong_handle_type_is_einval),
      cmocka_unit_test(eddy_async_null_handle_is_einval),
  };
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
