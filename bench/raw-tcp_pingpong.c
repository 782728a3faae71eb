/* tcp_pingpong, raw: bench-tcp_pingpong.c on a socket pair and epoll (see
 * raw-tcp-pingpong.h).
 *
 *   raw-tcp_pingpong [N]      N round trips (default 30000) */
#include "raw-tcp-pingpong.h"

int main(int argc, char** argv) {
  uint64_t n = bench_count(argc, argv, 30000);
  raw_identify();
  return rpp_main("tcp_pingpong", 1, n);
}
