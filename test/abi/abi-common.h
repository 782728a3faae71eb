/* eddy ABI programs — what they share.
 *
 * The programs in test/abi/ are ordinary libuv programs: compiled against
 * the system's libuv headers, linked against the system's libuv.so, and run
 * through eddy-run so that they load eddy as libuv.so.1.  A check that fails
 * prints what failed and where and the program goes on, so one run shows
 * every failure; abi_finish() turns the count into the exit status.
 *
 * The build passes EDDY_ABI_BUILD_DIR (eddy's build tree),
 * EDDY_ABI_SYSTEM_LIBUV (the real path of the system's libuv shared object)
 * and EDDY_ABI_UV_VERSION_{MAJOR,MINOR,PATCH} (the version in the system's
 * uv/version.h). */
#ifndef EDDY_ABI_COMMON_H
#define EDDY_ABI_COMMON_H

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#if defined(EDDY_ABI_UV_VERSION_MAJOR) &&             \
    (UV_VERSION_MAJOR != EDDY_ABI_UV_VERSION_MAJOR || \
     UV_VERSION_MINOR != EDDY_ABI_UV_VERSION_MINOR || \
     UV_VERSION_PATCH != EDDY_ABI_UV_VERSION_PATCH)
#error "ABI programs must be compiled against the system's libuv headers"
#endif

#ifndef EDDY_ABI_BUILD_DIR
#error "EDDY_ABI_BUILD_DIR must name eddy's build directory"
#endif
#ifndef EDDY_ABI_SYSTEM_LIBUV
#define EDDY_ABI_SYSTEM_LIBUV "/usr/lib/x86_64-linux-gnu/libuv.so.1"
#endif

static int abi_failures;

static void abi_fail(const char* file, int line, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void abi_fail(const char* file, int line, const char* fmt, ...) {
  va_list ap;
  fprintf(stderr, "FAIL %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abi_failures++;
}

#define ABI_CHECK(cond)                                     \
  do {                                                      \
    if (!(cond)) abi_fail(__FILE__, __LINE__, "%s", #cond); \
  } while (0)

#define ABI_CHECK_INT_EQ(a, b)                                               \
  do {                                                                       \
    long long abi_a_ = (long long)(a);                                       \
    long long abi_b_ = (long long)(b);                                       \
    if (abi_a_ != abi_b_)                                                    \
      abi_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, abi_a_, \
               abi_b_);                                                      \
  } while (0)

static const char* abi_basename(const char* path) {
  const char* slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

/* path is dir or lies below it. */
static int abi_path_under(const char* path, const char* dir) {
  size_t n = strlen(dir);
  if (n == 0) return 0;
  if (dir[n - 1] == '/') n--;
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Checks that this process runs on eddy rather than on the system's libuv:
 * eddy's own symbols are there, libeddy (or the build tree's libuv.so.1) is
 * mapped, and no other libuv.so is. */
static void abi_check_running_on_eddy(void) {
  static const char debian_libuv[] = "/usr/lib/x86_64-linux-gnu/libuv.so.1";
  char build_dir[PATH_MAX];
  char debian_real[PATH_MAX];
  char line[PATH_MAX + 256];
  char reported[PATH_MAX] = "";
  const char* (*eddy_version_fn)(void);
  void* sym;
  FILE* maps;
  int eddy_mapped = 0;

  sym = dlsym(RTLD_DEFAULT, "eddy_version_string");
  if (sym == NULL) {
    abi_fail(__FILE__, __LINE__,
             "dlsym(RTLD_DEFAULT, \"eddy_version_string\") found nothing: "
             "not running on eddy");
  } else {
    eddy_version_fn = (const char* (*)(void))sym;
    printf("eddy %s\n", eddy_version_fn());
  }

  if (realpath(EDDY_ABI_BUILD_DIR, build_dir) == NULL) {
    snprintf(build_dir, sizeof(build_dir), "%s", EDDY_ABI_BUILD_DIR);
  }
  if (realpath(debian_libuv, debian_real) == NULL) debian_real[0] = '\0';

  maps = fopen("/proc/self/maps", "r");
  if (maps == NULL) {
    abi_fail(__FILE__, __LINE__, "cannot open /proc/self/maps");
    return;
  }
  while (fgets(line, sizeof(line), maps) != NULL) {
    char* path = strchr(line, '/');
    const char* base;
    size_t len;
    if (path == NULL) continue; /* anonymous mapping, [heap], [stack] ... */
    len = strlen(path);
    if (len > 0 && path[len - 1] == '\n') path[--len] = '\0';
    base = abi_basename(path);
    /* A library has several mappings (text, data, ...): one report each. */
    if (strcmp(path, reported) == 0) continue;

    if (strncmp(base, "libeddy.so", 10) == 0 ||
        (strcmp(base, "libuv.so.1") == 0 && abi_path_under(path, build_dir))) {
      if (!eddy_mapped) printf("eddy mapped from %s\n", path);
      eddy_mapped = 1;
      snprintf(reported, sizeof(reported), "%s", path);
    } else if (strcmp(path, debian_libuv) == 0 ||
               (debian_real[0] != '\0' && strcmp(path, debian_real) == 0) ||
               strcmp(path, EDDY_ABI_SYSTEM_LIBUV) == 0) {
      abi_fail(__FILE__, __LINE__, "the system's libuv is mapped: %s", path);
      snprintf(reported, sizeof(reported), "%s", path);
    } else if (strncmp(base, "libuv.so", 8) == 0 &&
               !abi_path_under(path, build_dir)) {
      abi_fail(__FILE__, __LINE__, "a libuv other than eddy is mapped: %s",
               path);
      snprintf(reported, sizeof(reported), "%s", path);
    }
  }
  fclose(maps);
  if (!eddy_mapped) {
    abi_fail(__FILE__, __LINE__,
             "neither libeddy.so* nor %s/compat/libuv.so.1 is mapped",
             EDDY_ABI_BUILD_DIR);
  }
}

/* The exit status for main(): 0 when every check passed. */
static int abi_finish(const char* name) {
  if (abi_failures == 0) {
    printf("%s: ok\n", name);
    return 0;
  }
  fprintf(stderr, "%s: %d check(s) failed\n", name, abi_failures);
  return 1;
}

#endif /* EDDY_ABI_COMMON_H */
