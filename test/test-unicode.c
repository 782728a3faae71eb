/* eddy tests — UTF-16 and WTF-8 (src/wtf8.c).
 *
 * Expected bytes are written out by hand from the encoding rules; round
 * trips over pseudo-random 16-bit sequences (surrogates, lone and paired,
 * included) check that nothing is lost either way.
 *
 * The functions arrived in libuv 1.47: built against an older system
 * libuv the file runs no test.  The [eddy only] tests cover what libuv
 * leaves undefined or does differently on purpose: overlong forms are
 * invalid WTF-8 here (libuv accepts 3- and 4-byte ones), a result cut by a
 * small buffer ends on a character boundary, uv_wtf8_to_utf16 never
 * writes past utf16_len, and NULL arguments are refused. */
#include "test-helpers.h"

#include <stdio.h>

#if UV_VERSION_HEX >= 0x012F00 /* 1.47 */

static int teardown_allocator(void** state) {
  (void)state;
  test_alloc_restore();
  return 0;
}

/* Converts n units (or up to the NUL when n < 0) and checks the bytes and
 * the length, through every way of calling uv_utf16_to_wtf8. */
static void check_to_wtf8(const uint16_t* in, ssize_t n, const char* want,
                          size_t want_len) {
  char buf[64];
  char* out = NULL;
  char* p;
  size_t len;

  assert_int_equal(uv_utf16_length_as_wtf8(in, n), want_len);

  len = 12345;
  assert_int_equal(uv_utf16_to_wtf8(in, n, NULL, &len), 0);
  assert_int_equal(len, want_len);

  len = 0;
  assert_int_equal(uv_utf16_to_wtf8(in, n, &out, &len), 0);
  assert_non_null(out);
  assert_int_equal(len, want_len);
  assert_memory_equal(out, want, want_len);
  assert_int_equal(out[want_len], '\0');
  free(out);

  assert_true(want_len < sizeof(buf));
  memset(buf, 'Z', sizeof(buf));
  p = buf;
  len = want_len;
  assert_int_equal(uv_utf16_to_wtf8(in, n, &p, &len), 0);
  assert_ptr_equal(p, buf);
  assert_int_equal(len, want_len);
  assert_memory_equal(buf, want, want_len);
  assert_int_equal(buf[want_len], '\0');
  assert_int_equal(buf[want_len + 1], 'Z');
}

static void ascii(void** state) {
  static const uint16_t in[] = {'e', 'd', 'd', 'y', 0};
  (void)state;
  check_to_wtf8(in, -1, "eddy", 4);
  check_to_wtf8(in, 4, "eddy", 4);
  check_to_wtf8(in, 2, "ed", 2);
  check_to_wtf8(in, 0, "", 0);
  check_to_wtf8(in + 4, -1, "", 0);
}

static void two_three_and_four_bytes(void** state) {
  /* U+00E9 U+07FF U+0800 U+20AC U+FFFF U+1F600 U+10FFFF */
  static const uint16_t in[] = {0x00E9, 0x07FF, 0x0800, 0x20AC, 0xFFFF,
                                0xD83D, 0xDE00, 0xDBFF, 0xDFFF, 0};
  static const char want[] =
      "\xC3\xA9"
      "\xDF\xBF"
      "\xE0\xA0\x80"
      "\xE2\x82\xAC"
      "\xEF\xBF\xBF"
      "\xF0\x9F\x98\x80"
      "\xF4\x8F\xBF\xBF";
  (void)state;
  check_to_wtf8(in, -1, want, sizeof(want) - 1);
  check_to_wtf8(in, 9, want, sizeof(want) - 1);
}

