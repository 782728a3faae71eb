#!/usr/bin/env bash
# Build eddy and run its whole test suite: the README's test command.
#
#   ./tools/test.sh
#
# 1. installs what the build needs with apt-get when something is missing
#    (cmake, make, gcc, libc6-dev, pkg-config, libcmocka-dev, libuv1-dev;
#    the system's libuv is what the ABI tests build against);
# 2. configures build/ with the tests on and warnings as errors, builds it;
# 3. runs ctest.
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(cmake make gcc libc6-dev pkg-config libcmocka-dev libuv1-dev)

if command -v dpkg >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      sudo=(sudo)
    fi
    echo "tools/test.sh: installing ${missing[*]}"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends "${missing[@]}"
  fi
else
  echo "tools/test.sh: no dpkg here; make sure these are installed:" \
       "${packages[*]}" >&2
fi

cmake -S . -B build -DEDDY_BUILD_TESTS=ON -DEDDY_REQUIRE_TESTS=ON -DEDDY_WERROR=ON -DEDDY_SANITIZE=
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
