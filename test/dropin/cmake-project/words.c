#include "config.h"

const char* dropin_greeting(void) { return DROPIN_GREETING; }

int dropin_sum(int n) {
  int s = 0;
  for (int i = 1; i <= n; i++) s += i;
  return s;
}
