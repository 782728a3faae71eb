/* eddy — the allocator every allocation of the library goes through, and
 * the library-wide teardown.
 *
 * uv_replace_allocator swaps all four functions at once; the wrappers keep
 * errno intact across a user's free() so that error paths can report the
 * errno of the call that failed. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
  uv_malloc_func malloc_fn;
  uv_realloc_func realloc_fn;
  uv_calloc_func calloc_fn;
  uv_free_func free_fn;
} allocator = {malloc, realloc, calloc, free};

UV__EXPORT int uv_replace_allocator(uv_malloc_func malloc_func,
                                    uv_realloc_func realloc_func,
                                    uv_calloc_func calloc_func,
                                    uv_free_func free_func) {
  if (malloc_func == NULL || realloc_func == NULL || calloc_func == NULL ||
      free_func == NULL)
    return UV_EINVAL;
  allocator.malloc_fn = malloc_func;
  allocator.realloc_fn = realloc_func;
  allocator.calloc_fn = calloc_func;
  allocator.free_fn = free_func;
  return 0;
}

void* uv__malloc(size_t size) {
  if (size == 0) return NULL;
  return allocator.malloc_fn(size);
}

void* uv__calloc(size_t count, size_t size) {
  if (count == 0 || size == 0) return NULL;
  return allocator.calloc_fn(count, size);
}

/* realloc(p, 0) is implementation-defined in C; here it always frees. */
void* uv__realloc(void* ptr, size_t size) {
  if (size == 0) {
    uv__free(ptr);
    return NULL;
  }
  return allocator.realloc_fn(ptr, size);
}

void uv__free(void* ptr) {
  int saved;
  if (ptr == NULL) return;
  saved = errno;
  allocator.free_fn(ptr);
  errno = saved;
}

char* uv__strdup(const char* s) {
  size_t len = strlen(s) + 1;
  char* p = uv__malloc(len);
  if (p != NULL) memcpy(p, s, len);
  return p;
}

_Noreturn void uv__fatal(const char* func, const void* handle,
                         const char* what) {
  fprintf(stderr, "eddy: %s(%p): %s\n", func, handle, what);
  fflush(stderr);
  abort();
}

/* Releases the state that outlives loops (the thread pool's workers; the
 * signal machinery will join them).  Runs once; the library is not to be
 * used afterwards, as libuv documents.
 *
 * Like libuv's, it is also the library's destructor: it runs at exit and
 * when the library is unloaded.  A module that links libuv.so.1 can be
 * dlclose'd with the library still running its workers (Lua closes luv's
 * when its state closes, at exit); their code would be unmapped under
 * them, and the next one to wake would crash. */
__attribute__((destructor)) UV__EXPORT void uv_library_shutdown(void) {
  static int done;
  if (__atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL)) return;
  uv__threadpool_shutdown();
}
