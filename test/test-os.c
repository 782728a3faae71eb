/* eddy tests — the operating system (src/unix/os.c): environment, users
 * and groups, the process, the machine.
 *
 * Each answer is checked against a source eddy does not use to get it:
 * getenv(3), the C library's getpwuid/getgrgid, getpid(2), uname(2),
 * getcwd(3), readlink(2), /proc/self/statm, /proc/uptime, /proc/meminfo.
 * Readings that move (CPU times, uptime, free memory) are bracketed
 * between two readings of that source.  The size protocols are checked at
 * the exact boundaries, and every allocating function with every one of
 * its allocations failing in turn.
 *
 * The file also builds against the system's libuv (no eddy include/):
 *   gcc -std=gnu11 test/test-os.c -Itest -lcmocka -luv
 * Functions newer than that libuv are left out by UV_VERSION_HEX, and the
 * [eddy only] tests skip themselves there: eddy refuses NULL arguments
 * that crash libuv, and frees what it allocated when uv_os_environ runs
 * out of memory (libuv 1.44 leaks there). */
#include "test-helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARK 'Z'

/* POSIX has the program declare it. */
extern char** environ;

static int main_argc;
static char** main_argv;

/* ---- helpers ------------------------------------------------------------- */

static size_t read_text(const char* path, char* buf, size_t size) {
  size_t len = 0;
  ssize_t n;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  assert_true(fd >= 0);
  while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
    len += (size_t)n;
  close(fd);
  buf[len] = '\0';
  return len;
}

/* An environment variable to put back as it was at the end of a test. */
struct saved_env {
  const char* name;
  char* value; /* NULL: was unset */
};

static void env_save(struct saved_env* s, const char* name) {
  const char* v = getenv(name);
  s->name = name;
  s->value = v != NULL ? strdup(v) : NULL;
}

static void env_restore(struct saved_env* s) {
  if (s->value != NULL) {
    setenv(s->name, s->value, 1);
    free(s->value);
  } else {
    unsetenv(s->name);
  }
}

static int teardown_allocator(void** state) {
  (void)state;
  test_alloc_restore();
  return 0;
}

/* Runs op once to count its allocations, then again with each of them
 * failing in turn: every run must fail with UV_ENOMEM and leave nothing
 * allocated.  op frees what it got when it succeeds. */
static void check_every_allocation_failure(int (*op)(void)) {
  long calls, n;

  test_alloc_install(0);
  assert_int_equal(op(), 0);
  calls = test_alloc.calls;
  assert_int_equal(test_alloc.live, 0);
  assert_true(calls > 0);
  for (n = 1; n <= calls; n++) {
    test_alloc_install(n);
    assert_int_equal(op(), UV_ENOMEM);
    assert_int_equal(test_alloc.failures, 1);
    assert_int_equal(test_alloc.live, 0);
  }
  test_alloc_restore();
}

/* ---- uv_os_getenv, uv_os_setenv, uv_os_unsetenv -------------------------- */

static void getenv_reads_the_environment(void** state) {
  char buf[64];
  size_t size = sizeof(buf);
  (void)state;
  assert_int_equal(setenv("EDDY_TEST_VAR", "hello world", 1), 0);
  assert_int_equal(uv_os_getenv("EDDY_TEST_VAR", buf, &size), 0);
  assert_string_equal(buf, "hello world");
  assert_int_equal(size, strlen("hello world"));
  unsetenv("EDDY_TEST_VAR");

  size = sizeof(buf);
  assert_int_equal(uv_os_getenv("EDDY_TEST_VAR", buf, &size), UV_ENOENT);
  assert_int_equal(size, sizeof(buf));
}

/* *size is the buffer's size going in: the value and its terminator must
 * fit.  Too small: UV_ENOBUFS, *size the size needed, the buffer left
 * alone. */
static void getenv_size_protocol_at_the_boundary(void** state) {
  char buf[16];
  size_t size;
  (void)state;
  assert_int_equal(setenv("EDDY_TEST_VAR", "abcde", 1), 0);

  memset(buf, MARK, sizeof(buf));
  size = 6;
  assert_int_equal(uv_os_getenv("EDDY_TEST_VAR", buf, &size), 0);
  assert_string_equal(buf, "abcde");
  assert_int_equal(size, 5);
  assert_int_equal(buf[6], MARK);

  memset(buf, MARK, sizeof(buf));
  size = 5;
  assert_int_equal(uv_os_getenv("EDDY_TEST_VAR", buf, &size), UV_ENOBUFS);
  assert_int_equal(size, 6);
  assert_int_equal(buf[0], MARK);

  size = 1;
  assert_int_equal(uv_os_getenv("EDDY_TEST_VAR", buf, &size), UV_ENOBUFS);
  assert_int_equal(size, 6);

  assert_int_equal(setenv("EDDY_TEST_VAR", "", 1), 0);
  size = 1;
  assert_int_equal(uv_os_getenv("EDDY_TEST_VAR", buf, &size), 0);
  assert_string_equal(buf, "");
  assert_int_equal(size, 0);
  unsetenv("EDDY_TEST_VAR");
}

static void getenv_refuses_bad_input(void** state) {
  char buf[16];
  size_t size = sizeof(buf);
  (void)state;
  assert_int_equal(uv_os_getenv(NULL, buf, &size), UV_EINVAL);
  assert_int_equal(uv_os_getenv("PATH", NULL, &size), UV_EINVAL);
  assert_int_equal(uv_os_getenv("PATH", buf, NULL), UV_EINVAL);
  size = 0;
  assert_int_equal(uv_os_getenv("PATH", buf, &size), UV_EINVAL);
  /* Names no variable can have are simply not found. */
  size = sizeof(buf);
  assert_int_equal(uv_os_getenv("", buf, &size), UV_ENOENT);
  assert_int_equal(uv_os_getenv("A=B", buf, &size), UV_ENOENT);
}

static void setenv_and_unsetenv_change_the_environment(void** state) {
  (void)state;
  unsetenv("EDDY_TEST_VAR");
  assert_int_equal(uv_os_setenv("EDDY_TEST_VAR", "one"), 0);
  assert_string_equal(getenv("EDDY_TEST_VAR"), "one");
  assert_int_equal(uv_os_setenv("EDDY_TEST_VAR", "two=2"), 0);
  assert_string_equal(getenv("EDDY_TEST_VAR"), "two=2");
  assert_int_equal(uv_os_setenv("EDDY_TEST_VAR", ""), 0);
  assert_string_equal(getenv("EDDY_TEST_VAR"), "");
  assert_int_equal(uv_os_unsetenv("EDDY_TEST_VAR"), 0);
  assert_null(getenv("EDDY_TEST_VAR"));
  /* Unsetting what is not set succeeds. */
  assert_int_equal(uv_os_unsetenv("EDDY_TEST_VAR"), 0);
}

