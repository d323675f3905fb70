#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Reboot benchmark in a QEMU guest (not part of CI): how long each way of rebooting takes from the
# command to "ready again", and where the time goes.
#
#   bench/reboot-bench.sh [-n N] [--post-ms MS] [--methods "cold kexec-tools warmboot warmboot-force"]
#                         [--kind debian12|debian13|debian13-arm64] [--variant V]
#                         [--binary PATH] [--out DIR] [--verbose]
#   bench/reboot-bench.sh --analyze DIR     # the tables again from the logs in DIR (an earlier run)
#
# Methods, each N times (default 3), interleaved (round 1: every method, round 2: ...), all into
# the same kernel (the newest in the guest, which QEMU also boots):
#   cold            systemctl reboot (QEMU resets; SeaBIOS, QEMU's loader, the kernel)
#   kexec-tools     kexec -l -s /boot/vmlinuz-$(uname -r) --initrd=... --reuse-cmdline; systemctl kexec
#   warmboot        warmboot reboot --yes (stage, then systemd's kexec reboot)
#   warmboot-force  warmboot reboot --yes --force (stage, sync, reboot(LINUX_REBOOT_CMD_KEXEC))
#   warmboot-staged `warmboot load` before the clock starts (staged ahead, e.g. at the start of a
#                   maintenance window), then warmboot reboot --yes: the handover alone
# --post-ms MS adds a simulated firmware POST: SeaBIOS waits MS ms on every cold boot
# (-boot menu=on,splash-time=MS); kexec skips it (debian12 only).
# --kind debian12 (default): the kexec-tools variant of scripts/vm-debian-image.sh (kexec-load.service
# disabled), booted by QEMU's -kernel. --kind debian13 / debian13-arm64: the UEFI guests of
# scripts/vm-uefi-image.sh (--variant, default grub; arm64: grub only), where every cold reboot goes
# through the firmware and the boot loader on the disk and warmboot comes as on those kinds' cases
# (arm64: its package); no kexec-tools in them. Results: DIR/reboot-<date>[-post<MS>].json and .md (default bench/results/), with
# medians and ratios to cold; logs next to them in a directory of the same name.
# The guest runs a generated case (DIR/<name>/bench.case, one reboot per step) through the guest
# harness, tests/vm/run.sh (kind debian12). Every timing is on the host's clock from the guest's
# serial console (tests/vm/lib/markers.sh, vm_reboot_times). TCG emulation: absolute numbers are
# slow; compare the methods.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

n=3 post_ms=0 methods="cold kexec-tools warmboot warmboot-force" binary=$repo/build/warmboot
kind=debian12 variant=
results=$repo/bench/results analyze='' verbose=0
while (($#)); do
  case $1 in
    -n) n=$2; shift 2 ;;
    --post-ms) post_ms=$2; shift 2 ;;
    --methods) methods=$2; shift 2 ;;
    --kind) kind=$2; shift 2 ;;
    --variant) variant=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --out) results=$2; shift 2 ;;
    --verbose | -v) verbose=1; shift ;;
    --analyze) analyze=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $n =~ ^[1-9][0-9]*$ && $post_ms =~ ^[0-9]+$ ]] || { echo "bench: -n and --post-ms take numbers" >&2; exit 2; }
case $kind in
  debian12) variant=${variant:-kexec-tools} guest="Debian 12 guest (QEMU's -kernel, SeaBIOS)" qemu=qemu-system-x86_64 ;;
  debian13) variant=${variant:-grub} guest="Debian 13 guest (OVMF, $variant on the disk)" qemu=qemu-system-x86_64 ;;
  debian13-arm64) variant=${variant:-grub} guest="Debian 13 arm64 guest (virt, AAVMF, $variant on the disk)" qemu=qemu-system-aarch64 ;;
  *) echo "bench: --kind must be debian12, debian13 or debian13-arm64" >&2; exit 2 ;;
esac
for m in $methods; do
  case $m in cold | kexec-tools | warmboot | warmboot-force | warmboot-staged) ;; *) echo "bench: unknown method $m" >&2; exit 2 ;; esac
  [[ $m == kexec-tools && $kind != debian12 ]] && { echo "bench: the $kind guest has no kexec-tools" >&2; exit 2; }
