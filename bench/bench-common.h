/* eddy benchmarks — what every benchmark program shares, the libuv ones
 * (bench-*.c) and the raw-syscall ones (raw-*.c) alike.
 *
 * The contract with tools/bench.sh:
 *   argv[1]    the amount of work (an iteration count whose meaning each
 *              program documents); absent: the program's default size
 *   stdout     one "RESULT name=<name> unit=<unit> value=<number>" line
 *              per figure, and one "OPS name=<name> count=<n>" line giving
 *              the operations behind it (for syscalls per operation)
 *   stderr     "LIBRARY ..." naming what the program runs on, then
 *              anything else worth reading
 *   exit       0, or 1 when a self-check failed: a fast wrong answer must
 *              not win; 2 for bad arguments
 * Units of the form "<time>/<thing>" (ns/op) and sizes in bytes ("B",
 * "B/<thing>") are lower-is-better; every other unit is higher-is-better.
 *
 * Time is measured here with clock_gettime(CLOCK_MONOTONIC), never with
 * the library under test, so that the instrument is the same for every
 * variant. */
#ifndef EDDY_BENCH_COMMON_H
#define EDDY_BENCH_COMMON_H

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static int bench_failures;

static inline uint64_t bench_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static inline double bench_seconds(uint64_t ns) { return (double)ns / 1e9; }

/* Sleeps ms milliseconds (outside any timed region). */
static inline void bench_sleep_ms(unsigned ms) {
  struct timespec t;
  t.tv_sec = ms / 1000;
  t.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/* argv[1]: a positive count, or dflt when absent. */
static inline uint64_t bench_count(int argc, char** argv, uint64_t dflt) {
  char* end;
  unsigned long long v;

  if (argc < 2) return dflt;
  errno = 0;
  v = strtoull(argv[1], &end, 10);
  if (errno != 0 || end == argv[1] || *end != '\0' || v == 0 ||
      argv[1][0] == '-') {
    fprintf(stderr, "%s: the argument must be a positive count, not '%s'\n",
            argv[0], argv[1]);
    exit(2);
  }
  return (uint64_t)v;
}

static inline void bench_result(const char* name, const char* unit,
                                double value) {
  printf("RESULT name=%s unit=%s value=%.3f\n", name, unit, value);
}

static inline void bench_ops(const char* name, uint64_t count) {
  printf("OPS name=%s count=%" PRIu64 "\n", name, count);
}

/* Throughput: ops per second over elapsed nanoseconds. */
static inline double bench_rate(uint64_t ops, uint64_t ns) {
  return ns == 0 ? 0.0 : (double)ops / bench_seconds(ns);
}

/* Cost: nanoseconds per op. */
static inline double bench_per_op(uint64_t ns, uint64_t ops) {
  return ops == 0 ? 0.0 : (double)ns / (double)ops;
}

/* A failed check is reported and counted; the program goes on so that one
 * run shows everything that is wrong, and exits 1 at the end. */
#define BENCH_CHECK(cond)                                               \
  do {                                                                  \
    if (!(cond)) {                                                      \
      if (bench_failures++ < 20)                                        \
        fprintf(stderr, "CHECK FAILED %s:%d: %s\n", __FILE__, __LINE__, \
                #cond);                                                 \
    }                                                                   \
  } while (0)

/* For what the benchmark cannot go on without (an allocation, a thread). */
#define BENCH_REQUIRE(cond)                                            \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "FATAL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                         \
    }                                                                  \
  } while (0)

static inline int bench_finish(void) {
  fflush(stdout);
  if (bench_failures != 0) {
    fprintf(stderr, "%d self-check(s) failed: the result is not valid\n",
            bench_failures);
    return 1;
  }
  return 0;
}

/* xorshift64*: the same pseudo-random sequence for every variant. */
static inline uint64_t bench_rand(uint64_t* state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * UINT64_C(2685821657736338717);
}

static inline void* bench_calloc(size_t n, size_t size) {
  void* p = calloc(n != 0 ? n : 1, size);
  BENCH_REQUIRE(p != NULL);
  return p;
}

/* Raises the soft limit on open descriptors to the hard limit, for the
 * benchmarks that hold thousands of sockets; returns the soft limit now in
 * force.  Programs that need more than the hard limit say so and fail. */
static inline uint64_t bench_raise_nofile(void) {
  struct rlimit rl;
  BENCH_REQUIRE(getrlimit(RLIMIT_NOFILE, &rl) == 0);
  if (rl.rlim_cur != rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    BENCH_REQUIRE(setrlimit(RLIMIT_NOFILE, &rl) == 0);
  }
  return rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
}

/* The fixed pattern a message carries: byte i of message seq.  A message
 * that arrives damaged, duplicated or out of order fails its check. */
static inline unsigned char bench_pattern(uint64_t seq, size_t i) {
  return (unsigned char)((seq * 131u) ^ (i * 7u) ^ (seq >> 8));
}

/* Fills msg[0..len) for message seq: the number first (8 bytes, little
 * or big endian alike: it is only compared with itself), then the
 * pattern. */
static inline void bench_fill_msg(unsigned char* msg, size_t len,
                                  uint64_t seq) {
  size_t i;
  memcpy(msg, &seq, sizeof(seq));
  for (i = sizeof(seq); i < len; i++) msg[i] = bench_pattern(seq, i);
}

/* Whether msg[0..len) is message seq as bench_fill_msg wrote it. */
static inline int bench_check_msg(const unsigned char* msg, size_t len,
                                  uint64_t seq) {
  uint64_t got;
  size_t i;
  memcpy(&got, msg, sizeof(got));
  if (got != seq) return 0;
  for (i = sizeof(seq); i < len; i++)
    if (msg[i] != bench_pattern(seq, i)) return 0;
  return 1;
}

/* Resident memory of this process in bytes, from /proc/self/statm (never
 * from the library under test). */
static inline uint64_t bench_rss_bytes(void) {
  unsigned long long size = 0, resident = 0;
  FILE* f = fopen("/proc/self/statm", "r");
  BENCH_REQUIRE(f != NULL);
  BENCH_REQUIRE(fscanf(f, "%llu %llu", &size, &resident) == 2);
  fclose(f);
  return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* The children's environment: the program's, without LD_LIBRARY_PATH and
 * LD_PRELOAD.  eddy-run puts eddy's directory in LD_LIBRARY_PATH; passed
 * on, it would make every /bin/true of the eddy run probe that directory
 * for libc (some 20 failed system calls a process) and the libuv run not. */
static inline char** bench_child_env(void) {
  extern char** environ;
  size_t n = 0, k = 0, i;
  char** env;
  while (environ[n] != NULL) n++;
  env = bench_calloc(n + 1, sizeof(*env));
  for (i = 0; i < n; i++)
    if (strncmp(environ[i], "LD_LIBRARY_PATH=", 16) != 0 &&
        strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
      env[k++] = environ[i];
  env[k] = NULL;
  return env;
}

#endif /* EDDY_BENCH_COMMON_H */