static void setenv_and_unsetenv_refuse_bad_names(void** state) {
  (void)state;
  assert_int_equal(uv_os_setenv(NULL, "x"), UV_EINVAL);
  assert_int_equal(uv_os_setenv("", "x"), UV_EINVAL);
  assert_int_equal(uv_os_setenv("A=B", "x"), UV_EINVAL);
  assert_int_equal(uv_os_setenv("EDDY_TEST_VAR", NULL), UV_EINVAL);
  assert_null(getenv("EDDY_TEST_VAR"));
  assert_int_equal(uv_os_unsetenv(NULL), UV_EINVAL);
  assert_int_equal(uv_os_unsetenv(""), UV_EINVAL);
  assert_int_equal(uv_os_unsetenv("A=B"), UV_EINVAL);
}

/* ---- uv_os_environ ------------------------------------------------------- */

static void environ_lists_every_variable(void** state) {
  uv_env_item_t* items;
  const char* eq;
  size_t expected = 0, i;
  int count, j, found;
  (void)state;

  assert_int_equal(setenv("EDDY_TEST_VAR", "a=b=c", 1), 0);
  for (i = 0; environ[i] != NULL; i++)
    if (strchr(environ[i], '=') != NULL) expected++;

  assert_int_equal(uv_os_environ(&items, &count), 0);
  assert_int_equal(count, expected);
  for (i = 0; environ[i] != NULL; i++) {
    eq = strchr(environ[i], '=');
    found = 0;
    for (j = 0; j < count && !found; j++)
      found = strlen(items[j].name) == (size_t)(eq - environ[i]) &&
              strncmp(items[j].name, environ[i], eq - environ[i]) == 0 &&
              strcmp(items[j].value, eq + 1) == 0;
    assert_true(found);
  }
  for (j = 0; j < count; j++) {
    if (strcmp(items[j].name, "EDDY_TEST_VAR") == 0)
      assert_string_equal(items[j].value, "a=b=c");
  }
  uv_os_free_environ(items, count);
  unsetenv("EDDY_TEST_VAR");
}

static int environ_op(void) {
  uv_env_item_t* items = (uv_env_item_t*)&items;
  int count = -1;
  int r = uv_os_environ(&items, &count);
  if (r == 0) {
    uv_os_free_environ(items, count);
  } else {
    assert_null(items);
    assert_int_equal(count, 0);
  }
  return r;
}

static void environ_allocation_failures(void** state) {
  (void)state;
  EDDY_ONLY();
  check_every_allocation_failure(environ_op);
}

static void environ_refuses_null(void** state) {
  uv_env_item_t* items;
  int count;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_os_environ(NULL, &count), UV_EINVAL);
  assert_int_equal(uv_os_environ(&items, NULL), UV_EINVAL);
  uv_os_free_environ(NULL, 0);
}

/* ---- uv_os_homedir ------------------------------------------------------- */

static void homedir_comes_from_home(void** state) {
  struct saved_env home;
  char buf[64];
  size_t size;
  (void)state;
  env_save(&home, "HOME");

  setenv("HOME", "/some/where", 1);
  size = sizeof(buf);
  assert_int_equal(uv_os_homedir(buf, &size), 0);
  assert_string_equal(buf, "/some/where");
  assert_int_equal(size, 11);

  size = 12;
  assert_int_equal(uv_os_homedir(buf, &size), 0);
  size = 11;
  assert_int_equal(uv_os_homedir(buf, &size), UV_ENOBUFS);
  assert_int_equal(size, 12);

  /* Set but empty is an answer, not a reason to ask the password file. */
  setenv("HOME", "", 1);
  size = sizeof(buf);
  assert_int_equal(uv_os_homedir(buf, &size), 0);
  assert_string_equal(buf, "");
  assert_int_equal(size, 0);

  env_restore(&home);
}

static void homedir_falls_back_to_the_password_file(void** state) {
  struct saved_env home;
  struct passwd* pw;
  char buf[PATH_MAX];
  size_t size, len;
  (void)state;
  env_save(&home, "HOME");
  unsetenv("HOME");

  pw = getpwuid(geteuid());
  assert_non_null(pw);
  len = strlen(pw->pw_dir);
  size = sizeof(buf);
  assert_int_equal(uv_os_homedir(buf, &size), 0);
  assert_string_equal(buf, pw->pw_dir);
  assert_int_equal(size, len);

  size = len + 1;
  assert_int_equal(uv_os_homedir(buf, &size), 0);
  assert_int_equal(size, len);
  size = len;
  assert_int_equal(uv_os_homedir(buf, &size), UV_ENOBUFS);
  assert_int_equal(size, len + 1);

  env_restore(&home);
}

static int homedir_op(void) {
  char buf[PATH_MAX];
  size_t size = sizeof(buf);
  return uv_os_homedir(buf, &size);
}

static void homedir_allocation_failures(void** state) {
  struct saved_env home;
  (void)state;
  env_save(&home, "HOME");
  unsetenv("HOME");
  check_every_allocation_failure(homedir_op);
  env_restore(&home);
}

static void homedir_refuses_bad_input(void** state) {
  char buf[16];
  size_t size = 0;
  (void)state;
  assert_int_equal(uv_os_homedir(buf, &size), UV_EINVAL);
  size = sizeof(buf);
  assert_int_equal(uv_os_homedir(NULL, &size), UV_EINVAL);
  assert_int_equal(uv_os_homedir(buf, NULL), UV_EINVAL);
}

/* ---- uv_os_tmpdir -------------------------------------------------------- */

static const char* const tmp_vars[] = {"TMPDIR", "TMP", "TEMP", "TEMPDIR"};

static void tmpdir_case(const char* expected) {
  char buf[64];
  size_t size = sizeof(buf);
  assert_int_equal(uv_os_tmpdir(buf, &size), 0);
  assert_string_equal(buf, expected);
  assert_int_equal(size, strlen(expected));
}

static void tmpdir_takes_the_first_variable_set(void** state) {
  struct saved_env saved[4];
  size_t i;
  (void)state;
  for (i = 0; i < 4; i++) {
    env_save(&saved[i], tmp_vars[i]);
    unsetenv(tmp_vars[i]);
  }

  tmpdir_case("/tmp");
  setenv("TEMPDIR", "/d", 1);
  tmpdir_case("/d");
  setenv("TEMP", "/c", 1);
  tmpdir_case("/c");
  setenv("TMP", "/b", 1);
  tmpdir_case("/b");
  setenv("TMPDIR", "/a", 1);
  tmpdir_case("/a");
  /* The first one set wins even when it is empty. */
  setenv("TMPDIR", "", 1);
  tmpdir_case("");

  for (i = 0; i < 4; i++) env_restore(&saved[i]);
}

static void tmpdir_drops_one_trailing_slash(void** state) {
  struct saved_env saved;
  char buf[16];
  size_t size;
  (void)state;
  env_save(&saved, "TMPDIR");

  setenv("TMPDIR", "/foo/", 1);
  tmpdir_case("/foo");
  setenv("TMPDIR", "/", 1);
  tmpdir_case("/");
  setenv("TMPDIR", "//", 1);
  tmpdir_case("/");

  /* The size is reckoned before the slash goes: "/foo/" needs 6 bytes
   * although "/foo" comes back. */
  setenv("TMPDIR", "/foo/", 1);
  size = 5;
  assert_int_equal(uv_os_tmpdir(buf, &size), UV_ENOBUFS);
  assert_int_equal(size, 6);
  size = 6;
  assert_int_equal(uv_os_tmpdir(buf, &size), 0);
  assert_string_equal(buf, "/foo");
  assert_int_equal(size, 4);

  env_restore(&saved);
}

