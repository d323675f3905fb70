#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Reboot benchmark in a QEMU guest (not part of CI): how long each way of rebooting takes from the
# command to "ready again", and where the time goes.
#
#   bench/reboot-bench.sh [-n N] [--post-ms MS] [--methods "cold warmboot ..."] [--initramfs debian|image]
#                         [--kind debian12|debian13|debian13-arm64] [--variant V]
#                         [--smp N] [--profile] [--binary PATH] [--out DIR] [--verbose]
#   bench/reboot-bench.sh [--kind K] --analyze DIR   # the tables again from the logs of an earlier run
#                                                     # (give its --kind; also for a run cut short)
#
# Methods, each N times (default 3), interleaved (round 1: every method, round 2: ...), all into
# the same kernel (the one the guest's first boot runs: QEMU's, or the boot loader's default):
#   cold            systemctl reboot: reset, firmware, boot loader (debian13: GRUB's menu timeout set
#                   to Debian's default 5 s first), the kernel
#   cold-t0         the same with GRUB_TIMEOUT=0 (debian13, GRUB)
#   kexec-tools     kexec -l -s (vmlinuz, initrd, --reuse-cmdline) before the clock, then systemctl kexec
#   systemd-kexec   systemctl kexec with nothing loaded: systemd loads systemd-boot's default entry
#                   itself, through kexec-tools (debian13, sdboot variants)
#   warmboot        warmboot reboot --yes (stage, then systemd's kexec reboot)
#   warmboot-force  warmboot reboot --yes --force (stage, sync, reboot(LINUX_REBOOT_CMD_KEXEC))
#   warmboot-staged `warmboot load` before the clock, then warmboot reboot --yes: the handover alone
#   enable          `warmboot enable` (stage_ahead = false) before the clock, then a plain
#                   systemctl reboot: staged on the way down by warmboot's shutdown unit (debian13)
#   enable-ahead    the same with stage_ahead = true: staged after boot, the plain reboot becomes
#                   systemd 257's kexec; the memory it pins is measured (debian13)
# Nothing but the method's own state changes between reboots: warmboot is disabled and nothing is
# loaded for the methods that do not use it.
# Every cold reboot is a power cycle: the guest's reset ends QEMU (-no-reboot) and the harness starts
# it again at once on the same disk and firmware variables (a new QEMU run; the relaunch takes well
# under a second and is shown). A reset inside one long-lived QEMU degraded OVMF run after run under
# TCG (firmware 8 s -> 100 s, then a hang), which no real machine does; warm reboots stay in one run.
# --smp N: the guest's vCPUs (default 2).
# --profile: QEMU gets a monitor socket, and bench/lib/handover_profile.py samples every vCPU's RIP
# through it (DIR/<name>/samples.txt); the report then splits every warm handover into relocation,
# purgatory, decompression and the new kernel's early boot (x86 kinds).
# --post-ms MS adds a simulated firmware POST to every cold boot: SeaBIOS (debian12) or OVMF
# (debian13; it waits whole seconds) waits MS ms (-boot menu=on,splash-time=MS); kexec skips it.
# --initramfs debian (default on debian13 kinds): the first boot rebuilds the kernel's initramfs
# with Debian's defaults (MODULES=most), what users have; image: the image's trimmed one (debian12).
# --kind debian12 (default): the kexec-tools variant of scripts/vm-debian-image.sh (kexec-load.service
# disabled), booted by QEMU's -kernel. --kind debian13 / debian13-arm64: the UEFI guests of
# scripts/vm-uefi-image.sh (--variant, default grub-timeout: Debian's GRUB menu; arm64: grub only),
# where every cold reboot goes through the firmware and the boot loader on the disk; warmboot comes
# as on those kinds' cases (amd64: the binary with the package's files; arm64: its package); the
# images of the grub-timeout and sdboot variants (and arm64's) have trixie's kexec-tools.
# Results: DIR/reboot-<date>[-kind][-variant][-post<MS>].json and .md (default bench/results/),
# with medians and ratios to cold; logs next to them in a directory of the same name.
# The guest runs a generated case (DIR/<name>/bench.case, one reboot per step; its guest side is
# bench/lib/bench-guest.sh) through the guest harness, tests/vm/run.sh. Every timing is on the
# host's clock from the guest's serial console (tests/vm/lib/markers.sh, vm_reboot_times; the
# tables: bench/lib/bench-report.sh). TCG emulation: absolute numbers are slow; compare the methods.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

