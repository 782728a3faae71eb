/* eddy tests — version queries (src/version.c).
 *
 * uv_version reports the libuv API level eddy implements (1.52.1), which
 * libuv programs compare against; eddy_version reports eddy's own release.
 * The literals below are the expected values, not the macros, so that a
 * wrong macro fails as well as a wrong function. */
#include "test-helpers.h"

#include <stdio.h>

#include "eddy.h"

static void uv_version_is_the_api_level(void** state) {
  (void)state;
  assert_int_equal(UV_VERSION_MAJOR, 1);
  assert_int_equal(UV_VERSION_MINOR, 52);
  assert_int_equal(UV_VERSION_PATCH, 1);
  assert_int_equal(uv_version(), 0x013401);
  assert_int_equal(uv_version(), UV_VERSION_HEX);
}

static void uv_version_string_is_the_api_level(void** state) {
  (void)state;
  assert_non_null(uv_version_string());
  assert_string_equal(uv_version_string(), "1.52.1");
}

/* The string and the number tell the same version, part by part. */
static void uv_version_string_matches_the_number(void** state) {
  unsigned int major, minor, patch;
  unsigned int v = uv_version();
  (void)state;
  assert_int_equal(sscanf(uv_version_string(), "%u.%u.%u", &major, &minor,
                          &patch),
                   3);
  assert_int_equal(major, (v >> 16) & 0xff);
  assert_int_equal(minor, (v >> 8) & 0xff);
  assert_int_equal(patch, v & 0xff);
}

/* A release has no suffix; a pre-release appends "-" and the suffix. */
static void uv_version_string_carries_the_suffix(void** state) {
  char want[64];
  (void)state;
  if (UV_VERSION_SUFFIX[0] == '\0')
    snprintf(want, sizeof(want), "%d.%d.%d", UV_VERSION_MAJOR,
             UV_VERSION_MINOR, UV_VERSION_PATCH);
  else
    snprintf(want, sizeof(want), "%d.%d.%d-%s", UV_VERSION_MAJOR,
             UV_VERSION_MINOR, UV_VERSION_PATCH, UV_VERSION_SUFFIX);
  assert_string_equal(uv_version_string(), want);
}

/* The pointer is to storage that lasts: the same text on every call. */
static void version_strings_are_stable(void** state) {
  (void)state;
  assert_ptr_equal(uv_version_string(), uv_version_string());
  assert_ptr_equal(eddy_version_string(), eddy_version_string());
}

static void eddy_version_is_eddys_own(void** state) {
  (void)state;
  assert_int_equal(EDDY_VERSION_MAJOR, 0);
  assert_int_equal(EDDY_VERSION_MINOR, 1);
  assert_int_equal(EDDY_VERSION_PATCH, 0);
  assert_int_equal(eddy_version(), 0x000100);
  assert_int_equal(eddy_version(), EDDY_VERSION_HEX);
  assert_non_null(eddy_version_string());
  assert_string_equal(eddy_version_string(), "0.1.0");
  assert_int_not_equal(eddy_version(), uv_version());
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(uv_version_is_the_api_level),
      cmocka_unit_test(uv_version_string_is_the_api_level),
      cmocka_unit_test(uv_version_string_matches_the_number),
      cmocka_unit_test(uv_version_string_carries_the_suffix),
      cmocka_unit_test(version_strings_are_stable),
      cmocka_unit_test(eddy_version_is_eddys_own),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
