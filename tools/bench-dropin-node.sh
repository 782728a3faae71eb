#!/usr/bin/env bash
# Debian's node 18, the same binary on eddy and on the system's libuv,
# interleaved (eddy, libuv, eddy, libuv, ...):
#
#   tools/bench-dropin-node.sh [--runs N] [--duration S] [--size MIB] [BUILD_DIR]
#
#   http    a hello-world HTTP server under wrk (1 thread, 50 connections,
#           loopback, S seconds; default 5): requests/s
#   fs      a node script streaming a file (MIB MiB, default 1024) through
#           fs.createReadStream -> fs.createWriteStream('/dev/null'): MB/s
#
# Prints every run, then the medians and the eddy/libuv ratio (above 1:
# eddy is faster).  node comes from test/dropin/fetch-node.sh (fetched into
# BUILD_DIR/dropin/node18/ when missing); wrk is Debian's package, installed
# with apt-get when missing.  Each run checks which libuv its node mapped.
# This is a measure, not a test: run it on a quiet machine.
set -euo pipefail

cd "$(dirname "$0")/.."
src=$(pwd)

runs=5
duration=5
size_mib=1024
build=$src/build
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?}; shift ;;
    --duration) duration=${2:?}; shift ;;
    --size) size_mib=${2:?}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench-dropin-node.sh: unknown option $1" >&2; exit 2 ;;
    *) build=$1 ;;
  esac
  shift
done
build=$(cd "$build" && pwd)

die() { echo "bench-dropin-node.sh: $*" >&2; exit 1; }

[ -x "$build/eddy-run" ] || die "$build/eddy-run missing: build eddy first"
node=$("$src/test/dropin/fetch-node.sh" "$build" | tail -n 1)
if ! command -v wrk >/dev/null 2>&1; then
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends wrk >&2 || die "cannot install wrk"
fi

eddy_lib=$(readlink -f "$build/compat/libuv.so.1")
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Runs node on VARIANT (eddy | libuv), in place of the (background)
# subshell that calls it, so that $! is node's pid (eddy-run execs too).
run_node() {
  local variant=$1; shift
  if [ "$variant" = eddy ]; then
    exec "$build/eddy-run" "$node" "$@"
  else
    exec "$node" "$@"
  fi
}

# Prints the libuv the node process PID mapped.
mapped_libuv() {
  awk '$6 ~ /libuv\.so|libeddy\.so/ { print $6; exit }' "/proc/$1/maps"
}

check_library() { # VARIANT PID
  local lib
  lib=$(mapped_libuv "$2")
  if [ "$1" = eddy ]; then
    [ "$lib" = "$eddy_lib" ] || die "eddy run mapped ${lib:-no libuv}, not $eddy_lib"
  else
    [ -n "$lib" ] && [ "$lib" != "$eddy_lib" ] || die "libuv run mapped ${lib:-no libuv}"
  fi
}

cat >"$work/server.js" <<'JS'
const http = require('http');
const server = http.createServer((req, res) => res.end('hello world\n'));
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
JS

cat >"$work/stream.js" <<'JS'
const fs = require('fs');
const { pipeline } = require('stream');
const file = process.argv[2];
const size = fs.statSync(file).size;
const start = process.hrtime.bigint();
pipeline(fs.createReadStream(file), fs.createWriteStream('/dev/null'), (err) => {
  if (err) throw err;
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  console.log((size / 1e6 / s).toFixed(1));
});
// Which library: the parent reads /proc/<pid>/maps while we stream.
JS

bench_http() { # VARIANT: prints requests/s
  local variant=$1 port rps
  run_node "$variant" "$work/server.js" >"$work/port" &
  server_pid=$!
  for _ in $(seq 100); do
    port=$(head -n 1 "$work/port" 2>/dev/null || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || die "the $variant server did not start"
  check_library "$variant" "$server_pid"
  rps=$(wrk -t1 -c50 -d"${duration}s" "http://127.0.0.1:$port/" |
        awk '/^Requests\/sec:/ { print $2 }')
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=
  [ -n "$rps" ] || die "wrk gave no figure for $variant"
  echo "$rps"
}

file=$build/dropin/bench-$size_mib.bin
if [ ! -e "$file" ] || [ "$(stat -c %s "$file")" -ne $((size_mib << 20)) ]; then
  echo "bench-dropin-node.sh: writing $file ($size_mib MiB)" >&2
  head -c "$((size_mib << 20))" /dev/urandom >"$file.tmp" && mv "$file.tmp" "$file"
fi

bench_fs() { # VARIANT: prints MB/s
  local variant=$1 pid mbs
  run_node "$variant" "$work/stream.js" "$file" >"$work/mbs" &
  pid=$!
  # The library check needs the process alive: the first maps read comes
  # well before a 1 GiB stream ends; a too-small file may finish first.
  sleep 0.5
  if [ -e "/proc/$pid/maps" ]; then check_library "$variant" "$pid"; fi
  wait "$pid" || die "the $variant stream failed"
  mbs=$(cat "$work/mbs")
  [ -n "$mbs" ] || die "no figure from the $variant stream"
  echo "$mbs"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A results
echo "node: $node ($("$node" --version)); eddy: $eddy_lib; $runs runs each, interleaved"
cat "$file" >/dev/null # the file in the page cache for every run alike
for bench in http fs; do
  for i in $(seq "$runs"); do
    for variant in eddy libuv; do
      v=$("bench_$bench" "$variant")
      printf '%-5s run %d %-5s %s\n' "$bench" "$i" "$variant" "$v"
      results[$bench.$variant]+="$v "
    done
  done
done

echo
printf '%-42s %12s %12s %12s\n' benchmark eddy libuv eddy/libuv
for bench in http fs; do
  e=$(tr ' ' '\n' <<<"${results[$bench.eddy]}" | grep . | median)
  l=$(tr ' ' '\n' <<<"${results[$bench.libuv]}" | grep . | median)
  case $bench in
    http) label="node http hello world, wrk -t1 -c50 (req/s)" ;;
    fs) label="node fs stream $size_mib MiB -> /dev/null (MB/s)" ;;
  esac
  printf '%-42s %12s %12s %12s\n' "$label" "$e" "$l" "$(awk -v e="$e" -v l="$l" 'BEGIN { printf "%.2f", e / l }')"
done
