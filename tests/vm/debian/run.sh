#!/usr/bin/env bash
# shellcheck disable=SC2317 # functions called from traps and from the case's host_check()
# Run one Debian-guest case under QEMU and check what the guest reported. See README.md here.
#
#   tests/vm/debian/run.sh [--log-dir DIR] [--verbose] CASE BINARY
#   tests/vm/debian/run.sh --shell [--kernel oldest|newest|RELEASE] BINARY   # interactive guest
#
# CASE is a name (tests/vm/debian/cases/CASE.case) or a path. BINARY is the warmboot to test.
# Exit status: 0 pass, 1 fail (reasons and the guest's last reports on stderr), 2 usage or setup
# error, 77 skipped (no qemu-system-x86_64). Logs: DIR/CASE/ (default <dir of BINARY>/vm-logs/debian-CASE/).
# Environment: WARMBOOT_CACHE (image cache, default ~/.cache/warmboot), WARMBOOT_VM_ACCEL=tcg|kvm,
# WARMBOOT_VM_KEEP=1 keeps the guest's disk overlay (disk.qcow2) in the log directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEBVM_NAME='run-debian'
# shellcheck source=tests/vm/debian/lib.sh
. "$here/lib.sh"

usage() {
  sed -n '2,/^set -euo/{/^set/d;/^# shellcheck/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

log_dir='' shell=0 shell_kernel=newest
DEBVM_VERBOSE=0
while (($#)); do
  case $1 in
    --log-dir) log_dir=$2; shift 2 ;;
    --verbose | -v) DEBVM_VERBOSE=1; shift ;;
    --shell) shell=1; shift ;;
    --kernel) shell_kernel=$2; shift 2 ;;
    -h | --help) usage ;;
    -*) debvm_die "unknown option $1" ;;
    *) break ;;
  esac
