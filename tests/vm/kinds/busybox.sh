# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # KIND_* and the case defaults are read by tests/vm/lib/
# Guest kind "busybox": a Debian kernel with a busybox initramfs that holds the warmboot under test
# (scripts/vm-initramfs.sh). Fast (a boot takes seconds): the cases that need no init system.
# Disks: vda the state disk (raw, all zeros at first; the guest keeps $state there as a tar),
# vdb the payload (a tar). See tests/vm/README.md.
KIND_QEMU=qemu-system-x86_64
KIND_TIMEOUT=90       # default TIMEOUT of a case (seconds per QEMU run)
KIND_PREPARE_ROOM=120 # ctest: extra seconds for fetching the kernel and building the initramfs
KIND_BOOTS="kernel"
KIND_GUEST=busybox.sh

kind_defaults() {
  KERNEL_PACKAGES="linux-image-amd64" # kernel packages for the guest's /boot; QEMU boots the first
}

# busybox_kernel PACKAGE: the vmlinuz of a kernel package (the arm64 kind overrides it).
busybox_kernel() { "$VM_REPO/scripts/vm-kernel.sh" "$1"; }
# More scripts/vm-initramfs.sh options (the arm64 kind: its own busybox, kexec-tools).
BUSYBOX_INITRAMFS_ARGS=()

# busybox_prepare BINARY: the kernels (busybox_kernel) and the initramfs (cached by content), the
# state disk and the payload disk in $VM_OUT.
busybox_prepare() {
  local p k kernel_args=() releases=()
  BUSYBOX_KERNEL=
  for p in $KERNEL_PACKAGES; do
    k=$(busybox_kernel "$p") || vm_die "cannot get kernel package $p"
    [[ -n $BUSYBOX_KERNEL ]] || BUSYBOX_KERNEL=$k
    kernel_args+=(--kernel "$k")
    releases+=("${k##*/vmlinuz-}")
  done
  BUSYBOX_INITRD=$("$VM_REPO/scripts/vm-initramfs.sh" "${kernel_args[@]}" "${BUSYBOX_INITRAMFS_ARGS[@]}" "$1") ||
    vm_die "building the initramfs failed"
  mapfile -t releases < <(printf '%s\n' "${releases[@]}" | sort -uV)
  KERNELS="${releases[*]}" OLDEST=${releases[0]} NEWEST=${releases[-1]}
  truncate -s 8M "$VM_OUT/state.img"
  vm_payload_dir "$1"
  tar -cf "$VM_OUT/payload.tar" -C "$VM_PAYLOAD" . || vm_die "tar of the payload failed"
  rm -rf "$VM_PAYLOAD"
}
kind_prepare() { busybox_prepare "$1"; }

kind_qemu_args() {
  vm_qemu_kernel "$BUSYBOX_KERNEL" "$BUSYBOX_INITRD" "console=ttyS0 panic=-1"
  vm_qemu_disk "$VM_OUT/state.img" raw
  vm_qemu_disk "$VM_OUT/payload.tar" raw readonly=on
}

kind_cleanup() { :; }
