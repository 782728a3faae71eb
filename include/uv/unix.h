/* eddy — the Unix parts of the public types.
 *
 * What a libuv program sees of these types is fixed by libuv's binary
 * layout on each platform (sizes, alignment, the offset of every public
 * member).  The private fields that fill the rest are eddy's own; this file
 * declares them.  Areas that are not built yet keep a reserved block of the
 * right size, which the area replaces with real fields when it lands.  The
 * ABI test (test/test-abi.c) checks every size and offset against libuv's. */
#ifndef UV_UNIX_H
#define UV_UNIX_H

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <termios.h>
#include <pwd.h>
#include <semaphore.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

/* ---- platform types ---------------------------------------------------- */

/* The order of base and len is part of the Unix ABI (it matches struct
 * iovec, so a uv_buf_t array can be handed to readv/writev as is). */
typedef struct uv_buf_t {
  char* base;
  size_t len;
} uv_buf_t;

typedef int uv_file;
typedef int uv_os_sock_t;
typedef int uv_os_fd_t;
typedef pid_t uv_pid_t;

#define UV_ONCE_INIT PTHREAD_ONCE_INIT

typedef pthread_once_t uv_once_t;
typedef pthread_t uv_thread_t;
typedef pthread_mutex_t uv_mutex_t;
typedef sem_t uv_sem_t;
typedef pthread_cond_t uv_cond_t;
typedef pthread_key_t uv_key_t;

/* Strict ISO C modes (-std=c99 without _DEFAULT_SOURCE) hide the rwlock and
 * barrier types in glibc's <pthread.h>; the library itself always sees
 * them, so an opaque stand-in of the same size and alignment keeps such
 * programs compiling with the same layout. */
#if !defined(__GLIBC__) || defined(__USE_XOPEN2K)
typedef pthread_rwlock_t uv_rwlock_t;
typedef pthread_barrier_t uv_barrier_t;
#else
typedef union {
  char uv__size[__SIZEOF_PTHREAD_RWLOCK_T];
  long uv__align;
} uv_rwlock_t;
typedef union {
  char uv__size[__SIZEOF_PTHREAD_BARRIER_T];
  long uv__align;
} uv_barrier_t;
#endif

struct addrinfo; /* <netdb.h> declares it only for POSIX builds */

typedef gid_t uv_gid_t;
typedef uid_t uv_uid_t;

typedef struct dirent uv__dirent_t;

/* <netdb.h> hides these without _DEFAULT_SOURCE; the sizes are fixed. */
#ifdef NI_MAXHOST
# define UV__NI_MAXHOST NI_MAXHOST
#else
# define UV__NI_MAXHOST 1025
#endif
#ifdef NI_MAXSERV
# define UV__NI_MAXSERV NI_MAXSERV
#else
# define UV__NI_MAXSERV 32
#endif

typedef struct {
  void* handle;
  char* errmsg;
} uv_lib_t;

/* ---- building blocks of the private fields ----------------------------- */

/* A link of an intrusive doubly linked circular list.  An empty list head
 * and an unlinked node both point at themselves. */
struct uv__link {
  struct uv__link* next;
  struct uv__link* prev;
};

/* A node of the intrusive timer heap (src/heap.h). */
struct uv__heap_node {
  struct uv__heap_node* left;
  struct uv__heap_node* right;
  struct uv__heap_node* parent;
};

/* The timer heap of a loop: its root (the earliest timer) and its size. */
struct uv__heap {
  struct uv__heap_node* min;
  uint64_t nelts;
};

/* A unit of thread-pool work (src/threadpool.c), inside the request that
 * asked for it; the pool routes it by kind. */
struct uv__work {
  struct uv__link link; /* on the pool's queue, then on the loop's */
  uv_loop_t* loop;
  unsigned char kind;   /* enum uv__work_kind */
  unsigned char cls;    /* enum uv__work_class */
  unsigned char state;  /* queued, running, done */
  unsigned char pass;   /* the loop's wq_pass if submitted (or cancelled)
                           by a callback of finished work, else 0 */
  int status;           /* 0, or UV_ECANCELED */
};

/* A callback deferred to the loop's pending phase (src/internal.h). */
struct uv__pending {
  struct uv__link link;
  unsigned int kind;
};

/* An I/O watcher: a file descriptor and the readiness events wanted on it.
 * The loop's backend (src/unix/epoll.c) applies changes lazily, in one
 * batch at the start of the poll phase, and dispatches ready watchers by
 * their kind (src/unix/io.c). */
