#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build (or find in the cache) a provisioned Debian 13 UEFI guest disk whose firmware boots a real
# boot loader, for QEMU with OVMF.
#
#   scripts/vm-uefi-image.sh [--arch amd64|arm64] --variant grub|grub-timeout|sdboot|sdboot-uki|secureboot [--rebuild]
#
# Prints the directory of the image on stdout (details: tests/vm/uefi-images.md). It holds
#   disk.raw          GPT: 1 = ESP (vfat, label ESP, 256 MiB), 2 = ext4 root (label wbroot, 3 GiB)
#   OVMF_CODE.fd      the firmware (pflash unit 0, read-only)
#   OVMF_VARS.fd      its NVRAM template: copy it for every run (pflash unit 1, raw, writable)
#   qemu-args.txt     the machine and firmware arguments, one a line; @DIR@ = this directory,
#                     @VARS@ = the run's copy of OVMF_VARS.fd
#   env               shell variables: UEFI_VARIANT, UEFI_LOADER, UEFI_ESP, UEFI_KERNELS, ...
#   kernels.txt       installed kernel releases, oldest first
#   entries.txt       "<release><TAB><boot loader entry>": what grub-reboot / bootctl set-oneshot take
#   boot-files/       vmlinuz-<rel> and initrd.img-<rel> of each kernel (direct-kernel boots)
#   recipe.txt, provision.log (the provisioning boot's console), esp.txt (the ESP's files)
# Variants: grub (GRUB_TIMEOUT=0), grub-timeout (Debian's 5 s menu), sdboot (systemd-boot, BLS type 1
# entries by kernel-install), sdboot-uki (systemd-boot, UKIs built by ukify), secureboot (shim +
# signed GRUB under OVMF's Secure Boot firmware with Microsoft's keys enrolled). --arch arm64: the
# grub variant only, on QEMU's virt board with AAVMF (qemu-efi-aarch64), console ttyAMA0.
# Built from scripts/vm-uefi-base.sh's tree without loop mounts (mkfs.ext4 -d, mkfs.vfat, sgdisk,
# dd at partition offsets); the boot loader is then installed by the guest itself, in one QEMU boot
# (-kernel under OVMF), to the removable path \EFI\BOOT\BOOTX64.EFI (arm64: BOOTAA64.EFI).
# Cache: ${WARMBOOT_CACHE:-~/.cache/warmboot}/uefi/<variant>[-arm64]-<hash>/ (newest 2 kept).
# Needs root, debootstrap, zstd, gdisk, dosfstools, mtools, e2fsprogs, ovmf, qemu-system-x86;
# arm64: qemu-efi-aarch64, qemu-system-arm, qemu-user-static.
set -euo pipefail

UEFI_PROG=vm-uefi-image
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/vm-uefi-lib.sh
. "$here/vm-uefi-lib.sh"

variant= rebuild=0
while (($#)); do
  case $1 in
    --arch) uefi_arch "${2:-}"; shift 2 ;;
    --variant) variant=${2:-}; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    -h | --help) sed -n '3,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 0 ;;
    *) uefi_die "unknown argument $1 (see --help)" ;;
  esac
done

# ---- The variants ----------------------------------------------------------------------------------
layout=
[[ $UEFI_ARCH == amd64 || $variant == grub ]] || uefi_die "--arch $UEFI_ARCH has the grub variant only"
case $variant in
  grub | grub-timeout) loader=grub esp=/boot/efi pkgs=("grub-efi-$UEFI_ARCH") ;;
  secureboot) loader=grub esp=/boot/efi pkgs=(grub-efi-amd64 grub-efi-amd64-bin grub-efi-amd64-signed shim-signed) ;;
  sdboot) loader=systemd-boot esp=/efi layout=bls pkgs=(systemd-boot systemd-boot-efi) ;;
  sdboot-uki) loader=systemd-boot esp=/efi layout=uki pkgs=(systemd-boot systemd-boot-efi systemd-ukify) ;;
  *) uefi_die "--variant must be grub, grub-timeout, sdboot, sdboot-uki or secureboot" ;;