n=3 post_ms=0 methods="cold kexec-tools warmboot warmboot-force" binary=$repo/build/warmboot
kind=debian12 variant='' initramfs='' results=$repo/bench/results analyze='' verbose=0 smp=2 profile=0
while (($#)); do
  case $1 in
    -n) n=$2; shift 2 ;;
    --post-ms) post_ms=$2; shift 2 ;;
    --methods) methods=$2; shift 2 ;;
    --initramfs) initramfs=$2; shift 2 ;;
    --kind) kind=$2; shift 2 ;;
    --variant) variant=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --profile) profile=1; shift ;;
    --out) results=$2; shift 2 ;;
    --verbose | -v) verbose=1; shift ;;
    --analyze) analyze=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "bench: $*" >&2; exit 2; }
[[ $n =~ ^[1-9][0-9]*$ && $post_ms =~ ^[0-9]+$ && $smp =~ ^[1-9][0-9]?$ ]] || die "-n, --post-ms and --smp take numbers"
case $kind in
  debian12) variant=${variant:-kexec-tools} guest="Debian 12 guest (QEMU's -kernel, SeaBIOS)" qemu=qemu-system-x86_64 ;;
  debian13) variant=${variant:-grub-timeout} guest="Debian 13 guest (OVMF, $variant on the disk)" qemu=qemu-system-x86_64 ;;
  debian13-arm64) variant=${variant:-grub} guest="Debian 13 arm64 guest (virt, AAVMF, $variant on the disk)" qemu=qemu-system-aarch64 ;;
  *) die "--kind must be debian12, debian13 or debian13-arm64" ;;
esac
[[ $kind == debian12 ]] && initramfs=${initramfs:-image} || initramfs=${initramfs:-debian}
[[ $initramfs == debian || $initramfs == image ]] || die "--initramfs must be debian or image"
[[ $kind == debian12 && $initramfs == debian ]] && die "--initramfs debian needs a debian13 kind"
for m in $methods; do
  case $m in
    cold | warmboot | warmboot-force | warmboot-staged) ;;
    kexec-tools) [[ $kind != debian13 || $variant == grub-timeout || $variant == sdboot ]] ||
      die "kexec-tools: the $variant image has none (grub-timeout and sdboot have)" ;;
    cold-t0) [[ $kind != debian12 && $variant == grub* ]] || die "cold-t0 needs GRUB on the disk (debian13 kinds)" ;;
    systemd-kexec) [[ $kind != debian12 && $variant == sdboot* ]] || die "systemd-kexec needs systemd-boot's entries (--variant sdboot)" ;;
    enable | enable-ahead) [[ $kind != debian12 ]] || die "$m needs systemd 257 (debian13 kinds)" ;;
    *) die "unknown method $m" ;;
  esac
done
((post_ms == 0)) || [[ $kind != debian13-arm64 ]] || die "--post-ms: not on arm64 (AAVMF's wait is not checked)"
((profile == 0)) || [[ $kind != debian13-arm64 ]] || die "--profile: x86 kinds only (it knows x86's handover phases)"
if [[ -n $analyze ]]; then # the tables again, from the logs of an earlier run (same options)
  [[ -f $analyze/serial.log ]] || { echo "bench: no $analyze/serial.log" >&2; exit 2; }
  analyze=$(realpath "$analyze")