typedef struct uv__io_s {
  struct uv__link change_link; /* on loop->io_changes while unflushed */
  int fd;                      /* -1 when the watcher has no descriptor */
  unsigned int want;           /* events wanted (UV__POLL* bits) */
  unsigned int have;           /* events registered with the backend */
  unsigned char kind;          /* enum uv__io_kind, picks the dispatcher */
  unsigned char spare;
  unsigned short gen;          /* registration: an event of an earlier one
                                  (its descriptor closed and reused) is
                                  told apart (src/unix/epoll.c) */
} uv__io_t;

/* ---- private fields ---------------------------------------------------- */

#define UV_LOOP_PRIVATE_FIELDS                                              \
  unsigned int flags;                                                       \
  int backend_fd;                                                           \
  unsigned int nfds;            /* descriptors registered with backend */   \
  unsigned int nwatchers;       /* capacity of watchers[] */                \
  uv__io_t** watchers;          /* fd -> watcher */                         \
  void* backend_spare;                                                      \
  unsigned int io_gen;          /* watcher registrations so far */         \
  int async_pending;            /* atomic: the async eventfd was written */ \
  struct uv__link pending_queue;                                            \
  struct uv__link io_changes;                                               \
  struct uv__link idle_handles;                                             \
  struct uv__link prepare_handles;                                          \
  struct uv__link check_handles;                                            \
  struct uv__link async_handles;                                            \
  uv__io_t async_io;                                                        \
  uv_handle_t* closing_handles;                                             \
  uint64_t time;                                                            \
  struct uv__heap timer_heap;                                               \
  uint64_t timer_counter;                                                   \
  void* timer_wheel;            /* src/timer.c, allocated on first use */ \
  uint64_t metrics_loop_count;                                              \
  uint64_t metrics_events;                                                  \
  uint64_t metrics_events_waiting;                                          \
  uint64_t metrics_idle_time;                                               \
  uint64_t metrics_provider_entry;                                          \
  void* wq_done;                /* atomic: finished work, newest first */ \
  int wq_posters;               /* atomic: workers posting to this loop */ \
  int emfile_fd;                /* reserve descriptor, -1: none */       \
  uv__io_t inotify_io;          /* fs events: the loop's inotify fd */    \
  struct uv__link inotify_watches; /* one entry per watch descriptor */  \
  /* signals (src/unix/signal.c) */                                        \
  struct uv__link signal_handles;   /* started uv_signal_t */             \
  struct uv__link signal_loop_link; /* on the process-wide list */        \
  uv__io_t signal_io;               /* read end of the signal pipe */     \
  int signal_pipe_w;                /* its write end, for the handler */  \
  unsigned int signal_nstarted;     /* started signal handles */          \
  uint64_t signal_overflow;         /* atomic: signals the pipe missed */ \
  unsigned short signal_counts[64]; /* started handles per signal */      \
  /* processes (src/unix/process.c) */                                    \
  struct uv__link process_handles;  /* running children */               \
  void* child_watcher;              /* the internal SIGCHLD handle */     \
  void* uring;                      /* fs requests' io_uring (uring.c) */ \
  int async_awake;  /* atomic: the loop thread will look at async_pending \
                       before it next sleeps (src/unix/async.c) */        \
  int async_written; /* atomic: eventfd written since the last wait */   \
  void* udp_scratch;                /* UDP batch reads (udp.c), lazily */ \
  unsigned int wq_inflight; /* pool items submitted, callback not run */  \
  unsigned int watch_ns;    /* the loop's next watch before it blocks   \
                               (uv__loop_watch, src/unix/async.c) */    \
  void* wq_later;           /* finished work held for the next poll phase */ \
  unsigned int wq_pass;     /* poll phases that ran finished work, 1..255 */ \
  unsigned int watch_backoff; /* missed answers before the watch may be   \
                                 lengthened again (src/unix/async.c) */ \
  /* room for what is still to come; test-abi checks the total stays    \
   * libuv's */                                                            \
  uint64_t loop_reserved[24];

/* Handle base: data, loop and type are public; the rest is eddy's, laid
 * out so that `flags` sits where libuv keeps its own (offset 88) and the
 * bits programs are known to touch mean what they mean in libuv: uvloop
 * ORs UV_HANDLE_READABLE (0x4000) into the flags of every pipe it inits,
 * so that it may read a write-only pipe (test-abi checks the offset,
 * internal.h the bit values). */
#define UV_HANDLE_PRIVATE_FIELDS                                            \
  uv_close_cb close_cb;                                                     \
  struct uv__link handle_queue;                                             \
  uv__io_t io;                                                              \
  uv_handle_t* next_closing;                                                \
  unsigned int flags;                                                       \
  unsigned int handle_spare;

#define UV_REQ_PRIVATE_FIELDS /* none: the reserved words of the base do */

