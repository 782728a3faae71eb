/* eddy tests — error names and messages (src/errors.c).
 *
 * The expected names and messages are written out here rather than taken
 * from UV_ERRNO_MAP, so that a wrong entry in the header fails too.  They
 * were checked against libuv 1.44.2's uv_err_name and uv_strerror at run
 * time; ENODATA, EUNATCH and ENOEXEC, which 1.44 does not know, against
 * the UV_ERRNO_MAP of libuv 1.52. */
#include "test-helpers.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>

struct expected_error {
  int code;
  const char* name;
  const char* message;
};

static const struct expected_error expected[] = {
    {UV_E2BIG, "E2BIG", "argument list too long"},
    {UV_EACCES, "EACCES", "permission denied"},
    {UV_EADDRINUSE, "EADDRINUSE", "address already in use"},
    {UV_EADDRNOTAVAIL, "EADDRNOTAVAIL", "address not available"},
    {UV_EAFNOSUPPORT, "EAFNOSUPPORT", "address family not supported"},
    {UV_EAGAIN, "EAGAIN", "resource temporarily unavailable"},
    {UV_EAI_ADDRFAMILY, "EAI_ADDRFAMILY", "address family not supported"},
    {UV_EAI_AGAIN, "EAI_AGAIN", "temporary failure"},
    {UV_EAI_BADFLAGS, "EAI_BADFLAGS", "bad ai_flags value"},
    {UV_EAI_BADHINTS, "EAI_BADHINTS", "invalid value for hints"},
    {UV_EAI_CANCELED, "EAI_CANCELED", "request canceled"},
    {UV_EAI_FAIL, "EAI_FAIL", "permanent failure"},
    {UV_EAI_FAMILY, "EAI_FAMILY", "ai_family not supported"},
    {UV_EAI_MEMORY, "EAI_MEMORY", "out of memory"},
    {UV_EAI_NODATA, "EAI_NODATA", "no address"},
    {UV_EAI_NONAME, "EAI_NONAME", "unknown node or service"},
    {UV_EAI_OVERFLOW, "EAI_OVERFLOW", "argument buffer overflow"},
    {UV_EAI_PROTOCOL, "EAI_PROTOCOL", "resolved protocol is unknown"},
    {UV_EAI_SERVICE, "EAI_SERVICE", "service not available for socket type"},
    {UV_EAI_SOCKTYPE, "EAI_SOCKTYPE", "socket type not supported"},
    {UV_EALREADY, "EALREADY", "connection already in progress"},
    {UV_EBADF, "EBADF", "bad file descriptor"},
    {UV_EBUSY, "EBUSY", "resource busy or locked"},
    {UV_ECANCELED, "ECANCELED", "operation canceled"},
    {UV_ECHARSET, "ECHARSET", "invalid Unicode character"},
    {UV_ECONNABORTED, "ECONNABORTED", "software caused connection abort"},
    {UV_ECONNREFUSED, "ECONNREFUSED", "connection refused"},
    {UV_ECONNRESET, "ECONNRESET", "connection reset by peer"},
    {UV_EDESTADDRREQ, "EDESTADDRREQ", "destination address required"},
    {UV_EEXIST, "EEXIST", "file already exists"},
    {UV_EFAULT, "EFAULT", "bad address in system call argument"},
    {UV_EFBIG, "EFBIG", "file too large"},
    {UV_EHOSTUNREACH, "EHOSTUNREACH", "host is unreachable"},
    {UV_EINTR, "EINTR", "interrupted system call"},
    {UV_EINVAL, "EINVAL", "invalid argument"},
    {UV_EIO, "EIO", "i/o error"},
    {UV_EISCONN, "EISCONN", "socket is already connected"},
    {UV_EISDIR, "EISDIR", "illegal operation on a directory"},
    {UV_ELOOP, "ELOOP", "too many symbolic links encountered"},
    {UV_EMFILE, "EMFILE", "too many open files"},
    {UV_EMSGSIZE, "EMSGSIZE", "message too long"},
    {UV_ENAMETOOLONG, "ENAMETOOLONG", "name too long"},
    {UV_ENETDOWN, "ENETDOWN", "network is down"},
    {UV_ENETUNREACH, "ENETUNREACH", "network is unreachable"},
    {UV_ENFILE, "ENFILE", "file table overflow"},
    {UV_ENOBUFS, "ENOBUFS", "no buffer space available"},
    {UV_ENODEV, "ENODEV", "no such device"},
    {UV_ENOENT, "ENOENT", "no such file or directory"},
    {UV_ENOMEM, "ENOMEM", "not enough memory"},
    {UV_ENONET, "ENONET", "machine is not on the network"},
    {UV_ENOPROTOOPT, "ENOPROTOOPT", "protocol not available"},
    {UV_ENOSPC, "ENOSPC", "no space left on device"},
    {UV_ENOSYS, "ENOSYS", "function not implemented"},
    {UV_ENOTCONN, "ENOTCONN", "socket is not connected"},
    {UV_ENOTDIR, "ENOTDIR", "not a directory"},
    {UV_ENOTEMPTY, "ENOTEMPTY", "directory not empty"},
    {UV_ENOTSOCK, "ENOTSOCK", "socket operation on non-socket"},
    {UV_ENOTSUP, "ENOTSUP", "operation not supported on socket"},
    {UV_EOVERFLOW, "EOVERFLOW", "value too large for defined data type"},
    {UV_EPERM, "EPERM", "operation not permitted"},
    {UV_EPIPE, "EPIPE", "broken pipe"},
    {UV_EPROTO, "EPROTO", "protocol error"},
    {UV_EPROTONOSUPPORT, "EPROTONOSUPPORT", "protocol not supported"},
    {UV_EPROTOTYPE, "EPROTOTYPE", "protocol wrong type for socket"},
    {UV_ERANGE, "ERANGE", "result too large"},
    {UV_EROFS, "EROFS", "read-only file system"},
    {UV_ESHUTDOWN, "ESHUTDOWN",
     "cannot send after transport endpoint shutdown"},
    {UV_ESPIPE, "ESPIPE", "invalid seek"},
    {UV_ESRCH, "ESRCH", "no such process"},
    {UV_ETIMEDOUT, "ETIMEDOUT", "connection timed out"},
    {UV_ETXTBSY, "ETXTBSY", "text file is busy"},
    {UV_EXDEV, "EXDEV", "cross-device link not permitted"},
    {UV_UNKNOWN, "UNKNOWN", "unknown error"},
    {UV_EOF, "EOF", "end of file"},
    {UV_ENXIO, "ENXIO", "no such device or address"},
    {UV_EMLINK, "EMLINK", "too many links"},
    {UV_EHOSTDOWN, "EHOSTDOWN", "host is down"},
    {UV_EREMOTEIO, "EREMOTEIO", "remote I/O error"},
    {UV_ENOTTY, "ENOTTY", "inappropriate ioctl for device"},
    {UV_EFTYPE, "EFTYPE", "inappropriate file type or format"},
    {UV_EILSEQ, "EILSEQ", "illegal byte sequence"},
    {UV_ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT", "socket type not supported"},
    {UV_ENODATA, "ENODATA", "no data available"},
    {UV_EUNATCH, "EUNATCH", "protocol driver not attached"},
    {UV_ENOEXEC, "ENOEXEC", "exec format error"},
};

/* Codes that are in no table: unused errno values, gaps between libuv's
 * own ranges, positive numbers, zero, the extremes. */
static const int unknown_codes[] = {0,     1,     22,    -1000, -3012,
                                    -4000, -4096, 12345, INT_MAX, INT_MIN};

static void expect_unknown_text(const char* got, int code) {
  char want[64];
  snprintf(want, sizeof(want), "Unknown system error %d", code);
  assert_non_null(got);
  assert_string_equal(got, want);
}

/* ---- known codes --------------------------------------------------------- */

static void every_code_has_libuvs_name_and_message(void** state) {
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(expected); i++) {
    const char* name = uv_err_name(expected[i].code);
    const char* msg = uv_strerror(expected[i].code);
    assert_non_null(name);
    assert_non_null(msg);
    assert_true(name[0] != '\0');
    assert_true(msg[0] != '\0');
    assert_string_equal(name, expected[i].name);
    assert_string_equal(msg, expected[i].message);
  }
}

