#!/usr/bin/env bash
# The install test: install eddy into a temporary prefix and use it the ways
# a user would.
#
#   run.sh BUILD_DIR [LIBDIR [BINDIR]]
#
# LIBDIR and BINDIR are CMAKE_INSTALL_LIBDIR and CMAKE_INSTALL_BINDIR,
# relative to the prefix (default lib and bin).  Checks:
#   - cmake --install --prefix puts every file in place; the shared library
#     has SONAME libeddy.so.1 and exports only uv_* and eddy_* symbols;
#   - an outside CMake project finds eddy with find_package(eddy) and links
#     eddy::eddy and eddy::eddy_static; both programs run;
#   - a program compiled with `pkg-config --cflags --libs eddy` (and with
#     --static against libeddy.a) runs;
#   - the installed eddy-run works, and a program built against the
#     system's libuv (when installed) runs on the installed <libdir>/eddy/
#     libuv.so.1 through it.
# Environment: CC, CMAKE, CMAKE_GENERATOR, EDDY_TEST_CFLAGS (the sanitizer
# flags of the build, also needed by programs linking an instrumented eddy).
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [LIBDIR [BINDIR]]" >&2
  exit 2
fi

build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cmake=${CMAKE:-cmake}
cc=${CC:-cc}
read -r -a cflags <<<"${EDDY_TEST_CFLAGS:-}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eddy-install-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
libdir=$prefix/${2:-lib}
bindir=$prefix/${3:-bin}

