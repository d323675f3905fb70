#!/bin/bash
# shellcheck disable=SC2317 # helpers are called from the sourced case file
# The guest side of tests/vm/debian: run by the image's warmboot-vm.service (after
# multi-user.target) from the payload disk, on every boot. See tests/vm/debian/README.md.
#
# Prints "WARMBOOT-VM <event> key=value ..." lines on the serial console (the host timestamps
# them), copies the warmboot under test to /usr/local/sbin, then runs the case's steps: step_1,
# step_2, ... in order. The number of the next step is kept on the guest's disk, so a step that
# reboots (warm or cold) is followed by the next step on the next boot. When no step is left the
# guest prints "done" and powers off (or runs the case's `finish`).
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
payload=/run/warmboot-payload
state=/var/lib/warmboot-test
mkdir -p "$state"

# Straight to the serial port: journald's forwarding to the console is asynchronous.
exec </dev/null >/dev/ttyS0 2>&1

# ---- Helpers for the case's steps -------------------------------------------------------------------
marker() { printf 'WARMBOOT-VM %s\n' "$*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
# ok NAME / fail NAME DETAIL: one assertion's outcome; the host requires every name in EXPECT_OK.
ok() { marker "ok name=$1"; }
fail() {
  local name=$1
  shift
  marker "fail name=$name $*"
  echo "$name" >>"$state/failed"
}
check() { # check NAME COMMAND...: ok if COMMAND succeeds, else fail
  local name=$1
  shift
  if "$@"; then ok "$name"; else fail "$name" "command failed: $*"; fi
}
# run_expect NAME CODES COMMAND...: run COMMAND, show its output, require its exit status to be in
# CODES ("0", "3|4", "nonzero"). Its stdout and stderr stay in $state/NAME.out and .err.
run_expect() {
  local name=$1 codes=$2 rc=0
  shift 2
  echo "+ $*"
  "$@" >"$state/$name.out" 2>"$state/$name.err" || rc=$?
  sed 's/^/  out: /' "$state/$name.out"
  sed 's/^/  err: /' "$state/$name.err"
  marker "exit name=$name rc=$rc"
  local good=0
  case $codes in
    nonzero) ((rc != 0)) && good=1 ;;
    *) [[ "|$codes|" == *"|$rc|"* ]] && good=1 ;;
  esac
  if ((good)); then ok "$name"; else fail "$name" "exit status $rc, expected $codes"; fi
}
# Does the last run_expect NAME's stderr (or stdout) match the extended regex?
err_has() { grep -Eq -- "$2" "$state/$1.err"; }
out_has() { grep -Eq -- "$2" "$state/$1.out"; }
# Nothing staged (kernel's view and warmboot's).
nothing_staged() {
  [[ $(cat /sys/kernel/kexec_loaded) == 0 ]] && warmboot status | grep -q 'no kernel is staged'
}
# A file written and fsync'ed just before a reboot; verify_file checks it on the next boot.
write_synced_file() {
  head -c 65536 /dev/urandom >"$state/$1"
  sync "$state/$1"
  sha256sum "$state/$1" | cut -d' ' -f1 >"$state/$1.sha256"
  sync "$state/$1.sha256" "$state"
}
verify_file() {
  [[ -f $state/$1 && $(sha256sum "$state/$1" | cut -d' ' -f1) == "$(cat "$state/$1.sha256")" ]]
}
# reboot_cmd NAME COMMAND...: a command that starts a reboot. Its output goes straight to the
# console; its exit status is reported only if the shutdown leaves time (it usually does not).
reboot_cmd() {
  local name=$1 rc=0
  shift
  echo "+ $*"
  "$@" || rc=$?
  marker "exit name=$name rc=$rc"
  ((rc == 0)) || fail "$name" "exit status $rc"
}
# Mark the moment a reboot command is issued (the host computes downtimes from it), then wait for
# the shutdown to stop this script; if it does not come, fail and power off.
reboot_issued() { marker "reboot-issued how=$1 uptime=$(uptime_s)"; }
expect_reboot() {
  sleep "${1:-180}"
  fail expect-reboot "no reboot within ${1:-180}s"
  abort
}
abort() {
  marker "abort uptime=$(uptime_s)"
  sync
  systemctl poweroff --force --force
}
# The version in `warmboot plan --json` output (file).
plan_version() { sed -n 's/^ *"version": "\([^"]*\)".*/\1/p' "$1"; }
# Newest and oldest kernel release in /boot.
newest_release() { find /boot -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | tail -n 1; }
oldest_release() { find /boot -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | head -n 1; }
# The kernel's messages of this boot about the root filesystem's journal (empty when clean).
ext4_recovery_lines() { dmesg | grep -E 'EXT4-fs \(vda\).*(recover|orphan)' || true; }

# ---- This boot ----------------------------------------------------------------------------------
step=$(cat "$state/step" 2>/dev/null || echo 1)
boots=$(($(cat "$state/boots" 2>/dev/null || echo 0) + 1))
echo "$boots" >"$state/boots"
loader=$(cat /proc/sys/kernel/bootloader_type 2>/dev/null || echo none)
# clock=: the guest's CLOCK_REALTIME, so the host can tell how far this boot's clock is from its own
# (the guest sets it from the emulated RTC, whole seconds, at every boot).
marker "boot n=$boots boot_id=$(cat /proc/sys/kernel/random/boot_id) uptime=$(uptime_s)" \
  "loader=$loader step=$step uname=$(uname -r) clock=$(date +%s.%N) cmdline=$(cat /proc/cmdline)"

# systemd's own account of this boot (kernel, initrd, userspace), once it says boot has finished.
for _ in $(seq 20); do
  if t=$(systemd-analyze time 2>/dev/null | head -n 1) && [[ $t == Startup* ]]; then
    marker "analyze $t"
    break
  fi
  sleep 0.5
done

install -m 755 "$payload/warmboot" /usr/local/sbin/warmboot
missing=$(ldd /usr/local/sbin/warmboot | awk '$3 == "not" { print $1 }')
if [[ -n $missing ]]; then
  for l in $missing; do cp "$payload/lib/$l" /usr/local/lib/ 2>/dev/null; done
  ldconfig
  marker "libs-from-payload $(echo "$missing" | paste -sd, -) (add their packages to scripts/vm-debian-image.sh)"
fi

finish() { # the default end: power off (QEMU exits with status 0)
  marker "poweroff uptime=$(uptime_s)"
  systemctl poweroff
  sleep 120
  abort
}
# shellcheck source=/dev/null
. "$payload/case"

while declare -F "step_$step" >/dev/null; do
  echo $((step + 1)) >"$state/step"
  sync "$state/step"
  marker "step-start n=$step uptime=$(uptime_s)"
  rc=0
  "step_$step" || rc=$?
  marker "step-end n=$step rc=$rc uptime=$(uptime_s)"
  ((rc == 0)) || fail "step-$step" "returned $rc"
  step=$((step + 1))
done
marker "done boots=$boots failed=$(sort -u "$state/failed" 2>/dev/null | paste -sd, -)"
finish
