/* eddy fuzz target — pipe names: the length and content checks of
 * uv_pipe_bind2 / uv_pipe_bind / uv_pipe_connect2 / uv_pipe_connect
 * (src/unix/pipe.c), for paths and Linux abstract names.
 *
 * Input: one byte of options (abstract name or path; bind or bind2;
 * UV_PIPE_NO_TRUNCATE or not), then the end of the name.  Paths are made
 * inside a private temporary directory ('/' in the input becomes '_', so no
 * name leaves it); abstract names start with "\0eddy-fuzz-<pid>-" so that
 * they cannot meet another program's.
 * Properties:
 *   - a name that does not fit sockaddr_un (a path of 108 bytes or more,
 *     which needs its NUL too; an abstract name of more than 108) or a path
 *     with a NUL inside is refused with UV_EINVAL by bind and by connect,
 *     with or without UV_PIPE_NO_TRUNCATE: never cut to a name that fits;
 *   - any other name binds, uv_pipe_getsockname gives back exactly that
 *     name, a client connects to it and uv_pipe_getpeername gives it back;
 *   - an unknown flag is refused;
 *   - closing the server removes its socket file. */
#include "fuzz-common.h"

#include <errno.h>
#include <sys/un.h>
#include <unistd.h>

#define SUN_PATH_SIZE sizeof(((struct sockaddr_un*)0)->sun_path)

static uv_loop_t loop;
static char dir[64];
static int connect_status;
static int connect_calls;
static int connection_calls;

static void remove_dir(void) { rmdir(dir); }

static void setup(void) {
  const char* tmp = getenv("TMPDIR");
  if (dir[0] != '\0') return;
  /* libFuzzer may end the process without running atexit handlers:
   * tools/fuzz.sh points TMPDIR at a directory it removes itself. */
  if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > 40) tmp = "/tmp";
  snprintf(dir, sizeof(dir), "%s/eddy-fuzz-XXXXXX", tmp);
  FUZZ_CHECK(mkdtemp(dir) != NULL);
  atexit(remove_dir);
  FUZZ_CHECK(uv_loop_init(&loop) == 0);
}

static void on_connect(uv_connect_t* req, int status) {
  (void)req;
  connect_calls++;
  connect_status = status;
}

static void on_close(uv_handle_t* h) { free(h); }

static void on_connection(uv_stream_t* server, int status) {
  uv_pipe_t* peer = malloc(sizeof(*peer));
  FUZZ_CHECK(status == 0 && peer != NULL);
  connection_calls++;
  FUZZ_CHECK(uv_pipe_init(&loop, peer, 0) == 0);
  FUZZ_CHECK(uv_accept(server, (uv_stream_t*)peer) == 0);
  uv_close((uv_handle_t*)peer, on_close);
}

