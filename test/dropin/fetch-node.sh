#!/usr/bin/env bash
# Fetch Debian's Node.js 18 (nodejs + libnode108, unchanged binaries linked
# against libuv.so.1) into the build tree, without installing anything over
# the machine's own node:
#
#   test/dropin/fetch-node.sh [BUILD_DIR]      (default: build)
#
# Leaves the tree in BUILD_DIR/dropin/node18/ and prints the node binary's
# path on the last line of stdout.  Cached: a tree already unpacked is reused.
#
# What the unpacked node needs to run:
# - libnode.so.108: the binary's RUNPATH is $ORIGIN/../lib, the library is
#   unpacked into ../lib/x86_64-linux-gnu/, so a symlink in ../lib lets the
#   binary start without LD_LIBRARY_PATH (children started with a cleared
#   environment too);
# - the runtime libraries libnode108 links (ICU, nghttp2, brotli, c-ares,
#   OpenSSL, zlib): those the machine lacks are fetched and unpacked beside;
# - acorn, acorn-walk, cjs-module-lexer and undici, which libnode.so.108
#   loads by absolute path from /usr/share/nodejs: each module missing there
#   gets a symlink to the unpacked tree (an existing module is left alone, a
#   dangling symlink left by an older tree is repaired).
# Any failure exits non-zero with a message: the drop-in test must not skip.
set -euo pipefail

NODE_VERSION=18.20.4+dfsg-1~deb12u3
MULTIARCH=x86_64-linux-gnu
MODULES_DIR=/usr/share/nodejs
# module directory -> the file libnode.so.108 loads from it, and its package
declare -A MODULE_FILE=(
  [acorn]=dist/acorn.js
  [acorn-walk]=dist/walk.js
  [cjs-module-lexer]=lexer.js
  [undici]=undici-fetch.js
)
declare -A MODULE_PACKAGE=(
  [acorn]=node-acorn
  [acorn-walk]=node-acorn
  [cjs-module-lexer]=node-cjs-module-lexer
  [undici]=node-undici
)

die() { echo "fetch-node.sh: $*" >&2; exit 1; }

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
mkdir -p "$build"
build=$(cd "$build" && pwd)
dest=$build/dropin/node18
root=$dest/root
debs=$dest/debs
node=$root/usr/bin/node
stamp=$dest/.unpacked-$NODE_VERSION

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi

fetch() { # PACKAGE[=VERSION]...: download into $debs and unpack into $root
  mkdir -p "$debs" "$root"
  # apt-get download writes into the current directory; as root it warns
  # that the _apt user cannot write there, which is harmless.
  (cd "$debs" && apt-get download "$@" 2>&1 >&2 |
     { grep -v '^W: Download is performed unsandboxed' >&2 || true; }) ||
    die "apt-get download $* failed (is the Debian bookworm/bookworm-security archive reachable?)"
  local p name deb
  for p in "$@"; do
    name=${p%%=*}
    deb=$(ls -t "$debs/${name}"_*.deb 2>/dev/null | head -n 1)
    [ -n "$deb" ] || die "no .deb for $name in $debs"
    dpkg -x "$deb" "$root" || die "dpkg -x $deb failed"
  done
}

if [ ! -e "$stamp" ]; then
  echo "fetch-node.sh: fetching Debian's nodejs $NODE_VERSION into $dest" >&2
  rm -rf "$root"
  fetch "nodejs=$NODE_VERSION" "libnode108=$NODE_VERSION" \
        node-acorn node-cjs-module-lexer node-undici
  ln -sf "$MULTIARCH/libnode.so.108" "$root/usr/lib/libnode.so.108"

  # The runtime libraries the machine lacks: libnode108's library
  # dependencies that dpkg does not list as installed.
  missing=()
  for dep in $(apt-cache depends "libnode108=$NODE_VERSION" |
               awk '/Depends:/ && $2 ~ /^lib/ { print $2 }' | sort -u); do
    case $dep in libuv1) continue ;; esac   # the point: eddy or the system's
    dpkg -s "$dep" 2>/dev/null | grep -q '^Status: install ok installed' ||
      missing+=("$dep")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "fetch-node.sh: also unpacking ${missing[*]}" >&2
    fetch "${missing[@]}"
  fi
  touch "$stamp"
fi

# Libraries unpacked beside libnode (only when some were missing).
libpath=$root/usr/lib/$MULTIARCH:$root/lib/$MULTIARCH
notfound=$(LD_LIBRARY_PATH=$libpath ldd "$node" | grep 'not found' || true)
[ -z "$notfound" ] || die "node still misses libraries:"$'\n'"$notfound"

# /usr/share/nodejs/<module>: make every path libnode loads resolve.
for m in "${!MODULE_FILE[@]}"; do
  want=$MODULES_DIR/$m/${MODULE_FILE[$m]}
  [ -e "$want" ] && continue
  [ -e "$root$MODULES_DIR/$m/${MODULE_FILE[$m]}" ] ||
    die "${MODULE_PACKAGE[$m]} did not unpack $MODULES_DIR/$m/${MODULE_FILE[$m]}"
  if [ -e "$MODULES_DIR/$m" ] && [ ! -L "$MODULES_DIR/$m" ]; then
    die "$MODULES_DIR/$m exists but lacks ${MODULE_FILE[$m]}; install ${MODULE_PACKAGE[$m]}"
  fi
  echo "fetch-node.sh: linking $MODULES_DIR/$m -> $root$MODULES_DIR/$m" >&2
  "${sudo[@]}" mkdir -p "$MODULES_DIR"
  "${sudo[@]}" ln -sfn "$root$MODULES_DIR/$m" "$MODULES_DIR/$m"
done

version=$(LD_LIBRARY_PATH=$libpath "$node" -p 'process.version') ||
  die "the unpacked node does not run"
[ "$version" = v18.20.4 ] || die "unexpected node version $version"
echo "$node"
