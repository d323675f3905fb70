# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# The end of a case: $VM_OUT/result.txt (also on stderr) and, when it failed, an excerpt of what the
# guest said last.
#
#   vm_report    writes result.txt: every boot (run, its marker's fields, the time since the reboot
#                command that led to it), every QEMU run's status and length, PASS or the failures;
#                returns 1 when the case failed

vm_report() {
  local t run ev rest issue_t='' issue_run='' since r
  {
    echo "case $VM_KIND/$VM_CASE_NAME: $(vm_count boot) boot(s) in ${#VM_RUN_RC[@]} QEMU run(s)"
    while read -r t run ev rest; do
      if [[ $ev == reboot-issued ]]; then
        issue_t=$t issue_run=$run
        continue
      fi
      since=
      [[ -n $issue_t && $issue_run == "$run" ]] && since=", $(vm_calc 'b - a' a="$issue_t" b="$t")s after reboot-issued"
      echo "  run $run boot ${rest%% cmdline=*}$since"
      echo "    cmdline: $(sed -n 's/.* cmdline=//p' <<<"$rest")"
      issue_t=
    done < <(awk '$3 == "boot" || $3 == "reboot-issued"' "$VM_OUT/markers.log")
    for ((r = 1; r <= ${#VM_RUN_RC[@]}; r++)); do
      echo "  run $r: QEMU status ${VM_RUN_RC[$r]} after $(vm_calc 'b - a' a="$(vm_time qemu-start 1 "$r")" b="$(vm_time qemu-exit 1 "$r")")s"
    done
    if ((${#VM_FAILURES[@]})); then printf 'FAIL: %s\n' "${VM_FAILURES[@]}"; else echo PASS; fi
  } | tee "$VM_OUT/result.txt" >&2
  ((${#VM_FAILURES[@]} == 0)) && return 0
  {
    echo "--- the guest's last 30 reports and command outputs ---"
    grep -aE 'WARMBOOT-VM |^[^ ]+ [0-9]+ (\+ |  out: |  err: )' "$VM_OUT/serial.log" | tail -n 30 | cut -d' ' -f3- | cut -c1-300
    echo "--- last 20 console lines ($VM_OUT/serial.log) ---"
    tail -n 20 "$VM_OUT/serial.log" | cut -d' ' -f3-
  } >&2
  return 1
}
