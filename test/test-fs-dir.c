/* eddy tests — directories and names: mkdir, rmdir, unlink, mkdtemp,
 * mkstemp, rename, scandir (sorted, without "." and ".."), opendir/readdir/
 * closedir (10,000 entries too), link, symlink, readlink (whatever the
 * target's length), realpath through chains of links, over-long paths
 * (src/unix/fs.c, fs-dir.c, fs-path.c).  test-fs.h describes how the tests
 * run. */
#include "test-fs.h"

/* ---- directories and names ----------------------------------------------- */

static void mkdir_rmdir_unlink(void** state) {
  uv_fs_t req;
  (void)state;

  assert_int_equal(FS(uv_fs_mkdir, &req, P("d"), 0750), 0);
  assert_int_equal(req.fs_type, UV_FS_MKDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(mode_of(P("d")), S_IFDIR | 0750);
  assert_int_equal(FS(uv_fs_mkdir, &req, P("d"), 0750), UV_EEXIST);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_mkdir, &req, P("missing/d"), 0750), UV_ENOENT);
  uv_fs_req_cleanup(&req);

  put_file(P("d/f"), "x", 1);
  assert_int_equal(FS(uv_fs_rmdir, &req, P("d")), UV_ENOTEMPTY);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_rmdir, &req, P("d/f")), UV_ENOTDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_unlink, &req, P("d")), UV_EISDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_unlink, &req, P("d/f")), 0);
  assert_int_equal(req.fs_type, UV_FS_UNLINK);
  uv_fs_req_cleanup(&req);
  assert_false(exists(P("d/f")));
  assert_int_equal(FS(uv_fs_unlink, &req, P("d/f")), UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_rmdir, &req, P("d")), 0);
  assert_int_equal(req.fs_type, UV_FS_RMDIR);
  uv_fs_req_cleanup(&req);
  assert_false(exists(P("d")));
  assert_int_equal(FS(uv_fs_rmdir, &req, P("d")), UV_ENOENT);
  uv_fs_req_cleanup(&req);
}

static void mkdtemp_makes_a_directory(void** state) {
  char tpl[PATH_MAX];
  uv_fs_t req;
  size_t len;
  (void)state;

  fmt(tpl, sizeof(tpl), "%s", P("tmp-XXXXXX"));
  len = strlen(tpl);
  assert_int_equal(FS(uv_fs_mkdtemp, &req, tpl), 0);
  assert_int_equal(req.fs_type, UV_FS_MKDTEMP);
  assert_ptr_not_equal(req.path, tpl);
  assert_int_equal(strlen(req.path), len);
  assert_memory_equal(req.path, tpl, len - 6);
  assert_int_equal(mode_of(req.path), S_IFDIR | 0700);
  assert_string_equal(tpl + len - 6, "XXXXXX"); /* the caller's untouched */
  uv_fs_req_cleanup(&req);
  assert_null(req.path);

  /* A template without XXXXXX; a missing parent. */
  assert_int_equal(FS(uv_fs_mkdtemp, &req, P("tmp-XXX")), UV_EINVAL);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_mkdtemp, &req, P("missing/tmp-XXXXXX")), UV_ENOENT);
  uv_fs_req_cleanup(&req);
}

static void mkstemp_makes_a_file(void** state) {
  char tpl[PATH_MAX];
  uv_fs_t req;
  ssize_t fd;
  size_t len;
  (void)state;

  fmt(tpl, sizeof(tpl), "%s", P("tmp-XXXXXX"));
  len = strlen(tpl);
  fd = FS(uv_fs_mkstemp, &req, tpl);
  assert_true(fd >= 0);
  assert_int_equal(req.result, fd);
  assert_int_equal(req.fs_type, UV_FS_MKSTEMP);
  assert_int_equal(strlen(req.path), len);
  assert_memory_equal(req.path, tpl, len - 6);
  assert_int_equal(mode_of(req.path), S_IFREG | 0600);
  assert_true(fcntl((int)fd, F_GETFD) & FD_CLOEXEC);
  assert_int_equal(write((int)fd, "x", 1), 1);
  assert_file(req.path, "x");
  uv_fs_req_cleanup(&req);
  assert_null(req.path);
  close((int)fd);

  /* Failures leave an empty path, as libuv. */
  assert_int_equal(FS(uv_fs_mkstemp, &req, P("tmp-XXX")), UV_EINVAL);
  assert_string_equal(req.path, "");
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_mkstemp, &req, P("missing/tmp-XXXXXX")), UV_ENOENT);
  assert_string_equal(req.path, "");
  uv_fs_req_cleanup(&req);
}