static void tmpdir_size_protocol_and_bad_input(void** state) {
  struct saved_env saved[4];
  char buf[16];
  size_t size, i;
  (void)state;
  for (i = 0; i < 4; i++) {
    env_save(&saved[i], tmp_vars[i]);
    unsetenv(tmp_vars[i]);
  }

  memset(buf, MARK, sizeof(buf));
  size = 4;
  assert_int_equal(uv_os_tmpdir(buf, &size), UV_ENOBUFS);
  assert_int_equal(size, 5);
  assert_int_equal(buf[0], MARK);
  size = 5;
  assert_int_equal(uv_os_tmpdir(buf, &size), 0);
  assert_string_equal(buf, "/tmp");
  assert_int_equal(buf[5], MARK);

  size = 0;
  assert_int_equal(uv_os_tmpdir(buf, &size), UV_EINVAL);
  size = sizeof(buf);
  assert_int_equal(uv_os_tmpdir(NULL, &size), UV_EINVAL);
  assert_int_equal(uv_os_tmpdir(buf, NULL), UV_EINVAL);

  for (i = 0; i < 4; i++) env_restore(&saved[i]);
}

/* ---- users and groups ---------------------------------------------------- */

static void check_passwd(const uv_passwd_t* got, const struct passwd* want) {
  assert_string_equal(got->username, want->pw_name);
  assert_int_equal(got->uid, want->pw_uid);
  assert_int_equal(got->gid, want->pw_gid);
  assert_string_equal(got->shell, want->pw_shell);
  assert_string_equal(got->homedir, want->pw_dir);
}

static void get_passwd_is_the_effective_user(void** state) {
  struct passwd* want;
  uv_passwd_t pwd;
  (void)state;
  want = getpwuid(geteuid());
  assert_non_null(want);
  assert_int_equal(uv_os_get_passwd(&pwd), 0);
  check_passwd(&pwd, want);
  uv_os_free_passwd(&pwd);
  assert_null(pwd.username);
  assert_null(pwd.shell);
  assert_null(pwd.homedir);

  assert_int_equal(uv_os_get_passwd(NULL), UV_EINVAL);
}

static int passwd_op(void) {
  uv_passwd_t pwd;
  int r = uv_os_get_passwd(&pwd);
  if (r == 0) uv_os_free_passwd(&pwd);
  return r;
}

static void get_passwd_allocation_failures(void** state) {
  (void)state;
  check_every_allocation_failure(passwd_op);
}

#if UV_VERSION_HEX >= 0x012D00 /* 1.45: get_passwd2, get_group */
/* A uid (gid) that the name service does not know. */
static unsigned long unknown_uid(void) {
  unsigned long id;
  for (id = 54321; getpwuid((uid_t)id) != NULL; id++) {
  }
  return id;
}

static unsigned long unknown_gid(void) {
  unsigned long id;
  for (id = 54321; getgrgid((gid_t)id) != NULL; id++) {
  }
  return id;
}

static void get_passwd2_looks_up_any_uid(void** state) {
  struct passwd want;
  struct passwd* pw;
  uv_passwd_t pwd;
  (void)state;

  pw = getpwuid(0);
  assert_non_null(pw);
  want = *pw;
  want.pw_name = strdup(pw->pw_name);
  want.pw_shell = strdup(pw->pw_shell);
  want.pw_dir = strdup(pw->pw_dir);
  assert_int_equal(uv_os_get_passwd2(&pwd, 0), 0);
  check_passwd(&pwd, &want);
  uv_os_free_passwd(&pwd);
  free(want.pw_name);
  free(want.pw_shell);
  free(want.pw_dir);

  assert_int_equal(uv_os_get_passwd2(&pwd, (uv_uid_t)unknown_uid()), UV_ENOENT);
  assert_int_equal(uv_os_get_passwd2(NULL, 0), UV_EINVAL);
}

static void check_group(gid_t gid) {
  struct group* gr;
  uv_group_t grp;
  size_t i;

  assert_int_equal(uv_os_get_group(&grp, gid), 0);
  gr = getgrgid(gid);
  assert_non_null(gr);
  assert_string_equal(grp.groupname, gr->gr_name);
  assert_int_equal(grp.gid, gr->gr_gid);
  assert_non_null(grp.members);
  for (i = 0; gr->gr_mem[i] != NULL; i++) {
    assert_non_null(grp.members[i]);
    assert_string_equal(grp.members[i], gr->gr_mem[i]);
  }
  assert_null(grp.members[i]);
  uv_os_free_group(&grp);
  assert_null(grp.members);
  assert_null(grp.groupname);
}

static void get_group_looks_up_a_gid(void** state) {
  struct group* gr;
  uv_group_t grp;
  gid_t with_members = 0;
  int have = 0;
  (void)state;

  check_group(0);
  check_group(getegid());

  /* A group that lists members, where the system has one. */
  setgrent();
  while (!have && (gr = getgrent()) != NULL) {
    if (gr->gr_mem[0] != NULL) {
      with_members = gr->gr_gid;
      have = 1;
    }
  }
  endgrent();
  if (have) check_group(with_members);

  assert_int_equal(uv_os_get_group(&grp, (uv_uid_t)unknown_gid()), UV_ENOENT);
  assert_int_equal(uv_os_get_group(NULL, 0), UV_EINVAL);
}

static int group_op(void) {
  uv_group_t grp;
  int r = uv_os_get_group(&grp, 0);
  if (r == 0) uv_os_free_group(&grp);
  return r;
}

static void get_group_allocation_failures(void** state) {
  (void)state;
  check_every_allocation_failure(group_op);
}
#endif

/* ---- process ids and priority -------------------------------------------- */

static void getpid_and_getppid(void** state) {
  (void)state;
  assert_int_equal(uv_os_getpid(), getpid());
  assert_int_equal(uv_os_getppid(), getppid());
}

static void getpriority_reads_nice(void** state) {
  int prio = 99;
  (void)state;
  errno = 0;
  assert_int_equal(uv_os_getpriority(0, &prio), 0);
  assert_int_equal(prio, getpriority(PRIO_PROCESS, 0));
  assert_int_equal(uv_os_getpriority(uv_os_getpid(), &prio), 0);
  assert_int_equal(prio, getpriority(PRIO_PROCESS, 0));

  assert_int_equal(uv_os_getpriority(0, NULL), UV_EINVAL);
  assert_int_equal(uv_os_getpriority(INT_MAX, &prio), UV_ESRCH);
}

/* Raising one's niceness cannot be undone without privilege: a child does
 * it and reports through its exit status. */
