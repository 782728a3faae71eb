/* eddy fuzz targets — what they share.
 *
 * A target checks properties of what eddy makes of its input; a property
 * that does not hold is reported like a crash (abort), so libFuzzer keeps
 * the input and stops. */
#ifndef EDDY_FUZZ_COMMON_H
#define EDDY_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uv.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

#define FUZZ_CHECK(cond)                                                  \
  do {                                                                    \
    if (!(cond)) {                                                        \
      fprintf(stderr, "%s:%d: property does not hold: %s\n", __FILE__,    \
              __LINE__, #cond);                                           \
      abort();                                                            \
    }                                                                     \
  } while (0)

/* The input as a C string in a buffer of exactly its size, so that ASan
 * catches a read one byte past the terminator.  Stops at an embedded NUL,
 * as every caller of a string API would. */
static inline char* fuzz_cstring(const uint8_t* data, size_t size) {
  size_t n = strnlen((const char*)data, size);
  char* s = malloc(n + 1);
  FUZZ_CHECK(s != NULL);
  memcpy(s, data, n);
  s[n] = '\0';
  return s;
}

#endif /* EDDY_FUZZ_COMMON_H */
