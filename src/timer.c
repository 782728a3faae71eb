/* eddy — timers.
 *
 * Order.  Timers run by due time, and timers due at the same millisecond
 * in the order they were started.  Due timers are first taken out onto a
 * ready list, then run: a timer (re)started by a callback with a zero
 * timeout therefore waits for the next iteration instead of starving the
 * loop, and a ready timer stopped by an earlier callback of the same round
 * does not run.
 *
 * Two structures hold the active timers:
 *
 * - the wheel: one list per millisecond for the next UV__WHEEL_SLOTS
 *   milliseconds, with a bitmap of the non-empty slots.  Every timer on it
 *   is due in [base, base + UV__WHEEL_SLOTS), so a slot holds timers of a
 *   single due time, and since start order is append order, a slot's list
 *   is already in the order its timers must run.  Start and stop are O(1)
 *   and touch no other timer but the list neighbours: the common case of a
 *   server (thousands of timeouts of the same few lengths, restarted all
 *   the time) never walks a tree.
 * - the heap (src/heap.h) for the rest: timers due later than the wheel
 *   reaches, timers due before its base (a zero timeout started from a
 *   callback), and every timer when the wheel could not be allocated.
 *
 * Collecting due timers merges the two by (due time, start order).  The
 * wheel is allocated on the first uv_timer_start of a loop; if that fails,
 * the heap alone still does everything, only slower. */
#include "internal.h"
#include "heap.h"

#include <limits.h>
#include <string.h>

#define UV__WHEEL_BITS 12
#define UV__WHEEL_SLOTS (1u << UV__WHEEL_BITS) /* milliseconds ahead */
#define UV__WHEEL_MASK (UV__WHEEL_SLOTS - 1)
#define UV__WHEEL_WORDS (UV__WHEEL_SLOTS / 64)

/* handle->flags of a timer on the wheel (not in the heap). */
#define UV__TIMER_ON_WHEEL (1u << 16)

struct uv__timer_wheel {
  uint64_t base;                      /* see above; only ever grows */
  uint64_t count;                     /* timers on the wheel */
  uint64_t occupied[UV__WHEEL_WORDS]; /* bit per non-empty slot */
  struct uv__link slots[UV__WHEEL_SLOTS];
};

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

static struct uv__timer_wheel* wheel_of(const uv_loop_t* loop) {
  return (struct uv__timer_wheel*)loop->timer_wheel;
}

static struct uv__timer_wheel* wheel_new(uv_loop_t* loop) {
  struct uv__timer_wheel* w = uv__malloc(sizeof(*w));
  unsigned i;

  if (w == NULL) return NULL;
  w->base = loop->time;
  w->count = 0;
  memset(w->occupied, 0, sizeof(w->occupied));
  for (i = 0; i < UV__WHEEL_SLOTS; i++) uv__link_init(&w->slots[i]);
  loop->timer_wheel = w;
  return w;
}

/* Puts an active timer on the wheel if its due time is in the wheel's
 * window; returns 0 if it must go to the heap. */
static int wheel_insert(uv_loop_t* loop, uv_timer_t* t) {
  struct uv__timer_wheel* w = wheel_of(loop);
  unsigned slot;

  if (w == NULL && (w = wheel_new(loop)) == NULL) return 0;
  if (w->count == 0 && w->base < loop->time) w->base = loop->time;
  if (t->timeout < w->base || t->timeout - w->base >= UV__WHEEL_SLOTS)
    return 0;
  slot = (unsigned)(t->timeout & UV__WHEEL_MASK);
  uv__link_insert_tail(&w->slots[slot], &t->node.ready);
  w->occupied[slot / 64] |= UINT64_C(1) << (slot % 64);
  w->count++;
  t->flags |= UV__TIMER_ON_WHEEL;
  return 1;
}

static void wheel_remove(uv_loop_t* loop, uv_timer_t* t) {
  struct uv__timer_wheel* w = wheel_of(loop);
  unsigned slot = (unsigned)(t->timeout & UV__WHEEL_MASK);

  uv__link_remove(&t->node.ready);
  if (uv__link_empty(&w->slots[slot]))
    w->occupied[slot / 64] &= ~(UINT64_C(1) << (slot % 64));
  w->count--;
  t->flags &= ~UV__TIMER_ON_WHEEL;
}

