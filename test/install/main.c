/* A user's program against an installed eddy: its version, and one timer
 * on a loop of its own.  Exits 0 when all went as expected. */
#include <stdio.h>

#include <eddy.h>
#include <uv.h>

static int fired;

static void on_timer(uv_timer_t* timer) {
  (void)timer;
  fired++;
}

int main(void) {
  uv_loop_t loop;
  uv_timer_t timer;

  printf("libuv API %s, eddy %s\n", uv_version_string(), eddy_version_string());
  if (uv_loop_init(&loop) != 0) return 1;
  if (uv_timer_init(&loop, &timer) != 0) return 1;
  if (uv_timer_start(&timer, on_timer, 1, 0) != 0) return 1;
  if (uv_run(&loop, UV_RUN_DEFAULT) != 0) return 1;
  if (fired != 1) {
    fprintf(stderr, "the timer ran %d times, not once\n", fired);
    return 1;
  }
  uv_close((uv_handle_t*)&timer, NULL);
  if (uv_run(&loop, UV_RUN_DEFAULT) != 0) return 1;
  if (uv_loop_close(&loop) != 0) {
    fprintf(stderr, "uv_loop_close failed\n");
    return 1;
  }
  return 0;
}
