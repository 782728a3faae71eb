/* eddy — timers.
 *
 * Active timers sit in the loop's intrusive min-heap, ordered by due time
 * and then by start order, so that timers due at the same time run in the
 * order they were started.  Due timers are first taken out of the heap
 * onto a ready list, then run: a timer (re)started by a callback with a
 * zero timeout therefore waits for the next iteration instead of starving
 * the loop, and a ready timer stopped by an earlier callback of the same
 * round does not run. */
#include "internal.h"
#include "heap.h"

#include <limits.h>

static int timer_less(const struct uv__heap_node* a,
                      const struct uv__heap_node* b) {
  const uv_timer_t* ta = container_of(a, uv_timer_t, node.heap);
  const uv_timer_t* tb = container_of(b, uv_timer_t, node.heap);
  if (ta->timeout != tb->timeout) return ta->timeout < tb->timeout;
  return ta->start_id < tb->start_id;
}

static int is_timer(const uv_timer_t* handle) {
  return handle != NULL && handle->type == UV_TIMER;
}

UV__EXPORT int uv_timer_init(uv_loop_t* loop, uv_timer_t* handle) {
  if (loop == NULL || handle == NULL) return UV_EINVAL;
  uv__handle_init(loop, (uv_handle_t*)handle, UV_TIMER);
  handle->timer_cb = NULL;
  handle->timeout = 0;
  handle->repeat = 0;
  handle->start_id = 0;
  uv__link_init(&handle->node.ready);
  return 0;
}

UV__EXPORT int uv_timer_stop(uv_timer_t* handle) {
  if (!is_timer(handle)) return UV_EINVAL;
  if (uv__is_active((uv_handle_t*)handle)) {
    uv__heap_remove(&handle->loop->timer_heap, &handle->node.heap, timer_less);
    uv__handle_stop((uv_handle_t*)handle);
  } else {
    uv__link_remove(&handle->node.ready); /* due but not yet run, or no-op */
  }
  uv__link_init(&handle->node.ready);
  return 0;
}

UV__EXPORT int uv_timer_start(uv_timer_t* handle, uv_timer_cb cb,
                              uint64_t timeout, uint64_t repeat) {
  uv_loop_t* loop;
  uint64_t due;

  if (!is_timer(handle) || cb == NULL ||
      uv__is_closing((uv_handle_t*)handle))
    return UV_EINVAL;
  uv_timer_stop(handle);

  loop = handle->loop;
  due = loop->time + timeout;
  if (due < loop->time) due = UINT64_MAX; /* saturate instead of wrapping */

  handle->timer_cb = cb;
  handle->timeout = due;
  handle->repeat = repeat;
  handle->start_id = loop->timer_counter++;
  uv__heap_insert(&loop->timer_heap, &handle->node.heap, timer_less);
  uv__handle_start((uv_handle_t*)handle);
  return 0;
}

UV__EXPORT int uv_timer_again(uv_timer_t* handle) {
  if (!is_timer(handle) || handle->timer_cb == NULL) return UV_EINVAL;
  if (handle->repeat != 0)
    return uv_timer_start(handle, handle->timer_cb, handle->repeat,
                          handle->repeat);
  return 0;
}

UV__EXPORT void uv_timer_set_repeat(uv_timer_t* handle, uint64_t repeat) {
  if (is_timer(handle)) handle->repeat = repeat;
}

UV__EXPORT uint64_t uv_timer_get_repeat(const uv_timer_t* handle) {
  return is_timer(handle) ? handle->repeat : 0;
}

/* Like libuv, measured from the loop's cached time, and 0 once due. */
UV__EXPORT uint64_t uv_timer_get_due_in(const uv_timer_t* handle) {
  if (!is_timer(handle) || handle->loop->time >= handle->timeout) return 0;
  return handle->timeout - handle->loop->time;
}

/* Milliseconds until the earliest timer is due: 0 if one is due, -1 if
 * there is none, capped at INT_MAX. */
int uv__next_timeout(const uv_loop_t* loop) {
  const struct uv__heap_node* min = uv__heap_min(&loop->timer_heap);
  const uv_timer_t* t;
  uint64_t diff;

  if (min == NULL) return -1;
  t = container_of(min, uv_timer_t, node.heap);
  if (t->timeout <= loop->time) return 0;
  diff = t->timeout - loop->time;
  return diff > INT_MAX ? INT_MAX : (int)diff;
}

void uv__run_timers(uv_loop_t* loop) {
  struct uv__link ready;
  struct uv__heap_node* min;
  struct uv__link* l;
  uv_timer_t* t;

  uv__link_init(&ready);
  while ((min = uv__heap_min(&loop->timer_heap)) != NULL) {
    t = container_of(min, uv_timer_t, node.heap);
    if (t->timeout > loop->time) break;
    uv_timer_stop(t);
    uv__link_insert_tail(&ready, &t->node.ready);
  }

  while (!uv__link_empty(&ready)) {
    l = ready.next;
    uv__link_remove(l);
    t = container_of(l, uv_timer_t, node.ready);
    uv_timer_again(t); /* a repeating timer is due again from now */
    t->timer_cb(t);
  }
}

void uv__timer_close(uv_timer_t* handle) { uv_timer_stop(handle); }
