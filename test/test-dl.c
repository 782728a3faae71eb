/* eddy tests — shared libraries (src/dl.c).
 *
 * Symbols found through uv_dlsym are checked against dlopen/dlsym called
 * directly, and error messages against what dlerror() says for the same
 * failure.  The file also builds against the system's libuv
 *   gcc -std=gnu11 test/test-dl.c -Itest -lcmocka -luv -ldl
 * where the [eddy only] tests skip themselves: libuv crashes on NULL
 * arguments and reports "no error" when it cannot copy a message. */
#include "test-helpers.h"

#include <dlfcn.h>
#include <stdio.h>

#define MISSING_LIB "/nonexistent/eddy/libnothing.so"

/* What the dynamic linker itself says about a failure to open path. */
static void direct_open_error(const char* path, char* buf, size_t size) {
  const char* msg;
  void* h = dlopen(path, RTLD_LAZY);
  assert_null(h);
  msg = dlerror();
  assert_non_null(msg);
  snprintf(buf, size, "%s", msg);
}

static void* direct_symbol(const char* lib, const char* name) {
  void* h = dlopen(lib, RTLD_LAZY);
  void* sym;
  assert_non_null(h);
  sym = dlsym(h, name);
  assert_non_null(sym);
  dlclose(h);
  return sym;
}

static int teardown_allocator(void** state) {
  (void)state;
  test_alloc_restore();
  return 0;
}

static void dlopen_libc_and_find_strlen(void** state) {
  size_t (*fn)(const char*);
  uv_lib_t lib;
  void* sym = NULL;
  (void)state;

  assert_int_equal(uv_dlopen("libc.so.6", &lib), 0);
  assert_non_null(lib.handle);
  assert_string_equal(uv_dlerror(&lib), "no error");
  assert_int_equal(uv_dlsym(&lib, "strlen", &sym), 0);
  assert_ptr_equal(sym, direct_symbol("libc.so.6", "strlen"));
  fn = (size_t(*)(const char*))sym;
  assert_int_equal(fn("eddy"), 4);
  assert_string_equal(uv_dlerror(&lib), "no error");
  uv_dlclose(&lib);
  assert_null(lib.handle);
  assert_string_equal(uv_dlerror(&lib), "no error");
}

static void dlopen_libm_and_call_cos(void** state) {
  double (*fn)(double);
  uv_lib_t lib;
  void* sym = NULL;
  (void)state;

  assert_int_equal(uv_dlopen("libm.so.6", &lib), 0);
  assert_int_equal(uv_dlsym(&lib, "cos", &sym), 0);
  assert_ptr_equal(sym, direct_symbol("libm.so.6", "cos"));
  fn = (double (*)(double))sym;
  assert_true(fn(0.0) == 1.0);
  uv_dlclose(&lib);
}

/* A missing symbol: -1, NULL, and the linker's message.  The message stays
 * through later successful calls and goes with the next error or close. */
static void dlsym_missing_symbol(void** state) {
  uv_lib_t lib;
  void* sym = &sym;
  char first[512];
  (void)state;

  assert_int_equal(uv_dlopen("libm.so.6", &lib), 0);
  assert_int_equal(uv_dlsym(&lib, "eddy_no_such_symbol", &sym), -1);
  assert_null(sym);
  assert_non_null(strstr(uv_dlerror(&lib), "eddy_no_such_symbol"));
  assert_non_null(strstr(uv_dlerror(&lib), "undefined symbol"));
  snprintf(first, sizeof(first), "%s", uv_dlerror(&lib));

  assert_int_equal(uv_dlsym(&lib, "sin", &sym), 0);
  assert_non_null(sym);
  assert_string_equal(uv_dlerror(&lib), first);

  assert_int_equal(uv_dlsym(&lib, "eddy_other_symbol", &sym), -1);
  assert_non_null(strstr(uv_dlerror(&lib), "eddy_other_symbol"));
  assert_null(strstr(uv_dlerror(&lib), "eddy_no_such_symbol"));

  uv_dlclose(&lib);
  assert_string_equal(uv_dlerror(&lib), "no error");
}

static void dlopen_missing_library(void** state) {
  uv_lib_t lib;
  char want[512];
  (void)state;

  direct_open_error(MISSING_LIB, want, sizeof(want));
  assert_int_equal(uv_dlopen(MISSING_LIB, &lib), -1);
  assert_null(lib.handle);
  assert_string_equal(uv_dlerror(&lib), want);
  assert_non_null(strstr(uv_dlerror(&lib), MISSING_LIB));

  /* Closing a library that never opened only frees the message; closing
   * twice is harmless. */
  uv_dlclose(&lib);
  assert_null(lib.handle);
  assert_null(lib.errmsg);
  assert_string_equal(uv_dlerror(&lib), "no error");
  uv_dlclose(&lib);
}

