/* eddy fuzz target — uv_inet_pton and uv_inet_ntop (src/inet.c).
 *
 * The first byte picks what the rest is:
 *   even: text for uv_inet_pton, as AF_INET and as AF_INET6;
 *   odd:  the bytes of an address (4 or 16 of them) for uv_inet_ntop.
 * Properties:
 *   - uv_inet_pton accepts exactly what glibc's inet_pton accepts, with the
 *     same bytes (libuv's grammar is the same, dotted quads without leading
 *     zeros included); for AF_INET6 a "%zone" suffix is eddy's (and
 *     libuv's) addition, so glibc sees the text before the '%';
 *   - what pton accepts, ntop prints, and pton (eddy's and glibc's) reads
 *     back to the same bytes;
 *   - ntop prints what glibc prints, except that libuv (and eddy) print
 *     addresses whose first seven groups are zero in hex ("::2" where glibc
 *     says "::0.0.0.2");
 *   - ntop is all or nothing: for every buffer too small it returns
 *     UV_ENOSPC and leaves the buffer as it was. */
#include "fuzz-common.h"

#include <arpa/inet.h>
#include <sys/socket.h>

static int first_seven_zero(const unsigned char* b) {
  int k;
  for (k = 0; k < 14; k++)
    if (b[k] != 0) return 0;
  return 1;
}

static int untouched(const char* buf, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (buf[i] != '#') return 0;
  return 1;
}

static void check_ntop(int af, const unsigned char* bytes) {
  size_t n = af == AF_INET ? 4 : 16;
  char text[64];
  char glibc[INET6_ADDRSTRLEN];
  char small[64];
  unsigned char back[16];
  size_t len;
  size_t size;

  FUZZ_CHECK(uv_inet_ntop(af, bytes, text, sizeof(text)) == 0);
  len = strlen(text);
  FUZZ_CHECK(len > 0 && len <= (af == AF_INET ? 15u : 45u));

  /* Read back by both parsers. */
  memset(back, 0xA5, sizeof(back));
  FUZZ_CHECK(uv_inet_pton(af, text, back) == 0);
  FUZZ_CHECK(memcmp(back, bytes, n) == 0);
  memset(back, 0x5A, sizeof(back));
  FUZZ_CHECK(inet_pton(af, text, back) == 1);
  FUZZ_CHECK(memcmp(back, bytes, n) == 0);

  FUZZ_CHECK(inet_ntop(af, bytes, glibc, sizeof(glibc)) != NULL);
  if (strcmp(text, glibc) != 0) FUZZ_CHECK(af == AF_INET6 && first_seven_zero(bytes));

  /* Every size too small fails whole; the exact size succeeds. */
  for (size = 0; size <= len; size++) {
    memset(small, '#', sizeof(small));
    FUZZ_CHECK(uv_inet_ntop(af, bytes, small, size) == UV_ENOSPC);
    FUZZ_CHECK(untouched(small, sizeof(small)));
  }
  memset(small, '#', sizeof(small));
  FUZZ_CHECK(uv_inet_ntop(af, bytes, small, len + 1) == 0);
  FUZZ_CHECK(strcmp(small, text) == 0);
}

static void check_pton(const char* s) {
  unsigned char mine[16];
  unsigned char theirs[16];
  const char* zone;
  char* prefix;
  int r;

  /* AF_INET: the same grammar as glibc's. */
  memset(mine, 0xA5, sizeof(mine));
  r = uv_inet_pton(AF_INET, s, mine);
  FUZZ_CHECK(r == 0 || r == UV_EINVAL);
  FUZZ_CHECK((r == 0) == (inet_pton(AF_INET, s, theirs) == 1));
  if (r == 0) {
    FUZZ_CHECK(memcmp(mine, theirs, 4) == 0);
    check_ntop(AF_INET, mine);
  } else {
    FUZZ_CHECK(mine[0] == 0xA5 && mine[3] == 0xA5); /* untouched */
  }

  /* AF_INET6: glibc's grammar, plus an ignored "%zone". */
  zone = strchr(s, '%');
  prefix = strndup(s, zone != NULL ? (size_t)(zone - s) : strlen(s));
  FUZZ_CHECK(prefix != NULL);
  memset(mine, 0xA5, sizeof(mine));
  r = uv_inet_pton(AF_INET6, s, mine);
  FUZZ_CHECK(r == 0 || r == UV_EINVAL);
  FUZZ_CHECK((r == 0) == (inet_pton(AF_INET6, prefix, theirs) == 1));
  if (r == 0) {
    FUZZ_CHECK(memcmp(mine, theirs, 16) == 0);
    check_ntop(AF_INET6, mine);
  }
  free(prefix);

  /* Any other family is refused before the text is looked at. */
  FUZZ_CHECK(uv_inet_pton(AF_UNIX, s, mine) == UV_EAFNOSUPPORT);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  unsigned char bytes[16];
  char* s;

  if (size == 0) return 0;
  if ((data[0] & 1) == 0) {
    s = fuzz_cstring(data + 1, size - 1);
    check_pton(s);
    free(s);
    return 0;
  }
  memset(bytes, 0, sizeof(bytes));
  if (size - 1 <= 4) {
    memcpy(bytes, data + 1, size - 1);
    check_ntop(AF_INET, bytes);
  } else {
    memcpy(bytes, data + 1, size - 1 < 16 ? size - 1 : 16);
    check_ntop(AF_INET6, bytes);
  }
  return 0;
}
