/* eddy — child processes: uv_spawn, exit notification and kill.
 *
 * uv_spawn prepares everything the child needs (descriptors, argv, the
 * PATH candidates' buffer) in the parent, then forks with every signal
 * blocked.  The child does only async-signal-safe work: it puts its stdio
 * in place, changes directory, drops supplementary groups before it
 * changes group and user, resets signal dispositions and the mask, and
 * execs, searching PATH itself with execve.  If anything fails it writes
 * the errno to a close-on-exec pipe and _exits; the parent reads that pipe
 * (end of file means the exec happened) so that uv_spawn itself returns
 * the error, e.g. UV_ENOENT, and the handle is never started (the stdio
 * pipes are opened all the same, as libuv does).
 *
 * Exits are noticed through a SIGCHLD signal handle that each loop makes
 * on its first spawn (internal and unreferenced: the process handles keep
 * the loop alive, not it).  On SIGCHLD the loop asks waitpid(pid, WNOHANG)
 * for each of its own running children, so it never blocks and never
 * reaps a child it did not start. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#define KNOWN_FLAGS                                                        \
  (UV_PROCESS_SETUID | UV_PROCESS_SETGID |                                 \
   UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS | UV_PROCESS_DETACHED |           \
   UV_PROCESS_WINDOWS_HIDE | UV_PROCESS_WINDOWS_HIDE_CONSOLE |             \
   UV_PROCESS_WINDOWS_HIDE_GUI | UV_PROCESS_WINDOWS_FILE_PATH_EXACT_NAME)

#define DEFAULT_PATH "/usr/local/bin:/bin:/usr/bin"

/* One stdio slot of the child: where its descriptor comes from. */
struct slot {
  int child_src;  /* the descriptor to put at the slot, -1: /dev/null */
  int parent_fd;  /* CREATE_PIPE: the parent's end, else -1 */
  int keep_flags; /* the child keeps O_NONBLOCK (UV_NONBLOCK_PIPE) */
};

/* ---- exit notification ----------------------------------------------------- */

static void on_sigchld(uv_signal_t* handle, int signum) {
  uv_loop_t* loop = handle->loop;
  struct uv__link snapshot;
  struct uv__link* l;
  uv_process_t* p;
  int64_t exit_status;
  int term_signal;
  int status;
  pid_t r;

  (void)signum;
  uv__link_move(&loop->process_handles, &snapshot);
  while (!uv__link_empty(&snapshot)) {
    l = snapshot.next;
    uv__link_remove(l);
    uv__link_insert_tail(&loop->process_handles, l);
    p = container_of(l, uv_process_t, process_link);
    do
      r = waitpid(p->pid, &status, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r != p->pid) continue; /* still running (or not ours to reap) */
    exit_status = 0;
    term_signal = 0;
    if (WIFEXITED(status)) exit_status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) term_signal = WTERMSIG(status);
    uv__link_remove(&p->process_link);
    uv__handle_stop((uv_handle_t*)p);
    if (p->exit_cb != NULL) p->exit_cb(p, exit_status, term_signal);
  }
}

static int child_watcher_start(uv_loop_t* loop) {
  uv_signal_t* w = loop->child_watcher;
  int err;

  if (w != NULL) return 0;
  w = uv__malloc(sizeof(*w));
  if (w == NULL) return UV_ENOMEM;
  err = uv_signal_init(loop, w);
  if (err == 0) {
    w->flags |= UV__HANDLE_INTERNAL;
    uv__handle_unref((uv_handle_t*)w);
    err = uv_signal_start(w, on_sigchld, SIGCHLD);
    if (err != 0) {
      uv__link_remove(&w->handle_queue);
    }
  }
  if (err != 0) {
    uv__free(w);
    return err;
  }
  loop->child_watcher = w;
  return 0;
}

void uv__process_loop_close(uv_loop_t* loop) {
  uv_signal_t* w = loop->child_watcher;
  if (w == NULL) return;
  uv_signal_stop(w);
  uv__link_remove(&w->handle_queue);
  uv__free(w);
  loop->child_watcher = NULL;
}

void uv__process_close(uv_process_t* handle) {
  uv__link_remove(&handle->process_link);
  uv__handle_stop((uv_handle_t*)handle);
}

/* ---- the child --------------------------------------------------------------- */

