/* A timer and an idle handle on one loop.
 *
 * The idle handle runs on every loop iteration while it is active (and
 * keeps the loop from blocking); the timer fires three times, 50 ms
 * apart, and on the last tick stops the idle handle and closes both.
 * Build with eddy (or libuv: the code is the same) and run it. */
#include <stdio.h>
#include <uv.h>

static uv_timer_t timer;
static uv_idle_t idle;
static unsigned long idle_calls;
static int ticks;

static void on_idle(uv_idle_t* handle) {
  (void)handle;
  idle_calls++;
}

static void on_tick(uv_timer_t* handle) {
  ticks++;
  printf("tick %d at %llu ms, idle ran %lu times so far\n", ticks,
         (unsigned long long)uv_now(handle->loop), idle_calls);
  if (ticks == 3) {
    uv_idle_stop(&idle);
    uv_close((uv_handle_t*)&timer, NULL);
    uv_close((uv_handle_t*)&idle, NULL);
  }
}

int main(void) {
  uv_loop_t* loop = uv_default_loop();
  int r;

  printf("running on libuv API %s\n", uv_version_string());
  uv_idle_init(loop, &idle);
  uv_idle_start(&idle, on_idle);
  uv_timer_init(loop, &timer);
  uv_timer_start(&timer, on_tick, 50, 50);

  r = uv_run(loop, UV_RUN_DEFAULT);
  printf("loop done (%d), %d ticks\n", r, ticks);
  return uv_loop_close(loop) == 0 && ticks == 3 ? 0 : 1;
}
