/* eddy tests — file data and metadata: open, close, read and write (vectors,
 * offsets, short transfers, more buffers than IOV_MAX, 64 MiB), status
 * (stat family against stat(2) and statx(2), statfs), fsync, ftruncate,
 * copyfile, sendfile, access, chmod, chown and the utime family
 * (src/unix/fs.c, fs-io.c, fs-stat.c).  test-fs.h describes how the tests
 * run; test-fs-dir.c and test-fs-req.c have the rest of the file system. */
#include "test-fs.h"

/* ---- open, close, read, write -------------------------------------------- */

static void open_read_write_close(void** state) {
  const char* path = P("file");
  uv_buf_t wb[2] = {uv_buf_init("hello ", 6), uv_buf_init("world", 5)};
  char buf[32];
  uv_buf_t rb = uv_buf_init(buf, sizeof(buf));
  uv_fs_t req;
  ssize_t fd;
  (void)state;

  fd = FS(uv_fs_open, &req, path, UV_FS_O_CREAT | UV_FS_O_EXCL | UV_FS_O_RDWR,
          0640);
  assert_true(fd >= 0);
  assert_int_equal(req.fs_type, UV_FS_OPEN);
  assert_int_equal(uv_fs_get_type(&req), UV_FS_OPEN);
  assert_int_equal(req.type, UV_FS);
  assert_string_equal(req.path, path);
  uv_fs_req_cleanup(&req);
  assert_true(fcntl((int)fd, F_GETFD) & FD_CLOEXEC);
  assert_int_equal(mode_of(path), S_IFREG | 0640);

  assert_int_equal(FS(uv_fs_write, &req, (int)fd, wb, 2, -1), 11);
  assert_int_equal(req.fs_type, UV_FS_WRITE);
  uv_fs_req_cleanup(&req);
  assert_int_equal(lseek((int)fd, 0, SEEK_CUR), 11);

  /* At an offset: the position stays. */
  assert_int_equal(FS(uv_fs_read, &req, (int)fd, &rb, 1, 0), 11);
  uv_fs_req_cleanup(&req);
  assert_memory_equal(buf, "hello world", 11);
  assert_int_equal(lseek((int)fd, 0, SEEK_CUR), 11);

  /* At the position: its end. */
  assert_int_equal(FS(uv_fs_read, &req, (int)fd, &rb, 1, -1), 0);
  uv_fs_req_cleanup(&req);

  assert_int_equal(FS(uv_fs_close, &req, (int)fd), 0);
  assert_int_equal(req.fs_type, UV_FS_CLOSE);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_close, &req, (int)fd), UV_EBADF);
  uv_fs_req_cleanup(&req);
  assert_file(path, "hello world");
}

static void open_errors(void** state) {
  char long_name[300];
  uv_fs_t req;
  (void)state;

  put_file(P("file"), "x", 1);
  assert_int_equal(mkdir(P("dir"), 0755), 0);
  assert_int_equal(symlink("file", P("link")), 0);
  memset(long_name, 'n', sizeof(long_name) - 1);
  long_name[sizeof(long_name) - 1] = '\0';

  assert_int_equal(FS(uv_fs_open, &req, P("missing"), UV_FS_O_RDONLY, 0),
                   UV_ENOENT);
  assert_int_equal(req.result, UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_open, &req, P("file"),
                      UV_FS_O_CREAT | UV_FS_O_EXCL | UV_FS_O_WRONLY, 0644),
                   UV_EEXIST);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_open, &req, P("dir"), UV_FS_O_WRONLY, 0),
                   UV_EISDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_open, &req, P("file/x"), UV_FS_O_RDONLY, 0),
                   UV_ENOTDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(
      FS(uv_fs_open, &req, P("file"), UV_FS_O_RDONLY | UV_FS_O_DIRECTORY, 0),
      UV_ENOTDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(
      FS(uv_fs_open, &req, P("link"), UV_FS_O_RDONLY | UV_FS_O_NOFOLLOW, 0),
      UV_ELOOP);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_open, &req, P(long_name), UV_FS_O_RDONLY, 0),
                   UV_ENAMETOOLONG);
  uv_fs_req_cleanup(&req);
}

static void open_flags(void** state) {
  const char* path = P("file");
  uv_buf_t b = uv_buf_init("def", 3);
  uv_fs_t req;
  ssize_t fd;
  int fl;
  (void)state;

  put_file(path, "abc", 3);

  /* Appending writes go to the end whatever the position. */
  fd = FS(uv_fs_open, &req, path, UV_FS_O_WRONLY | UV_FS_O_APPEND, 0);
  assert_true(fd >= 0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_write, &req, (int)fd, &b, 1, -1), 3);
  uv_fs_req_cleanup(&req);
  close((int)fd);
  assert_file(path, "abcdef");

  /* Each flag reaches the descriptor. */
  fd = FS(uv_fs_open, &req, path,
          UV_FS_O_RDWR | UV_FS_O_DSYNC | UV_FS_O_SYNC | UV_FS_O_NOCTTY |
              UV_FS_O_NONBLOCK | UV_FS_O_NOATIME | UV_FS_O_EXLOCK |
              UV_FS_O_SYMLINK | UV_FS_O_FILEMAP | UV_FS_O_RANDOM |
              UV_FS_O_SHORT_LIVED | UV_FS_O_SEQUENTIAL | UV_FS_O_TEMPORARY,
          0);
  assert_true(fd >= 0);
  uv_fs_req_cleanup(&req);
  fl = fcntl((int)fd, F_GETFL);
  assert_int_equal(fl & O_ACCMODE, O_RDWR);
  assert_int_equal(fl & O_SYNC, O_SYNC);
  assert_true(fl & O_DSYNC);
  assert_true(fl & O_NONBLOCK);
