/* eddy — what the library's files share and users never see.
 *
 * Intrusive lists, handle flags and the active/ref accounting that decides
 * whether a loop is alive, the allocator wrappers every allocation goes
 * through, misuse aborts, and the interfaces between the loop core and the
 * handle types (close, I/O dispatch). */
#ifndef EDDY_INTERNAL_H
#define EDDY_INTERNAL_H

#include "uv.h"
#include "eddy.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#define UV__EXPORT UV_EXTERN

#define container_of(ptr, type, member)                                     \
  ((type*)((char*)(ptr) - offsetof(type, member)))

#define UV__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
# define UV__LIKELY(x) __builtin_expect(!!(x), 1)
# define UV__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
# define UV__LIKELY(x) (x)
# define UV__UNLIKELY(x) (x)
#endif

/* ---- intrusive lists ---------------------------------------------------- */

static inline void uv__link_init(struct uv__link* l) {
  l->next = l;
  l->prev = l;
}

static inline int uv__link_empty(const struct uv__link* head) {
  return head->next == head;
}

/* Whether a node initialised with uv__link_init is on some list. */
static inline int uv__link_linked(const struct uv__link* l) {
  return l->next != l;
}

static inline void uv__link_insert_tail(struct uv__link* head,
                                        struct uv__link* l) {
  l->next = head;
  l->prev = head->prev;
  l->prev->next = l;
  head->prev = l;
}

static inline void uv__link_insert_head(struct uv__link* head,
                                        struct uv__link* l) {
  l->next = head->next;
  l->prev = head;
  l->next->prev = l;
  head->next = l;
}

/* Unlinks l and leaves it pointing at itself, so that removing it twice or
 * asking whether it is linked is safe. */
static inline void uv__link_remove(struct uv__link* l) {
  l->prev->next = l->next;
  l->next->prev = l->prev;
  uv__link_init(l);
}

/* Moves every node of from onto the empty list to (from becomes empty). */
static inline void uv__link_move(struct uv__link* from, struct uv__link* to) {
  if (uv__link_empty(from)) {
    uv__link_init(to);
    return;
  }
  to->next = from->next;
  to->prev = from->prev;
  to->next->prev = to;
  to->prev->next = to;
  uv__link_init(from);
}

/* ---- handle flags -------------------------------------------------------- */

enum {
  UV__HANDLE_CLOSING = 1u << 0,  /* uv_close was called */
  UV__HANDLE_CLOSED = 1u << 1,   /* the close callback has run */
  UV__HANDLE_ACTIVE = 1u << 2,
  UV__HANDLE_REF = 1u << 3,
  UV__HANDLE_INTERNAL = 1u << 4, /* owned by eddy, hidden from uv_walk */
  /* bits from 1 << 16 on belong to the handle type; bits 5 to 15 are kept
   * for the values libuv gives its own handle flags, which programs built
   * against libuv may set or test in the private flags word (the five
   * above already are libuv's) */
};

/* Stream flags (handle->flags of TCP, pipe and TTY handles).  READABLE and
 * WRITABLE are libuv's UV_HANDLE_READABLE and UV_HANDLE_WRITABLE: uvloop
 * sets 0x4000 itself on its pipes (test-pipe checks that it works). */
enum {
  UV__STREAM_READABLE = 1u << 14,
  UV__STREAM_WRITABLE = 1u << 15,
  UV__STREAM_READING = 1u << 18,
  UV__STREAM_LISTENING = 1u << 19,
  UV__STREAM_SHUT = 1u << 20,          /* shutdown(2) was called */
  UV__STREAM_SHUTDOWN_DUE = 1u << 21,  /* shutdown(2) + callback are due */
  UV__STREAM_NOT_SOCKET = 1u << 22,    /* a pipe or tty: writev, not sendmsg */
  UV__TCP_BOUND = 1u << 23,
  UV__TCP_NODELAY = 1u << 24,
  UV__TCP_KEEPALIVE = 1u << 25,
};

