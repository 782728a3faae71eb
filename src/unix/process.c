/* eddy — child processes: uv_spawn, exit notification and kill.
 *
 * uv_spawn prepares everything the child needs (descriptors, argv, the
 * PATH candidates' buffer) in the parent, then starts the child with
 * vfork() when nothing in the process can need fork(), else with fork(),
 * as libuv does on Linux.  What needs fork() is a pthread_atfork handler,
 * which fork() runs in the child and vfork() does not (uvloop runs a
 * Python preexec_fn from one): uv__spawn_atfork_possible looks for an
 * object that can have registered one.  EDDY_SPAWN=fork or vfork forces
 * one of them.
 *
 * Under fork() the child reports an exec error through a close-on-exec
 * pipe, which the parent reads until end of file (the exec happened), so
 * that uv_spawn itself returns the error, e.g. UV_ENOENT, and the handle
 * is never started.  Under vfork() the child borrows the parent's memory
 * instead of copying its page tables (spawning from a process with a
 * large heap costs no more than from a small one), the calling thread
 * sleeps until the child has exec'd or exited, and an exec error is simply
 * left in the parent's memory.  (Not under ThreadSanitizer, whose runtime
 * keeps per-thread state that a child sharing the parent's memory would
 * corrupt.)
 *
 * The child's code is written for the narrower of the two: every signal
 * is blocked from before the fork until the child has put every
 * disposition back to the default; it writes only its own stack, the
 * scratch array it is given and the error word; it calls only plain
 * system-call wrappers, and makes the calls glibc would do process-wide
 * behind our back (the set*id family, which glibc broadcasts to "all
 * threads": the parent's threads, under vfork) and the signal calls as raw
 * system calls.  It puts its stdio in place, changes directory, drops
 * supplementary groups before it changes group and user, resets signal
 * dispositions and the mask, and execs, searching PATH itself with execve
 * (a file without a known header, ENOEXEC, runs under /bin/sh, as with
 * execvp).
 * When the child cannot start, the parent ends of its stdio pipes are
 * opened all the same, as libuv does (node builds its streams on them
 * before it looks at the error).
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
#include <link.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#define KNOWN_FLAGS                                                        \
  (UV_PROCESS_SETUID | UV_PROCESS_SETGID |                                 \
   UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS | UV_PROCESS_DETACHED |           \
   UV_PROCESS_WINDOWS_HIDE | UV_PROCESS_WINDOWS_HIDE_CONSOLE |             \
   UV_PROCESS_WINDOWS_HIDE_GUI | UV_PROCESS_WINDOWS_FILE_PATH_EXACT_NAME)

#define DEFAULT_PATH "/usr/local/bin:/bin:/usr/bin"

/* uv_spawn keeps its slots and the child's scratch array on its stack when
 * they fit in this many slots. */
#define SMALL_SLOTS 16

