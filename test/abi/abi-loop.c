/* abi-loop — a libuv program, built against the system's libuv headers,
 * that drives the loop core on eddy: the phases of one iteration, timers
 * (ordering, repeat, again), idle/prepare/check, async sends from another
 * thread, close order, uv_walk and the public struct members a program
 * reads directly (loop->data, loop->active_handles, handle->type,
 * handle->loop, loop->stop_flag).  Every size and offset it uses comes
 * from libuv's headers, so a layout difference in eddy shows up here. */
#include <pthread.h>

#include "abi-common.h"

static char trace[256];
static size_t trace_len;

static void mark(char c) {
  if (trace_len + 1 < sizeof(trace)) trace[trace_len++] = c;
  trace[trace_len] = '\0';
}

/* ---- phases ------------------------------------------------------------ */

static void on_phase_timer(uv_timer_t* h) { (void)h; mark('T'); }
static void on_phase_idle(uv_idle_t* h) { mark('I'); uv_idle_stop(h); }
static void on_phase_prepare(uv_prepare_t* h) { mark('P'); uv_prepare_stop(h); }
static void on_phase_check(uv_check_t* h) { mark('C'); uv_check_stop(h); }
static void on_phase_async(uv_async_t* h) {
  mark('A');
  uv_close((uv_handle_t*)h, NULL);
}
static void on_phase_close(uv_handle_t* h) { (void)h; mark('X'); }

static void check_phases(void) {
  uv_loop_t* loop = malloc(sizeof(*loop));
  uv_timer_t timer;
  uv_idle_t idle;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_async_t async;
  uv_timer_t closing;

  ABI_CHECK(loop != NULL);
  loop->data = (void*)0x1234;
  ABI_CHECK_INT_EQ(uv_loop_init(loop), 0);
  ABI_CHECK(loop->data == (void*)0x1234);
  ABI_CHECK_INT_EQ(loop->active_handles, 0);
  ABI_CHECK(uv_backend_fd(loop) >= 0);

  uv_timer_init(loop, &timer);
  uv_idle_init(loop, &idle);
  uv_prepare_init(loop, &prepare);
  uv_check_init(loop, &check);
  uv_async_init(loop, &async, on_phase_async);
  uv_timer_init(loop, &closing);
  ABI_CHECK(timer.type == UV_TIMER && timer.loop == loop);
  ABI_CHECK(async.type == UV_ASYNC && async.loop == loop);

  uv_timer_start(&timer, on_phase_timer, 0, 0);
  uv_idle_start(&idle, on_phase_idle);
  uv_prepare_start(&prepare, on_phase_prepare);
  uv_check_start(&check, on_phase_check);
  uv_async_send(&async);
  uv_close((uv_handle_t*)&closing, on_phase_close);
  /* timer, idle, prepare, check, async are active and referenced */
  ABI_CHECK_INT_EQ(loop->active_handles, 5);

  /* One iteration: the async callback closes its handle, nothing else
   * keeps the loop alive. */
  ABI_CHECK_INT_EQ(uv_run(loop, UV_RUN_DEFAULT), 0);
  ABI_CHECK(strcmp(trace, "TIPACX") == 0);
  if (strcmp(trace, "TIPACX") != 0) fprintf(stderr, "trace: %s\n", trace);

  uv_close((uv_handle_t*)&timer, NULL);
  uv_close((uv_handle_t*)&idle, NULL);
  uv_close((uv_handle_t*)&prepare, NULL);
  uv_close((uv_handle_t*)&check, NULL);
  ABI_CHECK_INT_EQ(uv_run(loop, UV_RUN_DEFAULT), 0);
  ABI_CHECK_INT_EQ(uv_loop_close(loop), 0);
  free(loop);
}

/* ---- timers ------------------------------------------------------------ */

static int order[8];
static int norder;
static int repeat_calls;

static void on_ordered(uv_timer_t* h) {
  if (norder < 8) order[norder++] = (int)(intptr_t)h->data;
}

static void on_repeat(uv_timer_t* h) {
  if (++repeat_calls == 3) uv_timer_stop(h);
}

