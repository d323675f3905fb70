#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build (or find in the cache) the Debian 13 root tree every UEFI guest variant starts from.
#
#   scripts/vm-uefi-base.sh [--arch amd64|arm64] [--rebuild]
#
# Prints the directory of the base on stdout. It holds
#   rootfs.tar.zst   the guest's tree (debootstrap --variant=minbase trixie, updated from
#                    trixie-updates and trixie-security, + systemd, udev, dbus, two signed kernels...)
#   kernels.txt      the installed kernel releases, oldest first
#   recipe.txt       what went in (the cache key is a hash of it)
# Called by scripts/vm-uefi-image.sh; see tests/vm/uefi-images.md. No boot loader, no ESP: the variants
# add them. Cache: ${WARMBOOT_CACHE:-~/.cache/warmboot}/uefi/base[-arm64]-<hash>/ (the newest 2 are
# kept). Needs root, debootstrap, zstd and the network (deb.debian.org or the host's mirror); arm64
# also qemu-user-static, whose binfmt_misc rule runs the guest's programs (~4x the time of amd64).
set -euo pipefail

UEFI_PROG=vm-uefi-base
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/vm-uefi-lib.sh
. "$here/vm-uefi-lib.sh"

rebuild=0
while (($#)); do
  case $1 in
    --arch) uefi_arch "${2:-}"; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    -h | --help) sed -n '3,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 0 ;;
    *) uefi_die "unknown argument $1 (see --help)" ;;
  esac
done

mkdir -p "$UEFI_CACHE"

# ---- The recipe ------------------------------------------------------------------------------------
# On top of minbase. dbus: logind; procps: sysctl; zstd: initramfs compression; dosfstools: fsck of
# the ESP; efibootmgr, mokutil: the firmware's view (boot entries, Secure Boot state); libfmt10 ...
# libtomlplusplus3t64: warmboot's shared libraries as trixie names them (a binary built on
# bookworm needs libfmt.so.9, which the harness carries on its payload disk).
packages=(systemd systemd-sysv udev dbus kmod initramfs-tools linux-base zstd e2fsprogs procps
  util-linux dosfstools efibootmgr mokutil libfmt10 libsystemd0 libarchive13t64 libkmod2
  libtomlplusplus3t64)

newest_cached() {
  find "$UEFI_CACHE" -mindepth 1 -maxdepth 1 -type d -name "base$UEFI_KIND_SUFFIX-????????????????" -exec test -e '{}/.complete' ';' \
    -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-
}

uefi_apt_update
versions=$( ((UEFI_APT_OFFLINE)) || uefi_apt_versions "${packages[@]}") || versions=
kernels=$( ((UEFI_APT_OFFLINE)) || uefi_kernels) || kernels=
if [[ -z $versions || $(wc -l <<<"$kernels") != 2 ]]; then
  d=$(newest_cached)
  [[ -n $d ]] || uefi_die "cannot resolve the trixie packages and two signed 6.12 kernels (network?)"
  uefi_say "apt cannot resolve the packages; using the cached $d"
  echo "$d"
  exit 0
fi
mapfile -t kernel_lines <<<"$kernels"

recipe=$(
  echo "script-sha256 $(cat "$0" "$here/vm-uefi-lib.sh" | sha256sum | cut -d' ' -f1)"
  echo "suite $UEFI_SUITE trixie-updates trixie-security arch $UEFI_ARCH"
  echo "mirror $UEFI_MIRROR $UEFI_SECURITY_MIRROR"
  echo "packages $(echo $versions)"
  echo "kernels ${kernel_lines[*]}"
)
hash=$(sha256sum <<<"$recipe" | cut -c1-16)
dest=$UEFI_CACHE/base$UEFI_KIND_SUFFIX-$hash

if [[ -e $dest/.complete && $rebuild == 0 ]]; then
  echo "$dest"
  exit 0
fi

# ---- Build -----------------------------------------------------------------------------------------
[[ $(id -u) == 0 ]] || uefi_die "building the base needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || uefi_die "debootstrap is missing (apt-get install debootstrap)"
command -v zstd >/dev/null || uefi_die "zstd is missing (apt-get install zstd)"
uefi_foreign_binfmt

