/* eddy tests — addresses as text and the network interfaces (src/inet.c).
 *
 * Every expected result, valid or not, is what the system's libuv returns
 * for the same input; the random-input tests hold the parser and the
 * formatter to glibc's inet_pton/inet_ntop, which agree with libuv on every
 * input without a zone.  Buffers are filled with a marker first, so that a
 * call that must not write, or must write only so much, is caught.
 *
 * The file also builds against the system's libuv (without eddy's
 * include/); the [eddy only] tests then skip themselves: eddy refuses a
 * NULL argument and an out-of-range port where libuv crashes or truncates,
 * reads a numeric zone, never cuts the address part of "addr%zone" short,
 * and reports UV_ENOMEM for every failed allocation of
 * uv_interface_addresses. */
#include "test-helpers.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>

#define MARK 0x5a

static int all_marked(const void* p, size_t n) {
  const unsigned char* b = p;
  size_t i;
  for (i = 0; i < n; i++)
    if (b[i] != MARK) return 0;
  return 1;
}

/* ---- uv_inet_pton, AF_INET ----------------------------------------------- */

static void pton4_valid(void** state) {
  static const struct {
    const char* text;
    unsigned char bytes[4];
  } cases[] = {
      {"0.0.0.0", {0, 0, 0, 0}},     {"255.255.255.255", {255, 255, 255, 255}},
      {"127.0.0.1", {127, 0, 0, 1}}, {"100.200.255.10", {100, 200, 255, 10}},
      {"1.2.3.4", {1, 2, 3, 4}},     {"10.0.0.250", {10, 0, 0, 250}},
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(cases); i++) {
    unsigned char out[4];
    memset(out, MARK, sizeof(out));
    assert_int_equal(uv_inet_pton(AF_INET, cases[i].text, out), 0);
    assert_memory_equal(out, cases[i].bytes, 4);
  }
}

static void pton4_invalid(void** state) {
  static const char* const cases[] = {
      "",          "256.0.0.0",  "1.2.3",      "1.2.3.4.5", "01.2.3.4",
      "0.0.0.00",  "1.2.3.04",   "1.2.3.4 ",   " 1.2.3.4",  "1..2.3",
      ".1.2.3",    "1.2.3.",     "1.2.3.4%lo", "0x1.2.3.4", "127.1",
      "1.2.3.-4",  "1.2.3.4\n",  "1.2.3.1000", "::1",       "::ffff:1.2.3.4",
      "1.2.3.4/8", "1.2.3.4:80", "a.b.c.d",    "1,2,3,4",   "255.255.255.256",
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(cases); i++) {
    unsigned char out[4];
    memset(out, MARK, sizeof(out));
    assert_int_equal(uv_inet_pton(AF_INET, cases[i], out), UV_EINVAL);
    assert_true(all_marked(out, sizeof(out)));
  }
}

/* ---- uv_inet_pton, AF_INET6 ---------------------------------------------- */

struct v6_case {
  const char* text;
  uint16_t words[8];
};

static void check_v6(const char* text, const uint16_t words[8]) {
  unsigned char out[16], want[16];
  int k;
  for (k = 0; k < 8; k++) {
    want[2 * k] = (unsigned char)(words[k] >> 8);
    want[2 * k + 1] = (unsigned char)(words[k] & 0xff);
  }
  memset(out, MARK, sizeof(out));
  if (uv_inet_pton(AF_INET6, text, out) != 0) fail_msg("refused \"%s\"", text);
  assert_memory_equal(out, want, 16);
}

static void pton6_valid(void** state) {
  static const struct v6_case cases[] = {
      {"::", {0}},
      {"::1", {0, 0, 0, 0, 0, 0, 0, 1}},
      {"1::", {1, 0, 0, 0, 0, 0, 0, 0}},
      {"1:2:3:4:5:6:7:8", {1, 2, 3, 4, 5, 6, 7, 8}},
      {"1:2:3:4:5:6:7::", {1, 2, 3, 4, 5, 6, 7, 0}},
      {"::2:3:4:5:6:7:8", {0, 2, 3, 4, 5, 6, 7, 8}},
      {"::ffff:1.2.3.4", {0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}},
      {"::1.2.3.4", {0, 0, 0, 0, 0, 0, 0x0102, 0x0304}},
      {"1:2:3:4:5:6:1.2.3.4", {1, 2, 3, 4, 5, 6, 0x0102, 0x0304}},
      {"1:2:3:4:5::1.2.3.4", {1, 2, 3, 4, 5, 0, 0x0102, 0x0304}},
      {"ABCD::EF", {0xabcd, 0, 0, 0, 0, 0, 0, 0xef}},
      {"aBcD:eF01::2345:6789", {0xabcd, 0xef01, 0, 0, 0, 0, 0x2345, 0x6789}},
      {"0001:0002:0003:0004:0005:0006:0007:0008", {1, 2, 3, 4, 5, 6, 7, 8}},
      {"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
       {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}},
      {"::0001", {0, 0, 0, 0, 0, 0, 0, 1}},
      {"0:1::", {0, 1, 0, 0, 0, 0, 0, 0}},
      {"::0:ffff:1.2.3.4", {0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}},
      {"fe80::1", {0xfe80, 0, 0, 0, 0, 0, 0, 1}},
      {"2001:db8::8:800:200c:417a",
       {0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a}},
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(cases); i++)
    check_v6(cases[i].text, cases[i].words);
}

