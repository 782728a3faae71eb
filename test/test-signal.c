/* eddy tests — signal handles (src/unix/signal.c).
 *
 * Signals are raised with kill(getpid()) and must reach the callbacks in
 * the loop's poll phase; several handles and several loops may watch one
 * signal; oneshot handles stop after the first; stopping the last watcher
 * puts back SIG_DFL, as libuv does.
 *
 * The file also builds against the system's libuv and passes there,
 * except the tests named eddy_*, which skip themselves. */
#include "test-helpers.h"

#include <signal.h>
#include <unistd.h>

struct counted {
  uv_signal_t handle;
  int calls;
  int last_signum;
  int stop_in_cb;
  int close_in_cb;
};

static void count_cb(uv_signal_t* h, int signum) {
  struct counted* c = (struct counted*)h;
  c->calls++;
  c->last_signum = signum;
  if (c->stop_in_cb) assert_int_equal(uv_signal_stop(h), 0);
  if (c->close_in_cb) uv_close((uv_handle_t*)h, NULL);
}

/* Runs the loop until no callback is due: signals raised before reach the
 * loop through its pipe, read in the next poll phase. */
static void drain(uv_loop_t* loop) {
  int i;
  for (i = 0; i < 3; i++) uv_run(loop, UV_RUN_NOWAIT);
}

static void test_delivery(void** state) {
  uv_loop_t loop;
  struct counted c;
  (void)state;

  memset(&c, 0, sizeof(c));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &c.handle), 0);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, SIGUSR1), 0);
  assert_true(uv_is_active((uv_handle_t*)&c.handle));
  assert_int_equal(c.handle.signum, SIGUSR1);

  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  assert_int_equal(c.calls, 0); /* only in the loop */
  drain(&loop);
  assert_int_equal(c.calls, 1);
  assert_int_equal(c.last_signum, SIGUSR1);

  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  drain(&loop);
  assert_int_equal(c.calls, 2);

  /* An active signal handle keeps the loop alive; stop it inside the
   * callback to end uv_run. */
  c.stop_in_cb = 1;
  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(c.calls, 3);
  assert_false(uv_is_active((uv_handle_t*)&c.handle));

  uv_close((uv_handle_t*)&c.handle, NULL);
  loop_close_clean(&loop);
}

static void test_two_handles(void** state) {
  uv_loop_t loop;
  struct counted a;
  struct counted b;
  struct counted other;
  (void)state;

  memset(&a, 0, sizeof(a));
  memset(&b, 0, sizeof(b));
  memset(&other, 0, sizeof(other));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &a.handle), 0);
  assert_int_equal(uv_signal_init(&loop, &b.handle), 0);
  assert_int_equal(uv_signal_init(&loop, &other.handle), 0);
  assert_int_equal(uv_signal_start(&a.handle, count_cb, SIGUSR2), 0);
  assert_int_equal(uv_signal_start(&b.handle, count_cb, SIGUSR2), 0);
  assert_int_equal(uv_signal_start(&other.handle, count_cb, SIGUSR1), 0);

  assert_int_equal(kill(getpid(), SIGUSR2), 0);
  drain(&loop);
  assert_int_equal(a.calls, 1);
  assert_int_equal(b.calls, 1);
  assert_int_equal(other.calls, 0);

  /* One stopped: the other still hears it. */
  assert_int_equal(uv_signal_stop(&a.handle), 0);
  assert_int_equal(kill(getpid(), SIGUSR2), 0);
  drain(&loop);
  assert_int_equal(a.calls, 1);
  assert_int_equal(b.calls, 2);

  /* Closing itself in the callback. */
  b.close_in_cb = 1;
  assert_int_equal(kill(getpid(), SIGUSR2), 0);
  drain(&loop);
  assert_int_equal(b.calls, 3);
  assert_true(uv_is_closing((uv_handle_t*)&b.handle));

  loop_teardown(&loop);
}

static void test_two_loops(void** state) {
  uv_loop_t l1;
  uv_loop_t l2;
  struct counted a;
  struct counted b;
  (void)state;

  memset(&a, 0, sizeof(a));
  memset(&b, 0, sizeof(b));
  assert_int_equal(uv_loop_init(&l1), 0);
  assert_int_equal(uv_loop_init(&l2), 0);
  assert_int_equal(uv_signal_init(&l1, &a.handle), 0);
  assert_int_equal(uv_signal_init(&l2, &b.handle), 0);
  assert_int_equal(uv_signal_start(&a.handle, count_cb, SIGUSR1), 0);
  assert_int_equal(uv_signal_start(&b.handle, count_cb, SIGUSR1), 0);

  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  drain(&l1);
  assert_int_equal(a.calls, 1);
  assert_int_equal(b.calls, 0);
  drain(&l2);
  assert_int_equal(b.calls, 1);

  loop_teardown(&l1);
  /* l1 is gone; l2 still hears the signal. */
  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  drain(&l2);
  assert_int_equal(b.calls, 2);
  loop_teardown(&l2);
}