static _Noreturn void child_fail(int errpipe, int err) {
  ssize_t r;
  do
    r = write(errpipe, &err, sizeof(err));
  while (r < 0 && errno == EINTR);
  _exit(127);
}

/* execvp's search, done with execve only (async-signal-safe).  Returns
 * the errno to report. */
static int child_exec(const char* file, char* const argv[], char* const envp[],
                      const char* path, char* buf, size_t bufsize) {
  const char* p;
  const char* end;
  size_t flen;
  size_t dlen;
  int seen_eacces = 0;

  if (strchr(file, '/') != NULL) {
    execve(file, argv, envp);
    return errno;
  }
  flen = strlen(file);
  for (p = path;; p = end + 1) {
    end = strchr(p, ':');
    if (end == NULL) end = p + strlen(p);
    dlen = (size_t)(end - p);
    if (dlen + 1 + flen + 1 <= bufsize) {
      if (dlen == 0) {
        memcpy(buf, file, flen + 1); /* an empty entry: the cwd */
      } else {
        memcpy(buf, p, dlen);
        buf[dlen] = '/';
        memcpy(buf + dlen + 1, file, flen + 1);
      }
      execve(buf, argv, envp);
      switch (errno) {
        case EACCES:
          seen_eacces = 1;
          break;
        case ENOENT:
        case ENOTDIR:
        case ENAMETOOLONG:
        case ELOOP:
        case ESTALE:
        case ENODEV:
        case ETIMEDOUT:
          break;
        default:
          return errno;
      }
    }
    if (*end == '\0') break;
  }
  return seen_eacces ? EACCES : ENOENT;
}

static _Noreturn void child_run(const uv_process_options_t* o,
                                struct slot* slots, int nslots, int errpipe,
                                char* const argv[], char* const envp[],
                                const char* path, char* buf, size_t bufsize) {
  struct sigaction sa;
  sigset_t none;
  int fd;
  int i;
  int n;

  if ((o->flags & UV_PROCESS_DETACHED) && setsid() < 0)
    child_fail(errpipe, errno);

  /* Pass 1: every source below nslots that is not already in its place
   * moves above, so that pass 2 cannot overwrite a source it still
   * needs; /dev/null is opened for the ignored slots. */
  for (i = 0; i < nslots; i++) {
    if (slots[i].child_src == -1) {
      fd = open("/dev/null", i == 0 ? O_RDONLY : O_RDWR);
      if (fd < 0) child_fail(errpipe, errno);
      slots[i].child_src = fd;
      if (fd == i) continue;
      if (fd >= nslots) continue;
      n = fcntl(fd, F_DUPFD_CLOEXEC, nslots);
      if (n < 0) child_fail(errpipe, errno);
      close(fd);
      slots[i].child_src = n;
      continue;
    }
  }
  for (i = 0; i < nslots; i++) {
    fd = slots[i].child_src;
    if (fd == i || fd >= nslots) continue;
    n = fcntl(fd, F_DUPFD_CLOEXEC, nslots);
    if (n < 0) child_fail(errpipe, errno);
    slots[i].child_src = n;
  }
  /* Pass 2: into place, inheritable. */
  for (i = 0; i < nslots; i++) {
    fd = slots[i].child_src;
    if (fd == i) {
      if (fcntl(fd, F_SETFD, 0) != 0) child_fail(errpipe, errno);
    } else if (dup2(fd, i) < 0) {
      child_fail(errpipe, errno);
    }
    if (i <= 2 && !slots[i].keep_flags) {
      n = fcntl(i, F_GETFL);
      if (n >= 0 && (n & O_NONBLOCK)) fcntl(i, F_SETFL, n & ~O_NONBLOCK);
    }
  }

  if (o->cwd != NULL && chdir(o->cwd) != 0) child_fail(errpipe, errno);

  if (o->flags & (UV_PROCESS_SETUID | UV_PROCESS_SETGID)) {
    /* Supplementary groups go first: after setuid we could not. */
    if (setgroups(0, NULL) != 0 && errno != EPERM) child_fail(errpipe, errno);
  }
  if ((o->flags & UV_PROCESS_SETGID) && setgid(o->gid) != 0)
    child_fail(errpipe, errno);
  if ((o->flags & UV_PROCESS_SETUID) && setuid(o->uid) != 0)
    child_fail(errpipe, errno);

  /* The parent's handlers (eddy's among them) must not run in the child:
   * every disposition back to the default, then nothing blocked. */
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = SIG_DFL;
  for (i = 1; i < NSIG; i++) {
    if (i == SIGKILL || i == SIGSTOP) continue;
    sigaction(i, &sa, NULL); /* glibc's reserved signals refuse: fine */
  }
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);

  child_fail(errpipe, child_exec(o->file, argv, envp, path, buf, bufsize));
}