static void r_forms_give_the_same_text(void** state) {
  char buf[128];
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(expected); i++) {
    memset(buf, 'X', sizeof(buf));
    assert_ptr_equal(uv_err_name_r(expected[i].code, buf, sizeof(buf)), buf);
    assert_string_equal(buf, expected[i].name);
    memset(buf, 'X', sizeof(buf));
    assert_ptr_equal(uv_strerror_r(expected[i].code, buf, sizeof(buf)), buf);
    assert_string_equal(buf, expected[i].message);
  }
}

/* The expected table and UV_ERRNO_MAP list the same codes, each once, in
 * the same order: a code added to the header without a test entry (or a
 * code whose value collides with another) fails here. */
static void table_covers_the_header_map(void** state) {
  static const int from_map[] = {
#define CODE(name, msg) UV_##name,
      UV_ERRNO_MAP(CODE)
#undef CODE
  };
  static const char* const names_from_map[] = {
#define NAME(name, msg) #name,
      UV_ERRNO_MAP(NAME)
#undef NAME
  };
  size_t i, j;
  (void)state;
  assert_int_equal(ARRAY_LEN(from_map), ARRAY_LEN(expected));
  for (i = 0; i < ARRAY_LEN(from_map); i++) {
    assert_int_equal(from_map[i], expected[i].code);
    assert_string_equal(names_from_map[i], expected[i].name);
    assert_true(from_map[i] < 0);
    assert_true(from_map[i] > UV_ERRNO_MAX);
    for (j = 0; j < i; j++) assert_int_not_equal(from_map[i], from_map[j]);
  }
}

