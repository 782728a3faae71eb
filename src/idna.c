/* eddy — internationalised host names: the UTF-8 to ASCII conversion that
 * uv_getaddrinfo applies to its node (the resolver only takes ASCII).
 *
 * The rules are libuv's, observed on its uv_getaddrinfo: a label made of
 * ASCII only is passed on byte for byte (no case folding, no check of its
 * characters or length); any other label becomes "xn--" followed by its
 * Punycode (RFC 3492), again without case folding or other normalisation.
 * The ideographic full stops U+3002, U+FF0E and U+FF61 separate labels like
 * '.', and are written as '.'.  UTF-8 is decoded strictly: overlong forms,
 * surrogates, values past U+10FFFF, stray or missing continuation bytes are
 * refused, as is an empty name.  (libuv's decoder lets some malformed
 * sequences through and converts what it made of them; a name that is not
 * UTF-8 has no meaningful ASCII form, so eddy refuses it.)  A result that
 * does not fit the caller's buffer is refused too, whatever its length:
 * never truncated. */
#include "internal.h"
#include "idna.h"

#include <stdint.h>

/* RFC 3492, section 5: the parameters of Punycode. */
enum {
  PUNY_BASE = 36,
  PUNY_TMIN = 1,
  PUNY_TMAX = 26,
  PUNY_SKEW = 38,
  PUNY_DAMP = 700,
  PUNY_INITIAL_BIAS = 72,
  PUNY_INITIAL_N = 0x80,
};

/* A label longer than this cannot fit the output anyway (each code point
 * yields at least one character), so it bounds the decoded label. */
#define LABEL_MAX UV__IDNA_MAX

/* Decodes one code point from s[*i..len), strictly; advances *i.
 * Returns the code point, or -1 for an invalid sequence. */
static int32_t utf8_next(const unsigned char* s, size_t len, size_t* i) {
  unsigned char c = s[*i];
  uint32_t cp;
  uint32_t min;
  size_t n;
  size_t k;

  if (c < 0x80) {
    (*i)++;
    return c;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
    cp = c & 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    cp = c & 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    cp = c & 0x07;
    min = 0x10000;
  } else {
    return -1; /* a continuation byte, C0/C1 (always overlong), F5..FF */
  }
  if (len - *i <= n) return -1;
  for (k = 1; k <= n; k++) {
    c = s[*i + k];
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  *i += n + 1;
  return (int32_t)cp;
}

static int is_separator(int32_t cp) {
  return cp == '.' || cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61;
}

/* Appends one character, keeping room for the terminating NUL. */
static int put(char* out, size_t outsize, size_t* pos, char c) {
  if (*pos + 1 >= outsize) return UV_EINVAL;
  out[(*pos)++] = c;
  return 0;
}

static char puny_digit(uint32_t d) {
  return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

/* RFC 3492, section 6.1. */
static uint32_t puny_adapt(uint32_t delta, uint32_t numpoints, int first) {
  uint32_t k = 0;

  delta = first ? delta / PUNY_DAMP : delta / 2;
  delta += delta / numpoints;
  while (delta > ((PUNY_BASE - PUNY_TMIN) * PUNY_TMAX) / 2) {
    delta /= PUNY_BASE - PUNY_TMIN;
    k += PUNY_BASE;
  }
  return k + (PUNY_BASE - PUNY_TMIN + 1) * delta / (delta + PUNY_SKEW);
}

/* RFC 3492, section 6.3: the Punycode of cp[0..n), after "xn--".  n is at
 * most LABEL_MAX, so delta stays far below 2^32 (it is at most
 * 0x10FFFF * (n + 1) plus n * n); it is kept in 64 bits all the same. */
static int puny_encode(const int32_t* cp, size_t n, char* out, size_t outsize,
                       size_t* pos) {
  uint32_t next = PUNY_INITIAL_N;
  uint32_t bias = PUNY_INITIAL_BIAS;
  uint64_t delta = 0;
  uint32_t h;
  uint32_t b = 0;
  uint32_t m;
  uint64_t q;
  uint32_t k;
  uint32_t t;
  size_t j;
  int err;

  for (j = 0; j < n; j++) {
    if (cp[j] < 0x80) {
      if ((err = put(out, outsize, pos, (char)cp[j])) != 0) return err;
      b++;
    }
  }
  if (b > 0 && (err = put(out, outsize, pos, '-')) != 0) return err;

  for (h = b; h < n;) {
    m = UINT32_MAX;
    for (j = 0; j < n; j++)
      if ((uint32_t)cp[j] >= next && (uint32_t)cp[j] < m) m = (uint32_t)cp[j];
    delta += (uint64_t)(m - next) * (h + 1);
    next = m;
    for (j = 0; j < n; j++) {
      if ((uint32_t)cp[j] < next) delta++;
      if ((uint32_t)cp[j] != next) continue;
      q = delta;
      for (k = PUNY_BASE;; k += PUNY_BASE) {
        t = k <= bias ? PUNY_TMIN : k >= bias + PUNY_TMAX ? PUNY_TMAX : k - bias;
        if (q < t) break;
        err = put(out, outsize, pos,
                  puny_digit((uint32_t)(t + (q - t) % (PUNY_BASE - t))));
        if (err != 0) return err;
        q = (q - t) / (PUNY_BASE - t);
      }
      if ((err = put(out, outsize, pos, puny_digit((uint32_t)q))) != 0)
        return err;
      bias = puny_adapt((uint32_t)delta, h + 1, h == b);
      delta = 0;
      h++;
    }
    delta++;
    next++;
  }
  return 0;
}

long uv__idna_toascii(const char* s, size_t len, char* out, size_t outsize) {
  const unsigned char* u = (const unsigned char*)s;
  int32_t cp[LABEL_MAX];
  size_t pos = 0;
  size_t i = 0;
  size_t n;
  size_t j;
  int32_t c;
  int ascii;
  int more;
  int err;

  if (len == 0 || outsize == 0) return UV_EINVAL;
  do {
    /* One label: its code points up to a separator or the end. */
    n = 0;
    ascii = 1;
    more = 0;
    while (i < len) {
      c = utf8_next(u, len, &i);
      if (c < 0) return UV_EINVAL;
      if (is_separator(c)) {
        more = 1;
        break;
      }
      if (n == LABEL_MAX) return UV_EINVAL; /* cannot fit */
      cp[n++] = c;
      if (c >= 0x80) ascii = 0;
    }

    if (ascii) {
      for (j = 0; j < n; j++)
        if ((err = put(out, outsize, &pos, (char)cp[j])) != 0) return err;
    } else {
      for (j = 0; j < 4; j++)
        if ((err = put(out, outsize, &pos, "xn--"[j])) != 0) return err;
      if ((err = puny_encode(cp, n, out, outsize, &pos)) != 0) return err;
    }
    if (more && (err = put(out, outsize, &pos, '.')) != 0) return err;
  } while (more);

  out[pos] = '\0';
  return (long)pos + 1;
}
