#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds warmboot's Debian package from this working tree with dpkg-buildpackage (debian/), then
# checks it with lintian. amd64 natively; arm64 cross-built with Debian's multiarch toolchain
# (scripts/install-deps.sh installs crossbuild-essential-arm64 and the :arm64 -dev packages).
#
#   scripts/build-deb.sh [--arch amd64|arm64] [--out DIR] [--nocheck]
#
# The build runs in a copy of the tree's files (tracked and untracked, not ignored), in DIR/src
# (default build-deb/<arch>/), so that nothing is written next to the checkout; the packages land
# in DIR. The unit tests run during a native build unless --nocheck; a cross build is always
# --nocheck (debian/rules says why).
# A package already built in DIR from the same files is reused. Prints the .deb's path.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

arch=$(dpkg --print-architecture) out='' nocheck=0
while (($#)); do
  case $1 in
    --arch) arch=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --nocheck) nocheck=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "build-deb: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
out=${out:-$repo/build-deb/$arch}
[[ $arch == "$(dpkg --print-architecture)" ]] || nocheck=1
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The files and their contents name the build: the same key, the same package. A build without its
# tests (--nocheck, every cross build) reads none of tests/, scripts/ (but this one), bench/,
# ansible/ or the Markdown: those are copied but left out of its key, so that editing a guest case or
# an image script does not rebuild the package the guests install. A native build with its tests
# hashes every file.
# (ls -d drops files deleted but not yet staged, and then exits 1: that is not a failure.)
files=$({ git ls-files --cached --others --exclude-standard -z | xargs -0 -r ls -d 2>/dev/null || true; } | sort)
keyed=$files
((nocheck)) && keyed=$(grep -Ev '^(tests/|scripts/|bench/|ansible/|\.ci/|.*\.md$)' <<<"$files"; echo scripts/build-deb.sh)
key=$( { echo "arch=$arch nocheck=$nocheck"; tr '\n' '\0' <<<"$keyed" | xargs -0 sha256sum; } |
  sha256sum | cut -c1-16)
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
deb=$out/warmboot_${version}_$arch.deb
if [[ -f $deb && $(cat "$out/key" 2>/dev/null) == "$key" ]]; then
  echo "$deb"
  exit 0
fi

rm -rf "$out/src" "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo "$out/key"
mkdir -p "$out/src"
echo "$files" | tr '\n' '\0' | tar -C "$repo" --null -T - -cf - | tar -C "$out/src" -xf -

options=(-b -us -uc --host-arch "$arch" -j"$(nproc)")
export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-}
if ((nocheck)); then
  DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS nocheck"
  options+=(--build-profiles=nocheck)
fi
echo "build-deb: dpkg-buildpackage for $arch (log: $out/build.log)" >&2
if ! (cd "$out/src" && dpkg-buildpackage "${options[@]}") >"$out/build.log" 2>&1; then
  tail -n 30 "$out/build.log" >&2
  echo "build-deb: dpkg-buildpackage failed for $arch (see $out/build.log)" >&2
  exit 1
fi
changes=("$out"/warmboot_"${version}"_"$arch".changes)
if ! lintian --fail-on error,warning --info "${changes[0]}" >"$out/lintian.log" 2>&1; then
  cat "$out/lintian.log" >&2
  echo "build-deb: lintian is not clean for $arch (see $out/lintian.log)" >&2
  exit 1
fi
rm -rf "$out/src"
echo "$key" >"$out/key"
echo "$deb"
