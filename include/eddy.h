/* eddy — extensions beyond the libuv API.
 *
 * Everything here is eddy's own and carries the eddy_ prefix; <uv.h> holds
 * only what libuv programs expect.  Including this header also includes
 * <uv.h>. */
#ifndef EDDY_H
#define EDDY_H

#include "uv.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EDDY_VERSION_MAJOR 0
#define EDDY_VERSION_MINOR 1
#define EDDY_VERSION_PATCH 0
#define EDDY_VERSION_HEX                                                \
  ((EDDY_VERSION_MAJOR << 16) | (EDDY_VERSION_MINOR << 8) | EDDY_VERSION_PATCH)

/* eddy's own version, e.g. "0.1.0" (uv_version_string() gives the libuv
 * API level instead). */
UV_EXTERN const char* eddy_version_string(void);
UV_EXTERN unsigned int eddy_version(void);

/* The name of the poller backend the loop runs on: "epoll", "io_uring",
 * "kqueue".  NULL loop: the default loop. */
UV_EXTERN const char* eddy_loop_backend_name(const uv_loop_t* loop);

#ifdef __cplusplus
}
#endif

#endif /* EDDY_H */
