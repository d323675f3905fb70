# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # KIND_* and the case defaults are read by tests/vm/lib/
# Guest kind "debian13-arm64": Debian 13 arm64 (systemd 257, Debian's signed 6.12 arm64 kernels,
# kexec-tools) on QEMU's virt board (TCG, a Neoverse-N1, 2 vCPUs) with Debian's AAVMF firmware and
# GRUB on a GPT disk: scripts/vm-uefi-image.sh --arch arm64 --variant grub (tests/vm/uefi-images.md).
# The console is the PL011 (ttyAMA0). Boots: "firmware" (AAVMF -> GRUB -> its default entry) or
# "kernel" (QEMU's -kernel under the same firmware, the newest kernel). The debian13 kind with
# another image and payload: it sources kinds/debian13.sh.
# warmboot comes as its arm64 Debian package, cross-built from this tree (scripts/build-deb.sh --arch
# arm64, into the build directory of the BINARY the harness is given: that amd64 binary itself is not
# used), installed by dpkg on the first boot with libfmt9 from Debian 12, the one library of the
# package's Depends that Debian 13 renamed (libfmt10); libarchive13 and libtomlplusplus3 are
# provided by trixie's t64 packages.
# arm64 has no /proc/sys/kernel/bootloader_type: a warm boot shows as a new boot in the same QEMU
# process (-no-reboot) after the old kernel's "kexec_core: Starting new kernel" (KIND_WARM_LOADER).
# shellcheck source=tests/vm/kinds/debian13.sh
. "$VM_REPO/tests/vm/kinds/debian13.sh"
KIND_QEMU=qemu-system-aarch64
KIND_TIMEOUT=900       # default TIMEOUT of a case (seconds per QEMU run; TCG emulates every arm64 instruction)
KIND_PREPARE_ROOM=2700 # ctest: extra seconds for the base tree (qemu-user), the image and the package
KIND_WARM_LOADER=none
UEFI_IMAGE_ARCH=arm64

kind_defaults() {
  VARIANT=grub
  MEMORY=1536
}

kind_payload() {
  vm_payload_deb "$VM_PAYLOAD/debs" "$1" arm64 || vm_die "building the arm64 package failed"
  # The Debian 12 libraries the package needs and Debian 13 lacks, as arm64 packages (cached).
  local dir=${WARMBOOT_CACHE:-$HOME/.cache/warmboot}/debs-bookworm-arm64
  mkdir -p "$dir"
  compgen -G "$dir/libfmt9_*_arm64.deb" >/dev/null ||
    (cd "$dir" && apt-get download -q=2 -o APT::Sandbox::User=root libfmt9:arm64) >&2 ||
    vm_die "apt-get download libfmt9:arm64 failed (scripts/install-deps.sh adds the arm64 architecture)"
  cp "$dir"/libfmt9_*_arm64.deb "$VM_PAYLOAD/debs/"
  vm_payload_disk
}