#ifdef O_NOATIME
  assert_true(fl & O_NOATIME);
#endif
  close((int)fd);

  /* O_TRUNC empties it. */
  fd = FS(uv_fs_open, &req, path, UV_FS_O_WRONLY | UV_FS_O_TRUNC, 0);
  assert_true(fd >= 0);
  uv_fs_req_cleanup(&req);
  close((int)fd);
  assert_file(path, "");

  /* O_DIRECT, where the file system takes it. */
  fd = FS(uv_fs_open, &req, path, UV_FS_O_RDONLY | UV_FS_O_DIRECT, 0);
  uv_fs_req_cleanup(&req);
  if (fd >= 0) {
#ifdef O_DIRECT
    assert_true(fcntl((int)fd, F_GETFL) & O_DIRECT);
#endif
    close((int)fd);
  } else {
    assert_int_equal(fd, UV_EINVAL);
  }

  /* A directory opens with O_DIRECTORY. */
  fd = FS(uv_fs_open, &req, T->dir, UV_FS_O_RDONLY | UV_FS_O_DIRECTORY, 0);
  assert_true(fd >= 0);
  uv_fs_req_cleanup(&req);
  close((int)fd);
}

static void read_write_offsets_and_vectors(void** state) {
  const char* path = P("file");
  uv_buf_t wb[3] = {uv_buf_init("aa", 2), uv_buf_init("bbb", 3),
                    uv_buf_init("c", 1)};
  char r1[3], r2[2], r3[10];
  uv_buf_t rb[4] = {uv_buf_init(r1, 3), uv_buf_init(NULL, 0),
                    uv_buf_init(r2, 2), uv_buf_init(r3, 10)};
  uv_fs_t req;
  size_t len;
  char* data;
  int fd;
  (void)state;

  fd = open_file(path, O_RDWR | O_CREAT);
  /* At offset 4 of an empty file: a hole before, the position stays. */
  assert_int_equal(FS(uv_fs_write, &req, fd, wb, 3, 4), 6);
  uv_fs_req_cleanup(&req);
  assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
  data = get_file(path, &len);
  assert_int_equal(len, 10);
  assert_memory_equal(data, "\0\0\0\0aabbbc", 10);
  free(data);

  /* Scattered over four buffers, one empty, from offset 2. */
  assert_int_equal(FS(uv_fs_read, &req, fd, rb, 4, 2), 8);
  uv_fs_req_cleanup(&req);
  assert_memory_equal(r1, "\0\0a", 3);
  assert_memory_equal(r2, "ab", 2);
  assert_memory_equal(r3, "bbc", 3);

  /* From the position, which moves. */
  assert_int_equal(lseek(fd, 5, SEEK_SET), 5);
  rb[0] = uv_buf_init(r1, 2);
  assert_int_equal(FS(uv_fs_read, &req, fd, rb, 1, -1), 2);
  uv_fs_req_cleanup(&req);
  assert_memory_equal(r1, "ab", 2);
  assert_int_equal(lseek(fd, 0, SEEK_CUR), 7);

  /* Short at the end, nothing past it. */
  rb[0] = uv_buf_init(r3, 10);
  assert_int_equal(FS(uv_fs_read, &req, fd, rb, 1, 8), 2);
  uv_fs_req_cleanup(&req);
  assert_memory_equal(r3, "bc", 2);
  assert_int_equal(FS(uv_fs_read, &req, fd, rb, 1, 100), 0);
  uv_fs_req_cleanup(&req);

  /* Overwriting in the middle. */
  wb[0] = uv_buf_init("XY", 2);
  assert_int_equal(FS(uv_fs_write, &req, fd, wb, 1, 5), 2);
  uv_fs_req_cleanup(&req);
  data = get_file(path, &len);
  assert_memory_equal(data, "\0\0\0\0aXYbbc", 10);
  free(data);

  /* A directory cannot be read. */
  close(fd);
  fd = open(T->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  assert_true(fd >= 0);
  assert_int_equal(FS(uv_fs_read, &req, fd, rb, 1, -1), UV_EISDIR);
  uv_fs_req_cleanup(&req);
  close(fd);

  /* Nor a closed descriptor. */
  assert_int_equal(FS(uv_fs_read, &req, -1, rb, 1, -1), UV_EBADF);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_write, &req, -1, wb, 1, 0), UV_EBADF);
  uv_fs_req_cleanup(&req);
}

/* A read is one system call, as in libuv: into more buffers than one call
 * takes, it fills the first IOV_MAX (1024) and returns. */
static size_t first_iov_max(const uv_buf_t* bufs, unsigned int n) {
  size_t sum = 0;
  unsigned int k;
  for (k = 0; k < n && k < 1024; k++) sum += bufs[k].len;
  return sum;
}

/* More buffers than one system call takes (IOV_MAX is 1024), some empty,
 * at the position and at an offset. */