esac
# Debian's arm64 kernels are built without CONFIG_KEXEC_FILE (trixie's 6.12: "# CONFIG_KEXEC_FILE is
# not set", only CONFIG_KEXEC): there kexec_load, through kexec-tools, is the only way to stage a
# kernel, and warmboot falls back to it (`warmboot check` tells the user to install it).
# The variants bench/reboot-bench.sh boots (Debian's GRUB menu, systemd-boot) have it on amd64 too:
# the benchmark compares kexec-tools' `kexec -l` and systemd's own `systemctl kexec` (which loads
# through it) with warmboot.
[[ $UEFI_ARCH == arm64 || $variant == grub-timeout || $variant == sdboot ]] && pkgs+=(kexec-tools)
grub_timeout=0
[[ $variant == grub-timeout ]] && grub_timeout=5
uefi_firmware "$variant"
esp_mib=256 root_mib=3072

images=$UEFI_CACHE
name=$variant$UEFI_KIND_SUFFIX # the image's name in the cache: grub, grub-arm64, ...
mkdir -p "$images"
hexdigits='????????????????' # the hash in a directory name (so "grub-*" does not match grub-timeout's)
newest_cached() {
  find "$images" -mindepth 1 -maxdepth 1 -type d -name "$name-$hexdigits" -exec test -e '{}/.complete' ';' \
    -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-
}

# The base tree (built first when missing; it refreshes the private apt lists).
base=$("$here/vm-uefi-base.sh" --arch "$UEFI_ARCH") || uefi_die "scripts/vm-uefi-base.sh failed"
uefi_apt_opts
versions=$(uefi_apt_versions "${pkgs[@]}") || versions=
if [[ -z $versions ]]; then
  d=$(newest_cached)
  [[ -n $d ]] || uefi_die "apt cannot resolve ${pkgs[*]} (network?)"
  uefi_say "apt cannot resolve ${pkgs[*]}; using the cached $d"
  echo "$d"
  exit 0
fi
firmware_pkg=ovmf
[[ $UEFI_ARCH == arm64 ]] && firmware_pkg=qemu-efi-aarch64
ovmf=$(dpkg-query -W -f '${Version}' "$firmware_pkg" 2>/dev/null) || ovmf=
[[ -f $UEFI_OVMF_CODE && -f $UEFI_OVMF_VARS ]] || uefi_die "no $UEFI_OVMF_CODE / $UEFI_OVMF_VARS (apt-get install $firmware_pkg)"

recipe=$(
  echo "script-sha256 $(cat "$0" "$here/vm-uefi-lib.sh" | sha256sum | cut -d' ' -f1)"
  echo "variant $variant arch $UEFI_ARCH"
  echo "base ${base##*/}"
  echo "packages $(echo $versions)"
  echo "ovmf $ovmf ${UEFI_OVMF_CODE##*/} ${UEFI_OVMF_VARS##*/}"
  echo "cmdline $UEFI_CMDLINE"
)
hash=$(sha256sum <<<"$recipe" | cut -c1-16)
dest=$images/$name-$hash

if [[ -e $dest/.complete && $rebuild == 0 ]]; then
  echo "$dest"
  exit 0
fi

# ---- Build -----------------------------------------------------------------------------------------
[[ $(id -u) == 0 ]] || uefi_die "building the image needs root (chroot)"
uefi_foreign_binfmt
for t in sgdisk sfdisk mkfs.vfat mdir mkfs.ext4 "$UEFI_QEMU_BIN" zstd; do
  command -v $t >/dev/null || uefi_die "$t is missing (scripts/install-deps.sh)"
done

exec 9>"$images/.image-$name.lock"
flock 9
if [[ -e $dest/.complete && $rebuild == 0 ]]; then
  echo "$dest"
  exit 0
fi

