/* eddy benchmarks — what the raw programs (raw-*.c) share.
 *
 * A raw program does the work of its bench-*.c twin straight on the
 * system calls (epoll_wait, eventfd, clock_gettime) and plain data
 * structures, with none of a library's generality: it is the physical
 * limit a library is measured against, not a competitor.  It links no
 * libuv and says so on stderr ("LIBRARY kind=raw"). */
#ifndef EDDY_BENCH_RAW_COMMON_H
#define EDDY_BENCH_RAW_COMMON_H

/* dladdr, CLOCK_MONOTONIC_COARSE: the build defines it too. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "bench-common.h"

static inline void raw_identify(void) { fprintf(stderr, "LIBRARY kind=raw\n"); }

/* The loop's millisecond clock, as an event loop keeps it: the coarse
 * monotonic clock when it ticks at least every millisecond (no hardware
 * counter read), the precise one otherwise. */
static inline clockid_t raw_loop_clock_id(void) {
  static clockid_t id = (clockid_t)-1;
  struct timespec res;
  if (id == (clockid_t)-1) {
    id = CLOCK_MONOTONIC;
    if (clock_getres(CLOCK_MONOTONIC_COARSE, &res) == 0 && res.tv_sec == 0 &&
        res.tv_nsec <= 1000000)
      id = CLOCK_MONOTONIC_COARSE;
  }
  return id;
}

static inline uint64_t raw_loop_ms(void) {
  struct timespec t;
  clock_gettime(raw_loop_clock_id(), &t);
  return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* ---- a plain binary min-heap of timers, in an array ---------------------- */

struct raw_timer {
  uint64_t due; /* ms */
  uint64_t seq; /* start order: ties run in the order started */
  size_t slot;  /* index in the heap array; SIZE_MAX when not in it */
};

struct raw_heap {
  struct raw_timer** a;
  size_t n;
};

static inline int raw_less(const struct raw_timer* x,
                           const struct raw_timer* y) {
  if (x->due != y->due) return x->due < y->due;
  return x->seq < y->seq;
}

static inline void raw_heap_place(struct raw_heap* h, size_t i,
                                  struct raw_timer* t) {
  h->a[i] = t;
  t->slot = i;
}

static inline void raw_heap_up(struct raw_heap* h, size_t i) {
  struct raw_timer* t = h->a[i];
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!raw_less(t, h->a[p])) break;
    raw_heap_place(h, i, h->a[p]);
    i = p;
  }
  raw_heap_place(h, i, t);
}

static inline void raw_heap_down(struct raw_heap* h, size_t i) {
  struct raw_timer* t = h->a[i];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && raw_less(h->a[c + 1], h->a[c])) c++;
    if (!raw_less(h->a[c], t)) break;
    raw_heap_place(h, i, h->a[c]);
    i = c;
  }
  raw_heap_place(h, i, t);
}

static inline void raw_heap_insert(struct raw_heap* h, struct raw_timer* t) {
  h->a[h->n] = t;
  t->slot = h->n++;
  raw_heap_up(h, t->slot);
}

static inline void raw_heap_remove(struct raw_heap* h, struct raw_timer* t) {
  size_t i = t->slot;
  struct raw_timer* last;

  if (i == SIZE_MAX) return;
  t->slot = SIZE_MAX;
  last = h->a[--h->n];
  if (last == t) return;
  raw_heap_place(h, i, last);
  if (i > 0 && raw_less(last, h->a[(i - 1) / 2]))
    raw_heap_up(h, i);
  else
    raw_heap_down(h, i);
}

static inline struct raw_timer* raw_heap_min(const struct raw_heap* h) {
  return h->n != 0 ? h->a[0] : NULL;
}

/* ---- an intrusive list of callbacks (idle, prepare, check) ----------------
 */

struct raw_watcher {
  struct raw_watcher* next;
  struct raw_watcher* prev;
  void (*cb)(struct raw_watcher*);
};

static inline void raw_list_init(struct raw_watcher* head) {
  head->next = head;
  head->prev = head;
}

static inline void raw_list_insert_head(struct raw_watcher* head,
                                        struct raw_watcher* w) {
  w->next = head->next;
  w->prev = head;
  head->next->prev = w;
  head->next = w;
}

static inline void raw_list_remove(struct raw_watcher* w) {
  w->prev->next = w->next;
  w->next->prev = w->prev;
  w->next = w;
  w->prev = w;
}

/* Runs every watcher on the list; a callback may remove its own watcher
 * (the next one is read before the call). */
static inline void raw_list_run(struct raw_watcher* head) {
  struct raw_watcher* w = head->next;
  struct raw_watcher* next;
  for (; w != head; w = next) {
    next = w->next;
    w->cb(w);
  }
}

#endif /* EDDY_BENCH_RAW_COMMON_H */