/* ---- unknown codes ------------------------------------------------------- */

static void unknown_codes_are_described_by_number(void** state) {
  char buf[64];
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(unknown_codes); i++) {
    int code = unknown_codes[i];
    expect_unknown_text(uv_strerror(code), code);
    expect_unknown_text(uv_err_name(code), code);
    memset(buf, 'X', sizeof(buf));
    assert_ptr_equal(uv_strerror_r(code, buf, sizeof(buf)), buf);
    expect_unknown_text(buf, code);
    memset(buf, 'X', sizeof(buf));
    assert_ptr_equal(uv_err_name_r(code, buf, sizeof(buf)), buf);
    expect_unknown_text(buf, code);
  }
}

/* libuv returns a fresh string per call for unknown codes (and leaks it);
 * eddy's buffers must still let a few results be used side by side. */
static void several_unknown_results_stay_valid(void** state) {
  const char* a;
  const char* b;
  const char* c;
  const char* d;
  (void)state;
  a = uv_strerror(-1001);
  b = uv_err_name(-1002);
  c = uv_strerror(-1003);
  d = uv_err_name(-1004);
  expect_unknown_text(a, -1001);
  expect_unknown_text(b, -1002);
  expect_unknown_text(c, -1003);
  expect_unknown_text(d, -1004);
}

/* Many calls must neither grow memory (the sanitizer build checks for
 * leaks) nor corrupt a known code's answer. */
static void many_unknown_calls_are_harmless(void** state) {
  int i;
  (void)state;
  for (i = 0; i < 100000; i++) {
    const char* s = uv_strerror(-5000 - (i % 97));
    assert_true(strncmp(s, "Unknown system error -", 22) == 0);
    (void)uv_err_name(-6000 - i);
  }
  assert_string_equal(uv_strerror(UV_EOF), "end of file");
  assert_string_equal(uv_err_name(UV_EOF), "EOF");
}

static void* other_thread_unknowns(void* arg) {
  int i;
  (void)arg;
  for (i = 0; i < 64; i++) {
    expect_unknown_text(uv_strerror(-7000 - i), -7000 - i);
    expect_unknown_text(uv_err_name(-8000 - i), -8000 - i);
  }
  return NULL;
}

/* Another thread's calls never overwrite this thread's result. */
static void unknown_results_are_per_thread(void** state) {
  pthread_t t;
  const char* mine;
  const char* mine_name;
  (void)state;
  mine = uv_strerror(-4321);
  mine_name = uv_err_name(-4322);
  assert_int_equal(pthread_create(&t, NULL, other_thread_unknowns, NULL), 0);
  assert_int_equal(pthread_join(t, NULL), 0);
  expect_unknown_text(mine, -4321);
  expect_unknown_text(mine_name, -4322);
}

/* ---- _r buffers ---------------------------------------------------------- */

static void r_forms_truncate_and_terminate(void** state) {
  char buf[16];
  (void)state;

  memset(buf, 'X', sizeof(buf));
  assert_ptr_equal(uv_err_name_r(UV_EINVAL, buf, 1), buf);
  assert_int_equal(buf[0], '\0');
  assert_int_equal(buf[1], 'X');

  memset(buf, 'X', sizeof(buf));
  assert_ptr_equal(uv_strerror_r(UV_EINVAL, buf, 1), buf);
  assert_int_equal(buf[0], '\0');
  assert_int_equal(buf[1], 'X');

  memset(buf, 'X', sizeof(buf));
  assert_ptr_equal(uv_err_name_r(UV_EINVAL, buf, 5), buf);
  assert_string_equal(buf, "EINV");
  assert_int_equal(buf[5], 'X');

  memset(buf, 'X', sizeof(buf));
  assert_ptr_equal(uv_strerror_r(UV_EINVAL, buf, 5), buf);
  assert_string_equal(buf, "inva");
  assert_int_equal(buf[5], 'X');

  memset(buf, 'X', sizeof(buf));
  assert_ptr_equal(uv_err_name_r(-1000, buf, 5), buf);
  assert_string_equal(buf, "Unkn");
  assert_int_equal(buf[5], 'X');

  memset(buf, 'X', sizeof(buf));
  assert_ptr_equal(uv_strerror_r(-1000, buf, 1), buf);
  assert_int_equal(buf[0], '\0');
  assert_int_equal(buf[1], 'X');
}