static void check_timers(void) {
  uv_loop_t loop;
  uv_timer_t t[4];
  uv_timer_t rep;
  int i;

  ABI_CHECK_INT_EQ(uv_loop_init(&loop), 0);
  for (i = 0; i < 4; i++) {
    uv_timer_init(&loop, &t[i]);
    t[i].data = (void*)(intptr_t)i;
  }
  /* Same due time: start order.  A restart moves a timer to the back. */
  for (i = 0; i < 4; i++) uv_timer_start(&t[i], on_ordered, 5, 0);
  uv_timer_start(&t[1], on_ordered, 5, 0);

  uv_timer_init(&loop, &rep);
  uv_timer_start(&rep, on_repeat, 1, 2);
  ABI_CHECK_INT_EQ(uv_timer_get_repeat(&rep), 2);
  ABI_CHECK(uv_timer_get_due_in(&rep) <= 1);
  ABI_CHECK_INT_EQ(uv_timer_again(&rep), 0); /* restarts with 2 ms */

  ABI_CHECK_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  ABI_CHECK_INT_EQ(norder, 4);
  ABI_CHECK(order[0] == 0 && order[1] == 2 && order[2] == 3 && order[3] == 1);
  ABI_CHECK_INT_EQ(repeat_calls, 3);

  for (i = 0; i < 4; i++) uv_close((uv_handle_t*)&t[i], NULL);
  uv_close((uv_handle_t*)&rep, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  ABI_CHECK_INT_EQ(uv_loop_close(&loop), 0);
}

/* ---- async from another thread ------------------------------------------ */

#define SENDS 20000

static uv_async_t cross;
static int cross_seen;
static int cross_sent; /* written by the sender, read after it is joined */

static void* sender(void* arg) {
  int i;
  (void)arg;
  for (i = 0; i < SENDS; i++) {
    __atomic_store_n(&cross_sent, i + 1, __ATOMIC_SEQ_CST);
    uv_async_send(&cross);
  }
  return NULL;
}

static void on_cross(uv_async_t* h) {
  cross_seen = __atomic_load_n(&cross_sent, __ATOMIC_SEQ_CST);
  if (cross_seen == SENDS) uv_close((uv_handle_t*)h, NULL);
}

static void check_async(void) {
  uv_loop_t loop;
  pthread_t thread;

  ABI_CHECK_INT_EQ(uv_loop_init(&loop), 0);
  ABI_CHECK_INT_EQ(uv_async_init(&loop, &cross, on_cross), 0);
  ABI_CHECK_INT_EQ(pthread_create(&thread, NULL, sender, NULL), 0);
  ABI_CHECK_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  pthread_join(thread, NULL);
  ABI_CHECK_INT_EQ(cross_seen, SENDS);
  ABI_CHECK_INT_EQ(uv_loop_close(&loop), 0);
}

/* ---- close order, walk, stop ---------------------------------------------- */

static int closed[3];
static int nclosed;
static int walked;

static void on_closed(uv_handle_t* h) { closed[nclosed++] = (int)(intptr_t)h->data; }
static void on_walk(uv_handle_t* h, void* arg) {
  ABI_CHECK(arg == (void*)&walked);
  ABI_CHECK(h->type == UV_IDLE);
  walked++;
}
static void on_stop_idle(uv_idle_t* h) {
  uv_stop(h->loop);
  ABI_CHECK_INT_EQ(h->loop->stop_flag, 1);
}

static void check_close_walk_stop(void) {
  uv_loop_t loop;
  uv_idle_t h[3];
  int i;

  ABI_CHECK_INT_EQ(uv_loop_init(&loop), 0);
  for (i = 0; i < 3; i++) {
    uv_idle_init(&loop, &h[i]);
    h[i].data = (void*)(intptr_t)i;
  }
  uv_walk(&loop, on_walk, &walked);
  ABI_CHECK_INT_EQ(walked, 3);

  uv_idle_start(&h[0], on_stop_idle);
  ABI_CHECK(uv_run(&loop, UV_RUN_DEFAULT) != 0); /* stopped while alive */
  ABI_CHECK_INT_EQ(loop.stop_flag, 0);
  ABI_CHECK(uv_loop_alive(&loop));

  for (i = 0; i < 3; i++) uv_close((uv_handle_t*)&h[i], on_closed);
  ABI_CHECK_INT_EQ(uv_loop_close(&loop), UV_EBUSY);
  ABI_CHECK_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  /* libuv on Unix runs the most recently closed handle first */
  ABI_CHECK(nclosed == 3 && closed[0] == 2 && closed[1] == 1 && closed[2] == 0);
  ABI_CHECK_INT_EQ(uv_loop_close(&loop), 0);
}

int main(void) {
  abi_check_running_on_eddy();
  ABI_CHECK(strcmp(uv_err_name(UV_EBUSY), "EBUSY") == 0);
  ABI_CHECK(strcmp(uv_handle_type_name(UV_TIMER), "timer") == 0);
  ABI_CHECK_INT_EQ(uv_handle_size(UV_TIMER), sizeof(uv_timer_t));
  ABI_CHECK_INT_EQ(uv_loop_size(), sizeof(uv_loop_t));
  check_phases();
  check_timers();
  check_async();
  check_close_walk_stop();
  return abi_finish("abi-loop");
}