tmp=$(mktemp -d "$images/.$name-build.XXXXXX")
cleanup() {
  uefi_qemu_kill
  # A failed build leaves its logs (console, apt) next to the cache.
  [[ -e $dest/.complete ]] || { mkdir -p "$images/failed-$name" && cp "$tmp"/*.log "$images/failed-$name/" 2>/dev/null; } || true
  rm -rf "$tmp"
}
trap cleanup EXIT
root=$tmp/root out=$tmp/out
mkdir -p "$root" "$out/boot-files"
started=$SECONDS
times=()
phase() { times+=("$1 $((SECONDS - started))"); }

uefi_say "building $name ($hash) from ${base##*/}"
tar -C "$root" --numeric-owner --xattrs --xattrs-include='*' --acls -I zstd -xf "$base/rootfs.tar.zst" ||
  uefi_die "unpacking the base failed"
mapfile -t releases <"$base/kernels.txt"
phase extracted

# ---- Boot loader packages and configuration -------------------------------------------------------
mkdir -p "$root$esp"
printf 'LABEL=ESP %s vfat umask=0077 0 2\n' "$esp" >>"$root/etc/fstab"
echo "$variant" >"$root/etc/warmboot-vm-variant"
if [[ $loader == grub ]]; then
  # The removable path only; never the firmware's boot entries (the per-run NVRAM starts empty).
  uefi_chroot "$root" debconf-set-selections <<EOF
grub-efi-$UEFI_ARCH grub2/update_nvram boolean false
grub-efi-$UEFI_ARCH grub2/force_efi_extra_removable boolean true
EOF
  # Serial console for GRUB and the kernel; no "quiet" (the host reads everything on the console).
  mkdir -p "$root/etc/default/grub.d"
  {
    echo '# warmboot test guest (scripts/vm-uefi-image.sh)'
    [[ $variant != grub-timeout ]] && echo "GRUB_TIMEOUT=$grub_timeout"
    echo 'GRUB_CMDLINE_LINUX_DEFAULT=""'
    echo "GRUB_CMDLINE_LINUX=\"console=$UEFI_TTY panic=-1\""
    if [[ $UEFI_ARCH == amd64 ]]; then
      echo 'GRUB_TERMINAL="serial console"'
      echo 'GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"'
    else
      # AAVMF's console is the PL011 already; GRUB's EFI console draws there.
      echo 'GRUB_TERMINAL=console'
    fi
    echo 'GRUB_DISABLE_OS_PROBER=true'
  } >"$root/etc/default/grub.d/warmboot-vm.cfg"
else
  # kernel-install: entries (or UKIs) on the ESP, which is $BOOT; the command line of every entry.
  mkdir -p "$root/etc/kernel"
  printf 'layout=%s\n' "$layout" >"$root/etc/kernel/install.conf"
  [[ $layout == uki ]] && printf 'uki_generator=ukify\n' >>"$root/etc/kernel/install.conf"
  echo "$UEFI_CMDLINE" >"$root/etc/kernel/cmdline"
fi
uefi_chroot "$root" apt-get -q update >"$tmp/apt.log" 2>&1 ||
  { tail -n 20 "$tmp/apt.log" >&2; uefi_die "apt-get update in the guest failed (log above)"; }
# The boot loader packages put nothing into an initramfs, but one of their dpkg triggers would build
# both kernels' initrds again (minutes under qemu-user): `update-initramfs -u` is off meanwhile.
initramfs_conf=$root/etc/initramfs-tools/update-initramfs.conf
cp -p "$initramfs_conf" "$tmp/update-initramfs.conf"
sed -i 's/^update_initramfs=.*/update_initramfs=no/' "$initramfs_conf"
uefi_chroot "$root" apt-get -q -y install "${pkgs[@]}" >>"$tmp/apt.log" 2>&1 ||
  { tail -n 30 "$tmp/apt.log" >&2; uefi_die "apt-get install ${pkgs[*]} in the guest failed (log above)"; }
cp -p "$tmp/update-initramfs.conf" "$initramfs_conf"
if [[ $loader == grub ]]; then
  grep -q '^GRUB_TIMEOUT=5$' "$root/etc/default/grub" || uefi_die "Debian's /etc/default/grub has no GRUB_TIMEOUT=5"
fi
phase packages

# The provisioning boot's journal stays in memory (the cached disk holds no boot in its journal).
mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\n' >"$root/etc/systemd/journald.conf.d/zz-warmboot-provision.conf"

phase configured
rm -f "$root/usr/sbin/policy-rc.d"
uefi_chroot "$root" apt-get clean >/dev/null 2>&1 || true
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
for r in "${releases[@]}"; do
  cp "$root/boot/vmlinuz-$r" "$root/boot/initrd.img-$r" "$out/boot-files/" ||
    uefi_die "the guest has no /boot/vmlinuz-$r or initrd.img-$r"
done
newest=${releases[-1]}
phase cleaned

# ---- The disk: GPT on a sparse file, partitions written at their offsets ---------------------------
disk=$out/disk.raw
truncate -s $((1 + esp_mib + root_mib + 1))M "$disk"
sgdisk -n "1:2048:+${esp_mib}M" -t 1:ef00 -c "1:EFI System Partition" \
  -n 2:0:0 -t 2:8304 -c 2:wbroot "$disk" >"$tmp/sgdisk.log" 2>&1 || uefi_die "sgdisk failed: $(cat "$tmp/sgdisk.log")"
# part_field N start|size: in 512-byte sectors.
part_field() { sfdisk -d "$disk" 2>/dev/null | sed -n "s|^$disk$1 : .*$2= *\([0-9]*\).*|\1|p"; }
esp_start=$(part_field 1 start) esp_size=$(part_field 1 size) || true
root_start=$(part_field 2 start) root_size=$(part_field 2 size) || true
[[ -n $esp_start && -n $esp_size && -n $root_start && -n $root_size ]] || uefi_die "cannot read the partition table"
((esp_start % 2048 == 0)) || uefi_die "the ESP is not MiB-aligned"
# The ESP: an image of its own, copied in at its offset (mkfs.vfat --offset makes a bad FAT).
mkfs.vfat -F 32 -n ESP -C "$tmp/esp.img" $((esp_size / 2)) >/dev/null || uefi_die "mkfs.vfat failed"
dd if="$tmp/esp.img" of="$disk" bs=1M seek=$((esp_start / 2048)) conv=notrunc,sparse status=none ||
  uefi_die "dd of the ESP failed"
rm -f "$tmp/esp.img"
# The root: mkfs.ext4 writes it in place (-E offset), filling it from the tree (-d).
mkfs.ext4 -q -F -L wbroot -d "$root" -E offset=$((root_start * 512)) "$disk" $((root_size / 2))k >&2 ||
  uefi_die "mkfs.ext4 -d failed"
sgdisk -v "$disk" >"$tmp/sgdisk.log" 2>&1 || uefi_die "the partition table is broken: $(cat "$tmp/sgdisk.log")"
phase disk
rm -rf "$root"

# ---- Provisioning boot: the guest installs its boot loader -----------------------------------------
mkdir -p "$tmp/payload"
{
  cat <<EOF
#!/bin/bash
# Provisioning of the $variant guest (written by scripts/vm-uefi-image.sh).
exec >/dev/$UEFI_TTY 2>&1
esp=$esp
kernels="${releases[*]}"
EOF
  cat <<'EOF'
m() { echo "WARMBOOT-UEFI $*"; }
fail() {
  m provision-failed "$*"
  systemctl poweroff
  exit 1
}
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR
set -eE -o pipefail
m provision-start uname=$(uname -r) loader=$(cat /proc/sys/kernel/bootloader_type 2>/dev/null || echo none) uptime=$(cut -d' ' -f1 /proc/uptime)
[ -d /sys/firmware/efi/efivars ] || fail "not booted through UEFI"
mountpoint -q "$esp" || fail "the ESP is not mounted on $esp"
EOF
  case $variant in
    grub | grub-timeout | secureboot)
      sb= grub_target=x86_64-efi
      [[ $variant == secureboot ]] && sb=--uefi-secure-boot
      [[ $UEFI_ARCH == arm64 ]] && grub_target=arm64-efi
      cat <<EOF
grub-install --target=$grub_target --efi-directory=/boot/efi --removable --no-nvram $sb
update-grub
EOF
      cat <<'EOF'
grep -E "^\s*(menuentry|submenu) " /boot/grub/grub.cfg | sed 's/^/grub.cfg: /'
for r in $kernels; do
  grep -q "menuentry 'Debian GNU/Linux, with Linux $r'" /boot/grub/grub.cfg || fail "no GRUB entry for $r"
  m entry release=$r "id=Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux $r"
done
EOF
      if [[ $variant == secureboot ]]; then
        cat <<'EOF'
cmp /usr/lib/shim/shimx64.efi.signed /boot/efi/EFI/BOOT/BOOTX64.EFI || fail "BOOTX64.EFI is not shim"
cmp /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed /boot/efi/EFI/BOOT/grubx64.efi ||
  fail "grubx64.efi is not the signed GRUB"
EOF
      fi
      ;;
    sdboot | sdboot-uki)
      cat <<'EOF'
