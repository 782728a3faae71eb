/* eddy — file-system requests on the loop's io_uring (src/unix/uring.c).
 *
 * fs.c offers each asynchronous request to the ring first; what the ring
 * does not take goes to the thread pool.  The loop flushes the ring's
 * submissions once per iteration, before it blocks, and reaps completions
 * in the poll phase through an I/O watcher on the ring's descriptor. */
#ifndef EDDY_URING_H
#define EDDY_URING_H

#include "internal.h"

/* Starts an asynchronous request on the ring (0), or says it is not for
 * the ring (UV_ENOSYS: no ring, io_uring off, a call the ring does not do
 * as well, or the ring full): the caller then uses the pool. */
int uv__uring_fs_start(uv_fs_t* req);
/* Hands the kernel what was prepared since the last flush, in one system
 * call.  Nonzero when something is left unsubmitted: the loop must not
 * block then. */
int uv__uring_flush(uv_loop_t* loop);
/* Whether requests wait to be submitted (uv_backend_timeout). */
int uv__uring_unflushed(const uv_loop_t* loop);
/* The ring's descriptor became readable: run the finished requests. */
void uv__uring_io(uv_loop_t* loop, unsigned int events);
void uv__uring_loop_close(uv_loop_t* loop);
/* The child of a fork must not share its parent's ring: forget it (a new
 * one is made on the child's first request). */
void uv__uring_fork(uv_loop_t* loop);

#endif /* EDDY_URING_H */