static void many_buffers(void** state) {
  enum { N = 3000 };
  const char* path = P("file");
  uv_buf_t* bufs = calloc(N, sizeof(*bufs));
  char* out = malloc(N * 8);
  char* in = calloc(N * 8, 1);
  size_t total = 0;
  size_t len;
  char* data;
  uv_fs_t req;
  ssize_t r;
  int fd;
  int k;
  (void)state;

  assert_non_null(bufs);
  assert_non_null(out);
  assert_non_null(in);
  for (k = 0; k < N; k++) {
    size_t n = (size_t)(k % 7); /* 0..6 */
    memset(out + total, 'A' + k % 26, n);
    bufs[k] = uv_buf_init(out + total, (unsigned int)n);
    total += n;
  }

  fd = open_file(path, O_RDWR | O_CREAT | O_TRUNC);
  assert_int_equal(FS(uv_fs_write, &req, fd, bufs, N, -1), (ssize_t)total);
  uv_fs_req_cleanup(&req);
  assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)total);
  /* Again after it, at an offset. */
  assert_int_equal(FS(uv_fs_write, &req, fd, bufs, N, (int64_t)total),
                   (ssize_t)total);
  uv_fs_req_cleanup(&req);
  data = get_file(path, &len);
  assert_int_equal(len, 2 * total);
  assert_memory_equal(data, out, total);
  assert_memory_equal(data + total, out, total);
  free(data);

  /* Read back through the same shape of buffers. */
  for (k = 0, len = 0; k < N; k++) {
    bufs[k].base = in + len;
    len += bufs[k].len;
  }
  r = FS(uv_fs_read, &req, fd, bufs, N, (int64_t)total);
  uv_fs_req_cleanup(&req);
  assert_int_equal(r, (ssize_t)first_iov_max(bufs, N));
  assert_memory_equal(in, out, (size_t)r);
  memset(in, 0, total);
  assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
  r = FS(uv_fs_read, &req, fd, bufs, N, -1);
  uv_fs_req_cleanup(&req);
  assert_int_equal(r, (ssize_t)first_iov_max(bufs, N));
  assert_memory_equal(in, out, (size_t)r);
  assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)r);

  close(fd);
  free(bufs);
  free(out);
  free(in);
}

/* 64 MiB in sixteen buffers, read back in sixty-four. */
static void large_read_write(void** state) {
  const size_t size = 64u << 20;
  const char* path = P("big");
  char* out = malloc(size);
  char* in = malloc(size);
  uv_buf_t wb[16];
  uv_buf_t rb[64];
  uv_fs_t req;
  size_t i;
  int fd;
  (void)state;

  assert_non_null(out);
  assert_non_null(in);
  for (i = 0; i < size; i += 4096) memset(out + i, (int)(i >> 12), 4096);
  for (i = 0; i < 16; i++)
    wb[i] = uv_buf_init(out + i * (size / 16), size / 16);
  for (i = 0; i < 64; i++) rb[i] = uv_buf_init(in + i * (size / 64), size / 64);

  fd = open_file(path, O_RDWR | O_CREAT | O_TRUNC);
  assert_int_equal(FS(uv_fs_write, &req, fd, wb, 16, -1), (ssize_t)size);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_read, &req, fd, rb, 64, 0), (ssize_t)size);
  uv_fs_req_cleanup(&req);
  assert_memory_equal(in, out, size);
  close(fd);
  unlink(path);
  free(out);
  free(in);
}

/* 64 MiB written in four 16 MiB pieces at explicit offsets, last piece
 * first, each from buffers of unequal sizes (the file position must not
 * move), then read back from the current position (-1) in pieces of three
 * buffers, each read moving the position on. */
static void large_read_write_at_offsets(void** state) {
  const size_t size = 64u << 20;
  const size_t piece = size / 4;
  const size_t rpiece = 3u << 20; /* does not divide 64 MiB: a short tail */
  const char* path = P("big");
  char* out = malloc(size);
  char* in = malloc(size);
  uv_buf_t wb[5];
  uv_buf_t rb[3];
  uv_fs_t req;
  size_t cut[6] = {0, 1, 4096 + 3, 1 << 20, (1 << 20) + 5, 0};
  size_t i;
  size_t off;
  size_t n;
  int p;
  int fd;
  (void)state;

  assert_non_null(out);
  assert_non_null(in);
  for (i = 0; i < size; i += 4096) memset(out + i, (int)(i >> 12) * 7 + 1, 4096);
  memset(in, 0, size);
  fd = open_file(path, O_RDWR | O_CREAT | O_TRUNC);
  cut[5] = piece;
  for (p = 3; p >= 0; p--) {
    off = (size_t)p * piece;
    for (i = 0; i < 5; i++)
      wb[i] = uv_buf_init(out + off + cut[i], (unsigned int)(cut[i + 1] - cut[i]));
    assert_int_equal(FS(uv_fs_write, &req, fd, wb, 5, (int64_t)off), (ssize_t)piece);
    uv_fs_req_cleanup(&req);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
  }
  for (off = 0; off < size; off += n) {
    n = size - off < rpiece ? size - off : rpiece;
    rb[0] = uv_buf_init(in + off, 1);
    rb[1] = uv_buf_init(in + off + 1, (unsigned int)(n / 2));
    rb[2] = uv_buf_init(in + off + 1 + n / 2, (unsigned int)(n - 1 - n / 2));
    assert_int_equal(FS(uv_fs_read, &req, fd, rb, 3, -1), (ssize_t)n);
    uv_fs_req_cleanup(&req);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)(off + n));
  }
  /* At the end: nothing more. */
  rb[0] = uv_buf_init(in, 1);
  assert_int_equal(FS(uv_fs_read, &req, fd, rb, 1, -1), 0);
  uv_fs_req_cleanup(&req);
  assert_memory_equal(in, out, size);
  close(fd);
  unlink(path);
  free(out);
  free(in);
}

