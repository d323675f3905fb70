#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run one guest case under QEMU and check what the guest reported. See tests/vm/README.md.
#
#   tests/vm/run.sh [--kind KIND] [--log-dir DIR | --out DIR] [-v] CASE BINARY
#   tests/vm/run.sh --shell [--kind KIND] [--kernel K] BINARY     # interactive guest (no checks)
#
# CASE is a path to a case file, KIND/NAME or NAME (tests/vm/cases/KIND/NAME.case); KIND defaults to
# the directory the case file is in (--shell: busybox). BINARY is the warmboot to test. -v also
# streams the guest's console; --kernel sets BOOT_KERNEL (kinds that have it).
# Exit status: 0 pass, 1 fail (the reasons and the guest's last reports on stderr), 2 usage or setup
# error, 77 skipped (no QEMU for the kind). Logs: DIR/KIND.CASE/ with --log-dir (emptied first), DIR
# itself with --out (not emptied), else <dir of BINARY>/vm-logs/KIND.CASE/.
# Environment: WARMBOOT_CACHE (images, kernels; default ~/.cache/warmboot), WARMBOOT_VM_ACCEL=tcg|kvm
# (default tcg), WARMBOOT_VM_KEEP=1 keeps the guest's disk overlay.
set -euo pipefail

lib=$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)
# shellcheck source=tests/vm/lib/case.sh
. "$lib/case.sh"
# shellcheck source=tests/vm/lib/qemu.sh
. "$lib/qemu.sh"
# shellcheck source=tests/vm/lib/markers.sh
. "$lib/markers.sh"
# shellcheck source=tests/vm/lib/checks.sh
. "$lib/checks.sh"
# shellcheck source=tests/vm/lib/payload.sh
. "$lib/payload.sh"
# shellcheck source=tests/vm/lib/report.sh
. "$lib/report.sh"

usage() {
  sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

kind='' log_dir='' out='' shell=0 shell_kernel=''
VM_VERBOSE=0
while (($#)); do
  case $1 in
    --kind) kind=$2; shift 2 ;;
    --log-dir) log_dir=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --verbose | -v) VM_VERBOSE=1; shift ;;
    --shell) shell=1; shift ;;
    --kernel) shell_kernel=$2; shift 2 ;;
    -h | --help) usage ;;
    -*) vm_die "unknown option $1" ;;
    *) break ;;
  esac
done
if ((shell)); then
  (($# == 1)) || usage
  vm_case_resolve "$VM_CASES/shell.case.in" "${kind:-busybox}"
else
  (($# == 2)) || usage
  vm_case_resolve "$1" "$kind"
  shift
fi
binary=$(realpath "$1")
[[ -x $binary ]] || vm_die "BINARY $binary is not executable (cmake --build build --target warmboot)"

vm_case_load
# shellcheck disable=SC2034 # read by the kind plug-in
[[ -n $shell_kernel ]] && BOOT_KERNEL=$shell_kernel
if ! command -v "$KIND_QEMU" >/dev/null; then
  echo "run: SKIP: $KIND_QEMU is not installed (scripts/install-deps.sh)" >&2
  exit 77
fi

if ((shell)); then
  VM_OUT=$(mktemp -d "/tmp/warmboot-vm-shell.$VM_KIND.XXXXXX")
elif [[ -n $out ]]; then
  VM_OUT=$out # not emptied: the files written here replace their earlier versions
else
  VM_OUT=${log_dir:-$(dirname "$binary")/vm-logs}/$VM_KIND.$VM_CASE_NAME
  rm -rf "$VM_OUT"
fi
mkdir -p "$VM_OUT"
for f in serial.log qemu-cmd.txt qemu.stderr qemu.rc; do : >"$VM_OUT/$f"; done
vm_qemu_traps
kind_prepare "$binary"

if ((shell)); then
  echo "run: interactive $VM_KIND guest in $VM_OUT; 'poweroff' ends it, Ctrl-a x kills QEMU" >&2
  vm_qemu_shell "${VM_RUN_BOOTS[0]}"
fi

echo "run: $VM_KIND/$VM_CASE_NAME: ${DESCRIPTION:-no description} (${#VM_RUN_ENDS[@]} QEMU run(s)," \
  "timeout ${TIMEOUT}s each, accel ${WARMBOOT_VM_ACCEL:-tcg})" >&2
declare -A VM_RUN_RC=()
for ((run = 1; run <= ${#VM_RUN_ENDS[@]}; run++)); do
  vm_qemu_run "$run" "${VM_RUN_BOOTS[$((run - 1))]}" "$TIMEOUT"
  VM_RUN_RC[$run]=$VM_RC
  echo "run: run $run: QEMU status $VM_RC after $(vm_calc 'b - a' a="$VM_START" b="$VM_END")s" >&2
  ((VM_RC == 0)) || break
  # RUN_ENDS=until-poweroff: a run that ended in a reset (a cold reboot, or a panic's reboot, which
  # prints no "Restarting system") is followed by another, as a machine powers on again; at most
  # one run per expected boot.
  if ((VM_RUNS_UNTIL_POWEROFF && run == ${#VM_RUN_ENDS[@]} && run < EXPECT_BOOTS)) &&
    ! vm_log_has 'reboot: Power down' "$run"; then
    VM_RUN_ENDS[run - 1]=cold-reboot
    VM_RUN_ENDS+=(poweroff)
    VM_RUN_BOOTS[run]=${VM_RUN_BOOTS[run]:-${VM_RUN_BOOTS[run - 1]}}
  fi
done
vm_markers_build
kind_cleanup

vm_check_runs
vm_check_case
vm_report || exit 1
exit 0
