# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2153 # FLEET_OUT is set by tests/fleet/run.sh
# What the fleet proof asserts, from the play's reports ($FLEET_OUT/rollR/guestI.json, written by
# the role with warm_reboot_report_dir) against each guest's serial console (the harness's
# markers.log and serial.log, stamped with the host's clock). Failures go through vm_fail
# (tests/vm/lib/checks.sh) into VM_FAILURES.
#
#   fleet_check_warm I R RELEASE N   roll R rebooted guest I warm into its boot N: a new boot_id
#                                    (the one the play reports), loader 208 (0xd0: started by
#                                    kexec_file_load), QEMU not reset, RELEASE running with
#                                    fleet.roll=R on its command line, and the play's downtime
#                                    within 2 s of the console's
#   fleet_check_windows R            the reboot windows of roll R do not overlap
#   fleet_check_untouched I R N      roll R left guest I alone: still boot N, same boot_id
#   fleet_check_refused I R LOG      roll R refused guest I because of its check, and said why
#   fleet_check_end I                guest I's one QEMU run: every boot after the first warm, no
#                                    reset, no panic, every boot_id new, powered off at the end

# fleet_json FILE KEY: a top-level value of a JSON file (lists joined with " | ", null empty).
fleet_json() {
  python3 -c '
import json, sys
v = json.load(open(sys.argv[1])).get(sys.argv[2])
if isinstance(v, bool):
    v = str(v).lower()
elif isinstance(v, list):
    v = " | ".join(map(str, v))
print("" if v is None else v)' "$1" "$2"
}

# How far the guest's clock is behind the host's: the host's stamp of a marker minus the guest time
# in it (clock=), from boot N's marker, or with `before T` from the last boot, fleet-ready or tick
# marker (every 10 s) before host time T. The guest sets its clock from the emulated RTC, in whole
# seconds, at each boot, so two boots' clocks differ; within a boot it may drift a little.
fleet_clock_lag() {
  local t
  if [[ $1 == before ]]; then
    t=$2
  else
    t=$(awk -v n="$1" '$3 == "boot" && ++c == n { printf "%.6f\n", $1 + 0.001; exit }' "$VM_OUT/markers.log")
  fi
  awk -v t="$t" '$1 < t && ($3 == "boot" || $3 == "fleet-ready" || $3 == "tick") {
      for (f = 4; f <= NF; f++) if ($f ~ /^clock=/) { h = $1; g = substr($f, 7) } }
    END { if (g == "") exit 1; printf "%.3f\n", h - g }' "$VM_OUT/markers.log"
}

fleet_check_warm() {
  local i=$1 roll=$2 release=$3 n=$4 g=guest$1 report id_new id_old loader rolls
  report=$FLEET_OUT/roll$roll/$g.json
  fleet_on "$i"
  [[ -f $report ]] || { vm_fail "roll $roll: the play wrote no report for $g"; return 0; }
  [[ $(fleet_json "$report" kind) == warm ]] ||
    vm_fail "roll $roll: the play says $g came back '$(fleet_json "$report" kind)', not warm"
  (($(vm_count boot) >= n)) || { vm_fail "roll $roll: $g's console shows no boot $n"; return 0; }
  id_new=$(vm_field boot "$n" boot_id)
  id_old=$(vm_field boot $((n - 1)) boot_id)
  [[ $id_new != "$id_old" ]] || vm_fail "roll $roll: $g's boot $n has the boot_id of boot $((n - 1))"
  [[ $id_new == "$(fleet_json "$report" boot_id)" ]] ||
    vm_fail "roll $roll: $g's console says boot_id $id_new, the play $(fleet_json "$report" boot_id)"
  [[ $id_old == "$(fleet_json "$report" boot_id_before)" ]] ||
    vm_fail "roll $roll: $g left boot $id_old, the play says $(fleet_json "$report" boot_id_before)"
  loader=$(vm_field boot "$n" loader)
  [[ $loader == 208 ]] || vm_fail "roll $roll: $g's boot $n has loader=$loader, not 208 (kexec_file_load)"
  vm_log_has 'reboot: Restarting system' && vm_fail "roll $roll: $g was reset (a cold reboot ends QEMU under -no-reboot)"
  fleet_alive "$i" || vm_fail "roll $roll: $g's QEMU is gone"
  [[ $(vm_field boot "$n" uname) == "$release" ]] ||
    vm_fail "roll $roll: $g runs $(vm_field boot "$n" uname), not $release"
  rolls=$(vm_field boot "$n" cmdline | tr ' ' '\n' | grep -c '^fleet\.roll=' || true)
  if ! vm_cmdline_has "$n" "fleet.roll=$roll" || ((rolls != 1)); then
    vm_fail "roll $roll: $g's command line is not the plan's (want fleet.roll=$roll once): $(vm_field boot "$n" cmdline)"
  fi
  fleet_check_downtime "$i" "$roll" "$n" "$report"
}

