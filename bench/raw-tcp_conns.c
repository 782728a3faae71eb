/* tcp_conns, raw: bench-tcp_conns.c on 1,000 socket pairs and one epoll
 * instance (see raw-tcp-pingpong.h).
 *
 *   raw-tcp_conns [N]      N round trips in all (default 40000) */
#include "raw-tcp-pingpong.h"

int main(int argc, char** argv) {
  uint64_t n = bench_count(argc, argv, 40000);
  raw_identify();
  return rpp_main("tcp_conns", 1000, n);
}