static void test_oneshot(void** state) {
  uv_loop_t loop;
  struct counted c;
  (void)state;

  memset(&c, 0, sizeof(c));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &c.handle), 0);
  assert_int_equal(uv_signal_start_oneshot(&c.handle, count_cb, SIGUSR1), 0);
  /* Keep the process alive if the second signal reached the default
   * disposition: a second, regular handle watches too. */
  {
    struct counted keep;
    memset(&keep, 0, sizeof(keep));
    assert_int_equal(uv_signal_init(&loop, &keep.handle), 0);
    assert_int_equal(uv_signal_start(&keep.handle, count_cb, SIGUSR1), 0);

    assert_int_equal(kill(getpid(), SIGUSR1), 0);
    assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
    assert_int_equal(c.calls, 1);
    assert_false(uv_is_active((uv_handle_t*)&c.handle));

    assert_int_equal(kill(getpid(), SIGUSR1), 0);
    drain(&loop);
    assert_int_equal(c.calls, 1);
    assert_int_equal(keep.calls, 2);

    /* Restarted as oneshot, it fires once more. */
    assert_int_equal(uv_signal_start_oneshot(&c.handle, count_cb, SIGUSR1),
                     0);
    assert_int_equal(kill(getpid(), SIGUSR1), 0);
    drain(&loop);
    assert_int_equal(c.calls, 2);
    assert_int_equal(keep.calls, 3);
    loop_teardown(&loop);
  }
}

static volatile sig_atomic_t old_handler_calls;
static void old_handler(int signum) {
  (void)signum;
  old_handler_calls++;
}

/* Stopping the last watcher of a signal puts SIG_DFL back, as libuv does,
 * whatever was there before the first one started.  eddy used to put back
 * the old disposition (found by Haxe 4.2's eval interpreter: OCaml's
 * runtime holds SIGINT for Sys.Break; after a Haxe program closed its
 * SIGINT handle, a second Ctrl-C killed haxe on libuv, exit 130, and on
 * eddy raised Sys.Break, "Stdlib.Sys.Break" and exit 1). */
static void test_last_stop_puts_back_sig_dfl(void** state) {
  struct sigaction sa;
  struct sigaction now;
  uv_loop_t loop;
  struct counted a;
  struct counted b;
  (void)state;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = old_handler;
  sigemptyset(&sa.sa_mask);
  assert_int_equal(sigaction(SIGUSR2, &sa, NULL), 0);
  old_handler_calls = 0;

  memset(&a, 0, sizeof(a));
  memset(&b, 0, sizeof(b));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &a.handle), 0);
  assert_int_equal(uv_signal_init(&loop, &b.handle), 0);
  assert_int_equal(uv_signal_start(&a.handle, count_cb, SIGUSR2), 0);
  assert_int_equal(uv_signal_start(&b.handle, count_cb, SIGUSR2), 0);
  assert_int_equal(sigaction(SIGUSR2, NULL, &now), 0);
  assert_ptr_not_equal(now.sa_handler, old_handler);

  assert_int_equal(kill(getpid(), SIGUSR2), 0);
  drain(&loop);
  assert_int_equal(a.calls, 1);
  assert_int_equal(old_handler_calls, 0);

  /* Not the last watcher: still the library's. */
  assert_int_equal(uv_signal_stop(&a.handle), 0);
  assert_int_equal(sigaction(SIGUSR2, NULL, &now), 0);
  assert_ptr_not_equal(now.sa_handler, old_handler);
  assert_ptr_not_equal(now.sa_handler, SIG_DFL);
  /* The last: the default disposition, not the old handler. */
  assert_int_equal(uv_signal_stop(&b.handle), 0);
  assert_int_equal(sigaction(SIGUSR2, NULL, &now), 0);
  assert_ptr_equal(now.sa_handler, SIG_DFL);

  /* The same from SIG_IGN, and switching a handle to another signal
   * releases the first. */
  sa.sa_handler = SIG_IGN;
  assert_int_equal(sigaction(SIGUSR2, &sa, NULL), 0);
  assert_int_equal(uv_signal_start(&a.handle, count_cb, SIGUSR2), 0);
  assert_int_equal(uv_signal_start(&a.handle, count_cb, SIGUSR1), 0);
  assert_int_equal(a.handle.signum, SIGUSR1);
  assert_int_equal(sigaction(SIGUSR2, NULL, &now), 0);
  assert_ptr_equal(now.sa_handler, SIG_DFL);

  /* Closing counts as stopping. */
  uv_close((uv_handle_t*)&a.handle, NULL);
  uv_close((uv_handle_t*)&b.handle, NULL);
  loop_close_clean(&loop);
  assert_int_equal(sigaction(SIGUSR1, NULL, &now), 0);
  assert_ptr_equal(now.sa_handler, SIG_DFL);
  assert_int_equal(old_handler_calls, 0);
}

