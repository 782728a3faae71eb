/* eddy fuzz target — the WTF-8 / UTF-16 conversions (src/wtf8.c):
 * uv_utf16_length_as_wtf8, uv_utf16_to_wtf8, uv_wtf8_length_as_utf16,
 * uv_wtf8_to_utf16.
 *
 * The first byte picks what the rest is:
 *   even: UTF-16 units (little-endian pairs of bytes), any of them, lone
 *         surrogates included;
 *   odd:  a NUL-terminated byte string taken as WTF-8.
 * Properties:
 *   - UTF-16 -> WTF-8 -> UTF-16 gives back every unit (WTF-8 exists for
 *     that), and the lengths announced are the lengths produced;
 *   - WTF-8 is valid exactly when glibc's UTF-8 decoder (iconv) accepts it,
 *     for text without encoded surrogates (which UTF-8 forbids and WTF-8
 *     allows), and decodes to the same UTF-16;
 *   - valid WTF-8 -> UTF-16 -> WTF-8 gives back the same bytes, except that
 *     a high and a low surrogate encoded separately come back as the one
 *     4-byte character they form;
 *   - into a buffer too small, both directions write a terminated prefix of
 *     the answer made of whole characters, as long as fits, and never a
 *     byte past the buffer (each buffer is allocated to its exact size). */
#include "fuzz-common.h"

#include <iconv.h>

/* ---- helpers ------------------------------------------------------------- */

static int is_high(uint16_t u) { return u >= 0xD800 && u <= 0xDBFF; }
static int is_low(uint16_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

/* Does the WTF-8 text encode a surrogate (ED A0..BF xx)? */
static int has_surrogate(const unsigned char* s) {
  for (; *s != 0; s++)
    if (s[0] == 0xED && s[1] >= 0xA0 && s[1] <= 0xBF) return 1;
  return 0;
}

/* glibc's answer: the UTF-16 of s into out (units, no terminator), or -1
 * when s is not UTF-8. */
static long glibc_utf16(const char* s, uint16_t* out, size_t max_units) {
  static iconv_t cd = (iconv_t)-1;
  char* in = (char*)s;
  size_t inleft = strlen(s);
  char* o = (char*)out;
  size_t oleft = max_units * 2;

  if (cd == (iconv_t)-1) {
    cd = iconv_open("UTF-16LE", "UTF-8");
    FUZZ_CHECK(cd != (iconv_t)-1);
  }
  iconv(cd, NULL, NULL, NULL, NULL);
  if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) return -1;
  return (long)((max_units * 2 - oleft) / 2);
}

/* ---- UTF-16 first -------------------------------------------------------- */

/* buf (cap bytes of room plus one for the terminator) against the whole
 * answer w (len bytes, no NUL inside). */
static void check_wtf8_prefix(const char* buf, size_t cap, const char* w,
                              size_t len) {
  size_t at = strlen(buf);
  FUZZ_CHECK(at <= cap && at < len);
  FUZZ_CHECK(memcmp(buf, w, at) == 0);
  /* Cut at a character boundary, and only because the next one (at most 4
   * bytes) did not fit. */
  FUZZ_CHECK(((unsigned char)w[at] & 0xC0) != 0x80);
  FUZZ_CHECK(at + 4 > cap);
}

static void check_utf16(const uint16_t* u, size_t n) {
  size_t len = uv_utf16_length_as_wtf8(u, (ssize_t)n);
  size_t nz = 0;
  char* w = NULL;
  size_t wlen = 12345;
  uint16_t* back;
  ssize_t units;
  size_t caps[8];
  size_t k;

  while (nz < n && u[nz] != 0) nz++;

  FUZZ_CHECK(uv_utf16_to_wtf8(u, (ssize_t)n, &w, &wlen) == 0);
  FUZZ_CHECK(w != NULL && wlen == len && w[len] == '\0');
  FUZZ_CHECK(len >= n && len <= 3 * n);
  /* Only the length, without a buffer. */
  wlen = 0;
  FUZZ_CHECK(uv_utf16_to_wtf8(u, (ssize_t)n, NULL, &wlen) == 0 && wlen == len);

  /* Back to UTF-16: up to the first NUL unit, which ends the WTF-8. */
  units = uv_wtf8_length_as_utf16(w);
  FUZZ_CHECK(units == (ssize_t)nz + 1);
  back = malloc((nz + 1) * sizeof(*back));
  FUZZ_CHECK(back != NULL);
  uv_wtf8_to_utf16(w, back, nz + 1);
  FUZZ_CHECK(memcmp(back, u, nz * sizeof(*u)) == 0 && back[nz] == 0);
  free(back);

  if (nz < n) {
    /* A negative length means up to the NUL. */
    FUZZ_CHECK(uv_utf16_length_as_wtf8(u, -1) == strlen(w));
    free(w);
    return;
  }

  /* Fixed buffers, too small and large enough. */
  caps[0] = 0;
  caps[1] = 1;
  caps[2] = 3;
  caps[3] = len > 0 ? len - 1 : 0;
  caps[4] = len;
  caps[5] = len + 1;
  caps[6] = len / 2;
  caps[7] = len > 4 ? len - 4 : 2;
  for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
    size_t cap = caps[k];
    char* buf = malloc(cap + 1);
    size_t got = cap;
    int r;
    FUZZ_CHECK(buf != NULL);
    r = uv_utf16_to_wtf8(u, (ssize_t)n, &buf, &got);
    if (cap >= len) {
      FUZZ_CHECK(r == 0 && got == len && strcmp(buf, w) == 0);
    } else {
      FUZZ_CHECK(r == UV_ENOBUFS && got == len);
      check_wtf8_prefix(buf, cap, w, len);
    }
    free(buf);
  }
  free(w);
}

