#!/usr/bin/env bash
# shellcheck disable=SC2317 # functions called from traps and from the case's check()
# Run one guest case under QEMU and check its markers. See tests/vm/README.md.
#
#   tests/vm/run-case.sh [--log-dir DIR] [--verbose] CASE BINARY
#   tests/vm/run-case.sh --shell BINARY          # interactive guest on this terminal (no checks)
#
# CASE is a name (tests/vm/cases/CASE.case) or a path to a .case file. BINARY is the warmboot to put
# into the guest. Exit status: 0 pass, 1 fail (reason on stderr), 2 usage or setup error, 77 skipped
# (no qemu-system-x86_64). Logs go to DIR/CASE/ (default: <dir of BINARY>/vm-logs/CASE/).
# Environment: WARMBOOT_VM_ACCEL=tcg (default) | kvm | auto (probe KVM with a short boot, else TCG);
# WARMBOOT_CACHE (kernel and initramfs cache, default ~/.cache/warmboot).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() {
  sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}
setup_error() {
  echo "run-case: $*" >&2
  exit 2
}

log_dir='' verbose=0 shell=0
while (($#)); do
  case $1 in
    --log-dir) log_dir=$2; shift 2 ;;
    --verbose | -v) verbose=1; shift ;;
    --shell) shell=1; shift ;;
    -h | --help) usage ;;
    -*) setup_error "unknown option $1" ;;
    *) break ;;
  esac
done
if ((shell)); then
  (($# == 1)) || usage
  case_name=shell
else
  (($# == 2)) || usage
  case_arg=$1
  shift
fi
binary=$(realpath "$1")
[[ -x $binary ]] || setup_error "BINARY $binary is not executable (build it: cmake --build build --target warmboot)"

if ! command -v qemu-system-x86_64 >/dev/null; then
  echo "run-case: SKIP: qemu-system-x86_64 not installed (apt-get install qemu-system-x86)" >&2
  exit 77
fi

# ---- The case ------------------------------------------------------------------------------------
extra=()
if ((!shell)); then
  if [[ -f $case_arg ]]; then
    case_file=$(realpath "$case_arg")
  else
    case_file=$repo/tests/vm/cases/$case_arg.case
  fi
  [[ -f $case_file ]] || setup_error "no case file $case_file"
  case_name=$(basename "$case_file" .case)
  # A case outside tests/vm/cases/ still has to reach the guest's /cases/.
  [[ $(dirname "$case_file") == "$repo/tests/vm/cases" ]] || extra=(--extra "$case_file:/cases/$case_name.case")
fi

# Defaults; the case file overrides what it needs.
DESCRIPTION=""
TIMEOUT=90
MEMORY=1024
APPEND=""
QEMU_ARGS=""
KERNEL_PACKAGES="linux-image-amd64"
EXPECT_BOOTS=1
EXPECT_QEMU_EXIT=0
EXPECT_POWEROFF=1
if ((!shell)); then
  # shellcheck source=/dev/null
  . "$case_file"
fi

# ---- Kernel(s) and initramfs ---------------------------------------------------------------------
kernel_args=()
kernel=
VM_KERNEL_RELEASES="" # for check(): releases in the guest's /boot, in KERNEL_PACKAGES order
for p in $KERNEL_PACKAGES; do
  k=$("$repo/scripts/vm-kernel.sh" "$p") || setup_error "cannot get kernel package $p"
  [[ -n $kernel ]] || kernel=$k # QEMU boots the first one; all of them land in the guest's /boot
  kernel_args+=(--kernel "$k")
  VM_KERNEL_RELEASES="${VM_KERNEL_RELEASES:+$VM_KERNEL_RELEASES }${k##*/vmlinuz-}"
done
initrd=$("$repo/scripts/vm-initramfs.sh" "${kernel_args[@]}" "${extra[@]}" "$binary") ||
  setup_error "building the initramfs failed"

# ---- QEMU ----------------------------------------------------------------------------------------
accel=${WARMBOOT_VM_ACCEL:-tcg}
qemu_base=(qemu-system-x86_64 -nodefaults -nographic -monitor none -m "$MEMORY" -no-reboot
  -kernel "$kernel" -initrd "$initrd")

# KVM is opt-in: on some hosts /dev/kvm exists but guests hang. "auto" proves it with a short boot.
if [[ $accel == auto ]]; then
  accel=tcg
  if [[ -w /dev/kvm ]] &&
    timeout --kill-after=2 20 "${qemu_base[@]}" -accel kvm -cpu host -serial stdio \
      -append "console=ttyS0 panic=-1" </dev/null 2>/dev/null | grep -q 'WARMBOOT-VM poweroff'; then
    accel=kvm
  fi
fi
case $accel in
  tcg) accel_args=(-accel tcg) ;;
  kvm) accel_args=(-accel kvm -cpu host) ;;
  *) setup_error "WARMBOOT_VM_ACCEL must be tcg, kvm or auto, not $accel" ;;
esac

if ((shell)); then
  echo "run-case: interactive guest; 'poweroff -f' ends it (Ctrl-a x kills QEMU)" >&2
  exec "${qemu_base[@]}" "${accel_args[@]}" -serial mon:stdio \
    -append "console=ttyS0 panic=-1 warmboot.case=shell"
fi

out=${log_dir:-$(dirname "$binary")/vm-logs}/$case_name
rm -rf "$out"
mkdir -p "$out"
serial=$out/serial.log
pidfile=$out/qemu.pid
rcfile=$out/qemu.rc
append="console=ttyS0 panic=-1 warmboot.case=$case_name${APPEND:+ $APPEND}"
# shellcheck disable=SC2206 # QEMU_ARGS is a plain string split on spaces, see README
qemu=("${qemu_base[@]}" "${accel_args[@]}" -serial stdio -pidfile "$pidfile" -append "$append" $QEMU_ARGS)
printf '%q ' "${qemu[@]}" >"$out/qemu-cmd.txt"
echo >>"$out/qemu-cmd.txt"

# shellcheck source=tests/vm/qemu-process.sh
. "$here/qemu-process.sh"
kill_qemu() { qemu_kill "$pidfile"; }
trap kill_qemu EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Prefix every serial line with the host's clock (seconds since the epoch, microseconds).
stamp() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    printf '%s %s\n' "$EPOCHREALTIME" "$line"
    ((verbose)) && printf '%s\n' "$line" >&2
  done
  return 0
}

