/* eddy — an intrusive binary min-heap.
 *
 * The nodes live inside the elements (a timer carries its own), so adding
 * and removing never allocates.  The tree is complete: element number n
 * (1-based, in level order) is reached from the root by the bits of n below
 * its highest one, 0 meaning left.  Ties are broken by the caller's
 * comparison (timers compare due time, then start order). */
#ifndef EDDY_HEAP_H
#define EDDY_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "uv.h"

typedef int (*uv__heap_less_fn)(const struct uv__heap_node* a,
                                const struct uv__heap_node* b);

static inline void uv__heap_init(struct uv__heap* h) {
  h->min = NULL;
  h->nelts = 0;
}

static inline struct uv__heap_node* uv__heap_min(const struct uv__heap* h) {
  return h->min;
}

/* The slot (a parent's child pointer, or the root pointer) of element n,
 * and that parent. */
static inline struct uv__heap_node** uv__heap_slot(struct uv__heap* h,
                                                   uint64_t n,
                                                   struct uv__heap_node** up) {
  struct uv__heap_node** slot = &h->min;
  struct uv__heap_node* parent = NULL;
  uint64_t path = 0;
  unsigned depth = 0;

  for (; n >= 2; n >>= 1, depth++) path = (path << 1) | (n & 1);
  for (; depth > 0; depth--, path >>= 1) {
    parent = *slot;
    slot = (path & 1) ? &parent->right : &parent->left;
  }
  *up = parent;
  return slot;
}

/* Exchanges a node with its child c: c takes the parent's place. */
static inline void uv__heap_swap(struct uv__heap* h, struct uv__heap_node* p,
                                 struct uv__heap_node* c) {
  struct uv__heap_node* sibling;
  struct uv__heap_node t = *p;

  *p = *c;
  *c = t;
  p->parent = c;
  if (c->left == c) {
    c->left = p;
    sibling = c->right;
  } else {
    c->right = p;
    sibling = c->left;
  }
  if (sibling != NULL) sibling->parent = c;
  if (p->left != NULL) p->left->parent = p;
  if (p->right != NULL) p->right->parent = p;
  if (c->parent == NULL)
    h->min = c;
  else if (c->parent->left == p)
    c->parent->left = c;
  else
    c->parent->right = c;
}

static inline void uv__heap_sift_up(struct uv__heap* h,
                                    struct uv__heap_node* n,
                                    uv__heap_less_fn less) {
  while (n->parent != NULL && less(n, n->parent)) uv__heap_swap(h, n->parent, n);
}

static inline void uv__heap_insert(struct uv__heap* h,
                                   struct uv__heap_node* n,
                                   uv__heap_less_fn less) {
  struct uv__heap_node* parent;
  struct uv__heap_node** slot = uv__heap_slot(h, h->nelts + 1, &parent);

  n->left = NULL;
  n->right = NULL;
  n->parent = parent;
  *slot = n;
  h->nelts++;
  uv__heap_sift_up(h, n, less);
}

static inline void uv__heap_remove(struct uv__heap* h,
                                   struct uv__heap_node* n,
                                   uv__heap_less_fn less) {
  struct uv__heap_node* parent;
  struct uv__heap_node* last;
  struct uv__heap_node* smallest;
  struct uv__heap_node** slot;

  if (h->nelts == 0) return;
  slot = uv__heap_slot(h, h->nelts, &parent);
  last = *slot;
  *slot = NULL;
  h->nelts--;
  if (last == n) return;

  /* The last element takes n's place, then moves to where it belongs. */
  last->left = n->left;
  last->right = n->right;
  last->parent = n->parent;
  if (last->left != NULL) last->left->parent = last;
  if (last->right != NULL) last->right->parent = last;
  if (n->parent == NULL)
    h->min = last;
  else if (n->parent->left == n)
    n->parent->left = last;
  else
    n->parent->right = last;

  for (;;) {
    smallest = last;
    if (last->left != NULL && less(last->left, smallest)) smallest = last->left;
    if (last->right != NULL && less(last->right, smallest))
      smallest = last->right;
    if (smallest == last) break;
    uv__heap_swap(h, last, smallest);
  }
  uv__heap_sift_up(h, last, less);
}

#endif /* EDDY_HEAP_H */
