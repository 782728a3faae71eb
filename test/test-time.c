/* eddy tests — clocks and sleeping (src/unix/time.c).
 *
 * Readings are checked by bracketing them between two readings of the
 * system clock they should come from, which catches a wrong clock or a
 * wrong unit without any timing margin.  Sleeps are checked for a lower
 * bound only: a loaded machine may oversleep by any amount. */
#include "test-helpers.h"

#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

#define NS_PER_MS UINT64_C(1000000)
#define NS_PER_SEC UINT64_C(1000000000)

static uint64_t sys_ns(clockid_t id) {
  struct timespec t;
  assert_int_equal(clock_gettime(id, &t), 0);
  return (uint64_t)t.tv_sec * NS_PER_SEC + (uint64_t)t.tv_nsec;
}

/* ---- uv_hrtime ----------------------------------------------------------- */

static void hrtime_is_clock_monotonic_in_ns(void** state) {
  uint64_t before, t, after;
  (void)state;
  before = sys_ns(CLOCK_MONOTONIC);
  t = uv_hrtime();
  after = sys_ns(CLOCK_MONOTONIC);
  assert_true(before <= t);
  assert_true(t <= after);
}

static void hrtime_never_goes_back(void** state) {
  uint64_t prev, now;
  int i;
  (void)state;
  prev = uv_hrtime();
  for (i = 0; i < 100000; i++) {
    now = uv_hrtime();
    assert_true(now >= prev);
    prev = now;
  }
}

static void hrtime_advances(void** state) {
  uint64_t start = uv_hrtime();
  struct timespec d = {0, 2 * 1000 * 1000};
  (void)state;
  assert_int_equal(nanosleep(&d, NULL), 0);
  assert_true(uv_hrtime() - start >= 2 * NS_PER_MS);
}

/* ---- uv_clock_gettime ---------------------------------------------------- */

static uint64_t ts64_ns(const uv_timespec64_t* ts) {
  assert_true(ts->tv_sec >= 0);
  assert_true(ts->tv_nsec >= 0);
  assert_true(ts->tv_nsec < (int32_t)NS_PER_SEC);
  return (uint64_t)ts->tv_sec * NS_PER_SEC + (uint64_t)ts->tv_nsec;
}

static void clock_gettime_monotonic(void** state) {
  uv_timespec64_t ts;
  uint64_t before, after;
  (void)state;
  before = uv_hrtime();
  assert_int_equal(uv_clock_gettime(UV_CLOCK_MONOTONIC, &ts), 0);
  after = uv_hrtime();
  assert_true(before <= ts64_ns(&ts));
  assert_true(ts64_ns(&ts) <= after);
}

/* The wall clock may be stepped between two readings; three tries in a row
 * would all have to straddle a step. */
static void clock_gettime_realtime(void** state) {
  uv_timespec64_t ts;
  uint64_t before, got, after;
  int tries;
  (void)state;
  for (tries = 0; tries < 3; tries++) {
    before = sys_ns(CLOCK_REALTIME);
    assert_int_equal(uv_clock_gettime(UV_CLOCK_REALTIME, &ts), 0);
    after = sys_ns(CLOCK_REALTIME);
    got = ts64_ns(&ts);
    if (before <= got && got <= after) return;
  }
  fail_msg("UV_CLOCK_REALTIME read %llu ns, outside [%llu, %llu]",
           (unsigned long long)got, (unsigned long long)before,
           (unsigned long long)after);
}

/* libuv: a NULL result is UV_EFAULT, an unknown clock UV_EINVAL. */
static void clock_gettime_refuses_bad_input(void** state) {
  uv_timespec64_t ts;
  (void)state;
  assert_int_equal(uv_clock_gettime(UV_CLOCK_MONOTONIC, NULL), UV_EFAULT);
  assert_int_equal(uv_clock_gettime(UV_CLOCK_REALTIME, NULL), UV_EFAULT);

  ts.tv_sec = -7;
  ts.tv_nsec = -7;
  assert_int_equal(uv_clock_gettime((uv_clock_id)2, &ts), UV_EINVAL);
  assert_int_equal(uv_clock_gettime((uv_clock_id)-1, &ts), UV_EINVAL);
  assert_int_equal(uv_clock_gettime((uv_clock_id)12345, &ts), UV_EINVAL);
  assert_int_equal(ts.tv_sec, -7);
  assert_int_equal(ts.tv_nsec, -7);
}

/* ---- uv_sleep ------------------------------------------------------------ */

static void sleep_lasts_at_least_as_asked(void** state) {
  uint64_t start;
  (void)state;
  start = uv_hrtime();
  uv_sleep(20);
  assert_true(uv_hrtime() - start >= 20 * NS_PER_MS);
}

static void sleep_zero_returns(void** state) {
  (void)state;
  uv_sleep(0);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int signum) {
  (void)signum;
  alarms++;
}

/* A signal arriving mid-sleep (a handler without SA_RESTART makes
 * nanosleep fail with EINTR) must not shorten the sleep. */
static void sleep_survives_signals(void** state) {
  struct sigaction sa, old_sa;
  struct itimerval every_5ms, off, old_timer;
  uint64_t start, elapsed;
  (void)state;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  assert_int_equal(sigaction(SIGALRM, &sa, &old_sa), 0);

  memset(&every_5ms, 0, sizeof(every_5ms));
  every_5ms.it_value.tv_usec = 5000;
  every_5ms.it_interval.tv_usec = 5000;
  memset(&off, 0, sizeof(off));

  alarms = 0;
  start = uv_hrtime();
  assert_int_equal(setitimer(ITIMER_REAL, &every_5ms, &old_timer), 0);
  uv_sleep(60);
  elapsed = uv_hrtime() - start;
  assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
  assert_int_equal(sigaction(SIGALRM, &old_sa, NULL), 0);

  assert_true(alarms > 0); /* the sleep really was interrupted */
  assert_true(elapsed >= 60 * NS_PER_MS);
}

/* ---- uv_gettimeofday ----------------------------------------------------- */

static void gettimeofday_is_the_time_of_day(void** state) {
  uv_timeval64_t tv;
  time_t before, after;
  (void)state;
  tv.tv_sec = -1;
  tv.tv_usec = -1;
  before = time(NULL);
  assert_int_equal(uv_gettimeofday(&tv), 0);
  after = time(NULL);
  assert_true(tv.tv_usec >= 0);
  assert_true(tv.tv_usec < 1000000);
  /* time() may lag the precise clock by a tick; a few seconds cover it. */
  assert_true(tv.tv_sec >= (int64_t)before - 2);
  assert_true(tv.tv_sec <= (int64_t)after + 2);
}

static void gettimeofday_refuses_null(void** state) {
  (void)state;
  assert_int_equal(uv_gettimeofday(NULL), UV_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(hrtime_is_clock_monotonic_in_ns),
      cmocka_unit_test(hrtime_never_goes_back),
      cmocka_unit_test(hrtime_advances),
      cmocka_unit_test(clock_gettime_monotonic),
      cmocka_unit_test(clock_gettime_realtime),
      cmocka_unit_test(clock_gettime_refuses_bad_input),
      cmocka_unit_test(sleep_lasts_at_least_as_asked),
      cmocka_unit_test(sleep_zero_returns),
      cmocka_unit_test(sleep_survives_signals),
      cmocka_unit_test(gettimeofday_is_the_time_of_day),
      cmocka_unit_test(gettimeofday_refuses_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
