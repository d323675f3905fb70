#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=dash
# The guest side of the busybox kind: the payload's guest.sh, run by the initramfs's /init
# (tests/vm/guest/init) on every boot. The shared part (markers, assertions, the steps) is
# guest-lib.sh next to it; see tests/vm/README.md.
#
# The guest has no root disk: $state lives in /run, and state_save writes it (a tar) to the raw
# state disk /dev/vda with dd; every boot, warm or cold, reads it back from there.
set -u
payload=/run/warmboot-payload
state=/run/warmboot-test
statedisk=/dev/vda
mkdir -p "$state"
tar -xf "$statedisk" -C "$state" 2>/dev/null || true # a new state disk is all zeros: nothing

# shellcheck source=tests/vm/guest/lib.sh
. "$payload/guest-lib.sh"

state_save() {
  tar -cf - -C "$state" . | dd of="$statedisk" bs=4096 conv=notrunc,fsync 2>/dev/null ||
    marker "state-save-failed"
}
# stage: whether this boot's initramfs came from QEMU (first: it carries /boot) or from /boot.
boot_extra() {
  if [ -e /etc/warmboot-vm/first-boot ]; then printf ' stage=first'; else printf ' stage=next'; fi
}
guest_ready() { :; }
abort() {
  marker "abort uptime=$(uptime_s)"
  sync
  poweroff -f
}
power_off() { # QEMU exits with status 0
  marker "poweroff uptime=$(uptime_s)"
  sync
  poweroff -f
  sleep 5
}
finish() { power_off; } # the default end (a case may override finish)
guest_shell() {
  marker "shell"
  setsid cttyhack sh -l
  power_off
}

guest_main