static void rename_moves(void** state) {
  uv_fs_t req;
  (void)state;

  put_file(P("a"), "content", 7);
  assert_int_equal(FS(uv_fs_rename, &req, P("a"), P("b")), 0);
  assert_int_equal(req.fs_type, UV_FS_RENAME);
  uv_fs_req_cleanup(&req);
  assert_false(exists(P("a")));
  assert_file(P("b"), "content");

  assert_int_equal(FS(uv_fs_rename, &req, P("a"), P("c")), UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(mkdir(P("d1"), 0755), 0);
  assert_int_equal(mkdir(P("d2"), 0755), 0);
  put_file(P("d2/f"), "", 0);
  assert_int_equal(FS(uv_fs_rename, &req, P("d1"), P("d2")), UV_ENOTEMPTY);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_rename, &req, P("b"), P("d1")), UV_EISDIR);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_rename, &req, P("d1"), P("b")), UV_ENOTDIR);
  uv_fs_req_cleanup(&req);
}

struct entry {
  const char* name;
  uv_dirent_type_t type;
};

static void scandir_sorts_and_skips_dots(void** state) {
  /* strcmp order: digits, upper case, '_', lower case. */
  static const struct entry want[] = {
      {"10", UV_DIRENT_FILE},   {"9", UV_DIRENT_FILE},   {"C", UV_DIRENT_FILE},
      {"_x", UV_DIRENT_FILE},   {"a", UV_DIRENT_FILE},   {"b", UV_DIRENT_FILE},
      {"fifo", UV_DIRENT_FIFO}, {"lnk", UV_DIRENT_LINK}, {"sub", UV_DIRENT_DIR},
  };
  static const char* const files[] = {"b", "a", "C", "_x", "10", "9"};
  uv_dirent_t ent;
  uv_fs_t req;
  size_t i;
  (void)state;

  for (i = 0; i < ARRAY_LEN(files); i++) put_file(P(files[i]), "", 0);
  assert_int_equal(mkdir(P("sub"), 0755), 0);
  assert_int_equal(symlink("a", P("lnk")), 0);
  assert_int_equal(mkfifo(P("fifo"), 0644), 0);

  assert_int_equal(FS(uv_fs_scandir, &req, T->dir, 0),
                   (ssize_t)ARRAY_LEN(want));
  assert_int_equal(req.fs_type, UV_FS_SCANDIR);
  for (i = 0; i < ARRAY_LEN(want); i++) {
    assert_int_equal(uv_fs_scandir_next(&req, &ent), 0);
    assert_string_equal(ent.name, want[i].name);
    assert_int_equal(ent.type, want[i].type);
  }
  assert_int_equal(uv_fs_scandir_next(&req, &ent), UV_EOF);
  assert_null(req.ptr);
  assert_int_equal(uv_fs_scandir_next(&req, &ent), UV_EOF);
  uv_fs_req_cleanup(&req);

  /* Stopping half way: cleanup frees the rest. */
  assert_int_equal(FS(uv_fs_scandir, &req, T->dir, 0),
                   (ssize_t)ARRAY_LEN(want));
  assert_int_equal(uv_fs_scandir_next(&req, &ent), 0);
  assert_int_equal(uv_fs_scandir_next(&req, &ent), 0);
  assert_string_equal(ent.name, "9");
  uv_fs_req_cleanup(&req);
  assert_null(req.ptr);
  uv_fs_req_cleanup(&req);

  /* Empty. */
  assert_int_equal(FS(uv_fs_scandir, &req, P("sub"), 0), 0);
  assert_int_equal(uv_fs_scandir_next(&req, &ent), UV_EOF);
  uv_fs_req_cleanup(&req);

  /* Errors come back from scandir_next too. */
  assert_int_equal(FS(uv_fs_scandir, &req, P("missing"), 0), UV_ENOENT);
  assert_int_equal(uv_fs_scandir_next(&req, &ent), UV_ENOENT);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_scandir, &req, P("a"), 0), UV_ENOTDIR);
  assert_int_equal(uv_fs_scandir_next(&req, &ent), UV_ENOTDIR);
  uv_fs_req_cleanup(&req);
}