static void test_bad_input(void** state) {
  uv_loop_t loop;
  struct counted c;
  (void)state;

  memset(&c, 0, sizeof(c));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &c.handle), 0);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, 0), UV_EINVAL);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, -1), UV_EINVAL);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, 65), UV_EINVAL);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, SIGKILL), UV_EINVAL);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, SIGSTOP), UV_EINVAL);
  assert_false(uv_is_active((uv_handle_t*)&c.handle));

  /* A failed start leaves the handle watching what it watched (libuv
   * stops it first). */
  assert_int_equal(uv_signal_start(&c.handle, count_cb, SIGUSR1), 0);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, SIGKILL), UV_EINVAL);
  if (TEST_ON_EDDY) {
    assert_true(uv_is_active((uv_handle_t*)&c.handle));
    assert_int_equal(c.handle.signum, SIGUSR1);
    assert_int_equal(kill(getpid(), SIGUSR1), 0);
    drain(&loop);
    assert_int_equal(c.calls, 1);
  }

  /* Stopping twice is fine. */
  assert_int_equal(uv_signal_stop(&c.handle), 0);
  assert_int_equal(uv_signal_stop(&c.handle), 0);
  loop_teardown(&loop);
}

/* eddy checks what libuv asserts on or crashes with. */
static void eddy_null_and_wrong_type(void** state) {
  uv_loop_t loop;
  uv_signal_t s;
  uv_timer_t t;
  (void)state;

  EDDY_ONLY();
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(NULL, &s), UV_EINVAL);
  assert_int_equal(uv_signal_init(&loop, NULL), UV_EINVAL);
  assert_int_equal(uv_signal_start(NULL, count_cb, SIGUSR1), UV_EINVAL);
  assert_int_equal(uv_signal_stop(NULL), UV_EINVAL);
  assert_int_equal(uv_timer_init(&loop, &t), 0);
  assert_int_equal(uv_signal_start((uv_signal_t*)&t, count_cb, SIGUSR1),
                   UV_EINVAL);
  assert_int_equal(uv_signal_init(&loop, &s), 0);
  assert_int_equal(uv_signal_start(&s, NULL, SIGUSR1), UV_EINVAL);
  uv_close((uv_handle_t*)&s, NULL);
  assert_int_equal(uv_signal_start(&s, count_cb, SIGUSR1), UV_EINVAL);
  loop_teardown(&loop);
}

/* Many signals between two iterations: each number still arrives, and the
 * last one is never lost. */
static void eddy_burst(void** state) {
  uv_loop_t loop;
  struct counted c;
  int i;
  (void)state;

  EDDY_ONLY();
  memset(&c, 0, sizeof(c));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &c.handle), 0);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, SIGUSR1), 0);
  for (i = 0; i < 100000; i++) assert_int_equal(kill(getpid(), SIGUSR1), 0);
  drain(&loop);
  assert_true(c.calls >= 1);
  assert_true(c.calls <= 100000);
  i = c.calls;
  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  drain(&loop);
  assert_int_equal(c.calls, i + 1);
  loop_teardown(&loop);
}

/* A burst of 10,000 signals before the loop runs: they may be coalesced,
 * but at least one callback comes, and a signal raised after the burst
 * is never lost in it. */
static void burst_coalesced_last_not_lost(void** state) {
  uv_loop_t loop;
  struct counted c;
  int i;
  (void)state;

  memset(&c, 0, sizeof(c));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &c.handle), 0);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, SIGUSR1), 0);
  for (i = 0; i < 10000; i++) assert_int_equal(kill(getpid(), SIGUSR1), 0);
  drain(&loop);
  assert_true(c.calls >= 1);
  assert_true(c.calls <= 10000);
  assert_int_equal(c.last_signum, SIGUSR1);
  i = c.calls;
  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  drain(&loop);
  assert_int_equal(c.calls, i + 1);
  loop_teardown(&loop);
}