/* A pipe returns what it has: reading on would block. */
static void pipe_read_returns_what_is_there(void** state) {
  enum { N = 2000 };
  uv_buf_t* bufs = calloc(N, sizeof(*bufs));
  char* in = calloc(N, 1);
  uv_fs_t req;
  int fds[2];
  int k;
  (void)state;

  assert_non_null(bufs);
  assert_non_null(in);
  for (k = 0; k < N; k++) bufs[k] = uv_buf_init(in + k, 1);
  assert_int_equal(pipe(fds), 0);
  assert_int_equal(write(fds[1], "0123456789", 10), 10);
  assert_int_equal(FS(uv_fs_read, &req, fds[0], bufs, N, -1), 10);
  uv_fs_req_cleanup(&req);
  assert_memory_equal(in, "0123456789", 10);
  /* With a single buffer too. */
  assert_int_equal(write(fds[1], "ab", 2), 2);
  bufs[0] = uv_buf_init(in, 100);
  assert_int_equal(FS(uv_fs_read, &req, fds[0], bufs, 1, -1), 2);
  uv_fs_req_cleanup(&req);
  /* An offset on a pipe. */
  assert_int_equal(FS(uv_fs_read, &req, fds[0], bufs, 1, 0), UV_ESPIPE);
  uv_fs_req_cleanup(&req);
  close(fds[0]);
  close(fds[1]);
  free(bufs);
  free(in);
}

/* A write to a full non-blocking pipe reports what it wrote; the next one
 * EAGAIN. */
static void nonblocking_write_reports_partial(void** state) {
  const size_t size = 1u << 20;
  char* out = calloc(size, 1);
  uv_buf_t b = uv_buf_init(out, (unsigned int)size);
  uv_fs_t req;
  ssize_t r;
  int fds[2];
  (void)state;

  assert_non_null(out);
  assert_int_equal(pipe(fds), 0);
  assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
  r = FS(uv_fs_write, &req, fds[1], &b, 1, -1);
  uv_fs_req_cleanup(&req);
  assert_true(r > 0);
  assert_true((size_t)r < size);
  assert_int_equal(FS(uv_fs_write, &req, fds[1], &b, 1, -1), UV_EAGAIN);
  uv_fs_req_cleanup(&req);
  close(fds[0]);
  close(fds[1]);
  free(out);
}

/* ---- status -------------------------------------------------------------- */

static void assert_same_stat(const uv_stat_t* u, const struct stat* s) {
  assert_int_equal(u->st_dev, s->st_dev);
  assert_int_equal(u->st_mode, s->st_mode);
  assert_int_equal(u->st_nlink, s->st_nlink);
  assert_int_equal(u->st_uid, s->st_uid);
  assert_int_equal(u->st_gid, s->st_gid);
  assert_int_equal(u->st_rdev, s->st_rdev);
  assert_int_equal(u->st_ino, s->st_ino);
  assert_int_equal(u->st_size, s->st_size);
  assert_int_equal(u->st_blksize, s->st_blksize);
  assert_int_equal(u->st_blocks, s->st_blocks);
  assert_int_equal(u->st_flags, 0);
  assert_int_equal(u->st_gen, 0);
  assert_int_equal(u->st_atim.tv_sec, s->st_atim.tv_sec);
  assert_int_equal(u->st_atim.tv_nsec, s->st_atim.tv_nsec);
  assert_int_equal(u->st_mtim.tv_sec, s->st_mtim.tv_sec);
  assert_int_equal(u->st_mtim.tv_nsec, s->st_mtim.tv_nsec);
  assert_int_equal(u->st_ctim.tv_sec, s->st_ctim.tv_sec);
  assert_int_equal(u->st_ctim.tv_nsec, s->st_ctim.tv_nsec);
}

/* The birth time: statx's where the file system keeps one. */
static void assert_birth_time(const uv_stat_t* u, const char* path,
                              int nofollow) {
#ifdef STATX_BTIME
  struct statx sx;
  if (statx(AT_FDCWD, path, nofollow ? AT_SYMLINK_NOFOLLOW : 0, STATX_BTIME,
            &sx) != 0 ||
      !(sx.stx_mask & STATX_BTIME))
    return;
  assert_int_equal(u->st_birthtim.tv_sec, sx.stx_btime.tv_sec);
  assert_int_equal(u->st_birthtim.tv_nsec, sx.stx_btime.tv_nsec);
#else
  (void)u;
  (void)path;
  (void)nofollow;
#endif
}

static void stat_lstat_fstat(void** state) {
  const char* path = P("file");
  struct stat s;
  uv_fs_t req;
  int fd;
  (void)state;

  put_file(path, "xyz", 3);
  assert_int_equal(symlink("file", P("link")), 0);

  assert_int_equal(FS(uv_fs_stat, &req, path), 0);
  assert_int_equal(req.fs_type, UV_FS_STAT);
  assert_ptr_equal(req.ptr, &req.statbuf);
  assert_ptr_equal(uv_fs_get_ptr(&req), &req.statbuf);
  assert_ptr_equal(uv_fs_get_statbuf(&req), &req.statbuf);
  assert_int_equal(stat(path, &s), 0);
  assert_same_stat(&req.statbuf, &s);
  assert_int_equal(req.statbuf.st_size, 3);
  assert_birth_time(&req.statbuf, path, 0);
  uv_fs_req_cleanup(&req);
  assert_null(req.ptr);

  /* Through the link, and the link itself. */
  assert_int_equal(FS(uv_fs_stat, &req, P("link")), 0);
  assert_same_stat(&req.statbuf, &s);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_lstat, &req, P("link")), 0);
  assert_int_equal(req.fs_type, UV_FS_LSTAT);
  assert_int_equal(lstat(P("link"), &s), 0);
  assert_same_stat(&req.statbuf, &s);
  assert_true(S_ISLNK(req.statbuf.st_mode));
  assert_int_equal(req.statbuf.st_size, 4);
  assert_birth_time(&req.statbuf, P("link"), 1);
  uv_fs_req_cleanup(&req);

  fd = open_file(path, O_RDONLY);
  assert_int_equal(FS(uv_fs_fstat, &req, fd), 0);
  assert_int_equal(req.fs_type, UV_FS_FSTAT);
  assert_ptr_equal(req.ptr, &req.statbuf);
  assert_int_equal(fstat(fd, &s), 0);
  assert_same_stat(&req.statbuf, &s);
  uv_fs_req_cleanup(&req);
  close(fd);

  /* A device: rdev. */
  assert_int_equal(FS(uv_fs_stat, &req, "/dev/null"), 0);
  assert_int_equal(stat("/dev/null", &s), 0);
  assert_true(S_ISCHR(req.statbuf.st_mode));
  assert_int_equal(req.statbuf.st_rdev, s.st_rdev);
  uv_fs_req_cleanup(&req);

  /* A directory. */
  assert_int_equal(FS(uv_fs_stat, &req, T->dir), 0);
  assert_int_equal(stat(T->dir, &s), 0);
  assert_same_stat(&req.statbuf, &s);
  uv_fs_req_cleanup(&req);

  assert_int_equal(FS(uv_fs_stat, &req, P("missing")), UV_ENOENT);
  assert_null(req.ptr);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_lstat, &req, P("file/x")), UV_ENOTDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_fstat, &req, -1), UV_EBADF);
  uv_fs_req_cleanup(&req);
}