step() { echo "== $*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# Runs a command quietly; shows its output when it fails.
quiet() {
  local log=$tmp/last.log
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "$*"
  fi
}

step "cmake --install $build --prefix $prefix"
quiet "$cmake" --install "$build" --prefix "$prefix"

for f in "$libdir/libeddy.so.1" "$libdir/libeddy.so" "$libdir/libeddy.a" \
         "$libdir/eddy/libuv.so.1" "$libdir/pkgconfig/eddy.pc" \
         "$libdir/cmake/eddy/eddyConfig.cmake" \
         "$libdir/cmake/eddy/eddyConfigVersion.cmake" \
         "$prefix/include/uv.h" "$prefix/include/eddy.h" \
         "$prefix/include/uv/errno.h" "$prefix/include/uv/version.h" \
         "$prefix/include/uv/unix.h"; do
  [ -e "$f" ] || fail "$f is not installed"
done
[ -x "$bindir/eddy-run" ] || fail "$bindir/eddy-run is not installed"
[ "$(readlink "$libdir/eddy/libuv.so.1")" = ../libeddy.so.1 ] ||
  fail "$libdir/eddy/libuv.so.1 is not a link to ../libeddy.so.1"

step "SONAME and exported symbols"
soname=$(objdump -p "$libdir/libeddy.so.1" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = libeddy.so.1 ] || fail "SONAME is '$soname', not libeddy.so.1"
nm -D --defined-only "$libdir/libeddy.so.1" | awk 'NF >= 3 {print $3}' \
  >"$tmp/exports"
[ -s "$tmp/exports" ] || fail "libeddy.so.1 exports nothing"
if grep -Ev '^(uv_[a-z0-9]|eddy_[a-z0-9])' "$tmp/exports" >"$tmp/bad"; then
  echo "exported symbols that are neither uv_* nor eddy_*:" >&2
  head -50 "$tmp/bad" >&2
  fail "libeddy.so.1 exports more than uv_* and eddy_*"
fi
echo "$(wc -l <"$tmp/exports") symbols, all uv_* or eddy_*"

step "find_package(eddy): eddy::eddy and eddy::eddy_static"
quiet "$cmake" -S "$here" -B "$tmp/build" \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="${cflags[*]}" \
  -DCMAKE_EXE_LINKER_FLAGS="${cflags[*]}"
quiet "$cmake" --build "$tmp/build"
LD_LIBRARY_PATH="$libdir" "$tmp/build/uses-eddy-shared" ||
  fail "uses-eddy-shared (eddy::eddy)"
# ldd's output is captured first: with pipefail, `ldd | grep -q` fails
# whenever grep stops reading early and ldd dies of SIGPIPE.
deps=$(LD_LIBRARY_PATH="$libdir" ldd "$tmp/build/uses-eddy-shared")
grep -q "=> $libdir/libeddy.so.1 " <<<"$deps" ||
  fail "uses-eddy-shared does not load $libdir/libeddy.so.1"
"$tmp/build/uses-eddy-static" || fail "uses-eddy-static (eddy::eddy_static)"
deps=$(ldd "$tmp/build/uses-eddy-static")
if grep -q libeddy <<<"$deps"; then
  fail "uses-eddy-static needs libeddy.so"
fi

step "pkg-config eddy"
pc() { PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config "$@"; }
echo "eddy $(pc --modversion eddy): $(pc --cflags --libs eddy)"
# shellcheck disable=SC2046  # pkg-config output is meant to be split
"$cc" "${cflags[@]}" -o "$tmp/pc-shared" "$here/main.c" \
  $(pc --cflags --libs eddy) || fail "cc \$(pkg-config --cflags --libs eddy)"
LD_LIBRARY_PATH="$libdir" "$tmp/pc-shared" || fail "pc-shared"
static_libs=$(pc --static --libs eddy)
static_libs=${static_libs/-leddy/$libdir/libeddy.a}
# shellcheck disable=SC2046,SC2086
"$cc" "${cflags[@]}" -o "$tmp/pc-static" "$here/main.c" \
  $(pc --cflags eddy) $static_libs ||
  fail "cc with libeddy.a and pkg-config --static --libs eddy"
"$tmp/pc-static" || fail "pc-static"

step "eddy-run"
set +e
"$bindir/eddy-run" >/dev/null 2>"$tmp/usage"
status=$?
set -e
[ "$status" -eq 2 ] || fail "eddy-run without arguments exits $status, not 2"
grep -q usage "$tmp/usage" || fail "eddy-run without arguments prints no usage"
want=$(cd "$libdir/eddy" && pwd)
got=$("$bindir/eddy-run" --print-libdir)
[ "$got" = "$want" ] || fail "eddy-run --print-libdir: '$got', not '$want'"
# shellcheck disable=SC2016  # expanded by the inner shell
got=$(LD_LIBRARY_PATH=/x "$bindir/eddy-run" sh -c 'echo "$LD_LIBRARY_PATH"')
[ "$got" = "$want:/x" ] || fail "eddy-run sets LD_LIBRARY_PATH to '$got'"
# Through a symbolic link to the launcher, as a packager might install it.
ln -s "$bindir/eddy-run" "$tmp/eddy-run-link"
got=$("$tmp/eddy-run-link" --print-libdir)
[ "$got" = "$want" ] || fail "eddy-run through a link: '$got', not '$want'"
LD_LIBRARY_PATH="$libdir" "$bindir/eddy-run" "$tmp/pc-shared" ||
  fail "eddy-run pc-shared"

# A program built against the system's libuv, run on the installed eddy.
if pkg-config --exists libuv 2>/dev/null &&
   [ -e "$(pkg-config --variable=includedir libuv)/uv.h" ]; then
  step "eddy-run: a program built against the system's libuv"
  # shellcheck disable=SC2046
  "$cc" "${cflags[@]}" -D_GNU_SOURCE -DEDDY_ABI_BUILD_DIR="\"$prefix\"" \
    -o "$tmp/abi-loaded-eddy" "$here/../abi/abi-loaded-eddy.c" \
    $(pkg-config --cflags --libs libuv) -ldl ||
    fail "cc abi-loaded-eddy.c against the system's libuv"
  "$bindir/eddy-run" "$tmp/abi-loaded-eddy" ||
    fail "eddy-run abi-loaded-eddy (installed $libdir/eddy/libuv.so.1)"
else
  echo "(the system's libuv is not installed: skipping the libuv program)"
fi

echo "install test: ok"