exec 9>"$UEFI_CACHE/.base$UEFI_KIND_SUFFIX.lock"
flock 9
if [[ -e $dest/.complete && $rebuild == 0 ]]; then
  echo "$dest"
  exit 0
fi

tmp=$(mktemp -d "$UEFI_CACHE/.base-build.XXXXXX")
cleanup() {
  # debootstrap may leave /proc or /sys mounted in the target if it was interrupted.
  local m
  for m in proc sys dev/pts dev; do
    mountpoint -q "$tmp/root/$m" 2>/dev/null && umount -l "$tmp/root/$m"
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
root=$tmp/root
started=$SECONDS

uefi_say "building the trixie $UEFI_ARCH base ($hash): debootstrap from $UEFI_MIRROR (~3 min; arm64 ~12)"
include=$(IFS=,; echo "${packages[*]}")
mkdir -p "$UEFI_CACHE/debootstrap-debs"
debootstrap --arch="$UEFI_ARCH" --variant=minbase --include="$include" --cache-dir="$UEFI_CACHE/debootstrap-debs" \
  --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
  "$UEFI_SUITE" "$root" "$UEFI_MIRROR" >"$tmp/debootstrap.log" 2>&1 ||
  { tail -n 30 "$tmp/debootstrap.log" >&2; uefi_die "debootstrap failed (log above)"; }
uefi_say "debootstrap done after $((SECONDS - started)) s"

# apt in the guest: trixie + updates + security, no recommends; no service starts while building.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $UEFI_MIRROR
Suites: trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $UEFI_SECURITY_MIRROR
Suites: trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
  >"$root/etc/apt/apt.conf.d/90warmboot-vm"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

# A small initramfs: only what a virtio disk with ext4 (and the vfat ESP) needs, zstd-compressed.
mkdir -p "$root/etc/initramfs-tools/conf.d"
printf 'MODULES=list\nCOMPRESS=zstd\n' >"$root/etc/initramfs-tools/conf.d/warmboot-vm.conf"
printf '%s\n' virtio_pci virtio_blk virtio_scsi sd_mod ext4 crc32c_generic vfat nls_cp437 nls_ascii \
  >>"$root/etc/initramfs-tools/modules"

uefi_chroot "$root" apt-get -q update >"$tmp/apt.log" 2>&1 ||
  { tail -n 20 "$tmp/apt.log" >&2; uefi_die "apt-get update in the guest failed (log above)"; }
uefi_chroot "$root" apt-get -q -y full-upgrade >>"$tmp/apt.log" 2>&1 ||
  { tail -n 20 "$tmp/apt.log" >&2; uefi_die "apt-get full-upgrade in the guest failed (log above)"; }
uefi_say "trixie-updates/security applied after $((SECONDS - started)) s"

# The kernels: downloaded with the private apt state (it also knows bookworm-backports, the
# fallback), installed by the guest's apt, whose hooks build /boot/initrd.img-<rel>.
uefi_say "downloading ${kernel_lines[*]}"
mkdir -p "$root/tmp/kernels"
(cd "$UEFI_CACHE/debs" && uefi_apt_get -q=2 download "${kernel_lines[@]}") >&2 ||
  uefi_die "apt-get download ${kernel_lines[*]} failed"
releases=()
for kl in "${kernel_lines[@]}"; do
  p=${kl%%=*} v=${kl#*=}
  deb=$UEFI_CACHE/debs/${p}_${v//:/%3a}_$UEFI_ARCH.deb
  [[ -f $deb ]] || uefi_die "no $deb after apt-get download"
  cp "$deb" "$root/tmp/kernels/"
  releases+=("${p#linux-image-}")
done
uefi_chroot "$root" sh -c 'apt-get -q -y install /tmp/kernels/*.deb' >>"$tmp/apt.log" 2>&1 ||
  { tail -n 30 "$tmp/apt.log" >&2; uefi_die "installing the kernels in the guest failed (log above)"; }
# Kernel packages this base no longer uses leave the download cache.
for deb in "$UEFI_CACHE"/debs/linux-image-*_"$UEFI_ARCH".deb; do
  [[ -e $root/tmp/kernels/${deb##*/} ]] || rm -f "$deb"
done
rm -rf "$root/tmp/kernels"
mapfile -t releases < <(printf '%s\n' "${releases[@]}" | sort -V)
for r in "${releases[@]}"; do
  [[ -f $root/boot/vmlinuz-$r && -f $root/boot/initrd.img-$r ]] ||
    uefi_die "the guest has no /boot/vmlinuz-$r or initrd.img-$r"
done
uefi_say "kernels ${releases[*]} installed after $((SECONDS - started)) s"

# ---- Configuration (as scripts/vm-debian-image.sh) ------------------------------------------------
echo warmboot-guest >"$root/etc/hostname"
# The serial console the harness reads (ttyS0; arm64's virt board: the PL011, ttyAMA0).
echo "$UEFI_TTY" >"$root/etc/warmboot-vm-console"
printf '127.0.0.1 localhost\n127.0.1.1 warmboot-guest\n' >"$root/etc/hosts"
printf 'LABEL=wbroot / ext4 rw,errors=remount-ro 0 1\n' >"$root/etc/fstab"
uefi_chroot "$root" passwd -d root >/dev/null
# A persistent journal: the next boot reads the previous boot's shutdown with journalctl -b -1.
mkdir -p "$root/var/log/journal"
# An unprivileged user for the "non-root" cases.
uefi_chroot "$root" useradd --create-home --shell /bin/bash tester
# A fixed machine-id: one /var/log/journal/<id>/, and systemd-boot's entry token.
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
echo >>"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"

# The harness hook: after multi-user.target, mount the payload disk and run its guest.sh.
cat >"$root/usr/local/sbin/warmboot-vm-hook" <<'EOF'
#!/bin/bash
# Runs the test payload (a disk labelled WBPAYLOAD) if there is one; see tests/vm/debian/README.md.
set -u
dev=/dev/disk/by-label/WBPAYLOAD
for _ in $(seq 50); do [ -e $dev ] && break; sleep 0.1; done
if [ ! -e $dev ]; then
  echo "WARMBOOT-VM no-payload uptime=$(cut -d' ' -f1 /proc/uptime)" >/dev/$(cat /etc/warmboot-vm-console)
  exit 0
fi
mkdir -p /run/warmboot-payload
mount -o ro $dev /run/warmboot-payload || exit 1
exec /bin/bash /run/warmboot-payload/guest.sh
EOF
chmod 755 "$root/usr/local/sbin/warmboot-vm-hook"
cat >"$root/etc/systemd/system/warmboot-vm.service" <<'EOF'
[Unit]
Description=warmboot test harness (runs the payload disk's guest.sh)
After=multi-user.target

[Service]
Type=simple
ExecStart=/usr/local/sbin/warmboot-vm-hook
StandardOutput=journal+console
StandardError=journal+console
TimeoutStopSec=10

[Install]
WantedBy=multi-user.target
EOF
uefi_chroot "$root" systemctl enable warmboot-vm.service >/dev/null 2>&1
# Nothing to fetch or sync in a test guest; keep the boot lean.
for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
  e2scrub_reap.service fstrim.timer systemd-timesyncd.service; do
  uefi_chroot "$root" systemctl mask "$u" >/dev/null 2>&1 || true
done
uefi_chroot "$root" apt-get clean >/dev/null 2>&1 || true
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin

# ---- The tarball -----------------------------------------------------------------------------------
out=$tmp/out
mkdir -p "$out"
printf '%s\n' "${releases[@]}" >"$out/kernels.txt"
echo "$recipe" >"$out/recipe.txt"
uefi_chroot "$root" dpkg-query -W -f '${Package}=${Version}\n' >"$out/packages.txt"
uefi_say "packing the tree"
tar -C "$root" --numeric-owner --xattrs --xattrs-include='*' --acls -I 'zstd -T0 -3' \
  -cf "$out/rootfs.tar.zst" . || uefi_die "tar of the guest tree failed"

rm -rf "$dest"
mv "$out" "$dest"
date -u +%FT%TZ >"$dest/.complete"
uefi_say "built $dest in $((SECONDS - started)) s ($(du -sh "$dest" | cut -f1))"

# Keep the newest 2 bases.
find "$UEFI_CACHE" -mindepth 1 -maxdepth 1 -type d -name "base$UEFI_KIND_SUFFIX-????????????????" -printf '%T@ %p\n' | sort -rn |
  tail -n +3 | cut -d' ' -f2- | while read -r old; do rm -rf "$old"; done
echo "$dest"
