/* A plain thread pool for the raw variants of queue_work and fs_stat:
 * RAW_POOL_THREADS workers (libuv's default pool size) take work from one
 * FIFO under a mutex, waiting on a condition variable when it is empty
 * (signalled only when a worker is idle); finished work goes on a done
 * list under a second mutex, and the worker that makes that list
 * non-empty writes an eventfd, on which the "loop" thread waits with
 * epoll_wait, as an event loop would. */
#ifndef EDDY_BENCH_RAW_POOL_H
#define EDDY_BENCH_RAW_POOL_H

#include "raw-common.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define RAW_POOL_THREADS 4

struct raw_work {
  struct raw_work* next;
  void (*work)(struct raw_work*);
};

struct raw_pool {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  struct raw_work* head;
  struct raw_work** tail;
  unsigned idle;
  int stop;
  pthread_mutex_t done_lock;
  struct raw_work* done; /* LIFO: reversed on collection */
  int efd;
  int ep;
  pthread_t threads[RAW_POOL_THREADS];
};

static void* raw_pool_worker(void* arg) {
  struct raw_pool* p = arg;
  struct raw_work* w;
  uint64_t one = 1;
  int was_empty;

  for (;;) {
    pthread_mutex_lock(&p->lock);
    while (p->head == NULL && !p->stop) {
      p->idle++;
      pthread_cond_wait(&p->cond, &p->lock);
      p->idle--;
    }
    if (p->head == NULL) {
      pthread_mutex_unlock(&p->lock);
      return NULL;
    }
    w = p->head;
    p->head = w->next;
    if (p->head == NULL) p->tail = &p->head;
    pthread_mutex_unlock(&p->lock);

    w->work(w);

    pthread_mutex_lock(&p->done_lock);
    was_empty = p->done == NULL;
    w->next = p->done;
    p->done = w;
    pthread_mutex_unlock(&p->done_lock);
    if (was_empty)
      while (write(p->efd, &one, sizeof(one)) < 0 && errno == EINTR) {
      }
  }
}

static void raw_pool_init(struct raw_pool* p) {
  struct epoll_event ev;
  int i;
  memset(p, 0, sizeof(*p));
  BENCH_REQUIRE(pthread_mutex_init(&p->lock, NULL) == 0);
  BENCH_REQUIRE(pthread_mutex_init(&p->done_lock, NULL) == 0);
  BENCH_REQUIRE(pthread_cond_init(&p->cond, NULL) == 0);
  p->tail = &p->head;
  p->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  p->ep = epoll_create1(EPOLL_CLOEXEC);
  BENCH_REQUIRE(p->efd >= 0 && p->ep >= 0);
  memset(&ev, 0, sizeof(ev));
  ev.events = EPOLLIN;
  ev.data.fd = p->efd;
  BENCH_REQUIRE(epoll_ctl(p->ep, EPOLL_CTL_ADD, p->efd, &ev) == 0);
  for (i = 0; i < RAW_POOL_THREADS; i++)
    BENCH_REQUIRE(pthread_create(&p->threads[i], NULL, raw_pool_worker, p) == 0);
}

static void raw_pool_submit(struct raw_pool* p, struct raw_work* w) {
  w->next = NULL;
  pthread_mutex_lock(&p->lock);
  *p->tail = w;
  p->tail = &w->next;
  if (p->idle > 0) pthread_cond_signal(&p->cond);
  pthread_mutex_unlock(&p->lock);
}

/* Waits for finished work and returns it, oldest first. */
static struct raw_work* raw_pool_wait(struct raw_pool* p) {
  struct epoll_event events[8];
  struct raw_work *list, *rev = NULL, *next;
  uint64_t count;

  for (;;) {
    if (epoll_wait(p->ep, events, 8, -1) <= 0) continue;
    if (read(p->efd, &count, sizeof(count)) != sizeof(count)) continue;
    pthread_mutex_lock(&p->done_lock);
    list = p->done;
    p->done = NULL;
    pthread_mutex_unlock(&p->done_lock);
    if (list != NULL) break;
  }
  for (; list != NULL; list = next) {
    next = list->next;
    list->next = rev;
    rev = list;
  }
  return rev;
}

static void raw_pool_destroy(struct raw_pool* p) {
  int i;
  pthread_mutex_lock(&p->lock);
  p->stop = 1;
  pthread_cond_broadcast(&p->cond);
  pthread_mutex_unlock(&p->lock);
  for (i = 0; i < RAW_POOL_THREADS; i++)
    BENCH_REQUIRE(pthread_join(p->threads[i], NULL) == 0);
  close(p->efd);
  close(p->ep);
  pthread_mutex_destroy(&p->lock);
  pthread_mutex_destroy(&p->done_lock);
  pthread_cond_destroy(&p->cond);
}

#endif /* EDDY_BENCH_RAW_POOL_H */