/* getsockname / getpeername give back exactly name[0..n). */
static void check_name(uv_pipe_t* p, int peer, const char* name, size_t n) {
  char buf[SUN_PATH_SIZE + 1];
  size_t size = sizeof(buf);
  size_t tiny = n;

  FUZZ_CHECK((peer ? uv_pipe_getpeername : uv_pipe_getsockname)(p, buf, &size) == 0);
  FUZZ_CHECK(size == n && memcmp(buf, name, n) == 0);
  if (name[0] == '\0') {
    /* An abstract name is bytes, not a string (libuv 1.52): an exact
     * buffer holds it, one byte less is too small. */
    FUZZ_CHECK((peer ? uv_pipe_getpeername : uv_pipe_getsockname)(p, buf, &tiny) == 0);
    FUZZ_CHECK(tiny == n && memcmp(buf, name, n) == 0);
    tiny = n - 1;
    FUZZ_CHECK((peer ? uv_pipe_getpeername : uv_pipe_getsockname)(p, buf, &tiny) == UV_ENOBUFS);
    FUZZ_CHECK(tiny == n);
  } else {
    /* A buffer without room for the terminator: the size it needs. */
    FUZZ_CHECK((peer ? uv_pipe_getpeername : uv_pipe_getsockname)(p, buf, &tiny) == UV_ENOBUFS);
    FUZZ_CHECK(tiny == n + 1);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char name[512];
  size_t n;
  size_t i;
  int abstract;
  int fits;
  unsigned int flags;
  uv_pipe_t server;
  uv_pipe_t client;
  uv_connect_t req;
  int r;

  if (size == 0) return 0;
  setup();
  abstract = data[0] & 1;
  flags = (data[0] & 2) ? UV_PIPE_NO_TRUNCATE : 0;
  if (abstract) {
    n = 1 + (size_t)snprintf(name + 1, sizeof(name) - 1, "eddy-fuzz-%ld-", (long)getpid());
    name[0] = '\0';
  } else {
    n = (size_t)snprintf(name, sizeof(name), "%s/s", dir);
  }
  for (i = 1; i < size && n + 1 < sizeof(name); i++)
    name[n++] = data[i] == '/' ? '_' : (char)data[i];
  name[n] = '\0'; /* for access(); the calls under test take n bytes */

  if (data[0] & 4) {
    /* The NUL-terminated forms: the name ends at its first NUL. */
    if (abstract) return 0;
    n = strlen(name);
  }

  fits = abstract ? n <= SUN_PATH_SIZE
                  : n < SUN_PATH_SIZE && memchr(name, '\0', n) == NULL;

  FUZZ_CHECK(uv_pipe_init(&loop, &server, 0) == 0);
  FUZZ_CHECK(uv_pipe_bind2(&server, name, n, 2) == UV_EINVAL); /* unknown flag */
  if (data[0] & 4)
    r = flags ? uv_pipe_bind2(&server, name, n, flags) : uv_pipe_bind(&server, name);
  else
    r = uv_pipe_bind2(&server, name, n, flags);

  if (!fits) {
    FUZZ_CHECK(r == UV_EINVAL);
    FUZZ_CHECK(uv_pipe_init(&loop, &client, 0) == 0);
    FUZZ_CHECK(uv_pipe_connect2(&req, &client, name, n, flags, on_connect) == UV_EINVAL);
    connect_calls = 0;
    if (data[0] & 4) {
      /* The void form reports the refusal through the callback. */
      uv_pipe_connect(&req, &client, name, on_connect);
      FUZZ_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
      FUZZ_CHECK(connect_calls == 1 && connect_status == UV_EINVAL);
    }
    uv_close((uv_handle_t*)&client, NULL);
    uv_close((uv_handle_t*)&server, NULL);
    FUZZ_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
    /* Nothing was made under any shorter name. */
    if (!abstract && n >= SUN_PATH_SIZE) {
      char cut[SUN_PATH_SIZE];
      memcpy(cut, name, SUN_PATH_SIZE - 1);
      cut[SUN_PATH_SIZE - 1] = '\0';
      FUZZ_CHECK(memchr(cut, '\0', SUN_PATH_SIZE - 1) != NULL ||
                 access(cut, F_OK) != 0);
    }
    return 0;
  }

  FUZZ_CHECK(r == 0);
  check_name(&server, 0, name, n);
  FUZZ_CHECK(uv_listen((uv_stream_t*)&server, 4, on_connection) == 0);

  FUZZ_CHECK(uv_pipe_init(&loop, &client, 0) == 0);
  connect_calls = 0;
  connection_calls = 0;
  connect_status = 1;
  FUZZ_CHECK(uv_pipe_connect2(&req, &client, name, n, flags, on_connect) == 0);
  while (connect_calls == 0 || connection_calls == 0)
    FUZZ_CHECK(uv_run(&loop, UV_RUN_ONCE) >= 0);
  FUZZ_CHECK(connect_calls == 1 && connect_status == 0);
  check_name(&client, 1, name, n);

  uv_close((uv_handle_t*)&client, NULL);
  uv_close((uv_handle_t*)&server, NULL);
  FUZZ_CHECK(uv_run(&loop, UV_RUN_DEFAULT) == 0);
  if (!abstract) FUZZ_CHECK(access(name, F_OK) != 0 && errno == ENOENT);
  return 0;
}