/* One stdio slot of the child: where its descriptor comes from. */
struct slot {
  int child_src;  /* the descriptor to put at the slot, -1: /dev/null */
  int parent_fd;  /* CREATE_PIPE: the parent's end, else -1 */
  int inherited;  /* INHERIT_*: may be non-blocking (see child_run) */
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

#if defined(__SANITIZE_THREAD__)
#define UV__SPAWN_FORK 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UV__SPAWN_FORK 1
#endif
#endif

/* What the child reads from the parent and writes back. */
struct child_args {
  const uv_process_options_t* o;
  const struct slot* slots;
  int* src; /* scratch: the child's source descriptor per slot */
  int nslots;
  char* const* argv;
  char** sh_argv; /* /bin/sh, the file tried, argv[1]...: for ENOEXEC */
  char* const* envp;
  const char* path;
  char* buf;
  size_t bufsize;
  int errfd;        /* fork() only: where the child writes its error */
  volatile int err; /* the child's errno if it could not exec, else 0 */
};

static _Noreturn void child_fail(struct child_args* a, int err) {
  ssize_t r;

  a->err = err;
  if (a->errfd >= 0) {
    do
      r = write(a->errfd, &err, sizeof(err));
    while (r < 0 && errno == EINTR);
  }
  _exit(127);
}

/* A file the kernel does not recognise as an executable (ENOEXEC: a
 * script without a "#!" line) is run by /bin/sh, as execvp(3) does: the
 * shell gets the path that was tried, then argv[1] onwards.  On return
 * errno is the shell's execve error. */
static void child_exec_sh(const char* tried, char** sh_argv,
                          char* const envp[]) {
  sh_argv[1] = (char*)tried;
  execve(sh_argv[0], sh_argv, envp);
}

/* execvp's search, done with execve only (no buffer: file has a slash,
 * no search), with its fallback to /bin/sh.  Returns the errno to
 * report. */
static int child_exec(const char* file, char* const argv[], char** sh_argv,
                      char* const envp[], const char* path, char* buf,
                      size_t bufsize) {
  const char* p;
  const char* end;
  size_t flen;
  size_t dlen;
  int seen_eacces = 0;

  if (bufsize == 0) {
    execve(file, argv, envp);
    if (errno == ENOEXEC) child_exec_sh(file, sh_argv, envp);
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
      if (errno == ENOEXEC) child_exec_sh(buf, sh_argv, envp);
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

/* The kernel's sigaction layout, for the raw system call. */
struct kernel_sigaction {
  void* handler;
  unsigned long flags;
  void* restorer;
  uint64_t mask;
};

static void child_default_signal(int signum) {
  static const struct kernel_sigaction dfl = {SIG_DFL, 0, NULL, 0};
  syscall(SYS_rt_sigaction, signum, &dfl, NULL, sizeof(dfl.mask));
}

/* The 16 hexadecimal digits after "name" in a /proc status text, or 0
 * (with *ok cleared) when they are not there. */
static uint64_t child_status_mask(const char* text, const char* name,
                                  int* ok) {
  const char* p;
  uint64_t m = 0;
  int i;
  int d;

  /* A plain loop: nothing of libc's that the child has not run yet. */
  for (p = text; *p != '\0'; p++) {
    for (i = 0; name[i] != '\0' && p[i] == name[i]; i++) continue;
    if (name[i] == '\0') break;
  }
  if (*p == '\0') {
    *ok = 0;
    return 0;
  }
  p += i;
  for (i = 0; i < 16; i++, p++) {
    if (*p >= '0' && *p <= '9') d = *p - '0';
    else if (*p >= 'a' && *p <= 'f') d = *p - 'a' + 10;
    else {
      *ok = 0;
      return 0;
    }
    m = m << 4 | (uint64_t)d;
  }
  return m;
}

/* The signals that are ignored or caught (bit n-1 for signal n), as the
 * kernel lists them in /proc/self/status; 0 with *ok cleared when it
 * cannot be read.  The child's own dispositions: after fork or vfork they
 * are a copy of the parent's that nobody else changes.  Three system
 * calls instead of one per signal (a program typically catches or ignores
 * two or three of the 64). */
static uint64_t child_nondefault_signals(int* ok) {
  char text[4096];
  ssize_t n;
  uint64_t m;
  int fd;

  *ok = 0;
  fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  do
    n = read(fd, text, sizeof(text) - 1);
  while (n < 0 && errno == EINTR);
  close(fd);
  if (n <= 0) return 0;
  text[n] = '\0';
  *ok = 1;
  m = child_status_mask(text, "\nSigIgn:\t", ok);
  m |= child_status_mask(text, "\nSigCgt:\t", ok);
  return m;
}

/* Every disposition back to the default, then nothing blocked: the
 * parent's handlers (eddy's among them) must not run in the child, and
 * an ignored signal must not stay ignored in the program.  Raw system
 * calls: the kernel's sigaction layout, and no libc bookkeeping.  Signals
 * already at the default are left alone when /proc says which; without
 * /proc every one is reset. */
static void child_reset_signals(void) {
  uint64_t none = 0;
  uint64_t m;
  int ok;
  int i;

  m = child_nondefault_signals(&ok);
  for (i = 1; i <= 64; i++) {
    if (i == SIGKILL || i == SIGSTOP) continue;
    if (ok && !(m & (UINT64_C(1) << (i - 1)))) continue;
    child_default_signal(i);
  }
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
}

/* The PATH the program is searched in: the child's own (libuv 1.x looks
 * the program up with the new environment in place), else a default. */
static const char* find_path(char* const envp[]) {
  char* const* e;
  for (e = envp; e != NULL && *e != NULL; e++)
    if (strncmp(*e, "PATH=", 5) == 0) return *e + 5;
  return DEFAULT_PATH;
}

static _Noreturn void child_run(struct child_args* a) {
  const uv_process_options_t* o = a->o;
  char* const* envp;
  const char* path;
  int nslots = a->nslots;
  int* src = a->src;
  int devnull[2]; /* read only, read-write */
  int rw;
  int fd;
  int i;
  int n;

  if ((o->flags & UV_PROCESS_DETACHED) && setsid() < 0) child_fail(a, errno);

  /* Pass 1: every source below nslots that is not already in its place
   * moves above, so that pass 2 cannot overwrite a source it still
   * needs.  The ignored slots share two descriptors of /dev/null (read
   * only for stdin, as libuv does, read-write for the others), opened
   * close-on-exec: the copies pass 2 makes are inheritable. */
  devnull[0] = -1;
  devnull[1] = -1;
  for (i = 0; i < nslots; i++) {
    src[i] = a->slots[i].child_src;
    if (src[i] != -1) continue;
    rw = i != 0;
    if (devnull[rw] < 0) {
      fd = open("/dev/null", (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
      if (fd < 0) child_fail(a, errno);
      if (fd < nslots) {
        n = fcntl(fd, F_DUPFD_CLOEXEC, nslots);
        if (n < 0) child_fail(a, errno);
        close(fd);
        fd = n;
      }
      devnull[rw] = fd;
    }
    src[i] = devnull[rw];
  }
  for (i = 0; i < nslots; i++) {
    fd = src[i];
    if (fd == i || fd >= nslots) continue;
    n = fcntl(fd, F_DUPFD_CLOEXEC, nslots);
    if (n < 0) child_fail(a, errno);
    src[i] = n;
  }
  /* Pass 2: into place, inheritable.  Descriptors 0 to 2 are made
   * blocking, as libuv does; only an inherited one can be non-blocking
   * (/dev/null and our socketpair ends are blocking unless
   * UV_NONBLOCK_PIPE asked otherwise). */
  for (i = 0; i < nslots; i++) {
    fd = src[i];
    if (fd == i) {
      if (fcntl(fd, F_SETFD, 0) != 0) child_fail(a, errno);
    } else if (dup2(fd, i) < 0) {
      child_fail(a, errno);
    }
    if (i <= 2 && a->slots[i].inherited) {
      n = fcntl(i, F_GETFL);
      if (n >= 0 && (n & O_NONBLOCK)) fcntl(i, F_SETFL, n & ~O_NONBLOCK);
    }
  }

  if (o->cwd != NULL && chdir(o->cwd) != 0) child_fail(a, errno);

  /* Supplementary groups go first: after setuid we could not. */
  if ((o->flags & (UV_PROCESS_SETUID | UV_PROCESS_SETGID)) &&
      syscall(SYS_setgroups, 0, NULL) != 0 && errno != EPERM)
    child_fail(a, errno);
  if ((o->flags & UV_PROCESS_SETGID) && syscall(SYS_setgid, o->gid) != 0)
    child_fail(a, errno);
  if ((o->flags & UV_PROCESS_SETUID) && syscall(SYS_setuid, o->uid) != 0)
    child_fail(a, errno);

  /* Without options->env the program gets the environment as it is now,
   * in the child, as under libuv (it execs with the child's environ):
   * a fork handler may have changed it (uvloop's preexec_fn can putenv),
   * and setenv can have moved environ since the parent looked. */
  envp = a->envp;
  path = a->path;
  if (o->env == NULL) {
    envp = environ;
    path = find_path(envp);
  }

  child_reset_signals();
  child_fail(a, child_exec(o->file, a->argv, a->sh_argv, envp, path,
                           a->buf, a->bufsize));
}

/* fork(): the child has a copy of the arguments, so its error comes back
 * through a close-on-exec pipe (end of file: the exec happened). */
static pid_t child_fork(struct child_args* a) {
  int fds[2];
  int err = 0;
  ssize_t r;
  pid_t pid;

  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  pid = fork();
  if (pid == 0) {
    uv__close(fds[0]);
    a->errfd = fds[1];
    child_run(a);
  }
  if (pid < 0) {
    uv__close(fds[0]);
    uv__close(fds[1]);
    return -1;
  }
  uv__close(fds[1]);
  do
    r = read(fds[0], &err, sizeof(err));
  while (r < 0 && errno == EINTR);
  uv__close(fds[0]);
  a->err = r == (ssize_t)sizeof(err) ? err : 0;
  return pid;
}

#if !defined(UV__SPAWN_FORK)
/* vfork(): the child writes its error into a->err, the parent's memory. */
static pid_t child_vfork(struct child_args* a) {
  pid_t pid = vfork();
  if (pid == 0) child_run(a);
  return pid;
}
#endif

/* ---- fork or vfork ------------------------------------------------------------ */

enum { SPAWN_AUTO = 1, SPAWN_FORK, SPAWN_VFORK };

static int parse_spawn_mode(const char* val) {
  if (val != NULL && strcmp(val, "vfork") == 0) return SPAWN_VFORK;
  if (val != NULL && strcmp(val, "fork") == 0) return SPAWN_FORK;
  return SPAWN_AUTO;
}

/* EDDY_SPAWN=fork or vfork, read once per process; anything else: auto. */
static int spawn_mode_wanted(void) {
  static int wanted;
  return uv__env_setting(&wanted, "EDDY_SPAWN", parse_spawn_mode);
}

/* Whether a fork handler may have been registered, found from the
 * objects loaded in the process: registering one means importing
 * __register_atfork (glibc's pthread_atfork is a stub linked into the
 * caller, libc_nonshared.a, that calls it) or pthread_atfork (musl, very
 * old binaries).  An object that names either in a relocation may have
 * registered handlers; one that does not cannot have (short of looking
 * the function up with dlsym).  eddy's own shared library is left out:
 * it imports __register_atfork for the thread pool's child handler, which
 * a child that execs right away does not need.  Statically linked, eddy
 * is part of an object that may hold the program's own handlers, so that
 * object counts. */
#define EDDY_SONAME "libeddy.so.1"

struct atfork_scan {
  unsigned long long adds; /* the loader's counts when scanned */
  unsigned long long subs;
  int found;
};

static int is_atfork_name(const char* s) {
  return (s[0] == '_' && strcmp(s, "__register_atfork") == 0) ||
         (s[0] == 'p' && strcmp(s, "pthread_atfork") == 0);
}

/* glibc relocates the dynamic section's pointers in place, musl (and a
 * read-only dynamic section) leaves them relative to the load address. */
static ElfW(Addr) dyn_ptr(const struct dl_phdr_info* info, ElfW(Addr) p) {
  return p < info->dlpi_addr ? p + info->dlpi_addr : p;
}

#if __ELF_NATIVE_CLASS == 64
#define RELOC_SYM(info) ELF64_R_SYM(info)
#else
#define RELOC_SYM(info) ELF32_R_SYM(info)
#endif

struct dyn_tables {
  const ElfW(Sym)* symtab;
  const char* strtab;
  size_t strsz;
};

static int sym_is_atfork(const struct dyn_tables* t, size_t sym) {
  size_t name;
  if (sym == 0) return 0;
  name = t->symtab[sym].st_name;
  return name < t->strsz && is_atfork_name(t->strtab + name);
}

static int relocs_name_atfork(const struct dyn_tables* t, ElfW(Addr) rel,
                              size_t size, int rela) {
  size_t i;
  if (rel == 0) return 0;
  if (rela) {
    const ElfW(Rela)* r = (const ElfW(Rela)*)rel;
    for (i = 0; i < size / sizeof(*r); i++)
      if (sym_is_atfork(t, RELOC_SYM(r[i].r_info))) return 1;
  } else {
    const ElfW(Rel)* r = (const ElfW(Rel)*)rel;
    for (i = 0; i < size / sizeof(*r); i++)
      if (sym_is_atfork(t, RELOC_SYM(r[i].r_info))) return 1;
  }
  return 0;
}

/* Whether the object contains addr (in one of its loaded segments). */
static int object_contains(const struct dl_phdr_info* info, const void* addr) {
  ElfW(Addr) a = (ElfW(Addr))addr;
  ElfW(Addr) start;
  int i;

  for (i = 0; i < info->dlpi_phnum; i++) {
    if (info->dlpi_phdr[i].p_type != PT_LOAD) continue;
    start = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
    if (a >= start && a - start < info->dlpi_phdr[i].p_memsz) return 1;
  }
  return 0;
}

/* 1 if this object imports a way to register fork handlers, 0 if not;
 * also says whether it is eddy's own shared library. */
static int object_registers_atfork(const struct dl_phdr_info* info,
                                   int* is_eddy) {
  const ElfW(Dyn)* d = NULL;
  struct dyn_tables t = {NULL, NULL, 0};
  ElfW(Addr) rel = 0, rela = 0, jmprel = 0;
  size_t relsz = 0, relasz = 0, pltrelsz = 0;
  size_t soname = (size_t)-1;
  int pltrel = 0;
  int i;

  *is_eddy = 0;
  for (i = 0; i < info->dlpi_phnum; i++)
    if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
      d = (const ElfW(Dyn)*)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
  if (d == NULL) return 0; /* static: nothing imported */
  for (; d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
      case DT_SYMTAB: t.symtab = (const ElfW(Sym)*)dyn_ptr(info, d->d_un.d_ptr); break;
      case DT_STRTAB: t.strtab = (const char*)dyn_ptr(info, d->d_un.d_ptr); break;
      case DT_STRSZ: t.strsz = d->d_un.d_val; break;
      case DT_SONAME: soname = d->d_un.d_val; break;
      case DT_REL: rel = dyn_ptr(info, d->d_un.d_ptr); break;
      case DT_RELSZ: relsz = d->d_un.d_val; break;
      case DT_RELA: rela = dyn_ptr(info, d->d_un.d_ptr); break;
      case DT_RELASZ: relasz = d->d_un.d_val; break;
      case DT_JMPREL: jmprel = dyn_ptr(info, d->d_un.d_ptr); break;
      case DT_PLTRELSZ: pltrelsz = d->d_un.d_val; break;
      case DT_PLTREL: pltrel = (int)d->d_un.d_val; break;
      default: break;
    }
  }
  if (t.symtab == NULL || t.strtab == NULL) return 0;
  if (soname < t.strsz && strcmp(t.strtab + soname, EDDY_SONAME) == 0 &&
      object_contains(info, (const void*)&spawn_mode_wanted))
    *is_eddy = 1;
  return relocs_name_atfork(&t, rel, relsz, 0) ||
         relocs_name_atfork(&t, rela, relasz, 1) ||
         relocs_name_atfork(&t, jmprel, pltrelsz, pltrel == DT_RELA);
}

static int atfork_scan_object(struct dl_phdr_info* info, size_t size,
                              void* arg) {
  struct atfork_scan* scan = arg;
  int is_eddy;

  if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs))
    return -1; /* too old a loader to say when objects come and go */
  scan->adds = info->dlpi_adds;
  scan->subs = info->dlpi_subs;
  if (object_registers_atfork(info, &is_eddy) && !is_eddy) {
    scan->found = 1;
    return 1;
  }
  return 0;
}

/* The answer is kept until an object is loaded or unloaded.  One word,
 * atomic: bit 0 valid, bit 1 the answer, then the low bits of the
 * loader's counts of loads (30 bits) and unloads (32 bits). */
static uint64_t atfork_key(unsigned long long adds, unsigned long long subs) {
  return (uint64_t)(adds & 0x3fffffff) << 2 | (uint64_t)(subs & 0xffffffff) << 32;
}

static int stop_at_first(struct dl_phdr_info* info, size_t size, void* arg) {
  struct atfork_scan* scan = arg;
  if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs))
    return -1;
  scan->adds = info->dlpi_adds;
  scan->subs = info->dlpi_subs;
  return 1;
}