done
((post_ms == 0)) || [[ $kind == debian12 ]] || { echo "bench: --post-ms needs SeaBIOS (--kind debian12)" >&2; exit 2; }
if [[ -n $analyze ]]; then # the tables again, from the logs of an earlier run (same options)
  [[ -f $analyze/serial.log ]] || { echo "bench: no $analyze/serial.log" >&2; exit 2; }
  analyze=$(realpath "$analyze")
elif [[ ! -x $binary ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)" --target warmboot >/dev/null
fi

name=reboot-$(date -u +%Y%m%dT%H%M%SZ)
[[ $kind == debian12 ]] || name+=-$kind
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
  # The order of the earlier run, from its generated case file.
  mapfile -t order < <(sed -n 's/^step_[0-9]*() { bench_reboot \([^;]*\); }$/\1/p' "$case_file")
  methods=$(printf '%s\n' "${order[@]}" | awk '!seen[$0]++' | paste -sd' ' -)
  n=$(printf '%s\n' "${order[@]}" | grep -cx "${order[0]}")
  post_ms=$(sed -n 's/.*splash-time=\([0-9]*\).*/\1/p' "$out/qemu-cmd.txt" | head -n 1)
  post_ms=${post_ms:-0}
else
  per_reboot=240
  [[ $kind == debian13-arm64 ]] && per_reboot=600 # every arm64 instruction emulated
  timeout=$((${#order[@]} * (per_reboot + post_ms / 1000) + 300))
  {
    echo '# shellcheck shell=bash disable=SC2034,SC2154'
    echo '# Generated by bench/reboot-bench.sh: one reboot per step, into the kernel QEMU boots.'
    echo "DESCRIPTION=\"reboot benchmark: $methods, $n round(s), post ${post_ms} ms\""
    echo "VARIANT=$variant"
    [[ $kind == debian12 ]] && echo "BOOT_KERNEL=newest"
    echo "NO_REBOOT=0 # the cold reboots come back"
    echo "TIMEOUT=$timeout"
    echo "EXPECT_BOOTS=$((${#order[@]} + 1))"
    ((post_ms)) && echo "QEMU_ARGS=\"-boot menu=on,splash-time=$post_ms\""
    cat <<'EOF'
bench_reboot() {
  local r
  r=$(uname -r)
  sleep 5 # let the boot settle before the clock starts
  [[ $1 == warmboot-staged ]] && { warmboot load >/dev/null || marker "bench: warmboot load failed"; }
  reboot_issued "$1"
  case $1 in
    cold) reboot_cmd cold systemctl reboot ;;
    kexec-tools)
      kexec -l -s "/boot/vmlinuz-$r" --initrd="/boot/initrd.img-$r" --reuse-cmdline &&
        marker "staged by=kexec-tools" && reboot_cmd kexec-tools systemctl kexec ;;
    warmboot) reboot_cmd warmboot warmboot reboot --yes ;;
    warmboot-force) reboot_cmd warmboot-force warmboot reboot --yes --force ;;
    warmboot-staged) reboot_cmd warmboot-staged warmboot reboot --yes ;;
  esac
  expect_reboot 900
}
EOF
    for i in "${!order[@]}"; do echo "step_$((i + 1))() { bench_reboot ${order[$i]}; }"; done
  } >"$case_file"

  # The image first (its progress on the terminal).
  case $kind in
    debian12) scripts/vm-debian-image.sh --variant "$variant" >/dev/null ;;
    debian13) scripts/vm-uefi-image.sh --variant "$variant" >/dev/null ;;
    debian13-arm64) scripts/vm-uefi-image.sh --arch arm64 --variant "$variant" >/dev/null ;;
  esac
  echo "bench: ${#order[@]} reboots ($methods; $n each), post ${post_ms} ms; up to ${timeout}s; logs in $out" >&2
  bench_case=(--kind "$kind" --out "$out" "$case_file" "$binary")
  if ((verbose)); then
    tests/vm/run.sh -v "${bench_case[@]}" 2> >(tee "$out/run.log" >&2) &
  else
    tests/vm/run.sh "${bench_case[@]}" 2>"$out/run.log" &
  fi
  job=$!
  trap 'kill -TERM "$job" 2>/dev/null || true' EXIT
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
  rm -f "$out/payload.img" "$out/mkfs.log" "$out/qemu.pid"
  ((rc == 0)) || { echo "bench: warning: the guest harness reported a failure (status $rc):" >&2; tail -n 30 "$out/run.log" >&2; }
