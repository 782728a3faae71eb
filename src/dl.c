/* eddy — shared libraries: uv_dlopen, uv_dlsym, uv_dlclose, uv_dlerror.
 *
 * Errors are -1, not UV_E* codes (libuv's documented contract), with the
 * message kept in lib->errmsg: a copy of dlerror()'s text, owned by the
 * uv_lib_t, replaced by the next error and freed by uv_dlclose.  A
 * successful call leaves an earlier message in place, as libuv does. */
#include "internal.h"

#include <dlfcn.h>
#include <string.h>

/* What errmsg points at when the message itself could not be copied: not
 * allocated, so never freed. */
static char out_of_memory[] = "out of memory";

static void set_errmsg(uv_lib_t* lib, const char* msg) {
  if (lib->errmsg != out_of_memory) uv__free(lib->errmsg);
  lib->errmsg = NULL;
  if (msg == NULL) return;
  lib->errmsg = uv__strdup(msg);
  if (lib->errmsg == NULL) lib->errmsg = out_of_memory;
}

/* dlerror() is per thread and cleared by reading it; a failed call with no
 * message to give still reports something. */
static int fail(uv_lib_t* lib) {
  const char* msg = dlerror();
  set_errmsg(lib, msg != NULL ? msg : "unknown error");
  return -1;
}

UV__EXPORT int uv_dlopen(const char* filename, uv_lib_t* lib) {
  if (lib == NULL) return UV_EINVAL;
  /* lib is the caller's uninitialised memory: nothing in it to free. */
  lib->errmsg = NULL;
  dlerror();
  /* A NULL filename opens the program itself, as dlopen(3) does. */
  lib->handle = dlopen(filename, RTLD_LAZY);
  return lib->handle != NULL ? 0 : fail(lib);
}

UV__EXPORT void uv_dlclose(uv_lib_t* lib) {
  if (lib == NULL) return;
  set_errmsg(lib, NULL);
  if (lib->handle != NULL) {
    /* An error from dlclose has nowhere to go: the handle is gone either
     * way. */
    dlclose(lib->handle);
    lib->handle = NULL;
  }
}

UV__EXPORT int uv_dlsym(uv_lib_t* lib, const char* name, void** ptr) {
  const char* msg;

  if (lib == NULL || name == NULL || ptr == NULL) return UV_EINVAL;
  /* A symbol's value may be NULL: only dlerror() tells a failure.  After
   * a failed uv_dlopen, handle is NULL, which dlsym takes as RTLD_DEFAULT
   * (the global scope), as it does under libuv. */
  dlerror();
  *ptr = dlsym(lib->handle, name);
  msg = dlerror();
  if (msg == NULL) return 0;
  set_errmsg(lib, msg);
  return -1;
}

UV__EXPORT const char* uv_dlerror(const uv_lib_t* lib) {
  if (lib == NULL || lib->errmsg == NULL) return "no error";
  return lib->errmsg;
}