static void statfs_matches_the_system(void** state) {
  struct statfs s;
  uv_statfs_t* u;
  uv_fs_t req;
  (void)state;

  assert_int_equal(FS(uv_fs_statfs, &req, T->dir), 0);
  assert_int_equal(req.fs_type, UV_FS_STATFS);
  assert_int_equal(statfs(T->dir, &s), 0);
  u = req.ptr;
  assert_non_null(u);
  assert_int_equal(u->f_type, (uint64_t)s.f_type);
  assert_int_equal(u->f_bsize, (uint64_t)s.f_bsize);
  assert_int_equal(u->f_blocks, s.f_blocks);
  assert_int_equal(u->f_files, s.f_files);
  /* Free space moves with whatever else runs on the machine. */
  assert_true(u->f_bfree <= u->f_blocks);
  assert_true(u->f_bavail <= u->f_blocks);
  assert_true(u->f_ffree <= u->f_files);
#if TEST_ON_EDDY
  assert_int_equal(u->f_frsize, (uint64_t)s.f_frsize);
  assert_int_equal(u->f_spare[0], 0);
  assert_int_equal(u->f_spare[1], 0);
  assert_int_equal(u->f_spare[2], 0);
#endif
  uv_fs_req_cleanup(&req);
  assert_null(req.ptr);

  assert_int_equal(FS(uv_fs_statfs, &req, P("missing")), UV_ENOENT);
  assert_null(req.ptr);
  uv_fs_req_cleanup(&req);
}

/* ---- data to disk, sizes ------------------------------------------------- */

static void fsync_fdatasync_ftruncate(void** state) {
  const char* path = P("file");
  uv_fs_t req;
  size_t len;
  char* data;
  int fd;
  (void)state;

  put_file(path, "0123456789", 10);
  fd = open_file(path, O_RDWR);
  assert_int_equal(FS(uv_fs_fsync, &req, fd), 0);
  assert_int_equal(req.fs_type, UV_FS_FSYNC);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_fdatasync, &req, fd), 0);
  assert_int_equal(req.fs_type, UV_FS_FDATASYNC);
  uv_fs_req_cleanup(&req);

  assert_int_equal(FS(uv_fs_ftruncate, &req, fd, 3), 0);
  assert_int_equal(req.fs_type, UV_FS_FTRUNCATE);
  uv_fs_req_cleanup(&req);
  assert_file(path, "012");
  assert_int_equal(FS(uv_fs_ftruncate, &req, fd, 5000), 0);
  uv_fs_req_cleanup(&req);
  data = get_file(path, &len);
  assert_int_equal(len, 5000);
  assert_memory_equal(data, "012\0\0", 5);
  free(data);
  assert_int_equal(FS(uv_fs_ftruncate, &req, fd, -1), UV_EINVAL);
  uv_fs_req_cleanup(&req);
  close(fd);

  assert_int_equal(FS(uv_fs_fsync, &req, -1), UV_EBADF);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_fdatasync, &req, -1), UV_EBADF);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_ftruncate, &req, -1, 0), UV_EBADF);
  uv_fs_req_cleanup(&req);
}

/* ---- copyfile and sendfile ----------------------------------------------- */

static void fill_pattern(char* buf, size_t len, unsigned int seed) {
  size_t i;
  for (i = 0; i < len; i++) {
    seed = seed * 1103515245u + 12345u;
    buf[i] = (char)(seed >> 16);
  }
}

static void assert_same_file(const char* a, const char* b) {
  size_t la;
  size_t lb;
  char* da = get_file(a, &la);
  char* db = get_file(b, &lb);
  assert_int_equal(la, lb);
  assert_memory_equal(da, db, la);
  free(da);
  free(db);
}

