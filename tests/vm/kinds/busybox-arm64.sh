# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # KIND_* and the case defaults are read by tests/vm/lib/
# Guest kind "busybox-arm64": the busybox kind on QEMU's arm64 virt board (TCG, a Neoverse-N1,
# 2 vCPUs, QEMU's own device tree, no firmware): Debian's arm64 kernel package and a busybox
# initramfs, both arm64, built on the host in seconds (no emulated package installs). The arm64
# warm reboot CI can afford: the debian13-arm64 kind's image costs ~18 min from an empty cache.
# - warmboot is the binary of its arm64 Debian package, cross-built from this tree (scripts/build-deb.sh
#   --arch arm64, into the build directory of the BINARY the harness is given, which is not used);
#   its libraries come from the arm64 multiarch packages scripts/install-deps.sh installs.
# - busybox is busybox-static:arm64, and kexec-tools:arm64's kexec is /usr/sbin/kexec: Debian's
#   arm64 kernels (6.1 and trixie's 6.12) are built without CONFIG_KEXEC_FILE, so warmboot stages
#   through kexec_load, handing kexec-tools the bytes it checked and prepared (os/kexec_stager.h).
# - /boot/vmlinuz-<release> in the guest is Debian's raw Image gzip-compressed, the way Ubuntu and
#   others ship arm64 kernels (Debian ships the raw Image): QEMU's -kernel boots that file, and
#   warmboot decompresses it in memory before staging it (kexec_file_load takes only a raw Image).
# - The console is the PL011 (ttyAMA0). arm64 has no boot loader type: a warm boot shows as a new
#   boot in the same QEMU process (-no-reboot) after "kexec_core: Starting new kernel".
# shellcheck source=tests/vm/kinds/busybox.sh
. "$VM_REPO/tests/vm/kinds/busybox.sh"
KIND_QEMU=qemu-system-aarch64
KIND_TIMEOUT=240      # default TIMEOUT of a case (seconds per QEMU run; every instruction emulated)
KIND_PREPARE_ROOM=600 # ctest: extra seconds for the kernel, busybox, the package and the initramfs
KIND_WARM_LOADER=none

kind_defaults() {
  KERNEL_PACKAGES="linux-image-arm64"
}

# The arm64 package's warmboot, unpacked in $VM_OUT/arm64/.
busybox_arm64_binary() {
  local dir=$VM_OUT/arm64
  rm -rf "$dir"
  mkdir -p "$dir"
  vm_payload_deb "$dir" "$1" arm64 || vm_die "building the arm64 package failed"
  dpkg-deb -x "$dir/warmboot.deb" "$dir/root" || vm_die "cannot unpack the arm64 package"
  [[ -x $dir/root/usr/sbin/warmboot ]] || vm_die "the arm64 package has no /usr/sbin/warmboot"
  echo "$dir/root/usr/sbin/warmboot"
}

# bookworm_arm64_pkg PKG: the Debian 12 arm64 package PKG (downloaded once, cached beside the other
# arm64 packages the guests take from Debian 12), unpacked in $VM_OUT/arm64-pkgs/PKG/; prints that.
bookworm_arm64_pkg() {
  local dir=${WARMBOOT_CACHE:-$HOME/.cache/warmboot}/debs-bookworm-arm64 deb out=$VM_OUT/arm64-pkgs/$1
  mkdir -p "$dir"
  compgen -G "$dir/${1}_*_arm64.deb" >/dev/null ||
    (cd "$dir" && apt-get download -q=2 -o APT::Sandbox::User=root "$1:arm64") >&2 ||
    vm_die "apt-get download $1:arm64 failed (scripts/install-deps.sh adds the arm64 architecture)"
  deb=$(compgen -G "$dir/${1}_*_arm64.deb" | sort -V | tail -n 1)
  rm -rf "$out"
  mkdir -p "$out"
  dpkg-deb -x "$deb" "$out" || vm_die "cannot unpack $deb"
  echo "$out"
}

# A gzip-compressed copy of the kernel KERNEL (scripts/vm-kernel.sh's cache: beside its boot/, so
# that scripts/vm-initramfs.sh finds its modules and config the same way), made once.
gzip_kernel() {
  local k=$1 r dir
  r=${k##*/vmlinuz-}
  dir=$(dirname "$k")/../boot-gzip
  if [[ ! -f $dir/vmlinuz-$r ]]; then
    mkdir -p "$dir"
    cp "$(dirname "$k")/config-$r" "$dir/" 2>/dev/null || true
    if ! gzip -9 -n -c "$k" >"$dir/.vmlinuz-$r.tmp" || ! mv "$dir/.vmlinuz-$r.tmp" "$dir/vmlinuz-$r"; then
      vm_die "cannot gzip $k"
    fi
  fi
  realpath "$dir/vmlinuz-$r"
}

# Debian's arm64 kernel, gzip-compressed (the vmlinuz QEMU boots and /boot carries).
busybox_kernel() {
  local k
  k=$("$VM_REPO/scripts/vm-kernel.sh" --arch arm64 "$1") || return 1
  gzip_kernel "$k"
}

kind_prepare() {
  local binary busybox kexec
  binary=$(busybox_arm64_binary "$1") || exit 1
  busybox=$(bookworm_arm64_pkg busybox-static)/bin/busybox || exit 1
  kexec=$(bookworm_arm64_pkg kexec-tools)/sbin/kexec || exit 1
  BUSYBOX_INITRAMFS_ARGS=(--busybox "$busybox" --extra "$kexec:/usr/sbin/kexec")
  busybox_prepare "$binary"
}

kind_qemu_args() {
  VM_QEMU+=(-M virt -cpu neoverse-n1 -smp 2)
  vm_qemu_kernel "$BUSYBOX_KERNEL" "$BUSYBOX_INITRD" "console=ttyAMA0 panic=-1"
  vm_qemu_disk "$VM_OUT/state.img" raw
  vm_qemu_disk "$VM_OUT/payload.tar" raw readonly=on
}
