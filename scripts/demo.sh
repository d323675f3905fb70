#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's first command: on a fresh Debian 12 machine (as root), install what is needed,
# build warmboot and a Debian 13 QEMU guest that boots as machines do (UEFI firmware, then GRUB
# from its disk with Debian's default 5-second menu), then reboot the guest cold (`systemctl
# reboot`) and warm (`warmboot reboot --yes`, into the kernel GRUB boots) and print what each took.
#
#   scripts/demo.sh [--no-install] [--verbose]
#
# --no-install skips scripts/install-deps.sh (which installs the guests' packages too); --verbose
# streams the guest's console. Nothing reboots on this machine: every reboot happens inside the QEMU guest.
# The first run builds the guest image (~20 min: debootstrap, two kernels, GRUB installed from
# inside the guest; cached in ${WARMBOOT_CACHE:-~/.cache/warmboot}); the reboots then take ~4 min
# under QEMU's TCG emulation. Logs: build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

install=1
verbose=0
for arg in "$@"; do
  case $arg in
    --no-install) install=0 ;;
    --verbose | -v) verbose=1 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "demo: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*" >&2; }
started=$SECONDS

if ((install)); then
  say "dependencies (scripts/install-deps.sh)"
  scripts/install-deps.sh
fi
[[ $(id -u) == 0 ]] || { echo "demo: building the guest image needs root (debootstrap, chroot)" >&2; exit 2; }

say "build warmboot (cmake -B build)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target warmboot 2>&1 | tail -n 1 >&2

say "Debian 13 UEFI + GRUB guest image (scripts/vm-uefi-image.sh; ~20 min the first time, then cached)"
scripts/vm-uefi-image.sh --variant grub-timeout >/dev/null
out=$repo/build/demo
rm -rf "$out"
mkdir -p "$out"

say "QEMU guest: boot, cold reboot, warm reboot, power off (TCG emulation; ~3-4 min)"
# The guest runs tests/vm/cases/debian13/demo.case.in through the guest harness (tests/vm/run.sh) in
# the background (without -no-reboot, so the cold reboot comes back); the loop below prints what
# the guest is doing.
demo_case=(tests/vm/cases/debian13/demo.case.in "$repo/build/warmboot")
if ((verbose)); then
  tests/vm/run.sh --out "$out" -v "${demo_case[@]}" 2> >(tee "$out/run.log" >&2) &
else
  tests/vm/run.sh --out "$out" "${demo_case[@]}" 2>"$out/run.log" &
fi
run_job=$!
trap 'kill -TERM "$run_job" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

phase() { # what the guest is doing, from its latest console lines
  [[ -f $out/serial.log ]] || { echo "starting QEMU"; return; }
  awk '
    /WARMBOOT-VM boot /               { b++; p = (b == 1 ? "first boot done" : "guest ready again (boot " b ")") }
    /WARMBOOT-VM reboot-issued how=cold/ { p = "cold reboot: systemd shuts the guest down" }
    /WARMBOOT-VM reboot-issued how=warm/ { p = "warm reboot: warmboot stages the kernel, systemd shuts down" }
    /reboot: Restarting system/       { p = "cold reboot: firmware (OVMF), the GRUB menu (5 s), kernel loading" }
    /kexec_core: Starting new kernel/ { p = "warm reboot: kexec into the new kernel" }
    /Linux version/                   { p = (p ~ /^(cold|warm)/ ? substr(p, 1, 4) " reboot: the new kernel boots" : "booting the guest") }
    /Run \/init as init process/      { p = (p ~ /^(cold|warm)/ ? substr(p, 1, 4) " reboot: initramfs and systemd" : "booting the guest: initramfs and systemd") }
    /WARMBOOT-VM poweroff/            { p = "powering off" }
    END { print (p == "" ? "starting QEMU" : p) }' "$out/serial.log"
}
tty=0
[[ -t 2 ]] && ((!verbose)) && tty=1
last=
while kill -0 "$run_job" 2>/dev/null; do
  p=$(phase)
  if ((tty)); then
    printf '\r\033[K[%3ds] %s' $((SECONDS - started)) "$p" >&2
  elif [[ $p != "$last" ]]; then
    printf '[%3ds] %s\n' $((SECONDS - started)) "$p" >&2
  fi
  last=$p
  sleep 1
done
((tty)) && printf '\r\033[K' >&2
rc=0
wait "$run_job" || rc=$?
trap - EXIT

# ---- The table ---------------------------------------------------------------------------------------
VM_OUT=$out
# shellcheck source=tests/vm/lib/markers.sh
. tests/vm/lib/markers.sh
cold=$(vm_reboot_times 1 || true)
warm=$(vm_reboot_times 2 || true)
read -r _ c_down c_boot c_over c_shut c_hand _ <<<"${cold:-x - - - - - -}"
read -r _ w_down w_boot w_over w_shut w_hand w_stage <<<"${warm:-x - - - - - -}"
if [[ $rc != 0 || $c_down == - || $w_down == - ]]; then
  echo "demo: the guest did not complete both reboots (tests/vm/run.sh status $rc); its report and the end of its console:" >&2
  cat "$out/run.log" >&2
  echo "demo: full log: $out/serial.log" >&2
  exit 1
fi
release=$(vm_field boot 1 uname)
w_loader=$(vm_field boot 3 loader)
[[ $w_loader == 208 ]] || echo "demo: warning: the boot after the warm reboot has loader=$w_loader, not 208 (kexec_file_load)" >&2

cat <<EOF

Reboots of a Debian 13 QEMU guest (UEFI: OVMF, then GRUB from the disk; TCG), both into $release:

| reboot                          | downtime | new kernel boot -> ready | overhead | of which: shutdown | firmware/kexec -> kernel start |
|---------------------------------|---------:|-------------------------:|---------:|-------------------:|-------------------------------:|
| cold: systemctl reboot          | $(printf '%7ss' "$c_down") | $(printf '%23ss' "$c_boot") | $(printf '%7ss' "$c_over") | $(printf '%17ss' "$c_shut") | $(printf '%29ss' "$c_hand") |
| warm: warmboot reboot --yes     | $(printf '%7ss' "$w_down") | $(printf '%23ss' "$w_boot") | $(printf '%7ss' "$w_over") | $(printf '%17ss' "$w_shut") | $(printf '%29ss' "$w_hand") |

downtime: the reboot command was issued -> the guest reported ready again (after multi-user.target),
measured on the host's clock from the guest's serial console. boot -> ready: the new kernel's own
uptime at that moment. overhead = downtime - boot: what the reboot path itself costs (the old
system's shutdown, then firmware, boot loader and decompression for a cold reboot, or purgatory
and decompression for kexec). warmboot staged the kernel within ${w_stage}s of the command.
The warm reboot skipped the firmware and GRUB's menu: the boot loader type is 0xd0 (kexec_file_load)
after it. QEMU's firmware has no POST to speak of; on a server whose POST takes a minute or more,
that minute is saved too (bench/reboot-bench.sh --kind debian13 --post-ms simulates one).
Logs: $out/  (total time of this demo: $((SECONDS - started)) s)
EOF
