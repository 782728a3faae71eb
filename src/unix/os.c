/* eddy — what a program asks of its operating system: the environment,
 * users and groups, the process (ids, priority, title, executable, working
 * directory, descriptors), and the machine (host name, kernel, resource
 * usage, memory and cgroup limits, CPUs, load).
 *
 * The /proc and /sys files are read with read(2) into fixed buffers, never
 * through stdio, so that nothing here allocates behind uv_replace_allocator
 * and no read can run past a buffer.  Numbers are parsed by hand rather than
 * with strtod/sscanf, whose idea of a decimal point follows the program's
 * locale. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* ---- reading /proc and /sys ---------------------------------------------- */

static int open_ro(const char* path) {
  int fd;
  do {
    fd = open(path, O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

/* Reads the start of a small file into buf and NUL-terminates it.  Returns
 * its length or a negative error code; what does not fit is left unread. */
static ssize_t read_small_file(const char* path, char* buf, size_t size) {
  size_t len = 0;
  ssize_t n;
  int fd;

  fd = open_ro(path);
  if (fd < 0) return -errno;
  while (len < size - 1) {
    n = read(fd, buf + len, size - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      n = -errno;
      uv__close(fd);
      return n;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  uv__close(fd);
  buf[len] = '\0';
  return (ssize_t)len;
}

/* Reads a file line by line through a buffer on the stack.  A line longer
 * than the buffer comes back cut short and the rest of it is skipped (the
 * "intr" line of /proc/stat runs to kilobytes; nothing read here needs it). */
struct line_reader {
  int fd;
  int eof;
  int skipping; /* inside the unread tail of a line that was cut short */
  size_t start; /* the unconsumed bytes are buf[start, end) */
  size_t end;
  char buf[4096];
};

static int line_reader_open(struct line_reader* r, const char* path) {
  r->fd = open_ro(path);
  if (r->fd < 0) return -errno;
  r->eof = 0;
  r->skipping = 0;
  r->start = 0;
  r->end = 0;
  return 0;
}

static void line_reader_close(struct line_reader* r) { uv__close(r->fd); }

/* The next line without its newline, or NULL at the end (or on an error,
 * which reading /proc treats as the end). */
static char* next_line(struct line_reader* r) {
  char* line;
  char* nl;
  ssize_t n;

  for (;;) {
    nl = memchr(r->buf + r->start, '\n', r->end - r->start);
    if (nl != NULL) {
      *nl = '\0';
      line = r->buf + r->start;
      r->start = (size_t)(nl - r->buf) + 1;
      if (r->skipping) {
        r->skipping = 0;
        continue;
      }
      return line;
    }
    if (r->eof) {
      if (r->start == r->end || r->skipping) return NULL;
      r->buf[r->end] = '\0';
      line = r->buf + r->start;
      r->start = r->end;
      return line;
    }
    if (r->start > 0) {
      memmove(r->buf, r->buf + r->start, r->end - r->start);
      r->end -= r->start;
      r->start = 0;
    }
    if (r->end == sizeof(r->buf) - 1) {
      /* A line that does not fit: hand out its start, drop the rest. */
      r->buf[r->end] = '\0';
      line = r->skipping ? NULL : r->buf;
      r->start = r->end = 0;
      r->skipping = 1;
      if (line != NULL) return line;
      continue;
    }
    n = read(r->fd, r->buf + r->end, sizeof(r->buf) - 1 - r->end);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      r->eof = 1;
    else
      r->end += (size_t)n;
  }
}

static const char* skip_spaces(const char* p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* Parses a decimal number after optional blanks; saturates instead of
 * wrapping.  Returns 0 when there is no digit. */
static int parse_u64(const char** p, uint64_t* out) {
  const char* s = skip_spaces(*p);
  uint64_t v = 0;
  unsigned d;

  if (*s < '0' || *s > '9') return 0;
  for (; *s >= '0' && *s <= '9'; s++) {
    d = (unsigned)(*s - '0');
    v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
  }
  *p = s;
  *out = v;
  return 1;
}

/* Parses "123.45" (the fraction optional) whatever the locale says a
 * decimal point is. */
static int parse_decimal(const char** p, double* out) {
  const char* s;
  uint64_t whole;
  double frac = 0, scale = 1;

  if (!parse_u64(p, &whole)) return 0;
  s = *p;
  if (*s == '.') {
    for (s++; *s >= '0' && *s <= '9'; s++) {
      scale /= 10;
      frac += (*s - '0') * scale;
    }
  }
  *p = s;
  *out = (double)whole + frac;
  return 1;
}

/* If line starts with key, where the value after it begins. */
static const char* after_prefix(const char* line, const char* key) {
  size_t n = strlen(key);
  return strncmp(line, key, n) == 0 ? line + n : NULL;
}

/* ---- the environment ----------------------------------------------------- */

/* Copies value into buffer under the size protocol shared by getenv,
 * homedir, tmpdir and hostname: *size is the buffer's size going in, the
 * string's length out; a buffer too small gets UV_ENOBUFS and *size the
 * size it needs, terminator included. */
static int copy_out(const char* value, size_t len, char* buffer, size_t* size) {
  if (len >= *size) {
    *size = len + 1;
    return UV_ENOBUFS;
  }
  memcpy(buffer, value, len);
  buffer[len] = '\0';
  *size = len;
  return 0;
}

UV__EXPORT int uv_os_getenv(const char* name, char* buffer, size_t* size) {
  const char* value;

  if (name == NULL || buffer == NULL || size == NULL || *size == 0)
    return UV_EINVAL;
  value = getenv(name);
  if (value == NULL) return UV_ENOENT;
  return copy_out(value, strlen(value), buffer, size);
}

/* setenv and unsetenv refuse these too, but not every C library checks;
 * the answer should not depend on which one eddy runs on. */
static int bad_env_name(const char* name) {
  return name == NULL || *name == '\0' || strchr(name, '=') != NULL;
}

UV__EXPORT int uv_os_setenv(const char* name, const char* value) {
  if (bad_env_name(name) || value == NULL) return UV_EINVAL;
  if (setenv(name, value, 1) != 0) return -errno;
  return 0;
}

UV__EXPORT int uv_os_unsetenv(const char* name) {
  if (bad_env_name(name)) return UV_EINVAL;
  if (unsetenv(name) != 0) return -errno;
  return 0;
}

/* Each item is one allocation, "name\0value": name points at its start and
 * uv_os_free_environ frees name only, as libuv does.  Entries without '='
 * (possible through a program's own environ edits) are left out. */
UV__EXPORT int uv_os_environ(uv_env_item_t** envitems, int* count) {
  uv_env_item_t* items;
  char* copy;
  char* eq;
  size_t total, i;
  int n;

  if (envitems == NULL || count == NULL) return UV_EINVAL;
  *envitems = NULL;
  *count = 0;

  for (total = 0; environ[total] != NULL; total++) {
  }
  if (total > INT_MAX) total = INT_MAX;
  /* At least one item, so that an empty environment still returns a
   * pointer that can be freed, as with libuv on glibc. */
  items = uv__calloc(total > 0 ? total : 1, sizeof(*items));
  if (items == NULL) return UV_ENOMEM;

  n = 0;
  for (i = 0; i < total && environ[i] != NULL; i++) {
    if (strchr(environ[i], '=') == NULL) continue;
    copy = uv__strdup(environ[i]);
    if (copy == NULL) {
      uv_os_free_environ(items, n);
      return UV_ENOMEM;
    }
    eq = strchr(copy, '=');
    *eq = '\0';
    items[n].name = copy;
    items[n].value = eq + 1;
    n++;
  }

  *envitems = items;
  *count = n;
  return 0;
}

UV__EXPORT void uv_os_free_environ(uv_env_item_t* envitems, int count) {
  int i;
  if (envitems == NULL) return;
  for (i = 0; i < count; i++) uv__free(envitems[i].name);
  uv__free(envitems);
}

UV__EXPORT int uv_os_homedir(char* buffer, size_t* size) {
  uv_passwd_t pwd;
  int r;

  /* uv_os_getenv checks buffer and size.  An empty HOME is an answer, as
   * with libuv: only an unset one falls back to the password database. */
  r = uv_os_getenv("HOME", buffer, size);
  if (r != UV_ENOENT) return r;

  r = uv_os_get_passwd(&pwd);
  if (r != 0) return r;
  r = copy_out(pwd.homedir, strlen(pwd.homedir), buffer, size);
  uv_os_free_passwd(&pwd);
  return r;
}

UV__EXPORT int uv_os_tmpdir(char* buffer, size_t* size) {
  static const char* const vars[] = {"TMPDIR", "TMP", "TEMP", "TEMPDIR"};
  const char* dir = NULL;
  size_t len, i;

  if (buffer == NULL || size == NULL || *size == 0) return UV_EINVAL;

  /* The first variable that is set wins, even when it is empty (libuv). */
  for (i = 0; i < UV__ARRAY_LEN(vars) && dir == NULL; i++)
    dir = getenv(vars[i]);
  if (dir == NULL) dir = "/tmp";

  len = strlen(dir);
  /* libuv sizes the answer before dropping a trailing slash: "/foo/"
   * needs a 6-byte buffer although "/foo" comes back.  Kept, so that a
   * size learnt from one library works with the other. */
  if (len >= *size) {
    *size = len + 1;
    return UV_ENOBUFS;
  }
  if (len > 1 && dir[len - 1] == '/') len--;
  memcpy(buffer, dir, len);
  buffer[len] = '\0';
  *size = len;
  return 0;
}

/* ---- users and groups ---------------------------------------------------- */

/* getpwuid_r and getgrgid_r want a scratch buffer of unknown size: start
 * with one that fits ordinary entries and double it on ERANGE, up to a
 * bound so that a broken name service cannot make us allocate forever. */
#define NSS_BUF_START 4096
#define NSS_BUF_MAX (64u << 20)

static int get_passwd(uv_passwd_t* pwd, uid_t uid) {
  struct passwd pw;
  struct passwd* found;
  size_t bufsize, name_len, dir_len, shell_len;
  char* buf;
  char* out;
  int r;

  if (pwd == NULL) return UV_EINVAL;

  for (bufsize = NSS_BUF_START;; bufsize *= 2) {
    buf = uv__malloc(bufsize);
    if (buf == NULL) return UV_ENOMEM;
    do {
      r = getpwuid_r(uid, &pw, buf, bufsize, &found);
    } while (r == EINTR);
    if (r == 0 && found != NULL) break;
    uv__free(buf);
    if (r == ERANGE && bufsize < NSS_BUF_MAX) continue;
    if (r == ERANGE) return UV_ENOMEM;
    return r != 0 ? -r : UV_ENOENT;
  }

  /* One allocation holding the three strings, username first: freeing
   * username frees them all (libuv's layout, which uv_os_free_passwd and
   * any program that copied libuv's free rely on). */
  name_len = strlen(pw.pw_name) + 1;
  dir_len = strlen(pw.pw_dir) + 1;
  shell_len = strlen(pw.pw_shell) + 1;
  out = uv__malloc(name_len + dir_len + shell_len);
  if (out == NULL) {
    uv__free(buf);
    return UV_ENOMEM;
  }
  pwd->username = out;
  memcpy(out, pw.pw_name, name_len);
  pwd->homedir = out + name_len;
  memcpy(pwd->homedir, pw.pw_dir, dir_len);
  pwd->shell = pwd->homedir + dir_len;
  memcpy(pwd->shell, pw.pw_shell, shell_len);
  pwd->uid = pw.pw_uid;
  pwd->gid = pw.pw_gid;
  uv__free(buf);
  return 0;
}

UV__EXPORT int uv_os_get_passwd(uv_passwd_t* pwd) {
  return get_passwd(pwd, geteuid());
}

UV__EXPORT int uv_os_get_passwd2(uv_passwd_t* pwd, uv_uid_t uid) {
  return get_passwd(pwd, uid);
}

UV__EXPORT void uv_os_free_passwd(uv_passwd_t* pwd) {
  if (pwd == NULL) return;
  uv__free(pwd->username);
  pwd->username = NULL;
  pwd->shell = NULL;
  pwd->homedir = NULL;
}

UV__EXPORT int uv_os_get_group(uv_group_t* grp, uv_uid_t gid) {
  struct group gr;
  struct group* found;
  size_t bufsize, size, len, nmembers, i;
  char** members;
  char* buf;
  char* s;
  int r;

  if (grp == NULL) return UV_EINVAL;

  for (bufsize = NSS_BUF_START;; bufsize *= 2) {
    buf = uv__malloc(bufsize);
    if (buf == NULL) return UV_ENOMEM;
    do {
      r = getgrgid_r((gid_t)gid, &gr, buf, bufsize, &found);
    } while (r == EINTR);
    if (r == 0 && found != NULL) break;
    uv__free(buf);
    if (r == ERANGE && bufsize < NSS_BUF_MAX) continue;
    if (r == ERANGE) return UV_ENOMEM;
    return r != 0 ? -r : UV_ENOENT;
  }

  /* One allocation: the NULL-terminated members array, then the member
   * names, then the group name.  It starts at members, which is what
   * uv_os_free_group frees (libuv's layout). */
  size = strlen(gr.gr_name) + 1;
  for (nmembers = 0; gr.gr_mem[nmembers] != NULL; nmembers++)
    size += strlen(gr.gr_mem[nmembers]) + 1;
  size += (nmembers + 1) * sizeof(char*);

  members = uv__malloc(size);
  if (members == NULL) {
    uv__free(buf);
    return UV_ENOMEM;
  }
  s = (char*)(members + nmembers + 1);
  for (i = 0; i < nmembers; i++) {
    len = strlen(gr.gr_mem[i]) + 1;
    memcpy(s, gr.gr_mem[i], len);
    members[i] = s;
    s += len;
  }
  members[nmembers] = NULL;
  memcpy(s, gr.gr_name, strlen(gr.gr_name) + 1);

  grp->groupname = s;
  grp->gid = gr.gr_gid;
  grp->members = members;
  uv__free(buf);
  return 0;
}

UV__EXPORT void uv_os_free_group(uv_group_t* grp) {
  if (grp == NULL) return;
  uv__free(grp->members);
  grp->members = NULL;
  grp->groupname = NULL;
}

/* ---- the process --------------------------------------------------------- */

UV__EXPORT uv_pid_t uv_os_getpid(void) { return getpid(); }

UV__EXPORT uv_pid_t uv_os_getppid(void) { return getppid(); }

UV__EXPORT int uv_os_getpriority(uv_pid_t pid, int* priority) {
  int r;

  if (priority == NULL) return UV_EINVAL;
  /* -1 is both a valid niceness and the error return. */
  errno = 0;
  r = getpriority(PRIO_PROCESS, (id_t)pid);
  if (r == -1 && errno != 0) return -errno;
  *priority = r;
  return 0;
}

UV__EXPORT int uv_os_setpriority(uv_pid_t pid, int priority) {
  if (priority < UV_PRIORITY_HIGHEST || priority > UV_PRIORITY_LOW)
    return UV_EINVAL;
  if (setpriority(PRIO_PROCESS, (id_t)pid, priority) != 0) return -errno;
  return 0;
}

/* The process title lives where the kernel shows the command line from:
 * the memory of the original argv strings.  uv_setup_args hands the
 * program a copy of argv, so that the original can be overwritten; the
 * title may use only the strings that lie end to end after argv[0]
 * (libuv assumes they all do; a hand-made argv need not), so a write never
 * leaves memory the kernel gave us for arguments. */
static struct {
  pthread_mutex_t lock;
  char** args; /* the copy handed out, kept for the life of the process */
  char* str;   /* argv[0] of the original argv, NULL before uv_setup_args */
  size_t len;  /* the current title's length */
  size_t cap;  /* bytes usable from str, the terminator included */
} title = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0, 0};

UV__EXPORT char** uv_setup_args(int argc, char** argv) {
  char** copy;
  char* s;
  size_t size, len, cap, n, i;

  if (argc <= 0 || argv == NULL || argv[0] == NULL) return argv;

  n = 0;
  size = 0;
  while (n < (size_t)argc && argv[n] != NULL) {
    len = strlen(argv[n]) + 1;
    if (len > SIZE_MAX / 2 - size) return argv;
    size += len;
    n++;
  }
  if (n + 1 > (SIZE_MAX / 2 - size) / sizeof(char*)) return argv;
  size += (n + 1) * sizeof(char*);

  copy = uv__malloc(size);
  if (copy == NULL) return argv;
  s = (char*)(copy + n + 1);
  for (i = 0; i < n; i++) {
    len = strlen(argv[i]) + 1;
    memcpy(s, argv[i], len);
    copy[i] = s;
    s += len;
  }
  copy[n] = NULL;

  cap = strlen(argv[0]) + 1;
  for (i = 1; i < n && argv[i] == argv[0] + cap; i++)
    cap += strlen(argv[i]) + 1;

  pthread_mutex_lock(&title.lock);
  title.args = copy;
  title.str = argv[0];
  title.len = strlen(argv[0]);
  title.cap = cap;
  pthread_mutex_unlock(&title.lock);
  /* The copy lives as long as the process: the program may use it until
   * the end.  (A second call, which libuv's documentation rules out, leaves
   * the first copy where it is for the same reason.) */
  return copy;
}

UV__EXPORT int uv_get_process_title(char* buffer, size_t size) {
  int r = 0;

  if (buffer == NULL || size == 0) return UV_EINVAL;
  pthread_mutex_lock(&title.lock);
  if (title.str == NULL || size <= title.len) {
    r = UV_ENOBUFS; /* libuv's answer before uv_setup_args, too */
  } else {
    memcpy(buffer, title.str, title.len);
    buffer[title.len] = '\0';
  }
  pthread_mutex_unlock(&title.lock);
  return r;
}

UV__EXPORT int uv_set_process_title(const char* new_title) {
  size_t len;

  if (new_title == NULL) return UV_EINVAL;
  pthread_mutex_lock(&title.lock);
  if (title.str == NULL) {
    pthread_mutex_unlock(&title.lock);
    return UV_ENOBUFS;
  }
  /* Cut to fit and clear the rest, so that no old argument shows through
   * in ps. */
  len = strlen(new_title);
  if (len >= title.cap) len = title.cap - 1;
  memmove(title.str, new_title, len);
  memset(title.str + len, '\0', title.cap - len);
  title.len = len;
  /* The name in /proc/self/comm and top (15 bytes kept). */
  prctl(PR_SET_NAME, (unsigned long)title.str, 0, 0, 0);
  pthread_mutex_unlock(&title.lock);
  return 0;
}

UV__EXPORT int uv_exepath(char* buffer, size_t* size) {
  ssize_t n;

  if (buffer == NULL || size == NULL || *size == 0) return UV_EINVAL;
  /* libuv cuts the path to the buffer without saying so; programs size
   * their buffers for that (PATH_MAX and more), so eddy does the same. */
  n = 0;
  if (*size > 1) {
    n = readlink("/proc/self/exe", buffer, *size - 1);
    if (n < 0) return -errno;
  }
  buffer[n] = '\0';
  *size = (size_t)n;
  return 0;
}

UV__EXPORT int uv_cwd(char* buffer, size_t* size) {
  char scratch[PATH_MAX + 1];
  size_t len;

  if (buffer == NULL || size == NULL) return UV_EINVAL;
  if (*size == 0) return UV_EINVAL;

  if (getcwd(buffer, *size) != NULL) {
    len = strlen(buffer);
    if (len > 1 && buffer[len - 1] == '/') buffer[--len] = '\0';
    *size = len;
    return 0;
  }
  if (errno != ERANGE) return -errno;

  /* Too small: find out how much it takes. */
  if (getcwd(scratch, sizeof(scratch)) == NULL) return -errno;
  len = strlen(scratch);
  if (len > 1 && scratch[len - 1] == '/') len--;
  *size = len + 1;
  return UV_ENOBUFS;
}

UV__EXPORT int uv_chdir(const char* dir) {
  /* libuv hands NULL to chdir(2), which answers EFAULT. */
  if (dir == NULL) return UV_EFAULT;
  if (chdir(dir) != 0) return -errno;
  return 0;
}

/* Marks every inherited descriptor close-on-exec: 0 to 15 whether or not
 * they are open, then upwards until the first one that is not (libuv's
 * rule; descriptors beyond a gap are taken to be the program's own). */
UV__EXPORT void uv_disable_stdio_inheritance(void) {
  int fd;
  for (fd = 0;; fd++)
    if (uv__cloexec(fd, 1) != 0 && fd > 15) break;
}

/* libuv's classification: a terminal, a file (character devices such as
 * /dev/null included), a pipe or FIFO, a socket by family and type; a
 * directory, a Unix datagram socket, a bad descriptor: unknown. */
UV__EXPORT uv_handle_type uv_guess_handle(uv_file file) {
  struct sockaddr_storage ss;
  struct stat st;
  socklen_t len;
  int type;

  if (file < 0) return UV_UNKNOWN_HANDLE;
  if (isatty(file)) return UV_TTY;
  if (fstat(file, &st) != 0) return UV_UNKNOWN_HANDLE;
  if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)) return UV_FILE;
  if (S_ISFIFO(st.st_mode)) return UV_NAMED_PIPE;
  if (!S_ISSOCK(st.st_mode)) return UV_UNKNOWN_HANDLE;

  len = sizeof(ss);
  memset(&ss, 0, sizeof(ss));
  if (getsockname(file, (struct sockaddr*)&ss, &len) != 0)
    return UV_UNKNOWN_HANDLE;
  len = sizeof(type);
  if (getsockopt(file, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
    return UV_UNKNOWN_HANDLE;

  if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) {
    if (type == SOCK_STREAM) return UV_TCP;
    if (type == SOCK_DGRAM) return UV_UDP;
  } else if (ss.ss_family == AF_UNIX && type == SOCK_STREAM) {
    return UV_NAMED_PIPE;
  }
  return UV_UNKNOWN_HANDLE;
}

/* ---- the machine --------------------------------------------------------- */

UV__EXPORT int uv_os_gethostname(char* buffer, size_t* size) {
  char name[UV_MAXHOSTNAMESIZE];

  if (buffer == NULL || size == NULL || *size == 0) return UV_EINVAL;
  /* A name that does not fit UV_MAXHOSTNAMESIZE is an error from
   * gethostname (ENAMETOOLONG), never a cut one. */
  if (gethostname(name, sizeof(name)) != 0) return -errno;
  name[sizeof(name) - 1] = '\0';
  return copy_out(name, strlen(name), buffer, size);
}

static int copy_field(char* dst, size_t size, const char* src) {
  size_t len = strlen(src);
  if (len >= size) return UV_E2BIG;
  memcpy(dst, src, len + 1);
  return 0;
}

UV__EXPORT int uv_os_uname(uv_utsname_t* buffer) {
  struct utsname u;
  int r;

  if (buffer == NULL) return UV_EINVAL;
  if (uname(&u) != 0) {
    r = -errno;
  } else {
    r = copy_field(buffer->sysname, sizeof(buffer->sysname), u.sysname);
    if (r == 0)
      r = copy_field(buffer->release, sizeof(buffer->release), u.release);
    if (r == 0)
      r = copy_field(buffer->version, sizeof(buffer->version), u.version);
    if (r == 0)
      r = copy_field(buffer->machine, sizeof(buffer->machine), u.machine);
    if (r == 0) return 0;
  }
  buffer->sysname[0] = '\0';
  buffer->release[0] = '\0';
  buffer->version[0] = '\0';
  buffer->machine[0] = '\0';
  return r;
}

static int get_rusage(int who, uv_rusage_t* out) {
  struct rusage ru;

  if (out == NULL) return UV_EINVAL;
  if (getrusage(who, &ru) != 0) return -errno;
  out->ru_utime.tv_sec = ru.ru_utime.tv_sec;
  out->ru_utime.tv_usec = ru.ru_utime.tv_usec;
  out->ru_stime.tv_sec = ru.ru_stime.tv_sec;
  out->ru_stime.tv_usec = ru.ru_stime.tv_usec;
  out->ru_maxrss = (uint64_t)ru.ru_maxrss;
  out->ru_ixrss = (uint64_t)ru.ru_ixrss;
  out->ru_idrss = (uint64_t)ru.ru_idrss;
  out->ru_isrss = (uint64_t)ru.ru_isrss;
  out->ru_minflt = (uint64_t)ru.ru_minflt;
  out->ru_majflt = (uint64_t)ru.ru_majflt;
  out->ru_nswap = (uint64_t)ru.ru_nswap;
  out->ru_inblock = (uint64_t)ru.ru_inblock;
  out->ru_oublock = (uint64_t)ru.ru_oublock;
  out->ru_msgsnd = (uint64_t)ru.ru_msgsnd;
  out->ru_msgrcv = (uint64_t)ru.ru_msgrcv;
  out->ru_nsignals = (uint64_t)ru.ru_nsignals;
  out->ru_nvcsw = (uint64_t)ru.ru_nvcsw;
  out->ru_nivcsw = (uint64_t)ru.ru_nivcsw;
  return 0;
}

UV__EXPORT int uv_getrusage(uv_rusage_t* rusage) {
  return get_rusage(RUSAGE_SELF, rusage);
}

UV__EXPORT int uv_getrusage_thread(uv_rusage_t* rusage) {
  return get_rusage(RUSAGE_THREAD, rusage);
}

UV__EXPORT int uv_resident_set_memory(size_t* rss) {
  char buf[2048];
  const char* p;
  uint64_t pages;
  ssize_t n;
  int field;

  if (rss == NULL) return UV_EINVAL;
  n = read_small_file("/proc/self/stat", buf, sizeof(buf));
  if (n < 0) return (int)n;
  /* The command name, field 2, may hold spaces and parentheses: count
   * fields from the last ')'.  The state is field 3, rss field 24. */
  p = strrchr(buf, ')');
  if (p == NULL) return UV_EINVAL;
  p++;
  for (field = 3; field < 24; field++) {
    p = skip_spaces(p);
    if (*p == '\0') return UV_EINVAL;
    while (*p != '\0' && *p != ' ') p++;
  }
  if (!parse_u64(&p, &pages)) return UV_EINVAL;
  *rss = (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
  return 0;
}

UV__EXPORT int uv_uptime(double* uptime) {
  struct timespec ts;
  const char* p;
  char buf[128];

  if (uptime == NULL) return UV_EINVAL;
  if (read_small_file("/proc/uptime", buf, sizeof(buf)) > 0) {
    p = buf;
    if (parse_decimal(&p, uptime)) return 0;
  }
  /* No /proc (a sandbox): the boot clock counts the same time. */
  if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0) return -errno;
  *uptime = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
  return 0;
}

UV__EXPORT void uv_loadavg(double avg[3]) {
  struct sysinfo info;
  const char* p;
  char buf[128];
  double v[3];
  int i;

  if (avg == NULL) return;
  if (read_small_file("/proc/loadavg", buf, sizeof(buf)) > 0) {
    p = buf;
    for (i = 0; i < 3 && parse_decimal(&p, &v[i]); i++) {
    }
    if (i == 3) {
      avg[0] = v[0];
      avg[1] = v[1];
      avg[2] = v[2];
      return;
    }
  }
  if (sysinfo(&info) != 0) {
    avg[0] = avg[1] = avg[2] = 0;
    return;
  }
  for (i = 0; i < 3; i++) avg[i] = (double)info.loads[i] / 65536.0;
}

/* A "Key:   123 kB" line of /proc/meminfo, in bytes; 0 when missing. */
static uint64_t meminfo(const char* key) {
  struct line_reader r;
  const char* line;
  const char* p;
  uint64_t kb = 0;

  if (line_reader_open(&r, "/proc/meminfo") != 0) return 0;
  while ((line = next_line(&r)) != NULL) {
    p = after_prefix(line, key);
    if (p != NULL) {
      if (!parse_u64(&p, &kb)) kb = 0;
      break;
    }
  }
  line_reader_close(&r);
  return kb > UINT64_MAX / 1024 ? UINT64_MAX : kb * 1024;
}

/* MemAvailable (what can be had without swapping) rather than MemFree,
 * as libuv reports. */
UV__EXPORT uint64_t uv_get_free_memory(void) {
  struct sysinfo info;
  uint64_t v = meminfo("MemAvailable:");
  if (v != 0) return v;
  if (sysinfo(&info) == 0) return (uint64_t)info.freeram * info.mem_unit;
  return 0;
}

UV__EXPORT uint64_t uv_get_total_memory(void) {
  struct sysinfo info;
  uint64_t v = meminfo("MemTotal:");
  if (v != 0) return v;
  if (sysinfo(&info) == 0) return (uint64_t)info.totalram * info.mem_unit;
  return 0;
}

/* ---- cgroup memory limits ------------------------------------------------
 *
 * libuv (1.45 on) reports the smaller of the hard and the soft limit of
 * the process's memory cgroup: memory.max and memory.high on cgroup v2,
 * memory.limit_in_bytes and memory.soft_limit_in_bytes on v1, where an
 * unreadable per-cgroup pair falls back to the root's.  "No limit" ("max",
 * or v1's LONG_MAX rounded down to a page) is UINT64_MAX; no cgroup, or a
 * file that cannot be read, is 0 (unknown). */

struct memcg {
  char dir[PATH_MAX];
  int v2;
};

/* Whether "memory" is one of the n bytes of a comma-separated list. */
static int has_memory_controller(const char* list, size_t n) {
  const char* end = list + n;
  const char* comma;
  size_t len;

  while (list < end) {
    comma = memchr(list, ',', (size_t)(end - list));
    len = comma != NULL ? (size_t)(comma - list) : (size_t)(end - list);
    if (len == 6 && memcmp(list, "memory", 6) == 0) return 1;
    if (comma == NULL) break;
    list = comma + 1;
  }
  return 0;
}

/* Where the memory controller of this process's cgroup is.  A v1 memory
 * line wins over the v2 line: on a hybrid system the v2 tree carries no
 * controllers. */
static int memcg_find(struct memcg* cg) {
  struct line_reader r;
  char v1[PATH_MAX];
  char v2[PATH_MAX];
  const char* line;
  const char* ctrl;
  const char* path;
  size_t n;
  int have_v1 = 0, have_v2 = 0, w;

  if (line_reader_open(&r, "/proc/self/cgroup") != 0) return -1;
  while ((line = next_line(&r)) != NULL) {
    /* hierarchy-id:controller,list:/path */
    ctrl = strchr(line, ':');
    if (ctrl == NULL) continue;
    ctrl++;
    path = strchr(ctrl, ':');
    if (path == NULL || path[1] != '/') continue;
    n = (size_t)(path - ctrl);
    path++;
    if (strncmp(line, "0::", 3) == 0) {
      if (strlen(path) < sizeof(v2)) {
        memcpy(v2, path, strlen(path) + 1);
        have_v2 = 1;
      }
      continue;
    }
    if (has_memory_controller(ctrl, n) && strlen(path) < sizeof(v1)) {
      memcpy(v1, path, strlen(path) + 1);
      have_v1 = 1;
    }
  }
  line_reader_close(&r);

  if (have_v1) {
    w = snprintf(cg->dir, sizeof(cg->dir), "/sys/fs/cgroup/memory%s", v1);
    cg->v2 = 0;
  } else if (have_v2) {
    w = snprintf(cg->dir, sizeof(cg->dir), "/sys/fs/cgroup%s", v2);
    cg->v2 = 1;
  } else {
    return -1;
  }
  return w > 0 && (size_t)w < sizeof(cg->dir) ? 0 : -1;
}

/* A cgroup value: a number, or "max" as UINT64_MAX; 0 when unreadable. */
static uint64_t memcg_read(const char* dir, const char* file) {
  char path[PATH_MAX];
  char buf[64];
  const char* p = buf;
  uint64_t v;
  int w;

  w = snprintf(path, sizeof(path), "%s/%s", dir, file);
  if (w <= 0 || (size_t)w >= sizeof(path)) return 0;
  if (read_small_file(path, buf, sizeof(buf)) <= 0) return 0;
  if (parse_u64(&p, &v)) return v;
  if (strncmp(buf, "max", 3) == 0) return UINT64_MAX;
  return 0;
}

static uint64_t memcg_limit(const struct memcg* cg) {
  uint64_t high, max, v1_unlimited;

  if (cg->v2) {
    max = memcg_read(cg->dir, "memory.max");
    high = max != 0 ? memcg_read(cg->dir, "memory.high") : 0;
  } else {
    high = memcg_read(cg->dir, "memory.soft_limit_in_bytes");
    max = memcg_read(cg->dir, "memory.limit_in_bytes");
    if (high == 0 || max == 0) {
      high = memcg_read("/sys/fs/cgroup/memory", "memory.soft_limit_in_bytes");
      max = memcg_read("/sys/fs/cgroup/memory", "memory.limit_in_bytes");
    }
    v1_unlimited = (uint64_t)LONG_MAX & ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
    if (high == v1_unlimited) high = UINT64_MAX;
    if (max == v1_unlimited) max = UINT64_MAX;
  }
  if (high == 0 || max == 0) return 0;
  return high < max ? high : max;
}

UV__EXPORT uint64_t uv_get_constrained_memory(void) {
  struct memcg cg;
  if (memcg_find(&cg) != 0) return 0;
  return memcg_limit(&cg);
}

/* Free memory as far as the cgroup allows: its limit less its usage, or
 * what the machine has free when there is no limit below the machine's. */
UV__EXPORT uint64_t uv_get_available_memory(void) {
  struct memcg cg;
  uint64_t limit, used;

  if (memcg_find(&cg) != 0) return uv_get_free_memory();
  limit = memcg_limit(&cg);
  if (limit == 0 || limit > uv_get_total_memory()) return uv_get_free_memory();
  used = memcg_read(cg.dir, cg.v2 ? "memory.current" : "memory.usage_in_bytes");
  /* Usage may exceed the limit for a moment. */
  return used >= limit ? 0 : limit - used;
}

/* ---- CPUs ---------------------------------------------------------------- */

static uint64_t ticks_to_ms(uint64_t ticks, uint64_t hz) {
  if (1000 % hz == 0) return ticks * (1000 / hz);
  return ticks / hz * 1000 + ticks % hz * 1000 / hz;
}

/* Index of CPU number id in ids[0, n), which /proc/stat lists in rising
 * order; -1 when absent (an offline CPU in /proc/cpuinfo). */
static long cpu_index(const int* ids, size_t n, long id) {
  size_t lo = 0, hi = n, mid;
  while (lo < hi) {
    mid = lo + (hi - lo) / 2;
    if (ids[mid] == id) return (long)mid;
    if (ids[mid] < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* One entry per "cpuN" line of /proc/stat with its times; ids[] gets each
 * entry's CPU number. */
static int cpu_read_stat(uv_cpu_info_t** out, int** ids_out, size_t* count) {
  struct line_reader r;
  uv_cpu_info_t* cpus = NULL;
  uv_cpu_info_t* c;
  int* ids = NULL;
  const char* line;
  const char* p;
  uint64_t id, t[6], hz;
  size_t n = 0, cap = 0, i;
  void* grown;
  int err;
  long tck;

  tck = sysconf(_SC_CLK_TCK);
  hz = tck > 0 ? (uint64_t)tck : 100;

  err = line_reader_open(&r, "/proc/stat");
  if (err != 0) return err;
  while ((line = next_line(&r)) != NULL) {
    p = after_prefix(line, "cpu");
    if (p == NULL) continue;
    if (*p < '0' || *p > '9') continue; /* the "cpu" total */
    if (!parse_u64(&p, &id) || id > INT_MAX) continue;
    /* user nice system idle iowait irq */
    for (i = 0; i < 6; i++)
      if (!parse_u64(&p, &t[i])) t[i] = 0;

    if (n == cap) {
      cap = cap == 0 ? 8 : cap * 2;
      grown = uv__realloc(cpus, cap * sizeof(*cpus));
      if (grown == NULL) goto nomem;
      cpus = grown;
      grown = uv__realloc(ids, cap * sizeof(*ids));
      if (grown == NULL) goto nomem;
      ids = grown;
    }
    c = &cpus[n];
    memset(c, 0, sizeof(*c));
    c->cpu_times.user = ticks_to_ms(t[0], hz);
    c->cpu_times.nice = ticks_to_ms(t[1], hz);
    c->cpu_times.sys = ticks_to_ms(t[2], hz);
    c->cpu_times.idle = ticks_to_ms(t[3], hz);
    c->cpu_times.irq = ticks_to_ms(t[5], hz);
    ids[n] = (int)id;
    n++;
  }
  line_reader_close(&r);
  if (n == 0) {
    uv__free(cpus);
    uv__free(ids);
    return UV_EIO;
  }
  *out = cpus;
  *ids_out = ids;
  *count = n;
  return 0;

nomem:
  line_reader_close(&r);
  uv__free(cpus);
  uv__free(ids);
  return UV_ENOMEM;
}

/* Model names and clock speeds from /proc/cpuinfo ("model name" and "cpu
 * MHz" on x86; other architectures may have neither). */
static int cpu_read_cpuinfo(uv_cpu_info_t* cpus, const int* ids, size_t n) {
  struct line_reader r;
  const char* line;
  const char* p;
  uint64_t v;
  long cur = -1;
  size_t len;

  if (line_reader_open(&r, "/proc/cpuinfo") != 0) return 0;
  while ((line = next_line(&r)) != NULL) {
    if ((p = after_prefix(line, "processor")) != NULL) {
      p = skip_spaces(p);
      if (*p++ != ':' || !parse_u64(&p, &v) || v > INT_MAX) continue;
      cur = cpu_index(ids, n, (long)v);
      continue;
    }
    if (cur < 0) continue;
    if ((p = after_prefix(line, "model name")) != NULL) {
      p = skip_spaces(p);
      if (*p++ != ':' || cpus[cur].model != NULL) continue;
      p = skip_spaces(p);
      len = strlen(p);
      cpus[cur].model = uv__malloc(len + 1);
      if (cpus[cur].model == NULL) {
        line_reader_close(&r);
        return UV_ENOMEM;
      }
      memcpy(cpus[cur].model, p, len + 1);
    } else if ((p = after_prefix(line, "cpu MHz")) != NULL) {
      p = skip_spaces(p);
      if (*p++ == ':' && parse_u64(&p, &v) && v <= INT_MAX)
        cpus[cur].speed = (int)v;
    }
  }
  line_reader_close(&r);
  return 0;
}

UV__EXPORT int uv_cpu_info(uv_cpu_info_t** cpu_infos, int* count) {
  uv_cpu_info_t* cpus;
  char path[128];
  char buf[64];
  const char* p;
  uint64_t khz;
  size_t n, i;
  int* ids;
  int err;

  if (cpu_infos == NULL || count == NULL) return UV_EINVAL;
  *cpu_infos = NULL;
  *count = 0;

  err = cpu_read_stat(&cpus, &ids, &n);
  if (err != 0) return err;
  if (n > INT_MAX) n = INT_MAX;

  err = cpu_read_cpuinfo(cpus, ids, n);
  for (i = 0; i < n && err == 0; i++) {
    /* The current frequency from cpufreq where the kernel has it, else the
     * MHz /proc/cpuinfo gave (libuv 1.45 on leaves 0 there). */
    snprintf(path, sizeof(path),
             "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_cur_freq", ids[i]);
    p = buf;
    if (read_small_file(path, buf, sizeof(buf)) > 0 && parse_u64(&p, &khz) &&
        khz > 0 && khz / 1000 <= INT_MAX)
      cpus[i].speed = (int)(khz / 1000);
    if (cpus[i].model == NULL) {
      cpus[i].model = uv__strdup("unknown");
      if (cpus[i].model == NULL) err = UV_ENOMEM;
    }
  }
  uv__free(ids);
  if (err != 0) {
    uv_free_cpu_info(cpus, (int)n);
    return err;
  }
  *cpu_infos = cpus;
  *count = (int)n;
  return 0;
}

UV__EXPORT void uv_free_cpu_info(uv_cpu_info_t* cpu_infos, int count) {
  int i;
  if (cpu_infos == NULL) return;
  for (i = 0; i < count; i++) uv__free(cpu_infos[i].model);
  uv__free(cpu_infos);
}
