# shellcheck shell=bash
# shellcheck disable=SC2034 # variables are read by the scripts that source this file
# Host-side helpers for the Debian guest, sourced by tests/vm/debian/run.sh, scripts/demo.sh and
# bench/reboot-bench.sh. Needs bash 5 (EPOCHREALTIME).
#
#   debvm_init OUT_DIR BINARY CASE_FILE [VARIANT]   image, payload disk and overlay in OUT_DIR
#                                                    (calls the case's host_payload, if defined)
#   debvm_qemu RUN TIMEOUT [QEMU ARGS...]            one QEMU run; serial lines appended, stamped
#   debvm_markers                                    rebuild OUT_DIR/markers.log from serial.log
# After debvm_init: DEBVM_IMAGE (image dir), DEBVM_KERNELS (releases, oldest first), DEBVM_OUT.
# serial.log lines are "<host epoch time> <run> <console line>"; markers.log lines are
# "<host epoch time> <run> <event> key=value ..." for every "WARMBOOT-VM <event> ..." line.

debvm_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

debvm_die() {
  echo "${DEBVM_NAME:-debvm}: $*" >&2
  exit 2
}

debvm_init() {
  local out=$1 binary=$2 case_file=$3 variant=${4:-plain}
  DEBVM_OUT=$out
  command -v qemu-system-x86_64 >/dev/null || return 77
  DEBVM_IMAGE=$("$debvm_repo/scripts/vm-debian-image.sh" --variant "$variant") ||
    debvm_die "building the Debian guest image failed"
  mapfile -t DEBVM_KERNELS <"$DEBVM_IMAGE/kernels.txt"
  ((${#DEBVM_KERNELS[@]} >= 2)) || debvm_die "$DEBVM_IMAGE/kernels.txt lists fewer than 2 kernels"

  mkdir -p "$out/payload"
  cp "$binary" "$out/payload/warmboot"
  cp "$debvm_repo/tests/vm/debian/guest.sh" "$out/payload/guest.sh"
  cp "$case_file" "$out/payload/case"
  # The binary's shared libraries (but the C and C++ runtime): guest.sh installs those the guest
  # lacks, so a library warmboot starts to use works before the image recipe lists its package.
  mkdir -p "$out/payload/lib"
  ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
    { grep -Ev '/(libc|libm|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' || true; } | xargs -r cp -L -t "$out/payload/lib"
  # The case's extra files (e.g. the .deb), when its file defines host_payload DIR BINARY.
  if declare -F host_payload >/dev/null; then
    host_payload "$out/payload" "$binary" || debvm_die "the case's host_payload failed"
  fi
  local mib
  mib=$(($(du -sm "$out/payload" | cut -f1) + 16))
  mkfs.ext4 -q -F -L WBPAYLOAD -d "$out/payload" "$out/payload.img" "${mib}M" >"$out/mkfs.log" 2>&1 ||
    debvm_die "mkfs.ext4 of the payload disk failed: $(cat "$out/mkfs.log")"
  rm -rf "$out/payload"
  # A copy-on-write overlay per run: the cached image is never written.
  qemu-img create -q -f qcow2 -F raw -b "$DEBVM_IMAGE/rootfs.raw" "$out/disk.qcow2" ||
    debvm_die "qemu-img create of the overlay failed"
  : >"$out/serial.log"
}

# The kernel release QEMU boots: "oldest", "newest" or a release.
debvm_release() {
  case $1 in
    oldest) echo "${DEBVM_KERNELS[0]}" ;;
    newest) echo "${DEBVM_KERNELS[-1]}" ;;
    *) echo "$1" ;;
  esac
}

# Prefix every line with the host's clock and the run number.
debvm_stamp() {
  local run=$1 line
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    printf '%s %s %s\n' "$EPOCHREALTIME" "$run" "$line"
    ((${DEBVM_VERBOSE:-0})) && printf '%s\n' "$line" >&2
  done
  return 0
}