echo "run-case: $case_name: ${DESCRIPTION:-no description} (accel $accel, timeout ${TIMEOUT}s)" >&2
start=$EPOCHREALTIME
{
  rc=0
  timeout --kill-after=5 "$TIMEOUT" "${qemu[@]}" </dev/null 2>"$out/qemu.stderr" || rc=$?
  echo "$rc $EPOCHREALTIME" >"$rcfile"
} | stamp >"$serial" &
wait $!
read -r QEMU_RC QEMU_EXIT_TIME <"$rcfile"

# ---- Checks --------------------------------------------------------------------------------------
# markers.log: "<host time> <event> key=value ..." for every WARMBOOT-VM line.
markers=$out/markers.log
awk '{ i = index($0, "WARMBOOT-VM "); if (i) print $1, substr($0, i + 12) }' "$serial" >"$markers"

# Helpers for the case's check() ----------------------------------------------------------------
# vm_count EVENT             number of EVENT markers
# vm_marker EVENT N          the Nth EVENT marker line (1-based; N=-1 is the last)
# vm_field EVENT N KEY       value of KEY in it (cmdline= runs to the end of the line)
# vm_time EVENT N            seconds since QEMU started at which it reached the host
# vm_cmdline_has N WORD      the cmdline of boot N has WORD as a whole word
# vm_log_has REGEX           the serial log has a matching line (grep -E)
# vm_fail MESSAGE            record a failure (the test fails if check() called it at least once)
# Variables: QEMU_RC (exit status), QEMU_ELAPSED (seconds QEMU ran), VM_KERNEL_RELEASES, and the
# case's own variables.
vm_count() { awk -v e="$1" '$2 == e' "$markers" | wc -l; }
vm_marker() {
  local n=$2
  ((n >= 0)) || n=$(vm_count "$1")
  awk -v e="$1" -v n="$n" '$2 == e && ++c == n' "$markers"
}
vm_field() {
  local line
  line=" $(vm_marker "$1" "$2")"
  [[ $line == *" $3="* ]] || return 1
  line=${line#* "$3"=}
  [[ $3 == cmdline ]] || line=${line%% *}
  printf '%s\n' "$line"
}
vm_time() {
  local line
  line=$(vm_marker "$1" "$2")
  [[ -n $line ]] || return 1
  awk -v t="${line%% *}" -v s="$start" 'BEGIN { printf "%.2f\n", t - s }'
}
vm_cmdline_has() { [[ " $(vm_field boot "$1" cmdline) " == *" $2 "* ]]; }
vm_log_has() { grep -Eq -- "$1" "$serial"; }
failures=()
vm_fail() {
  failures+=("$*")
  return 1
}

QEMU_ELAPSED=$(awk -v a="$start" -v b="$QEMU_EXIT_TIME" 'BEGIN { printf "%.2f", b - a }')
boots=$(vm_count boot)

# Generic checks, driven by the EXPECT_* variables.
if ((QEMU_RC == 124 || QEMU_RC == 137)); then
  vm_fail "QEMU did not exit within ${TIMEOUT}s (killed by timeout, status $QEMU_RC)" || true
elif ((QEMU_RC != EXPECT_QEMU_EXIT)); then
  vm_fail "QEMU exited with status $QEMU_RC, expected $EXPECT_QEMU_EXIT ($(head -c 300 "$out/qemu.stderr"))" || true
fi
if ((boots != EXPECT_BOOTS)); then
  if ((boots < EXPECT_BOOTS && QEMU_RC == 0)); then
    # With -no-reboot QEMU ends on a reset instead of rebooting; say which way the guest went.
    how="the guest powered off, reset cold or panicked"
    if vm_log_has 'Kernel panic'; then
      how="the guest kernel panicked"
    elif vm_log_has 'reboot: (Restarting system|machine restart)'; then
      how="the guest reset cold (reboot: Restarting system), no kexec"
    elif vm_log_has 'reboot: Power down'; then
      how="the guest powered off"
    fi
    vm_fail "saw $boots boot marker(s), expected $EXPECT_BOOTS; QEMU ended after ${QEMU_ELAPSED}s: $how" || true
  else
    vm_fail "saw $boots boot marker(s), expected $EXPECT_BOOTS" || true
  fi
fi
dups=$(awk '$2 == "boot" { for (i = 3; i <= NF; i++) if ($i ~ /^boot_id=/) print $i }' "$markers" | sort | uniq -d)
[[ -z $dups ]] || vm_fail "a boot_id repeats across boots: $dups" || true
while read -r _ _ name stage rc; do
  [[ $rc == rc=0 ]] || vm_fail "guest script of the ${stage#stage=} boot failed: $name $rc" || true
done < <(awk '$2 == "case-end"' "$markers")
if [[ $(vm_count case-missing) != 0 ]]; then
  vm_fail "the guest has no /cases/$case_name.case" || true
fi
if ((EXPECT_POWEROFF)); then
  last=$(tail -n 1 "$markers" | cut -d' ' -f2)
  [[ $last == poweroff ]] || vm_fail "the guest did not power itself off at the end (last marker: ${last:-none})" || true
fi
# The case's own checks.
# Its return status is ignored: only vm_fail counts. It runs only when the boots it inspects exist.
if declare -F check >/dev/null; then
  if ((boots == EXPECT_BOOTS)); then
    check || true
  else
    echo "run-case: check() of $case_name skipped: wrong number of boots" >&2
  fi
fi

# ---- Report --------------------------------------------------------------------------------------
{
  echo "case $case_name: QEMU status $QEMU_RC after ${QEMU_ELAPSED}s, $boots boot(s)"
  for ((i = 1; i <= boots; i++)); do
    echo "  boot $i at +$(vm_time boot "$i")s: uptime=$(vm_field boot "$i" uptime) loader=$(vm_field boot "$i" loader)" \
      "stage=$(vm_field boot "$i" stage) boot_id=$(vm_field boot "$i" boot_id)"
    echo "    cmdline: $(vm_field boot "$i" cmdline)"
    if ((i > 1)) && t0=$(vm_time case-start $((i - 1))); then
      echo "    $(awk -v a="$t0" -v b="$(vm_time boot "$i")" 'BEGIN { printf "%.2f", b - a }')s from the" \
        "previous boot's case-start to this boot's marker (warmboot + kexec + kernel boot)"
    fi
  done
  if ((${#failures[@]})); then
    printf 'FAIL: %s\n' "${failures[@]}"
  else
    echo "PASS"
  fi
} | tee "$out/result.txt" >&2
if ((${#failures[@]})); then
  {
    echo "--- last 40 lines of $serial ---"
    tail -n 40 "$serial" | cut -d' ' -f2-
    echo "--- logs: $out ---"
  } >&2
  exit 1
fi
exit 0