static void setpriority_changes_nice(void** state) {
  pid_t pid;
  int status, prio;
  (void)state;

  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* Up (always allowed), up again, then back down, which needs
     * CAP_SYS_NICE: either it works or it is refused, and the niceness
     * read back says which. */
    int start = getpriority(PRIO_PROCESS, 0);
    int mid =
        start < UV_PRIORITY_BELOW_NORMAL ? UV_PRIORITY_BELOW_NORMAL : start;
    int ok = uv_os_setpriority(0, mid) == 0 &&
             getpriority(PRIO_PROCESS, 0) == mid &&
             uv_os_setpriority(uv_os_getpid(), UV_PRIORITY_LOW) == 0 &&
             getpriority(PRIO_PROCESS, 0) == UV_PRIORITY_LOW &&
             uv_os_getpriority(0, &prio) == 0 && prio == UV_PRIORITY_LOW;
    if (ok) {
      int r = uv_os_setpriority(0, mid);
      ok = (r == 0 && getpriority(PRIO_PROCESS, 0) == mid) ||
           ((r == UV_EACCES || r == UV_EPERM) &&
            getpriority(PRIO_PROCESS, 0) == UV_PRIORITY_LOW);
    }
    _exit(ok ? 0 : 1);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);

  assert_int_equal(uv_os_setpriority(0, UV_PRIORITY_LOW + 1), UV_EINVAL);
  assert_int_equal(uv_os_setpriority(0, UV_PRIORITY_HIGHEST - 1), UV_EINVAL);
  assert_int_equal(uv_os_setpriority(INT_MAX, UV_PRIORITY_NORMAL), UV_ESRCH);
}

/* ---- the process title --------------------------------------------------- */

/* The bytes of the original argv strings that lie end to end after
 * argv[0]: where the title may go. */
static size_t argv_area(void) {
  size_t cap = strlen(main_argv[0]) + 1;
  int i;
  for (i = 1; i < main_argc && main_argv[i] == main_argv[0] + cap; i++)
    cap += strlen(main_argv[i]) + 1;
  return cap;
}

static void check_comm(const char* title) {
  char comm[17] = {0};
  assert_int_equal(prctl(PR_GET_NAME, comm, 0, 0, 0), 0);
  assert_int_equal(strncmp(comm, title, 15), 0);
}

/* One test, because the order matters: before uv_setup_args, a failed
 * uv_setup_args, then the real one. */
static void process_title_life_cycle(void** state) {
  char buf[512];
  char cmdline[512];
  char long_title[600];
  char argv0[512];
  char** args;
  size_t len, cap;
  int i;
  (void)state;

  assert_true(strlen(main_argv[0]) < sizeof(argv0));
  strcpy(argv0, main_argv[0]);
  assert_int_equal(uv_get_process_title(buf, sizeof(buf)), UV_ENOBUFS);
  assert_int_equal(uv_set_process_title("early"), UV_ENOBUFS);

  /* Out of memory: argv comes back as it was, and nothing is set up. */
  test_alloc_install(1);
  assert_ptr_equal(uv_setup_args(main_argc, main_argv), main_argv);
  assert_int_equal(test_alloc.live, 0);
  test_alloc_restore();
  assert_int_equal(uv_get_process_title(buf, sizeof(buf)), UV_ENOBUFS);

  args = uv_setup_args(main_argc, main_argv);
  assert_non_null(args);
  assert_ptr_not_equal(args, main_argv);
  for (i = 0; i < main_argc; i++) {
    assert_ptr_not_equal(args[i], main_argv[i]);
    assert_string_equal(args[i], main_argv[i]);
  }
  assert_null(args[main_argc]);

  /* The title starts as argv[0]; buffer sizes at the boundary. */
  len = strlen(main_argv[0]);
  assert_true(len + 1 <= sizeof(buf));
  assert_int_equal(uv_get_process_title(buf, len + 1), 0);
  assert_string_equal(buf, args[0]);
  assert_int_equal(uv_get_process_title(buf, len), UV_ENOBUFS);
  assert_int_equal(uv_get_process_title(NULL, sizeof(buf)), UV_EINVAL);
  assert_int_equal(uv_get_process_title(buf, 0), UV_EINVAL);

  /* A short title: what uv_get_process_title, ps (the argv area) and top
   * (the thread name) show. */
  cap = argv_area();
  assert_true(cap >= 2);
  assert_int_equal(uv_set_process_title("t"), 0);
  assert_int_equal(uv_get_process_title(buf, sizeof(buf)), 0);
  assert_string_equal(buf, "t");
  assert_int_equal(uv_get_process_title(buf, 1), UV_ENOBUFS);
  assert_int_equal(uv_get_process_title(buf, 2), 0);
  read_text("/proc/self/cmdline", cmdline, sizeof(cmdline));
  assert_string_equal(cmdline, "t");
  check_comm("t");

  /* A long one is cut to the argv area, terminator included. */
  memset(long_title, 'x', sizeof(long_title) - 1);
  long_title[sizeof(long_title) - 1] = '\0';
  memcpy(long_title, "eddy-title-", 11);
  assert_int_equal(uv_set_process_title(long_title), 0);
  assert_int_equal(uv_get_process_title(buf, sizeof(buf)), 0);
  assert_int_equal(strlen(buf), cap - 1);
  assert_int_equal(strncmp(buf, long_title, cap - 1), 0);
  check_comm(buf);

  assert_int_equal(uv_set_process_title(""), 0);
  assert_int_equal(uv_get_process_title(buf, 1), 0);
  assert_string_equal(buf, "");

  /* The program's copy of argv is untouched by all this. */
  assert_string_equal(args[0], argv0);
}

static void process_title_refuses_null(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_set_process_title(NULL), UV_EINVAL);
}

/* ---- uv_exepath, uv_cwd, uv_chdir ---------------------------------------- */

static void exepath_is_proc_self_exe(void** state) {
  char want[PATH_MAX];
  char buf[PATH_MAX];
  size_t size;
  ssize_t len;
  (void)state;

  len = readlink("/proc/self/exe", want, sizeof(want) - 1);
  assert_true(len > 1);
  want[len] = '\0';

  size = sizeof(buf);
  assert_int_equal(uv_exepath(buf, &size), 0);
  assert_string_equal(buf, want);
  assert_int_equal(size, len);

  size = (size_t)len + 1;
  assert_int_equal(uv_exepath(buf, &size), 0);
  assert_string_equal(buf, want);
  assert_int_equal(size, len);
}

/* Too small a buffer gets the path cut short, terminated, not an error
 * (libuv's behaviour). */
static void exepath_cuts_to_the_buffer(void** state) {
  char want[PATH_MAX];
  char buf[PATH_MAX];
  size_t size;
  ssize_t len;
  (void)state;

  len = readlink("/proc/self/exe", want, sizeof(want) - 1);
  assert_true(len > 1);
  want[len] = '\0';

  memset(buf, MARK, sizeof(buf));
  size = (size_t)len;
  assert_int_equal(uv_exepath(buf, &size), 0);
  assert_int_equal(size, len - 1);
  assert_int_equal(strncmp(buf, want, len - 1), 0);
  assert_int_equal(buf[len - 1], '\0');
  assert_int_equal(buf[len], MARK);

  size = 1;
  assert_int_equal(uv_exepath(buf, &size), 0);
  assert_int_equal(size, 0);
  assert_string_equal(buf, "");

  size = 0;
  assert_int_equal(uv_exepath(buf, &size), UV_EINVAL);
  size = sizeof(buf);
  assert_int_equal(uv_exepath(NULL, &size), UV_EINVAL);
  assert_int_equal(uv_exepath(buf, NULL), UV_EINVAL);
}