# shellcheck source=tests/vm/qemu-process.sh
. "$(dirname "${BASH_SOURCE[0]}")/../qemu-process.sh"
DEBVM_PIDFILE=
debvm_kill() {
  [[ -n $DEBVM_PIDFILE ]] || return 0
  qemu_kill "$DEBVM_PIDFILE"
}

# debvm_qemu RUN TIMEOUT KERNEL_RELEASE APPEND [EXTRA QEMU ARGS...]
# Sets DEBVM_RC (QEMU's status; 124/137: timed out) and DEBVM_START/DEBVM_END (host epoch times).
debvm_qemu() {
  local run=$1 timeout=$2 release=$3 append=$4
  shift 4
  local accel_args=(-accel tcg)
  case ${WARMBOOT_VM_ACCEL:-tcg} in
    tcg) ;;
    kvm) accel_args=(-accel kvm -cpu host) ;;
    *) debvm_die "WARMBOOT_VM_ACCEL must be tcg or kvm" ;;
  esac
  DEBVM_PIDFILE=$DEBVM_OUT/qemu.pid
  local qemu=(qemu-system-x86_64 -nodefaults -nographic -monitor none "${accel_args[@]}"
    -m "${DEBVM_MEMORY:-1024}" -pidfile "$DEBVM_PIDFILE"
    -kernel "$DEBVM_IMAGE/vmlinuz-$release" -initrd "$DEBVM_IMAGE/initrd.img-$release"
    -append "root=/dev/vda rw console=ttyS0 panic=-1${append:+ $append}"
    -drive "file=$DEBVM_OUT/disk.qcow2,if=virtio,format=qcow2"
    -drive "file=$DEBVM_OUT/payload.img,if=virtio,format=raw,readonly=on"
    -serial stdio "$@")
  printf '%q ' "${qemu[@]}" >>"$DEBVM_OUT/qemu-cmd.txt"
  echo >>"$DEBVM_OUT/qemu-cmd.txt"
  DEBVM_START=$EPOCHREALTIME
  printf '%s %s HOST qemu-start release=%s\n' "$DEBVM_START" "$run" "$release" >>"$DEBVM_OUT/serial.log"
  {
    local rc=0
    timeout --kill-after=5 "$timeout" "${qemu[@]}" </dev/null 2>>"$DEBVM_OUT/qemu.stderr" || rc=$?
    echo "$rc" >"$DEBVM_OUT/qemu.rc"
  } | debvm_stamp "$run" >>"$DEBVM_OUT/serial.log" &
  wait $!
  DEBVM_END=$EPOCHREALTIME
  DEBVM_RC=$(cat "$DEBVM_OUT/qemu.rc")
  printf '%s %s HOST qemu-exit rc=%s\n' "$DEBVM_END" "$run" "$DEBVM_RC" >>"$DEBVM_OUT/serial.log"
  DEBVM_PIDFILE=
}

debvm_markers() {
  awk '{ i = index($0, "WARMBOOT-VM "); if (i) print $1, $2, substr($0, i + 12)
         else if ($3 == "HOST") print $1, $2, substr($0, index($0, "HOST ") + 5) }' \
    "$DEBVM_OUT/serial.log" >"$DEBVM_OUT/markers.log"
}