static void pton6_invalid(void** state) {
  static const char* const cases[] = {
      "",
      ":",
      ":::",
      ":1",
      "1:",
      "1.2.3.4",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8:",
      "1:2:3:4:5:6:7:8::",
      "::1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:1.2.3.4",
      "::1:2:3:4:5:6:1.2.3.4",
      "1:2:3:4:5:6::1.2.3.4",
      "1::2:",
      "1:::2",
      "1::2::3",
      "12345::",
      "::00000001",
      "::01.2.3.4",
      "::1.2.3",
      "::256.1.1.1",
      "::1.2.3.4:5",
      "::1.2.3.4.5",
      "::1..2.3",
      "::.1.2.3",
      "::a.2.3.4",
      "::g",
      " ::1",
      "::1 ",
      "%",
      "%lo",
      "[::1]",
      "::1/128",
      "0000:0000:0000:0000:0000:0000:0000:0001x%lo",
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(cases); i++) {
    unsigned char out[16];
    memset(out, MARK, sizeof(out));
    if (uv_inet_pton(AF_INET6, cases[i], out) != UV_EINVAL)
      fail_msg("accepted \"%s\"", cases[i]);
    assert_true(all_marked(out, sizeof(out)));
  }
}

/* A "%zone" suffix is accepted whatever it says, and ignored. */
static void pton6_zone_ignored(void** state) {
  static const struct v6_case cases[] = {
      {"::1%lo", {0, 0, 0, 0, 0, 0, 0, 1}},
      {"::1%", {0, 0, 0, 0, 0, 0, 0, 1}},
      {"1:2:3:4:5:6:7:8%", {1, 2, 3, 4, 5, 6, 7, 8}},
      {"fe80::%", {0xfe80, 0, 0, 0, 0, 0, 0, 0}},
      {"fe80::1%eth0%x", {0xfe80, 0, 0, 0, 0, 0, 0, 1}},
      {"fe80::1%no such interface at all, and a long one too",
       {0xfe80, 0, 0, 0, 0, 0, 0, 1}},
      {"::ffff:1.2.3.4%lo", {0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}},
      {"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%lo",
       {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}},
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(cases); i++)
    check_v6(cases[i].text, cases[i].words);
}

