#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Acceptance test of a UEFI guest image: cold boots through OVMF and the boot loader (no -kernel).
#
#   scripts/vm-uefi-smoke.sh [-v] [--logs DIR] grub|grub-timeout|sdboot|sdboot-uki|secureboot
#
# Builds the image if needed (scripts/vm-uefi-image.sh), then runs QEMU one or more times on ONE
# qcow2 overlay of the cached disk.raw and ONE copy of its OVMF_VARS.fd, each run with -no-reboot and
# a hard timeout. In every boot the guest (a payload disk, see tests/vm/uefi-images.md) prints
# "WARMBOOT-UEFI boot run=N uname=... loader=... cmdline=..." and the boot loader's state, does the
# run's action and powers off. Runs per variant:
#   grub, sdboot, sdboot-uki: 1 default kernel (newest) -> one-shot the older (grub-reboot "Advanced
#     options for Debian GNU/Linux>..." / bootctl set-oneshot ID); 2 the older -> nothing; 3 the newest
#     again (the one-shot was used up) -> persistent default = the older (GRUB_DEFAULT=saved,
#     update-grub, grub-set-default / bootctl set-default ID); 4 the older.
#   grub-timeout: 1 the newest after Debian's 5 s menu (the countdown's time is measured).
#   secureboot: 1 the newest, Secure Boot enabled, lockdown [integrity] -> grub-reboot the older;
#     2 the older, still Secure Boot.
# Prints a summary (per run: kernel, times from QEMU's start) and exits 0 when every check passed.
# Logs in DIR (default ${TMPDIR:-/tmp}/warmboot-uefi-smoke/VARIANT): serial.log (stamped console),
# markers.log, result.txt, qemu-cmd.txt, qemu.stderr; the overlay and VARS copy stay there.
set -euo pipefail

UEFI_PROG=vm-uefi-smoke
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/vm-uefi-lib.sh
. "$here/vm-uefi-lib.sh"

variant= logs= UEFI_VERBOSE=0
while (($#)); do
  case $1 in
    -v) UEFI_VERBOSE=1; shift ;;
    --logs) logs=${2:-}; shift 2 ;;
    -h | --help) sed -n '3,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 0 ;;
    -*) uefi_die "unknown argument $1 (see --help)" ;;
    *) variant=$1; shift ;;
  esac
done
[[ -n $variant ]] || uefi_die "which variant? (see --help)"
logs=${logs:-${TMPDIR:-/tmp}/warmboot-uefi-smoke/$variant}

img=$("$here/vm-uefi-image.sh" --variant "$variant") || uefi_die "scripts/vm-uefi-image.sh --variant $variant failed"
# shellcheck source=/dev/null
. "$img/env"
read -r -a kernels <<<"$UEFI_KERNELS"
oldest=${kernels[0]} newest=${kernels[-1]}
[[ $oldest != "$newest" ]] || uefi_die "the image has one kernel only"
old_entry=$(awk -F'\t' -v r="$oldest" '$1 == r { print $2 }' "$img/entries.txt")
[[ -n $old_entry ]] || uefi_die "no boot entry for $oldest in $img/entries.txt"

rm -rf "$logs"
mkdir -p "$logs"
trap uefi_qemu_kill EXIT
qemu-img create -q -f qcow2 -F raw -b "$img/disk.raw" "$logs/disk.qcow2" || uefi_die "qemu-img create failed"
cp "$img/OVMF_VARS.fd" "$logs/vars.fd"
: >"$logs/serial.log"
mapfile -t fw_args < <(sed -e "s|@DIR@|$img|g" -e "s|@VARS@|$logs/vars.fd|g" "$img/qemu-args.txt")

# ---- Runs: "expected kernel|action" ----------------------------------------------------------------
q=$(printf '%q' "$old_entry")
case $variant in
  grub)
    runs=("$newest|grub-reboot $q"
      "$oldest|:"
      "$newest|sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && update-grub && grub-set-default $q"
      "$oldest|:") ;;
  sdboot | sdboot-uki)
    runs=("$newest|bootctl set-oneshot $q"
      "$oldest|:"
      "$newest|bootctl set-default $q"
      "$oldest|:") ;;
  grub-timeout) runs=("$newest|:") ;;
  secureboot) runs=("$newest|grub-reboot $q" "$oldest|:") ;;
  *) uefi_die "unknown variant $variant" ;;
