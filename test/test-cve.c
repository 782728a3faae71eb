/* eddy tests — the classes of security bug libuv has had, each tested
 * where eddy could repeat it:
 *
 *   CVE-2024-24806  uv_getaddrinfo cut a host name longer than 255
 *                   characters (after IDNA conversion) to a shorter one
 *                   and looked that up: another host than asked for;
 *   CVE-2021-22918  uv__idna_toascii read past the end of a name ending in
 *                   a truncated UTF-8 sequence;
 *   realpath/readlink buffer overruns: results near PATH_MAX long must
 *                   come back whole, and never be written past;
 *   setuid keeping the supplementary groups: a child spawned with
 *                   UV_PROCESS_SETUID must not keep root's groups.
 *
 * No lookup leaves the machine: this file defines getaddrinfo(3), so the
 * library's call lands here and is only recorded (test-dns.c does the
 * same).  The tests are most useful under AddressSanitizer, where a read
 * or write one byte out of bounds fails them; each also checks what it can
 * without ASan. */
#include "test-helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* ---- the resolver, replaced ----------------------------------------------- */

static pthread_mutex_t spy_mutex = PTHREAD_MUTEX_INITIALIZER;
static int spy_calls;
static char spy_node[1024];

int getaddrinfo(const char* node, const char* service,
                const struct addrinfo* hints, struct addrinfo** res) {
  (void)service;
  (void)hints;
  pthread_mutex_lock(&spy_mutex);
  spy_calls++;
  snprintf(spy_node, sizeof(spy_node), "%s", node != NULL ? node : "(null)");
  pthread_mutex_unlock(&spy_mutex);
  *res = NULL;
  return EAI_NONAME;
}

static void spy_reset(void) {
  pthread_mutex_lock(&spy_mutex);
  spy_calls = 0;
  spy_node[0] = '\0';
  pthread_mutex_unlock(&spy_mutex);
}

static int gai_calls;
static int gai_status;

static void gai_cb(uv_getaddrinfo_t* req, int status, struct addrinfo* res) {
  (void)req;
  gai_calls++;
  gai_status = status;
  uv_freeaddrinfo(res);
}

/* ---- CVE-2024-24806: host names are refused, never cut ---------------------- */

/* n characters of labels of 63 'a's, each followed by a dot, then tail. */
static char* long_name(size_t n, const char* tail) {
  size_t t = strlen(tail);
  char* s = malloc(n + t + 1);
  size_t i;
  assert_non_null(s);
  for (i = 0; i < n; i++) s[i] = (i % 64 == 63) ? '.' : 'a';
  memcpy(s + n, tail, t + 1);
  return s;
}

/* libuv 1.x before 1.48 converted the name into a 256-byte buffer that the
 * conversion filled without a terminator, so a long name reached
 * getaddrinfo(3) as its first 256 characters and whatever followed in
 * memory: a name chosen so that its start resolves elsewhere (an internal
 * address such as "0x7f.1", which getaddrinfo takes for 127.0.0.1) was
 * looked up instead.  eddy refuses the name whole. */
static void cve_2024_24806_long_names_are_refused(void** state) {
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  char* name;
  size_t n;
  (void)state;
  assert_int_equal(uv_loop_init(&loop), 0);

  /* 255 characters: the longest name passed on, whole. */
  spy_reset();
  name = long_name(255, "");
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, name, NULL, NULL),
                   UV_EAI_NONAME);
  assert_int_equal(spy_calls, 1);
  assert_string_equal(spy_node, name);
  free(name);

  /* 256 and more, synchronously and through the thread pool: refused
   * before any lookup, for every length around the buffer's size. */
  spy_reset();
  gai_calls = 0;
  for (n = 256; n <= 300; n++) {
    name = long_name(n, "");
    assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, name, NULL, NULL),
                     UV_EINVAL);
    assert_int_equal(uv_getaddrinfo(&loop, &req, gai_cb, name, "80", NULL),
                     UV_EINVAL);
    free(name);
  }
  /* The attack's shape: a valid internal address after the cut. */
  name = long_name(256 - 7, ".0x7f.1");
  assert_int_equal(strlen(name), 256);
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, name, NULL, NULL),
                   UV_EINVAL);
  free(name);
  /* Short in UTF-8, long once converted: 85 labels "é" (2 bytes each) are
   * 85 * 9 - 1 = 764 characters as "xn--9ca" labels. */
  name = malloc(85 * 3);
  assert_non_null(name);
  for (n = 0; n < 85; n++) memcpy(name + 3 * n, "\xc3\xa9.", 3);
  name[85 * 3 - 1] = '\0';
  assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, name, NULL, NULL),
                   UV_EINVAL);
  free(name);

  assert_int_equal(spy_calls, 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(gai_calls, 0);
  loop_close_clean(&loop);
}

