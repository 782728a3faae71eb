/* Copies a file asynchronously: reads and writes chunks on the thread
 * pool, one request in flight at a time, driven by the callbacks.
 *
 *   ./fs-copy SOURCE DESTINATION */
#include <fcntl.h>
#include <stdio.h>
#include <uv.h>

static uv_fs_t open_src, open_dst, io_req, close_req;
static char chunk[64 * 1024];
static uv_buf_t buf;
static int64_t offset;
static int failed;

static void on_read(uv_fs_t* req);

static void finish(void) {
  uv_fs_close(io_req.loop, &close_req, (uv_file)open_src.result, NULL);
  uv_fs_close(io_req.loop, &close_req, (uv_file)open_dst.result, NULL);
}

static void on_write(uv_fs_t* req) {
  if (req->result < 0) {
    fprintf(stderr, "write: %s\n", uv_strerror((int)req->result));
    failed = 1;
    uv_fs_req_cleanup(req);
    finish();
    return;
  }
  offset += req->result;
  uv_fs_req_cleanup(req);
  buf = uv_buf_init(chunk, sizeof(chunk));
  uv_fs_read(req->loop, &io_req, (uv_file)open_src.result, &buf, 1, offset,
             on_read);
}

static void on_read(uv_fs_t* req) {
  ssize_t n = req->result;

  uv_fs_req_cleanup(req);
  if (n <= 0) { /* end of file, or an error */
    if (n < 0) {
      fprintf(stderr, "read: %s\n", uv_strerror((int)n));
      failed = 1;
    }
    finish();
    return;
  }
  buf = uv_buf_init(chunk, (unsigned int)n);
  uv_fs_write(req->loop, &io_req, (uv_file)open_dst.result, &buf, 1, offset,
              on_write);
}

int main(int argc, char** argv) {
  uv_loop_t* loop = uv_default_loop();

  if (argc != 3) {
    fprintf(stderr, "usage: %s SOURCE DESTINATION\n", argv[0]);
    return 2;
  }
  /* The opens are synchronous (no callback): their result is returned. */
  if (uv_fs_open(loop, &open_src, argv[1], O_RDONLY, 0, NULL) < 0 ||
      uv_fs_open(loop, &open_dst, argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644,
                 NULL) < 0) {
    fprintf(stderr, "open: %s\n",
            uv_strerror((int)(open_src.result < 0 ? open_src.result
                                                  : open_dst.result)));
    return 1;
  }
  buf = uv_buf_init(chunk, sizeof(chunk));
  uv_fs_read(loop, &io_req, (uv_file)open_src.result, &buf, 1, 0, on_read);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_fs_req_cleanup(&open_src);
  uv_fs_req_cleanup(&open_dst);
  printf("copied %lld bytes\n", (long long)offset);
  uv_loop_close(loop);
  return failed;
}
