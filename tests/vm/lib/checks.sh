# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# The checks every case gets, driven by its variables, and the one failure contract.
#
#   vm_fail MESSAGE...   record a failure and return 0: a case fails when anything called it.
#                        (`cond || vm_fail ...` and `cond && vm_fail ...` both read right.)
#   vm_check_runs        after the QEMU runs: each ended as RUN_ENDS says, its later boots came
#                        from kexec, and the guest's own reports (fail, ok, done) are complete
#   vm_check_case        the case's host_check, when the boot count is right (else it would
#                        inspect boots that do not exist)
# Reads VM_RUN_RC[run] (QEMU's status of every run that was started) and VM_RUN_ENDS (RUN_ENDS as
# an array). Why a later boot in one QEMU run proves a warm reboot: QEMU runs with -no-reboot, so
# any reset (a cold reboot, a triple fault, panic=-1) ends the process; kexec does not, and
# kexec_file_load marks the kernel it starts with bootloader_type 0xd0 (208; QEMU's loader: 176).
# Only x86 has a boot loader type: on a kind whose KIND_WARM_LOADER is "none" (arm64) the old
# kernel's "kexec_core: Starting new kernel" between the two boots is what the console shows.

VM_FAILURES=()
vm_fail() {
  VM_FAILURES+=("$*")
  return 0
}

# How a run that ended too early ended, from the kernel's last words.
vm_run_end_how() {
  if vm_log_has 'Kernel panic' "$1"; then
    echo "the guest kernel panicked"
  elif vm_log_has 'reboot: (Restarting system|machine restart)' "$1"; then
    echo "the guest reset cold (reboot: Restarting system), no kexec"
  elif vm_log_has 'reboot: Power down' "$1"; then
    echo "the guest powered off"
  else
    echo "QEMU ended without a word from the kernel"
  fi
}

vm_check_runs() {
  local run rc n i l last boots dups name t_last
  for ((run = 1; run <= ${#VM_RUN_ENDS[@]}; run++)); do
    rc=${VM_RUN_RC[$run]:-}
    [[ -n $rc ]] || break
    if ((rc == 124 || rc == 137)); then
      vm_fail "run $run: QEMU did not end within ${TIMEOUT}s (killed by timeout, status $rc)"
    elif ((rc != 0)); then
      vm_fail "run $run: QEMU exited with status $rc: $(head -c 300 "$VM_OUT/qemu.stderr")"
    fi
    n=$(vm_count boot "$run")
    ((n >= 1)) || { vm_fail "run $run: the guest never reported a boot"; continue; }
    if ((NO_REBOOT)); then
      for ((i = 2; i <= n; i++)); do
        if [[ ${KIND_WARM_LOADER:-208} == none ]]; then
          vm_line_between "$run" 'kexec_core: Starting new kernel' $((i - 1)) "$i" ||
            vm_fail "run $run boot $i: no 'kexec_core: Starting new kernel' after boot $((i - 1))"
        else
          l=$(vm_field boot "$i" loader "$run")
          [[ $l == 208 ]] || vm_fail "run $run boot $i: loader=$l, expected 208 (started by kexec_file_load)"
        fi
      done
    fi
    vm_log_has 'Kernel panic' "$run" && vm_fail "run $run: a kernel panicked"
    last=$(awk -v r="$run" '$2 == r && $3 != "qemu-exit" && $3 != "qemu-start" { e = $3 } END { print e }' "$VM_OUT/markers.log")
    case ${VM_RUN_ENDS[$((run - 1))]} in
      poweroff)
        [[ $last == poweroff ]] || vm_fail "run $run: the guest did not end with its poweroff (last marker: ${last:-none}; $(vm_run_end_how "$run"))"
        vm_log_has 'reboot: Power down' "$run" || vm_fail "run $run: no 'reboot: Power down' from the kernel"
        ;;
      cold-reboot)
        vm_log_has 'reboot: Restarting system' "$run" ||
          vm_fail "run $run: expected a cold reboot (QEMU ends on the reset), but no 'reboot: Restarting system'"
        # Earlier boots of the run may have been warm; the last one must end on the reset.
        t_last=$(vm_time boot -1 "$run")
        [[ -n $(vm_line_time "$run" 'kexec_core: Starting new kernel' "$t_last") ]] &&
          vm_fail "run $run: a kexec ended the last boot of a run that must end cold"
        ;;
      reset)
        # A reset the guest's kernel did not ask for (a hardware watchdog's): QEMU ended (status
        # 0, checked above) with no word of a reboot, poweroff or panic from any kernel after the
        # last boot marker.
        t_last=$(vm_time boot -1 "$run")
        [[ -n $(vm_line_time "$run" 'reboot: (Restarting system|Power down)|Kernel panic' "$t_last") ]] &&
          vm_fail "run $run: must end on a reset nobody asked for, but a kernel rebooted, powered off or panicked"
        ;;
    esac
  done
  boots=$(vm_count boot)
  if ((boots != EXPECT_BOOTS)); then
    run=$(awk '$3 == "qemu-exit" { r = $2 } END { print r }' "$VM_OUT/markers.log")
    vm_fail "saw $boots boot marker(s), expected $EXPECT_BOOTS; the last QEMU run ended: $(vm_run_end_how "$run")"
  fi
  dups=$(awk '$3 == "boot" { for (i = 4; i <= NF; i++) if ($i ~ /^boot_id=/) print $i }' "$VM_OUT/markers.log" | sort | uniq -d)
  [[ -z $dups ]] || vm_fail "a boot_id repeats across boots: $dups"
  for name in case-missing no-payload no-modules insmod-failed state-save-failed deb-install-failed; do
    (($(vm_count "$name") == 0)) || vm_fail "the guest harness failed: $(vm_marker "$name" 1 | cut -d' ' -f3-)"
  done
  while read -r _ run _ rest; do
    vm_fail "run $run guest: $rest"
  done < <(awk '$3 == "fail"' "$VM_OUT/markers.log")
  for name in $EXPECT_OK; do
    [[ -n $(awk -v n="name=$name" '$3 == "ok" && $4 == n' "$VM_OUT/markers.log") ]] ||
      vm_fail "the guest never reported ok for $name"
  done
  [[ $(vm_count 'done') == 1 ]] || vm_fail "the guest did not finish its steps (no done marker)"
}

vm_check_case() {
  declare -F host_check >/dev/null || return 0
  if (($(vm_count boot) == EXPECT_BOOTS)); then
    host_check || true
  else
    echo "run: host_check of $VM_CASE_NAME skipped: wrong number of boots" >&2
  fi
}