/* ---- CVE-2021-22918: no read past a truncated UTF-8 sequence ---------------- */

#if TEST_ON_EDDY
/* src/idna.h: internal, but linked in from libeddy.a. */
long uv__idna_toascii(const char* s, size_t len, char* out, size_t outsize);

/* libuv's decoder, given a name ending in the first bytes of a multi-byte
 * sequence, read the missing continuation bytes from past the end of the
 * name.  Each truncated sequence here sits at the very end of a buffer of
 * its exact size (ASan reports a read past it), then inside a larger one
 * whose next bytes would complete it (a decoder that reads past the length
 * accepts it there, without ASan). */
static void cve_2021_22918_idna_truncated_sequences(void** state) {
  /* Complete sequences of 2, 3 and 4 bytes, cut after 1 to n-1 bytes. */
  static const char* const whole[] = {
      "\xc3\xa9", "\xdf\xbf", "\xe2\x82\xac", "\xef\xbf\xbd",
      "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
  };
  static const char* const prefixes[] = {"", "a", "xn--a.", "ok.\xc3\xa9."};
  char out[256]; /* UV__IDNA_MAX, what uv_getaddrinfo passes */
  size_t w, p, cut;
  (void)state;

  for (w = 0; w < ARRAY_LEN(whole); w++) {
    size_t wl = strlen(whole[w]);
    for (p = 0; p < ARRAY_LEN(prefixes); p++) {
      size_t pl = strlen(prefixes[p]);
      for (cut = 1; cut < wl; cut++) {
        size_t len = pl + cut;
        char* exact = malloc(len);
        char* padded = malloc(pl + wl + 1);
        assert_non_null(exact);
        assert_non_null(padded);
        memcpy(exact, prefixes[p], pl);
        memcpy(exact + pl, whole[w], cut);
        assert_int_equal(uv__idna_toascii(exact, len, out, sizeof(out)),
                         UV_EINVAL);
        /* The rest of the sequence follows in memory, past len. */
        memcpy(padded, prefixes[p], pl);
        memcpy(padded + pl, whole[w], wl + 1);
        assert_int_equal(uv__idna_toascii(padded, len, out, sizeof(out)),
                         UV_EINVAL);
        /* Whole, it converts. */
        assert_true(uv__idna_toascii(padded, pl + wl, out, sizeof(out)) > 0);
        free(padded);
        free(exact);
      }
    }
  }
}
#else
static void cve_2021_22918_idna_truncated_sequences(void** state) {
  (void)state;
  skip(); /* an internal function: eddy's build only */
}
#endif

/* The same through the public call: the name ends at its NUL. */
static void cve_2021_22918_getaddrinfo_truncated_sequences(void** state) {
  static const char* const names[] = {
      "\xc3", "a\xe2\x82", "a.\xf0\x9f\x98", "\xf4", "ok.\xe7\xab", "x\xef",
  };
  uv_loop_t loop;
  uv_getaddrinfo_t req;
  size_t i;
  (void)state;
  EDDY_ONLY(); /* libuv looks up what it made of some of these */
  spy_reset();
  assert_int_equal(uv_loop_init(&loop), 0);
  for (i = 0; i < ARRAY_LEN(names); i++) {
    char* exact = strdup(names[i]); /* no slack after the NUL */
    assert_non_null(exact);
    assert_int_equal(uv_getaddrinfo(&loop, &req, NULL, exact, NULL, NULL),
                     UV_EINVAL);
    free(exact);
  }
  assert_int_equal(spy_calls, 0);
  loop_close_clean(&loop);
}

/* ---- realpath / readlink near PATH_MAX -------------------------------------- */

static char base[128];

static int setup_dir(void** state) {
  char tpl[] = "/tmp/eddy-cve-XXXXXX";
  char* real;
  (void)state;
  assert_non_null(mkdtemp(tpl));
  real = realpath(tpl, NULL); /* /tmp may be a link */
  assert_non_null(real);
  assert_true(strlen(real) < sizeof(base));
  strcpy(base, real);
  free(real);
  return 0;
}

static int remove_tree(const char* dir);

static int teardown_dir(void** state) {
  (void)state;
  remove_tree(base);
  return 0;
}

