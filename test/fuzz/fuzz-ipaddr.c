/* eddy fuzz target — uv_ip4_addr, uv_ip6_addr (with "%scope"),
 * uv_ip4_name, uv_ip6_name and uv_ip_name (src/inet.c).
 *
 * Input: three bytes of port (with a sign bit, so that ports outside 0 to
 * 65535 come up), then the address text.
 * Properties:
 *   - a port outside 0 to 65535 is refused (eddy does not cut it to 16
 *     bits as libuv does), and the family is set whatever happens;
 *   - the address part is accepted exactly when uv_inet_pton accepts it,
 *     with the same bytes; the port is stored in network order and
 *     sin_zero / flowinfo stay zero;
 *   - the scope id of "addr%zone" is the index of the interface named zone
 *     when there is one (never of an interface whose name is only a prefix
 *     of a longer zone), else the zone's decimal value when it is a number
 *     that fits 32 bits (leading zeros allowed), else 0 (docs/inet.md);
 *   - uv_ip4_name / uv_ip6_name / uv_ip_name print what uv_inet_ntop
 *     prints, and the text reads back to the same address. */
#include "fuzz-common.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

static uint32_t expected_scope(const char* zone) {
  size_t len = strlen(zone);
  uint64_t value = 0;
  size_t i;

  if (len > 0 && len < IF_NAMESIZE) {
    unsigned int index = if_nametoindex(zone);
    if (index != 0) return index;
  }
  /* A decimal number, leading zeros allowed ("%0002" is 2). */
  if (len == 0) return 0;
  for (i = 0; i < len; i++) {
    if (zone[i] < '0' || zone[i] > '9') return 0;
    value = value * 10 + (uint64_t)(zone[i] - '0');
    if (value > UINT32_MAX) return 0;
  }
  return (uint32_t)value;
}

static void check_names(const struct sockaddr* sa, int af, const void* bytes) {
  char want[64];
  char got[64];

  FUZZ_CHECK(uv_inet_ntop(af, bytes, want, sizeof(want)) == 0);
  memset(got, 0, sizeof(got));
  if (af == AF_INET)
    FUZZ_CHECK(uv_ip4_name((const struct sockaddr_in*)sa, got, sizeof(got)) == 0);
  else
    FUZZ_CHECK(uv_ip6_name((const struct sockaddr_in6*)sa, got, sizeof(got)) == 0);
  FUZZ_CHECK(strcmp(got, want) == 0);
  memset(got, 0, sizeof(got));
  FUZZ_CHECK(uv_ip_name(sa, got, sizeof(got)) == 0);
  FUZZ_CHECK(strcmp(got, want) == 0);
  /* Too small by one: refused whole. */
  FUZZ_CHECK(uv_ip_name(sa, got, strlen(want)) == UV_ENOSPC);
}

static void check_ip4(const char* s, int port) {
  struct sockaddr_in a;
  struct sockaddr_in back;
  unsigned char want[4];
  char text[64];
  static const char zero[sizeof(a.sin_zero)];
  int r;
  int p;

  memset(&a, 0xA5, sizeof(a));
  r = uv_ip4_addr(s, port, &a);
  FUZZ_CHECK(a.sin_family == AF_INET);
  FUZZ_CHECK(memcmp(a.sin_zero, zero, sizeof(zero)) == 0);
  if (port < 0 || port > 0xffff) {
    FUZZ_CHECK(r == UV_EINVAL);
    return;
  }
  p = uv_inet_pton(AF_INET, s, want);
  FUZZ_CHECK(r == p);
  if (r != 0) return;
  FUZZ_CHECK(a.sin_port == htons((uint16_t)port));
  FUZZ_CHECK(memcmp(&a.sin_addr, want, 4) == 0);
  check_names((const struct sockaddr*)&a, AF_INET, want);

  FUZZ_CHECK(uv_ip4_name(&a, text, sizeof(text)) == 0);
  FUZZ_CHECK(uv_ip4_addr(text, port, &back) == 0);
  FUZZ_CHECK(memcmp(&back, &a, sizeof(a)) == 0);
}

static void check_ip6(const char* s, int port) {
  struct sockaddr_in6 a;
  struct sockaddr_in6 back;
  unsigned char want[16];
  char text[64];
  const char* zone;
  int r;
  int p;

  memset(&a, 0xA5, sizeof(a));
  r = uv_ip6_addr(s, port, &a);
  FUZZ_CHECK(a.sin6_family == AF_INET6);
  FUZZ_CHECK(a.sin6_flowinfo == 0);
  if (port < 0 || port > 0xffff) {
    FUZZ_CHECK(r == UV_EINVAL);
    return;
  }
  p = uv_inet_pton(AF_INET6, s, want);
  FUZZ_CHECK(r == p);
  if (r != 0) return;
  FUZZ_CHECK(a.sin6_port == htons((uint16_t)port));
  FUZZ_CHECK(memcmp(&a.sin6_addr, want, 16) == 0);
  zone = strchr(s, '%');
  FUZZ_CHECK(a.sin6_scope_id == (zone != NULL ? expected_scope(zone + 1) : 0));
  check_names((const struct sockaddr*)&a, AF_INET6, want);

  /* The name has no scope: it reads back to the address with scope 0. */
  FUZZ_CHECK(uv_ip6_name(&a, text, sizeof(text)) == 0);
  FUZZ_CHECK(strchr(text, '%') == NULL);
  FUZZ_CHECK(uv_ip6_addr(text, port, &back) == 0);
  FUZZ_CHECK(memcmp(&back.sin6_addr, &a.sin6_addr, 16) == 0);
  FUZZ_CHECK(back.sin6_scope_id == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char* s;
  int port;

  if (size < 3) return 0;
  port = data[0] | data[1] << 8 | (data[2] & 0x3) << 16;
  if (data[2] & 0x4) port = -port;
  s = fuzz_cstring(data + 3, size - 3);
  check_ip4(s, port);
  check_ip6(s, port);
  free(s);
  return 0;
}