/* Streams, UDP and poll handles keep a copy of their descriptor where
 * libuv keeps io_watcher.fd (offset 184 in streams, 176 in UDP handles,
 * 152 in poll handles; -1 when there is none): programs built against
 * libuv read it there instead of calling uv_fileno (libwebsockets 4.1's
 * event lib, Bigloo's binding, accept hooks).  eddy's watcher is the
 * handle base's `io`; the copy is written with it (uv__*_set_fd). */
#define UV_STREAM_PRIVATE_FIELDS                                            \
  uv_connect_t* connect_req;                                                \
  uv_shutdown_t* shutdown_req;                                              \
  uv_connection_cb connection_cb;                                           \
  struct uv__link write_queue; /* writes not yet fully written */           \
  struct uv__link write_done;  /* written or failed, callback pending */    \
  int delayed_error;           /* reported by the next connect/listen */    \
  int accepted_fd;             /* accepted, waiting for uv_accept */        \
  struct {                                                                  \
    int fd; /* libuv's offset; see above */                                 \
  } io_watcher;                                                             \
  int shutdown_error;                                                       \
  struct uv__pending pending;  /* runs write_done, delayed errors */        \
  void* queued_fds;            /* IPC: received, waiting for uv_accept */   \
  void* stream_reserved[3];
#define UV_TCP_PRIVATE_FIELDS
#define UV_PIPE_PRIVATE_FIELDS                                              \
  unsigned int pipe_flags;                                                  \
  const char* pipe_fname; /* the path bound, unlinked on close */
/* TTY handles (src/unix/tty.c): the terminal's settings from before the
 * first switch out of normal mode, and the mode set (libuv's names). */
#define UV_TTY_PRIVATE_FIELDS                                               \
  struct termios orig_termios;                                              \
  int mode;
/* UDP handles (src/unix/udp.c): sends not yet sent (write_queue), sent or
 * failed ones whose callbacks wait for the pending phase (write_done);
 * datagrams read ahead and not yet delivered (recv_stash). */
#define UV_UDP_PRIVATE_FIELDS                                               \
  uv_alloc_cb alloc_cb;                                                     \
  uv_udp_recv_cb recv_cb;                                                   \
  struct uv__link write_queue;                                              \
  struct uv__link write_done;                                               \
  void* recv_stash; /* datagrams read ahead, not yet delivered (udp.c) */   \
  int udp_spare[2];                                                         \
  struct {                                                                  \
    int fd; /* libuv's offset (UV_STREAM_PRIVATE_FIELDS) */                 \
    int spare;                                                              \
  } io_watcher;                                                             \
  struct uv__pending pending; /* write_done's callbacks, recv_stash */     \
  void* udp_reserved[1];
/* Poll handles: eddy's watcher is the handle base's `io`; the rest is
 * libuv's `uv__io_t io_watcher` in size, and keeps a copy of the watched
 * descriptor where libuv keeps `io_watcher.fd` (offset 152): programs
 * read it there instead of calling uv_fileno (libwebsockets 4.1's libuv
 * event lib does, in its poll callback; poll.c checks the offset). */
#define UV_POLL_PRIVATE_FIELDS                                              \
  struct {                                                                  \
    void* reserved[6];                                                      \
    int fd;                                                                 \
    int spare;                                                              \
  } io_watcher;

#define UV_TIMER_PRIVATE_FIELDS                                             \
  uv_timer_cb timer_cb;                                                     \
  union {                                                                   \
    struct uv__heap_node heap; /* while active */                           \
    struct uv__link ready;     /* while due, before its callback */         \
  } node;                                                                   \
  uint64_t timeout;                                                         \
  uint64_t repeat;                                                          \
  uint64_t start_id;

#define UV_IDLE_PRIVATE_FIELDS                                              \
  uv_idle_cb idle_cb;                                                       \
  struct uv__link queue;
#define UV_PREPARE_PRIVATE_FIELDS                                           \
  uv_prepare_cb prepare_cb;                                                 \
  struct uv__link queue;
#define UV_CHECK_PRIVATE_FIELDS                                             \
  uv_check_cb check_cb;                                                     \
  struct uv__link queue;

#define UV_ASYNC_PRIVATE_FIELDS                                             \
  uv_async_cb async_cb;                                                     \
  struct uv__link queue;                                                    \
  int pending; /* atomic: a send is waiting for the loop */                 \
  int busy;    /* atomic: senders inside uv_async_send */

#define UV_PROCESS_PRIVATE_FIELDS                                           \
  int process_spare;                                                        \
  struct uv__link process_link; /* on loop->process_handles while running */\
  void* process_reserved[1];