# Leaving, on the host's clock: the first console line after boot N-1's marker that says the guest
# began going down (warmboot's "warm reboot into", logind's "System is rebooting", forwarded from
# the journal by guest.case; else systemd's first "Stopping"). Ready: the console's "Reached target
# multi-user.target", which is what warmboot counts to. The guest's clock just before it left and
# its clock in the new boot differ by `skew`; a downtime taken on them reads host - skew.
fleet_check_downtime() {
  local i=$1 roll=$2 n=$3 report=$4 g=guest$1 t_prev t_leave t_ready='' lag_old='' lag_new skew host downtime diff
  t_prev=$(vm_time boot $((n - 1)))
  t_leave=$(awk -v t="$t_prev" '$1 > t && $3 == "journal" &&
    /warm reboot into|System is rebooting|NOT POSSIBLE/ { print $1; exit }' "$VM_OUT/markers.log")
  if [[ -z $t_leave ]]; then
    echo "fleet: roll $roll $g: no journal line of the shutdown on the console; its first 'Stopping' instead" >&2
    t_leave=$(vm_line_time 1 'Stopping ' "$t_prev")
  fi
  if [[ -n $t_leave ]]; then
    t_ready=$(vm_line_time 1 'Reached target .*Multi-User System' "$t_leave")
    lag_old=$(fleet_clock_lag before "$t_leave") || lag_old=''
  fi
  lag_new=$(fleet_clock_lag "$n") || lag_new=''
  downtime=$(fleet_json "$report" downtime_s)
  if [[ -z $t_leave || -z $t_ready || -z $lag_old || -z $lag_new || ! $downtime =~ ^[0-9.]+$ ]]; then
    vm_fail "roll $roll: $g: missing numbers (leave=${t_leave:-?} ready=${t_ready:-?} clock lags=${lag_old:-?}/${lag_new:-?} play downtime=${downtime:-null})"
    return 0
  fi
  skew=$(vm_calc 'a - b' a="$lag_new" b="$lag_old")
  host=$(vm_calc 'r - l' r="$t_ready" l="$t_leave")
  diff=$(vm_calc 'd - (h - k)' d="$downtime" h="$host" k="$skew")
  echo "fleet: roll $roll $g: the play says down ${downtime} s, the console ${host} s" \
    "(guest clock moved ${skew} s between the boots): difference ${diff} s" >&2
  awk -v d="$diff" 'BEGIN { exit !(d <= 2 && d >= -2) }' ||
    vm_fail "roll $roll: $g: the play's downtime ${downtime} s is not within 2 s of the console's ${host} s (clock skew ${skew} s)"
  echo "$t_leave $t_ready $g" >>"$FLEET_OUT/windows-roll$roll.txt"
}

fleet_check_windows() {
  local file=$FLEET_OUT/windows-roll$1.txt overlaps
  [[ -s $file ]] || { vm_fail "roll $1: no reboot windows measured"; return 0; }
  overlaps=$(sort -n "$file" | awk 'NR > 1 && $1 < end { printf "%s down at %s before %s was up at %s; ", $3, $1, who, end }
    { if (NR == 1 || $2 > end) { end = $2; who = $3 } }')
  [[ -z $overlaps ]] || vm_fail "roll $1: reboot windows overlap: $overlaps"
  echo "fleet: roll $1 reboot windows (host clock, leaving -> multi-user): $(sort -n "$file" | awk '{ printf "%s %.1f-%.1f  ", $3, $1, $2 }')" >&2
}

fleet_check_untouched() {
  local i=$1 roll=$2 n=$3 g=guest$1 now
  fleet_on "$i"
  (($(vm_count boot) == n)) || vm_fail "roll $roll: $g was rebooted ($(vm_count boot) boots, expected $n)"
  [[ ! -f $FLEET_OUT/roll$roll/$g.json || $(fleet_json "$FLEET_OUT/roll$roll/$g.json" rebooted) == false ]] ||
    vm_fail "roll $roll: the play reports a reboot of $g"
  now=$(fleet_ssh "$i" cat /proc/sys/kernel/random/boot_id) || vm_fail "roll $roll: $g does not answer over SSH"
  [[ $now == "$(vm_field boot "$n" boot_id)" ]] || vm_fail "roll $roll: $g runs boot ${now:-?}, not its boot $n"
}

fleet_check_refused() {
  local i=$1 roll=$2 log=$3 g=guest$1 report=$FLEET_OUT/roll$2/guest$1.json
  [[ -f $report ]] || { vm_fail "roll $roll: the play wrote no report for the refused $g"; return 0; }
  [[ $(fleet_json "$report" mode) == refused && $(fleet_json "$report" rebooted) == false ]] ||
    vm_fail "roll $roll: the play did not refuse $g (mode $(fleet_json "$report" mode))"
  [[ $(fleet_json "$report" check_failures) == *"kexec-sysctl: kernel.kexec_load_disabled = 1"* ]] ||
    vm_fail "roll $roll: $g's check failures do not name kexec_load_disabled: $(fleet_json "$report" check_failures)"
  grep -Eq "^fatal: \[$g\].*is not rebooted.*kexec_load_disabled = 1" "$log" ||
    vm_fail "roll $roll: the play's output does not say why $g was not rebooted"
  grep -q 'NO MORE HOSTS LEFT' "$log" || vm_fail "roll $roll: the play did not stop after $g"
}

fleet_check_end() {
  local i=$1 g=guest$1 n k l dups
  fleet_on "$i"
  [[ $(cat "$VM_OUT/fleet-qemu.rc" 2>/dev/null) == 0 ]] ||
    vm_fail "$g: QEMU ended with status $(cat "$VM_OUT/fleet-qemu.rc" 2>/dev/null || echo '?') ($(head -c 300 "$VM_OUT/qemu.stderr"))"
  (($(vm_count qemu-start) == 1)) || vm_fail "$g: QEMU was started $(vm_count qemu-start) times, not once"
  vm_log_has 'reboot: Power down' || vm_fail "$g: no 'reboot: Power down' at the end"
  vm_log_has 'reboot: Restarting system' && vm_fail "$g: a reset (cold reboot) on the console"
  vm_log_has 'Kernel panic' && vm_fail "$g: a kernel panicked"
  n=$(vm_count boot)
  for ((k = 2; k <= n; k++)); do
    l=$(vm_field boot "$k" loader)
    [[ $l == 208 ]] || vm_fail "$g: boot $k has loader=$l, not 208"
  done
  dups=$(awk '$3 == "boot" { for (f = 4; f <= NF; f++) if ($f ~ /^boot_id=/) print $f }' "$VM_OUT/markers.log" | sort | uniq -d)
  [[ -z $dups ]] || vm_fail "$g: a boot_id repeats: $dups"
  while read -r _ _ _ rest; do vm_fail "$g guest: $rest"; done < <(awk '$3 == "fail"' "$VM_OUT/markers.log")
  echo "fleet: $g: $n boots in one QEMU run, every later one from kexec_file_load" >&2
}
