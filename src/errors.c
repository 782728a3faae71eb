/* eddy — naming error codes: uv_translate_sys_error, uv_strerror,
 * uv_err_name and their _r forms.
 *
 * The names and messages are those of UV_ERRNO_MAP in <uv.h>, byte for
 * byte libuv's.  A code outside the map gets "Unknown system error <n>",
 * as in libuv; libuv returns that text in a fresh malloc'd string that it
 * never frees, eddy writes it into a small ring of thread-local buffers, so
 * that neither form leaks and a few such strings stay valid at once (e.g.
 * as arguments of one printf). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

struct err_entry {
  int code;
  const char* name;
  const char* message;
};

/* A table rather than a switch: where a platform lacks an errno symbol,
 * uv/errno.h falls back to Linux's number, which may equal another code
 * there; a switch would not compile, the table keeps the first entry. */
static const struct err_entry err_table[] = {
#define UV__ERR_ENTRY(name, msg) {UV_##name, #name, msg},
    UV_ERRNO_MAP(UV__ERR_ENTRY)
#undef UV__ERR_ENTRY
};

static const struct err_entry* err_find(int err) {
  size_t i;
  for (i = 0; i < UV__ARRAY_LEN(err_table); i++)
    if (err_table[i].code == err) return &err_table[i];
  return NULL;
}

#define UNKNOWN_FMT "Unknown system error %d"

/* Room for the longest text, that of INT_MIN.  libuv 1.44 sizes its buffer
 * one byte short and cuts INT_MIN's last digit; eddy does not. */
#define UNKNOWN_LEN sizeof("Unknown system error -2147483648")

/* How many unknown-code strings one thread can hold on to at once. */
#define UNKNOWN_RING 8

static _Thread_local char unknown_ring[UNKNOWN_RING][UNKNOWN_LEN];
static _Thread_local unsigned int unknown_next;

static const char* unknown_text(int err) {
  char* slot = unknown_ring[unknown_next++ % UNKNOWN_RING];
  snprintf(slot, UNKNOWN_LEN, UNKNOWN_FMT, err);
  return slot;
}

/* Copies as much of src as fits, always terminated; buflen > 0. */
static void copy_truncated(char* buf, size_t buflen, const char* src) {
  size_t n = strlen(src);
  if (n >= buflen) n = buflen - 1;
  memcpy(buf, src, n);
  buf[n] = '\0';
}

static char* fill(const char* text, int err, char* buf, size_t buflen) {
  if (buf == NULL) return NULL;
  if (buflen == 0) return buf;
  if (text != NULL)
    copy_truncated(buf, buflen, text);
  else
    snprintf(buf, buflen, UNKNOWN_FMT, err);
  return buf;
}

/* Unix error codes are negated errno values; anything already zero or
 * negative is taken to be a code and passed through. */
UV__EXPORT int uv_translate_sys_error(int sys_errno) {
  return sys_errno <= 0 ? sys_errno : -sys_errno;
}

UV__EXPORT const char* uv_strerror(int err) {
  const struct err_entry* e = err_find(err);
  return e != NULL ? e->message : unknown_text(err);
}

UV__EXPORT char* uv_strerror_r(int err, char* buf, size_t buflen) {
  const struct err_entry* e = err_find(err);
  return fill(e != NULL ? e->message : NULL, err, buf, buflen);
}

UV__EXPORT const char* uv_err_name(int err) {
  const struct err_entry* e = err_find(err);
  return e != NULL ? e->name : unknown_text(err);
}

UV__EXPORT char* uv_err_name_r(int err, char* buf, size_t buflen) {
  const struct err_entry* e = err_find(err);
  return fill(e != NULL ? e->name : NULL, err, buf, buflen);
}