static void opendir_readdir_closedir(void** state) {
  static const char* const files[] = {"e", "d", "c", "b", "a"};
  uv_dirent_t ents[3];
  uv_dir_t* dir;
  uv_fs_t req;
  int seen = 0;
  ssize_t n;
  int i;
  (void)state;

  for (i = 0; i < 5; i++) put_file(P(files[i]), "", 0);
  assert_int_equal(FS(uv_fs_opendir, &req, T->dir), 0);
  assert_int_equal(req.fs_type, UV_FS_OPENDIR);
  dir = req.ptr;
  assert_non_null(dir);
  uv_fs_req_cleanup(&req);
  assert_null(req.ptr);
  dir->dirents = ents;
  dir->nentries = ARRAY_LEN(ents);

  do {
    n = FS(uv_fs_readdir, &req, dir);
    assert_int_equal(req.fs_type, UV_FS_READDIR);
    assert_true(n >= 0 && n <= 3);
    for (i = 0; i < n; i++) {
      assert_int_equal(strlen(ents[i].name), 1);
      assert_true(ents[i].name[0] >= 'a' && ents[i].name[0] <= 'e');
      assert_false(seen & (1 << (ents[i].name[0] - 'a')));
      seen |= 1 << (ents[i].name[0] - 'a');
      assert_int_equal(ents[i].type, UV_DIRENT_FILE);
    }
    uv_fs_req_cleanup(&req);
    for (i = 0; i < n; i++) assert_null(ents[i].name);
  } while (n > 0);
  assert_int_equal(seen, 0x1f);

  assert_int_equal(FS(uv_fs_closedir, &req, dir), 0);
  assert_int_equal(req.fs_type, UV_FS_CLOSEDIR);
  assert_null(req.ptr);
  uv_fs_req_cleanup(&req);

  assert_int_equal(FS(uv_fs_opendir, &req, P("missing")), UV_ENOENT);
  assert_null(req.ptr);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_opendir, &req, P("a")), UV_ENOTDIR);
  uv_fs_req_cleanup(&req);
}

/* 10,000 entries, through scandir and through readdir. */
static void big_directory(void** state) {
  enum { N = 10000 };
  unsigned char* seen = calloc(N, 1);
  uv_dirent_t ents[128];
  uv_dirent_t ent;
  char name[32];
  uv_dir_t* dir;
  uv_fs_t req;
  ssize_t n;
  int total = 0;
  int i;
  (void)state;

  assert_non_null(seen);
  /* Hard links to one file: entries without 10,000 inodes to make. */
  assert_int_equal(mkdir(P("big"), 0755), 0);
  put_file(P("big/f00000"), "", 0);
  for (i = 1; i < N; i++) {
    fmt(name, sizeof(name), "big/f%05d", i);
    assert_int_equal(link(P("big/f00000"), P(name)), 0);
  }

  assert_int_equal(FS(uv_fs_scandir, &req, P("big"), 0), N);
  for (i = 0; i < N; i++) {
    assert_int_equal(uv_fs_scandir_next(&req, &ent), 0);
    fmt(name, sizeof(name), "f%05d", i);
    assert_string_equal(ent.name, name);
  }
  assert_int_equal(uv_fs_scandir_next(&req, &ent), UV_EOF);
  uv_fs_req_cleanup(&req);

  assert_int_equal(FS(uv_fs_opendir, &req, P("big")), 0);
  dir = req.ptr;
  uv_fs_req_cleanup(&req);
  dir->dirents = ents;
  dir->nentries = ARRAY_LEN(ents);
  while ((n = FS(uv_fs_readdir, &req, dir)) > 0) {
    for (i = 0; i < n; i++) {
      int k = atoi(ents[i].name + 1);
      assert_true(k >= 0 && k < N);
      assert_int_equal(seen[k], 0);
      seen[k] = 1;
      total++;
    }
    uv_fs_req_cleanup(&req);
  }
  assert_int_equal(n, 0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(total, N);
  assert_int_equal(FS(uv_fs_closedir, &req, dir), 0);
  uv_fs_req_cleanup(&req);
  free(seen);
}

/* ---- links and paths ----------------------------------------------------- */

static void link_symlink_readlink(void** state) {
  char target[3001];
  struct stat a;
  struct stat b;
  uv_fs_t req;
  int i;
  (void)state;

  put_file(P("file"), "data", 4);
  assert_int_equal(FS(uv_fs_link, &req, P("file"), P("hard")), 0);
  assert_int_equal(req.fs_type, UV_FS_LINK);
  uv_fs_req_cleanup(&req);
  assert_int_equal(stat(P("file"), &a), 0);
  assert_int_equal(stat(P("hard"), &b), 0);
  assert_int_equal(a.st_ino, b.st_ino);
  assert_int_equal(a.st_nlink, 2);
  assert_int_equal(FS(uv_fs_link, &req, P("file"), P("hard")), UV_EEXIST);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_link, &req, P("missing"), P("h2")), UV_ENOENT);
  uv_fs_req_cleanup(&req);

  assert_int_equal(FS(uv_fs_symlink, &req, "file", P("sym"), 0), 0);
  assert_int_equal(req.fs_type, UV_FS_SYMLINK);
  uv_fs_req_cleanup(&req);
  assert_true(S_ISLNK(mode_of(P("sym"))));
  assert_file(P("sym"), "data");
  assert_int_equal(FS(uv_fs_symlink, &req, ".", P("dirsym"), UV_FS_SYMLINK_DIR),
                   0);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_symlink, &req, "x", P("sym"), 0), UV_EEXIST);
  uv_fs_req_cleanup(&req);

  assert_int_equal(FS(uv_fs_readlink, &req, P("sym")), 0);
  assert_int_equal(req.fs_type, UV_FS_READLINK);
  assert_string_equal(req.ptr, "file");
  uv_fs_req_cleanup(&req);
  assert_null(req.ptr);

  /* A target longer than PATH_MAX / 2 comes back whole. */
  memset(target, 'a', sizeof(target) - 1);
  for (i = 100; i < (int)sizeof(target) - 1; i += 100) target[i] = '/';
  target[sizeof(target) - 1] = '\0';
  assert_true(strlen(target) > PATH_MAX / 2);
  assert_int_equal(symlink(target, P("long")), 0);
  assert_int_equal(FS(uv_fs_readlink, &req, P("long")), 0);
  assert_string_equal(req.ptr, target);
  uv_fs_req_cleanup(&req);

  assert_int_equal(FS(uv_fs_readlink, &req, P("file")), UV_EINVAL);
  assert_null(req.ptr);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_readlink, &req, P("missing")), UV_ENOENT);
  uv_fs_req_cleanup(&req);
}