/* The first non-empty slot at or after the base, as a distance from it
 * (the wheel must not be empty). */
static unsigned wheel_first(const struct uv__timer_wheel* w) {
  unsigned start = (unsigned)(w->base & UV__WHEEL_MASK);
  unsigned word = start / 64;
  uint64_t bits = w->occupied[word] & (~UINT64_C(0) << (start % 64));
  unsigned i;

  for (i = 0; bits == 0 && i < UV__WHEEL_WORDS; i++) {
    word = (word + 1) % UV__WHEEL_WORDS;
    bits = w->occupied[word];
  }
  /* After a full turn, word is the start word again, with all its bits:
   * those below start are the far end of the window. */
  return ((word * 64 + (unsigned)__builtin_ctzll(bits)) - start) &
         UV__WHEEL_MASK;
}

/* The due time of the wheel's earliest timer; UINT64_MAX if none. */
static uint64_t wheel_min_due(const struct uv__timer_wheel* w) {
  if (w == NULL || w->count == 0) return UINT64_MAX;
  return w->base + wheel_first(w);
}

/* The wheel's earliest timer if it is due at or before `now`, else NULL.
 * Moves the base up to it: nothing on the wheel is due earlier. */
static uv_timer_t* wheel_due(struct uv__timer_wheel* w, uint64_t now) {
  uint64_t due = wheel_min_due(w);

  if (due > now) return NULL; /* UINT64_MAX too: an empty wheel */
  w->base = due;
  return container_of(w->slots[due & UV__WHEEL_MASK].next, uv_timer_t,
                      node.ready);
}

static uv_timer_t* heap_due(const uv_loop_t* loop, uint64_t now) {
  const struct uv__heap_node* min = uv__heap_min(&loop->timer_heap);
  uv_timer_t* t;

  if (min == NULL) return NULL;
  t = container_of(min, uv_timer_t, node.heap);
  return t->timeout <= now ? t : NULL;
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
  if (handle->flags & UV__TIMER_ON_WHEEL) {
    wheel_remove(handle->loop, handle);
    uv__handle_stop((uv_handle_t*)handle);
  } else if (uv__is_active((uv_handle_t*)handle)) {
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
  if (!wheel_insert(loop, handle))
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
  const struct uv__timer_wheel* w = wheel_of(loop);
  uint64_t due = wheel_min_due(w);
  uint64_t diff;

  if (min == NULL && due == UINT64_MAX) return -1; /* no timer at all */
  if (min != NULL && container_of(min, uv_timer_t, node.heap)->timeout < due)
    due = container_of(min, uv_timer_t, node.heap)->timeout;
  if (due <= loop->time) return 0;
  diff = due - loop->time;
  return diff > INT_MAX ? INT_MAX : (int)diff;
}

void uv__run_timers(uv_loop_t* loop) {
  struct uv__timer_wheel* w = wheel_of(loop);
  uint64_t now = loop->time;
  struct uv__link ready;
  struct uv__link* l;
  uv_timer_t* h;
  uv_timer_t* t;

  /* Collect, in (due time, start order), merging the wheel and the heap. */
  uv__link_init(&ready);
  for (;;) {
    t = wheel_due(w, now);
    h = heap_due(loop, now);
    if (t == NULL || (h != NULL && timer_less(&h->node.heap, &t->node.heap)))
      t = h;
    if (t == NULL) break;
    uv_timer_stop(t);
    uv__link_insert_tail(&ready, &t->node.ready);
  }
  /* Nothing left on the wheel is due by now: the window moves with time. */
  if (w != NULL && w->base < now) w->base = now;

  while (!uv__link_empty(&ready)) {
    l = ready.next;
    uv__link_remove(l);
    t = container_of(l, uv_timer_t, node.ready);
    uv_timer_again(t); /* a repeating timer is due again from now */
    t->timer_cb(t);
  }
}

void uv__timer_close(uv_timer_t* handle) { uv_timer_stop(handle); }

/* Every timer is closed by now (uv_loop_close refuses otherwise). */
void uv__timer_loop_close(uv_loop_t* loop) {
  uv__free(loop->timer_wheel);
  loop->timer_wheel = NULL;
}