/* Exactly enough room, and one byte short of it. */
static void r_forms_at_the_boundary(void** state) {
  char buf[16];
  (void)state;

  memset(buf, 'X', sizeof(buf));
  uv_err_name_r(UV_EOF, buf, sizeof("EOF"));
  assert_string_equal(buf, "EOF");
  assert_int_equal(buf[4], 'X');

  memset(buf, 'X', sizeof(buf));
  uv_err_name_r(UV_EOF, buf, sizeof("EOF") - 1);
  assert_string_equal(buf, "EO");
  assert_int_equal(buf[3], 'X');
}

static void r_forms_leave_a_zero_length_buffer_alone(void** state) {
  char buf[8];
  size_t i;
  (void)state;
  memset(buf, 'X', sizeof(buf));
  assert_ptr_equal(uv_strerror_r(UV_EINVAL, buf, 0), buf);
  assert_ptr_equal(uv_err_name_r(UV_EINVAL, buf, 0), buf);
  assert_ptr_equal(uv_strerror_r(-1000, buf, 0), buf);
  assert_ptr_equal(uv_err_name_r(-1000, buf, 0), buf);
  for (i = 0; i < sizeof(buf); i++) assert_int_equal(buf[i], 'X');
}

static void r_forms_with_a_null_buffer_return_null(void** state) {
  (void)state;
  assert_null(uv_strerror_r(UV_EINVAL, NULL, 16));
  assert_null(uv_err_name_r(UV_EINVAL, NULL, 16));
  assert_null(uv_strerror_r(-1000, NULL, 16));
  assert_null(uv_err_name_r(-1000, NULL, 16));
  assert_null(uv_strerror_r(UV_EINVAL, NULL, 0));
}

/* ---- uv_translate_sys_error ---------------------------------------------- */

static void translate_negates_errno(void** state) {
  (void)state;
  assert_int_equal(uv_translate_sys_error(EINVAL), UV_EINVAL);
  assert_int_equal(uv_translate_sys_error(ENOENT), UV_ENOENT);
  assert_int_equal(uv_translate_sys_error(EAGAIN), UV_EAGAIN);
  assert_int_equal(uv_translate_sys_error(EPIPE), UV_EPIPE);
  assert_int_equal(uv_translate_sys_error(5000), -5000);
  assert_int_equal(uv_translate_sys_error(INT_MAX), -INT_MAX);
}

static void translate_passes_codes_through(void** state) {
  (void)state;
  assert_int_equal(uv_translate_sys_error(0), 0);
  assert_int_equal(uv_translate_sys_error(UV_EINVAL), UV_EINVAL);
  assert_int_equal(uv_translate_sys_error(UV_EOF), UV_EOF);
  assert_int_equal(uv_translate_sys_error(UV_EAI_NONAME), UV_EAI_NONAME);
  assert_int_equal(uv_translate_sys_error(-1), -1);
  assert_int_equal(uv_translate_sys_error(INT_MIN), INT_MIN);
}

/* Every code, negated back into an errno-like number, translates to itself;
 * a code given as is passes through. */
static void translate_round_trips_every_code(void** state) {
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(expected); i++) {
    int code = expected[i].code;
    assert_int_equal(uv_translate_sys_error(-code), code);
    assert_int_equal(uv_translate_sys_error(code), code);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_code_has_libuvs_name_and_message),
      cmocka_unit_test(r_forms_give_the_same_text),
      cmocka_unit_test(table_covers_the_header_map),
      cmocka_unit_test(unknown_codes_are_described_by_number),
      cmocka_unit_test(several_unknown_results_stay_valid),
      cmocka_unit_test(many_unknown_calls_are_harmless),
      cmocka_unit_test(unknown_results_are_per_thread),
      cmocka_unit_test(r_forms_truncate_and_terminate),
      cmocka_unit_test(r_forms_at_the_boundary),
      cmocka_unit_test(r_forms_leave_a_zero_length_buffer_alone),
      cmocka_unit_test(r_forms_with_a_null_buffer_return_null),
      cmocka_unit_test(translate_negates_errno),
      cmocka_unit_test(translate_passes_codes_through),
      cmocka_unit_test(translate_round_trips_every_code),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