static void dlopen_not_a_library(void** state) {
  uv_lib_t lib;
  char want[512];
  (void)state;
  direct_open_error("/etc/passwd", want, sizeof(want));
  assert_int_equal(uv_dlopen("/etc/passwd", &lib), -1);
  assert_string_equal(uv_dlerror(&lib), want);
  uv_dlclose(&lib);
}

/* NULL opens the program itself, which sees libc's symbols. */
static void dlopen_null_is_the_program(void** state) {
  uv_lib_t lib;
  void* sym = NULL;
  (void)state;
  assert_int_equal(uv_dlopen(NULL, &lib), 0);
  assert_non_null(lib.handle);
  assert_int_equal(uv_dlsym(&lib, "strlen", &sym), 0);
  assert_non_null(sym);
  uv_dlclose(&lib);
}

/* Every message is the library's allocation, freed by the next error and
 * by uv_dlclose. */
static void messages_are_freed(void** state) {
  uv_lib_t lib;
  void* sym;
  (void)state;

  test_alloc_install(0);
  assert_int_equal(uv_dlopen(MISSING_LIB, &lib), -1);
  assert_int_equal(test_alloc.live, 1);
  uv_dlclose(&lib);
  assert_int_equal(test_alloc.live, 0);

  assert_int_equal(uv_dlopen("libm.so.6", &lib), 0);
  assert_int_equal(test_alloc.live, 0);
  assert_int_equal(uv_dlsym(&lib, "eddy_no_such_symbol", &sym), -1);
  assert_int_equal(uv_dlsym(&lib, "eddy_other_symbol", &sym), -1);
  assert_int_equal(test_alloc.live, 1);
  uv_dlclose(&lib);
  assert_int_equal(test_alloc.live, 0);
  test_alloc_restore();
}

/* With no memory for the message, the failure is still reported, and
 * uv_dlerror says why there is no better message. */
static void message_allocation_failure(void** state) {
  uv_lib_t lib;
  void* sym;
  (void)state;
  EDDY_ONLY();

  test_alloc_install(1);
  assert_int_equal(uv_dlopen(MISSING_LIB, &lib), -1);
  assert_string_equal(uv_dlerror(&lib), "out of memory");
  uv_dlclose(&lib);
  assert_string_equal(uv_dlerror(&lib), "no error");
  assert_int_equal(test_alloc.live, 0);

  assert_int_equal(uv_dlopen("libm.so.6", &lib), 0);
  test_alloc_install(1);
  assert_int_equal(uv_dlsym(&lib, "eddy_no_such_symbol", &sym), -1);
  assert_string_equal(uv_dlerror(&lib), "out of memory");
  /* The next error replaces the placeholder without freeing it. */
  assert_int_equal(uv_dlsym(&lib, "eddy_other_symbol", &sym), -1);
  assert_non_null(strstr(uv_dlerror(&lib), "eddy_other_symbol"));
  uv_dlclose(&lib);
  assert_int_equal(test_alloc.live, 0);
  test_alloc_restore();
}

static void null_arguments(void** state) {
  uv_lib_t lib;
  void* sym;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_dlopen("libm.so.6", NULL), UV_EINVAL);
  assert_int_equal(uv_dlopen("libm.so.6", &lib), 0);
  assert_int_equal(uv_dlsym(NULL, "cos", &sym), UV_EINVAL);
  assert_int_equal(uv_dlsym(&lib, NULL, &sym), UV_EINVAL);
  assert_int_equal(uv_dlsym(&lib, "cos", NULL), UV_EINVAL);
  assert_string_equal(uv_dlerror(&lib), "no error");
  uv_dlclose(&lib);
  uv_dlclose(NULL);
  assert_string_equal(uv_dlerror(NULL), "no error");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dlopen_libc_and_find_strlen),
      cmocka_unit_test(dlopen_libm_and_call_cos),
      cmocka_unit_test(dlsym_missing_symbol),
      cmocka_unit_test(dlopen_missing_library),
      cmocka_unit_test(dlopen_not_a_library),
      cmocka_unit_test(dlopen_null_is_the_program),
      cmocka_unit_test_teardown(messages_are_freed, teardown_allocator),
      cmocka_unit_test_teardown(message_allocation_failure, teardown_allocator),
      cmocka_unit_test(null_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