/* A handle stopped inside its callback hears nothing more, even of
 * signals already recorded for its loop; a second handle of the same
 * signal (which keeps the process alive) goes on hearing them. */
static void stop_inside_callback_during_burst(void** state) {
  uv_loop_t loop;
  struct counted once;
  struct counted keep;
  int i;
  (void)state;

  memset(&once, 0, sizeof(once));
  memset(&keep, 0, sizeof(keep));
  once.stop_in_cb = 1;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &once.handle), 0);
  assert_int_equal(uv_signal_init(&loop, &keep.handle), 0);
  assert_int_equal(uv_signal_start(&once.handle, count_cb, SIGUSR2), 0);
  assert_int_equal(uv_signal_start(&keep.handle, count_cb, SIGUSR2), 0);
  for (i = 0; i < 10000; i++) assert_int_equal(kill(getpid(), SIGUSR2), 0);
  drain(&loop);
  assert_int_equal(once.calls, 1);
  assert_false(uv_is_active((uv_handle_t*)&once.handle));
  assert_true(keep.calls >= 1);
  i = keep.calls;
  assert_int_equal(kill(getpid(), SIGUSR2), 0);
  drain(&loop);
  assert_int_equal(once.calls, 1);
  assert_int_equal(keep.calls, i + 1);
  loop_teardown(&loop);
}

/* Several loops, each run by a thread of its own, watch one signal: a
 * single kill reaches every one of them, each exactly once (each handle
 * closes itself in its callback, which ends its loop). */
#define SIG_THREADS 3

static struct {
  uv_barrier_t started;
  uv_loop_t loops[SIG_THREADS];
  struct counted handles[SIG_THREADS];
  int run_result[SIG_THREADS];
} st;

static void st_thread(void* arg) {
  int i = (int)(intptr_t)arg;
  /* Started before the main thread raises the signal. */
  uv_barrier_wait(&st.started);
  st.run_result[i] = uv_run(&st.loops[i], UV_RUN_DEFAULT);
}

static void loops_on_threads_all_hear_one_signal(void** state) {
  struct sigaction sa;
  struct counted keep;
  uv_loop_t main_loop;
  uv_thread_t threads[SIG_THREADS];
  int i;
  (void)state;

  memset(&st, 0, sizeof(st));
  memset(&keep, 0, sizeof(keep));
  /* The main thread's own watcher keeps SIGUSR1 caught until every
   * thread has heard it. */
  assert_int_equal(uv_loop_init(&main_loop), 0);
  assert_int_equal(uv_signal_init(&main_loop, &keep.handle), 0);
  assert_int_equal(uv_signal_start(&keep.handle, count_cb, SIGUSR1), 0);
  assert_int_equal(uv_barrier_init(&st.started, SIG_THREADS + 1), 0);
  for (i = 0; i < SIG_THREADS; i++) {
    st.handles[i].close_in_cb = 1;
    st.run_result[i] = -1;
    assert_int_equal(uv_loop_init(&st.loops[i]), 0);
    assert_int_equal(uv_signal_init(&st.loops[i], &st.handles[i].handle), 0);
    assert_int_equal(
        uv_signal_start(&st.handles[i].handle, count_cb, SIGUSR1), 0);
    assert_int_equal(
        uv_thread_create(&threads[i], st_thread, (void*)(intptr_t)i), 0);
  }
  uv_barrier_wait(&st.started);
  assert_int_equal(kill(getpid(), SIGUSR1), 0);
  for (i = 0; i < SIG_THREADS; i++) {
    assert_int_equal(uv_thread_join(&threads[i]), 0);
    assert_int_equal(st.run_result[i], 0);
    assert_int_equal(st.handles[i].calls, 1);
    assert_int_equal(st.handles[i].last_signum, SIGUSR1);
    loop_close_clean(&st.loops[i]);
  }
  uv_barrier_destroy(&st.started);
  drain(&main_loop);
  assert_int_equal(keep.calls, 1);
  uv_close((uv_handle_t*)&keep.handle, NULL);
  loop_close_clean(&main_loop);
  /* Every watcher gone: the default disposition is back. */
  assert_int_equal(sigaction(SIGUSR1, NULL, &sa), 0);
  assert_ptr_equal(sa.sa_handler, SIG_DFL);
}