esac

guest_script() {
  local run=$1 action=$2
  cat <<EOF
#!/bin/bash
# scripts/vm-uefi-smoke.sh, run $run
exec >/dev/ttyS0 2>&1
run=$run loader=$UEFI_LOADER
action() { $action; }
EOF
  cat <<'EOF'
m() { echo "WARMBOOT-UEFI $*"; }
efivar() { # NAME: an EFI variable of systemd's boot loader interface, as text
  local f=/sys/firmware/efi/efivars/$1-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
  if [ -r "$f" ]; then cat "$f" | tail -c +5 | tr -d '\0'; else echo "-"; fi
}
m boot run=$run uname=$(uname -r) loader=$(cat /proc/sys/kernel/bootloader_type) uptime=$(cut -d' ' -f1 /proc/uptime) cmdline=$(cat /proc/cmdline)
m sb-state $(mokutil --sb-state 2>&1 | head -n 1)
m lockdown $(cat /sys/kernel/security/lockdown 2>/dev/null || echo none)
m analyze $(systemd-analyze 2>&1 | head -n 1)
m efi-loader info=$(efivar LoaderInfo | tr ' ' _) selected=$(efivar LoaderEntrySelected) oneshot=$(efivar LoaderEntryOneShot) default=$(efivar LoaderEntryDefault) time-init=$(efivar LoaderTimeInitUSec) time-exec=$(efivar LoaderTimeExecUSec)
efibootmgr 2>&1 | sed 's/^/efibootmgr: /'
if [ "$loader" = grub ]; then
  grub-editenv list | sed 's/^/grubenv: /'
  grep -E '^(set default|set timeout=)' /boot/grub/grub.cfg | sed 's/^/grub.cfg: /'
else
  bootctl --no-pager status 2>&1 | sed 's/^/bootctl: /'
fi
if action; then m action-ok; else m action-failed rc=$?; fi
[ "$loader" = grub ] && grub-editenv list | sed 's/^/grubenv after: /'
[ "$loader" = systemd-boot ] && bootctl --no-pager list 2>&1 | grep -E 'title|id:|default|selected|oneshot' | sed 's/^/bootctl list: /'
m done run=$run
systemctl poweroff
EOF
}