bootctl install
cat >/efi/loader/loader.conf <<'CONF'
timeout 0
console-mode keep
editor no
CONF
# The kernel packages ran depmod in the chroot already; under TCG it takes a minute per kernel.
ln -sf /dev/null /etc/kernel/install.d/50-depmod.install
for r in $kernels; do kernel-install --verbose add "$r" "/boot/vmlinuz-$r"; done
rm -f /etc/kernel/install.d/50-depmod.install
bootctl --no-pager list
for r in $kernels; do
  id=$(cd /efi && ls loader/entries/*-"$r".conf EFI/Linux/*-"$r".efi 2>/dev/null | head -n 1) || true
  [ -n "$id" ] || fail "no boot entry for $r on the ESP"
  m entry release=$r id=${id##*/}
done
EOF
      ;;
  esac
  cat <<'EOF'
find "$esp" -type f | sort | sed 's/^/esp: /'
rm -f /etc/systemd/journald.conf.d/zz-warmboot-provision.conf
sync
m provision-ok uptime=$(cut -d' ' -f1 /proc/uptime)
systemctl poweroff
EOF
} >"$tmp/payload/guest.sh"
uefi_payload "$tmp/payload" "$tmp/payload.img"

# The provisioning boot runs on the architecture's plain firmware (no Secure Boot): the variant's
# own is restored after it.
variant_fw=("$UEFI_OVMF_CODE" "$UEFI_OVMF_VARS" "${UEFI_MACHINE_ARGS[@]}")
uefi_firmware provision
cp "$UEFI_OVMF_CODE" "$tmp/prov-code.fd"
cp "$UEFI_OVMF_VARS" "$tmp/prov-vars.fd"
prov_machine=("${UEFI_MACHINE_ARGS[@]}")
UEFI_OVMF_CODE=${variant_fw[0]} UEFI_OVMF_VARS=${variant_fw[1]} UEFI_MACHINE_ARGS=("${variant_fw[@]:2}")
uefi_say "provisioning boot (kernel $newest, $UEFI_ARCH firmware, TCG; ~1-2 min, arm64 ~5)"
: >"$out/provision.log"
uefi_qemu "$tmp" 1 900 "${prov_machine[@]}" \
  -drive "if=pflash,format=raw,unit=0,readonly=on,file=$tmp/prov-code.fd" \
  -drive "if=pflash,format=raw,unit=1,file=$tmp/prov-vars.fd" \
  -kernel "$out/boot-files/vmlinuz-$newest" -initrd "$out/boot-files/initrd.img-$newest" \
  -append "$UEFI_CMDLINE" \
  -drive "file=$disk,format=raw,if=none,id=disk" -device virtio-blk-pci,drive=disk \
  -drive "file=$tmp/payload.img,format=raw,if=none,id=payload,readonly=on" -device virtio-blk-pci,drive=payload
