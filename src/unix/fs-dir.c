/* eddy — directories: uv_fs_scandir and uv_fs_scandir_next, and the
 * uv_dir_t calls (opendir, readdir, closedir).
 *
 * scandir reads the whole directory in the worker and sorts it as libuv
 * does (strcmp: by byte value, not by locale), leaving out "." and "..".
 * The names sit back to back in one block and the entries in another, so a
 * listing costs two allocations however long it is.
 *
 * readdir hands out up to nentries names in the caller's uv_dirent_t
 * array, each from uv__malloc, freed by uv_fs_req_cleanup.  When it fails
 * part way it puts the directory's position back, so that no entry is lost
 * to a failed call. */
#include "fs-internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct scan_entry {
  union {
    size_t off;       /* while reading: where the name is in names */
    const char* name; /* once names stops moving */
  } u;
  uv_dirent_type_t type;
};

/* What a scandir request's ptr points to. */
struct scan_list {
  char* names;
  size_t count;
  struct scan_entry entries[];
};

static uv_dirent_type_t dirent_type(const struct dirent* e) {
  switch (e->d_type) {
#ifdef DT_REG
    case DT_REG:
      return UV_DIRENT_FILE;
    case DT_DIR:
      return UV_DIRENT_DIR;
    case DT_LNK:
      return UV_DIRENT_LINK;
    case DT_FIFO:
      return UV_DIRENT_FIFO;
    case DT_SOCK:
      return UV_DIRENT_SOCKET;
    case DT_CHR:
      return UV_DIRENT_CHAR;
    case DT_BLK:
      return UV_DIRENT_BLOCK;
#endif
    default:
      return UV_DIRENT_UNKNOWN; /* the file system does not say */
  }
}

static int is_dot_or_dotdot(const char* name) {
  return name[0] == '.' &&
         (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

/* The next entry but "." and "..", NULL at the end; *err is set when the
 * directory could not be read. */
static struct dirent* next_entry(DIR* d, int* err) {
  struct dirent* e;
  for (;;) {
    errno = 0;
    e = readdir(d);
    if (e == NULL) {
      *err = errno != 0 ? -errno : 0;
      return NULL;
    }
    if (!is_dot_or_dotdot(e->d_name)) return e;
  }
}

static int compare_entries(const void* a, const void* b) {
  return strcmp(((const struct scan_entry*)a)->u.name,
                ((const struct scan_entry*)b)->u.name);
}

ssize_t uv__fs_scandir(const char* path, void** out) {
  struct scan_list* list = NULL;
  struct scan_list* grown;
  struct dirent* e;
  DIR* d;
  char* names = NULL;
  char* more;
  size_t names_len = 0;
  size_t names_cap = 0;
  size_t count = 0;
  size_t cap = 0;
  size_t len;
  size_t i;
  int err = 0;

  d = opendir(path);
  if (d == NULL) return -errno;

  while ((e = next_entry(d, &err)) != NULL) {
    len = strlen(e->d_name) + 1;
    if (names_cap - names_len < len) {
      size_t want = names_cap == 0 ? 1024 : names_cap * 2;
      while (want - names_len < len) want *= 2;
      more = uv__realloc(names, want);
      if (more == NULL) {
        err = UV_ENOMEM;
        break;
      }
      names = more;
      names_cap = want;
    }
    if (count == cap) {
      size_t want = cap == 0 ? 32 : cap * 2;
      grown =
          uv__realloc(list, sizeof(*list) + want * sizeof(list->entries[0]));
      if (grown == NULL) {
        err = UV_ENOMEM;
        break;
      }
      list = grown;
      cap = want;
    }
    memcpy(names + names_len, e->d_name, len);
    list->entries[count].u.off = names_len;
    list->entries[count].type = dirent_type(e);
    names_len += len;
    count++;
  }
  closedir(d);

  if (err != 0 || count == 0) {
    uv__free(names);
    uv__free(list);
    *out = NULL;
    return err;
  }

  for (i = 0; i < count; i++)
    list->entries[i].u.name = names + list->entries[i].u.off;
  qsort(list->entries, count, sizeof(list->entries[0]), compare_entries);
  list->names = names;
  list->count = count;
  *out = list;
  return (ssize_t)count;
}

void uv__fs_scandir_free(void* entries) {
  struct scan_list* list = entries;
  if (list == NULL) return;
  uv__free(list->names);
  uv__free(list);
}

/* The name handed out stays valid until the next call or
 * uv_fs_req_cleanup; at the end the listing is freed, as in libuv. */
UV__EXPORT int uv_fs_scandir_next(uv_fs_t* req, uv_dirent_t* ent) {
  struct scan_list* list;
  struct scan_entry* e;

  if (req == NULL || ent == NULL || req->fs_type != UV_FS_SCANDIR)
    return UV_EINVAL;
  if (req->result < 0) return (int)req->result;
  list = req->ptr;
  if (list == NULL) return UV_EOF;
  if (req->scan_next >= list->count) {
    uv__fs_scandir_free(list);
    req->ptr = NULL;
    return UV_EOF;
  }
  e = &list->entries[req->scan_next++];
  ent->name = e->u.name;
  ent->type = e->type;
  return 0;
}

/* ---- uv_dir_t ------------------------------------------------------------ */

int uv__fs_opendir(const char* path, void** out) {
  uv_dir_t* dir = uv__calloc(1, sizeof(*dir));
  int err;

  if (dir == NULL) return UV_ENOMEM;
  dir->dir = opendir(path);
  if (dir->dir == NULL) {
    err = -errno;
    uv__free(dir);
    return err;
  }
  *out = dir;
  return 0;
}

static void free_names(uv_dirent_t* dirents, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    uv__free((char*)dirents[i].name);
    dirents[i].name = NULL;
  }
}

ssize_t uv__fs_readdir(uv_dir_t* dir) {
  struct dirent* e;
  long start = telldir(dir->dir);
  size_t n = 0;
  char* name;
  int err = 0;

  while (n < dir->nentries && (e = next_entry(dir->dir, &err)) != NULL) {
    name = uv__strdup(e->d_name);
    if (name == NULL) {
      err = UV_ENOMEM;
      break;
    }
    dir->dirents[n].name = name;
    dir->dirents[n].type = dirent_type(e);
    n++;
  }
  if (err != 0) {
    free_names(dir->dirents, n);
    if (start != -1) seekdir(dir->dir, start);
    return err;
  }
  return (ssize_t)n;
}

int uv__fs_closedir(uv_dir_t* dir) {
  if (dir->dir != NULL) closedir(dir->dir);
  uv__free(dir);
  return 0;
}

void uv__fs_readdir_cleanup(uv_fs_t* req) {
  uv_dir_t* dir = req->ptr;
  if (dir == NULL || dir->dirents == NULL || req->result <= 0) return;
  free_names(dir->dirents, (size_t)req->result);
}
