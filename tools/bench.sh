#!/usr/bin/env bash
# Build eddy's benchmarks in Release mode and run them on eddy, on the
# system's libuv and raw, interleaved, then print one table.
#
#   tools/bench.sh [--quick] [--runs N] [--only NAME[,NAME...]]
#                  [--csv FILE] [--md FILE] [--png FILE] [--syscalls]
#                  [--werror] [--no-install]
#
#   --quick        tiny sizes and 1 run: a smoke test (CI), not a measure
#   --runs N       runs per variant (default 5; --quick: 1)
#   --only LIST    only these benchmarks (program names: timers,async,...)
#   --csv FILE     also write the table as CSV
#   --md FILE      also write the table as Markdown
#   --png FILE     also draw it as a bar chart (needs gnuplot)
#   --syscalls     also count system calls per operation (one more run of
#                  each variant, under perf stat, or strace when perf
#                  cannot count them)
#   --werror       build with warnings as errors (CI)
#   --no-install   do not try to install libuv1-dev when it is missing
#
# Environment: EDDY_BENCH_BUILD_DIR (default build-bench),
# EDDY_BENCH_TIMEOUT (seconds per run, default 300; --quick: 60).
#
# Every bench/bench-<name>.c binary is built once, against the system's
# libuv, and runs unchanged on libuv (directly) and on eddy (through the
# build tree's eddy-run); bench/raw-<name>.c does the same work straight on
# the system calls.  Each run prints "RESULT name= unit= value=" lines and
# names the library it really ran on ("LIBRARY ..." on stderr), which is
# checked here.  Any failed run (self-check, wrong library, crash,
# timeout) makes the script exit 1 after printing what it has.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

quick=0
runs=
only=
csv=
md=
png=
syscalls=0
werror=OFF
install=1
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --runs=*) runs=${1#*=} ;;
    --only) only=${2:?--only needs a list}; shift ;;
    --only=*) only=${1#*=} ;;
    --csv) csv=${2:?--csv needs a file}; shift ;;
    --csv=*) csv=${1#*=} ;;
    --md) md=${2:?--md needs a file}; shift ;;
    --md=*) md=${1#*=} ;;
    --png) png=${2:?--png needs a file}; shift ;;
    --png=*) png=${1#*=} ;;
    --syscalls) syscalls=1 ;;
    --werror) werror=ON ;;
    --no-install) install=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$runs" ]; then
  if [ $quick = 1 ]; then runs=1; else runs=5; fi
fi
case $runs in
  ''|*[!0-9]*|0) echo "bench.sh: --runs needs a positive number" >&2; exit 2 ;;
esac