# ---- Run them --------------------------------------------------------------------------------------
failures=()
fail() { failures+=("$*"); }
summary=()
field() { # RUN EVENT KEY: the value of KEY in the first EVENT marker of RUN (cmdline: to the end)
  awk -v r="$1" -v e="$2" '$2 == r && $3 == "WARMBOOT-UEFI" && $4 == e { print; exit }' "$logs/serial.log" |
    sed -n "s/.* $3=\([^ ]*\).*/\1/p"
}
first_time() { # RUN REGEX: the host time of the first console line of RUN matching REGEX
  awk -v r="$1" -v re="$2" '$2 == r && $0 ~ re { print $1; exit }' "$logs/serial.log"
}
since() { [[ -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }' || echo "-"; }

echo "$UEFI_PROG: $variant: image $img" >&2
for ((i = 0; i < ${#runs[@]}; i++)); do
  run=$((i + 1))
  expect=${runs[i]%%|*} action=${runs[i]#*|}
  mkdir -p "$logs/payload-$run"
  guest_script "$run" "$action" >"$logs/payload-$run/guest.sh"
  uefi_payload "$logs/payload-$run" "$logs/payload-$run.img"
  echo "$UEFI_PROG: run $run: expect $expect; then: $action" >&2
  uefi_qemu "$logs" "$run" 300 "${fw_args[@]}" \
    -drive "file=$logs/disk.qcow2,format=qcow2,if=none,id=disk" -device virtio-blk-pci,drive=disk,bootindex=1 \
    -drive "file=$logs/payload-$run.img,format=raw,if=none,id=payload,readonly=on" \
    -device virtio-blk-pci,drive=payload
  start=$UEFI_QEMU_START
  ((UEFI_QEMU_RC == 0)) || fail "run $run: QEMU exited with status $UEFI_QEMU_RC"
  got=$(field "$run" boot uname)
  [[ $got == "$expect" ]] || fail "run $run: booted '${got:-nothing}', expected $expect"
  grep -q "^[0-9.]* $run WARMBOOT-UEFI done run=$run" "$logs/serial.log" || fail "run $run: no done marker"
  grep -q "^[0-9.]* $run WARMBOOT-UEFI action-ok" "$logs/serial.log" || fail "run $run: the action failed: $action"
  # bootloader_type is 0x21 (33, the kernel's EFI stub) for every UEFI boot, QEMU's -kernel included:
  # that the boot loader ran shows in its traces instead.
  ldr=$(field "$run" boot loader)
  if [[ $UEFI_LOADER == grub ]]; then
    grep -q "^[0-9.]* $run WARMBOOT-UEFI boot .* cmdline=BOOT_IMAGE=" "$logs/serial.log" ||
      fail "run $run: no BOOT_IMAGE= in /proc/cmdline: GRUB did not start the kernel"
  else
    [[ $(field "$run" efi-loader info) == systemd-boot* ]] ||
      fail "run $run: no LoaderInfo=systemd-boot: systemd-boot did not start the kernel"
  fi
  # Milestones: the firmware starts the boot loader (BdsDxe), the kernel's EFI stub, the kernel's
  # first line, multi-user (the payload's boot marker), QEMU's exit.
  t_bds=$(first_time "$run" 'BdsDxe: starting')
  t_stub=$(first_time "$run" 'EFI stub: ')
  t_linux=$(first_time "$run" 'Linux version ')
  t_mu=$(first_time "$run" 'WARMBOOT-UEFI boot ')
  line="run $run: $got (loader=$ldr) bootloader@$(since "$start" "$t_bds")s stub@$(since "$start" "$t_stub")s"
  line+=" kernel@$(since "$start" "$t_linux")s multi-user@$(since "$start" "$t_mu")s exit@$(since "$start" "$UEFI_QEMU_END")s"
  if [[ $variant == grub-timeout ]]; then
    # The menu is drawn (its help text), counts down, then GRUB prints "Booting `<entry>'".
    t_menu=$(first_time "$run" 'Press enter to boot the selected OS')
    t_boot=$(first_time "$run" 'Booting `')
    [[ -n $t_menu && -n $t_boot ]] || fail "run $run: no GRUB menu on the console"
    menu=$(since "$t_menu" "$t_boot")
    line+=" menu-shown-for=${menu}s"
    [[ $menu != - ]] && awk -v m="$menu" 'BEGIN { exit !(m >= 4.5 && m < 20) }' ||
      fail "run $run: the GRUB menu was shown for ${menu}s, not ~5"
  fi
  if [[ $variant == secureboot ]]; then
    grep -q "^[0-9.]* $run WARMBOOT-UEFI sb-state SecureBoot enabled" "$logs/serial.log" || fail "run $run: Secure Boot is not enabled"
    grep -q "^[0-9.]* $run WARMBOOT-UEFI lockdown .*\[integrity\]" "$logs/serial.log" || fail "run $run: lockdown is not [integrity]"
  fi
  if [[ $UEFI_LOADER == systemd-boot ]]; then
    sel=$(field "$run" efi-loader selected)
    want=$(awk -F'\t' -v r="$expect" '$1 == r { print $2 }' "$img/entries.txt")
    [[ $sel == "$want" ]] || fail "run $run: LoaderEntrySelected=$sel, expected $want"
  fi
  summary+=("$line")
  echo "$UEFI_PROG: $line" >&2
done

awk '{ i = index($0, "WARMBOOT-UEFI "); if (i) print $1, $2, substr($0, i + 14) }' "$logs/serial.log" >"$logs/markers.log"
{
  echo "variant $variant image $img"
  printf '%s\n' "${summary[@]}"
  if ((${#failures[@]})); then printf 'FAIL: %s\n' "${failures[@]}"; else echo PASS; fi
} | tee "$logs/result.txt"
((${#failures[@]} == 0))