/* Unpaired surrogates keep their value as 3-byte sequences. */
static void lone_surrogates(void** state) {
  static const uint16_t high[] = {'a', 0xD800, 'b', 0};
  static const uint16_t low[] = {0xDC00, 0};
  static const uint16_t reversed[] = {0xDC00, 0xD800, 0};
  static const uint16_t high_last[] = {0xDBFF, 0};
  static const uint16_t pair[] = {0xD83D, 0xDE00, 0};
  (void)state;
  check_to_wtf8(high, -1,
                "a\xED\xA0\x80"
                "b",
                5);
  check_to_wtf8(low, -1, "\xED\xB0\x80", 3);
  check_to_wtf8(reversed, -1, "\xED\xB0\x80\xED\xA0\x80", 6);
  check_to_wtf8(high_last, -1, "\xED\xAF\xBF", 3);
  /* A length that cuts a pair leaves its first half alone. */
  check_to_wtf8(pair, 1, "\xED\xA0\xBD", 3);
  check_to_wtf8(pair, 2, "\xF0\x9F\x98\x80", 4);
}

/* With an explicit length, a NUL unit is a character like any other. */
static void embedded_nul_with_a_length(void** state) {
  static const uint16_t in[] = {'a', 0, 'b'};
  (void)state;
  check_to_wtf8(in, 3, "a\0b", 3);
  check_to_wtf8(in, -1, "a", 1);
}

/* A caller's buffer: *len is its size less the terminator's byte.  Too
 * small: UV_ENOBUFS and the length the whole result needs. */
static void caller_buffer_too_small(void** state) {
  static const uint16_t in[] = {'a', 0x20AC, 'b', 0}; /* a € b: 5 bytes */
  char buf[16];
  char* p = buf;
  size_t len;
  (void)state;

  memset(buf, 'Z', sizeof(buf));
  len = 5;
  assert_int_equal(uv_utf16_to_wtf8(in, -1, &p, &len), 0);
  assert_int_equal(len, 5);
  assert_memory_equal(buf,
                      "a\xE2\x82\xAC"
                      "b",
                      6);

  memset(buf, 'Z', sizeof(buf));
  len = 4;
  assert_int_equal(uv_utf16_to_wtf8(in, -1, &p, &len), UV_ENOBUFS);
  assert_int_equal(len, 5);
  assert_memory_equal(buf, "a\xE2\x82\xAC", 4);
  assert_int_equal(buf[4], '\0');
  assert_int_equal(buf[5], 'Z');

  len = 0;
  assert_int_equal(uv_utf16_to_wtf8(in, 3, &p, &len), UV_ENOBUFS);
  assert_int_equal(len, 5);
  assert_int_equal(buf[0], '\0');

  /* Exactly full with more input after: still too small. */
  len = 4;
  assert_int_equal(uv_utf16_to_wtf8(in, 3, &p, &len), UV_ENOBUFS);
  assert_int_equal(len, 5);
}

/* libuv leaves half a character before the terminator here. */
static void caller_buffer_cut_on_a_character(void** state) {
  static const uint16_t in[] = {'a', 0x20AC, 0xD83D, 0xDE00, 0};
  char buf[16];
  char* p = buf;
  size_t len;
  (void)state;
  EDDY_ONLY();

  memset(buf, 'Z', sizeof(buf));
  len = 3; /* room for 'a' and two bytes of the euro sign */
  assert_int_equal(uv_utf16_to_wtf8(in, -1, &p, &len), UV_ENOBUFS);
  assert_int_equal(len, 8);
  assert_string_equal(buf, "a");

  memset(buf, 'Z', sizeof(buf));
  len = 6; /* the emoji needs 4 of the 2 left */
  assert_int_equal(uv_utf16_to_wtf8(in, -1, &p, &len), UV_ENOBUFS);
  assert_int_equal(len, 8);
  assert_string_equal(buf, "a\xE2\x82\xAC");
}

