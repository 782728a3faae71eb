/* eddy — the libuv API level this library implements.
 *
 * uv_version() and these macros report the libuv release whose public API
 * eddy provides (programs test them to enable features).  eddy's own
 * version is in <eddy.h>. */
#ifndef UV_VERSION_H
#define UV_VERSION_H

#define UV_VERSION_MAJOR 1
#define UV_VERSION_MINOR 52
#define UV_VERSION_PATCH 1
#define UV_VERSION_IS_RELEASE 1
#define UV_VERSION_SUFFIX ""

#define UV_VERSION_HEX                                                  \
  ((UV_VERSION_MAJOR << 16) | (UV_VERSION_MINOR << 8) | (UV_VERSION_PATCH))

#endif /* UV_VERSION_H */
