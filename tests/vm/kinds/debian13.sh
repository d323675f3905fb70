# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # KIND_* and the case defaults are read by tests/vm/lib/
# Guest kind "debian13": Debian 13 (systemd 257, kernel 6.12) on UEFI firmware (OVMF) with a real
# boot loader on a GPT disk, as machines boot: scripts/vm-uefi-image.sh builds and caches one image
# per VARIANT (grub, grub-timeout, sdboot, sdboot-uki, secureboot; see tests/vm/uefi-images.md).
# Boots: "firmware" (OVMF -> the boot loader on the disk -> its default or one-shot entry, what a
# cold reboot does) or "kernel" (QEMU's -kernel under the same firmware, the newest kernel).
# Disks: a copy-on-write overlay of the image's disk.raw (shared by the runs of a case, as is the
# copy of the firmware's variables: a machine keeps its NVRAM), and the payload disk (label
# WBPAYLOAD) that the image's warmboot-vm.service mounts and runs, as in the debian12 kind.
KIND_QEMU=qemu-system-x86_64
KIND_TIMEOUT=480       # default TIMEOUT of a case (seconds per QEMU run)
KIND_PREPARE_ROOM=1500 # ctest: extra seconds for the base tree and the image from an empty cache
KIND_BOOTS="firmware kernel"
KIND_GUEST=debian.sh

kind_defaults() {
  VARIANT=grub # grub | grub-timeout | sdboot | sdboot-uki | secureboot
}

# What the arm64 kind (kinds/debian13-arm64.sh, which sources this file) changes: the image's
# architecture, and how warmboot gets into the guest (kind_payload BINARY: here the binary and the
# libraries the guest lacks, on the payload disk).
UEFI_IMAGE_ARCH=amd64
kind_payload() { vm_payload_disk "$1"; }

kind_prepare() {
  local image
  image=$("$VM_REPO/scripts/vm-uefi-image.sh" --arch "$UEFI_IMAGE_ARCH" --variant "$VARIANT") ||
    vm_die "building the Debian 13 UEFI image ($UEFI_IMAGE_ARCH, $VARIANT) failed"
  UEFI_IMAGE=$image
  # shellcheck source=/dev/null
  . "$image/env"
  read -r -a kernels <<<"$UEFI_KERNELS"
  ((${#kernels[@]} >= 2)) || vm_die "$image/env lists fewer than 2 kernels"
  KERNELS="${kernels[*]}" OLDEST=${kernels[0]} NEWEST=${kernels[-1]}
  mapfile -t UEFI_FW_ARGS < <(sed -e "s|@DIR@|$image|g" -e "s|@VARS@|$VM_OUT/efivars.fd|g" "$image/qemu-args.txt")
  cp "$image/OVMF_VARS.fd" "$VM_OUT/efivars.fd" || vm_die "cannot copy the firmware's variables"

  vm_payload_dir "$1"
  cp "$image/entries.txt" "$VM_PAYLOAD/entries.txt"
  # A binary built on Debian 12 needs a few of its libraries (libfmt.so.9, ...) that Debian 13
  # renamed: the guest copies in those it lacks (see tests/vm/guest/debian.sh).
  kind_payload "$1"
  qemu-img create -q -f qcow2 -F raw -b "$image/disk.raw" "$VM_OUT/disk.qcow2" ||
    vm_die "qemu-img create of the overlay failed"
}

kind_qemu_args() {
  local boot=$2
  VM_QEMU+=("${UEFI_FW_ARGS[@]}")
  if [[ $boot == kernel ]]; then
    vm_qemu_kernel "$UEFI_IMAGE/boot-files/vmlinuz-$NEWEST" "$UEFI_IMAGE/boot-files/initrd.img-$NEWEST" \
      "root=LABEL=$UEFI_ROOT_LABEL rw console=${UEFI_TTY:-ttyS0} panic=-1"
  fi
  # The system disk first in the firmware's boot order; the payload disk has nothing to boot.
  VM_QEMU+=(-drive "file=$VM_OUT/disk.qcow2,format=qcow2,if=none,id=disk"
    -device virtio-blk-pci,drive=disk,bootindex=1
    -drive "file=$VM_OUT/payload.img,format=raw,if=none,id=payload,readonly=on"
    -device virtio-blk-pci,drive=payload)
}

kind_cleanup() {
  [[ ${WARMBOOT_VM_KEEP:-0} == 1 ]] || rm -f "$VM_OUT/disk.qcow2"
}
