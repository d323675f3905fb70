#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build (or find in the cache) the minimal Debian 12 guest for tests/vm/debian, the demo and bench/.
#
#   scripts/vm-debian-image.sh [--variant plain|kexec-tools|NAME] [--rebuild]
#
# Prints the directory of the image on stdout. It holds
#   rootfs.raw                   ext4 root filesystem (label wbroot; sparse, 3 GiB), for /dev/vda
#   vmlinuz-<rel>, initrd.img-<rel>  copies of the guest's /boot, for QEMU's -kernel/-initrd
#   kernels.txt                  the installed kernel releases, oldest first (one per line)
#   recipe.txt                   what went in (the cache key is a hash of it)
# The guest: debootstrap --variant=minbase + systemd, udev, dbus, two linux-image-6.1.0-NN-amd64
# packages (the two newest apt knows, or WARMBOOT_VM_KERNELS="pkg1 pkg2"), the libraries warmboot
# needs, a persistent journal, an empty root password, no boot loader, no kexec-tools (variant
# kexec-tools: with kexec-tools, its kexec-load.service disabled; any other NAME: what
# scripts/vm-debian-variants/NAME.sh adds, e.g. ssh for tests/fleet). warmboot itself is NOT in the
# image: the unit warmboot-vm.service mounts a disk labelled WBPAYLOAD after multi-user.target and
# runs its /guest.sh (see tests/vm/debian/README.md).
# Built without loop mounts: debootstrap into a directory, then mkfs.ext4 -d.
# Cache: ${WARMBOOT_CACHE:-~/.cache/warmboot}/debian/<variant>-<hash>/ (the newest 2 per variant
# are kept). Needs root, debootstrap, e2fsprogs and apt's lists of the host's Debian mirror.
set -euo pipefail

die() {
  echo "vm-debian-image: $*" >&2
  exit 1
}
say() { echo "vm-debian-image: $*" >&2; }

variant=plain rebuild=0
while (($#)); do
  case $1 in
    --variant) variant=${2:-}; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
# A variant file, scripts/vm-debian-variants/NAME.sh, sets variant_packages=(...) and may define
# variant_configure ROOT; its hash joins only its own variant's cache key.
variant_file='' variant_packages=()
variant_configure() { :; }
case $variant in
  plain | kexec-tools) ;;
  *)
    variant_file=$(dirname "$0")/vm-debian-variants/$variant.sh
    [[ $variant =~ ^[a-z0-9-]+$ && -f $variant_file ]] ||
      die "--variant must be plain, kexec-tools or a file's name in scripts/vm-debian-variants/"
    # shellcheck source=/dev/null
    . "$variant_file"
    ;;
esac

cache=${WARMBOOT_CACHE:-${HOME}/.cache/warmboot}
images=$cache/debian
mkdir -p "$images"

# ---- The recipe ------------------------------------------------------------------------------------
suite=bookworm
# Packages on top of minbase. dbus: logind (warmboot reboots through it); procps: sysctl; zstd:
# initramfs compression; libfmt9 ... libtomlplusplus3: warmboot's shared libraries (`ldd
# build/warmboot`; a library missing here is carried on the payload disk, see tests/vm/debian).
packages=(systemd systemd-sysv udev dbus kmod initramfs-tools linux-base zstd e2fsprogs procps
  util-linux libfmt9 libsystemd0 libarchive13 libkmod2 libtomlplusplus3)
[[ $variant == kexec-tools ]] && packages+=(kexec-tools)
packages+=("${variant_packages[@]}")

# The two newest linux-image-6.1.0-NN-amd64 packages apt knows (oldest first).
if [[ -n ${WARMBOOT_VM_KERNELS:-} ]]; then
  read -r -a kernel_pkgs <<<"$WARMBOOT_VM_KERNELS"