/* Loop flags. */
enum {
  UV__LOOP_BLOCK_SIGPROF = 1u << 0,
  UV__LOOP_METRICS_IDLE = 1u << 1,
  UV__LOOP_SQPOLL = 1u << 2,
  UV__LOOP_NO_URING = 1u << 3, /* no io_uring for fs: failed, or off */
  UV__LOOP_PROBING = 1u << 4,  /* dispatching events that were waiting */
  UV__LOOP_ASYNC_RAN = 1u << 5, /* async handles looked at in this poll */
  UV__LOOP_WORK_DONE = 1u << 6, /* running the callbacks of finished work */
  UV__LOOP_WORK_RAN = 1u << 7,  /* finished work ran since the loop's last
                                   watch for it (threadpool.c) */
  UV__LOOP_ASYNC_SENT = 1u << 8, /* the loop's thread, running it, woke
                                    another loop since its last watch
                                    (async.c) */
  UV__LOOP_WATCH_TRIAL = 1u << 9, /* the next watch was lengthened for a
                                     missed answer (async.c) */
};

/* A stream's or UDP handle's descriptor, with its copy where libuv keeps
 * io_watcher.fd (include/uv/unix.h: programs read it there). */
static inline void uv__stream_set_fd(uv_stream_t* s, int fd) {
  s->io.fd = fd;
  s->io_watcher.fd = fd;
}

static inline void uv__udp_set_fd(uv_udp_t* h, int fd) {
  h->io.fd = fd;
  h->io_watcher.fd = fd;
}

static inline int uv__is_active(const uv_handle_t* h) {
  return (h->flags & UV__HANDLE_ACTIVE) != 0;
}

static inline int uv__is_closing(const uv_handle_t* h) {
  return (h->flags & (UV__HANDLE_CLOSING | UV__HANDLE_CLOSED)) != 0;
}

/* A loop stays alive while it has handles that are both active and
 * referenced; loop->active_handles counts exactly those. */
static inline void uv__handle_start(uv_handle_t* h) {
  if (h->flags & UV__HANDLE_ACTIVE) return;
  h->flags |= UV__HANDLE_ACTIVE;
  if (h->flags & UV__HANDLE_REF) h->loop->active_handles++;
}

static inline void uv__handle_stop(uv_handle_t* h) {
  if (!(h->flags & UV__HANDLE_ACTIVE)) return;
  h->flags &= ~UV__HANDLE_ACTIVE;
  if (h->flags & UV__HANDLE_REF) h->loop->active_handles--;
}

static inline void uv__handle_ref(uv_handle_t* h) {
  if (h->flags & UV__HANDLE_REF) return;
  h->flags |= UV__HANDLE_REF;
  if (h->flags & UV__HANDLE_ACTIVE) h->loop->active_handles++;
}

static inline void uv__handle_unref(uv_handle_t* h) {
  if (!(h->flags & UV__HANDLE_REF)) return;
  h->flags &= ~UV__HANDLE_REF;
  if (h->flags & UV__HANDLE_ACTIVE) h->loop->active_handles--;
}

/* Requests in flight keep the loop alive. */
static inline void uv__req_register(uv_loop_t* loop) {
  loop->active_reqs.count++;
}

static inline void uv__req_unregister(uv_loop_t* loop) {
  assert(loop->active_reqs.count > 0);
  loop->active_reqs.count--;
}

/* Every handle type's init starts here: links the handle into the loop's
 * handle queue, referenced and inactive. */
void uv__handle_init(uv_loop_t* loop, uv_handle_t* h, uv_handle_type type);

/* Queues a closing handle for the close phase of the loop. */
void uv__make_close_pending(uv_handle_t* h);

/* ---- misuse ------------------------------------------------------------- */

/* For the misuses libuv leaves undefined (closing a handle twice, a NULL
 * handle where nothing can be returned): stop at once with a message that
 * names the call and the handle, instead of corrupting the loop. */
_Noreturn void uv__fatal(const char* func, const void* handle,
                         const char* what);

/* ---- allocation ---------------------------------------------------------- */

/* Every allocation of the library goes through these, so that the
 * functions set by uv_replace_allocator see all of them.  They preserve
 * errno. */
void* uv__malloc(size_t size);
void* uv__calloc(size_t count, size_t size);
void* uv__realloc(void* ptr, size_t size);
void uv__free(void* ptr);
char* uv__strdup(const char* s);

/* ---- time ---------------------------------------------------------------- */

/* The loop's clock, in milliseconds: monotonic, and cheap (a coarse clock
 * when its resolution is 1 ms or better). */
