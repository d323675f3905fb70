# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# QEMU for one guest run: the command (generic part here, the machine from the kind), a hard
# timeout, every serial line stamped with the host's clock and the run number, and QEMU killed
# whatever happens. Needs bash 5 (EPOCHREALTIME). See tests/vm/README.md.
#
#   vm_qemu_command RUN BOOT        build VM_QEMU for run RUN booting BOOT (kernel | firmware)
#   vm_qemu_run RUN BOOT TIMEOUT    run it; sets VM_RC (124/137: timed out), VM_START, VM_END
#   vm_qemu_shell BOOT              exec QEMU on this terminal (no timeout, no stamping)
#   vm_qemu_traps                   on exit (also by INT or TERM) kill the QEMU of the current run
# Helpers for kind_qemu_args (they append to VM_QEMU):
#   vm_qemu_kernel VMLINUZ INITRD BASE_APPEND   direct kernel boot; the command line is BASE_APPEND,
#                                                warmboot.case=<case> and the case's APPEND
#   vm_qemu_disk FILE FORMAT [OPTS]             a virtio disk (OPTS: e.g. readonly=on)
#   vm_qemu_uefi CODE VARS_TEMPLATE [per-run]   UEFI firmware in two pflash units; the VARS are a copy
#                                                of VARS_TEMPLATE kept for the whole case (every run sees
#                                                what the previous one wrote) or, with per-run, a fresh
#                                                copy for each run: $VM_OUT/efivars[-runN].fd
# Files in $VM_OUT: serial.log ("<host epoch time> <run> <console line>", plus "HOST qemu-start" and
# "HOST qemu-exit" lines), qemu-cmd.txt (every run's command), qemu.stderr, qemu.rc ("<run> <status>").

VM_QEMU=()
VM_RUN=0
VM_QEMU_PIDFILE=

# WARMBOOT_VM_ACCEL=tcg (default: KVM guests hang on the build machines) or kvm.
vm_accel_args() {
  case ${WARMBOOT_VM_ACCEL:-tcg} in
    tcg) VM_QEMU+=(-accel tcg) ;;
    kvm) VM_QEMU+=(-accel kvm -cpu host) ;;
    *) vm_die "WARMBOOT_VM_ACCEL must be tcg or kvm, not $WARMBOOT_VM_ACCEL" ;;
  esac
}

vm_qemu_command() {
  VM_RUN=$1
  local boot=$2
  [[ " $KIND_BOOTS " == *" $boot "* ]] || vm_die "kind $VM_KIND cannot boot '$boot' (it can: $KIND_BOOTS)"
  VM_QEMU_PIDFILE=$VM_OUT/qemu.pid
  VM_QEMU=("$KIND_QEMU" -nodefaults -nographic -monitor none -m "$MEMORY" -pidfile "$VM_QEMU_PIDFILE")
  vm_accel_args
  ((NO_REBOOT)) && VM_QEMU+=(-no-reboot)
  kind_qemu_args "$VM_RUN" "$boot"
  # shellcheck disable=SC2206 # QEMU_ARGS is a plain string split on spaces (see README)
  VM_QEMU+=($QEMU_ARGS)
}

vm_qemu_kernel() {
  VM_QEMU+=(-kernel "$1" -initrd "$2" -append "$3 warmboot.case=$VM_CASE_NAME${APPEND:+ $APPEND}")
}
vm_qemu_disk() {
  VM_QEMU+=(-drive "file=$1,if=virtio,format=$2${3:+,$3}")
}
vm_qemu_uefi() {
  local vars=$VM_OUT/efivars.fd
  [[ ${3:-} == per-run ]] && vars=$VM_OUT/efivars-run$VM_RUN.fd
  [[ -f $vars ]] || cp "$2" "$vars" || vm_die "cannot copy the UEFI variables $2"
  VM_QEMU+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$1" -drive "if=pflash,format=raw,unit=1,file=$vars")
}

# Prefix every line with the host's clock and the run number (-v: also show it on stderr).
vm_stamp() {
  local run=$1 line
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    printf '%s %s %s\n' "$EPOCHREALTIME" "$run" "$line"
    ((${VM_VERBOSE:-0})) && printf '%s\n' "$line" >&2
  done
  return 0
}

vm_qemu_run() {
  local run=$1 boot=$2 timeout=$3
  vm_qemu_command "$run" "$boot"
  VM_QEMU+=(-serial stdio)
  {
    echo "# run $run (boot: $boot)"
    printf '%q ' "${VM_QEMU[@]}"
    echo
  } >>"$VM_OUT/qemu-cmd.txt"
  VM_START=$EPOCHREALTIME
  printf '%s %s HOST qemu-start boot=%s\n' "$VM_START" "$run" "$boot" >>"$VM_OUT/serial.log"
  {
    local rc=0
    timeout --kill-after=5 "$timeout" "${VM_QEMU[@]}" </dev/null 2>>"$VM_OUT/qemu.stderr" || rc=$?
    echo "$rc" >"$VM_OUT/qemu.rc.tmp"
  } | vm_stamp "$run" >>"$VM_OUT/serial.log" &
  wait $!
  VM_END=$EPOCHREALTIME
  VM_RC=$(cat "$VM_OUT/qemu.rc.tmp")
  rm -f "$VM_OUT/qemu.rc.tmp"
  echo "$run $VM_RC" >>"$VM_OUT/qemu.rc"
  printf '%s %s HOST qemu-exit rc=%s\n' "$VM_END" "$run" "$VM_RC" >>"$VM_OUT/serial.log"
  VM_QEMU_PIDFILE=
}

vm_qemu_shell() {
  vm_qemu_command 1 "$1"
  exec "${VM_QEMU[@]}" -serial mon:stdio
}

vm_qemu_traps() {
  trap vm_qemu_kill EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Ends the QEMU whose pid QEMU wrote to the pid file (only if that pid is still a qemu-system-*
# process): TERM, then KILL if it has not gone after 2 s. Never fails.
vm_qemu_kill() {
  local pid
  [[ -n $VM_QEMU_PIDFILE ]] || return 0
  pid=$(cat "$VM_QEMU_PIDFILE" 2>/dev/null) || return 0
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == qemu-system-* ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}