fi
release=$(vm_field boot 1 uname)

# ---- Results ------------------------------------------------------------------------------------------
rows=$out/rows.txt # method downtime boot overhead shutdown handover stage
: >"$rows"
for i in "${!order[@]}"; do
  t=$(vm_reboot_times $((i + 1))) || t="${order[$i]} - - - - - -"
  echo "$t" >>"$rows"
done
median() { # median of the numbers on stdin ("-" ignored)
  { grep -v '^-$' || true; } | sort -g | awk '{ v[NR] = $1 } END { if (!NR) print "null"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
col() { awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$rows"; }
declare -A med
for m in $methods; do
  for c in 2 3 4 5 6 7; do med[$m,$c]=$(col "$m" "$c" | median); done
done
ratio() { # downtime of $1 / downtime of cold
  local a=${med[$1,2]} b=${med[cold,2]:-null}
  [[ $a != null && $b != null ]] && vm_calc 'a / b' a="$a" b="$b" || echo null
}

json=$results/$name.json
{
  printf '{\n  "date": "%s",\n  "kind": "%s",\n  "variant": "%s",\n  "kernel": "%s",\n  "rounds": %d,\n  "post_ms": %d,\n' \
    "$(date -u +%FT%TZ)" "$kind" "$variant" "$release" "$n" "$post_ms"
  printf '  "host": "%s, %s CPUs, QEMU %s, %s",\n' "$(uname -r)" "$(nproc)" \
    "$($qemu --version | head -n 1 | awk '{ print $4 }')" "${WARMBOOT_VM_ACCEL:-tcg}"
  echo '  "runs": ['
  awk '{ printf "%s    {\"method\": \"%s\", \"downtime_s\": %s, \"boot_s\": %s, \"overhead_s\": %s, \"shutdown_s\": %s, \"handover_s\": %s, \"stage_s\": %s}", (NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, $6, $7 } END { print "" }' "$rows" | sed 's/: -/: null/g'
  echo '  ],'
  echo '  "median": {'
  first=1
  for m in $methods; do
    ((first)) || echo ','
    first=0
    printf '    "%s": {"downtime_s": %s, "boot_s": %s, "overhead_s": %s, "shutdown_s": %s, "handover_s": %s, "stage_s": %s, "downtime_vs_cold": %s}' \
      "$m" "${med[$m,2]}" "${med[$m,3]}" "${med[$m,4]}" "${med[$m,5]}" "${med[$m,6]}" "${med[$m,7]}" "$(ratio "$m")"
  done
  printf '\n  }\n}\n'
} >"$json"

md=$results/$name.md
{
  echo "# Reboot benchmark $name"
  echo
  echo "$guest under QEMU (${WARMBOOT_VM_ACCEL:-tcg}), kernel $release, $n round(s) interleaved," \
    "simulated POST: ${post_ms} ms. Medians in seconds; host clock on the guest's serial console."
  echo
  echo "| method | downtime | vs cold | new kernel boot→ready | overhead | shutdown | firmware or purgatory → kernel start | staging |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for m in $methods; do
    echo "| $m | ${med[$m,2]} | $(ratio "$m") | ${med[$m,3]} | ${med[$m,4]} | ${med[$m,5]} | ${med[$m,6]} | ${med[$m,7]} |"
  done
  echo
  echo "downtime: command → guest ready (after multi-user.target). overhead = downtime − the new kernel's own"
  echo "boot→ready (its uptime at the ready marker) = shutdown (command → the old kernel's last line) + the"
  echo "handover (that line → the new kernel's clock starts: reset, firmware (POST) and boot loader or QEMU's loader for cold;"
  echo "purgatory and decompression for kexec). staging: command → kernel staged (part of shutdown)."
  echo
  echo "Every run:"
  echo
  echo "| # | method | downtime | boot | overhead | shutdown | handover | staging |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  awk '{ printf "| %d | %s | %s | %s | %s | %s | %s | %s |\n", NR, $1, $2, $3, $4, $5, $6, $7 }' "$rows"
} >"$md"
cat "$md"
echo "bench: wrote $json and $md" >&2