/* Runs a test body in a fresh temporary directory, then goes back. */
struct in_tmpdir {
  char old[PATH_MAX];
  char dir[64];
};

static void enter_tmpdir(struct in_tmpdir* t) {
  assert_non_null(getcwd(t->old, sizeof(t->old)));
  strcpy(t->dir, "/tmp/eddy-test-os-XXXXXX");
  assert_non_null(mkdtemp(t->dir));
}

static void leave_tmpdir(struct in_tmpdir* t) {
  assert_int_equal(chdir(t->old), 0);
  assert_int_equal(rmdir(t->dir), 0);
}

static void cwd_and_chdir(void** state) {
  struct in_tmpdir t;
  char buf[PATH_MAX];
  char want[PATH_MAX];
  size_t size, len;
  (void)state;
  enter_tmpdir(&t);

  assert_int_equal(uv_chdir(t.dir), 0);
  assert_non_null(getcwd(want, sizeof(want)));
  assert_string_equal(want, t.dir);
  len = strlen(want);

  size = sizeof(buf);
  assert_int_equal(uv_cwd(buf, &size), 0);
  assert_string_equal(buf, want);
  assert_int_equal(size, len);

  size = len + 1;
  assert_int_equal(uv_cwd(buf, &size), 0);
  assert_string_equal(buf, want);
  assert_int_equal(size, len);

  size = len;
  assert_int_equal(uv_cwd(buf, &size), UV_ENOBUFS);
  assert_int_equal(size, len + 1);
  size = 1;
  assert_int_equal(uv_cwd(buf, &size), UV_ENOBUFS);
  assert_int_equal(size, len + 1);

  /* The root keeps its slash; nothing else ends in one. */
  assert_int_equal(uv_chdir("/"), 0);
  size = 2;
  assert_int_equal(uv_cwd(buf, &size), 0);
  assert_string_equal(buf, "/");
  assert_int_equal(size, 1);
  size = 1;
  assert_int_equal(uv_cwd(buf, &size), UV_ENOBUFS);
  assert_int_equal(size, 2);

  /* A relative path, from the root. */
  assert_int_equal(uv_chdir(t.dir + 1), 0);
  size = sizeof(buf);
  assert_int_equal(uv_cwd(buf, &size), 0);
  assert_string_equal(buf, t.dir);

  leave_tmpdir(&t);
}

static void cwd_and_chdir_refuse_bad_input(void** state) {
  char buf[PATH_MAX];
  char before[PATH_MAX];
  size_t size;
  (void)state;
  assert_non_null(getcwd(before, sizeof(before)));

  size = 0;
  assert_int_equal(uv_cwd(buf, &size), UV_EINVAL);
  size = sizeof(buf);
  assert_int_equal(uv_cwd(NULL, &size), UV_EINVAL);
  assert_int_equal(uv_cwd(buf, NULL), UV_EINVAL);

  assert_int_equal(uv_chdir("/nonexistent/eddy/dir"), UV_ENOENT);
  assert_int_equal(uv_chdir(""), UV_ENOENT);
  assert_int_equal(uv_chdir("/proc/self/exe"), UV_ENOTDIR);
  assert_int_equal(uv_chdir(NULL), UV_EFAULT);

  assert_non_null(getcwd(buf, sizeof(buf)));
  assert_string_equal(buf, before);
}

/* ---- descriptors --------------------------------------------------------- */

static int fd_open(int fd) { return fcntl(fd, F_GETFD) >= 0; }

static int fd_cloexec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  assert_true(flags >= 0);
  return (flags & FD_CLOEXEC) != 0;
}

/* 0 to 15 are marked whether or not each is open, then every descriptor
 * up to the first one that is not: fds past a gap above 15 stay as they
 * are. */
static void disable_stdio_inheritance_marks_inherited_fds(void** state) {
  int flags[64];
  int low, g, h, c, fd, r;
  (void)state;

  /* A descriptor below 16 without the flag (5 if it is free). */
  low = fd_open(5) ? -1 : 5;
  if (low >= 0) assert_int_equal(dup2(1, low), low);
  /* g: the first closed one from 16 on, opened now; h: the next closed
   * one (the gap); c: one past the gap. */
  for (g = 16; fd_open(g); g++) {
  }
  assert_true(g < 40);
  assert_int_equal(dup2(1, g), g);
  for (h = g + 1; fd_open(h); h++) {
  }
  for (c = h + 1; fd_open(c); c++) {
  }
  assert_true(c < 64);
  assert_int_equal(dup2(1, c), c);
  assert_false(fd_cloexec(g));
  assert_false(fd_cloexec(c));

  for (fd = 0; fd < 64; fd++) flags[fd] = fcntl(fd, F_GETFD);
  uv_disable_stdio_inheritance();

  for (fd = 0; fd < h; fd++)
    if (flags[fd] >= 0) assert_true(fd_cloexec(fd));
  assert_false(fd_open(h));
  assert_false(fd_cloexec(c));

  for (fd = 0; fd < 64; fd++) {
    if (flags[fd] >= 0) {
      r = fcntl(fd, F_SETFD, flags[fd]);
      assert_int_equal(r, 0);
    }
  }
  if (low >= 0) close(low);
  close(g);
  close(c);
}

static void guess_handle_classifies_descriptors(void** state) {
  int fd, p[2];
  (void)state;

  assert_int_equal(uv_guess_handle(-1), UV_UNKNOWN_HANDLE);
  fd = open("/dev/null", O_RDONLY);
  assert_true(fd >= 0);
  close(fd);
  assert_int_equal(uv_guess_handle(fd), UV_UNKNOWN_HANDLE); /* closed */

  fd = open("/proc/self/exe", O_RDONLY);
  assert_int_equal(uv_guess_handle(fd), UV_FILE);
  close(fd);
  fd = open("/dev/null", O_RDWR);
  assert_int_equal(uv_guess_handle(fd), UV_FILE); /* a character device */
  close(fd);
  fd = open("/", O_RDONLY | O_DIRECTORY);
  assert_int_equal(uv_guess_handle(fd), UV_UNKNOWN_HANDLE);
  close(fd);

  assert_int_equal(pipe(p), 0);
  assert_int_equal(uv_guess_handle(p[0]), UV_NAMED_PIPE);
  assert_int_equal(uv_guess_handle(p[1]), UV_NAMED_PIPE);
  close(p[0]);
  close(p[1]);

  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p), 0);
  assert_int_equal(uv_guess_handle(p[0]), UV_NAMED_PIPE);
  close(p[0]);
  close(p[1]);
  assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, p), 0);
  assert_int_equal(uv_guess_handle(p[0]), UV_UNKNOWN_HANDLE);
  close(p[0]);
  close(p[1]);

  fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_int_equal(uv_guess_handle(fd), UV_TCP);
  close(fd);
  fd = socket(AF_INET, SOCK_DGRAM, 0);
  assert_int_equal(uv_guess_handle(fd), UV_UDP);
  close(fd);
  fd = socket(AF_INET6, SOCK_STREAM, 0);
  if (fd >= 0) {
    assert_int_equal(uv_guess_handle(fd), UV_TCP);
    close(fd);
  }
  fd = socket(AF_INET6, SOCK_DGRAM, 0);
  if (fd >= 0) {
    assert_int_equal(uv_guess_handle(fd), UV_UDP);
    close(fd);
  }

  fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);
  if (fd >= 0) {
    assert_int_equal(uv_guess_handle(fd), UV_TTY);
    close(fd);
  }
}

