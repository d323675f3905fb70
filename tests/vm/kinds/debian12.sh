# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # KIND_* and the case defaults are read by tests/vm/lib/
# Guest kind "debian12": a minimal Debian 12 with systemd, udev, an ext4 root on a virtio disk and
# two kernel packages (scripts/vm-debian-image.sh), in which warmboot performs real reboots.
# Disks: vda a copy-on-write overlay of the cached image (the runs of a case share it), vdb the
# payload (ext4, label WBPAYLOAD) that the image's warmboot-vm.service mounts and runs.
# See tests/vm/README.md.
KIND_QEMU=qemu-system-x86_64
KIND_TIMEOUT=300      # default TIMEOUT of a case (seconds per QEMU run)
KIND_PREPARE_ROOM=900 # ctest: extra seconds for building the image from an empty cache
KIND_BOOTS="kernel"
KIND_GUEST=debian.sh

kind_defaults() {
  BOOT_KERNEL=oldest # what QEMU boots: oldest | newest | a release
  VARIANT=plain      # image variant: plain | kexec-tools (scripts/vm-debian-image.sh --variant)
  KERNEL_APPEND=""   # more words for the command line QEMU boots the kernel with
}

# kind_prepare BINARY: the image (cached by recipe), the payload disk with the binary and its
# libraries, and the overlay, in $VM_OUT.
kind_prepare() {
  local image kernels
  image=$("$VM_REPO/scripts/vm-debian-image.sh" --variant "$VARIANT") || vm_die "building the Debian guest image failed"
  mapfile -t kernels <"$image/kernels.txt"
  ((${#kernels[@]} >= 2)) || vm_die "$image/kernels.txt lists fewer than 2 kernels"
  KERNELS="${kernels[*]}" OLDEST=${kernels[0]} NEWEST=${kernels[-1]}
  DEBIAN_IMAGE=$image
  case $BOOT_KERNEL in
    oldest) DEBIAN_RELEASE=$OLDEST ;;
    newest) DEBIAN_RELEASE=$NEWEST ;;
    *) DEBIAN_RELEASE=$BOOT_KERNEL ;;
  esac
  [[ -f $image/vmlinuz-$DEBIAN_RELEASE ]] || vm_die "BOOT_KERNEL=$BOOT_KERNEL: no kernel $DEBIAN_RELEASE in $image"

  vm_payload_dir "$1"
  vm_payload_disk "$1"
  # A copy-on-write overlay: the cached image is never written.
  qemu-img create -q -f qcow2 -F raw -b "$image/rootfs.raw" "$VM_OUT/disk.qcow2" ||
    vm_die "qemu-img create of the overlay failed"
}

kind_qemu_args() {
  vm_qemu_kernel "$DEBIAN_IMAGE/vmlinuz-$DEBIAN_RELEASE" "$DEBIAN_IMAGE/initrd.img-$DEBIAN_RELEASE" \
    "root=/dev/vda rw console=ttyS0 panic=-1${KERNEL_APPEND:+ $KERNEL_APPEND}"
  vm_qemu_disk "$VM_OUT/disk.qcow2" qcow2
  vm_qemu_disk "$VM_OUT/payload.img" raw readonly=on
}

# WARMBOOT_VM_KEEP=1 keeps the overlay (the guest's disk after the case).
kind_cleanup() {
  [[ ${WARMBOOT_VM_KEEP:-0} == 1 ]] || rm -f "$VM_OUT/disk.qcow2"
}
