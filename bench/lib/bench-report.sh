# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2154 # the variables of bench/reboot-bench.sh (listed below)
# The results of bench/reboot-bench.sh, from the markers of its run (tests/vm/lib/markers.sh):
#   bench_rows ORDER...   one line per reboot: method downtime boot overhead shutdown handover stage pinned
#                         kernel
#   bench_write NAME      RESULTS/NAME.json and .md: every run, medians, ratios to cold
# Reads (tests/vm/lib/markers.sh sourced): VM_OUT, rows (file), methods, n, kind, variant, post_ms,
# release, guest, qemu, results, initramfs, smp.

# Staging for the reboots warmboot stages in its shutdown unit (enable, enable-ahead): the guest's
# "bench-staged n=N s=S" from the next boot's look at the journal; the console has no line for it.
bench_stage_of() { sed -n "s/.* bench-staged n=$1 s=\([^ ]*\).*/\1/p" "$VM_OUT/markers.log" | head -n 1; }
# What stayed pinned while the Nth reboot's kernel was staged ahead (MiB), from the boot before it.
bench_pinned_of() {
  local issued prev=0
  issued=$(vm_time reboot-issued "$1") || return 0
  (($1 > 1)) && prev=$(vm_time reboot-issued $(($1 - 1)))
  awk -v t="$issued" -v p="$prev" '$1 > p && $1 < t && $3 == "bench-pinned" { v = $4 }
    END { if (v != "") { sub("kib=", "", v); printf "%.1f\n", v / 1024 } }' "$VM_OUT/markers.log"
}

# The new kernel's own part of the Nth reboot's boot (systemd-analyze's "(kernel)": its start -> the
# real root's init, the initramfs included), from the guest's analyze marker after that reboot and
# before the next one. It tells a slower kernel (after a kexec, under TCG) from slower userspace.
bench_kernel_phase_of() {
  local issued next
  issued=$(vm_time reboot-issued "$1") || return 0
  next=$(vm_time reboot-issued $(($1 + 1))) || next=
  awk -v t="$issued" -v n="${next:-0}" '$1 > t && (n == 0 || $1 < n) && $3 == "analyze" &&
    match($0, /[0-9.]+s \(kernel\)/) { printf "%.2f\n", substr($0, RSTART, RLENGTH - 10); exit }' "$VM_OUT/markers.log"
}

# A warm method's Nth reboot that came back through the firmware (its QEMU ended on a reset before
# the next boot: the new kernel failed and the machine rebooted cold): not a sample of the method.
bench_fell_cold() {
  local issued
  [[ $2 != cold* ]] || return 1
  issued=$(vm_time reboot-issued "$1") || return 1
  awk -v t="$issued" '$1 > t && $3 == "boot" { exit } $1 > t && $3 == "qemu-exit" { found = 1; exit }
    END { exit !found }' "$VM_OUT/markers.log"
}

bench_rows() {
  local i t s p k order=("$@")
  : >"$rows"
  for i in "${!order[@]}"; do
    t=$(vm_reboot_times $((i + 1))) || t="${order[$i]} - - - - - -"
    bench_fell_cold $((i + 1)) "${order[$i]}" && t="${order[$i]}:fell-cold ${t#* }"
    s=$(bench_stage_of $((i + 1)))
    [[ -n $s ]] && t="${t% *} $s"
    p=$(bench_pinned_of $((i + 1)))
    k=$(bench_kernel_phase_of $((i + 1)))
    echo "$t ${p:--} ${k:--}" >>"$rows"
  done
}