done
if ((shell)); then
  (($# == 1)) || usage
  case_file=$here/cases/shell.case.in
  case_name=shell
else
  (($# == 2)) || usage
  case_file=$1
  [[ -f $case_file ]] || case_file=$here/cases/$1.case
  [[ -f $case_file ]] || debvm_die "no case file $1 (nor $case_file)"
  case_file=$(realpath "$case_file")
  case_name=$(basename "$case_file" .case)
  shift
fi
binary=$(realpath "$1")
[[ -x $binary ]] || debvm_die "BINARY $binary is not executable (cmake --build build --target warmboot)"
if ! command -v qemu-system-x86_64 >/dev/null; then
  echo "run-debian: SKIP: qemu-system-x86_64 not installed (apt-get install qemu-system-x86)" >&2
  exit 77
fi

# Case defaults; the case file overrides them.
DESCRIPTION=""
TIMEOUT=300         # seconds per QEMU run before it is killed
MEMORY=1024         # MiB
VARIANT=plain       # image variant (scripts/vm-debian-image.sh --variant)
BOOT_KERNEL=oldest  # what QEMU boots: oldest | newest | a release
APPEND=""           # extra kernel parameters for QEMU's boot
NO_REBOOT=1         # QEMU -no-reboot: a cold reboot ends the run
RUN_ENDS="poweroff" # per QEMU run, how it must end: poweroff | cold-reboot
EXPECT_BOOTS=1      # boot markers over all runs
EXPECT_OK=""        # names the guest must report ok
QEMU_ARGS=""        # extra QEMU arguments, split on spaces
# shellcheck source=/dev/null
. "$case_file"
read -r -a run_ends <<<"$RUN_ENDS"

out=${log_dir:-$(dirname "$binary")/vm-logs}/debian-$case_name
((shell)) && out=$(mktemp -d /tmp/warmboot-debian-shell.XXXXXX)
rm -rf "$out"
mkdir -p "$out"
trap debvm_kill EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rc=0
debvm_init "$out" "$binary" "$case_file" "$VARIANT" || rc=$?
((rc == 77)) && exit 77
((shell)) && BOOT_KERNEL=$shell_kernel
release=$(debvm_release "$BOOT_KERNEL")
qemu_extra=()
((NO_REBOOT)) && qemu_extra+=(-no-reboot)
# shellcheck disable=SC2206 # QEMU_ARGS is a plain string split on spaces
qemu_extra+=($QEMU_ARGS)

if ((shell)); then
  echo "run-debian: interactive guest (root, no password); 'poweroff' ends it, Ctrl-a x kills QEMU" >&2
  exec qemu-system-x86_64 -nodefaults -nographic -accel tcg -m "$MEMORY" \
    -kernel "$DEBVM_IMAGE/vmlinuz-$release" -initrd "$DEBVM_IMAGE/initrd.img-$release" \
    -append "root=/dev/vda rw console=ttyS0" \
    -drive "file=$out/disk.qcow2,if=virtio,format=qcow2" \
    -drive "file=$out/payload.img,if=virtio,format=raw,readonly=on" -serial mon:stdio
fi

echo "run-debian: $case_name: ${DESCRIPTION:-no description} (${#run_ends[@]} QEMU run(s), timeout ${TIMEOUT}s each, image $(basename "$DEBVM_IMAGE"))" >&2
failures=()
vm_fail() {
  failures+=("$*")
  return 0
}
declare -A run_rc run_elapsed
for ((run = 1; run <= ${#run_ends[@]}; run++)); do
  debvm_qemu "$run" "$TIMEOUT" "$release" "$APPEND" "${qemu_extra[@]}"
  run_rc[$run]=$DEBVM_RC
  run_elapsed[$run]=$(debvm_calc 'b - a' a="$DEBVM_START" b="$DEBVM_END")
  echo "run-debian: run $run: QEMU status $DEBVM_RC after ${run_elapsed[$run]}s" >&2
  if ((DEBVM_RC != 0)); then
    ((DEBVM_RC == 124 || DEBVM_RC == 137)) && vm_fail "run $run: QEMU did not end within ${TIMEOUT}s (killed)"
    ((DEBVM_RC == 124 || DEBVM_RC == 137)) || vm_fail "run $run: QEMU exited with status $DEBVM_RC: $(head -c 300 "$out/qemu.stderr")"
    break
  fi
done
debvm_markers
[[ ${WARMBOOT_VM_KEEP:-0} == 1 ]] || rm -f "$out/disk.qcow2"

# ---- Generic checks ---------------------------------------------------------------------------------
# Helpers for host_check(): vm_fail MSG, vm_field EVENT N KEY [RUN], vm_count EVENT [RUN],
# vm_log_has REGEX [RUN], vm_ok_detail NAME; variables KERNELS (oldest first), OLDEST, NEWEST.
vm_field() { debvm_field "$@"; }
vm_count() { debvm_count "$@"; }
# (grep -q in a pipeline would end awk with SIGPIPE, a failure under pipefail)
vm_log_has() { grep -Eq -- "$1" < <(awk -v r="${2:-}" '(r == "" || $2 == r)' "$out/serial.log"); }
vm_cmdline_has() { [[ " $(debvm_field boot "$1" cmdline) " == *" $2 "* ]]; }
# shellcheck disable=SC2034 # for the case's host_check()
{
  KERNELS="${DEBVM_KERNELS[*]}"
  OLDEST=${DEBVM_KERNELS[0]}
  NEWEST=${DEBVM_KERNELS[-1]}
}

boots=$(debvm_count boot)
((boots == EXPECT_BOOTS)) || vm_fail "saw $boots boot marker(s), expected $EXPECT_BOOTS"
dups=$(awk '$3 == "boot" { for (i = 4; i <= NF; i++) if ($i ~ /^boot_id=/) print $i }' "$out/markers.log" | sort | uniq -d)
[[ -z $dups ]] || vm_fail "a boot_id repeats: $dups"
for ((run = 1; run <= ${#run_ends[@]}; run++)); do
  [[ -n ${run_rc[$run]:-} ]] || break
  n=$(debvm_count boot "$run")
  ((n >= 1)) || { vm_fail "run $run: the guest never reported a boot"; continue; }
  # Within one QEMU run every boot after the first came from kexec (QEMU -no-reboot would have
  # ended on a reset): kexec_file_load sets bootloader_type 0xd0, QEMU's loader 0xb0.
  if ((NO_REBOOT)); then
    for ((i = 2; i <= n; i++)); do
      l=$(debvm_field boot "$i" loader "$run")
      [[ $l == 208 ]] || vm_fail "run $run boot $i: loader=$l, expected 208 (started by kexec_file_load)"
    done
  fi
  vm_log_has 'Kernel panic' "$run" && vm_fail "run $run: a kernel panicked"
  last=$(awk -v r="$run" '$2 == r && $3 != "qemu-exit" && $3 != "qemu-start" { e = $3 } END { print e }' "$out/markers.log")
  case ${run_ends[$((run - 1))]} in
    poweroff)
      [[ $last == poweroff ]] || vm_fail "run $run: the guest did not end with its poweroff (last marker: ${last:-none})"
      vm_log_has 'reboot: Power down' "$run" || vm_fail "run $run: no 'reboot: Power down' from the kernel"
      ;;
    cold-reboot)
      vm_log_has 'reboot: Restarting system' "$run" ||
        vm_fail "run $run: expected a cold reboot (QEMU ends on the reset), but no 'reboot: Restarting system'"
      # Earlier boots of the run may have been warm; the last one must end on the reset.
      t_last=$(debvm_time boot -1 "$run")
      [[ -n $(debvm_line_time "$run" 'kexec_core: Starting new kernel' "$t_last") ]] &&
        vm_fail "run $run: a kexec ended the last boot of a run that must end cold"
      ;;
  esac
done
[[ $(debvm_count 'done') == 1 ]] || vm_fail "the guest did not finish its steps (no done marker)"
while read -r _ run _ rest; do
  vm_fail "run $run guest: $rest"
done < <(awk '$3 == "fail"' "$out/markers.log")
for name in $EXPECT_OK; do
  [[ -n $(awk -v n="name=$name" '$3 == "ok" && $4 == n' "$out/markers.log") ]] ||
    vm_fail "the guest never reported ok for $name"
done
if declare -F host_check >/dev/null; then
  if ((boots == EXPECT_BOOTS)); then host_check || true; else echo "run-debian: host_check skipped: wrong number of boots" >&2; fi
fi

# ---- Report -------------------------------------------------------------------------------------------
{
  echo "case $case_name: $boots boot(s) in ${#run_rc[@]} QEMU run(s)"
  prev_issue='' issue_run=''
  while read -r t run ev rest; do
    if [[ $ev == reboot-issued ]]; then
      prev_issue=$t issue_run=$run
      continue
    fi
    extra=
    [[ -n $prev_issue && $issue_run == "$run" ]] && extra=", $(debvm_calc 'b - a' a="$prev_issue" b="$t")s after reboot-issued"
    echo "  run $run boot ${rest%% cmdline=*}$extra"
    prev_issue=
  done < <(awk '$3 == "boot" || $3 == "reboot-issued"' "$out/markers.log")
  for ((run = 1; run <= ${#run_rc[@]}; run++)); do echo "  run $run: QEMU status ${run_rc[$run]} after ${run_elapsed[$run]}s"; done
  if ((${#failures[@]})); then printf 'FAIL: %s\n' "${failures[@]}"; else echo PASS; fi
} | tee "$out/result.txt" >&2
if ((${#failures[@]})); then
  {
    echo "--- the guest's last 30 reports and command outputs ---"
    grep -aE 'WARMBOOT-VM |^[^ ]+ [0-9]+ (\+ |  out: |  err: )' "$out/serial.log" | tail -n 30 | cut -d' ' -f3- | cut -c1-300
    echo "--- last 15 console lines ($out/serial.log) ---"
    tail -n 15 "$out/serial.log" | cut -d' ' -f3-
  } >&2
  exit 1
fi
exit 0
