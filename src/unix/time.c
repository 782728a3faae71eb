/* eddy — clocks and sleeping on POSIX: uv_hrtime, uv_clock_gettime,
 * uv_gettimeofday, uv_sleep, and the loop's millisecond clock behind
 * uv_now (uv__loop_clock_ms). */
#include "../internal.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#define NS_PER_SEC UINT64_C(1000000000)
#define NS_PER_MS UINT64_C(1000000)

static uint64_t timespec_ns(const struct timespec* t) {
  return (uint64_t)t->tv_sec * NS_PER_SEC + (uint64_t)t->tv_nsec;
}

/* A monotonic clock is what every timeout rests on; with none there is no
 * sensible value to return, and POSIX systems that run eddy have one. */
static uint64_t monotonic_ns(clockid_t id) {
  struct timespec t;
  if (clock_gettime(id, &t) != 0) abort();
  return timespec_ns(&t);
}

UV__EXPORT uint64_t uv_hrtime(void) {
  return monotonic_ns(CLOCK_MONOTONIC);
}

/* The loop reads its clock every iteration and uv_now has millisecond
 * resolution, so the coarse clock (the kernel's last tick, read without
 * touching the hardware counter) does when it ticks at least every
 * millisecond.  Whether it does is asked once; concurrent first callers
 * compute the same answer, so a relaxed store is enough. */
enum { CLOCK_UNPROBED, CLOCK_USE_COARSE, CLOCK_USE_PRECISE };

static int loop_clock_choice = CLOCK_UNPROBED;

static int probe_loop_clock(void) {
#ifdef CLOCK_MONOTONIC_COARSE
  struct timespec res;
  if (clock_getres(CLOCK_MONOTONIC_COARSE, &res) == 0 && res.tv_sec == 0 &&
      (uint64_t)res.tv_nsec <= NS_PER_MS)
    return CLOCK_USE_COARSE;
#endif
  return CLOCK_USE_PRECISE;
}

uint64_t uv__loop_clock_ms(void) {
  int choice = __atomic_load_n(&loop_clock_choice, __ATOMIC_RELAXED);
  if (UV__UNLIKELY(choice == CLOCK_UNPROBED)) {
    choice = probe_loop_clock();
    __atomic_store_n(&loop_clock_choice, choice, __ATOMIC_RELAXED);
  }
#ifdef CLOCK_MONOTONIC_COARSE
  if (choice == CLOCK_USE_COARSE)
    return monotonic_ns(CLOCK_MONOTONIC_COARSE) / NS_PER_MS;
#endif
  return monotonic_ns(CLOCK_MONOTONIC) / NS_PER_MS;
}

/* libuv answers a NULL ts with UV_EFAULT (and an unknown clock with
 * UV_EINVAL); programs may test for either, so eddy does the same. */
UV__EXPORT int uv_clock_gettime(uv_clock_id clock_id, uv_timespec64_t* ts) {
  struct timespec t;
  clockid_t id;

  if (ts == NULL) return UV_EFAULT;
  switch (clock_id) {
    case UV_CLOCK_MONOTONIC:
      id = CLOCK_MONOTONIC;
      break;
    case UV_CLOCK_REALTIME:
      id = CLOCK_REALTIME;
      break;
    default:
      return UV_EINVAL;
  }
  if (clock_gettime(id, &t) != 0) return uv_translate_sys_error(errno);
  ts->tv_sec = (int64_t)t.tv_sec;
  ts->tv_nsec = (int32_t)t.tv_nsec;
  return 0;
}

UV__EXPORT int uv_gettimeofday(uv_timeval64_t* tv) {
  struct timeval t;

  if (tv == NULL) return UV_EINVAL;
  if (gettimeofday(&t, NULL) != 0) return uv_translate_sys_error(errno);
  tv->tv_sec = (int64_t)t.tv_sec;
  tv->tv_usec = (int32_t)t.tv_usec;
  return 0;
}

/* A signal must not cut the sleep short: nanosleep reports what is left,
 * and sleeping on for exactly that keeps the total at msec. */
UV__EXPORT void uv_sleep(unsigned int msec) {
  struct timespec left;
  int saved = errno;

  left.tv_sec = (time_t)(msec / 1000);
  left.tv_nsec = (long)(msec % 1000) * 1000000L;
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
  errno = saved;
}