/* ---- WTF-8 first --------------------------------------------------------- */

/* Is the UTF-16 prefix u[0..k) cut between the halves of a pair? */
static int splits_pair(const uint16_t* u, size_t k) {
  return k > 0 && is_high(u[k - 1]) && is_low(u[k]);
}

static void check_wtf8(const char* s) {
  ssize_t units = uv_wtf8_length_as_utf16(s);
  uint16_t* u;
  uint16_t* theirs;
  char* w = NULL;
  size_t wlen;
  long glibc;
  size_t cap;
  size_t k;

  /* glibc's opinion, where UTF-8 and WTF-8 agree. */
  if (!has_surrogate((const unsigned char*)s)) {
    theirs = malloc((strlen(s) + 1) * sizeof(*theirs));
    FUZZ_CHECK(theirs != NULL);
    glibc = glibc_utf16(s, theirs, strlen(s) + 1);
    FUZZ_CHECK((units >= 1) == (glibc >= 0));
    if (units >= 1) {
      FUZZ_CHECK(glibc == (long)units - 1);
      u = malloc((size_t)units * sizeof(*u));
      FUZZ_CHECK(u != NULL);
      uv_wtf8_to_utf16(s, u, (size_t)units);
      FUZZ_CHECK(memcmp(u, theirs, (size_t)glibc * sizeof(*u)) == 0);
      free(u);
    }
    free(theirs);
  }

  if (units < 1) {
    FUZZ_CHECK(units == -1);
    /* Invalid: what comes out is a terminated, valid prefix, which
     * re-encodes to a prefix of the input (surrogates aside). */
    cap = strlen(s) + 1;
    u = malloc(cap * sizeof(*u));
    FUZZ_CHECK(u != NULL);
    uv_wtf8_to_utf16(s, u, cap);
    for (k = 0; k < cap && u[k] != 0; k++) {}
    FUZZ_CHECK(k < cap);
    FUZZ_CHECK(uv_utf16_to_wtf8(u, (ssize_t)k, &w, &wlen) == 0);
    if (!has_surrogate((const unsigned char*)s))
      FUZZ_CHECK(wlen < strlen(s) && memcmp(w, s, wlen) == 0);
    free(w);
    free(u);
    return;
  }

  u = malloc((size_t)units * sizeof(*u));
  FUZZ_CHECK(u != NULL);
  uv_wtf8_to_utf16(s, u, (size_t)units);
  FUZZ_CHECK(u[units - 1] == 0);
  for (k = 0; k + 1 < (size_t)units; k++) FUZZ_CHECK(u[k] != 0);

  /* And back to WTF-8. */
  FUZZ_CHECK(uv_utf16_to_wtf8(u, -1, &w, &wlen) == 0);
  if (strcmp(w, s) != 0) {
    /* Only a separately encoded pair may change, into fewer bytes, and it
     * still decodes to the same units. */
    uint16_t* again = malloc((size_t)units * sizeof(*again));
    FUZZ_CHECK(again != NULL);
    FUZZ_CHECK(has_surrogate((const unsigned char*)s));
    FUZZ_CHECK(wlen < strlen(s));
    FUZZ_CHECK(uv_wtf8_length_as_utf16(w) == units);
    uv_wtf8_to_utf16(w, again, (size_t)units);
    FUZZ_CHECK(memcmp(again, u, (size_t)units * sizeof(*u)) == 0);
    free(again);
  }
  free(w);

  /* Arrays too small: a terminated prefix of whole characters. */
  for (cap = 1; cap < (size_t)units && cap <= 8; cap++) {
    uint16_t* small = malloc(cap * sizeof(*small));
    FUZZ_CHECK(small != NULL);
    uv_wtf8_to_utf16(s, small, cap);
    for (k = 0; k < cap && small[k] != 0; k++) {}
    FUZZ_CHECK(k < cap);                      /* terminated inside */
    FUZZ_CHECK(k + 2 >= cap);                 /* as much as fits */
    FUZZ_CHECK(memcmp(small, u, k * sizeof(*u)) == 0);
    FUZZ_CHECK(!splits_pair(u, k));
    free(small);
  }
  free(u);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint16_t* u;
  size_t n;
  size_t i;
  char* s;

  if (size == 0) return 0;
  if ((data[0] & 1) == 0) {
    n = (size - 1) / 2;
    u = malloc((n + 1) * sizeof(*u));
    FUZZ_CHECK(u != NULL);
    for (i = 0; i < n; i++)
      u[i] = (uint16_t)(data[1 + 2 * i] | data[2 + 2 * i] << 8);
    u[n] = 0; /* for the negative-length form only */
    check_utf16(u, n);
    free(u);
    return 0;
  }
  s = fuzz_cstring(data + 1, size - 1);
  check_wtf8(s);
  free(s);
  return 0;
}