static void realpath_resolves(void** state) {
  char want[PATH_MAX];
  uv_fs_t req;
  (void)state;

  assert_int_equal(mkdir(P("real"), 0755), 0);
  assert_int_equal(mkdir(P("real/sub"), 0755), 0);
  assert_int_equal(symlink("l2", P("l1")), 0);
  assert_int_equal(symlink("l3", P("l2")), 0);
  assert_int_equal(symlink("real", P("l3")), 0);
  assert_non_null(realpath(P("real/sub"), want));

  assert_int_equal(FS(uv_fs_realpath, &req, P("l1/sub/../sub/.")), 0);
  assert_int_equal(req.fs_type, UV_FS_REALPATH);
  assert_string_equal(req.ptr, want);
  uv_fs_req_cleanup(&req);
  assert_null(req.ptr);

  assert_int_equal(FS(uv_fs_realpath, &req, P("l1/missing")), UV_ENOENT);
  assert_null(req.ptr);
  uv_fs_req_cleanup(&req);
  assert_int_equal(symlink("c2", P("c1")), 0);
  assert_int_equal(symlink("c1", P("c2")), 0);
  assert_int_equal(FS(uv_fs_realpath, &req, P("c1")), UV_ELOOP);
  uv_fs_req_cleanup(&req);
}

/* A path longer than PATH_MAX is refused by the kernel, never cut. */
static void too_long_paths(void** state) {
  char* path = malloc(PATH_MAX + 100);
  uv_fs_t req;
  (void)state;

  assert_non_null(path);
  memset(path, 'a', PATH_MAX + 99);
  path[0] = '/';
  path[PATH_MAX + 99] = '\0';
  assert_int_equal(FS(uv_fs_stat, &req, path), UV_ENAMETOOLONG);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_open, &req, path, UV_FS_O_RDONLY, 0),
                   UV_ENAMETOOLONG);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_rename, &req, path, path), UV_ENAMETOOLONG);
  uv_fs_req_cleanup(&req);
  assert_int_equal(FS(uv_fs_realpath, &req, path), UV_ENAMETOOLONG);
  uv_fs_req_cleanup(&req);
  free(path);
}

/* ---- the table ----------------------------------------------------------- */

int main(void) {
  const struct CMUnitTest tests[] = {
      BOTH(mkdir_rmdir_unlink),
      BOTH(mkdtemp_makes_a_directory),
      BOTH(mkstemp_makes_a_file),
      BOTH(rename_moves),
      BOTH(scandir_sorts_and_skips_dots),
      BOTH(opendir_readdir_closedir),
      BOTH(big_directory),
      BOTH(link_symlink_readlink),
      BOTH(realpath_resolves),
      BOTH(too_long_paths),
  };
  fs_tests_init();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
