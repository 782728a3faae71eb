#!/usr/bin/env bash
# Fetch Debian's uvloop (python3-uvloop, for Debian's /usr/bin/python3) and
# luv (lua-luv, with the Lua 5.4 interpreter it is run with) into the build
# tree, without installing them: `apt-get download` + `dpkg -x` into
# BUILD/dropin/pylua/root.  The .debs are cached in BUILD/dropin/pylua/debs,
# so a second run fetches nothing.  Nothing on the system changes.
#
# Usage: test/dropin/fetch-pylua.sh [BUILD_DIR]     (default: build)
# Prints the root directory on success; exits non-zero, loudly, on failure.
set -euo pipefail

cd "$(dirname "$0")/../.."
build=${1:-build}
dir=$PWD/$build/dropin/pylua
debs=$dir/debs
root=$dir/root

die() { echo "fetch-pylua: $*" >&2; exit 1; }

[ -x /usr/bin/python3 ] || die "Debian's /usr/bin/python3 is missing"
command -v apt-get >/dev/null || die "apt-get is missing (not a Debian system?)"

# The binaries loaded from root/: uvloop's extension links libuv.so.1, luv
# links libuv.so.1, lua5.4 carries the Lua runtime itself (it needs only
# libreadline, which most systems have; fetched too when they do not).
pkgs=(python3-uvloop lua-luv lua5.4)
ldconfig -p | grep -q 'libreadline\.so\.8 ' || pkgs+=(libreadline8)

mkdir -p "$debs"
missing=()
for p in "${pkgs[@]}"; do
  compgen -G "$debs/${p}_*.deb" >/dev/null || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fetch-pylua: downloading ${missing[*]}" >&2
  # apt's sandbox user cannot write into a root-owned build tree: download
  # into a scratch directory it can reach, then move.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  chmod 777 "$tmp"
  if ! (cd "$tmp" && apt-get download "${missing[@]}" >/dev/null 2>"$tmp/err"); then
    # A machine that never ran `apt-get update` has no package lists yet.
    echo "fetch-pylua: apt-get download failed, running apt-get update" >&2
    apt-get update >/dev/null || die "apt-get update failed"
    (cd "$tmp" && apt-get download "${missing[@]}" >/dev/null) ||
      die "apt-get download ${missing[*]} failed"
  fi
  mv "$tmp"/*.deb "$debs"/
fi

stamp=$root/.unpacked
want=$(cd "$debs" && ls ./*.deb | sort)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  rm -rf "$root"
  mkdir -p "$root"
  for f in "$debs"/*.deb; do dpkg -x "$f" "$root" || die "dpkg -x $f failed"; done
  printf '%s\n' "$want" >"$stamp"
fi

[ -f "$root/usr/lib/python3/dist-packages/uvloop/__init__.py" ] || die "uvloop not unpacked"
[ -e "$root/usr/lib/x86_64-linux-gnu/lua/5.4/luv.so" ] || die "luv not unpacked"
[ -x "$root/usr/bin/lua5.4" ] || die "lua5.4 not unpacked"
echo "$root"