cp "$tmp/serial.log" "$out/provision.log"
if ((UEFI_QEMU_RC != 0)) || ! grep -q 'WARMBOOT-UEFI provision-ok' "$out/provision.log"; then
  grep -E 'WARMBOOT-UEFI|rror' "$out/provision.log" | tail -n 30 >&2 || tail -n 30 "$out/provision.log" >&2
  uefi_die "provisioning failed (QEMU status $UEFI_QEMU_RC; console above, stderr: $(head -c 300 "$tmp/qemu.stderr"))"
fi
phase provisioned

# ---- What the runs need ----------------------------------------------------------------------------
sed -n 's/.*WARMBOOT-UEFI entry release=\([^ ]*\) id=\(.*\)$/\1\t\2/p' "$out/provision.log" >"$out/entries.txt"
(($(wc -l <"$out/entries.txt") == ${#releases[@]})) || uefi_die "the guest reported $(wc -l <"$out/entries.txt") boot entries"
mdir -i "$disk@@$((esp_start * 512))" -/ -b :: >"$out/esp.txt" 2>/dev/null || uefi_die "mdir of the ESP failed"
cp "$UEFI_OVMF_CODE" "$out/OVMF_CODE.fd"
cp "$UEFI_OVMF_VARS" "$out/OVMF_VARS.fd"
printf '%s\n' "${releases[@]}" >"$out/kernels.txt"
echo "$recipe" >"$out/recipe.txt"
{
  printf '%s\n' "${UEFI_MACHINE_ARGS[@]}"
  printf '%s\n' -drive "if=pflash,format=raw,unit=0,readonly=on,file=@DIR@/OVMF_CODE.fd"
  printf '%s\n' -drive "if=pflash,format=raw,unit=1,file=@VARS@"
} >"$out/qemu-args.txt"
secure=0
[[ $variant == secureboot ]] && secure=1
{
  echo "# scripts/vm-uefi-image.sh --arch $UEFI_ARCH --variant $variant (paths relative to this directory)"
  printf 'UEFI_VARIANT=%q\n' "$variant"
  printf 'UEFI_ARCH=%q\n' "$UEFI_ARCH"
  printf 'UEFI_TTY=%q\n' "$UEFI_TTY"
  printf 'UEFI_LOADER=%q\n' "$loader"
  printf 'UEFI_ENTRY_LAYOUT=%q\n' "${layout:-grub}"
  printf 'UEFI_ESP=%q\n' "$esp"
  printf 'UEFI_SECURE_BOOT=%q\n' "$secure"
  printf 'UEFI_GRUB_TIMEOUT=%q\n' "$([[ $loader == grub ]] && echo "$grub_timeout")"
  printf 'UEFI_MACHINE=%q\n' "${UEFI_MACHINE_ARGS[1]}"
  printf 'UEFI_OVMF_CODE=OVMF_CODE.fd\nUEFI_OVMF_VARS=OVMF_VARS.fd\n'
  printf 'UEFI_CMDLINE=%q\n' "$UEFI_CMDLINE"
  printf 'UEFI_KERNELS=%q\n' "${releases[*]}"
  printf 'UEFI_DEFAULT_KERNEL=%q\n' "$newest"
  printf 'UEFI_ROOT_LABEL=wbroot\nUEFI_ESP_LABEL=ESP\n'
} >"$out/env"
printf '%s\n' "${times[@]}" >"$out/build-times.txt"

rm -rf "$dest"
mv "$out" "$dest"
date -u +%FT%TZ >"$dest/.complete"
rm -rf "$images/failed-$name"
uefi_say "built $dest in $((SECONDS - started)) s ($(du -sh "$dest" | cut -f1) on disk; phases: ${times[*]})"

# Keep the newest 2 images per variant.
find "$images" -mindepth 1 -maxdepth 1 -type d -name "$name-$hexdigits" -printf '%T@ %p\n' | sort -rn |
  tail -n +3 | cut -d' ' -f2- | while read -r old; do rm -rf "$old"; done
echo "$dest"
