/* eddy — UTF-16 and WTF-8: uv_utf16_length_as_wtf8, uv_utf16_to_wtf8,
 * uv_wtf8_length_as_utf16, uv_wtf8_to_utf16.
 *
 * WTF-8 is UTF-8 that may also carry surrogate code points (U+D800 to
 * U+DFFF), so that any sequence of 16-bit units, paired or not, survives a
 * round trip: a high surrogate followed by a low one becomes one 4-byte
 * character, a lone surrogate a 3-byte sequence of its own.  Decoding is
 * strict about everything else: overlong forms, stray continuation bytes,
 * truncated sequences and values past U+10FFFF are invalid (libuv accepts
 * overlong 3- and 4-byte forms; eddy refuses them, so that an encoded NUL
 * or '/' cannot hide in a name).  A pair of surrogates each encoded on its
 * own is accepted, as by libuv: it decodes to the same UTF-16. */
#include "internal.h"

#include <limits.h>
#include <string.h>

static int is_high_surrogate(uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; }

static int is_low_surrogate(uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

/* ---- UTF-16 to WTF-8 ----------------------------------------------------- */

static size_t utf16_units(const uint16_t* s) {
  size_t n = 0;
  while (s[n] != 0) n++;
  return n;
}

/* The code point at s[*i] (a pair counts as one, a lone surrogate is its
 * own value); advances *i past it. */
static uint32_t utf16_next(const uint16_t* s, size_t n, size_t* i) {
  uint32_t u = s[*i];
  (*i)++;
  if (is_high_surrogate(u) && *i < n && is_low_surrogate(s[*i])) {
    u = 0x10000 + ((u - 0xD800) << 10) + (s[*i] - 0xDC00u);
    (*i)++;
  }
  return u;
}

static size_t wtf8_size(uint32_t cp) {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

static void wtf8_put(uint32_t cp, char* out) {
  unsigned char* o = (unsigned char*)out;
  switch (wtf8_size(cp)) {
    case 1:
      o[0] = (unsigned char)cp;
      break;
    case 2:
      o[0] = (unsigned char)(0xC0 | (cp >> 6));
      o[1] = (unsigned char)(0x80 | (cp & 0x3F));
      break;
    case 3:
      o[0] = (unsigned char)(0xE0 | (cp >> 12));
      o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
      o[2] = (unsigned char)(0x80 | (cp & 0x3F));
      break;
    default:
      o[0] = (unsigned char)(0xF0 | (cp >> 18));
      o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
      o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
      o[3] = (unsigned char)(0x80 | (cp & 0x3F));
      break;
  }
}

static size_t wtf8_length(const uint16_t* s, size_t n) {
  size_t i = 0, len = 0;
  while (i < n) len += wtf8_size(utf16_next(s, n, &i));
  return len;
}

/* A negative length means NUL-terminated (libuv takes any negative value,
 * not only -1). */
UV__EXPORT size_t uv_utf16_length_as_wtf8(const uint16_t* utf16,
                                          ssize_t utf16_len) {
  if (utf16 == NULL) return 0;
  return wtf8_length(utf16,
                     utf16_len < 0 ? utf16_units(utf16) : (size_t)utf16_len);
}

/* Into a buffer of the caller's (*wtf8_len_ptr bytes plus one for the
 * terminator), only whole characters are written: a result that does not
 * fit is cut at a character boundary and terminated, and UV_ENOBUFS gives
 * the length it needs.  (libuv may leave half a character before the
 * terminator; what a failed call leaves in the buffer is not an answer.) */
UV__EXPORT int uv_utf16_to_wtf8(const uint16_t* utf16, ssize_t utf16_len,
                                char** wtf8_ptr, size_t* wtf8_len_ptr) {
  size_t n, need, cap, i, at, len;
  uint32_t cp;
  char* out;

  if (utf16 == NULL && utf16_len != 0) return UV_EINVAL;
  n = utf16_len < 0 ? utf16_units(utf16) : (size_t)utf16_len;

  if (wtf8_ptr == NULL || *wtf8_ptr == NULL) {
    need = wtf8_length(utf16, n);
    if (wtf8_len_ptr != NULL) *wtf8_len_ptr = need;
    if (wtf8_ptr == NULL) return 0;
    if (need == SIZE_MAX) return UV_ENOMEM;
    out = uv__malloc(need + 1);
    if (out == NULL) return UV_ENOMEM;
    i = 0;
    at = 0;
    while (i < n) {
      cp = utf16_next(utf16, n, &i);
      wtf8_put(cp, out + at);
      at += wtf8_size(cp);
    }
    out[at] = '\0';
    *wtf8_ptr = out;
    return 0;
  }

  if (wtf8_len_ptr == NULL) return UV_EINVAL;
  out = *wtf8_ptr;
  cap = *wtf8_len_ptr;
  at = 0;
  i = 0;
  while (i < n) {
    size_t before = i;
    cp = utf16_next(utf16, n, &i);
    len = wtf8_size(cp);
    if (len > cap - at) {
      i = before;
      break;
    }
    wtf8_put(cp, out + at);
    at += len;
  }
  out[at] = '\0';
  if (i < n) {
    *wtf8_len_ptr = at + wtf8_length(utf16 + i, n - i);
    return UV_ENOBUFS;
  }
  *wtf8_len_ptr = at;
  return 0;
}

/* ---- WTF-8 to UTF-16 ----------------------------------------------------- */

/* Decodes one character of NUL-terminated WTF-8 at *p and advances *p past
 * it; -1 when the bytes there are not WTF-8.  A NUL is never taken for a
 * continuation byte, so decoding stops at the terminator. */
static int32_t wtf8_next(const unsigned char** p) {
  const unsigned char* s = *p;
  uint32_t cp, min;
  int more, k;

  if (s[0] < 0x80) {
    *p = s + 1;
    return s[0];
  }
  if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    more = 1;
    cp = s[0] & 0x1Fu;
    min = 0x80;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    more = 2;
    cp = s[0] & 0x0Fu;
    min = 0x800;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    more = 3;
    cp = s[0] & 0x07u;
    min = 0x10000;
  } else {
    return -1; /* a continuation byte, C0/C1, or F5 and up */
  }
  for (k = 1; k <= more; k++) {
    if ((s[k] & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (s[k] & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF) return -1;
  *p = s + more + 1;
  return (int32_t)cp;
}

/* Does a low surrogate, encoded on its own, start at p? */
static int low_surrogate_at(const unsigned char* p) {
  int32_t cp = *p != 0 ? wtf8_next(&p) : -1;
  return cp >= 0 && is_low_surrogate((uint32_t)cp);
}

/* Counts the terminator, as libuv documents: the size of the array that
 * uv_wtf8_to_utf16 needs. */
UV__EXPORT ssize_t uv_wtf8_length_as_utf16(const char* wtf8) {
  const unsigned char* p = (const unsigned char*)wtf8;
  size_t units = 1;
  int32_t cp;

  if (wtf8 == NULL) return -1;
  while (*p != 0) {
    cp = wtf8_next(&p);
    if (cp < 0) return -1;
    units += cp > 0xFFFF ? 2 : 1;
  }
  return units > (size_t)SSIZE_MAX ? -1 : (ssize_t)units;
}

/* libuv asserts that the input is valid and the array large enough; here
 * neither is trusted.  At most utf16_len units are written, the last of
 * them the terminator, and conversion stops before the first invalid
 * sequence or the first character that would not fit, so the output is
 * always a terminated prefix of the answer, never half of a pair. */
UV__EXPORT void uv_wtf8_to_utf16(const char* wtf8, uint16_t* utf16,
                                 size_t utf16_len) {
  const unsigned char* p = (const unsigned char*)wtf8;
  size_t at = 0;
  int32_t cp;

  if (utf16 == NULL || utf16_len == 0) return;
  if (wtf8 == NULL) {
    utf16[0] = 0;
    return;
  }
  while (*p != 0) {
    const unsigned char* next = p;
    cp = wtf8_next(&next);
    if (cp < 0) break;
    if (cp > 0xFFFF) {
      if (utf16_len - at < 3) break;
      utf16[at++] = (uint16_t)(0xD800 + ((uint32_t)(cp - 0x10000) >> 10));
      utf16[at++] = (uint16_t)(0xDC00 + ((uint32_t)(cp - 0x10000) & 0x3FF));
    } else if (is_high_surrogate((uint32_t)cp) && low_surrogate_at(next)) {
      /* A pair encoded as two 3-byte sequences is one character, as in its
       * 4-byte form: both halves fit, or neither is written. */
      if (utf16_len - at < 3) break;
      utf16[at++] = (uint16_t)cp;
      utf16[at++] = (uint16_t)wtf8_next(&next);
    } else {
      if (utf16_len - at < 2) break;
      utf16[at++] = (uint16_t)cp;
    }
    p = next;
  }
  utf16[at] = 0;
}
