# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # the case's variables are read by the other library files and the kind
# Finding a case, its kind, and loading both: the one case dialect of tests/vm/README.md.
#
#   vm_case_resolve ARG [KIND]   VM_CASE_FILE, VM_CASE_NAME and VM_KIND. ARG is a path to a case file,
#                                KIND/NAME, or NAME (tests/vm/cases/KIND/NAME.case; without KIND the
#                                one kind that has such a case). KIND defaults to the directory name
#                                of the case file.
#   vm_case_load                 the kind plug-in (tests/vm/kinds/KIND.sh), the defaults (generic,
#                                then kind_defaults), then the case file; VM_RUN_ENDS and
#                                VM_RUN_BOOTS (one word per QEMU run)

VM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
VM_CASES=$VM_REPO/tests/vm/cases

vm_die() {
  echo "run: $*" >&2
  exit 2
}

vm_case_resolve() {
  local arg=$1 kind=${2:-} found=()
  if [[ -f $arg ]]; then
    VM_CASE_FILE=$(realpath "$arg")
  elif [[ $arg == */* ]]; then
    VM_CASE_FILE=$VM_CASES/$arg.case
  elif [[ -n $kind ]]; then
    VM_CASE_FILE=$VM_CASES/$kind/$arg.case
  else
    found=("$VM_CASES"/*/"$arg".case)
    [[ -f ${found[0]} ]] || vm_die "no case $arg in $VM_CASES/*/"
    ((${#found[@]} == 1)) || vm_die "case $arg exists for several kinds: give --kind or KIND/$arg"
    VM_CASE_FILE=${found[0]}
  fi
  [[ -f $VM_CASE_FILE ]] || vm_die "no case file $VM_CASE_FILE"
  VM_CASE_NAME=$(basename "$VM_CASE_FILE")
  VM_CASE_NAME=${VM_CASE_NAME%.in}
  VM_CASE_NAME=${VM_CASE_NAME%.case}
  VM_KIND=${kind:-$(basename "$(dirname "$VM_CASE_FILE")")}
  [[ -f $VM_REPO/tests/vm/kinds/$VM_KIND.sh ]] ||
    vm_die "no guest kind '$VM_KIND' (tests/vm/kinds/$VM_KIND.sh); give --kind for a case outside tests/vm/cases/KIND/"
}

vm_case_load() {
  # shellcheck source=/dev/null
  . "$VM_REPO/tests/vm/kinds/$VM_KIND.sh"
  DESCRIPTION=""      # one line for the log
  TIMEOUT=$KIND_TIMEOUT # seconds per QEMU run, then QEMU is killed (a plain number: CMake reads it)
  MEMORY=1024         # MiB
  APPEND=""           # extra kernel parameters of a direct kernel boot
  QEMU_ARGS=""        # extra QEMU arguments, split on spaces
  NO_REBOOT=1         # QEMU -no-reboot: a reset (cold reboot, panic) ends the run
  RUN_ENDS="poweroff" # one word per QEMU run, how it must end: poweroff | cold-reboot | reset;
                      # or until-poweroff: runs while they end in a reset, the last powers off
  RUN_BOOT=""         # one word per QEMU run, how it boots: a word of KIND_BOOTS (default: its first);
                      # runs beyond the words given boot as the last one
  EXPECT_BOOTS=1      # boot markers over all runs
  EXPECT_OK=""        # names the guest must report with ok
  TIER=full           # ci | full: the ctest label vm-ci or vm-full
  kind_defaults
  # shellcheck source=/dev/null
  . "$VM_CASE_FILE"
  [[ $TIMEOUT =~ ^[0-9]+$ ]] || vm_die "TIMEOUT must be a number of seconds, not '$TIMEOUT'"
  VM_RUNS_UNTIL_POWEROFF=0
  if [[ $RUN_ENDS == until-poweroff ]]; then
    # As many runs as the guest needs: every reset ends one and the next starts (tests/vm/run.sh).
    VM_RUNS_UNTIL_POWEROFF=1
    RUN_ENDS=poweroff
  fi
  read -r -a VM_RUN_ENDS <<<"$RUN_ENDS"
  read -r -a VM_RUN_BOOTS <<<"$RUN_BOOT"
  local i boot=${KIND_BOOTS%% *}
  for ((i = 0; i < ${#VM_RUN_ENDS[@]}; i++)); do
    [[ ${VM_RUN_ENDS[$i]} =~ ^(poweroff|cold-reboot|reset)$ ]] || vm_die "RUN_ENDS: '${VM_RUN_ENDS[$i]}' is not poweroff, cold-reboot or reset"
    boot=${VM_RUN_BOOTS[$i]:-$boot}
    VM_RUN_BOOTS[i]=$boot
  done
}