/* ---- uv_os_gethostname, uv_os_uname -------------------------------------- */

static void gethostname_matches_the_system(void** state) {
  char want[UV_MAXHOSTNAMESIZE];
  char buf[UV_MAXHOSTNAMESIZE];
  size_t size, len;
  (void)state;
  assert_int_equal(gethostname(want, sizeof(want)), 0);
  len = strlen(want);
  assert_true(len > 0);

  size = sizeof(buf);
  assert_int_equal(uv_os_gethostname(buf, &size), 0);
  assert_string_equal(buf, want);
  assert_int_equal(size, len);

  size = len + 1;
  assert_int_equal(uv_os_gethostname(buf, &size), 0);
  assert_int_equal(size, len);
  memset(buf, MARK, sizeof(buf));
  size = len;
  assert_int_equal(uv_os_gethostname(buf, &size), UV_ENOBUFS);
  assert_int_equal(size, len + 1);
  assert_int_equal(buf[0], MARK);

  size = 0;
  assert_int_equal(uv_os_gethostname(buf, &size), UV_EINVAL);
  size = sizeof(buf);
  assert_int_equal(uv_os_gethostname(NULL, &size), UV_EINVAL);
  assert_int_equal(uv_os_gethostname(buf, NULL), UV_EINVAL);
}

static void uname_matches_the_system(void** state) {
  struct utsname want;
  uv_utsname_t got;
  (void)state;
  assert_int_equal(uname(&want), 0);
  assert_int_equal(uv_os_uname(&got), 0);
  assert_string_equal(got.sysname, want.sysname);
  assert_string_equal(got.release, want.release);
  assert_string_equal(got.version, want.version);
  assert_string_equal(got.machine, want.machine);
  assert_int_equal(uv_os_uname(NULL), UV_EINVAL);
}

/* ---- resource usage ------------------------------------------------------ */

static uint64_t tv_us(long sec, long usec) {
  return (uint64_t)sec * 1000000 + (uint64_t)usec;
}

/* Burns a little CPU, so that the times have something to show. */
static void spin(void) {
  volatile unsigned long x = 0;
  unsigned long i;
  for (i = 0; i < 2000000; i++) x += i;
}

static void check_rusage(int who, int (*get)(uv_rusage_t*)) {
  struct rusage before, after;
  uv_rusage_t got;

  spin();
  assert_int_equal(getrusage(who, &before), 0);
  assert_int_equal(get(&got), 0);
  assert_int_equal(getrusage(who, &after), 0);

  assert_true(tv_us(before.ru_utime.tv_sec, before.ru_utime.tv_usec) <=
              tv_us(got.ru_utime.tv_sec, got.ru_utime.tv_usec));
  assert_true(tv_us(got.ru_utime.tv_sec, got.ru_utime.tv_usec) <=
              tv_us(after.ru_utime.tv_sec, after.ru_utime.tv_usec));
  assert_true(tv_us(before.ru_stime.tv_sec, before.ru_stime.tv_usec) <=
              tv_us(got.ru_stime.tv_sec, got.ru_stime.tv_usec));
  assert_true(tv_us(got.ru_stime.tv_sec, got.ru_stime.tv_usec) <=
              tv_us(after.ru_stime.tv_sec, after.ru_stime.tv_usec));
  assert_true(got.ru_utime.tv_usec < 1000000);
  assert_true(got.ru_stime.tv_usec < 1000000);
  assert_true((uint64_t)before.ru_maxrss <= got.ru_maxrss);
  assert_true(got.ru_maxrss <= (uint64_t)after.ru_maxrss);
  assert_true((uint64_t)before.ru_minflt <= got.ru_minflt);
  assert_true(got.ru_minflt <= (uint64_t)after.ru_minflt);
  assert_true((uint64_t)before.ru_nvcsw <= got.ru_nvcsw);
  assert_true(got.ru_nvcsw <= (uint64_t)after.ru_nvcsw);
  assert_true((uint64_t)before.ru_nivcsw <= got.ru_nivcsw);
  assert_true(got.ru_nivcsw <= (uint64_t)after.ru_nivcsw);
  assert_true(got.ru_maxrss > 0);
}

static void getrusage_is_rusage_self(void** state) {
  (void)state;
  check_rusage(RUSAGE_SELF, uv_getrusage);
}

#if UV_VERSION_HEX >= 0x013200 && defined(RUSAGE_THREAD) /* 1.50 */
static void getrusage_thread_is_rusage_thread(void** state) {
  (void)state;
  check_rusage(RUSAGE_THREAD, uv_getrusage_thread);
}
#endif

static void getrusage_refuses_null(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_getrusage(NULL), UV_EINVAL);
#if UV_VERSION_HEX >= 0x013200
  assert_int_equal(uv_getrusage_thread(NULL), UV_EINVAL);
#endif
}

