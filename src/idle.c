/* eddy — idle, prepare and check handles.
 *
 * The three differ only in the loop phase that runs them, so one template
 * defines all three.  A started handle goes to the head of its list: the
 * newest runs first, as in libuv.  Each phase walks a snapshot of the list
 * so that handles started by a callback wait for the next iteration and
 * handles stopped by a callback are skipped. */
#include "internal.h"

#define UV__LOOP_WATCHER_DEFINE(name, NAME)                                 \
  UV__EXPORT int uv_##name##_init(uv_loop_t* loop, uv_##name##_t* handle) { \
    if (loop == NULL || handle == NULL) return UV_EINVAL;                   \
    uv__handle_init(loop, (uv_handle_t*)handle, UV_##NAME);                 \
    handle->name##_cb = NULL;                                               \
    uv__link_init(&handle->queue);                                          \
    return 0;                                                               \
  }                                                                         \
                                                                            \
  UV__EXPORT int uv_##name##_start(uv_##name##_t* handle,                   \
                                   uv_##name##_cb cb) {                     \
    if (handle == NULL || handle->type != UV_##NAME || cb == NULL ||        \
        uv__is_closing((uv_handle_t*)handle))                               \
      return UV_EINVAL;                                                     \
    if (uv__is_active((uv_handle_t*)handle)) return 0;                      \
    uv__link_insert_head(&handle->loop->name##_handles, &handle->queue);    \
    handle->name##_cb = cb;                                                 \
    uv__handle_start((uv_handle_t*)handle);                                 \
    return 0;                                                               \
  }                                                                         \
                                                                            \
  UV__EXPORT int uv_##name##_stop(uv_##name##_t* handle) {                  \
    if (handle == NULL || handle->type != UV_##NAME) return UV_EINVAL;      \
    if (!uv__is_active((uv_handle_t*)handle)) return 0;                     \
    uv__link_remove(&handle->queue);                                        \
    uv__handle_stop((uv_handle_t*)handle);                                  \
    return 0;                                                               \
  }                                                                         \
                                                                            \
  void uv__run_##name(uv_loop_t* loop) {                                    \
    struct uv__link snapshot;                                               \
    struct uv__link* l;                                                     \
    uv_##name##_t* h;                                                       \
    uv__link_move(&loop->name##_handles, &snapshot);                        \
    while (!uv__link_empty(&snapshot)) {                                    \
      l = snapshot.next;                                                    \
      uv__link_remove(l);                                                   \
      uv__link_insert_tail(&loop->name##_handles, l);                       \
      h = container_of(l, uv_##name##_t, queue);                            \
      h->name##_cb(h);                                                      \
    }                                                                       \
  }                                                                         \
                                                                            \
  void uv__##name##_close(uv_##name##_t* handle) { uv_##name##_stop(handle); }

UV__LOOP_WATCHER_DEFINE(idle, IDLE)
UV__LOOP_WATCHER_DEFINE(prepare, PREPARE)
UV__LOOP_WATCHER_DEFINE(check, CHECK)
