/* eddy — what uv_getaddrinfo and uv_getnameinfo share (src/unix/). */
#ifndef EDDY_UNIX_DNS_H
#define EDDY_UNIX_DNS_H

/* Turns a getaddrinfo(3)/getnameinfo(3) result (0 or EAI_*) into 0 or a
 * UV_EAI_* code; EAI_SYSTEM becomes the UV_E* code of errno, which must
 * still be the one the call left. */
int uv__getaddrinfo_error(int eai);

#endif /* EDDY_UNIX_DNS_H */
