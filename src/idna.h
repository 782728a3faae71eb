/* eddy — host names in Unicode to their ASCII form (src/idna.c). */
#ifndef EDDY_IDNA_H
#define EDDY_IDNA_H

#include <stddef.h>

/* The longest node name uv_getaddrinfo passes on, counting its terminating
 * NUL: libuv's limit (255 characters after conversion).  A longer name is
 * refused, never cut short (libuv's CVE-2024-24806 was a name silently cut
 * to this length). */
#define UV__IDNA_MAX 256

/* Converts the UTF-8 host name s[0..len) to ASCII: each label that is not
 * pure ASCII becomes "xn--" and its Punycode (RFC 3492); U+3002, U+FF0E and
 * U+FF61 separate labels like '.'.  Writes the NUL-terminated result to out
 * (outsize bytes) and returns its length including the NUL, or UV_EINVAL for
 * an empty name, invalid UTF-8 or a result that does not fit. */
long uv__idna_toascii(const char* s, size_t len, char* out, size_t outsize);

#endif /* EDDY_IDNA_H */