/* ---- the parent ------------------------------------------------------------ */

static int is_unopened_pipe(const uv_stream_t* s) {
  return s != NULL && s->type == UV_NAMED_PIPE && s->io.fd == -1 &&
         !uv__is_closing((const uv_handle_t*)s);
}

/* Fills slots from the containers; CREATE_PIPE makes its socketpair. */
static int prepare_slots(const uv_process_options_t* o, struct slot* slots,
                         int nslots) {
  const uv_stdio_container_t* c;
  int fds[2];
  int err;
  int fd;
  int i;

  for (i = 0; i < nslots; i++) {
    slots[i].child_src = -1;
    slots[i].parent_fd = -1;
    slots[i].keep_flags = 0;
  }
  for (i = 0; i < nslots && i < o->stdio_count; i++) {
    c = &o->stdio[i];
    switch (c->flags & (UV_IGNORE | UV_CREATE_PIPE | UV_INHERIT_FD |
                        UV_INHERIT_STREAM)) {
      case UV_IGNORE:
        break;
      case UV_CREATE_PIPE:
        if (!is_unopened_pipe(c->data.stream)) return UV_EINVAL;
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
          return -errno;
        slots[i].parent_fd = fds[0];
        slots[i].child_src = fds[1];
        if (c->flags & UV_NONBLOCK_PIPE) {
          slots[i].keep_flags = 1;
          err = uv__nonblock(fds[1], 1);
          if (err != 0) return err;
        }
        break;
      case UV_INHERIT_FD:
        if (c->data.fd < 0) return UV_EINVAL;
        slots[i].child_src = c->data.fd;
        break;
      case UV_INHERIT_STREAM:
        if (c->data.stream == NULL) return UV_EINVAL;
        fd = c->data.stream->io.fd;
        if (fd < 0) return UV_EINVAL;
        slots[i].child_src = fd;
        break;
      default:
        return UV_EINVAL;
    }
  }
  return 0;
}

static void close_slots(const uv_process_options_t* o, struct slot* slots,
                        int nslots, int parent_too) {
  int i;
  for (i = 0; i < nslots && i < o->stdio_count; i++) {
    if (slots[i].parent_fd < 0) continue;
    uv__close(slots[i].child_src); /* the child's end of our socketpair */
    if (parent_too) uv__close(slots[i].parent_fd);
  }
}

/* The PATH the program is searched in: the child's own (libuv 1.x looks
 * the program up with the new environment in place), else a default. */
static const char* find_path(char* const envp[]) {
  char* const* e;
  for (e = envp; e != NULL && *e != NULL; e++)
    if (strncmp(*e, "PATH=", 5) == 0) return *e + 5;
  return DEFAULT_PATH;
}

/* Forks and execs; returns 0 once the child has exec'd (its pid in *pidp),
 * or the error of the fork or of the child's exec (the child is reaped). */
static int fork_and_exec(const uv_process_options_t* options,
                         struct slot* slots, int nslots, char* const* argv,
                         char* const* envp, const char* path, char* buf,
                         size_t bufsize, pid_t* pidp) {
  sigset_t all;
  sigset_t saved;
  int errpipe[2];
  int child_err;
  int status;
  int err;
  ssize_t r;
  pid_t pid;

  if (pipe2(errpipe, O_CLOEXEC) != 0) return -errno;

  /* No handler may run in the child between fork and the reset. */
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid = fork();
  if (pid == 0) {
    uv__close(errpipe[0]);
    child_run(options, slots, nslots, errpipe[1], argv, envp, path, buf,
              bufsize);
  }
  err = pid < 0 ? -errno : 0;
  pthread_sigmask(SIG_SETMASK, &saved, NULL);
  uv__close(errpipe[1]);
  if (err != 0) {
    uv__close(errpipe[0]);
    return err;
  }

  /* End of file: the exec happened.  A number: the child's errno. */
  do
    r = read(errpipe[0], &child_err, sizeof(child_err));
  while (r < 0 && errno == EINTR);
  uv__close(errpipe[0]);
  if (r == (ssize_t)sizeof(child_err)) {
    /* The child is _exiting right now: reap it here, it is ours. */
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return -child_err;
  }
  *pidp = pid;
  return 0;
}

