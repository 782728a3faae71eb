/* eddy — version queries: uv_version and uv_version_string report the
 * libuv API level eddy implements (include/uv/version.h), which programs
 * test to enable features; eddy_version and eddy_version_string report
 * eddy's own release (include/eddy.h). */
#include "internal.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#define UV_VERSION_BASE                                                     \
  STRINGIFY(UV_VERSION_MAJOR) "." STRINGIFY(UV_VERSION_MINOR) "."           \
  STRINGIFY(UV_VERSION_PATCH)

#define EDDY_VERSION_BASE                                                   \
  STRINGIFY(EDDY_VERSION_MAJOR) "." STRINGIFY(EDDY_VERSION_MINOR) "."       \
  STRINGIFY(EDDY_VERSION_PATCH)

/* The hex forms pack each part into 8 bits. */
_Static_assert(UV_VERSION_MINOR < 256 && UV_VERSION_PATCH < 256,
               "UV_VERSION_* does not fit UV_VERSION_HEX");
_Static_assert(EDDY_VERSION_MINOR < 256 && EDDY_VERSION_PATCH < 256,
               "EDDY_VERSION_* does not fit EDDY_VERSION_HEX");

UV__EXPORT unsigned int uv_version(void) {
  return UV_VERSION_HEX;
}

/* The preprocessor cannot test whether a string literal is empty, so the
 * choice between the two literals is made by sizeof, still at compile
 * time. */
UV__EXPORT const char* uv_version_string(void) {
  return sizeof(UV_VERSION_SUFFIX) > 1
             ? UV_VERSION_BASE "-" UV_VERSION_SUFFIX
             : UV_VERSION_BASE;
}

UV__EXPORT unsigned int eddy_version(void) {
  return EDDY_VERSION_HEX;
}

UV__EXPORT const char* eddy_version_string(void) {
  return EDDY_VERSION_BASE;
}
