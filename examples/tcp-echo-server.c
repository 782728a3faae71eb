/* A TCP echo server: every byte a client sends comes back to it.
 *
 *   ./tcp-echo-server [PORT]      (default 7000, on 127.0.0.1)
 *
 * Try it with ./tcp-echo-client, or `nc 127.0.0.1 7000`.  The same source
 * builds against libuv. */
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

typedef struct {
  uv_write_t req;
  uv_buf_t buf;
} echo_write_t;

static void on_alloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf) {
  (void)handle;
  buf->base = malloc(suggested);
  buf->len = buf->base != NULL ? suggested : 0;
}

static void on_close(uv_handle_t* handle) { free(handle); }

static void on_written(uv_write_t* req, int status) {
  echo_write_t* w = (echo_write_t*)req;
  if (status < 0) fprintf(stderr, "write: %s\n", uv_strerror(status));
  free(w->buf.base);
  free(w);
}

static void on_read(uv_stream_t* client, ssize_t nread, const uv_buf_t* buf) {
  echo_write_t* w;

  if (nread > 0) {
    /* The read buffer becomes the write buffer: freed once written. */
    w = malloc(sizeof(*w));
    if (w != NULL) {
      w->buf = uv_buf_init(buf->base, (unsigned int)nread);
      if (uv_write(&w->req, client, &w->buf, 1, on_written) == 0) return;
      free(w);
    }
  }
  free(buf->base);
  if (nread < 0) {
    if (nread != UV_EOF) fprintf(stderr, "read: %s\n", uv_strerror((int)nread));
    uv_close((uv_handle_t*)client, on_close);
  }
}

static void on_connection(uv_stream_t* server, int status) {
  uv_tcp_t* client;

  if (status < 0) {
    fprintf(stderr, "connection: %s\n", uv_strerror(status));
    return;
  }
  client = malloc(sizeof(*client));
  if (client == NULL) return;
  uv_tcp_init(server->loop, client);
  if (uv_accept(server, (uv_stream_t*)client) == 0)
    uv_read_start((uv_stream_t*)client, on_alloc, on_read);
  else
    uv_close((uv_handle_t*)client, on_close);
}

int main(int argc, char** argv) {
  uv_loop_t* loop = uv_default_loop();
  struct sockaddr_in addr;
  uv_tcp_t server;
  int port = argc > 1 ? atoi(argv[1]) : 7000;
  int r;

  uv_tcp_init(loop, &server);
  r = uv_ip4_addr("127.0.0.1", port, &addr);
  if (r == 0) r = uv_tcp_bind(&server, (const struct sockaddr*)&addr, 0);
  if (r == 0) r = uv_listen((uv_stream_t*)&server, 128, on_connection);
  if (r != 0) {
    fprintf(stderr, "listen on 127.0.0.1:%d: %s\n", port, uv_strerror(r));
    return 1;
  }
  printf("echoing on 127.0.0.1:%d\n", port);
  return uv_run(loop, UV_RUN_DEFAULT);
}
