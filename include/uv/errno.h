/* eddy — error codes of the libuv 1.x API.
 *
 * On Unix every UV_E* code that has a POSIX counterpart is that errno value
 * negated, taken from the system's <errno.h> so that -errno can be handed
 * to the user without translation.  Codes with no errno (end of file, the
 * getaddrinfo family, a few others) have fixed values of their own, the
 * same as libuv's, so that programs built against libuv see the same
 * numbers.  The fallback values below are Linux's, for systems that lack
 * a symbol. */
#ifndef UV_ERRNO_H
#define UV_ERRNO_H

#include <errno.h>

#if defined(E2BIG)
# define UV__E2BIG (-E2BIG)
#else
# define UV__E2BIG (-7)
#endif
#if defined(EACCES)
# define UV__EACCES (-EACCES)
#else
# define UV__EACCES (-13)
#endif
#if defined(EADDRINUSE)
# define UV__EADDRINUSE (-EADDRINUSE)
#else
# define UV__EADDRINUSE (-98)
#endif
#if defined(EADDRNOTAVAIL)
# define UV__EADDRNOTAVAIL (-EADDRNOTAVAIL)
#else
# define UV__EADDRNOTAVAIL (-99)
#endif
#if defined(EAFNOSUPPORT)
# define UV__EAFNOSUPPORT (-EAFNOSUPPORT)
#else
# define UV__EAFNOSUPPORT (-97)
#endif
#if defined(EAGAIN)
# define UV__EAGAIN (-EAGAIN)
#else
# define UV__EAGAIN (-11)
#endif
#define UV__EAI_ADDRFAMILY (-3000)
#define UV__EAI_AGAIN (-3001)
#define UV__EAI_BADFLAGS (-3002)
#define UV__EAI_BADHINTS (-3013)
#define UV__EAI_CANCELED (-3003)
#define UV__EAI_FAIL (-3004)
#define UV__EAI_FAMILY (-3005)
#define UV__EAI_MEMORY (-3006)
#define UV__EAI_NODATA (-3007)
#define UV__EAI_NONAME (-3008)
#define UV__EAI_OVERFLOW (-3009)
#define UV__EAI_PROTOCOL (-3014)
#define UV__EAI_SERVICE (-3010)
#define UV__EAI_SOCKTYPE (-3011)
#if defined(EALREADY)
# define UV__EALREADY (-EALREADY)
#else
# define UV__EALREADY (-114)
#endif
#if defined(EBADF)
# define UV__EBADF (-EBADF)
#else
# define UV__EBADF (-9)
#endif
#if defined(EBUSY)
# define UV__EBUSY (-EBUSY)
#else
# define UV__EBUSY (-16)
#endif
#if defined(ECANCELED)
# define UV__ECANCELED (-ECANCELED)
#else
# define UV__ECANCELED (-125)
#endif
#define UV__ECHARSET (-4080)
#if defined(ECONNABORTED)
# define UV__ECONNABORTED (-ECONNABORTED)
#else
# define UV__ECONNABORTED (-103)
#endif
#if defined(ECONNREFUSED)
# define UV__ECONNREFUSED (-ECONNREFUSED)
#else
# define UV__ECONNREFUSED (-111)
#endif
#if defined(ECONNRESET)
# define UV__ECONNRESET (-ECONNRESET)
#else
# define UV__ECONNRESET (-104)
#endif
#if defined(EDESTADDRREQ)
# define UV__EDESTADDRREQ (-EDESTADDRREQ)
#else
# define UV__EDESTADDRREQ (-89)
#endif
#if defined(EEXIST)
# define UV__EEXIST (-EEXIST)
#else
# define UV__EEXIST (-17)
#endif
#if defined(EFAULT)
# define UV__EFAULT (-EFAULT)
#else
# define UV__EFAULT (-14)
#endif
#if defined(EFBIG)
# define UV__EFBIG (-EFBIG)
#else
# define UV__EFBIG (-27)
#endif
#if defined(EHOSTUNREACH)
# define UV__EHOSTUNREACH (-EHOSTUNREACH)
#else
# define UV__EHOSTUNREACH (-113)
#endif
#if defined(EINTR)
# define UV__EINTR (-EINTR)
#else
# define UV__EINTR (-4)
#endif
#if defined(EINVAL)
# define UV__EINVAL (-EINVAL)
#else
# define UV__EINVAL (-22)
#endif
#if defined(EIO)
# define UV__EIO (-EIO)
#else
# define UV__EIO (-5)
#endif
#if defined(EISCONN)
# define UV__EISCONN (-EISCONN)
#else
# define UV__EISCONN (-106)
#endif
#if defined(EISDIR)
# define UV__EISDIR (-EISDIR)
#else
# define UV__EISDIR (-21)
#endif
#if defined(ELOOP)
# define UV__ELOOP (-ELOOP)
#else
# define UV__ELOOP (-40)
#endif
#if defined(EMFILE)
# define UV__EMFILE (-EMFILE)
#else
# define UV__EMFILE (-24)
#endif
#if defined(EMSGSIZE)
# define UV__EMSGSIZE (-EMSGSIZE)
#else
# define UV__EMSGSIZE (-90)
#endif
#if defined(ENAMETOOLONG)
# define UV__ENAMETOOLONG (-ENAMETOOLONG)
#else
# define UV__ENAMETOOLONG (-36)
#endif
#if defined(ENETDOWN)
# define UV__ENETDOWN (-ENETDOWN)
#else
# define UV__ENETDOWN (-100)
#endif
#if defined(ENETUNREACH)
# define UV__ENETUNREACH (-ENETUNREACH)
#else
# define UV__ENETUNREACH (-101)
#endif
#if defined(ENFILE)
# define UV__ENFILE (-ENFILE)
#else
# define UV__ENFILE (-23)
#endif
#if defined(ENOBUFS)
# define UV__ENOBUFS (-ENOBUFS)
#else
# define UV__ENOBUFS (-105)
#endif
#if defined(ENODEV)
# define UV__ENODEV (-ENODEV)
#else
# define UV__ENODEV (-19)
#endif
#if defined(ENOENT)
# define UV__ENOENT (-ENOENT)
#else
# define UV__ENOENT (-2)
#endif
#if defined(ENOMEM)
# define UV__ENOMEM (-ENOMEM)
#else
# define UV__ENOMEM (-12)
#endif
#if defined(ENONET)
# define UV__ENONET (-ENONET)
#else
# define UV__ENONET (-64)
#endif
#if defined(ENOPROTOOPT)
# define UV__ENOPROTOOPT (-ENOPROTOOPT)
#else
# define UV__ENOPROTOOPT (-92)
#endif
#if defined(ENOSPC)
# define UV__ENOSPC (-ENOSPC)
#else
# define UV__ENOSPC (-28)
#endif
#if defined(ENOSYS)
# define UV__ENOSYS (-ENOSYS)
#else
# define UV__ENOSYS (-38)
#endif
#if defined(ENOTCONN)
# define UV__ENOTCONN (-ENOTCONN)
#else
# define UV__ENOTCONN (-107)
#endif
#if defined(ENOTDIR)
# define UV__ENOTDIR (-ENOTDIR)
#else
# define UV__ENOTDIR (-20)
#endif
#if defined(ENOTEMPTY)
# define UV__ENOTEMPTY (-ENOTEMPTY)
#else
# define UV__ENOTEMPTY (-39)
#endif
#if defined(ENOTSOCK)
# define UV__ENOTSOCK (-ENOTSOCK)
#else
# define UV__ENOTSOCK (-88)
#endif
#if defined(ENOTSUP)
# define UV__ENOTSUP (-ENOTSUP)
#else
# define UV__ENOTSUP (-95)
#endif
#if defined(EOVERFLOW)
# define UV__EOVERFLOW (-EOVERFLOW)
#else
# define UV__EOVERFLOW (-75)
#endif
#if defined(EPERM)
# define UV__EPERM (-EPERM)
#else
# define UV__EPERM (-1)
#endif
#if defined(EPIPE)
# define UV__EPIPE (-EPIPE)
#else
# define UV__EPIPE (-32)
#endif
#if defined(EPROTO)
# define UV__EPROTO (-EPROTO)
#else
# define UV__EPROTO (-71)
#endif
#if defined(EPROTONOSUPPORT)
# define UV__EPROTONOSUPPORT (-EPROTONOSUPPORT)
#else
# define UV__EPROTONOSUPPORT (-93)
#endif
#if defined(EPROTOTYPE)
# define UV__EPROTOTYPE (-EPROTOTYPE)
#else
# define UV__EPROTOTYPE (-91)
#endif
#if defined(ERANGE)
# define UV__ERANGE (-ERANGE)
#else
# define UV__ERANGE (-34)
#endif
#if defined(EROFS)
# define UV__EROFS (-EROFS)
#else
# define UV__EROFS (-30)
#endif
#if defined(ESHUTDOWN)
# define UV__ESHUTDOWN (-ESHUTDOWN)
#else
# define UV__ESHUTDOWN (-108)
#endif
#if defined(ESPIPE)
# define UV__ESPIPE (-ESPIPE)
#else
# define UV__ESPIPE (-29)
#endif
#if defined(ESRCH)
# define UV__ESRCH (-ESRCH)
#else
# define UV__ESRCH (-3)
#endif
#if defined(ETIMEDOUT)
# define UV__ETIMEDOUT (-ETIMEDOUT)
#else
# define UV__ETIMEDOUT (-110)
#endif
#if defined(ETXTBSY)
# define UV__ETXTBSY (-ETXTBSY)
#else
# define UV__ETXTBSY (-26)
#endif
#if defined(EXDEV)
# define UV__EXDEV (-EXDEV)
#else
# define UV__EXDEV (-18)
#endif
#define UV__UNKNOWN (-4094)
#define UV__EOF (-4095)
#if defined(ENXIO)
# define UV__ENXIO (-ENXIO)
#else
# define UV__ENXIO (-6)
#endif
#if defined(EMLINK)
# define UV__EMLINK (-EMLINK)
#else
# define UV__EMLINK (-31)
#endif
#if defined(EHOSTDOWN)
# define UV__EHOSTDOWN (-EHOSTDOWN)
#else
# define UV__EHOSTDOWN (-112)
#endif
#if defined(EREMOTEIO)
# define UV__EREMOTEIO (-EREMOTEIO)
#else
# define UV__EREMOTEIO (-121)
#endif
#if defined(ENOTTY)
# define UV__ENOTTY (-ENOTTY)
#else
# define UV__ENOTTY (-25)
#endif
#define UV__EFTYPE (-4028)
#if defined(EILSEQ)
# define UV__EILSEQ (-EILSEQ)
#else
# define UV__EILSEQ (-84)
#endif
#if defined(ESOCKTNOSUPPORT)
# define UV__ESOCKTNOSUPPORT (-ESOCKTNOSUPPORT)
#else
# define UV__ESOCKTNOSUPPORT (-94)
#endif
#if defined(ENODATA)
# define UV__ENODATA (-ENODATA)
#else
# define UV__ENODATA (-61)
#endif
#if defined(EUNATCH)
# define UV__EUNATCH (-EUNATCH)
#else
# define UV__EUNATCH (-49)
#endif
#if defined(ENOEXEC)
# define UV__ENOEXEC (-ENOEXEC)
#else
# define UV__ENOEXEC (-8)
#endif

#endif /* UV_ERRNO_H */