build=${EDDY_BENCH_BUILD_DIR:-build-bench}
case $build in /*) ;; *) build=$root/$build ;; esac
run_timeout=${EDDY_BENCH_TIMEOUT:-$([ $quick = 1 ] && echo 60 || echo 300)}
# The count each program gets in --quick: each reads it as its own unit
# (timers, iterations, sends...), all of them tiny; the programs whose
# unit is expensive (a process, a connection) get fewer.
quick_size_of() {
  case $1 in
    spawn) echo 5 ;;
    sizes | tcp_conns) echo 200 ;;
    *) echo 1000 ;;
  esac
}

say() { printf 'bench.sh: %s\n' "$*" >&2; }

# ---- the system's libuv, for the comparison ---------------------------------

have_system_libuv() {
  if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libuv; then
    return 0
  fi
  [ -e /usr/include/uv.h ] && [ -e /usr/include/uv/version.h ]
}

if ! have_system_libuv; then
  installed=0
  if [ $install = 1 ] && command -v apt-get >/dev/null 2>&1; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
      else
        sudo=(false)
      fi
    fi
    say "the system's libuv (libuv1-dev) is missing: installing it for the comparison"
    if "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
         apt-get install -y --no-install-recommends libuv1-dev pkg-config >&2 ||
       { "${sudo[@]}" apt-get update >&2 &&
         "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y --no-install-recommends libuv1-dev pkg-config >&2; }; then
      installed=1
    fi
  fi
  if [ $installed = 0 ]; then
    say "NOTE: the system's libuv (libuv1-dev) is not installed and could not be;"
    say "      the benchmarks are built against eddy and the libuv column is SKIPPED."
  fi
fi

# ---- build -------------------------------------------------------------------

mkdir -p "$build"
log=$build/bench-build.log
# Ninja, when there is one, builds the many small programs much faster than
# make (a fresh build dir only: a configured one keeps its generator).
generator=()
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then
  generator=(-G Ninja)
fi
say "building $build (Release, -DEDDY_BUILD_BENCH=ON)"
if ! { cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
         -DEDDY_BUILD_BENCH=ON -DEDDY_BUILD_TESTS=OFF -DEDDY_BUILD_EXAMPLES=OFF \
         -DEDDY_SANITIZE= -DEDDY_WERROR=$werror &&
       cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"; } >"$log" 2>&1; then
  cat "$log" >&2
  say "the build failed"
  exit 1
fi
grep -i 'warning' "$log" >&2 || true

manifest=$build/bench/bench.manifest
[ -f "$manifest" ] || { say "$manifest is missing"; exit 1; }

eddy_run=$(awk '$1 == "eddy_run" { print $2 }' "$manifest")
read -r _ libuv_built libuv_version libuv_lib < <(awk '$1 == "libuv"' "$manifest")
[ -x "$eddy_run" ] || { say "$eddy_run is missing"; exit 1; }
eddy_libdir=$("$eddy_run" --print-libdir)

# Programs in a stable order: the ones known here first, then any new ones.
order="timers timer_churn loop loop_poll phases handles now async async_pingpong
       tcp_pingpong tcp_pump tcp_conns udp_pummel queue_work fs_stat spawn sizes"
names=()
for n in $order $(awk '$1 == "bench" || $1 == "raw" { print $2 }' "$manifest" | sort -u); do
  case " ${names[*]-} " in *" $n "*) continue ;; esac
  awk -v n="$n" '($1 == "bench" || $1 == "raw") && $2 == n { f = 1 } END { exit !f }' \
    "$manifest" || continue
  if [ -n "$only" ]; then
    case ",$only," in *",$n,"*) ;; *) continue ;; esac
  fi
  names+=("$n")
done
if [ ${#names[@]} -eq 0 ]; then
  say "no benchmarks to run${only:+ (--only $only)}"
  exit 1
fi

path_of() { awk -v k="$1" -v n="$2" '$1 == k && $2 == n { print $3 }' "$manifest"; }

# ---- running -----------------------------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/eddy-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
results=$work/results     # name unit variant value
ops=$work/ops             # name variant count
: >"$results"
: >"$ops"
failures=0

# The command line that runs program $2 as variant $1 (eddy, libuv, raw).
variant_cmd() {
  case $1 in
    eddy) printf '%s\n' "$eddy_run" "$2" ;;
    *) printf '%s\n' "$2" ;;
  esac
}

# Checks the LIBRARY line of a run's stderr against the variant.
check_library() {
  local variant=$1 err=$2 line
  line=$(grep -m1 '^LIBRARY ' "$err" || true)
  case $variant in
    raw)
      [ "$line" = "LIBRARY kind=raw" ] && return 0 ;;
    eddy)
      case $line in
        "LIBRARY kind=uv "*" eddy=none "*) ;;
        "LIBRARY kind=uv "*" eddy="*) return 0 ;;
      esac ;;
    libuv)
      case $line in
        "LIBRARY kind=uv uv_version=$libuv_version eddy=none "*) return 0 ;;
      esac ;;
  esac
  say "FAILED: the $variant run did not run on $variant: '${line:-no LIBRARY line}'"
  return 1
}

# run_one VARIANT NAME PROGRAM [SIZE]: one timed run; records its results.
run_one() {
  local variant=$1 name=$2 prog=$3 size=${4-}
  local out=$work/out err=$work/err rc=0
  local -a cmd
  mapfile -t cmd < <(variant_cmd "$variant" "$prog")
  timeout "$run_timeout" "${cmd[@]}" ${size:+"$size"} >"$out" 2>"$err" || rc=$?
  if [ $rc -ne 0 ]; then
    if [ $rc -eq 124 ]; then
      say "FAILED: $name on $variant timed out after ${run_timeout}s"
    else
      say "FAILED: $name on $variant exited with status $rc"
    fi
    sed 's/^/    /' "$err" | tail -n 20 >&2
    failures=$((failures + 1))
    return 0
  fi
  if ! check_library "$variant" "$err"; then
    failures=$((failures + 1))
    return 0
  fi
  if ! grep -q '^RESULT ' "$out"; then
    say "FAILED: $name on $variant printed no RESULT line"
    failures=$((failures + 1))
    return 0
  fi
  awk -v v="$variant" '
    $1 == "RESULT" {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      print f["name"], f["unit"], v, f["value"]
    }' "$out" >>"$results"
  awk -v v="$variant" '
    $1 == "OPS" {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      print f["name"], v, f["count"]
    }' "$out" >>"$ops"
}

variants=(eddy)
[ "$libuv_built" = 1 ] && variants+=(libuv)
variants+=(raw)

size=

say "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), Linux $(uname -r)"
if [ "$libuv_built" = 1 ]; then
  say "libuv: $libuv_version ($libuv_lib); eddy: $eddy_libdir/libuv.so.1"
else
  say "NOTE: the benchmarks were built without the system's libuv: the libuv column is SKIPPED"
fi
say "running ${names[*]}: $runs run(s) each, variants ${variants[*]} interleaved$([ $quick = 1 ] && echo ', tiny sizes')"

for name in "${names[@]}"; do
  [ $quick = 1 ] && size=$(quick_size_of "$name")
  for ((r = 1; r <= runs; r++)); do
    for variant in "${variants[@]}"; do
      if [ $variant = raw ]; then
        prog=$(path_of raw "$name")
      else
        prog=$(path_of bench "$name")
      fi
      [ -n "$prog" ] || continue
      start=${EPOCHREALTIME:-0}
      run_one "$variant" "$name" "$prog" "$size"
      printf '  %-16s %-6s run %d/%d  %.2fs\n' "$name" "$variant" "$r" "$runs" \
        "$(awk -v a="$start" -v b="${EPOCHREALTIME:-0}" 'BEGIN { print b - a }')" >&2
    done
  done
done

# ---- system calls per operation ------------------------------------------------

sys=$work/syscalls        # name variant syscalls-per-op
: >"$sys"
if [ $syscalls = 1 ]; then
  counter=
  if command -v perf >/dev/null 2>&1 &&
     perf stat -x, -e raw_syscalls:sys_enter -o /dev/null true >/dev/null 2>&1; then
    counter=perf
  elif command -v strace >/dev/null 2>&1; then
    counter=strace
  else
    say "--syscalls: neither perf nor strace can count system calls here; skipped"
  fi
  # count_syscalls VARIANT PROGRAM: prints the number of system calls the
  # program made (every thread), after its own ops lines went to $work/sysout.
  count_syscalls() {
    local variant=$1 prog=$2 f=$work/count env=()
    [ "$variant" = eddy ] &&
      env=(env "LD_LIBRARY_PATH=$eddy_libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
    if [ $counter = perf ]; then
      "${env[@]}" perf stat -x, -e raw_syscalls:sys_enter -o "$f" -- \
        "$prog" ${size:+"$size"} >"$work/sysout" 2>"$work/syserr" || return 1
      awk -F, '$3 ~ /raw_syscalls:sys_enter/ { print $1 }' "$f"
    else
      "${env[@]}" strace -f -c -o "$f" -- \
        "$prog" ${size:+"$size"} >"$work/sysout" 2>"$work/syserr" || return 1
      awk '$NF == "total" { print $4 }' "$f"
    fi
  }
  if [ -n "$counter" ]; then
    say "counting system calls per operation with $counter"
    for name in "${names[@]}"; do
      [ $quick = 1 ] && size=$(quick_size_of "$name")
      for variant in "${variants[@]}"; do
        if [ $variant = raw ]; then prog=$(path_of raw "$name"); else prog=$(path_of bench "$name"); fi
        [ -n "$prog" ] || continue
        if ! n=$(count_syscalls "$variant" "$prog") || [ -z "$n" ] ||
           ! check_library "$variant" "$work/syserr"; then
          say "--syscalls: counting $name on $variant failed"
          continue
        fi
        awk -v v="$variant" -v total="$n" '
          $1 == "OPS" {
            for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
            if (f["count"] > 0) printf "%s %s %.4g\n", f["name"], v, total / f["count"]
          }' "$work/sysout" >>"$sys"
      done
    done
  fi
fi

# ---- the table -----------------------------------------------------------------

if [ ! -s "$results" ]; then
  say "no results"
  exit 1
fi

# One line per result name, in the order first seen:
#   name unit better eddy_med eddy_min eddy_max libuv_med ... raw_max
#   eddy/libuv eddy/raw sys_eddy sys_libuv sys_raw
# ("-" where there is nothing).  Ratios are oriented so that > 1 means
# eddy is better: for lower-is-better units (a time per something, or a
# size in bytes: B, B/conn) they are inverted.
summary=$work/summary
awk -v sysfile="$sys" '
  function lower_is_better(u) { return u ~ /^(ns|us|ms|s)\// || u ~ /^B(\/|$)/ }
  function median(list,   a, n, t, i, j) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) {   # insertion sort: n is small
      t = a[i] + 0
      for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]
      a[j + 1] = t
    }
    smin = a[1]; smax = a[n]
    if (n % 2) return a[(n + 1) / 2]
    return (a[n / 2] + a[n / 2 + 1]) / 2
  }
  BEGIN {
    CONVFMT = "%.10g"; OFMT = "%.10g"
    while ((getline line < sysfile) > 0) {
      split(line, s, " "); sysc[s[1] SUBSEP s[2]] = s[3]
    }
  }
  {
    if (!($1 in unit)) { unit[$1] = $2; order[++count] = $1 }
    vals[$1 SUBSEP $3] = vals[$1 SUBSEP $3] " " $4
  }
  END {
    for (k = 1; k <= count; k++) {
      name = order[k]
      low = lower_is_better(unit[name])
      line = name " " unit[name] " " (low ? "lower" : "higher")
      split("eddy libuv raw", vs, " ")
      for (v = 1; v <= 3; v++) {
        key = name SUBSEP vs[v]
        if (key in vals) {
          med[v] = median(vals[key]); line = line " " med[v] " " smin " " smax
        } else {
          med[v] = ""; line = line " - - -"
        }
      }
      for (v = 2; v <= 3; v++) {
        if (med[1] == "" || med[v] == "" || med[1] + 0 == 0 || med[v] + 0 == 0)
          r = "-"
        else
          r = sprintf("%.3f", low ? med[v] / med[1] : med[1] / med[v])
        line = line " " r
      }
      for (v = 1; v <= 3; v++) {
        key = name SUBSEP vs[v]
        line = line " " ((key in sysc) ? sysc[key] : "-")
      }
      print line
    }
  }' "$results" >"$summary"

fmt_awk='
  function fmt(x,   a) {
    if (x == "-" || x == "") return "-"
    a = x < 0 ? -x : x
    if (a >= 1e9) return sprintf("%.2fG", x / 1e9)
    if (a >= 1e6) return sprintf("%.2fM", x / 1e6)
    if (a >= 1e4) return sprintf("%.1fk", x / 1e3)
    if (a >= 100) return sprintf("%.0f", x)
    if (a >= 10) return sprintf("%.1f", x)
    if (a >= 0.01 || a == 0) return sprintf("%.2f", x)
    return sprintf("%.1e", x)
  }
  function cell(m, lo, hi) {
    if (m == "-") return "-"
    return fmt(m) " [" fmt(lo) ".." fmt(hi) "]"
  }
  function ratio(r) { return r == "-" ? "-" : sprintf("%.2fx", r) }'

echo
if [ $quick = 1 ]; then
  echo "(--quick: tiny sizes, one run; a smoke test, the figures mean nothing)"
fi
awk -v runs="$runs" -v withsys="$syscalls" "$fmt_awk"'
  BEGIN {
    printf "%-15s %-10s %-26s %-26s %-26s %-10s %-9s", "benchmark", "unit",
           "eddy median [min..max]", "libuv median [min..max]",
           "raw median [min..max]", "eddy/libuv", "eddy/raw"
    if (withsys) printf "  %s", "syscalls/op eddy libuv raw"
    printf "\n"
  }
  {
    printf "%-15s %-10s %-26s %-26s %-26s %-10s %-9s", $1, $2,
           cell($4, $5, $6), cell($7, $8, $9), cell($10, $11, $12),
           ratio($13), ratio($14)
    if (withsys) printf "  %s %s %s", fmt($15), fmt($16), fmt($17)
    printf "\n"
  }' "$summary"
echo
echo "Ratios are oriented so that > 1 means eddy is better (for a unit of time per"
echo "operation or of bytes, libuv/eddy); eddy/raw is the fraction of the physical"
echo "limit reached."
if [ "$libuv_built" = 1 ]; then
  echo "$runs run(s) per variant, interleaved; libuv $libuv_version from $libuv_lib."
else
  echo "$runs run(s) per variant, interleaved; no libuv column: the system's libuv was not found."
fi

if [ -n "$csv" ]; then
  {
    echo "benchmark,unit,better,eddy_median,eddy_min,eddy_max,libuv_median,libuv_min,libuv_max,raw_median,raw_min,raw_max,eddy_vs_libuv,eddy_vs_raw,syscalls_per_op_eddy,syscalls_per_op_libuv,syscalls_per_op_raw"
    awk '{ for (i = 1; i <= NF; i++) { if ($i == "-") $i = ""; printf "%s%s", $i, (i < NF ? "," : "\n") } }' "$summary"
  } >"$csv"
  say "wrote $csv"
fi

if [ -n "$md" ]; then
  awk -v withsys="$syscalls" "$fmt_awk"'
    BEGIN {
      printf "| benchmark | unit | eddy | libuv | raw | eddy/libuv | eddy/raw |"
      if (withsys) printf " syscalls/op (eddy / libuv / raw) |"
      printf "\n| --- | --- | --- | --- | --- | --- | --- |"
      if (withsys) printf " --- |"
      printf "\n"
    }
    {
      printf "| %s | %s | %s | %s | %s | %s | %s |", $1, $2,
             cell($4, $5, $6), cell($7, $8, $9), cell($10, $11, $12),
             ratio($13), ratio($14)
      if (withsys) printf " %s / %s / %s |", fmt($15), fmt($16), fmt($17)
      printf "\n"
    }' "$summary" >"$md"
  say "wrote $md"
fi

if [ -n "$png" ]; then
  if ! command -v gnuplot >/dev/null 2>&1; then
    say "--png: gnuplot is not installed (apt-get install gnuplot-nox); no chart"
  else
    # Bars: each library's median relative to libuv's (or eddy's when
    # there is no libuv column), oriented so that higher is better, on a
    # log scale since raw can be far ahead.
    awk '
      function rel(x, base, low) {
        if (x == "-" || base == "-" || x + 0 == 0 || base + 0 == 0) return "?"
        return low ? base / x : x / base
      }
      {
        low = ($3 == "lower"); base = ($7 != "-") ? $7 : $4
        print $1, rel($4, base, low), rel($7, base, low), rel($10, base, low)
      }' "$summary" >"$work/chart.dat"
    terminal="pngcairo size 1200,600 font \",10\""
    gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1 || terminal="png size 1200,600"
    base_name=$([ "$libuv_built" = 1 ] && echo libuv || echo eddy)
    if gnuplot >"$work/gnuplot.log" 2>&1 <<GNUPLOT
set terminal $terminal
set output '$png'
set datafile missing '?'
set termoption noenhanced
set title "eddy benchmarks: median relative to $base_name (higher is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y 2
set grid ytics
set ylabel "relative to $base_name (log scale)"
set xtics rotate by -30 scale 0
set key top left
plot '$work/chart.dat' using 2:xtic(1) title 'eddy', '' using 3 title 'libuv', '' using 4 title 'raw'
GNUPLOT
    then
      say "wrote $png"
    else
      cat "$work/gnuplot.log" >&2
      say "--png: gnuplot failed"
      failures=$((failures + 1))
    fi
  fi
fi

if [ $failures -ne 0 ]; then
  say "$failures run(s) FAILED (see above): the table is incomplete"
  exit 1
fi
