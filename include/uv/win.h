/* eddy — Windows platform types.
 *
 * The Windows implementation (IOCP) is not written yet; see src/win/README.
 * This header exists so that the layout of include/ matches what libuv
 * programs expect, and fails loudly rather than silently building a
 * half-defined API. */
#ifndef UV_WIN_H
#define UV_WIN_H

#error "eddy does not support Windows yet (src/win/ holds the plan)"

#endif /* UV_WIN_H */
