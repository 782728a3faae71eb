/* eddy — what the file-system files share (src/unix/fs*.c).
 *
 * fs.c turns each uv_fs_* call into a request and runs it; the calls that
 * take more than one system call live beside it, by subject.  Each returns
 * its result (a count, a descriptor, 0) or a negative UV_E* code, retries
 * what a signal interrupted, and leaves nothing allocated when it fails. */
#ifndef EDDY_FS_INTERNAL_H
#define EDDY_FS_INTERNAL_H

#include "internal.h"

#include <sys/stat.h>
#include <sys/types.h>

/* ---- fs-io.c: moving data ------------------------------------------------ */

/* Vectored read and write at off, or at the file position when off < 0.
 * Any number of buffers (more than IOV_MAX take several calls). */
ssize_t uv__fs_read(int fd, const uv_buf_t* bufs, unsigned int nbufs,
                    int64_t off);
ssize_t uv__fs_write(int fd, const uv_buf_t* bufs, unsigned int nbufs,
                     int64_t off);
/* At most len bytes of in_fd from in_off (its position when < 0) to
 * out_fd's position, by the cheapest means that works. */
ssize_t uv__fs_sendfile(int out_fd, int in_fd, int64_t in_off, size_t len);
int uv__fs_copyfile(const char* from, const char* to, int flags);

/* ---- fs-stat.c: file and file-system status ------------------------------ */

enum uv__fs_stat_kind { UV__FS_STAT, UV__FS_LSTAT, UV__FS_FSTAT };

int uv__fs_stat(enum uv__fs_stat_kind kind, int fd, const char* path,
                uv_stat_t* st);
/* Whether statx failing with err means "no statx here" (the stat family
 * then answers), and whether that has been seen already. */
int uv__fs_statx_refusal(int err);
int uv__fs_statx_refused(void);
#ifdef STATX_BASIC_STATS
void uv__fs_statx_fill(const struct statx* sx, uv_stat_t* st);
#endif
/* *out: a uv_statfs_t from uv__malloc. */
int uv__fs_statfs(const char* path, void** out);

/* ---- fs-path.c: calls that produce a path -------------------------------- */

/* *out: the NUL-terminated result, from uv__malloc, whatever its length. */
int uv__fs_readlink(const char* path, void** out);
int uv__fs_realpath(const char* path, void** out);
/* tpl is the request's own copy: filled in place. */
int uv__fs_mkdtemp(char* tpl);
int uv__fs_mkstemp(char* tpl);

/* ---- fs-dir.c: directories ----------------------------------------------- */

/* The entries of path but "." and "..", sorted by byte value; *out is
 * NULL when there are none.  Returns their number. */
ssize_t uv__fs_scandir(const char* path, void** out);
void uv__fs_scandir_free(void* entries);
int uv__fs_opendir(const char* path, void** out);
ssize_t uv__fs_readdir(uv_dir_t* dir);
int uv__fs_closedir(uv_dir_t* dir);
/* uv_fs_req_cleanup of a readdir: the names it handed out. */
void uv__fs_readdir_cleanup(uv_fs_t* req);

/* ---- fs.c: the end of an asynchronous request ---------------------------- */

/* For uring.c: hands a request the ring could not finish to the pool (0,
 * or the error of the submission), and runs a finished one's callback. */
int uv__fs_to_pool(uv_fs_t* req);
void uv__fs_finish(uv_fs_t* req);

#endif /* EDDY_FS_INTERNAL_H */