/* A string of any length is refused without being read to its end. */
static void pton_long_input(void** state) {
  static char big[1 << 16];
  unsigned char out[16];
  (void)state;
  memset(big, '1', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  assert_int_equal(uv_inet_pton(AF_INET, big, out), UV_EINVAL);
  assert_int_equal(uv_inet_pton(AF_INET6, big, out), UV_EINVAL);
  memcpy(big, "::1%", 4);
  assert_int_equal(uv_inet_pton(AF_INET6, big, out), 0);
}

static void pton_bad_arguments(void** state) {
  unsigned char out[16];
  (void)state;
  assert_int_equal(uv_inet_pton(AF_INET, NULL, out), UV_EINVAL);
  assert_int_equal(uv_inet_pton(AF_INET6, NULL, out), UV_EINVAL);
  assert_int_equal(uv_inet_pton(AF_INET, "1.2.3.4", NULL), UV_EINVAL);
  assert_int_equal(uv_inet_pton(AF_INET6, "::1", NULL), UV_EINVAL);
  assert_int_equal(uv_inet_pton(AF_UNIX, NULL, out), UV_EINVAL);

  memset(out, MARK, sizeof(out));
  assert_int_equal(uv_inet_pton(AF_UNIX, "1.2.3.4", out), UV_EAFNOSUPPORT);
  assert_int_equal(uv_inet_pton(AF_UNSPEC, "::1", out), UV_EAFNOSUPPORT);
  assert_int_equal(uv_inet_pton(-1, "::1", out), UV_EAFNOSUPPORT);
  assert_int_equal(uv_inet_pton(12345, "::1", out), UV_EAFNOSUPPORT);
  assert_true(all_marked(out, sizeof(out)));
}

/* ---- uv_inet_ntop -------------------------------------------------------- */

/* Writes text through uv_inet_ntop at every buffer size around its length:
 * too small leaves the buffer untouched, big enough writes the text and
 * its NUL and nothing after. */
static void check_ntop(int af, const void* src, const char* want) {
  size_t len = strlen(want);
  size_t size;
  char buf[64];
  for (size = 0; size <= len + 2; size++) {
    int r;
    memset(buf, MARK, sizeof(buf));
    r = uv_inet_ntop(af, src, buf, size);
    if (size <= len) {
      if (r != UV_ENOSPC)
        fail_msg("\"%s\" in %zu bytes: %d, not UV_ENOSPC", want, size, r);
      assert_true(all_marked(buf, sizeof(buf)));
    } else {
      if (r != 0) fail_msg("\"%s\" in %zu bytes: %d", want, size, r);
      assert_string_equal(buf, want);
      assert_true(all_marked(buf + len + 1, sizeof(buf) - len - 1));
    }
  }
}

static void ntop4(void** state) {
  static const struct {
    unsigned char bytes[4];
    const char* text;
  } cases[] = {
      {{0, 0, 0, 0}, "0.0.0.0"},
      {{255, 255, 255, 255}, "255.255.255.255"},
      {{127, 0, 0, 1}, "127.0.0.1"},
      {{10, 100, 9, 200}, "10.100.9.200"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(cases); i++)
    check_ntop(AF_INET, cases[i].bytes, cases[i].text);
}

static void ntop6(void** state) {
  static const struct {
    uint16_t words[8];
    const char* text;
  } cases[] = {
      {{0}, "::"},
      {{0, 0, 0, 0, 0, 0, 0, 1}, "::1"},
      /* the first seven groups zero: hex, not "::0.0.0.2" */
      {{0, 0, 0, 0, 0, 0, 0, 2}, "::2"},
      {{0, 0, 0, 0, 0, 0, 0, 0x100}, "::100"},
      {{1, 0, 0, 0, 0, 0, 0, 0}, "1::"},
      {{0, 1, 0, 0, 0, 0, 0, 0}, "0:1::"},
      {{1, 2, 3, 4, 5, 6, 7, 8}, "1:2:3:4:5:6:7:8"},
      /* a single zero group is not compressed */
      {{1, 2, 3, 4, 5, 6, 7, 0}, "1:2:3:4:5:6:7:0"},
      {{0, 2, 3, 4, 5, 6, 7, 8}, "0:2:3:4:5:6:7:8"},
      /* the longest run wins; of two as long, the first */
      {{1, 0, 0, 1, 0, 0, 0, 1}, "1:0:0:1::1"},
      {{1, 0, 0, 1, 0, 0, 1, 1}, "1::1:0:0:1:1"},
      /* IPv4-compatible and IPv4-mapped */
      {{0, 0, 0, 0, 0, 0, 0x0102, 0x0304}, "::1.2.3.4"},
      {{0, 0, 0, 0, 0, 0, 1, 0}, "::0.1.0.0"},
      {{0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}, "::ffff:1.2.3.4"},
      {{0, 0, 0, 0, 0, 0xffff, 0, 0}, "::ffff:0.0.0.0"},
      {{0, 0, 0, 0, 0, 0xffff, 0xffff, 0xffff}, "::ffff:255.255.255.255"},
      {{0, 0, 0, 0, 0, 0xfffe, 0x0102, 0x0304}, "::fffe:102:304"},
      {{1, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}, "1::ffff:102:304"},
      {{0, 0, 0, 0, 1, 0xffff, 0x0102, 0x0304}, "::1:ffff:102:304"},
      {{0xfe80, 0, 0, 0, 0, 0, 0, 1}, "fe80::1"},
      {{0xabcd, 0xef01, 0, 0, 0, 0, 0x2345, 0x6789}, "abcd:ef01::2345:6789"},
      {{0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff},
       "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
      {{0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a},
       "2001:db8::8:800:200c:417a"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(cases); i++) {
    unsigned char bytes[16];
    int k;
    for (k = 0; k < 8; k++) {
      bytes[2 * k] = (unsigned char)(cases[i].words[k] >> 8);
      bytes[2 * k + 1] = (unsigned char)(cases[i].words[k] & 0xff);
    }
    check_ntop(AF_INET6, bytes, cases[i].text);
  }
}

static void ntop_bad_arguments(void** state) {
  unsigned char addr[16] = {0};
  char buf[64];
  (void)state;
  memset(buf, MARK, sizeof(buf));
  assert_int_equal(uv_inet_ntop(AF_UNIX, addr, buf, sizeof(buf)),
                   UV_EAFNOSUPPORT);
  assert_int_equal(uv_inet_ntop(AF_UNSPEC, addr, buf, sizeof(buf)),
                   UV_EAFNOSUPPORT);
  assert_int_equal(uv_inet_ntop(-1, addr, buf, sizeof(buf)), UV_EAFNOSUPPORT);
  assert_true(all_marked(buf, sizeof(buf)));
  /* no room at all: nothing is written, so no buffer is needed */
  assert_int_equal(uv_inet_ntop(AF_INET, addr, NULL, 0), UV_ENOSPC);
  assert_int_equal(uv_inet_ntop(AF_INET6, addr, NULL, 0), UV_ENOSPC);
}

/* [eddy only] libuv dereferences them. */
static void ntop_null_arguments(void** state) {
  unsigned char addr[16] = {0};
  char buf[64];
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_inet_ntop(AF_INET, NULL, buf, sizeof(buf)), UV_EINVAL);
  assert_int_equal(uv_inet_ntop(AF_INET6, NULL, buf, sizeof(buf)), UV_EINVAL);
  assert_int_equal(uv_inet_ntop(AF_INET, addr, NULL, 64), UV_EINVAL);
  assert_int_equal(uv_inet_ntop(AF_INET6, addr, NULL, 64), UV_EINVAL);
}

/* ---- random input, against glibc ----------------------------------------- */

#if defined(__GLIBC__)
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 16);
}

/* Strings close to addresses: valid ones with a few characters inserted,
 * removed or replaced, or pieces of them strung together. */
static void random_text(char* s, size_t cap) {
  static const char* const seeds[] = {
      "::",
      "::1",
      "1::",
      "1:2:3:4:5:6:7:8",
      "0.0.0.0",
      "::ffff:1.2.3.4",
      "10.0.0.1",
      "1:2:3:4:5:6:1.2.3.4",
      "fe80::a:b",
      "abcd:ef01::2345:6789",
      "255.255.255.255",
  };
  static const char alphabet[] = "0123456789abcdefABCDEFgx:.: ..::0";
  size_t len, at;
  int edits, k;

  if (rng() % 2) {
    char* p = s;
    int pieces = (int)(rng() % 10);
    for (k = 0; k < pieces && (size_t)(p - s) < cap - 12; k++) {
      switch (rng() % 5) {
        case 0:
          p += sprintf(p, ":");
          break;
        case 1:
          p += sprintf(p, "%x", (unsigned)(rng() % 0x1ffff));
          break;
        case 2:
          p += sprintf(p, "%u", (unsigned)(rng() % 300));
          break;
        case 3:
          p += sprintf(p, ".");
          break;
        default:
          p += sprintf(p, "::");
          break;
      }
    }
    *p = '\0';
    return;
  }
  strcpy(s, seeds[rng() % ARRAY_LEN(seeds)]);
  edits = (int)(rng() % 4);
  for (k = 0; k < edits; k++) {
    len = strlen(s);
    at = rng() % (len + 1);
    switch (rng() % 3) {
      case 0:
        if (len + 1 < cap) {
          memmove(s + at + 1, s + at, len - at + 1);
          s[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
        }
        break;
      case 1:
        if (at < len) memmove(s + at, s + at + 1, len - at);
        break;
      default:
        if (at < len) s[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
        break;
    }
  }
}

static void pton_agrees_with_glibc(void** state) {
  char text[128];
  int i, af;
  (void)state;
  for (i = 0; i < 100000; i++) {
    random_text(text, sizeof(text));
    for (af = 0; af < 2; af++) {
      int family = af ? AF_INET6 : AF_INET;
      unsigned char ours[16], theirs[16];
      int r, want;
      memset(ours, MARK, sizeof(ours));
      memset(theirs, MARK, sizeof(theirs));
      r = uv_inet_pton(family, text, ours);
      want = inet_pton(family, text, theirs) == 1 ? 0 : UV_EINVAL;
      if (r != want)
        fail_msg("\"%s\" (%s): %d, glibc %d", text, af ? "AF_INET6" : "AF_INET",
                 r, want);
      if (r == 0) assert_memory_equal(ours, theirs, af ? 16 : 4);
    }
  }
}

static void ntop_agrees_with_glibc(void** state) {
  unsigned char addr[16];
  char ours[64], theirs[64];
  int i, k;
  (void)state;
  for (i = 0; i < 100000; i++) {
    /* mostly zeros, ones and ffff, so that runs and the IPv4 forms come up */
    for (k = 0; k < 8; k++) {
      uint32_t pick = rng() % 8;
      uint32_t v = pick < 4    ? 0
                   : pick == 4 ? 1
                   : pick == 5 ? 0xffff
                               : rng() & 0xffff;
      addr[2 * k] = (unsigned char)(v >> 8);
      addr[2 * k + 1] = (unsigned char)v;
    }
    if (rng() % 4 == 0) memset(addr, 0, 10 + rng() % 4);
    assert_int_equal(uv_inet_ntop(AF_INET6, addr, ours, sizeof(ours)), 0);
    assert_non_null(inet_ntop(AF_INET6, addr, theirs, sizeof(theirs)));
    assert_string_equal(ours, theirs);
    assert_int_equal(uv_inet_ntop(AF_INET, addr, ours, sizeof(ours)), 0);
    assert_non_null(inet_ntop(AF_INET, addr, theirs, sizeof(theirs)));
    assert_string_equal(ours, theirs);
  }
}
#else
static void pton_agrees_with_glibc(void** state) {
  (void)state;
  skip();
}

static void ntop_agrees_with_glibc(void** state) {
  (void)state;
  skip();
}
#endif

/* ---- uv_ip4_addr, uv_ip6_addr -------------------------------------------- */

static void ip4_addr(void** state) {
  struct sockaddr_in sa;
  struct sockaddr_in zero;
  (void)state;
  memset(&zero, 0, sizeof(zero));

  memset(&sa, MARK, sizeof(sa));
  assert_int_equal(uv_ip4_addr("192.168.1.20", 8080, &sa), 0);
  assert_int_equal(sa.sin_family, AF_INET);
  assert_int_equal(sa.sin_port, htons(8080));
  assert_int_equal(sa.sin_addr.s_addr, htonl(0xc0a80114));
  assert_memory_equal(sa.sin_zero, zero.sin_zero, sizeof(sa.sin_zero));

  assert_int_equal(uv_ip4_addr("0.0.0.0", 0, &sa), 0);
  assert_int_equal(sa.sin_port, 0);
  assert_int_equal(sa.sin_addr.s_addr, 0);
  assert_int_equal(uv_ip4_addr("255.255.255.255", 65535, &sa), 0);
  assert_int_equal(sa.sin_port, 0xffff);
  assert_int_equal(sa.sin_addr.s_addr, 0xffffffff);

  /* refused, with the structure cleared */
  memset(&sa, MARK, sizeof(sa));
  assert_int_equal(uv_ip4_addr("1.2.3.4x", 80, &sa), UV_EINVAL);
  assert_int_equal(sa.sin_family, AF_INET);
  assert_int_equal(sa.sin_addr.s_addr, 0);
  assert_int_equal(uv_ip4_addr("::1", 80, &sa), UV_EINVAL);
  assert_int_equal(uv_ip4_addr("", 80, &sa), UV_EINVAL);
}

static void ip6_addr(void** state) {
  struct sockaddr_in6 sa;
  static const unsigned char fe80_1[16] = {0xfe, 0x80, [15] = 1};
  (void)state;

  memset(&sa, MARK, sizeof(sa));
  assert_int_equal(uv_ip6_addr("fe80::1", 443, &sa), 0);
  assert_int_equal(sa.sin6_family, AF_INET6);
  assert_int_equal(sa.sin6_port, htons(443));
  assert_int_equal(sa.sin6_flowinfo, 0);
  assert_int_equal(sa.sin6_scope_id, 0);
  assert_memory_equal(sa.sin6_addr.s6_addr, fe80_1, 16);

  assert_int_equal(uv_ip6_addr("::", 0, &sa), 0);
  assert_int_equal(uv_ip6_addr("::ffff:1.2.3.4", 65535, &sa), 0);
  assert_int_equal(sa.sin6_port, 0xffff);
  assert_int_equal(sa.sin6_addr.s6_addr[15], 4);

  memset(&sa, MARK, sizeof(sa));
  assert_int_equal(uv_ip6_addr("fe80::g", 80, &sa), UV_EINVAL);
  assert_int_equal(sa.sin6_family, AF_INET6);
  assert_int_equal(sa.sin6_scope_id, 0);
  assert_int_equal(uv_ip6_addr("1.2.3.4", 80, &sa), UV_EINVAL);
  assert_int_equal(uv_ip6_addr("", 80, &sa), UV_EINVAL);
  assert_int_equal(uv_ip6_addr("%lo", 80, &sa), UV_EINVAL);
}

/* "%name" becomes the interface's index; a zone that names no interface
 * leaves the scope id at 0 without failing, as in libuv, even one too long
 * to be an interface name (it is never cut down to a shorter name). */
static void ip6_addr_zone(void** state) {
  struct sockaddr_in6 sa;
  unsigned int lo = if_nametoindex("lo");
  char text[64];
  (void)state;
  assert_true(lo > 0);

  assert_int_equal(uv_ip6_addr("fe80::1%lo", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, lo);
  assert_int_equal(sa.sin6_addr.s6_addr[0], 0xfe);
  assert_int_equal(sa.sin6_addr.s6_addr[15], 1);

  assert_int_equal(uv_ip6_addr("::1%lo%lo", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);
  assert_int_equal(uv_ip6_addr("fe80::1%", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);
  assert_int_equal(uv_ip6_addr("fe80::1%no-such-if", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);

  /* names of IF_NAMESIZE characters and more */
  snprintf(text, sizeof(text), "fe80::1%%lo%*s", IF_NAMESIZE - 2, "");
  assert_int_equal(uv_ip6_addr(text, 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);
  assert_int_equal(
      uv_ip6_addr("fe80::1%abcdefghijklmnopqrstuvwxyz0123456789", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);

  /* the zone does not change what the address is */
  assert_int_equal(
      uv_ip6_addr("0001:0002:0003:0004:0005:0006:0007:000%lo", 80, &sa), 0);
  assert_int_equal(sa.sin6_addr.s6_addr[15], 0);
  assert_int_equal(sa.sin6_addr.s6_addr[13], 7);
}

/* [eddy only] RFC 4007's numeric zone: libuv 1.44 on Linux passes "1" to
 * if_nametoindex and gets 0. */
static void ip6_addr_numeric_zone(void** state) {
  struct sockaddr_in6 sa;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_ip6_addr("fe80::1%1", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 1);
  assert_int_equal(uv_ip6_addr("fe80::1%4294967295", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 4294967295u);
  assert_int_equal(uv_ip6_addr("fe80::1%0042", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 42);
  /* too big for a scope id, or not a number: no zone */
  assert_int_equal(uv_ip6_addr("fe80::1%4294967296", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);
  assert_int_equal(uv_ip6_addr("fe80::1%-1", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);
  assert_int_equal(uv_ip6_addr("fe80::1% 1", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);
  assert_int_equal(uv_ip6_addr("fe80::1%1x", 80, &sa), 0);
  assert_int_equal(sa.sin6_scope_id, 0);
}

/* [eddy only] libuv copies the address part of "addr%zone" into 40 bytes,
 * cutting it short: the longest valid addresses are refused, and an
 * invalid one whose first 39 characters are valid is accepted.  eddy
 * parses the address part whole. */
static void ip6_addr_zone_never_truncates(void** state) {
  struct sockaddr_in6 sa;
  static const unsigned char all_ones[16] = {
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  };
  (void)state;
  EDDY_ONLY();
  assert_int_equal(
      uv_ip6_addr("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%lo", 80, &sa),
      0);
  assert_memory_equal(sa.sin6_addr.s6_addr, all_ones, 16);
  assert_int_equal(sa.sin6_scope_id, if_nametoindex("lo"));
  assert_int_equal(
      uv_ip6_addr("0001:0002:0003:0004:0005:0006:0007:0008x%lo", 80, &sa),
      UV_EINVAL);
  assert_int_equal(
      uv_ip6_addr("0001:0002:0003:0004:0005:0006:0007:00080%lo", 80, &sa),
      UV_EINVAL);
}

/* [eddy only] libuv crashes on NULL and stores htons(port) of any int. */
static void ip_addr_bad_arguments(void** state) {
  struct sockaddr_in sa4;
  struct sockaddr_in6 sa6;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_ip4_addr(NULL, 80, &sa4), UV_EINVAL);
  assert_int_equal(uv_ip4_addr("1.2.3.4", 80, NULL), UV_EINVAL);
  assert_int_equal(uv_ip6_addr(NULL, 80, &sa6), UV_EINVAL);
  assert_int_equal(uv_ip6_addr("::1", 80, NULL), UV_EINVAL);

  assert_int_equal(uv_ip4_addr("1.2.3.4", 65536, &sa4), UV_EINVAL);
  assert_int_equal(uv_ip4_addr("1.2.3.4", 65616, &sa4), UV_EINVAL);
  assert_int_equal(uv_ip4_addr("1.2.3.4", -1, &sa4), UV_EINVAL);
  assert_int_equal(sa4.sin_port, 0);
  assert_int_equal(uv_ip6_addr("::1", 70000, &sa6), UV_EINVAL);
  assert_int_equal(uv_ip6_addr("::1", -80, &sa6), UV_EINVAL);
  assert_int_equal(sa6.sin6_port, 0);
}

/* ---- uv_ip4_name, uv_ip6_name, uv_ip_name -------------------------------- */

static void ip_names(void** state) {
  struct sockaddr_in sa4;
  struct sockaddr_in6 sa6;
  char buf[64];
  (void)state;

  assert_int_equal(uv_ip4_addr("10.20.30.40", 1, &sa4), 0);
  memset(buf, MARK, sizeof(buf));
  assert_int_equal(uv_ip4_name(&sa4, buf, sizeof(buf)), 0);
  assert_string_equal(buf, "10.20.30.40");
  memset(buf, MARK, sizeof(buf));
  assert_int_equal(uv_ip_name((const struct sockaddr*)&sa4, buf, sizeof(buf)),
                   0);
  assert_string_equal(buf, "10.20.30.40");
  memset(buf, MARK, sizeof(buf));
  assert_int_equal(uv_ip4_name(&sa4, buf, 11), UV_ENOSPC);
  assert_int_equal(uv_ip_name((const struct sockaddr*)&sa4, buf, 11),
                   UV_ENOSPC);
  assert_true(all_marked(buf, sizeof(buf)));
  assert_int_equal(uv_ip4_name(&sa4, buf, 12), 0);
  assert_string_equal(buf, "10.20.30.40");

  /* the scope id is not part of the name */
  assert_int_equal(uv_ip6_addr("FE80::0:1%lo", 1, &sa6), 0);
  memset(buf, MARK, sizeof(buf));
  assert_int_equal(uv_ip6_name(&sa6, buf, sizeof(buf)), 0);
  assert_string_equal(buf, "fe80::1");
  memset(buf, MARK, sizeof(buf));
  assert_int_equal(uv_ip_name((const struct sockaddr*)&sa6, buf, sizeof(buf)),
                   0);
  assert_string_equal(buf, "fe80::1");
  memset(buf, MARK, sizeof(buf));
  assert_int_equal(uv_ip6_name(&sa6, buf, 7), UV_ENOSPC);
  assert_int_equal(uv_ip_name((const struct sockaddr*)&sa6, buf, 7), UV_ENOSPC);
  assert_true(all_marked(buf, sizeof(buf)));
  assert_int_equal(uv_ip6_name(&sa6, buf, 8), 0);
  assert_string_equal(buf, "fe80::1");
}

static void ip_name_other_families(void** state) {
  struct sockaddr_storage ss;
  char buf[64];
  (void)state;
  memset(&ss, 0, sizeof(ss));
  memset(buf, MARK, sizeof(buf));
  ss.ss_family = AF_UNIX;
  assert_int_equal(uv_ip_name((const struct sockaddr*)&ss, buf, sizeof(buf)),
                   UV_EAFNOSUPPORT);
  ss.ss_family = AF_UNSPEC;
  assert_int_equal(uv_ip_name((const struct sockaddr*)&ss, buf, sizeof(buf)),
                   UV_EAFNOSUPPORT);
  ss.ss_family = AF_PACKET;
  assert_int_equal(uv_ip_name((const struct sockaddr*)&ss, buf, sizeof(buf)),
                   UV_EAFNOSUPPORT);
  assert_true(all_marked(buf, sizeof(buf)));
}

/* [eddy only] libuv dereferences it. */
static void ip_name_null(void** state) {
  char buf[64];
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_ip_name(NULL, buf, sizeof(buf)), UV_EINVAL);
  assert_int_equal(uv_ip4_name(NULL, buf, sizeof(buf)), UV_EINVAL);
  assert_int_equal(uv_ip6_name(NULL, buf, sizeof(buf)), UV_EINVAL);
}

/* ---- uv_if_indextoname, uv_if_indextoiid --------------------------------- */

typedef int (*indextoname_fn)(unsigned int, char*, size_t*);

/* The UV_ENOBUFS protocol: too small a buffer is left alone and *size
 * becomes the size needed, NUL included; on success *size is the length. */
static void check_indextoname(indextoname_fn fn) {
  unsigned int lo = if_nametoindex("lo");
  char buf[UV_IF_NAMESIZE + 8];
  size_t size;
  size_t n;
  assert_true(lo > 0);

  for (n = 1; n <= 2; n++) {
    memset(buf, MARK, sizeof(buf));
    size = n;
    assert_int_equal(fn(lo, buf, &size), UV_ENOBUFS);
    assert_int_equal(size, 3);
    assert_true(all_marked(buf, sizeof(buf)));
  }
  for (n = 3; n <= 4; n++) {
    memset(buf, MARK, sizeof(buf));
    size = n;
    assert_int_equal(fn(lo, buf, &size), 0);
    assert_int_equal(size, 2);
    assert_string_equal(buf, "lo");
    assert_true(all_marked(buf + 3, sizeof(buf) - 3));
  }
  size = UV_IF_NAMESIZE;
  assert_int_equal(fn(lo, buf, &size), 0);
  assert_string_equal(buf, "lo");

  size = 0;
  assert_int_equal(fn(lo, buf, &size), UV_EINVAL);
  assert_int_equal(size, 0);
  size = sizeof(buf);
  assert_int_equal(fn(lo, NULL, &size), UV_EINVAL);
  assert_int_equal(fn(lo, buf, NULL), UV_EINVAL);

  /* no such interface */
  size = sizeof(buf);
  assert_int_equal(fn(0, buf, &size), UV_ENXIO);
  assert_int_equal(size, sizeof(buf));
  assert_int_equal(fn(0x7fffffff, buf, &size), UV_ENXIO);
}

static void if_indextoname_lo(void** state) {
  (void)state;
  check_indextoname(uv_if_indextoname);
}

static void if_indextoiid_lo(void** state) {
  (void)state;
  check_indextoname(uv_if_indextoiid);
}

/* ---- uv_interface_addresses ---------------------------------------------- */

static void interface_addresses(void** state) {
  uv_interface_address_t* list;
  int count, i, found_lo = 0;
  (void)state;

  assert_int_equal(uv_interface_addresses(&list, &count), 0);
  assert_true(count > 0);
  assert_non_null(list);
  for (i = 0; i < count; i++) {
    const uv_interface_address_t* a = &list[i];
    int family = a->address.address4.sin_family;
    assert_non_null(a->name);
    assert_true(family == AF_INET || family == AF_INET6);
    if (family == AF_INET && strcmp(a->name, "lo") == 0 &&
        a->address.address4.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
      static const char no_phys[6] = {0};
      found_lo = 1;
      assert_int_equal(a->is_internal, 1);
      assert_int_equal(a->netmask.netmask4.sin_family, AF_INET);
      assert_int_equal(a->netmask.netmask4.sin_addr.s_addr, htonl(0xff000000));
      assert_memory_equal(a->phys_addr, no_phys, 6);
    }
    if (strcmp(a->name, "lo") == 0) assert_int_equal(a->is_internal, 1);
  }
  assert_true(found_lo);
  uv_free_interface_addresses(list, count);
  uv_free_interface_addresses(NULL, 0);
}

/* The first allocation (the array) fails: UV_ENOMEM and nothing left.
 * libuv leaves *count at the number of entries it found; eddy sets it to 0
 * with *addresses, so that freeing what came back is always safe. */
static void interface_addresses_no_memory(void** state) {
  static uv_interface_address_t dummy;
  uv_interface_address_t* list = &dummy;
  int count = -1;
  (void)state;
  test_alloc_install(1);
  assert_int_equal(uv_interface_addresses(&list, &count), UV_ENOMEM);
  assert_int_equal(test_alloc.failures, 1);
  assert_int_equal(test_alloc.live, 0);
  test_alloc_restore();
  assert_null(list);
  if (TEST_ON_EDDY) assert_int_equal(count, 0);
}

/* [eddy only] Every allocation failing in turn, the names included:
 * UV_ENOMEM each time and no leak.  libuv 1.44 does not check the copies
 * of the names and returns entries without one. */
static void interface_addresses_each_allocation_fails(void** state) {
  long n;
  (void)state;
  EDDY_ONLY();
  for (n = 1;; n++) {
    static uv_interface_address_t dummy;
    uv_interface_address_t* list = &dummy;
    int count = -1;
    int r;
    assert_true(n < 10000);
    test_alloc_install(n);
    r = uv_interface_addresses(&list, &count);
    if (test_alloc.failures == 0) {
      /* every allocation of the call succeeded: the end */
      assert_int_equal(r, 0);
      assert_true(count > 0);
      assert_int_equal(test_alloc.calls, count + 1);
      uv_free_interface_addresses(list, count);
      assert_int_equal(test_alloc.live, 0);
      test_alloc_restore();
      break;
    }
    assert_int_equal(r, UV_ENOMEM);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_restore();
    assert_null(list);
    assert_int_equal(count, 0);
  }
  assert_true(n > 2);
}

/* [eddy only] libuv dereferences them. */
static void interface_addresses_null(void** state) {
  uv_interface_address_t* list;
  int count;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_interface_addresses(NULL, &count), UV_EINVAL);
  assert_int_equal(uv_interface_addresses(&list, NULL), UV_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pton4_valid),
      cmocka_unit_test(pton4_invalid),
      cmocka_unit_test(pton6_valid),
      cmocka_unit_test(pton6_invalid),
      cmocka_unit_test(pton6_zone_ignored),
      cmocka_unit_test(pton_long_input),
      cmocka_unit_test(pton_bad_arguments),
      cmocka_unit_test(ntop4),
      cmocka_unit_test(ntop6),
      cmocka_unit_test(ntop_bad_arguments),
      cmocka_unit_test(ntop_null_arguments),
      cmocka_unit_test(pton_agrees_with_glibc),
      cmocka_unit_test(ntop_agrees_with_glibc),
      cmocka_unit_test(ip4_addr),
      cmocka_unit_test(ip6_addr),
      cmocka_unit_test(ip6_addr_zone),
      cmocka_unit_test(ip6_addr_numeric_zone),
      cmocka_unit_test(ip6_addr_zone_never_truncates),
      cmocka_unit_test(ip_addr_bad_arguments),
      cmocka_unit_test(ip_names),
      cmocka_unit_test(ip_name_other_families),
      cmocka_unit_test(ip_name_null),
      cmocka_unit_test(if_indextoname_lo),
      cmocka_unit_test(if_indextoiid_lo),
      cmocka_unit_test(interface_addresses),
      cmocka_unit_test(interface_addresses_no_memory),
      cmocka_unit_test(interface_addresses_each_allocation_fails),
      cmocka_unit_test(interface_addresses_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