#define UV_SIGNAL_PRIVATE_FIELDS                                            \
  unsigned int signal_flags;  /* oneshot */                                 \
  struct uv__link signal_link; /* on loop->signal_handles while started */  \
  void* signal_reserved[3];
#define UV_FS_EVENT_PRIVATE_FIELDS                                          \
  uv_fs_event_cb cb;                                                        \
  struct uv__link watchers; /* on its watch descriptor's entry */           \
  int wd;                   /* inotify watch descriptor, -1 when stopped */ \
  int fs_event_spare;

#define UV_WRITE_PRIVATE_FIELDS                                             \
  struct uv__link queue;                                                    \
  unsigned int write_index; /* first buffer not fully written */            \
  int error;                                                                \
  uv_buf_t* bufs;           /* bufsml, or an allocated copy */              \
  unsigned int nbufs;                                                       \
  uv_buf_t bufsml[4];
#define UV_CONNECT_PRIVATE_FIELDS void* connect_reserved[2];
#define UV_SHUTDOWN_PRIVATE_FIELDS
/* A datagram to send: the destination (family AF_UNSPEC on a connected
 * handle), the caller's buffer list (bufsml or an allocated copy), and
 * the result its callback gets. */
#define UV_UDP_SEND_PRIVATE_FIELDS                                          \
  struct uv__link queue;                                                    \
  struct sockaddr_storage addr;                                             \
  uv_buf_t* bufs;                                                           \
  unsigned int nbufs;                                                       \
  int status;                                                               \
  uv_buf_t bufsml[4];                                                       \
  void* udp_send_reserved[2];
/* What one file-system call needs (src/unix/fs.c), in libuv's 168 bytes.
 * bufs is bufsml, an allocated copy (asynchronous calls with more
 * buffers) or, for a synchronous call, the caller's own array. */
#define UV_FS_PRIVATE_FIELDS                                                \
  struct uv__work work_req;                                                 \
  const char* new_path;    /* rename, link, symlink, copyfile */            \
  uv_buf_t* bufs;          /* read, write */                                \
  unsigned int nbufs;                                                       \
  unsigned int fs_flags;   /* what the request owns (src/unix/fs.c) */      \
  uv_file file;            /* also sendfile's out_fd */                     \
  int flags;               /* open, copyfile, symlink, access; in_fd */     \
  int mode;                                                                 \
  unsigned int scan_next;  /* scandir: entries handed out so far */         \
  int64_t off;             /* read, write, sendfile; ftruncate's length */  \
  size_t len;              /* sendfile */                                   \
  uv_uid_t uid;                                                             \
  uv_gid_t gid;                                                             \
  double atime;                                                             \
  double mtime;                                                             \
  uv_buf_t bufsml[3];                                                       \
  void* fs_uring;          /* io_uring: a stat's statx buffer (uring.c) */
#define UV_WORK_PRIVATE_FIELDS                                              \
  struct uv__work work_req;                                                 \
  void* work_spare;
/* Name resolution (src/unix/getaddrinfo.c, src/unix/getnameinfo.c).  The
 * node, service and hints of a lookup are copies in one allocation, which
 * gai_block points at; retcode is the lookup's result (0 or UV_EAI_*). */
#define UV_GETADDRINFO_PRIVATE_FIELDS                                       \
  struct uv__work work_req;                                                 \
  uv_getaddrinfo_cb cb;                                                     \
  struct addrinfo* hints;   /* NULL, or the copy in gai_block */            \
  char* hostname;           /* NULL, or the ASCII (IDNA) form of node */    \
  char* service;                                                            \
  void* gai_block;          /* hints, hostname and service, freed at once */
#define UV_GETADDRINFO_PRIVATE_TAIL int retcode;
#define UV_GETNAMEINFO_PRIVATE_FIELDS                                       \
  struct uv__work work_req;                                                 \
  uv_getnameinfo_cb getnameinfo_cb;                                         \
  struct sockaddr_storage storage; /* a copy of the address asked about */  \
  void* gni_spare;                                                          \
  int flags;                       /* NI_* */
#define UV_GETNAMEINFO_PRIVATE_TAIL int retcode;
/* uv_random (src/random.c): status is the worker's result. */
#define UV_RANDOM_PRIVATE_FIELDS                                            \
  struct uv__work work_req;                                                 \
  uv_random_cb cb;                                                          \
  void* buf;                                                                \
  size_t buflen;                                                            \
  int status;                                                               \
  int random_spare;                                                         \
  void* random_reserved[1];

#define UV_DIR_PRIVATE_FIELDS DIR* dir;

#endif /* UV_UNIX_H */