elif [[ ! -x $binary ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)" --target warmboot >/dev/null
fi

name=reboot-$(date -u +%Y%m%dT%H%M%SZ)
[[ $kind == debian12 ]] || name+=-$kind-$variant
((post_ms)) && name+=-post$post_ms
[[ -n $analyze ]] && name=$(basename "$analyze") results=$(dirname "$analyze")
out=$results/$name
mkdir -p "$out"

# ---- The guest's steps: one reboot each, interleaved ------------------------------------------------
order=()
for ((round = 1; round <= n; round++)); do
  for m in $methods; do order+=("$m"); done
done
VM_OUT=$out
# shellcheck source=tests/vm/lib/markers.sh
. tests/vm/lib/markers.sh
case_file=$out/bench.case
if [[ -n $analyze ]]; then
  # The order and settings of the earlier run, from its generated case file.
  mapfile -t order < <(sed -n 's/^step_[0-9]*() { bench_reboot \([^;]*\); }$/\1/p' "$case_file")
  methods=$(printf '%s\n' "${order[@]}" | awk '!seen[$0]++' | paste -sd' ' -)
  n=$(printf '%s\n' "${order[@]}" | grep -cx "${order[0]}")
  post_ms=$(sed -n 's/.*splash-time=\([0-9]*\).*/\1/p' "$out/qemu-cmd.txt" | head -n 1)
  post_ms=${post_ms:-0}
  smp=$(sed -n 's/.* -smp \([0-9]*\).*/\1/p' "$out/qemu-cmd.txt" | head -n 1)
  smp=${smp:-1}
  initramfs=$(sed -n 's/^BENCH_INITRAMFS=//p' "$case_file")
  [[ -f $out/markers.log ]] || vm_markers_build # a run cut short: the harness did not get to it
else
  per_reboot=240
  [[ $initramfs == debian ]] && per_reboot=360
  [[ $kind == debian13-arm64 ]] && per_reboot=600 # every arm64 instruction emulated
  timeout=$((${#order[@]} * (per_reboot + post_ms / 1000) + 600))
  install=none
  [[ $kind == debian13 ]] && install=files
  [[ $kind == debian13-arm64 ]] && install=deb
  {
    echo '# shellcheck shell=bash disable=SC2034,SC2154'
    echo '# Generated by bench/reboot-bench.sh: one reboot per step (bench/lib/bench-guest.sh).'
    echo "DESCRIPTION=\"reboot benchmark: $methods, $n round(s), post ${post_ms} ms, initramfs $initramfs\""
    echo "VARIANT=$variant"
    [[ $kind == debian12 ]] && echo "BOOT_KERNEL=newest"
    # One QEMU run per reset (a cold reboot, or a warm one that fell back cold), warm reboots within a run.
    echo "RUN_ENDS=until-poweroff"
    echo "TIMEOUT=$timeout"
    echo "EXPECT_BOOTS=$((${#order[@]} + 1))"
    qemu_args="-smp $smp"
    # A short path: a unix socket's name has room for 107 bytes.
    monitor=/tmp/warmboot-bench-$$.sock
    ((profile)) && qemu_args+=" -monitor unix:$monitor,server=on,wait=off"
    ((post_ms)) && qemu_args+=" -boot menu=on,splash-time=$post_ms"
    echo "QEMU_ARGS=\"$qemu_args\""
    echo "BENCH_INSTALL=$install"
    echo "BENCH_INITRAMFS=$initramfs"
    if [[ $install == files ]]; then
      # shellcheck disable=SC2016 # the generated function's own $1
      echo 'host_payload() { vm_payload_package_files "$1"; }'
    fi
    cat bench/lib/bench-guest.sh
    for i in "${!order[@]}"; do echo "step_$((i + 1))() { bench_reboot ${order[$i]}; }"; done
    echo "step_$((${#order[@]} + 1))() { bench_report_previous; }"
  } >"$case_file"

  # The image first (its progress on the terminal).
  case $kind in
    debian12) scripts/vm-debian-image.sh --variant "$variant" >/dev/null ;;
    debian13) scripts/vm-uefi-image.sh --variant "$variant" >/dev/null ;;
    debian13-arm64) scripts/vm-uefi-image.sh --arch arm64 --variant "$variant" >/dev/null ;;
  esac
  echo "bench: ${#order[@]} reboots ($methods; $n each), post ${post_ms} ms; up to ${timeout}s; logs in $out" >&2
  bench_case=(--kind "$kind" --out "$out" "$case_file" "$binary")
  sampler=
  if ((profile)); then
    python3 bench/lib/handover_profile.py sample "$monitor" "$out/samples.txt" &
    sampler=$!
  fi
  if ((verbose)); then
    tests/vm/run.sh -v "${bench_case[@]}" 2> >(tee "$out/run.log" >&2) &
  else
    tests/vm/run.sh "${bench_case[@]}" 2>"$out/run.log" &
  fi
  job=$!
  trap 'kill -TERM "$job" $sampler 2>/dev/null || true; rm -f "$monitor"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  while kill -0 "$job" 2>/dev/null; do
    sleep 10
    done_n=$(grep -c 'WARMBOOT-VM boot ' "$out/serial.log" 2>/dev/null || true)
    printf '\rbench: %d of %d reboots done' $((done_n > 0 ? done_n - 1 : 0)) "${#order[@]}" >&2
  done
  echo >&2
  rc=0
  wait "$job" || rc=$?
  trap - EXIT
  [[ -z $sampler ]] || kill "$sampler" 2>/dev/null || true
  rm -f "$out/payload.img" "$out/mkfs.log" "$out/qemu.pid" "$monitor"
  ((rc == 0)) || { echo "bench: warning: the guest harness reported a failure (status $rc):" >&2; tail -n 30 "$out/run.log" >&2; }
fi
release=$(vm_field boot 1 uname)

# ---- Results ------------------------------------------------------------------------------------------
# shellcheck source=bench/lib/bench-report.sh
. bench/lib/bench-report.sh
rows=$out/rows.txt # method downtime boot overhead shutdown handover stage pinned kernel
bench_rows "${order[@]}"
bench_write "$name"
if [[ -s $out/samples.txt ]]; then
  python3 bench/lib/handover_profile.py report "$out/serial.log" "$out/samples.txt" >>"$results/$name.md" ||
    echo "bench: the handover profile failed" >&2
fi