else
  mapfile -t kernel_pkgs < <(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
    grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' | sort -V | tail -n 2)
fi
kernel_lines=()
for p in "${kernel_pkgs[@]}"; do
  v=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1) || true
  [[ -n $v ]] && kernel_lines+=("$p=$v")
done

newest_cached() {
  find "$images" -mindepth 1 -maxdepth 1 -type d -name "$variant-*" -exec test -e '{}/.complete' ';' \
    -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-
}

if ((${#kernel_lines[@]} != 2)); then
  # Offline or no apt lists: the newest complete image of this variant is better than nothing.
  d=$(newest_cached)
  [[ -n $d ]] || die "cannot resolve two linux-image-6.1.0-NN-amd64 packages with apt-cache (run apt-get update)"
  say "apt cannot resolve the kernels; using the cached $d"
  echo "$d"
  exit 0
fi

# The host's Debian mirror (deb822 sources first, then the one-line format).
mirror=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ && u { print u; exit }' \
  /etc/apt/sources.list.d/*.sources 2>/dev/null) || true
if [[ -z $mirror ]]; then
  mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list \
    /etc/apt/sources.list.d/*.list 2>/dev/null) || true
fi
[[ -n $mirror ]] || die "no Debian bookworm mirror in /etc/apt/sources.list{,.d/}"

recipe=$(
  echo "script-sha256 $(sha256sum <"$0" | cut -d' ' -f1)"
  echo "variant $variant"
  [[ -z $variant_file ]] || echo "variant-sha256 $(sha256sum <"$variant_file" | cut -d' ' -f1)"
  echo "suite $suite"
  echo "packages ${packages[*]}"
  echo "kernels ${kernel_lines[*]}"
)
hash=$(sha256sum <<<"$recipe" | cut -c1-16)
dest=$images/$variant-$hash

if [[ -e $dest/.complete && $rebuild == 0 ]]; then
  echo "$dest"
  exit 0
fi

# ---- Build -----------------------------------------------------------------------------------------
[[ $(id -u) == 0 ]] || die "building the image needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 is missing (apt-get install e2fsprogs)"

exec 9>"$images/.lock"
flock 9
if [[ -e $dest/.complete && $rebuild == 0 ]]; then
  echo "$dest"
  exit 0
fi

tmp=$(mktemp -d "$images/.build.XXXXXX")
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

say "building the $variant guest ($hash): debootstrap $suite from $mirror (~2-3 min)"
include=$(IFS=,; echo "${packages[*]}")
mkdir -p "$cache/debootstrap-debs"
debootstrap --variant=minbase --include="$include" --cache-dir="$cache/debootstrap-debs" \
  "$suite" "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1 ||
  { tail -n 30 "$tmp/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
say "debootstrap done after $((SECONDS - started)) s"

# A small initramfs: only what a virtio disk with ext4 needs (MODULES=list), zstd-compressed.
mkdir -p "$root/etc/initramfs-tools/conf.d"
printf 'MODULES=list\nCOMPRESS=zstd\n' >"$root/etc/initramfs-tools/conf.d/warmboot-vm.conf"
printf '%s\n' virtio_pci virtio_blk ext4 crc32c_generic >>"$root/etc/initramfs-tools/modules"

# The kernels: downloaded by the host's apt (it knows bookworm-security), installed with dpkg in
# the chroot, whose postinst hooks build /boot/initrd.img-<rel>.
mkdir -p "$tmp/debs"
say "downloading ${kernel_lines[*]}"
(cd "$tmp/debs" && apt-get download -q=2 -o APT::Sandbox::User=root "${kernel_lines[@]}") >&2 ||
  die "apt-get download ${kernel_lines[*]} failed"
mkdir -p "$root/tmp/kernels"
cp "$tmp"/debs/*.deb "$root/tmp/kernels/"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c 'dpkg -i /tmp/kernels/*.deb' >"$tmp/dpkg.log" 2>&1 ||
  { tail -n 30 "$tmp/dpkg.log" >&2; die "installing the kernels in the guest failed (log above)"; }
rm -rf "$root/tmp/kernels"
say "kernels installed after $((SECONDS - started)) s"

# ---- Configuration ---------------------------------------------------------------------------------
echo warmboot-guest >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 warmboot-guest\n' >"$root/etc/hosts"
printf 'LABEL=wbroot / ext4 rw,errors=remount-ro 0 1\n' >"$root/etc/fstab"
chroot "$root" passwd -d root >/dev/null
# A persistent journal: the next boot reads the previous boot's shutdown with journalctl -b -1.
mkdir -p "$root/var/log/journal"
# An unprivileged user for the "non-root" fault case.
chroot "$root" useradd --create-home --shell /bin/bash tester
# A fixed machine-id: the journal of every boot lands in one /var/log/journal/<id>/.
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
echo >>"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"

if [[ $variant == kexec-tools ]]; then
  # Debian's kexec-tools loads a kernel at boot and makes "systemctl reboot" a kexec; the bench
  # drives kexec itself.
  chroot "$root" systemctl disable kexec-load.service kexec.service >/dev/null 2>&1 || true
  chroot "$root" systemctl mask kexec-load.service >/dev/null 2>&1 || true
  [[ -f $root/etc/default/kexec ]] && sed -i 's/^LOAD_KEXEC=.*/LOAD_KEXEC=false/' "$root/etc/default/kexec"
fi

variant_configure "$root"

# The harness hook: after multi-user.target, mount the payload disk and run its guest.sh.
cat >"$root/usr/local/sbin/warmboot-vm-hook" <<'EOF'
#!/bin/bash
# Runs the test payload (a disk labelled WBPAYLOAD) if there is one; see tests/vm/debian/README.md.
set -u
dev=/dev/disk/by-label/WBPAYLOAD
for _ in $(seq 50); do [ -e $dev ] && break; sleep 0.1; done
if [ ! -e $dev ]; then
  echo "WARMBOOT-VM no-payload uptime=$(cut -d' ' -f1 /proc/uptime)" >/dev/ttyS0
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
chroot "$root" systemctl enable warmboot-vm.service >/dev/null 2>&1
# Nothing to fetch or sync in a test guest; keep the boot lean.
for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
  systemd-timesyncd.service; do
  chroot "$root" systemctl mask "$u" >/dev/null 2>&1 || true
done
chroot "$root" apt-get clean >/dev/null 2>&1 || true
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin

# ---- The disk and the boot files -------------------------------------------------------------------
out=$tmp/out
mkdir -p "$out"
releases=()
for p in "${kernel_pkgs[@]}"; do releases+=("${p#linux-image-}"); done
mapfile -t releases < <(printf '%s\n' "${releases[@]}" | sort -V)
for r in "${releases[@]}"; do
  [[ -f $root/boot/vmlinuz-$r && -f $root/boot/initrd.img-$r ]] || die "the guest has no /boot/vmlinuz-$r or initrd.img-$r"
  cp "$root/boot/vmlinuz-$r" "$root/boot/initrd.img-$r" "$out/"
done
printf '%s\n' "${releases[@]}" >"$out/kernels.txt"
echo "$recipe" >"$out/recipe.txt"
say "mkfs.ext4 -d (3 GiB sparse)"
mkfs.ext4 -q -F -L wbroot -d "$root" "$out/rootfs.raw" 3G >&2 || die "mkfs.ext4 -d failed"

rm -rf "$dest"
mv "$out" "$dest"
date -u +%FT%TZ >"$dest/.complete"
say "built $dest in $((SECONDS - started)) s ($(du -sh "$dest" | cut -f1) on disk)"

# Keep the newest 2 images per variant.
find "$images" -mindepth 1 -maxdepth 1 -type d -name "$variant-*" -printf '%T@ %p\n' | sort -rn |
  tail -n +3 | cut -d' ' -f2- | while read -r old; do rm -rf "$old"; done
echo "$dest"