uint64_t uv__loop_clock_ms(void);

static inline void uv__update_time(uv_loop_t* loop) {
  loop->time = uv__loop_clock_ms();
}

/* ---- timers (src/timer.c) ------------------------------------------------ */

void uv__run_timers(uv_loop_t* loop);
int uv__next_timeout(const uv_loop_t* loop);
void uv__timer_close(uv_timer_t* handle);
void uv__timer_loop_close(uv_loop_t* loop);

/* ---- idle, prepare, check (src/idle.c) ------------------------------------ */

void uv__run_idle(uv_loop_t* loop);
void uv__run_prepare(uv_loop_t* loop);
void uv__run_check(uv_loop_t* loop);
void uv__idle_close(uv_idle_t* handle);
void uv__prepare_close(uv_prepare_t* handle);
void uv__check_close(uv_check_t* handle);

/* ---- async (src/unix/async.c) --------------------------------------------- */

void uv__async_close(uv_async_t* handle);
/* Opens the loop's eventfd unless it is open: uv_loop_init does; async
 * handles and pool work ask again, for a loop whose reopening after a
 * fork failed. */
int uv__async_open(uv_loop_t* loop);
/* Wakes the loop from any thread; async-signal-safe. */
void uv__async_wake(uv_loop_t* loop);
/* The loop thread's side of skipping needless eventfd writes: see the
 * comment at the top of src/unix/async.c. */
int uv__async_before_sleep(uv_loop_t* loop);
void uv__async_after_sleep(uv_loop_t* loop);
unsigned int uv__async_poll_end(uv_loop_t* loop); /* callbacks run */
int uv__async_fd_quiet(uv_loop_t* loop);
/* Before a poll that may block: watches the signalled flag a moment when
 * a wake-up is likely soon; returns whether it came (do not block).  When
 * it watched in vain, *since is when it began (else 0), to be handed to
 * uv__loop_watch_missed once the poll that follows has returned. */
int uv__loop_watch(uv_loop_t* loop, uint64_t* since);
void uv__loop_watch_missed(uv_loop_t* loop, uint64_t since);
uv_loop_t* uv__async_run_enter(uv_loop_t* loop);
void uv__async_run_leave(uv_loop_t* loop, uv_loop_t* outer);
/* The eventfd fired (or a send came while the loop was awake): runs the
 * finished pool work and the async handles sent; returns how many
 * callbacks ran (0: the wake-up had nothing behind it). */
unsigned int uv__async_io(uv_loop_t* loop, unsigned int events);
void uv__async_loop_close(uv_loop_t* loop);
int uv__async_fork(uv_loop_t* loop);

/* ---- signals (src/unix/signal.c) ----------------------------------------- */

/* Handle flags of signal handles. */
enum {
  UV__SIGNAL_ONESHOT = 1u << 16,
};

void uv__signal_loop_init(uv_loop_t* loop);
/* Opens the loop's signal pipe unless it is open: uv_loop_init does;
 * signal handles ask again, for a loop whose reopening after a fork
 * failed. */
int uv__signal_open(uv_loop_t* loop);
/* Nothing can write the loop's signal pipe: no signal is watched. */
int uv__signal_fd_quiet(const uv_loop_t* loop);
void uv__signal_io(uv_loop_t* loop, unsigned int events);
void uv__signal_close(uv_signal_t* handle);
void uv__signal_loop_close(uv_loop_t* loop);
int uv__signal_loop_fork(uv_loop_t* loop);

/* ---- processes (src/unix/process.c) ---------------------------------------- */

void uv__process_close(uv_process_t* handle);
/* Stops and frees the loop's internal SIGCHLD handle. */
void uv__process_loop_close(uv_loop_t* loop);
/* Whether a loaded object may have registered a fork handler (so uv_spawn
 * must fork, not vfork).  For the tests. */
int uv__spawn_atfork_possible(void);

/* ---- streams (src/unix/stream.c, tcp.c, pipe.c) ----------------------------- */

void uv__stream_init(uv_loop_t* loop, uv_stream_t* s, uv_handle_type type);
int uv__stream_open(uv_stream_t* s, int fd, unsigned int flags);
int uv__stream_adopt(uv_stream_t* s, int fd, unsigned int flags);
int uv__stream_listen(uv_stream_t* s, int backlog, uv_connection_cb cb);
int uv__stream_connect_started(uv_stream_t* s, uv_connect_t* req,
                               uv_connect_cb cb, int error);