static void copyfile_copies(void** state) {
  const size_t size = 300 * 1024 + 17;
  char* data = malloc(size);
  uv_fs_t req;
  ssize_t r;
  (void)state;

  assert_non_null(data);
  fill_pattern(data, size, 1);
  put_file(P("src"), data, size);
  assert_int_equal(chmod(P("src"), 0751), 0);

  assert_int_equal(FS(uv_fs_copyfile, &req, P("src"), P("dst"), 0), 0);
  assert_int_equal(req.fs_type, UV_FS_COPYFILE);
  uv_fs_req_cleanup(&req);
  assert_same_file(P("src"), P("dst"));
  assert_int_equal(mode_of(P("dst")), S_IFREG | 0751);

  /* EXCL refuses an existing destination and leaves it alone. */
  put_file(P("keep"), "keep", 4);
  assert_int_equal(
      FS(uv_fs_copyfile, &req, P("src"), P("keep"), UV_FS_COPYFILE_EXCL),
      UV_EEXIST);
  uv_fs_req_cleanup(&req);
  assert_file(P("keep"), "keep");

  /* Without it, a longer destination is replaced whole. */
  put_file(P("short"), "abc", 3);
  put_file(P("long"), "0123456789", 10);
  assert_int_equal(FS(uv_fs_copyfile, &req, P("short"), P("long"), 0), 0);
  uv_fs_req_cleanup(&req);
  assert_file(P("long"), "abc");

  /* Onto itself: nothing happens. */
  assert_int_equal(FS(uv_fs_copyfile, &req, P("short"), P("short"), 0), 0);
  uv_fs_req_cleanup(&req);
  assert_file(P("short"), "abc");

  /* FICLONE falls back to copying; FICLONE_FORCE clones or fails and
   * leaves no destination. */
  assert_int_equal(
      FS(uv_fs_copyfile, &req, P("src"), P("clone1"), UV_FS_COPYFILE_FICLONE),
      0);
  uv_fs_req_cleanup(&req);
  assert_same_file(P("src"), P("clone1"));
  r = FS(uv_fs_copyfile, &req, P("src"), P("clone2"),
         UV_FS_COPYFILE_FICLONE_FORCE);
  uv_fs_req_cleanup(&req);
  if (r == 0) {
    assert_same_file(P("src"), P("clone2"));
  } else {
    assert_true(r == UV_ENOTSUP || r == UV_EXDEV || r == UV_EINVAL ||
                r == UV_ENOSYS);
    assert_false(exists(P("clone2")));
  }

  /* Empty. */
  put_file(P("empty"), "", 0);
  assert_int_equal(FS(uv_fs_copyfile, &req, P("empty"), P("empty2"), 0), 0);
  uv_fs_req_cleanup(&req);
  assert_file(P("empty2"), "");

  /* Errors. */
  assert_int_equal(FS(uv_fs_copyfile, &req, P("src"), P("x"), 8), UV_EINVAL);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_copyfile, &req, P("missing"), P("x"), 0),
                   UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_false(exists(P("x")));
  assert_int_equal(FS(uv_fs_copyfile, &req, P("src"), P("missing/x"), 0),
                   UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(mkdir(P("d"), 0755), 0);
  assert_int_equal(FS(uv_fs_copyfile, &req, P("src"), P("d"), 0), UV_EISDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_copyfile, &req, P("d"), P("y"), 0), UV_EISDIR);
  uv_fs_req_cleanup(&req);
  assert_false(exists(P("y")));
  free(data);
}

/* A file with a 4 MiB hole copies to the same bytes. */
static void copyfile_sparse(void** state) {
  const off_t size = 4 << 20;
  struct stat src;
  struct stat st;
  uv_fs_t req;
  int fd;
  (void)state;

  fd = open_file(P("sparse"), O_WRONLY | O_CREAT | O_TRUNC);
  assert_int_equal(pwrite(fd, "start", 5, 0), 5);
  assert_int_equal(pwrite(fd, "middle", 6, size / 2 + 5), 6);
  assert_int_equal(pwrite(fd, "end", 3, size - 3), 3);
  close(fd);
  /* And one that ends in a hole. */
  fd = open_file(P("tail"), O_WRONLY | O_CREAT | O_TRUNC);
  assert_int_equal(pwrite(fd, "start", 5, 0), 5);
  assert_int_equal(ftruncate(fd, size), 0);
  close(fd);
  assert_int_equal(FS(uv_fs_copyfile, &req, P("tail"), P("tail-copy"), 0), 0);
  uv_fs_req_cleanup(&req);
  assert_same_file(P("tail"), P("tail-copy"));
  assert_int_equal(FS(uv_fs_copyfile, &req, P("sparse"), P("copy"), 0), 0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(stat(P("copy"), &st), 0);
  assert_int_equal(st.st_size, size);
  assert_same_file(P("sparse"), P("copy"));

  /* eddy keeps the holes (libuv copies them as zeros), where the file
   * system makes holes at all: the source then uses fewer blocks than
   * its size needs. */
  if (!TEST_ON_EDDY) return;
  assert_int_equal(stat(P("sparse"), &src), 0);
  if ((off_t)src.st_blocks * 512 >= size) return;
  assert_true((off_t)st.st_blocks * 512 < size);
  assert_true(st.st_blocks <= src.st_blocks);
  assert_int_equal(stat(P("tail-copy"), &st), 0);
  assert_int_equal(st.st_size, size);
  assert_true((off_t)st.st_blocks * 512 < size);
}

static void sendfile_transfers(void** state) {
  char buf[16];
  uv_fs_t req;
  int fds[2];
  int in;
  int out;
  (void)state;

  put_file(P("in"), "0123456789", 10);
  in = open_file(P("in"), O_RDONLY);
  out = open_file(P("out"), O_WRONLY | O_CREAT | O_TRUNC);

  /* From an offset: the source's position stays, the destination's moves. */
  assert_int_equal(FS(uv_fs_sendfile, &req, out, in, 2, 5), 5);
  assert_int_equal(req.fs_type, UV_FS_SENDFILE);
  uv_fs_req_cleanup(&req);
  assert_int_equal(lseek(in, 0, SEEK_CUR), 0);
  assert_int_equal(lseek(out, 0, SEEK_CUR), 5);
  assert_int_equal(FS(uv_fs_sendfile, &req, out, in, 8, 100), 2);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_sendfile, &req, out, in, 50, 100), 0);
  uv_fs_req_cleanup(&req);
  assert_file(P("out"), "2345689");

  /* eddy: a negative offset is the source's position, which moves (libuv
   * reports UV_EOVERFLOW). */
  if (TEST_ON_EDDY) {
    assert_int_equal(lseek(in, 7, SEEK_SET), 7);
    assert_int_equal(FS(uv_fs_sendfile, &req, out, in, -1, 2), 2);
    uv_fs_req_cleanup(&req);
    assert_int_equal(lseek(in, 0, SEEK_CUR), 9);
    assert_file(P("out"), "234568978");
    assert_int_equal(lseek(in, 0, SEEK_SET), 0);
    assert_int_equal(ftruncate(out, 7), 0);
    assert_int_equal(lseek(out, 7, SEEK_SET), 7);
    assert_file(P("out"), "2345689");
  }

  /* To a pipe, and from one. */
  assert_int_equal(pipe(fds), 0);
  assert_int_equal(FS(uv_fs_sendfile, &req, fds[1], in, 0, 4), 4);
  uv_fs_req_cleanup(&req);
  assert_int_equal(read(fds[0], buf, sizeof(buf)), 4);
  assert_memory_equal(buf, "0123", 4);
  assert_int_equal(write(fds[1], "pipe!", 5), 5);
  assert_int_equal(FS(uv_fs_sendfile, &req, out, fds[0], 0, 5), 5);
  uv_fs_req_cleanup(&req);
  assert_file(P("out"), "2345689pipe!");
  close(fds[0]);
  close(fds[1]);

  assert_int_equal(FS(uv_fs_sendfile, &req, out, -1, 0, 5), UV_EBADF);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_sendfile, &req, -1, in, 0, 5), UV_EBADF);
  uv_fs_req_cleanup(&req);
  close(in);
  close(out);
}

