/* eddy benchmarks — what the libuv programs (bench-*.c) share.
 *
 * They use only <uv.h>.  The build compiles them once, against the
 * system's libuv headers when there are any, and the same binary runs on
 * libuv and on eddy (eddy-run puts eddy's libuv.so.1 first).  So that a
 * run on the wrong library cannot pass unnoticed, each program names on
 * stderr the library it actually got:
 *   LIBRARY kind=uv uv_version=<uv_version_string()> eddy=<eddy's version
 *           or none> path=<the shared object that defines uv_run>
 * and tools/bench.sh checks it against the variant it meant to run. */
#ifndef EDDY_BENCH_UV_H
#define EDDY_BENCH_UV_H

/* dladdr, CLOCK_MONOTONIC_COARSE: the build defines it too. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dlfcn.h>

#include <uv.h>

#include "bench-common.h"

#if defined(EDDY_BENCH_UV_VERSION_MAJOR) &&             \
    (UV_VERSION_MAJOR != EDDY_BENCH_UV_VERSION_MAJOR || \
     UV_VERSION_MINOR != EDDY_BENCH_UV_VERSION_MINOR || \
     UV_VERSION_PATCH != EDDY_BENCH_UV_VERSION_PATCH)
#error "the benchmarks must be compiled against the system's libuv headers"
#endif

static inline void bench_identify(void) {
  const char* (*eddy_version)(void);
  const char* path = "?";
  Dl_info info;
  void* sym;

  /* dlsym returns void*; going through memcpy avoids ISO C's objection to
   * converting it to a function pointer. */
  sym = dlsym(RTLD_DEFAULT, "eddy_version_string");
  memcpy(&eddy_version, &sym, sizeof(sym));
  if (dladdr((void*)(uintptr_t)&uv_run, &info) != 0 && info.dli_fname != NULL)
    path = info.dli_fname;
  fprintf(stderr, "LIBRARY kind=uv uv_version=%s eddy=%s path=%s\n",
          uv_version_string(), sym != NULL ? eddy_version() : "none", path);
}

/* A uv_* call that must succeed. */
#define BENCH_UV(call)                                                    \
  do {                                                                    \
    int bench_err_ = (call);                                              \
    if (bench_err_ != 0) {                                                \
      fprintf(stderr, "FATAL %s:%d: %s: %s\n", __FILE__, __LINE__, #call, \
              uv_strerror(bench_err_));                                   \
      exit(1);                                                            \
    }                                                                     \
  } while (0)

/* Closes every handle still on the loop and closes the loop; a loop that
 * does not close cleanly is a failed check. */
static inline void bench_close_walk_cb(uv_handle_t* handle, void* arg) {
  (void)arg;
  if (!uv_is_closing(handle)) uv_close(handle, NULL);
}

static inline void bench_loop_close(uv_loop_t* loop) {
  uv_walk(loop, bench_close_walk_cb, NULL);
  BENCH_CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
  BENCH_CHECK(uv_loop_close(loop) == 0);
}

/* Waits (untimed) until the loop's own clock reaches at least `until`
 * (milliseconds, uv_now's scale), so that every timer due by then is due
 * when uv_run next looks. */
static inline void bench_wait_loop_time(uv_loop_t* loop, uint64_t until) {
  for (;;) {
    uv_update_time(loop);
    if (uv_now(loop) >= until) return;
    bench_sleep_ms((unsigned)(until - uv_now(loop)));
  }
}

#endif /* EDDY_BENCH_UV_H */