void uv__stream_io(uv_loop_t* loop, uv__io_t* w, unsigned int events);
void uv__stream_pending(uv_stream_t* s);
void uv__stream_close(uv_stream_t* s);
void uv__stream_loop_close(uv_loop_t* loop); /* drops the EMFILE reserve */
void uv__stream_destroy(uv_stream_t* s);
int uv__stream_received_fds(const uv_stream_t* s);

void uv__poll_io(uv_loop_t* loop, uv__io_t* w, unsigned int events);
void uv__poll_close(uv_poll_t* handle);
int uv__tcp_listen(uv_tcp_t* tcp, int backlog, uv_connection_cb cb);
int uv__pipe_listen(uv_pipe_t* pipe, int backlog, uv_connection_cb cb);
void uv__pipe_close(uv_pipe_t* pipe);

/* ---- UDP (src/unix/udp.c) and TTY (src/unix/tty.c) ------------------------ */

void uv__udp_io(uv_loop_t* loop, uv__io_t* w, unsigned int events);
void uv__udp_pending(uv_udp_t* handle);
void uv__udp_close(uv_udp_t* handle);
/* At the close callback: sends still queued end with UV_ECANCELED. */
void uv__udp_destroy(uv_udp_t* handle);
/* The socket may have another reader from now on (it was sent to another
 * process): the handle reads one datagram at a time, as libuv does. */
void uv__udp_shared(uv_udp_t* handle);
/* Unmaps the loop's UDP read-ahead area, if it was ever needed. */
void uv__udp_loop_close(uv_loop_t* loop);
/* Gives the terminal back its saved settings when the handle that saved
 * them closes, then closes the stream. */
void uv__tty_close(uv_tty_t* handle);

/* ---- fs events (src/unix/fs-event.c) and fs polls (src/fs-poll.c) -------- */

void uv__inotify_io(uv_loop_t* loop, unsigned int events);
void uv__inotify_loop_init(uv_loop_t* loop);
void uv__inotify_loop_close(uv_loop_t* loop);
int uv__inotify_fork(uv_loop_t* loop);
void uv__fs_event_close(uv_fs_event_t* handle);
void uv__fs_poll_close(uv_fs_poll_t* handle);

/* ---- the thread pool (src/threadpool.c) ----------------------------------- */

enum uv__work_kind {
  UV__WORK_USER = 1, /* uv_queue_work */
  UV__WORK_FS,       /* uv_fs_t (src/unix/fs.c) */
  UV__WORK_GETADDRINFO,
  UV__WORK_GETNAMEINFO,
  UV__WORK_RANDOM,
};

/* The work and after-work halves of the pool's request kinds, which
 * run_work and run_done route to by kind. */
void uv__fs_work(struct uv__work* w);          /* src/unix/fs.c */
void uv__fs_done(struct uv__work* w);
void uv__getaddrinfo_work(struct uv__work* w); /* src/unix/getaddrinfo.c */
void uv__getaddrinfo_done(struct uv__work* w);
void uv__getnameinfo_work(struct uv__work* w); /* src/unix/getnameinfo.c */
void uv__getnameinfo_done(struct uv__work* w);
void uv__random_work(struct uv__work* w);      /* src/random.c */
void uv__random_done(struct uv__work* w);

enum uv__work_class {
  UV__WORK_CPU = 0,
  UV__WORK_FAST_IO,
  UV__WORK_SLOW_IO, /* may occupy at most half of the workers */
};

int uv__work_submit(uv_loop_t* loop, struct uv__work* w,
                    enum uv__work_kind kind, enum uv__work_class cls);
int uv__work_cancel(struct uv__work* w);
void uv__work_loop_close(uv_loop_t* loop);
void uv__work_loop_fork(uv_loop_t* loop);
unsigned int uv__work_done(uv_loop_t* loop);
int uv__work_recent(uv_loop_t* loop);

/* Tells the CPU that this is a wait loop (it slows the loop down and frees
 * the core's resources for a sibling hyperthread). */