/* ---- permissions, owners, times ------------------------------------------ */

static void access_checks(void** state) {
  uv_fs_t req;
  (void)state;

  put_file(P("file"), "", 0);
  assert_int_equal(chmod(P("file"), 0644), 0);
  assert_int_equal(FS(uv_fs_access, &req, P("file"), F_OK), 0);
  assert_int_equal(req.fs_type, UV_FS_ACCESS);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_access, &req, P("file"), R_OK | W_OK), 0);
  uv_fs_req_cleanup(&req);
  /* Not executable by anyone: EACCES even for root. */
  assert_int_equal(FS(uv_fs_access, &req, P("file"), X_OK), UV_EACCES);
  uv_fs_req_cleanup(&req);
  if (geteuid() != 0) {
    assert_int_equal(chmod(P("file"), 0444), 0);
    assert_int_equal(FS(uv_fs_access, &req, P("file"), W_OK), UV_EACCES);
    uv_fs_req_cleanup(&req);
  }
  assert_int_equal(FS(uv_fs_access, &req, P("missing"), F_OK), UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_access, &req, P("file"), 0100), UV_EINVAL);
  uv_fs_req_cleanup(&req);
}

static void chmod_fchmod(void** state) {
  uv_fs_t req;
  int fd;
  (void)state;

  put_file(P("file"), "", 0);
  assert_int_equal(FS(uv_fs_chmod, &req, P("file"), 0604), 0);
  assert_int_equal(req.fs_type, UV_FS_CHMOD);
  uv_fs_req_cleanup(&req);
  assert_int_equal(mode_of(P("file")), S_IFREG | 0604);
  fd = open_file(P("file"), O_RDONLY);
  assert_int_equal(FS(uv_fs_fchmod, &req, fd, 0711), 0);
  assert_int_equal(req.fs_type, UV_FS_FCHMOD);
  uv_fs_req_cleanup(&req);
  close(fd);
  assert_int_equal(mode_of(P("file")), S_IFREG | 0711);

  assert_int_equal(FS(uv_fs_chmod, &req, P("missing"), 0644), UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_fchmod, &req, -1, 0644), UV_EBADF);
  uv_fs_req_cleanup(&req);
}

static void chown_fchown_lchown(void** state) {
  struct stat st;
  uv_fs_t req;
  int fd;
  (void)state;

  put_file(P("file"), "", 0);
  assert_int_equal(symlink("file", P("link")), 0);
  assert_int_equal(FS(uv_fs_chown, &req, P("file"), (uv_uid_t)-1, (uv_gid_t)-1),
                   0);
  assert_int_equal(req.fs_type, UV_FS_CHOWN);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_chown, &req, P("file"), geteuid(), getegid()), 0);
  uv_fs_req_cleanup(&req);
  fd = open_file(P("file"), O_RDONLY);
  assert_int_equal(FS(uv_fs_fchown, &req, fd, geteuid(), getegid()), 0);
  assert_int_equal(req.fs_type, UV_FS_FCHOWN);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_lchown, &req, P("link"), geteuid(), getegid()), 0);
  assert_int_equal(req.fs_type, UV_FS_LCHOWN);
  uv_fs_req_cleanup(&req);

  if (geteuid() == 0) { /* root can give files away */
    assert_int_equal(FS(uv_fs_chown, &req, P("file"), 12345, 23456), 0);
    uv_fs_req_cleanup(&req);
    assert_int_equal(stat(P("file"), &st), 0);
    assert_int_equal(st.st_uid, 12345);
    assert_int_equal(st.st_gid, 23456);
    assert_int_equal(FS(uv_fs_fchown, &req, fd, 111, (uv_gid_t)-1), 0);
    uv_fs_req_cleanup(&req);
    assert_int_equal(stat(P("file"), &st), 0);
    assert_int_equal(st.st_uid, 111);
    assert_int_equal(st.st_gid, 23456);
    assert_int_equal(FS(uv_fs_lchown, &req, P("link"), 222, 333), 0);
    uv_fs_req_cleanup(&req);
    assert_int_equal(lstat(P("link"), &st), 0);
    assert_int_equal(st.st_uid, 222);
    assert_int_equal(st.st_gid, 333);
    assert_int_equal(stat(P("file"), &st), 0); /* not the target */
    assert_int_equal(st.st_uid, 111);
  }
  close(fd);

  assert_int_equal(FS(uv_fs_chown, &req, P("missing"), 0, 0), UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_fchown, &req, -1, 0, 0), UV_EBADF);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_lchown, &req, P("missing"), 0, 0), UV_ENOENT);
  uv_fs_req_cleanup(&req);
}

