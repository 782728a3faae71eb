/* tcp_conns: 1,000 loopback TCP connections doing ping-pong at once, all
 * on one loop (see bench-tcp-pingpong.h): each client keeps one 64-byte
 * message in flight, so the loop has up to 1,000 sockets ready per turn.
 *
 *   bench-tcp_conns [N]      N round trips in all (default 40000), shared
 *                            out between min(1000, N) connections
 *
 * Result: tcp_conns = round trips (messages echoed back) per second.
 * The soft descriptor limit is raised to the hard limit first. */
#include "bench-tcp-pingpong.h"

int main(int argc, char** argv) {
  uint64_t n = bench_count(argc, argv, 40000);
  bench_identify();
  return pp_main("tcp_conns", 1000, n);
}