static inline void uv__cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield" ::: "memory");
#else
  __asm__ __volatile__("" ::: "memory");
#endif
}
void uv__threadpool_shutdown(void);

/* ---- I/O watchers (src/unix/io.c) and the backend (src/unix/epoll.c) ---- */

/* What a watcher is for: the dispatcher switches on it (no stored function
 * pointer to redirect). */
enum uv__io_kind {
  UV__IO_NONE = 0,
  UV__IO_ASYNC,  /* the loop's eventfd behind uv_async_send */
  UV__IO_STREAM, /* TCP, pipe and TTY handles */
  UV__IO_POLL,   /* uv_poll_t */
  UV__IO_INOTIFY, /* the loop's inotify fd behind uv_fs_event_t */
  UV__IO_SIGNAL, /* the loop's signal pipe */
  UV__IO_UDP,    /* uv_udp_t (src/unix/udp.c); also its pending sends */
  UV__IO_URING,  /* the loop's io_uring for fs requests (src/unix/uring.c) */
  UV__IO_KIND_MAX
};

/* Readiness bits of uv__io_t.want/.have: epoll's values, so that the epoll
 * backend passes them through untouched. */
#define UV__POLLIN 0x001
#define UV__POLLPRI 0x002
#define UV__POLLOUT 0x004
#define UV__POLLERR 0x008
#define UV__POLLHUP 0x010
#define UV__POLLRDHUP 0x2000
/* Edge-triggered: reported once per change, not while it lasts. */
#define UV__POLLET 0x80000000u

void uv__io_init(uv__io_t* w, enum uv__io_kind kind, int fd);
int uv__io_start(uv_loop_t* loop, uv__io_t* w, unsigned int events);
void uv__io_stop(uv_loop_t* loop, uv__io_t* w, unsigned int events);
/* Stops the watcher and forgets it at once (before its fd is closed). */
void uv__io_close(uv_loop_t* loop, uv__io_t* w);
/* Routes one ready event to the watcher's owner. */
void uv__io_dispatch(uv_loop_t* loop, uv__io_t* w, unsigned int events);

int uv__backend_init(uv_loop_t* loop);
void uv__backend_close(uv_loop_t* loop);
int uv__backend_fork(uv_loop_t* loop);
int uv__backend_apply_now(uv_loop_t* loop, uv__io_t* w);
/* Flushes watcher changes, waits at most timeout ms (-1: no limit) and
 * dispatches what became ready. */
void uv__io_poll(uv_loop_t* loop, int timeout);
/* Drops a descriptor from the backend now, and from the batch being
 * dispatched, so that a stale event cannot reach a reused fd. */
void uv__backend_invalidate_fd(uv_loop_t* loop, int fd);

/* ---- the pending phase ---------------------------------------------------- */

/* struct uv__pending (uv/unix.h): a callback deferred to the pending phase
 * of the next iteration; owners embed one and the phase routes it by kind
 * (enum uv__io_kind). */
static inline void uv__pending_add(uv_loop_t* loop, struct uv__pending* p) {
  if (!uv__link_linked(&p->link))
    uv__link_insert_tail(&loop->pending_queue, &p->link);
}

void uv__pending_dispatch(uv_loop_t* loop, struct uv__pending* p);

/* ---- metrics ---------------------------------------------------------------- */

static inline int uv__metrics_idle_enabled(const uv_loop_t* loop) {
  return (loop->flags & UV__LOOP_METRICS_IDLE) != 0;
}

/* One more event delivered by an event the backend counted already: each
 * completion of a batch of thread-pool or io_uring completions after the
 * first counts as an event, as in libuv (uv_metrics_info). */
static inline void uv__metrics_extra_event(uv_loop_t* loop) {
  loop->metrics_events++;
  if (loop->flags & UV__LOOP_PROBING) loop->metrics_events_waiting++;
}

/* ---- descriptors ---------------------------------------------------------- */

int uv__close(int fd); /* close(), retried never, EINTR treated as done */
int uv__cloexec(int fd, int set);
int uv__nonblock(int fd, int set);
/* A setting read from the environment once per process: the first call
 * stores parse(getenv(name)), which must not be 0, in *cache (atomic). */
int uv__env_setting(int* cache, const char* name, int (*parse)(const char*));

#endif /* EDDY_INTERNAL_H */
