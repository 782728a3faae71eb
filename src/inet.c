/* eddy — IP addresses as text, and the machine's network interfaces.
 *
 * uv_inet_pton / uv_inet_ntop and the uv_ip4_* / uv_ip6_* / uv_ip_name
 * helpers built on them, interface index to name, and
 * uv_interface_addresses.  The parser and the formatter are eddy's own,
 * written from libuv's documented behaviour and checked against libuv input
 * by input: they accept and print exactly what libuv does.  The parsers
 * work on a counted span that never extends past the terminating NUL, and
 * give up after the longest text a valid address can have, so no input,
 * however long, is read further than it needs to be.  docs/inet.md has the
 * rules and the few places where eddy deliberately differs. */
#include "internal.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <string.h>
#include <sys/socket.h>

/* The longest text of a valid address, without its NUL:
 * "255.255.255.255" and "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
 * (four-digit groups being the longest form a group may take). */
#define IP4_MAX_TEXT 15
#define IP6_MAX_TEXT 45

/* ---- parsing ------------------------------------------------------------- */

/* How many characters of s come before stop (or the NUL), if that is at
 * most max; max + 1 when it is more, without looking further. */
static size_t span_upto(const char* s, char stop, size_t max) {
  size_t n;
  for (n = 0; n <= max; n++)
    if (s[n] == '\0' || s[n] == stop) return n;
  return max + 1;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* A dotted quad, the whole of s[0, len): four decimal numbers from 0 to
 * 255, each without leading zeros, joined by single dots.  Nothing else
 * (no shorter forms, no octal or hex, no spaces) is an IPv4 address to
 * libuv.  out is written only on success. */
static int parse_ip4(const char* s, size_t len, unsigned char out[4]) {
  unsigned char octets[4];
  size_t i = 0;
  int k;

  for (k = 0; k < 4; k++) {
    unsigned int value;
    if (k > 0) {
      if (i >= len || s[i] != '.') return 0;
      i++;
    }
    if (i >= len || s[i] < '0' || s[i] > '9') return 0;
    if (s[i] == '0' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
      return 0;
    value = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
      value = value * 10 + (unsigned int)(s[i] - '0');
      if (value > 255) return 0;
      i++;
    }
    octets[k] = (unsigned char)value;
  }
  if (i != len) return 0;
  memcpy(out, octets, sizeof(octets));
  return 1;
}

/* The text form of an IPv6 address, the whole of s[0, len): up to eight
 * groups of one to four hex digits separated by ':', at most one "::"
 * standing for one or more zero groups, and optionally a dotted quad in
 * place of the last two groups.  A lone ':' may not begin or end the text.
 * out is written only on success. */
static int parse_ip6(const char* s, size_t len, unsigned char out[16]) {
  unsigned int words[8];
  int n = 0;    /* groups read */
  int gap = -1; /* where "::" stands: the number of groups before it */
  size_t i = 0;
  int k;

  if (len >= 1 && s[0] == ':') {
    if (len < 2 || s[1] != ':') return 0;
    gap = 0;
    i = 2;
  }

  while (i < len) {
    size_t start = i;
    unsigned int value = 0;
    int digits = 0;
    int h;

    while (i < len && (h = hex_value(s[i])) >= 0) {
      if (++digits > 4) return 0;
      value = value * 16 + (unsigned int)h;
      i++;
    }
    if (digits == 0) return 0;

    if (i < len && s[i] == '.') {
      /* What looked like a group starts a dotted quad: it fills the last
       * two groups and must end the text. */
      unsigned char quad[4];
      if (n > 6 || !parse_ip4(s + start, len - start, quad)) return 0;
      words[n++] = (unsigned int)quad[0] << 8 | quad[1];
      words[n++] = (unsigned int)quad[2] << 8 | quad[3];
      break;
    }

    if (n == 8) return 0;
    words[n++] = value;
    if (i == len) break;
    if (s[i] != ':') return 0;
    i++;
    if (i == len) return 0; /* "1:" */
    if (s[i] == ':') {
      if (gap >= 0) return 0; /* a second "::" */
      gap = n;
      i++;
    }
  }

  if (gap >= 0) {
    int fill = 8 - n; /* zero groups the "::" stands for */
    if (fill < 1) return 0;
    for (k = n - 1; k >= gap; k--) words[k + fill] = words[k];
    for (k = gap; k < gap + fill; k++) words[k] = 0;
  } else if (n != 8) {
    return 0;
  }

  for (k = 0; k < 8; k++) {
    out[2 * k] = (unsigned char)(words[k] >> 8);
    out[2 * k + 1] = (unsigned char)(words[k] & 0xff);
  }
  return 1;
}

UV__EXPORT int uv_inet_pton(int af, const char* src, void* dst) {
  size_t len;

  if (src == NULL || dst == NULL) return UV_EINVAL;

  switch (af) {
    case AF_INET:
      len = span_upto(src, '\0', IP4_MAX_TEXT);
      if (len > IP4_MAX_TEXT) return UV_EINVAL;
      return parse_ip4(src, len, dst) ? 0 : UV_EINVAL;
    case AF_INET6:
      /* A "%zone" suffix is accepted, whatever it says, and ignored: the
       * address has no room for it (uv_ip6_addr reads it). */
      len = span_upto(src, '%', IP6_MAX_TEXT);
      if (len > IP6_MAX_TEXT) return UV_EINVAL;
      return parse_ip6(src, len, dst) ? 0 : UV_EINVAL;
    default:
      return UV_EAFNOSUPPORT;
  }
}

/* ---- formatting ---------------------------------------------------------- */

static char* put_decimal(char* p, unsigned int v) {
  if (v >= 100) *p++ = (char)('0' + v / 100);
  if (v >= 10) *p++ = (char)('0' + v / 10 % 10);
  *p++ = (char)('0' + v % 10);
  return p;
}

static char* put_ip4(char* p, const unsigned char* b) {
  int k;
  for (k = 0; k < 4; k++) {
    if (k > 0) *p++ = '.';
    p = put_decimal(p, b[k]);
  }
  return p;
}

static char* put_hex_group(char* p, unsigned int v) {
  static const char digits[] = "0123456789abcdef";
  int shift;
  int started = 0;
  for (shift = 12; shift >= 0; shift -= 4) {
    unsigned int d = (v >> shift) & 0xf;
    if (d != 0 || started || shift == 0) {
      *p++ = digits[d];
      started = 1;
    }
  }
  return p;
}

/* libuv's form: lower-case hex without leading zeros, the first of the
 * longest runs of two or more zero groups written "::"; and a dotted quad
 * for the last 32 bits when the address is IPv4-compatible (the six groups
 * before it zero, "::1.2.3.4") or IPv4-mapped ("::ffff:1.2.3.4") - except
 * that an address whose first seven groups are zero is printed in hex
 * ("::1", "::2", "::"), as libuv does. */
static char* put_ip6(char* p, const unsigned char* b) {
  unsigned int words[8];
  int best = -1, best_len = 0;
  int run = -1, run_len = 0;
  int k;

  for (k = 0; k < 8; k++) words[k] = (unsigned int)b[2 * k] << 8 | b[2 * k + 1];

  for (k = 0; k < 8; k++) {
    if (words[k] == 0) {
      if (run < 0) run = k;
      run_len = k - run + 1;
      if (run_len > best_len) {
        best = run;
        best_len = run_len;
      }
    } else {
      run = -1;
    }
  }
  if (best_len < 2) best = -1;

  for (k = 0; k < 8; k++) {
    if (best >= 0 && k >= best && k < best + best_len) {
      if (k == best) *p++ = ':';
      continue;
    }
    if (k > 0) *p++ = ':';
    if (k == 6 && best == 0 &&
        (best_len == 6 || (best_len == 5 && words[5] == 0xffff)))
      return put_ip4(p, b + 12);
    p = put_hex_group(p, words[k]);
  }
  if (best >= 0 && best + best_len == 8) *p++ = ':';
  return p;
}

UV__EXPORT int uv_inet_ntop(int af, const void* src, char* dst, size_t size) {
  char text[IP6_MAX_TEXT + 1];
  size_t len;

  switch (af) {
    case AF_INET:
      if (src == NULL) return UV_EINVAL;
      len = (size_t)(put_ip4(text, src) - text);
      break;
    case AF_INET6:
      if (src == NULL) return UV_EINVAL;
      len = (size_t)(put_ip6(text, src) - text);
      break;
    default:
      return UV_EAFNOSUPPORT;
  }
  /* All or nothing: a buffer too small for the text and its NUL is left
   * untouched. */
  if (len >= size) return UV_ENOSPC;
  if (dst == NULL) return UV_EINVAL;
  memcpy(dst, text, len);
  dst[len] = '\0';
  return 0;
}

/* ---- socket addresses ---------------------------------------------------- */

/* libuv stores any int with htons(), so that 65616 becomes port 80; eddy
 * refuses a port that does not fit instead. */
static int port_ok(int port) { return port >= 0 && port <= 0xffff; }

UV__EXPORT int uv_ip4_addr(const char* ip, int port, struct sockaddr_in* addr) {
  if (addr == NULL) return UV_EINVAL;
  memset(addr, 0, sizeof(*addr));
  addr->sin_family = AF_INET;
  if (ip == NULL || !port_ok(port)) return UV_EINVAL;
  addr->sin_port = htons((uint16_t)port);
  return uv_inet_pton(AF_INET, ip, &addr->sin_addr);
}

/* The scope id for the zone of "fe80::1%zone": the interface of that name,
 * or failing that a decimal interface index (RFC 4007's numeric zone),
 * or 0 for a zone that is neither - libuv leaves an unknown zone at 0
 * rather than failing, and so does eddy.  A name too long to be an
 * interface's is such a zone: it is never cut down to a shorter name that
 * might be one. */
static uint32_t zone_to_scope_id(const char* zone) {
  uint64_t value = 0;
  size_t len = strnlen(zone, IF_NAMESIZE);
  size_t i;

  if (len > 0 && len < IF_NAMESIZE) {
    unsigned int index = if_nametoindex(zone);
    if (index != 0) return index;
  }

  if (zone[0] == '\0') return 0;
  for (i = 0; zone[i] != '\0'; i++) {
    if (zone[i] < '0' || zone[i] > '9') return 0;
    value = value * 10 + (uint64_t)(zone[i] - '0');
    if (value > UINT32_MAX) return 0;
  }
  return (uint32_t)value;
}

UV__EXPORT int uv_ip6_addr(const char* ip, int port,
                           struct sockaddr_in6* addr) {
  size_t len;

  if (addr == NULL) return UV_EINVAL;
  memset(addr, 0, sizeof(*addr));
  addr->sin6_family = AF_INET6;
  if (ip == NULL || !port_ok(port)) return UV_EINVAL;
  addr->sin6_port = htons((uint16_t)port);

  /* The address part is parsed in place, never copied into a smaller
   * buffer: one longer than any valid address is refused. */
  len = span_upto(ip, '%', IP6_MAX_TEXT);
  if (len > IP6_MAX_TEXT) return UV_EINVAL;
  if (ip[len] == '%') addr->sin6_scope_id = zone_to_scope_id(ip + len + 1);
  return parse_ip6(ip, len, addr->sin6_addr.s6_addr) ? 0 : UV_EINVAL;
}

UV__EXPORT int uv_ip4_name(const struct sockaddr_in* src, char* dst,
                           size_t size) {
  if (src == NULL) return UV_EINVAL;
  return uv_inet_ntop(AF_INET, &src->sin_addr, dst, size);
}

/* The scope id is not printed, as in libuv. */
UV__EXPORT int uv_ip6_name(const struct sockaddr_in6* src, char* dst,
                           size_t size) {
  if (src == NULL) return UV_EINVAL;
  return uv_inet_ntop(AF_INET6, &src->sin6_addr, dst, size);
}

UV__EXPORT int uv_ip_name(const struct sockaddr* src, char* dst, size_t size) {
  if (src == NULL) return UV_EINVAL;
  switch (src->sa_family) {
    case AF_INET:
      return uv_ip4_name((const struct sockaddr_in*)src, dst, size);
    case AF_INET6:
      return uv_ip6_name((const struct sockaddr_in6*)src, dst, size);
    default:
      return UV_EAFNOSUPPORT;
  }
}

/* ---- interface names ----------------------------------------------------- */

/* On success *size is the length of the name (without its NUL); when the
 * buffer is too small it is the size needed (with the NUL) and the buffer
 * is left alone. */
UV__EXPORT int uv_if_indextoname(unsigned int ifindex, char* buffer,
                                 size_t* size) {
  char name[IF_NAMESIZE];
  size_t len;

  if (buffer == NULL || size == NULL || *size == 0) return UV_EINVAL;
  if (if_indextoname(ifindex, name) == NULL)
    return errno != 0 ? -errno : UV_ENXIO;
  len = strnlen(name, sizeof(name));
  if (len >= *size) {
    *size = len + 1;
    return UV_ENOBUFS;
  }
  memcpy(buffer, name, len);
  buffer[len] = '\0';
  *size = len;
  return 0;
}

/* On Unix the interface identifier of a scoped address is its name. */
UV__EXPORT int uv_if_indextoiid(unsigned int ifindex, char* buffer,
                                size_t* size) {
  return uv_if_indextoname(ifindex, buffer, size);
}

/* ---- uv_interface_addresses ---------------------------------------------- */

/* An address entry libuv reports: one of an interface that is up and
 * running.  The link-layer (AF_PACKET) entries only lend their hardware
 * address to the others. */
static int is_reported(const struct ifaddrs* ent) {
  if (!(ent->ifa_flags & IFF_UP) || !(ent->ifa_flags & IFF_RUNNING)) return 0;
  if (ent->ifa_addr == NULL) return 0;
  return ent->ifa_addr->sa_family == AF_INET ||
         ent->ifa_addr->sa_family == AF_INET6;
}

static int is_link_layer(const struct ifaddrs* ent) {
  if (!(ent->ifa_flags & IFF_UP) || !(ent->ifa_flags & IFF_RUNNING)) return 0;
  return ent->ifa_addr != NULL && ent->ifa_addr->sa_family == AF_PACKET;
}

static void copy_sockaddr(const struct sockaddr* sa, void* to) {
  if (sa == NULL) return;
  if (sa->sa_family == AF_INET6)
    memcpy(to, sa, sizeof(struct sockaddr_in6));
  else if (sa->sa_family == AF_INET)
    memcpy(to, sa, sizeof(struct sockaddr_in));
}

/* An alias such as "eth0:1" shares the hardware address of "eth0". */
static int same_device(const char* alias, const char* device) {
  size_t n = strlen(device);
  return strncmp(alias, device, n) == 0 &&
         (alias[n] == '\0' || alias[n] == ':');
}

static void set_phys_addrs(uv_interface_address_t* list, int count,
                           const struct ifaddrs* ent) {
  const struct sockaddr_ll* sll = (const struct sockaddr_ll*)ent->ifa_addr;
  size_t n = sll->sll_halen;
  int i;

  if (n > sizeof(list[0].phys_addr)) n = sizeof(list[0].phys_addr);
  for (i = 0; i < count; i++) {
    if (same_device(list[i].name, ent->ifa_name)) {
      memset(list[i].phys_addr, 0, sizeof(list[i].phys_addr));
      memcpy(list[i].phys_addr, sll->sll_addr, n);
    }
  }
}

UV__EXPORT int uv_interface_addresses(uv_interface_address_t** addresses,
                                      int* count) {
  struct ifaddrs* addrs;
  struct ifaddrs* ent;
  uv_interface_address_t* list;
  int n, i;

  if (addresses == NULL || count == NULL) return UV_EINVAL;
  *addresses = NULL;
  *count = 0;

  if (getifaddrs(&addrs) != 0) return -errno;

  n = 0;
  for (ent = addrs; ent != NULL; ent = ent->ifa_next)
    if (is_reported(ent)) n++;
  if (n == 0) {
    freeifaddrs(addrs);
    return 0;
  }

  list = uv__calloc((size_t)n, sizeof(*list));
  if (list == NULL) {
    freeifaddrs(addrs);
    return UV_ENOMEM;
  }

  i = 0;
  for (ent = addrs; ent != NULL; ent = ent->ifa_next) {
    if (!is_reported(ent)) continue;
    list[i].name = uv__strdup(ent->ifa_name);
    if (list[i].name == NULL) {
      uv_free_interface_addresses(list, i);
      freeifaddrs(addrs);
      return UV_ENOMEM;
    }
    copy_sockaddr(ent->ifa_addr, &list[i].address);
    copy_sockaddr(ent->ifa_netmask, &list[i].netmask);
    list[i].is_internal = (ent->ifa_flags & IFF_LOOPBACK) != 0;
    i++;
  }

  for (ent = addrs; ent != NULL; ent = ent->ifa_next)
    if (is_link_layer(ent)) set_phys_addrs(list, n, ent);

  freeifaddrs(addrs);
  *addresses = list;
  *count = n;
  return 0;
}

UV__EXPORT void uv_free_interface_addresses(uv_interface_address_t* addresses,
                                            int count) {
  int i;
  if (addresses == NULL) return;
  for (i = 0; i < count; i++) uv__free(addresses[i].name);
  uv__free(addresses);
}