static uint64_t statm_rss(void) {
  char buf[256];
  unsigned long size, resident;
  read_text("/proc/self/statm", buf, sizeof(buf));
  assert_int_equal(sscanf(buf, "%lu %lu", &size, &resident), 2);
  return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* uv_resident_set_memory reads /proc/self/stat, as libuv does.  Since the
 * kernel keeps RSS in per-CPU counters (Linux 6.2), /proc/self/stat shows
 * their folded global value, which may lag the exact sum that statm reports
 * by up to one batch (max(32, 2 * CPUs) pages) per CPU for each of the four
 * RSS counters; on top of that, a few pages of stdio and bookkeeping
 * between the readings. */
static void resident_set_memory_matches_statm(void** state) {
  uint64_t before, after, lo, hi;
  uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
  uint64_t cpus = (uint64_t)sysconf(_SC_NPROCESSORS_CONF);
  uint64_t batch = 2 * cpus > 32 ? 2 * cpus : 32;
  uint64_t slack = (64 + 4 * cpus * batch) * page;
  size_t rss = 0;
  (void)state;
  before = statm_rss();
  assert_int_equal(uv_resident_set_memory(&rss), 0);
  after = statm_rss();
  lo = before < after ? before : after;
  hi = before < after ? after : before;
  assert_true(rss > 0);
  assert_true(rss + slack >= lo);
  assert_true(rss <= hi + slack);
  if (TEST_ON_EDDY) assert_int_equal(uv_resident_set_memory(NULL), UV_EINVAL);
}

static double proc_uptime(void) {
  char buf[128];
  double v;
  read_text("/proc/uptime", buf, sizeof(buf));
  assert_int_equal(sscanf(buf, "%lf", &v), 1);
  return v;
}

static void uptime_matches_proc_uptime(void** state) {
  double before, got = -1, after;
  (void)state;
  before = proc_uptime();
  assert_int_equal(uv_uptime(&got), 0);
  after = proc_uptime();
  assert_true(before <= got);
  assert_true(got <= after);
  assert_true(got > 0);
  if (TEST_ON_EDDY) assert_int_equal(uv_uptime(NULL), UV_EINVAL);
}

static void proc_loadavg(double avg[3]) {
  char buf[128];
  read_text("/proc/loadavg", buf, sizeof(buf));
  assert_int_equal(sscanf(buf, "%lf %lf %lf", &avg[0], &avg[1], &avg[2]), 3);
}

/* The kernel updates the averages every 5 seconds: a reading taken between
 * two equal ones must equal them; try a few times to get such a pair. */
static void loadavg_matches_proc_loadavg(void** state) {
  double before[3], got[3], after[3];
  int tries, i;
  (void)state;
  for (tries = 0; tries < 5; tries++) {
    proc_loadavg(before);
    got[0] = got[1] = got[2] = -1;
    uv_loadavg(got);
    proc_loadavg(after);
    if (memcmp(before, after, sizeof(before)) != 0) continue;
    for (i = 0; i < 3; i++) {
      assert_true(got[i] >= 0);
      assert_true(got[i] > before[i] - 0.005 && got[i] < before[i] + 0.005);
    }
    return;
  }
  fail_msg("/proc/loadavg kept changing");
}

/* ---- memory -------------------------------------------------------------- */

static uint64_t proc_meminfo(const char* key) {
  char buf[8192];
  unsigned long long kb;
  const char* p;
  read_text("/proc/meminfo", buf, sizeof(buf));
  p = strstr(buf, key);
  assert_non_null(p);
  assert_int_equal(sscanf(p + strlen(key), " %llu", &kb), 1);
  return (uint64_t)kb * 1024;
}

static void total_memory_is_memtotal(void** state) {
  (void)state;
  assert_int_equal(uv_get_total_memory(), proc_meminfo("MemTotal:"));
}

/* Free memory moves with everything else on the machine: bracket it, with
 * room for other processes (16 MiB). */
static void free_memory_is_memavailable(void** state) {
  uint64_t before, got, after, lo, hi, slack = 16u << 20;
  (void)state;
  before = proc_meminfo("MemAvailable:");
  got = uv_get_free_memory();
  after = proc_meminfo("MemAvailable:");
  lo = before < after ? before : after;
  hi = before < after ? after : before;
  assert_true(got + slack >= lo);
  assert_true(got <= hi + slack);
  assert_true(got <= uv_get_total_memory());
}

#if UV_VERSION_HEX >= 0x012D00 /* 1.45: UINT64_MAX for "no limit" */
/* The limit of this process's memory cgroup, worked out here the long way
 * round; 0 when there is none that can be read. */
static uint64_t cgroup_value(const char* path) {
  char buf[64];
  unsigned long long v;
  int fd = open(path, O_RDONLY);
  ssize_t n;
  if (fd < 0) return 0;
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  if (strncmp(buf, "max", 3) == 0) return UINT64_MAX;
  if (sscanf(buf, "%llu", &v) != 1) return 0;
  return (uint64_t)v;
}

static int memory_cgroup(char* dir, size_t size, int* v2) {
  char buf[8192];
  char* line;
  char* save = NULL;
  char* v2_path = NULL;
  char* v1_path = NULL;
  char* ctrl;
  char* path;

  read_text("/proc/self/cgroup", buf, sizeof(buf));
  for (line = strtok_r(buf, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    ctrl = strchr(line, ':');
    if (ctrl == NULL) continue;
    path = strchr(ctrl + 1, ':');
    if (path == NULL) continue;
    *path++ = '\0';
    if (strcmp(line, "0") == 0 && ctrl[1] == '\0') {
      v2_path = path;
      continue;
    }
    for (ctrl = strtok(ctrl + 1, ","); ctrl != NULL; ctrl = strtok(NULL, ","))
      if (strcmp(ctrl, "memory") == 0) v1_path = path;
  }
  if (v1_path != NULL) {
    snprintf(dir, size, "/sys/fs/cgroup/memory%s", v1_path);
    *v2 = 0;
    return 1;
  }
  if (v2_path != NULL) {
    snprintf(dir, size, "/sys/fs/cgroup%s", v2_path);
    *v2 = 1;
    return 1;
  }
  return 0;
}

static uint64_t in_dir(const char* dir, const char* file) {
  char path[PATH_MAX + 64];
  snprintf(path, sizeof(path), "%s/%s", dir, file);
  return cgroup_value(path);
}

static uint64_t expected_constrained_memory(char* dir, int* v2) {
  uint64_t hard, soft, unlimited;

  if (!memory_cgroup(dir, PATH_MAX, v2)) return 0;
  if (*v2) {
    hard = in_dir(dir, "memory.max");
    soft = in_dir(dir, "memory.high");
  } else {
    hard = in_dir(dir, "memory.limit_in_bytes");
    soft = in_dir(dir, "memory.soft_limit_in_bytes");
    if (hard == 0 || soft == 0) {
      hard = in_dir("/sys/fs/cgroup/memory", "memory.limit_in_bytes");
      soft = in_dir("/sys/fs/cgroup/memory", "memory.soft_limit_in_bytes");
    }
    /* v1 says "no limit" with LONG_MAX rounded down to a page. */
    unlimited =
        (uint64_t)LONG_MAX / sysconf(_SC_PAGESIZE) * sysconf(_SC_PAGESIZE);
    if (hard == unlimited) hard = UINT64_MAX;
    if (soft == unlimited) soft = UINT64_MAX;
  }
  if (hard == 0 || soft == 0) return 0;
  return hard < soft ? hard : soft;
}

static void constrained_memory_is_the_cgroup_limit(void** state) {
  char dir[PATH_MAX];
  int v2;
  (void)state;
  assert_int_equal(uv_get_constrained_memory(),
                   expected_constrained_memory(dir, &v2));
}

static void available_memory_within_the_cgroup(void** state) {
  char dir[PATH_MAX];
  uint64_t limit, got, used_before, used_after, free_mem;
  uint64_t slack = 16u << 20;
  int v2;
  (void)state;

  limit = expected_constrained_memory(dir, &v2);
  got = uv_get_available_memory();
  if (limit == 0 || limit > uv_get_total_memory()) {
    free_mem = uv_get_free_memory();
    assert_true(got + slack >= free_mem && got <= free_mem + slack);
    return;
  }
  used_before = in_dir(dir, v2 ? "memory.current" : "memory.usage_in_bytes");
  got = uv_get_available_memory();
  used_after = in_dir(dir, v2 ? "memory.current" : "memory.usage_in_bytes");
  assert_true(got <= limit);
  assert_true(got + slack >= (limit > used_after ? limit - used_after : 0));
  assert_true(got <= (limit > used_before ? limit - used_before : 0) + slack);
}
#endif

/* ---- uv_cpu_info --------------------------------------------------------- */

struct stat_cpu {
  int id;
  uint64_t t[6]; /* user nice system idle iowait irq, in ticks */
};

static int proc_stat_cpus(struct stat_cpu* cpus, int max) {
  char buf[1 << 16];
  char* line;
  char* save = NULL;
  int n = 0;
  unsigned long long t[6];
  int id;

  read_text("/proc/stat", buf, sizeof(buf));
  for (line = strtok_r(buf, "\n", &save); line != NULL && n < max;
       line = strtok_r(NULL, "\n", &save)) {
    if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
      continue; /* not a CPU, or the "cpu" total */
    if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu", &id, &t[0], &t[1],
               &t[2], &t[3], &t[4], &t[5]) != 7)
      continue;
    cpus[n].id = id;
    for (int i = 0; i < 6; i++) cpus[n].t[i] = t[i];
    n++;
  }
  return n;
}

