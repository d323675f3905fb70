# shellcheck shell=bash
# Shared by the guest harnesses (tests/vm/run-case.sh, tests/vm/debian/lib.sh): ending the QEMU
# process of a run, whatever state it is in.

# qemu_kill PIDFILE: TERM the QEMU whose pid QEMU wrote to PIDFILE (only if that pid is still a
# qemu-system-* process), then KILL it if it has not gone after 2 s. Never fails.
qemu_kill() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == qemu-system-* ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}
