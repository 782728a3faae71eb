/* eddy fuzz target — the host-name checks of uv_getaddrinfo: the UTF-8 to
 * ASCII (IDNA, Punycode) conversion uv__idna_toascii (src/idna.c) and the
 * length limit uv_getaddrinfo puts on its result
 * (src/unix/getaddrinfo.c).  No lookup is made: this file defines
 * getaddrinfo(3) itself, so the library's call lands here (the
 * executable's definition wins over the C library's) and is only recorded.
 *
 * Input: one byte for the size of the output buffer, then the name (cut at
 * its first NUL, as strlen would).
 * Properties:
 *   - the name is accepted exactly when glibc's UTF-8 decoder (iconv)
 *     accepts it, it is not empty and none of its labels is longer than
 *     256 code points (the longest that could ever fit);
 *   - the result is ASCII, NUL-terminated, its length is what was returned;
 *     it has as many labels as the name; an ASCII label comes through byte
 *     for byte, any other is "xn--" and the Punycode that an independent
 *     decoder (RFC 3492, 6.2, below) turns back into the label's code
 *     points;
 *   - into a smaller buffer (allocated to its exact size, so that ASan sees
 *     a byte written past it) the same result comes out when it fits, and
 *     UV_EINVAL when it does not: never a truncated name;
 *   - uv_getaddrinfo passes the resolver that same result when it has at
 *     most 255 characters, and refuses the name with UV_EINVAL, without any
 *     lookup, otherwise (CVE-2024-24806). */
#include "fuzz-common.h"

#include <iconv.h>
#include <netdb.h>

#include "idna.h"

/* ---- the resolver, replaced ---------------------------------------------- */

static int spy_calls;
static char spy_node[4096];

int getaddrinfo(const char* node, const char* service,
                const struct addrinfo* hints, struct addrinfo** res) {
  (void)service;
  (void)hints;
  spy_calls++;
  FUZZ_CHECK(node != NULL && strlen(node) < sizeof(spy_node));
  strcpy(spy_node, node);
  *res = NULL;
  return EAI_NONAME;
}

/* ---- glibc's decoding of the name ------------------------------------------ */

/* The code points of s[0..len) into cp, or -1 when it is not UTF-8. */
static long glibc_code_points(const char* s, size_t len, uint32_t* cp) {
  static iconv_t cd = (iconv_t)-1;
  char* in = (char*)s;
  size_t inleft = len;
  char* o = (char*)cp;
  size_t oleft = len * sizeof(*cp);

  if (cd == (iconv_t)-1) {
    cd = iconv_open("UTF-32LE", "UTF-8");
    FUZZ_CHECK(cd != (iconv_t)-1);
  }
  iconv(cd, NULL, NULL, NULL, NULL);
  if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) return -1;
  return (long)((len * sizeof(*cp) - oleft) / sizeof(*cp));
}

static int is_separator(uint32_t c) {
  return c == '.' || c == 0x3002 || c == 0xFF0E || c == 0xFF61;
}

/* ---- RFC 3492, 6.2: Punycode decoding -------------------------------------- */

static uint32_t adapt(uint32_t delta, uint32_t numpoints, int first) {
  uint32_t k = 0;
  delta = first ? delta / 700 : delta / 2;
  delta += delta / numpoints;
  while (delta > ((36 - 1) * 26) / 2) {
    delta /= 36 - 1;
    k += 36;
  }
  return k + (36 - 1 + 1) * delta / (delta + 38);
}

static int digit_value(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '0' && c <= '9') return c - '0' + 26;
  return -1;
}

/* Decodes p[0..len) into out; the number of code points, or -1. */
static long puny_decode(const char* p, size_t len, uint32_t* out, size_t max) {
  uint64_t n = 128, i = 0, bias = 72;
  size_t count = 0;
  size_t in = 0;
  size_t b = 0;
  size_t j;

  for (j = 0; j < len; j++)
    if (p[j] == '-') b = j + 1;
  if (b > 0) {
    for (j = 0; j + 1 < b; j++) {
      if (count == max || (unsigned char)p[j] >= 0x80) return -1;
      out[count++] = (unsigned char)p[j];
    }
    in = b;
  }
  while (in < len) {
    uint64_t oldi = i, w = 1, k, t;
    int d;
    for (k = 36;; k += 36) {
      if (in >= len) return -1;
      d = digit_value(p[in++]);
      if (d < 0) return -1;
      i += (uint64_t)d * w;
      if (i > 0xFFFFFFFFu) return -1;
      t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
      if ((uint64_t)d < t) break;
      w *= 36 - t;
    }
    bias = adapt((uint32_t)(i - oldi), (uint32_t)count + 1, oldi == 0);
    n += i / (count + 1);
    i %= count + 1;
    if (count == max || n > 0x10FFFF) return -1;
    memmove(out + i + 1, out + i, (count - i) * sizeof(*out));
    out[i] = (uint32_t)n;
    count++;
    i++;
  }
  return (long)count;
}