/* An unreferenced signal handle does not keep the loop alive. */
static void test_unref(void** state) {
  uv_loop_t loop;
  struct counted c;
  (void)state;

  memset(&c, 0, sizeof(c));
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &c.handle), 0);
  assert_int_equal(uv_signal_start(&c.handle, count_cb, SIGUSR1), 0);
  uv_unref((uv_handle_t*)&c.handle);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  loop_teardown(&loop);
}

/* A signal and another descriptor's readiness seen in the same poll: the
 * descriptor's callback runs first, the signal's after every other event
 * of the batch, as in libuv (uvloop counts on it: a child's last output is
 * read before SIGCHLD reports its exit).  The signal is raised before the
 * data is written, so the kernel lists the loop's signal pipe first. */
struct order {
  uv_signal_t sig;
  uv_poll_t poll;
  char seen[8];
  int n;
};

static void order_signal_cb(uv_signal_t* h, int signum) {
  struct order* o = h->data;
  (void)signum;
  if (o->n < (int)sizeof(o->seen) - 1) o->seen[o->n++] = 's';
  uv_signal_stop(h);
}

static void order_poll_cb(uv_poll_t* h, int status, int events) {
  struct order* o = h->data;
  (void)status;
  (void)events;
  if (o->n < (int)sizeof(o->seen) - 1) o->seen[o->n++] = 'r';
  uv_poll_stop(h);
}

static void test_signal_after_io_of_the_same_poll(void** state) {
  uv_loop_t loop;
  struct order o;
  int fds[2];
  int i;
  (void)state;

  memset(&o, 0, sizeof(o));
  assert_int_equal(pipe(fds), 0);
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_int_equal(uv_signal_init(&loop, &o.sig), 0);
  o.sig.data = &o;
  assert_int_equal(uv_signal_start(&o.sig, order_signal_cb, SIGUSR2), 0);
  assert_int_equal(uv_poll_init(&loop, &o.poll, fds[0]), 0);
  o.poll.data = &o;
  assert_int_equal(uv_poll_start(&o.poll, UV_READABLE, order_poll_cb), 0);
  /* Both descriptors registered with the kernel, nothing ready yet. */
  assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 1);
  assert_int_equal(o.n, 0);

  assert_int_equal(kill(getpid(), SIGUSR2), 0);
  assert_int_equal(write(fds[1], "x", 1), 1);
  /* One poll sees both (NOWAIT: one iteration, one epoll_wait). */
  uv_run(&loop, UV_RUN_NOWAIT);
  for (i = 0; i < 3 && o.n < 2; i++) uv_run(&loop, UV_RUN_NOWAIT);

  uv_close((uv_handle_t*)&o.sig, NULL);
  uv_close((uv_handle_t*)&o.poll, NULL);
  loop_close_clean(&loop);
  close(fds[0]);
  close(fds[1]);
  assert_string_equal(o.seen, "rs");
}

/* uv_loop_init takes the descriptors signal handles read (libuv 1.44 opens
 * the loop's signal pipe there): uv_signal_init cannot fail for want of a
 * descriptor once the loop is up. */
static void signal_init_takes_no_descriptor_after_loop_init(void** state) {
  struct descriptor_hog hog;
  uv_loop_t loop;
  uv_signal_t s;
  int err;
  (void)state;
  assert_int_equal(uv_loop_init(&loop), 0);
  hog_descriptors(&hog);
  err = uv_signal_init(&loop, &s);
  release_descriptors(&hog);
  assert_int_equal(err, 0);
  uv_close((uv_handle_t*)&s, NULL);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_delivery),
      cmocka_unit_test(test_two_handles),
      cmocka_unit_test(test_two_loops),
      cmocka_unit_test(test_oneshot),
      cmocka_unit_test(test_last_stop_puts_back_sig_dfl),
      cmocka_unit_test(test_bad_input),
      cmocka_unit_test(test_unref),
      cmocka_unit_test(test_signal_after_io_of_the_same_poll),
      cmocka_unit_test(signal_init_takes_no_descriptor_after_loop_init),
      cmocka_unit_test(eddy_null_and_wrong_type),
      cmocka_unit_test(eddy_burst),
      cmocka_unit_test(burst_coalesced_last_not_lost),
      cmocka_unit_test(stop_inside_callback_during_burst),
      cmocka_unit_test(loops_on_threads_all_hear_one_signal),
  };
  const char* skip = getenv("EDDY_TEST_SKIP");
  if (skip != NULL) cmocka_set_skip_filter(skip);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
