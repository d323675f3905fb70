#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch a Debian kernel image for the QEMU guest tests and print the path of its vmlinuz.
#
#   scripts/vm-kernel.sh [--arch amd64|arm64] [PACKAGE]
#
# PACKAGE defaults to linux-image-ARCH (ARCH: this machine's, or --arch; arm64 packages come through
# the foreign architecture scripts/install-deps.sh adds). A meta package (linux-image-amd64,
# linux-image-cloud-amd64, ...) is resolved to the real one (linux-image-6.1.0-NN-amd64) with
# apt-cache. The package is
# downloaded with `apt-get download` (nothing is installed) and only its ./boot/ and the virtio disk
# drivers (drivers/virtio/*.ko and virtio_blk.ko, for the busybox guest's disks) are unpacked:
#   ${WARMBOOT_CACHE:-~/.cache/warmboot}/kernels/<package>_<version>/boot/
#   ${WARMBOOT_CACHE:-~/.cache/warmboot}/kernels/<package>_<version>/modules/<release>/
# A second call with the same package and version reuses the cache and downloads nothing.
# If apt cannot resolve the package (no lists, offline), the newest cached version is used.
set -euo pipefail

die() {
  echo "vm-kernel: $*" >&2
  exit 1
}

arch=$(dpkg --print-architecture)
if [[ ${1:-} == --arch ]]; then
  arch=${2:-}
  shift 2
fi
[[ $arch =~ ^[a-z0-9]+$ ]] || die "--arch takes a Debian architecture name"
pkg=${1:-linux-image-$arch}
# apt names a foreign architecture's package PKG:ARCH.
apt_pkg() { if [[ $arch == "$(dpkg --print-architecture)" ]]; then echo "$1"; else echo "$1:$arch"; fi; }
cache=${WARMBOOT_CACHE:-${HOME}/.cache/warmboot}
kernels=${cache}/kernels
mkdir -p "$kernels"

# Newest already unpacked version of $1, or nothing.
cached_dir() {
  local d
  d=$(find "$kernels" -mindepth 1 -maxdepth 1 -type d -name "${1}_*" -exec test -e '{}/.complete' ';' \
    -exec test -e '{}/.modules' ';' -print | sort -V | tail -n 1)
  [[ -n $d ]] && echo "$d"
}

print_vmlinuz() {
  local v
  v=$(find "$1/boot" -maxdepth 1 -name 'vmlinuz-*' | sort -V | tail -n 1)
  [[ -n $v ]] || die "no vmlinuz in $1/boot"
  echo "$v"
}

# A meta package depends on exactly one real image package; follow that dependency.
if [[ ! $pkg =~ ^linux-image-[0-9] ]]; then
  real=$(apt-cache depends "$(apt_pkg "$pkg")" 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*\)\(:[a-z0-9]*\)\{0,1\}$/\1/p' | head -n 1) || true
  if [[ -z ${real:-} ]]; then
    # Offline: any cached real package of this architecture is better than nothing.
    d=$(cached_dir "linux-image-[0-9]*-$arch") || die "cannot resolve $pkg with apt-cache (run apt-get update)"
    print_vmlinuz "$d"
    exit 0
  fi
  pkg=$real
fi

version=$(apt-cache show --no-all-versions "$(apt_pkg "$pkg")" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1) || true
if [[ -z ${version:-} ]]; then
  d=$(cached_dir "$pkg") || die "apt-cache knows no $pkg and none is cached (run apt-get update)"
  print_vmlinuz "$d"
  exit 0
fi

dest=${kernels}/${pkg}_${version}
if [[ -e $dest/.complete && -e $dest/.modules ]]; then
  print_vmlinuz "$dest"
  exit 0
fi

# Serialize concurrent fetches of the same cache.
exec 9>"${kernels}/.lock"
flock 9
if [[ ! -e $dest/.complete || ! -e $dest/.modules ]]; then
  tmp=$(mktemp -d "${kernels}/.fetch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "vm-kernel: downloading $pkg=$version" >&2
  # As root, apt would try to drop to _apt, which cannot enter a private home; stay root.
  (cd "$tmp" && apt-get download -q=2 -o APT::Sandbox::User=root "$(apt_pkg "$pkg")=${version}") >&2 ||
    die "apt-get download $(apt_pkg "$pkg")=${version} failed"
  deb=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n 1)
  [[ -n $deb ]] || die "apt-get download produced no .deb"
  mkdir -p "$tmp/root"
  # ./boot/ (vmlinuz, config, System.map) and the virtio disk drivers; skip the ~400 MB of modules.
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/root" --wildcards ./boot \
    '*/kernel/drivers/virtio/*.ko' '*/kernel/drivers/block/virtio_blk.ko'
  find "$tmp/root/boot" -maxdepth 1 -name 'vmlinuz-*' | grep -q . || die "$deb has no boot/vmlinuz-*"
  blk=$(find "$tmp/root" -name virtio_blk.ko | head -n 1)
  [[ -n $blk ]] || die "$deb has no virtio_blk.ko"
  if [[ ! -e $dest/.complete ]]; then # (a cache from before the modules keeps its ./boot/)
    rm -rf "$dest"
    mkdir -p "$dest"
    mv "$tmp/root/boot" "$dest/boot"
    echo "${pkg} ${version}" >"$dest/.complete"
  fi
  rm -rf "$dest/modules"
  mkdir -p "$dest/modules"
  mv "${blk%/kernel/drivers/block/virtio_blk.ko}" "$dest/modules/"
  echo "${pkg} ${version}" >"$dest/.modules"
fi
print_vmlinuz "$dest"