/* ---- the checks ------------------------------------------------------------ */

/* The result against the name's code points cp[0..ncp), label by label. */
static void check_labels(const char* res, const uint32_t* cp, size_t ncp) {
  uint32_t* decoded = malloc((ncp + 1) * sizeof(*decoded));
  const char* label = res;
  size_t start = 0;
  size_t end;
  size_t rlen;
  size_t j;
  int ascii;

  FUZZ_CHECK(decoded != NULL);
  for (;;) {
    for (end = start; end < ncp && !is_separator(cp[end]); end++) {}
    ascii = 1;
    for (j = start; j < end; j++)
      if (cp[j] >= 0x80) ascii = 0;
    rlen = strcspn(label, ".");
    if (ascii) {
      FUZZ_CHECK(rlen == end - start);
      for (j = 0; j < rlen; j++) FUZZ_CHECK((unsigned char)label[j] == cp[start + j]);
    } else {
      FUZZ_CHECK(rlen > 4 && memcmp(label, "xn--", 4) == 0);
      FUZZ_CHECK(puny_decode(label + 4, rlen - 4, decoded, ncp) == (long)(end - start));
      FUZZ_CHECK(memcmp(decoded, cp + start, (end - start) * sizeof(*cp)) == 0);
    }
    if (end == ncp) {
      FUZZ_CHECK(label[rlen] == '\0'); /* as many labels as the name */
      break;
    }
    FUZZ_CHECK(label[rlen] == '.');
    label += rlen + 1;
    start = end + 1;
  }
  free(decoded);
}

static int longest_label(const uint32_t* cp, size_t ncp) {
  size_t run = 0, best = 0, j;
  for (j = 0; j < ncp; j++) {
    run = is_separator(cp[j]) ? 0 : run + 1;
    if (run > best) best = run;
  }
  return (int)(best > 1000 ? 1000 : best);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static uv_loop_t loop;
  static int loop_ready;
  uv_getaddrinfo_t req;
  size_t small_size;
  size_t big_size;
  size_t len;
  uint32_t* cp;
  char* big;
  char* small;
  char* name;
  long ncp;
  long r;
  long rs;
  int g;
  size_t j;

  if (size == 0) return 0;
  if (!loop_ready) {
    FUZZ_CHECK(uv_loop_init(&loop) == 0);
    loop_ready = 1;
  }
  small_size = (size_t)data[0] + 1; /* 1 to 256 */
  name = fuzz_cstring(data + 1, size - 1);
  len = strlen(name);

  big_size = 8 * len + 64; /* room for any result */
  big = malloc(big_size);
  cp = malloc((len + 1) * sizeof(*cp));
  FUZZ_CHECK(big != NULL && cp != NULL);

  r = uv__idna_toascii(name, len, big, big_size);
  ncp = glibc_code_points(name, len, cp);
  FUZZ_CHECK((r > 0) ==
             (len > 0 && ncp >= 0 && longest_label(cp, (size_t)ncp) <= UV__IDNA_MAX));
  if (r > 0) {
    FUZZ_CHECK((size_t)r <= big_size && big[r - 1] == '\0');
    FUZZ_CHECK(strlen(big) == (size_t)r - 1);
    for (j = 0; j + 1 < (size_t)r; j++) FUZZ_CHECK((unsigned char)big[j] < 0x80);
    check_labels(big, cp, (size_t)ncp);
  } else {
    FUZZ_CHECK(r == UV_EINVAL);
  }

  /* A smaller buffer: the same answer, or a refusal; never a cut one. */
  small = malloc(small_size);
  FUZZ_CHECK(small != NULL);
  rs = uv__idna_toascii(name, len, small, small_size);
  if (r > 0 && (size_t)r <= small_size) {
    FUZZ_CHECK(rs == r && memcmp(small, big, (size_t)r) == 0);
  } else {
    FUZZ_CHECK(rs == UV_EINVAL);
  }
  free(small);

  /* uv_getaddrinfo: the same name reaches the resolver, or nothing does. */
  spy_calls = 0;
  g = uv_getaddrinfo(&loop, &req, NULL, name, NULL, NULL);
  if (r > 0 && r <= UV__IDNA_MAX) {
    FUZZ_CHECK(g == UV_EAI_NONAME && spy_calls == 1);
    FUZZ_CHECK(strcmp(spy_node, big) == 0);
    FUZZ_CHECK(strlen(spy_node) <= 255);
  } else {
    FUZZ_CHECK(g == UV_EINVAL && spy_calls == 0);
  }

  free(cp);
  free(big);
  free(name);
  return 0;
}