static uint64_t ms(uint64_t ticks) {
  return ticks * 1000 / (uint64_t)sysconf(_SC_CLK_TCK);
}

/* The model name /proc/cpuinfo gives CPU id, or NULL. */
static int cpuinfo_model(int id, char* model, size_t size) {
  static char buf[1 << 18];
  char* line;
  char* save = NULL;
  int cur = -1, v;

  read_text("/proc/cpuinfo", buf, sizeof(buf));
  for (line = strtok_r(buf, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    if (sscanf(line, "processor : %d", &v) == 1) cur = v;
    if (cur == id && strncmp(line, "model name", 10) == 0) {
      line = strchr(line, ':');
      assert_non_null(line);
      snprintf(model, size, "%s", line + 2);
      return 1;
    }
  }
  return 0;
}

static void cpu_info_matches_proc_stat(void** state) {
  static struct stat_cpu before[1024], after[1024];
  uv_cpu_info_t* cpus;
  char model[256];
  int n, count, i, k;
  (void)state;

  spin();
  n = proc_stat_cpus(before, 1024);
  assert_int_equal(uv_cpu_info(&cpus, &count), 0);
  assert_int_equal(proc_stat_cpus(after, 1024), n);
  assert_int_equal(count, n);
  assert_true(count > 0);

  for (i = 0; i < count; i++) {
    const struct uv_cpu_times_s* t = &cpus[i].cpu_times;
    uint64_t got[6] = {t->user, t->nice, t->sys, t->idle, 0, t->irq};
    assert_int_equal(before[i].id, after[i].id);
    for (k = 0; k < 6; k++) {
      if (k == 4) continue; /* iowait is not reported */
      assert_true(ms(before[i].t[k]) <= got[k]);
      assert_true(got[k] <= ms(after[i].t[k]));
    }
    assert_non_null(cpus[i].model);
    if (cpuinfo_model(before[i].id, model, sizeof(model)))
      assert_string_equal(cpus[i].model, model);
    assert_true(cpus[i].speed >= 0);
  }
  uv_free_cpu_info(cpus, count);
}

static int cpu_info_op(void) {
  uv_cpu_info_t* cpus;
  int count;
  int r = uv_cpu_info(&cpus, &count);
  if (r == 0) uv_free_cpu_info(cpus, count);
  return r;
}

static void cpu_info_allocation_failures(void** state) {
  (void)state;
  check_every_allocation_failure(cpu_info_op);
}

static void cpu_info_refuses_null(void** state) {
  uv_cpu_info_t* cpus;
  int count;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_cpu_info(NULL, &count), UV_EINVAL);
  assert_int_equal(uv_cpu_info(&cpus, NULL), UV_EINVAL);
  uv_free_cpu_info(NULL, 0);
}

int main(int argc, char** argv) {
  const struct CMUnitTest tests[] = {
    /* First: it needs uv_setup_args not to have run yet. */
    cmocka_unit_test_teardown(process_title_life_cycle, teardown_allocator),
    cmocka_unit_test(process_title_refuses_null),
    cmocka_unit_test(getenv_reads_the_environment),
    cmocka_unit_test(getenv_size_protocol_at_the_boundary),
    cmocka_unit_test(getenv_refuses_bad_input),
    cmocka_unit_test(setenv_and_unsetenv_change_the_environment),
    cmocka_unit_test(setenv_and_unsetenv_refuse_bad_names),
    cmocka_unit_test(environ_lists_every_variable),
    cmocka_unit_test_teardown(environ_allocation_failures, teardown_allocator),
    cmocka_unit_test(environ_refuses_null),
    cmocka_unit_test(homedir_comes_from_home),
    cmocka_unit_test(homedir_falls_back_to_the_password_file),
    cmocka_unit_test_teardown(homedir_allocation_failures, teardown_allocator),
    cmocka_unit_test(homedir_refuses_bad_input),
    cmocka_unit_test(tmpdir_takes_the_first_variable_set),
    cmocka_unit_test(tmpdir_drops_one_trailing_slash),
    cmocka_unit_test(tmpdir_size_protocol_and_bad_input),
    cmocka_unit_test(get_passwd_is_the_effective_user),
    cmocka_unit_test_teardown(get_passwd_allocation_failures,
                              teardown_allocator),
#if UV_VERSION_HEX >= 0x012D00
    cmocka_unit_test(get_passwd2_looks_up_any_uid),
    cmocka_unit_test(get_group_looks_up_a_gid),
    cmocka_unit_test_teardown(get_group_allocation_failures,
                              teardown_allocator),
#endif
    cmocka_unit_test(getpid_and_getppid),
    cmocka_unit_test(getpriority_reads_nice),
    cmocka_unit_test(setpriority_changes_nice),
    cmocka_unit_test(exepath_is_proc_self_exe),
    cmocka_unit_test(exepath_cuts_to_the_buffer),
    cmocka_unit_test(cwd_and_chdir),
    cmocka_unit_test(cwd_and_chdir_refuse_bad_input),
    cmocka_unit_test(disable_stdio_inheritance_marks_inherited_fds),
    cmocka_unit_test(guess_handle_classifies_descriptors),
    cmocka_unit_test(gethostname_matches_the_system),
    cmocka_unit_test(uname_matches_the_system),
    cmocka_unit_test(getrusage_is_rusage_self),
#if UV_VERSION_HEX >= 0x013200 && defined(RUSAGE_THREAD)
    cmocka_unit_test(getrusage_thread_is_rusage_thread),
#endif
    cmocka_unit_test(getrusage_refuses_null),
    cmocka_unit_test(resident_set_memory_matches_statm),
    cmocka_unit_test(uptime_matches_proc_uptime),
    cmocka_unit_test(loadavg_matches_proc_loadavg),
    cmocka_unit_test(total_memory_is_memtotal),
    cmocka_unit_test(free_memory_is_memavailable),
#if UV_VERSION_HEX >= 0x012D00
    cmocka_unit_test(constrained_memory_is_the_cgroup_limit),
    cmocka_unit_test(available_memory_within_the_cgroup),
#endif
    cmocka_unit_test(cpu_info_matches_proc_stat),
    cmocka_unit_test_teardown(cpu_info_allocation_failures, teardown_allocator),
    cmocka_unit_test(cpu_info_refuses_null),
  };
  main_argc = argc;
  main_argv = argv;
  /* EDDY_TEST_SKIP=pattern skips tests by name (cmocka's skip filter). */
  if (getenv("EDDY_TEST_SKIP") != NULL)
    cmocka_set_skip_filter(getenv("EDDY_TEST_SKIP"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