int uv__spawn_atfork_possible(void) {
  static uint64_t cache; /* atomic */
  struct atfork_scan scan = {0, 0, 0};
  uint64_t c = __atomic_load_n(&cache, __ATOMIC_ACQUIRE);

  if (dl_iterate_phdr(stop_at_first, &scan) != 1) return 1;
  if ((c & 1) && (c & ~(uint64_t)3) == atfork_key(scan.adds, scan.subs))
    return (int)(c >> 1 & 1);
  scan.found = 0;
  if (dl_iterate_phdr(atfork_scan_object, &scan) < 0) return 1;
  c = atfork_key(scan.adds, scan.subs) | (uint64_t)scan.found << 1 | 1;
  __atomic_store_n(&cache, c, __ATOMIC_RELEASE);
  return scan.found;
}

/* fork() unless nothing needs it: vfork() when no fork handler can have
 * been registered, or when asked for. */
static pid_t child_start(struct child_args* a) {
#if !defined(UV__SPAWN_FORK)
  int mode = spawn_mode_wanted();
  if (mode == SPAWN_VFORK ||
      (mode == SPAWN_AUTO && !uv__spawn_atfork_possible()))
    return child_vfork(a);
#else
  (void)spawn_mode_wanted;
#endif
  return child_fork(a);
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
    slots[i].inherited = 0;
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
          err = uv__nonblock(fds[1], 1);
          if (err != 0) return err;
        }
        break;
      case UV_INHERIT_FD:
        if (c->data.fd < 0) return UV_EINVAL;
        slots[i].child_src = c->data.fd;
        slots[i].inherited = 1;
        break;
      case UV_INHERIT_STREAM:
        if (c->data.stream == NULL) return UV_EINVAL;
        fd = c->data.stream->io.fd;
        if (fd < 0) return UV_EINVAL;
        slots[i].child_src = fd;
        slots[i].inherited = 1;
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
  char* small_sh_argv[SMALL_SLOTS];
  char** sh_argv;
  size_t argc;
  char* const* argv;
  char* const* envp;
  const char* path;
  struct child_args args;
  struct slot small[SMALL_SLOTS];
  struct slot* slots;
  sigset_t all;
  sigset_t saved;
  size_t bufsize;
  size_t size;
  int cancel_state;
  int nslots;
  int status;
  int err;
  pid_t r;
  pid_t pid;

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
  /* Without options->env, the child looks at its own environ. */
  envp = options->env;
  path = envp != NULL ? find_path(envp) : NULL;

  err = child_watcher_start(loop);
  if (err != 0) return err;

  /* The shell's argument vector for a file that turns out not to be an
   * executable (see child_exec_sh), ready before the child starts: it
   * may not allocate. */
  for (argc = 0; argv[argc] != NULL; argc++) {
  }
  sh_argv = small_sh_argv;
  if (argc + 2 > SMALL_SLOTS) {
    sh_argv = uv__malloc((argc + 2) * sizeof(*sh_argv));
    if (sh_argv == NULL) return UV_ENOMEM;
  }
  sh_argv[0] = "/bin/sh";
  sh_argv[1] = NULL; /* the path tried, set by the child */
  if (argc > 1)
    memcpy(sh_argv + 2, argv + 1, argc * sizeof(*sh_argv));
  else
    sh_argv[2] = NULL;

  /* The slots, the child's scratch array and, for a PATH search only,
   * the candidates' buffer: on the stack in the common case (after a
   * fork every page the parent writes is copied, the heap's too). */
  nslots = options->stdio_count > 3 ? options->stdio_count : 3;
  bufsize = 0;
  if (strchr(options->file, '/') == NULL)
    bufsize = PATH_MAX + strlen(options->file) + 2;
  size = nslots * (sizeof(*slots) + sizeof(int)) + bufsize;
  slots = small;
  if (size > sizeof(small)) {
    slots = uv__malloc(size);
    if (slots == NULL) {
      if (sh_argv != small_sh_argv) uv__free(sh_argv);
      return UV_ENOMEM;
    }
  }

  err = prepare_slots(options, slots, nslots);
  if (err != 0) goto fail_slots;

  args.o = options;
  args.slots = slots;
  args.src = (int*)(slots + nslots);
  args.nslots = nslots;
  args.argv = argv;
  args.sh_argv = sh_argv;
  args.envp = envp;
  args.path = path;
  args.buf = (char*)(args.src + nslots);
  args.bufsize = bufsize;
  args.errfd = -1;
  args.err = 0;

  /* No handler may run in the child before it has reset them all.  No
   * cancellation either: the child's open() or the parent's read() of
   * the error pipe would otherwise act on a request pending for this
   * thread, the child unwinding the caller's stack (the parent's memory,
   * under vfork) instead of exec'ing, the parent leaving a child and
   * descriptors behind. */
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid = child_start(&args);
  err = pid < 0 ? -errno : 0;
  pthread_sigmask(SIG_SETMASK, &saved, NULL);
  if (err != 0) {
    pthread_setcancelstate(cancel_state, NULL);
    goto fail_slots;
  }

  if (args.err != 0) {
    /* The child has _exited (or is about to): reap it here, it is ours. */
    do
      r = waitpid(pid, &status, 0);
    while (r < 0 && errno == EINTR);
    err = -args.err;
  }
  pthread_setcancelstate(cancel_state, NULL);

  /* The parent ends of the stdio pipes are opened even when the child
   * could not be started, as libuv does: node builds its stdio streams
   * on them before it looks at the error, and reads an end of file (and
   * gets EPIPE writing) instead of failing on a pipe that was never
   * opened. */
  close_slots(options, slots, nslots, 0);
  open_parent_ends(options, slots, nslots);
  if (slots != small) uv__free(slots);
  if (sh_argv != small_sh_argv) uv__free(sh_argv);
  if (err != 0) return err;

  handle->pid = pid;
  handle->exit_cb = options->exit_cb;
  uv__link_insert_tail(&loop->process_handles, &handle->process_link);
  uv__handle_start((uv_handle_t*)handle);
  return 0;

fail_slots:
  close_slots(options, slots, nslots, 1);
  if (slots != small) uv__free(slots);
  if (sh_argv != small_sh_argv) uv__free(sh_argv);
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
