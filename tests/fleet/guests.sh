# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2153 # FLEET_OUT and FLEET_DIR are set by tests/fleet/run.sh
# The fleet's guests on the host: three QEMU guests of tests/fleet/guest.case at once, each in its own
# directory $FLEET_OUT/guestI (the harness's VM_OUT: serial.log, markers.log, qemu-cmd.txt, disk
# overlay and payload), each with SSH forwarded from 127.0.0.1:FLEET_PORTS[I]. Built from the
# harness of tests/vm (lib/case.sh, qemu.sh, payload.sh, markers.sh and the debian12 kind), each
# guest in a subshell of its own, since the harness keeps one guest's state in globals.
#
#   fleet_pick_ports N          FLEET_PORTS[1..N]: free TCP ports on 127.0.0.1
#   fleet_guest_start I BINARY  prepare guest I (image, payload, overlay) and run its QEMU in the
#                               background (FLEET_PIDS[I]); QEMU's status lands in guestI/fleet-qemu.rc
#   fleet_on I                  point the harness's queries (vm_count, vm_field, ...) at guest I
#   fleet_wait_ready I N SECS   until guest I has said fleet-ready N times (its Nth boot is up)
#   fleet_ssh I COMMAND...      run COMMAND as root in guest I
#   fleet_alive I               guest I's QEMU still runs
#   fleet_poweroff_all SECS     power every guest off over SSH and wait for its QEMU to end
#   fleet_kill_all              end every guest's QEMU and subshell that still runs (on exit)

declare -a FLEET_PORTS=() FLEET_PIDS=()

fleet_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

fleet_pick_ports() {
  local n=$1 i=1 port
  port=${WARMBOOT_FLEET_PORT_BASE:-$((20000 + RANDOM % 20000))}
  while ((i <= n)); do
    if fleet_port_free "$port"; then
      FLEET_PORTS[i]=$port
      i=$((i + 1))
    fi
    port=$((port + 1))
  done
}

fleet_guest_start() {
  local i=$1 binary=$2
  (
    VM_OUT=$FLEET_OUT/guest$i
    mkdir -p "$VM_OUT"
    for f in serial.log qemu-cmd.txt qemu.stderr qemu.rc; do : >"$VM_OUT/$f"; done
    export FLEET_NAME=guest$i FLEET_PORT=${FLEET_PORTS[i]} FLEET_PUBKEY=$FLEET_OUT/id_ed25519.pub
    vm_case_resolve "$FLEET_DIR/guest.case" debian12
    vm_case_load
    vm_qemu_traps
    kind_prepare "$binary"
    vm_qemu_run 1 "${VM_RUN_BOOTS[0]}" "$TIMEOUT"
    echo "$VM_RC" >"$VM_OUT/fleet-qemu.rc"
    kind_cleanup
  ) >"$FLEET_OUT/guest$i.log" 2>&1 &
  FLEET_PIDS[i]=$!
}

fleet_on() {
  VM_OUT=$FLEET_OUT/guest$1
  vm_markers_build
}

fleet_alive() {
  local pid
  pid=$(cat "$FLEET_OUT/guest$1/qemu.pid" 2>/dev/null) || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == qemu-system-* ]]
}

fleet_wait_ready() {
  local i=$1 n=$2 deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    fleet_on "$i"
    (($(vm_count fleet-ready) >= n)) && return 0
    if ! kill -0 "${FLEET_PIDS[i]}" 2>/dev/null; then
      echo "fleet: guest$i ended while waiting for its boot $n; the end of $FLEET_OUT/guest$i.log:" >&2
      tail -n 15 "$FLEET_OUT/guest$i.log" >&2
      return 1
    fi
    sleep 5
  done
  echo "fleet: guest$i did not report boot $n within $3 s" >&2
  return 1
}

fleet_ssh() {
  local i=$1
  shift
  ssh -p "${FLEET_PORTS[i]}" -i "$FLEET_OUT/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    -o ConnectTimeout=20 root@127.0.0.1 "$@" </dev/null
}

# Until guest I answers over SSH (the key is installed by its first boot's step).
fleet_wait_ssh() {
  local i=$1 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    fleet_ssh "$i" true 2>/dev/null && return 0
    sleep 5
  done
  echo "fleet: no SSH to guest$i on 127.0.0.1:${FLEET_PORTS[i]} within $2 s" >&2
  return 1
}

fleet_wait_gone() {
  local i=$1 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    kill -0 "${FLEET_PIDS[i]}" 2>/dev/null || return 0
    sleep 2
  done
  return 1
}

fleet_poweroff_all() {
  local i
  for i in "${!FLEET_PIDS[@]}"; do
    fleet_alive "$i" && { fleet_ssh "$i" systemctl poweroff || true; }
  done
  for i in "${!FLEET_PIDS[@]}"; do
    fleet_wait_gone "$i" "$1" || echo "fleet: guest$i did not power off within $1 s" >&2
  done
}

# The subshells run the harness's own trap (vm_qemu_traps: QEMU is killed when they exit); the pid
# file catches a QEMU whose subshell is already gone.
fleet_kill_all() {
  local i
  for i in "${!FLEET_PIDS[@]}"; do
    kill -TERM "${FLEET_PIDS[i]}" 2>/dev/null || true
  done
  for i in "${!FLEET_PIDS[@]}"; do
    fleet_wait_gone "$i" 10 || true
    # Only a run that did not finish can have left its QEMU (a finished one's pid may be reused).
    [[ -e $FLEET_OUT/guest$i/fleet-qemu.rc ]] || VM_QEMU_PIDFILE=$FLEET_OUT/guest$i/qemu.pid vm_qemu_kill
  done
}