static void assert_times(const struct timespec* ts, long sec, long nsec) {
  assert_int_equal(ts->tv_sec, sec);
  assert_int_equal(ts->tv_nsec, nsec);
}

static void utime_futime_lutime(void** state) {
  struct stat st;
  struct stat target;
  uv_fs_t req;
  int fd;
  (void)state;

  put_file(P("file"), "", 0);
  assert_int_equal(symlink("file", P("link")), 0);

  assert_int_equal(FS(uv_fs_utime, &req, P("file"), 1.5, 2.25), 0);
  assert_int_equal(req.fs_type, UV_FS_UTIME);
  uv_fs_req_cleanup(&req);
  assert_int_equal(stat(P("file"), &st), 0);
  assert_times(&st.st_atim, 1, 500000000);
  assert_times(&st.st_mtim, 2, 250000000);

  /* libuv 1.52 keeps what the double holds to the nanosecond (cut, not
   * rounded); 1.44 cut it to the microsecond. */
  fd = open_file(P("file"), O_RDONLY);
  assert_int_equal(FS(uv_fs_futime, &req, fd, 1000.000123456, 2000.5), 0);
  assert_int_equal(req.fs_type, UV_FS_FUTIME);
  uv_fs_req_cleanup(&req);
  assert_int_equal(fstat(fd, &st), 0);
  assert_times(&st.st_atim, 1000,
               UV_VERSION_HEX >= ((1 << 16) | (52 << 8))
                   ? (long)((1000.000123456 - 1000.0) * 1e9)
                   : 123000);
  assert_times(&st.st_mtim, 2000, 500000000);

  /* Before 1970. */
  assert_int_equal(FS(uv_fs_utime, &req, P("file"), -1.5, -0.25), 0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(stat(P("file"), &st), 0);
  assert_times(&st.st_atim, -2, 500000000);
  assert_times(&st.st_mtim, -1, 750000000);

  /* The link, not its target. */
  assert_int_equal(FS(uv_fs_utime, &req, P("file"), 10, 20), 0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_lutime, &req, P("link"), 30, 40), 0);
  assert_int_equal(req.fs_type, UV_FS_LUTIME);
  uv_fs_req_cleanup(&req);
  assert_int_equal(lstat(P("link"), &st), 0);
  assert_times(&st.st_atim, 30, 0);
  assert_times(&st.st_mtim, 40, 0);
  assert_int_equal(stat(P("file"), &target), 0);
  assert_times(&target.st_atim, 10, 0);
  assert_times(&target.st_mtim, 20, 0);

#ifdef UV_FS_UTIME_NOW
  /* "Now" and "leave it". */
  assert_int_equal(
      FS(uv_fs_futime, &req, fd, UV_FS_UTIME_NOW, UV_FS_UTIME_OMIT), 0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(fstat(fd, &st), 0);
  assert_true(llabs((long long)st.st_atim.tv_sec - (long long)time(NULL)) < 60);
  assert_times(&st.st_mtim, 20, 0);
  assert_int_equal(
      FS(uv_fs_utime, &req, P("file"), UV_FS_UTIME_OMIT, UV_FS_UTIME_NOW), 0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(stat(P("file"), &target), 0);
  assert_int_equal(target.st_atim.tv_sec, st.st_atim.tv_sec);
  assert_true(llabs((long long)target.st_mtim.tv_sec - (long long)time(NULL)) <
              60);
#endif
  close(fd);

  assert_int_equal(FS(uv_fs_utime, &req, P("missing"), 1, 1), UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_lutime, &req, P("missing"), 1, 1), UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_futime, &req, -1, 1, 1), UV_EBADF);
  uv_fs_req_cleanup(&req);
}

/* ---- the table ----------------------------------------------------------- */

int main(void) {
  const struct CMUnitTest tests[] = {
      BOTH(open_read_write_close),
      BOTH(open_errors),
      BOTH(open_flags),
      BOTH(read_write_offsets_and_vectors),
      BOTH(many_buffers),
      BOTH(large_read_write),
      BOTH(large_read_write_at_offsets),
      BOTH(pipe_read_returns_what_is_there),
      BOTH(nonblocking_write_reports_partial),
      BOTH(stat_lstat_fstat),
      BOTH(statfs_matches_the_system),
      BOTH(fsync_fdatasync_ftruncate),
      BOTH(copyfile_copies),
      BOTH(copyfile_sparse),
      BOTH(sendfile_transfers),
      BOTH(access_checks),
      BOTH(chmod_fchmod),
      BOTH(chown_fchown_lchown),
      BOTH(utime_futime_lutime),
  };
  fs_tests_init();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