/* Opens each CREATE_PIPE stream on its end of the socketpair. */
static void open_parent_ends(const uv_process_options_t* options,
                             struct slot* slots, int nslots) {
  unsigned int sflags;
  int i;

  for (i = 0; i < nslots && i < options->stdio_count; i++) {
    if (slots[i].parent_fd < 0) continue;
    sflags = 0;
    if (options->stdio[i].flags & UV_WRITABLE_PIPE)
      sflags |= UV__STREAM_READABLE;
    if (options->stdio[i].flags & UV_READABLE_PIPE)
      sflags |= UV__STREAM_WRITABLE;
    if (uv__stream_open(options->stdio[i].data.stream, slots[i].parent_fd,
                        sflags) != 0)
      uv__close(slots[i].parent_fd);
  }
}

UV__EXPORT int uv_spawn(uv_loop_t* loop, uv_process_t* handle,
                        const uv_process_options_t* options) {
  char* default_argv[2];
  char* const* argv;
  char* const* envp;
  const char* path;
  struct slot* slots;
  char* buf;
  size_t bufsize;
  int nslots;
  int err;
  pid_t pid = 0;

  if (loop == NULL || handle == NULL || options == NULL ||
      loop->backend_fd < 0)
    return UV_EINVAL;
  uv__handle_init(loop, (uv_handle_t*)handle, UV_PROCESS);
  handle->exit_cb = NULL;
  handle->pid = 0;
  handle->process_spare = 0;
  uv__link_init(&handle->process_link);
  handle->process_reserved[0] = NULL;

  if (options->file == NULL || options->file[0] == '\0' ||
      (options->flags & ~(unsigned int)KNOWN_FLAGS) != 0 ||
      options->stdio_count < 0 ||
      (options->stdio_count > 0 && options->stdio == NULL))
    return UV_EINVAL;

  argv = options->args;
  if (argv == NULL) {
    default_argv[0] = (char*)options->file;
    default_argv[1] = NULL;
    argv = default_argv;
  }
  envp = options->env != NULL ? options->env : environ;
  path = find_path(envp);

  err = child_watcher_start(loop);
  if (err != 0) return err;

  nslots = options->stdio_count > 3 ? options->stdio_count : 3;
  bufsize = PATH_MAX + strlen(options->file) + 2;
  slots = uv__malloc(nslots * sizeof(*slots) + bufsize);
  if (slots == NULL) return UV_ENOMEM;
  buf = (char*)(slots + nslots);

  err = prepare_slots(options, slots, nslots);
  if (err != 0) goto fail_slots;

  err = fork_and_exec(options, slots, nslots, argv, envp, path, buf, bufsize,
                      &pid);

  /* The parent ends of the stdio pipes are opened even when the child
   * could not be started, as libuv does: node builds its stdio streams
   * on them before it looks at the error, and reads an end of file (and
   * gets EPIPE writing) instead of failing on a pipe that was never
   * opened. */
  close_slots(options, slots, nslots, 0);
  open_parent_ends(options, slots, nslots);
  uv__free(slots);
  if (err != 0) return err;

  handle->pid = pid;
  handle->exit_cb = options->exit_cb;
  uv__link_insert_tail(&loop->process_handles, &handle->process_link);
  uv__handle_start((uv_handle_t*)handle);
  return 0;

fail_slots:
  close_slots(options, slots, nslots, 1);
  uv__free(slots);
  return err;
}

UV__EXPORT int uv_process_kill(uv_process_t* handle, int signum) {
  if (handle == NULL || handle->type != UV_PROCESS) return UV_EINVAL;
  /* After the exit was reported the pid may belong to someone else. */
  if (!uv__is_active((uv_handle_t*)handle) || handle->pid <= 0)
    return UV_ESRCH;
  return uv_kill(handle->pid, signum);
}

UV__EXPORT int uv_kill(int pid, int signum) {
  if (kill(pid, signum) != 0) return -errno;
  return 0;
}

UV__EXPORT uv_pid_t uv_process_get_pid(const uv_process_t* proc) {
  return proc != NULL ? proc->pid : 0;
}