static void allocation_failure(void** state) {
  static const uint16_t in[] = {'x', 0};
  char* out = NULL;
  size_t len = 77;
  (void)state;

  test_alloc_install(1);
  assert_int_equal(uv_utf16_to_wtf8(in, -1, &out, &len), UV_ENOMEM);
  assert_null(out);
  assert_int_equal(test_alloc.live, 0);

  test_alloc_install(0);
  assert_int_equal(uv_utf16_to_wtf8(in, -1, &out, &len), 0);
  assert_int_equal(test_alloc.calls, 1);
  assert_int_equal(test_alloc.live, 1);
  assert_string_equal(out, "x");
  test_free_fn(out);
  test_alloc_restore();
}

/* ---- WTF-8 to UTF-16 ----------------------------------------------------- */

static void check_to_utf16(const char* in, const uint16_t* want,
                           size_t want_units) {
  uint16_t buf[64];
  size_t i;

  assert_int_equal(uv_wtf8_length_as_utf16(in), want_units + 1);
  assert_true(want_units + 2 <= 64);
  for (i = 0; i < 64; i++) buf[i] = 0x5A5A;
  uv_wtf8_to_utf16(in, buf, want_units + 1);
  for (i = 0; i < want_units; i++) assert_int_equal(buf[i], want[i]);
  assert_int_equal(buf[want_units], 0);
  assert_int_equal(buf[want_units + 1], 0x5A5A);
}

static void wtf8_to_utf16_valid(void** state) {
  static const uint16_t all[] = {'a',    0x00E9, 0x07FF, 0x0800,
                                 0x20AC, 0xFFFF, 0xD83D, 0xDE00};
  static const uint16_t lone[] = {0xD800, 'x', 0xDFFF};
  static const uint16_t pair[] = {0xD83D, 0xDE00};
  (void)state;
  check_to_utf16("", NULL, 0);
  check_to_utf16(
      "a"
      "\xC3\xA9\xDF\xBF\xE0\xA0\x80\xE2\x82\xAC\xEF\xBF\xBF"
      "\xF0\x9F\x98\x80",
      all, 8);
  assert_int_equal(uv_wtf8_length_as_utf16("\xF4\x8F\xBF\xBF"), 3);
  check_to_utf16("\xED\xA0\x80x\xED\xBF\xBF", lone, 3);
  /* A pair whose halves were encoded one by one decodes to the pair. */
  check_to_utf16("\xED\xA0\xBD\xED\xB8\x80", pair, 2);
}

static void wtf8_invalid_sequences(void** state) {
  static const char* const bad[] = {
      "\x80",     /* a continuation byte first */
      "a\xBF",    /* another */
      "\xC0\xAF", /* overlong '/', C0 */
      "\xC1\xBF", /* overlong, C1 */
      "\xC3",     /* cut by the end */
      "\xC3"
      "A",        /* not a continuation */
      "\xE2\x82", /* cut */
      "\xE2\x82"
      "A",
      "\xF0\x9F\x98",     /* cut */
      "\xF4\x90\x80\x80", /* U+110000 */
      "\xF5\x80\x80\x80", /* F5 and up never start anything */
      "\xF8\x88\x80\x80\x80",
      "\xFF",
      "ok\xFE",
  };
  size_t i;
  (void)state;
  for (i = 0; i < ARRAY_LEN(bad); i++) {
    if (uv_wtf8_length_as_utf16(bad[i]) != -1)
      fail_msg("bad[%zu] was taken for WTF-8", i);
  }
}

/* U+10FFFF, the last code point: libuv's uv_wtf8_to_utf16 asserts that a
 * code point is below it (an off-by-one), so a libuv built with assertions
 * aborts here. */
static void wtf8_to_utf16_last_code_point(void** state) {
  static const uint16_t last[] = {0xDBFF, 0xDFFF};
  (void)state;
  EDDY_ONLY();
  check_to_utf16("\xF4\x8F\xBF\xBF", last, 2);
}