# QEMU's exit on a cold reset -> its next start (seconds), one per relaunch.
bench_relaunch_gaps() {
  awk '$3 == "qemu-exit" { e[$2] = $1 } $3 == "qemu-start" && ($2 - 1) in e { printf "%.2f\n", $1 - e[$2 - 1] }' "$VM_OUT/markers.log"
}
col() { awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$rows"; }
ratio() { # column $2's median of method $1 / that of cold
  local a=${med[$1,$2]} b=${med[cold,$2]:-null}
  [[ $a != null && $b != null ]] && vm_calc 'a / b' a="$a" b="$b" || echo null
}

bench_write() {
  local name=$1 m c first fell
  declare -gA med
  for m in $methods; do
    for c in 2 3 4 5 6 7 8 9; do med[$m,$c]=$(col "$m" "$c" | vm_median); done
  done
  local json=$results/$name.json md=$results/$name.md done_rounds
  # Rounds every method completed (a run cut short has fewer than it asked for).
  done_rounds=$(for m in $methods; do awk -v m="$m" '$1 == m && $2 != "-"' "$rows" | wc -l; done | sort -n | head -n 1)
  {
    printf '{\n  "date": "%s",\n  "kind": "%s",\n  "variant": "%s",\n  "kernel": "%s",\n  "initramfs": "%s",\n  "rounds": %d,\n  "rounds_completed": %d,\n  "post_ms": %d,\n  "vcpus": %d,\n' \
      "$(date -u +%FT%TZ)" "$kind" "$variant" "$release" "$initramfs" "$n" "$done_rounds" "$post_ms" "$smp"
    printf '  "host": "%s, %s CPUs, QEMU %s, %s",\n' "$(uname -r)" "$(nproc)" \
      "$($qemu --version | head -n 1 | awk '{ print $4 }')" "${WARMBOOT_VM_ACCEL:-tcg}"
    echo '  "runs": ['
    awk '{ printf "%s    {\"method\": \"%s\", \"downtime_s\": %s, \"boot_s\": %s, \"overhead_s\": %s, \"shutdown_s\": %s, \"handover_s\": %s, \"stage_s\": %s, \"pinned_mib\": %s, \"kernel_s\": %s}", (NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, $6, $7, $8, $9 } END { print "" }' "$rows" | sed 's/: -/: null/g'
    echo '  ],'
    echo '  "median": {'
    first=1
    for m in $methods; do
      ((first)) || echo ','
      first=0
      printf '    "%s": {"downtime_s": %s, "boot_s": %s, "overhead_s": %s, "shutdown_s": %s, "handover_s": %s, "stage_s": %s, "pinned_mib": %s, "kernel_s": %s, "downtime_vs_cold": %s, "overhead_vs_cold": %s}' \
        "$m" "${med[$m,2]}" "${med[$m,3]}" "${med[$m,4]}" "${med[$m,5]}" "${med[$m,6]}" "${med[$m,7]}" "${med[$m,8]}" "${med[$m,9]}" \
        "$(ratio "$m" 2)" "$(ratio "$m" 4)"
    done
    printf '\n  }\n}\n'
  } >"$json"
  {
    echo "# Reboot benchmark $name"
    echo
    echo "$guest under QEMU (${WARMBOOT_VM_ACCEL:-tcg}), kernel $release, initramfs: $initramfs, $n round(s)" \
      "interleaved ($done_rounds completed by every method), simulated POST: ${post_ms} ms. Medians in seconds; host clock on the guest's serial console."
    echo
    echo "| method | downtime | vs cold | new kernel boot→ready | overhead | vs cold | shutdown | firmware or purgatory → kernel start | staging | pinned MiB | of boot→ready: kernel |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for m in $methods; do
      echo "| $m | ${med[$m,2]} | $(ratio "$m" 2) | ${med[$m,3]} | ${med[$m,4]} | $(ratio "$m" 4) | ${med[$m,5]} | ${med[$m,6]} | ${med[$m,7]} | ${med[$m,8]} | ${med[$m,9]} |"
    done
    echo
    echo "downtime: command → guest ready (after multi-user.target). overhead = downtime − the new kernel's own"
    echo "boot→ready (its uptime at the ready marker) = shutdown (command → the old kernel's last line) + the"
    echo "handover (that line → the new kernel's clock starts: reset, firmware (POST) and boot loader or QEMU's loader for cold;"
    echo "purgatory and decompression for kexec). staging: command → kernel staged (part of shutdown; for enable and"
    echo "enable-ahead: → warmboot's shutdown unit says it is staged, or found it staged ahead). pinned: MemAvailable"
    echo "lost while the kernel is staged ahead (enable-ahead), measured before the clock starts. kernel: the part"
    echo "of boot→ready before the real root's init (systemd-analyze's \"(kernel)\", the initramfs included)."
    echo "A cold reboot's reset ends QEMU, which starts again at once (a power cycle): that gap, part of"
    echo "the handover, had a median of $(bench_relaunch_gaps | vm_median) s over $(bench_relaunch_gaps | wc -l) cold reboots; $smp vCPU(s)."
    fell=$(awk '$1 ~ /:fell-cold$/' "$rows" | wc -l)
    if ((fell)); then
      echo "Warm reboots that went cold: $fell (the new kernel failed and the machine reset, or warmboot's guard"
      echo "refused, having pinned cold after such a failure; the bench unpins before the next method): shown as"
      echo "<method>:fell-cold below and left out of the medians."
    fi
    echo
    echo "Every run:"
    echo
    echo "| # | method | downtime | boot | overhead | shutdown | handover | staging | pinned MiB | kernel |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk '{ printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", NR, $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$rows"
  } >"$md"
  cat "$md"
  echo "bench: wrote $json and $md" >&2
}
