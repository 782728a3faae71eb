/* A TCP echo client: sends a message to an echo server, reads it back,
 * checks it, and exits 0 when what came back is what was sent.
 *
 *   ./tcp-echo-client [PORT] [MESSAGE]   (default 7000, "hello, eddy")
 *
 * Run ./tcp-echo-server first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static const char* message = "hello, eddy";
static char received[4096];
static size_t nreceived;

static void on_alloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf) {
  (void)handle;
  (void)suggested;
  *buf = uv_buf_init(received + nreceived,
                     (unsigned int)(sizeof(received) - nreceived));
}

static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  (void)buf;
  if (nread > 0) nreceived += (size_t)nread;
  /* Done once the whole message is back (or the server hung up). */
  if (nread < 0 || nreceived >= strlen(message)) {
    if (nread < 0 && nread != UV_EOF)
      fprintf(stderr, "read: %s\n", uv_strerror((int)nread));
    uv_close((uv_handle_t*)stream, NULL);
  }
}

static void on_written(uv_write_t* req, int status) {
  (void)req;
  if (status < 0) fprintf(stderr, "write: %s\n", uv_strerror(status));
}

static void on_connect(uv_connect_t* req, int status) {
  static uv_write_t write_req;
  uv_buf_t buf = uv_buf_init((char*)message, (unsigned int)strlen(message));

  if (status < 0) {
    fprintf(stderr, "connect: %s\n", uv_strerror(status));
    uv_close((uv_handle_t*)req->handle, NULL);
    return;
  }
  uv_write(&write_req, req->handle, &buf, 1, on_written);
  uv_read_start(req->handle, on_alloc, on_read);
}

int main(int argc, char** argv) {
  uv_loop_t* loop = uv_default_loop();
  struct sockaddr_in addr;
  uv_connect_t connect_req;
  uv_tcp_t client;
  int port = argc > 1 ? atoi(argv[1]) : 7000;

  if (argc > 2) message = argv[2];
  if (strlen(message) >= sizeof(received)) {
    fprintf(stderr, "message too long\n");
    return 2;
  }
  uv_tcp_init(loop, &client);
  uv_ip4_addr("127.0.0.1", port, &addr);
  uv_tcp_connect(&connect_req, &client, (const struct sockaddr*)&addr,
                 on_connect);
  uv_run(loop, UV_RUN_DEFAULT);
  printf("sent \"%s\", got back \"%.*s\"\n", message, (int)nreceived, received);
  uv_loop_close(loop);
  return nreceived == strlen(message) &&
                 memcmp(received, message, nreceived) == 0
             ? 0
             : 1;
}