/* Removes dir and what is under it (directories, links, files). */
static int remove_tree(const char* dir) {
  char cmd[PATH_MAX + 32];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd);
}

/* Appends directories under path until it is exactly len characters long
 * (components of at most 250 characters); path must exist. */
static void grow_path(char* path, size_t len) {
  size_t at = strlen(path);
  while (at < len) {
    size_t rem = len - at; /* '/' and the component */
    size_t comp = rem - 1 <= 250 ? rem - 1 : (rem - 1 - 250 >= 2 ? 250 : 200);
    path[at++] = '/';
    memset(path + at, 'd', comp);
    at += comp;
    path[at] = '\0';
    assert_int_equal(mkdir(path, 0700), 0);
  }
}

/* readlink's buffer grows from 256 bytes by doubling: targets of every
 * length around each size it takes, up to the longest a link may hold
 * (PATH_MAX - 1), come back whole and terminated. */
static void readlink_lengths_near_the_buffer_sizes(void** state) {
  static const size_t sizes[] = {1, 254, 255, 256, 257, 511, 512, 513, 1023,
                                 1024, 1025, 2047, 2048, 2049, 4094, PATH_MAX - 1};
  char link_path[PATH_MAX];
  char* target = malloc(PATH_MAX);
  uv_loop_t loop;
  uv_fs_t req;
  size_t i;
  (void)state;

  assert_non_null(target);
  assert_int_equal(uv_loop_init(&loop), 0);
  snprintf(link_path, sizeof(link_path), "%s/link", base);
  for (i = 0; i < ARRAY_LEN(sizes); i++) {
    memset(target, 't', sizes[i]);
    target[sizes[i]] = '\0';
    unlink(link_path);
    assert_int_equal(symlink(target, link_path), 0);
    assert_int_equal(uv_fs_readlink(&loop, &req, link_path, NULL), 0);
    assert_non_null(req.ptr);
    assert_int_equal(strlen(req.ptr), sizes[i]);
    assert_string_equal(req.ptr, target);
    uv_fs_req_cleanup(&req);
  }
  unlink(link_path);
  free(target);
  loop_close_clean(&loop);
}

/* realpath's result fills PATH_MAX exactly (PATH_MAX - 1 characters and
 * the NUL), or would overflow it: the first comes back whole, the second
 * is refused, and nothing is written past the result. */
static void realpath_results_near_path_max(void** state) {
  char* path = malloc(PATH_MAX + 64);
  char link_path[PATH_MAX];
  char* longer;
  uv_loop_t loop;
  uv_fs_t req;
  size_t len;
  (void)state;

  assert_non_null(path);
  assert_int_equal(uv_loop_init(&loop), 0);
  for (len = PATH_MAX - 3; len <= PATH_MAX - 1; len++) {
    snprintf(path, PATH_MAX, "%s/r%zu", base, len);
    assert_int_equal(mkdir(path, 0700), 0);
    grow_path(path, len);
    assert_int_equal(strlen(path), len);
    assert_int_equal(uv_fs_realpath(&loop, &req, path, NULL), 0);
    assert_non_null(req.ptr);
    assert_int_equal(strlen(req.ptr), len);
    assert_string_equal(req.ptr, path);
    uv_fs_req_cleanup(&req);
  }

  /* Through a short link: the input is short, the result PATH_MAX - 1
   * characters long. */
  snprintf(link_path, sizeof(link_path), "%s/short", base);
  assert_int_equal(symlink(path, link_path), 0);
  assert_int_equal(uv_fs_realpath(&loop, &req, link_path, NULL), 0);
  assert_string_equal(req.ptr, path);
  uv_fs_req_cleanup(&req);

  /* One more component makes the result longer than PATH_MAX allows,
   * although the input is short: refused, not cut. */
  longer = malloc(strlen(link_path) + 8);
  assert_non_null(longer);
  sprintf(longer, "%s/x", link_path);
  strcat(path, "/x");
  assert_int_equal(mkdir(longer, 0700), 0); /* exists, through the link */
  assert_int_equal(uv_fs_realpath(&loop, &req, longer, NULL), UV_ENAMETOOLONG);
  assert_null(req.ptr);
  uv_fs_req_cleanup(&req);

  free(longer);
  free(path);
  loop_close_clean(&loop);
}

/* ---- setuid in spawn drops the supplementary groups ------------------------ */

struct output {
  uv_pipe_t pipe;
  char text[512];
  size_t len;
};