# Queries on markers.log ---------------------------------------------------------------------------
# debvm_count EVENT [RUN]        number of EVENT markers (in RUN)
# debvm_marker EVENT N [RUN]     the Nth one (1-based; -1: the last)
# debvm_field EVENT N KEY [RUN]  value of KEY in it (cmdline= and the analyze text run to the end)
# debvm_time EVENT N [RUN]       its host time (epoch seconds)
debvm_count() { awk -v e="$1" -v r="${2:-}" '$3 == e && (r == "" || $2 == r)' "$DEBVM_OUT/markers.log" | wc -l; }
debvm_marker() {
  local n=$2
  ((n >= 0)) || n=$(debvm_count "$1" "${3:-}")
  awk -v e="$1" -v n="$n" -v r="${3:-}" '$3 == e && (r == "" || $2 == r) && ++c == n' "$DEBVM_OUT/markers.log"
}
debvm_field() {
  local line
  line=" $(debvm_marker "$1" "$2" "${4:-}")"
  [[ $line == *" $3="* ]] || return 1
  line=${line#* "$3"=}
  [[ $3 == cmdline ]] || line=${line%% *}
  printf '%s\n' "$line"
}
debvm_time() {
  local line
  line=$(debvm_marker "$1" "$2" "${3:-}")
  [[ -n $line ]] || return 1
  echo "${line%% *}"
}
# Host time of the first serial line of RUN matching the extended regex, after time T (or 0).
debvm_line_time() {
  awk -v r="$1" -v t="${3:-0}" -v re="$2" '$2 == r && $1 > t && $0 ~ re { print $1; exit }' "$DEBVM_OUT/serial.log"
}
# Arithmetic on decimal seconds: debvm_calc 'a - b' a=1.5 b=0.2
debvm_calc() {
  local expr=$1 a args=()
  shift
  for a in "$@"; do args+=(-v "$a"); done
  awk "${args[@]}" "BEGIN { printf \"%.2f\\n\", $expr }" </dev/null
}

# debvm_reboot_times N: timings of the Nth reboot-issued marker and the boot that followed, as
# "how downtime boot overhead shutdown handover stage" (seconds; "-" when unknown):
#   downtime  reboot command issued -> the guest's ready marker (host clock)
#   boot      the new kernel's own boot -> ready (its uptime in the marker)
#   overhead  downtime - boot
#   shutdown  command -> the old kernel's last words ("kexec_core: Starting new kernel" or
#             "reboot: Restarting system")
#   handover  those last words -> the new kernel's clock starts (ready time - uptime): firmware,
#             boot loader and decompression (cold) or purgatory and decompression (kexec)
#   stage     command -> kernel staged (warmboot's "warm reboot into" line or a "staged" marker)
debvm_reboot_times() {
  local line t_issue run how ready t_ready up t_down t_stage
  line=$(debvm_marker reboot-issued "$1") || return 1
  [[ -n $line ]] || return 1
  read -r t_issue run _ how _ <<<"$line"
  how=${how#how=}
  ready=$(awk -v r="$run" -v t="$t_issue" '$2 == r && $3 == "boot" && $1 > t { print; exit }' "$DEBVM_OUT/markers.log")
  if [[ -z $ready ]]; then
    echo "$how - - - - - -"
    return 0
  fi
  t_ready=${ready%% *}
  up=$(sed -n 's/.* uptime=\([^ ]*\).*/\1/p' <<<"$ready")
  t_down=$(debvm_line_time "$run" 'kexec_core: Starting new kernel|reboot: Restarting system' "$t_issue")
  t_stage=$(debvm_line_time "$run" 'warmboot: warm reboot into|WARMBOOT-VM staged' "$t_issue")
  [[ -n $t_stage ]] && awk -v s="$t_stage" -v r="$t_ready" 'BEGIN { exit !(s < r) }' || t_stage=
  printf '%s %s %s %s %s %s %s\n' "$how" \
    "$(debvm_calc 'r - i' r="$t_ready" i="$t_issue")" "$up" \
    "$(debvm_calc 'r - i - u' r="$t_ready" i="$t_issue" u="$up")" \
    "$([[ -n $t_down ]] && debvm_calc 'd - i' d="$t_down" i="$t_issue" || echo -)" \
    "$([[ -n $t_down ]] && debvm_calc 'r - u - d' r="$t_ready" u="$up" d="$t_down" || echo -)" \
    "$([[ -n $t_stage ]] && debvm_calc 's - i' s="$t_stage" i="$t_issue" || echo -)"
}
