# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=dash
# shellcheck disable=SC2154 # $state and $payload come from the kind's guest script
# The guest side shared by every guest kind, sourced by tests/vm/guest/<kind>.sh (the payload's
# guest.sh). POSIX sh plus `local` (busybox ash, dash and bash all have it). See tests/vm/README.md.
#
# The kind's script sets $state (a directory that survives reboots: on the guest's disk, or saved
# to a state disk by state_save), $payload (where the payload is mounted), and defines
#   state_save        make $state survive a reboot that follows right away (sync, or write it out)
#   boot_extra        extra " key=value" fields for the boot marker (may print nothing)
#   guest_ready       what the kind does after the boot marker, before the case (e.g. install warmboot)
#   finish            the default end once no step is left: power off (a case may override it)
#   abort             power off now, whatever state the guest is in
#   guest_shell       what the shell case (run.sh --shell) does at the end instead of powering off
# and then calls guest_main.

# ---- Markers: every line meant for the host is "WARMBOOT-VM <event> key=value ...", printed by one
# printf. cmdline= (and the text of `analyze`) always comes last and runs to the end of the line.
marker() { printf 'WARMBOOT-VM %s\n' "$*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
# The guest's CLOCK_REALTIME (busybox date has no %N: whole seconds there).
guest_clock() {
  local c
  c=$(date +%s.%N)
  case $c in *N) date +%s ;; *) echo "$c" ;; esac
}

# ---- Assertions: ok NAME / fail NAME DETAIL; the host requires every name in EXPECT_OK and fails
# the case on any fail marker.
ok() { marker "ok name=$1"; }
fail() {
  local name=$1
  shift
  marker "fail name=$name $*"
  echo "$name" >>"$state/failed"
  state_save
}
# check NAME COMMAND...: ok if COMMAND succeeds, else fail.
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else fail "$name" "command failed: $*"; fi
}
# run_expect NAME CODES COMMAND...: run COMMAND, show its output, require its exit status to be in
# CODES ("0", "3|4", "nonzero"). Its stdout and stderr stay in $state/NAME.out and .err.
run_expect() {
  local name=$1 codes=$2 rc=0 good=0
  shift 2
  echo "+ $*"
  "$@" >"$state/$name.out" 2>"$state/$name.err" || rc=$?
  sed 's/^/  out: /' "$state/$name.out"
  sed 's/^/  err: /' "$state/$name.err"
  marker "exit name=$name rc=$rc"
  case $codes in
    nonzero) [ "$rc" != 0 ] && good=1 ;;
    *) case "|$codes|" in *"|$rc|"*) good=1 ;; esac ;;
  esac
  if [ "$good" = 1 ]; then ok "$name"; else fail "$name" "exit status $rc, expected $codes"; fi
}
# Does the last run_expect NAME's stderr (or stdout) match the extended regex?
err_has() { grep -Eq -- "$2" "$state/$1.err"; }
out_has() { grep -Eq -- "$2" "$state/$1.out"; }
# Nothing staged (the kernel's view and warmboot's).
nothing_staged() {
  [ "$(cat /sys/kernel/kexec_loaded)" = 0 ] && warmboot status | grep -q 'no kernel is staged'
}

# ---- Reboots -------------------------------------------------------------------------------------
# A file written and fsync'ed just before a reboot; verify_file checks it on the next boot.
write_synced_file() {
  head -c 65536 /dev/urandom >"$state/$1"
  sync "$state/$1"
  sha256sum "$state/$1" | cut -d' ' -f1 >"$state/$1.sha256"
  sync "$state/$1.sha256" "$state"
  state_save
}
verify_file() {
  [ -f "$state/$1" ] && [ "$(sha256sum "$state/$1" | cut -d' ' -f1)" = "$(cat "$state/$1.sha256")" ]
}
# Mark the moment a reboot command is issued (the host computes downtimes from it).
reboot_issued() { marker "reboot-issued how=$1 uptime=$(uptime_s)"; }
# reboot_cmd NAME COMMAND...: a command that starts a reboot. $state is saved first; the command's
# output goes straight to the console; its exit status is reported only if the shutdown leaves time.
reboot_cmd() {
  local name=$1 rc=0
  shift
  state_save
  echo "+ $*"
  "$@" || rc=$?
  marker "exit name=$name rc=$rc"
  [ "$rc" = 0 ] || fail "$name" "exit status $rc"
}
# Wait for the shutdown to stop this script; if it does not come within S seconds, fail and power off.
expect_reboot() {
  sleep "${1:-180}"
  fail expect-reboot "no reboot within ${1:-180}s"
  abort
}