/* libuv takes these for the code points they spell out. */
static void wtf8_overlong_forms_are_invalid(void** state) {
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_wtf8_length_as_utf16("\xE0\x80\xAF"), -1);     /* '/' */
  assert_int_equal(uv_wtf8_length_as_utf16("a\xE0\x80\x80"), -1);    /* NUL */
  assert_int_equal(uv_wtf8_length_as_utf16("\xE0\x9F\xBF"), -1);     /* 7FF */
  assert_int_equal(uv_wtf8_length_as_utf16("\xF0\x8F\xBF\xBF"), -1); /* FFFF */
  assert_int_equal(uv_wtf8_length_as_utf16("\xF0\x80\x80\xAF"), -1);
  /* The smallest of each length is fine. */
  assert_int_equal(uv_wtf8_length_as_utf16("\xE0\xA0\x80"), 2);
  assert_int_equal(uv_wtf8_length_as_utf16("\xF0\x90\x80\x80"), 3);
}

/* At most utf16_len units, the terminator among them; stops before what
 * does not fit or does not decode. */
static void wtf8_to_utf16_is_bounded(void** state) {
  uint16_t buf[8];
  size_t i;
  (void)state;
  EDDY_ONLY();

  for (i = 0; i < 8; i++) buf[i] = 0x5A5A;
  uv_wtf8_to_utf16("abc", buf, 2);
  assert_int_equal(buf[0], 'a');
  assert_int_equal(buf[1], 0);
  assert_int_equal(buf[2], 0x5A5A);

  /* No half of a pair. */
  for (i = 0; i < 8; i++) buf[i] = 0x5A5A;
  uv_wtf8_to_utf16("a\xF0\x9F\x98\x80", buf, 3);
  assert_int_equal(buf[0], 'a');
  assert_int_equal(buf[1], 0);
  assert_int_equal(buf[2], 0x5A5A);

  for (i = 0; i < 8; i++) buf[i] = 0x5A5A;
  uv_wtf8_to_utf16("ab\x80z", buf, 8);
  assert_int_equal(buf[0], 'a');
  assert_int_equal(buf[1], 'b');
  assert_int_equal(buf[2], 0);
  assert_int_equal(buf[3], 0x5A5A);

  buf[0] = 0x5A5A;
  uv_wtf8_to_utf16("abc", buf, 0);
  assert_int_equal(buf[0], 0x5A5A);
  uv_wtf8_to_utf16("abc", buf, 1);
  assert_int_equal(buf[0], 0);
}

/* Found by test/fuzz/fuzz-wtf8.c (seed corpus/wtf8/crash-split-pair): a
 * high and a low surrogate encoded separately form one character, like
 * their 4-byte form, and an array too small for both gets neither rather
 * than a lone high surrogate that the answer does not have. */
static void wtf8_to_utf16_keeps_a_separate_pair_whole(void** state) {
  uint16_t buf[8];
  size_t i;
  (void)state;
  EDDY_ONLY();

  for (i = 0; i < 8; i++) buf[i] = 0x5A5A;
  uv_wtf8_to_utf16("\xED\xA0\x80\xED\xB0\x80", buf, 2);
  assert_int_equal(buf[0], 0);
  assert_int_equal(buf[1], 0x5A5A);

  for (i = 0; i < 8; i++) buf[i] = 0x5A5A;
  uv_wtf8_to_utf16("a\xED\xA0\x80\xED\xB0\x80", buf, 3);
  assert_int_equal(buf[0], 'a');
  assert_int_equal(buf[1], 0);
  assert_int_equal(buf[2], 0x5A5A);

  /* With room, the pair comes through; a lone high surrogate still does. */
  for (i = 0; i < 8; i++) buf[i] = 0x5A5A;
  uv_wtf8_to_utf16("\xED\xA0\x80\xED\xB0\x80", buf, 3);
  assert_int_equal(buf[0], 0xD800);
  assert_int_equal(buf[1], 0xDC00);
  assert_int_equal(buf[2], 0);
  for (i = 0; i < 8; i++) buf[i] = 0x5A5A;
  uv_wtf8_to_utf16("\xED\xA0\x80z", buf, 2);
  assert_int_equal(buf[0], 0xD800);
  assert_int_equal(buf[1], 0);
}

