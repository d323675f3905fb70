#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs everything warmboot needs to build, test and run its guests, from Debian 12 packages.
# Idempotent; needs root (or sudo).
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config git clang-format ccache
  libcli11-dev libfmt-dev nlohmann-json3-dev libsystemd-dev libgtest-dev libgmock-dev
  libarchive-dev libkmod-dev libtomlplusplus-dev
  # unit tests: journal files made from export text (tests/unit/sd_journal_reader_test.cc)
  systemd-journal-remote
  # guests (tests/vm, demo)
  qemu-system-x86 qemu-utils busybox-static cpio gzip zstd dpkg-dev ca-certificates
  debootstrap e2fsprogs
  # the fleet proof (tests/fleet, `scripts/test.sh --full` only): ansible-playbook, ansible-galaxy
  ansible-core
  # UEFI guests (scripts/vm-uefi-image.sh): firmware, GPT, the ESP's vfat
  ovmf gdisk fdisk dosfstools mtools
  # the arm64 guest (--arch arm64): QEMU's virt board, its UEFI firmware (AAVMF), and qemu-user
  # for the guest's programs while its tree is built (binfmt_misc)
  qemu-system-arm qemu-efi-aarch64 qemu-user-static
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes (only recommended
  # by clang, and recommends are not installed here)
  clang libclang-rt-dev
  # the Debian packages (scripts/build-deb.sh): debhelper, lintian; arm64 cross-built with the
  # multiarch toolchain and the arm64 -dev packages
  debhelper lintian crossbuild-essential-arm64 pkgconf:arm64
  libfmt-dev:arm64 libsystemd-dev:arm64 libarchive-dev:arm64 libkmod-dev:arm64
  libtomlplusplus-dev:arm64
  # the busybox-arm64 guest's kexec-tools:arm64 (tests/vm/kinds/busybox-arm64.sh): the libraries
  # it links, for its initramfs (the Xen ones come with libxenmisc4.17)
  libxenmisc4.17:arm64 zlib1g:arm64
)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
# The :arm64 packages above need arm64 as a foreign architecture (apt-get update follows).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
