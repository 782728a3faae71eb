/* tcp_pingpong: round trips of a 64-byte message over one loopback TCP
 * connection, both ends on one loop (see bench-tcp-pingpong.h).
 *
 *   bench-tcp_pingpong [N]      N round trips (default 30000)
 *
 * Result: tcp_pingpong = round trips per second. */
#include "bench-tcp-pingpong.h"

int main(int argc, char** argv) {
  uint64_t n = bench_count(argc, argv, 30000);
  bench_identify();
  return pp_main("tcp_pingpong", 1, n);
}