static void null_arguments(void** state) {
  uint16_t buf[4] = {1, 1, 1, 1};
  char* out = NULL;
  size_t len = 3;
  char cbuf[4];
  char* p = cbuf;
  (void)state;
  EDDY_ONLY();
  assert_int_equal(uv_utf16_length_as_wtf8(NULL, -1), 0);
  assert_int_equal(uv_utf16_length_as_wtf8(NULL, 0), 0);
  assert_int_equal(uv_utf16_to_wtf8(NULL, -1, &out, &len), UV_EINVAL);
  assert_int_equal(uv_utf16_to_wtf8(NULL, 5, &out, &len), UV_EINVAL);
  assert_null(out);
  assert_int_equal(uv_utf16_to_wtf8(buf, 1, &p, NULL), UV_EINVAL);
  assert_int_equal(uv_wtf8_length_as_utf16(NULL), -1);
  uv_wtf8_to_utf16(NULL, buf, 4);
  assert_int_equal(buf[0], 0);
  uv_wtf8_to_utf16("a", NULL, 4);
}

/* ---- round trips --------------------------------------------------------- */

static uint32_t rng_state = 12345;

static uint32_t rng(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return rng_state >> 8;
}

/* A unit biased towards the interesting ranges: ASCII, the 2- and 3-byte
 * ranges, and surrogates of both kinds; never 0. */
static uint16_t random_unit(void) {
  switch (rng() % 6) {
    case 0:
      return (uint16_t)(1 + rng() % 0x7F);
    case 1:
      return (uint16_t)(0x80 + rng() % 0x780);
    case 2:
      return (uint16_t)(0xD800 + rng() % 0x400);
    case 3:
      return (uint16_t)(0xDC00 + rng() % 0x400);
    case 4:
      return (uint16_t)(0xE000 + rng() % 0x2000);
    default:
      return (uint16_t)(0x800 + rng() % 0xD000);
  }
}

static void random_round_trips(void** state) {
  uint16_t in[40];
  uint16_t back[41];
  char* wtf8;
  size_t len, n;
  ssize_t units;
  int round;
  (void)state;

  for (round = 0; round < 20000; round++) {
    n = rng() % 40;
    for (size_t i = 0; i < n; i++) in[i] = random_unit();
    wtf8 = NULL;
    assert_int_equal(uv_utf16_to_wtf8(in, (ssize_t)n, &wtf8, &len), 0);
    assert_int_equal(strlen(wtf8), len);
    units = uv_wtf8_length_as_utf16(wtf8);
    assert_int_equal(units, n + 1);
    uv_wtf8_to_utf16(wtf8, back, (size_t)units);
    assert_memory_equal(back, in, n * sizeof(uint16_t));
    assert_int_equal(back[n], 0);
    free(wtf8);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ascii),
      cmocka_unit_test(two_three_and_four_bytes),
      cmocka_unit_test(lone_surrogates),
      cmocka_unit_test(embedded_nul_with_a_length),
      cmocka_unit_test(caller_buffer_too_small),
      cmocka_unit_test(caller_buffer_cut_on_a_character),
      cmocka_unit_test_teardown(allocation_failure, teardown_allocator),
      cmocka_unit_test(wtf8_to_utf16_valid),
      cmocka_unit_test(wtf8_to_utf16_last_code_point),
      cmocka_unit_test(wtf8_invalid_sequences),
      cmocka_unit_test(wtf8_overlong_forms_are_invalid),
      cmocka_unit_test(wtf8_to_utf16_is_bounded),
      cmocka_unit_test(wtf8_to_utf16_keeps_a_separate_pair_whole),
      cmocka_unit_test(null_arguments),
      cmocka_unit_test(random_round_trips),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#else /* libuv before 1.47 */

static void needs_libuv_1_47(void** state) {
  (void)state;
  skip();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(needs_libuv_1_47),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