static void out_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  struct output* o = h->data;
  (void)suggested;
  buf->base = o->text + o->len;
  buf->len = sizeof(o->text) - 1 - o->len;
}

static void out_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  struct output* o = s->data;
  (void)buf;
  if (n > 0) o->len += (size_t)n;
  if (n < 0) uv_close((uv_handle_t*)s, NULL);
  o->text[o->len] = '\0';
}

static int64_t child_status;

static void child_exit(uv_process_t* p, int64_t status, int sig) {
  child_status = sig != 0 ? -sig : status;
  uv_close((uv_handle_t*)p, NULL);
}

/* The child's "Groups:" line of /proc/self/status, after spawning it with
 * these flags as uid/gid 65534. */
static void groups_of_child(unsigned int flags, char* line, size_t size) {
  char* args[] = {"/bin/sh", "-c", "grep '^Groups:' /proc/self/status", NULL};
  uv_process_options_t o;
  uv_stdio_container_t stdio[3];
  uv_process_t proc;
  struct output out;
  uv_loop_t loop;
  char* end;

  assert_int_equal(uv_loop_init(&loop), 0);
  memset(&out, 0, sizeof(out));
  assert_int_equal(uv_pipe_init(&loop, &out.pipe, 0), 0);
  out.pipe.data = &out;
  memset(&o, 0, sizeof(o));
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[1].data.stream = (uv_stream_t*)&out.pipe;
  stdio[2].flags = UV_INHERIT_FD;
  stdio[2].data.fd = 2;
  o.file = args[0];
  o.args = args;
  o.cwd = "/"; /* reachable by uid 65534 */
  o.exit_cb = child_exit;
  o.stdio = stdio;
  o.stdio_count = 3;
  o.flags = flags;
  o.uid = 65534;
  o.gid = 65534;
  child_status = -1000;
  assert_int_equal(uv_spawn(&loop, &proc, &o), 0);
  assert_int_equal(uv_read_start((uv_stream_t*)&out.pipe, out_alloc, out_read), 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(child_status, 0);
  loop_close_clean(&loop);

  end = strchr(out.text, '\n');
  if (end != NULL) *end = '\0';
  assert_true(strlen(out.text) < size);
  strcpy(line, out.text);
}

/* "Groups:" and nothing else (the kernel may leave a space or tab). */
static int no_groups(const char* line) {
  const char* p;
  if (strncmp(line, "Groups:", 7) != 0) return 0;
  for (p = line + 7; *p != '\0'; p++)
    if (*p != ' ' && *p != '\t') return 0;
  return 1;
}

/* libuv once left the parent's supplementary groups to a child it gave
 * another uid, so a child meant to run unprivileged kept root's groups
 * (disk, adm, ...).  Root here, the test first gives itself some, checks
 * that a plain child inherits them (so that the check can see them), then
 * that UV_PROCESS_SETUID, with or without UV_PROCESS_SETGID, leaves none. */
static void setuid_child_has_no_supplementary_groups(void** state) {
  gid_t mine[] = {4, 6, 27};
  gid_t saved[64];
  int nsaved;
  char line[256];
  (void)state;

  if (geteuid() != 0) skip();
  nsaved = getgroups((int)ARRAY_LEN(saved), saved);
  assert_true(nsaved >= 0);
  if (setgroups(ARRAY_LEN(mine), mine) != 0) skip(); /* no CAP_SETGID */

  groups_of_child(0, line, sizeof(line));
  assert_false(no_groups(line)); /* the groups are visible */
  assert_non_null(strstr(line, "27"));

  groups_of_child(UV_PROCESS_SETUID | UV_PROCESS_SETGID, line, sizeof(line));
  assert_true(no_groups(line));
  groups_of_child(UV_PROCESS_SETUID, line, sizeof(line));
  assert_true(no_groups(line));
  groups_of_child(UV_PROCESS_SETGID, line, sizeof(line));
  assert_true(no_groups(line));

  assert_int_equal(setgroups((size_t)nsaved, saved), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cve_2024_24806_long_names_are_refused),
      cmocka_unit_test(cve_2021_22918_idna_truncated_sequences),
      cmocka_unit_test(cve_2021_22918_getaddrinfo_truncated_sequences),
      cmocka_unit_test_setup_teardown(readlink_lengths_near_the_buffer_sizes,
                                      setup_dir, teardown_dir),
      cmocka_unit_test_setup_teardown(realpath_results_near_path_max,
                                      setup_dir, teardown_dir),
      cmocka_unit_test(setuid_child_has_no_supplementary_groups),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
