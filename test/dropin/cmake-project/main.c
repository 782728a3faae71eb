#include <stdio.h>
#include <stdlib.h>

const char* dropin_greeting(void);
int dropin_sum(int n);

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3;
  printf("%s sum=%d\n", dropin_greeting(), dropin_sum(n));
  return 0;
}