# ---- warmboot as the package installs it -------------------------------------------------------------
# The files of cmake/Install.cmake, installed by hand from $payload/files (the host put them there
# with vm_payload_package_files), next to the binary the payload brought.
install_like_the_package() {
  install -m 755 /usr/local/sbin/warmboot /usr/sbin/warmboot &&
    install -m 644 "$payload"/files/warmboot-*.service "$payload"/files/warmboot-*.path \
      /lib/systemd/system/ &&
    install -D -m 755 "$payload/files/warmboot.shutdown" /lib/systemd/system-shutdown/warmboot.shutdown &&
    install -d /etc/warmboot/hooks.d /etc/kernel/postinst.d /etc/initramfs/post-update.d &&
    install -m 755 "$payload/files/zz-warmboot" /etc/kernel/postinst.d/zz-warmboot &&
    systemctl daemon-reload && systemctl enable warmboot-record.service
}

# ---- The guest's kernels ---------------------------------------------------------------------------
# The version in `warmboot plan --json` output (file).
plan_version() { sed -n 's/^ *"version": "\([^"]*\)".*/\1/p' "$1"; }
boot_releases() { find /boot -maxdepth 1 -name 'vmlinuz-*' | sed 's|^/boot/vmlinuz-||' | sort -V; }
newest_release() { boot_releases | tail -n 1; }
oldest_release() { boot_releases | head -n 1; }

# ---- This boot: the boot marker, then the case's steps in order --------------------------------------
# The number of the next step is saved in $state/step before a step runs, so a step that reboots (warm
# or cold) is followed by the next step on the next boot. When no step is left: `done`, then finish.
guest_main() {
  local step boots loader rc
  step=$(cat "$state/step" 2>/dev/null || echo 1)
  boots=$(($(cat "$state/boots" 2>/dev/null || echo 0) + 1))
  echo "$boots" >"$state/boots"
  state_save
  # loader: /proc/sys/kernel/bootloader_type, 176 (0xb0) from QEMU's loader, 208 (0xd0) from
  # kexec_file_load. clock: the guest's own clock, so the host can tell how far it is from its own.
  loader=$(cat /proc/sys/kernel/bootloader_type 2>/dev/null || echo none)
  marker "boot n=$boots boot_id=$(cat /proc/sys/kernel/random/boot_id) uptime=$(uptime_s)" \
    "loader=$loader step=$step uname=$(uname -r) clock=$(guest_clock)$(boot_extra) cmdline=$(cat /proc/cmdline)"
  guest_ready
  if [ ! -f "$payload/case" ]; then
    marker "case-missing"
    finish
    return
  fi
  # shellcheck source=/dev/null
  . "$payload/case"
  while command -v "step_$step" >/dev/null; do
    echo $((step + 1)) >"$state/step"
    state_save
    marker "step-start n=$step uptime=$(uptime_s)"
    rc=0
    "step_$step" || rc=$?
    marker "step-end n=$step rc=$rc uptime=$(uptime_s)"
    [ "$rc" = 0 ] || fail "step-$step" "returned $rc"
    step=$((step + 1))
  done
  marker "done boots=$boots failed=$(sort -u "$state/failed" 2>/dev/null | paste -sd, -)"
  finish
}
