/* abi-loaded-eddy — a libuv program, built against the system's libuv,
 * that proves it runs on eddy: eddy's symbols are present and eddy's
 * library is mapped instead of the system's libuv.so.1.  It then runs the
 * default loop with one timer and one idle handle, closes both and closes
 * the loop. */
#include "abi-common.h"

#define IDLE_STOP_AFTER 3

static int timer_calls;
static int idle_calls;
static int close_calls;
static uint64_t timer_started_at;
static uint64_t timer_fired_at;

static void on_timer(uv_timer_t* timer) {
  timer_calls++;
  timer_fired_at = uv_now(timer->loop);
}

static void on_idle(uv_idle_t* idle) {
  idle_calls++;
  if (idle_calls == IDLE_STOP_AFTER) ABI_CHECK_INT_EQ(uv_idle_stop(idle), 0);
}

static void on_close(uv_handle_t* handle) {
  (void)handle;
  close_calls++;
}

int main(void) {
  char expected_prefix[64];
  const char* version;
  uv_loop_t* loop;
  uv_timer_t timer;
  uv_idle_t idle;

  abi_check_running_on_eddy();

  /* eddy reports the libuv release whose API it implements: at least the
   * one this program was built against. */
  version = uv_version_string();
  ABI_CHECK(version != NULL);
  ABI_CHECK(uv_version() >= (unsigned)UV_VERSION_HEX);
  snprintf(expected_prefix, sizeof(expected_prefix), "%u.%u.%u",
           (uv_version() >> 16) & 0xff, (uv_version() >> 8) & 0xff,
           uv_version() & 0xff);
  if (version != NULL) {
    printf("uv_version_string() = %s (built against libuv %d.%d.%d)\n", version,
           UV_VERSION_MAJOR, UV_VERSION_MINOR, UV_VERSION_PATCH);
    ABI_CHECK(strncmp(version, expected_prefix, strlen(expected_prefix)) == 0);
  }

  loop = uv_default_loop();
  ABI_CHECK(loop != NULL);
  if (loop == NULL) return abi_finish("abi-loaded-eddy");

  ABI_CHECK_INT_EQ(uv_timer_init(loop, &timer), 0);
  ABI_CHECK_INT_EQ(uv_idle_init(loop, &idle), 0);
  timer_started_at = uv_now(loop);
  ABI_CHECK_INT_EQ(uv_timer_start(&timer, on_timer, 10, 0), 0);
  ABI_CHECK_INT_EQ(uv_idle_start(&idle, on_idle), 0);

  ABI_CHECK_INT_EQ(uv_run(loop, UV_RUN_DEFAULT), 0);
  ABI_CHECK_INT_EQ(timer_calls, 1);
  ABI_CHECK_INT_EQ(idle_calls, IDLE_STOP_AFTER);
  /* The loop's clock passed the timeout before the timer ran. */
  ABI_CHECK(timer_fired_at - timer_started_at >= 10);
  ABI_CHECK_INT_EQ(uv_is_active((uv_handle_t*)&timer), 0);
  ABI_CHECK_INT_EQ(uv_is_active((uv_handle_t*)&idle), 0);

  uv_close((uv_handle_t*)&timer, on_close);
  uv_close((uv_handle_t*)&idle, on_close);
  ABI_CHECK_INT_EQ(uv_run(loop, UV_RUN_DEFAULT), 0);
  ABI_CHECK_INT_EQ(close_calls, 2);
  ABI_CHECK_INT_EQ(uv_loop_close(loop), 0);

  return abi_finish("abi-loaded-eddy");
}
