#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The guest side of the Debian kinds: the payload disk's guest.sh, run on every boot by the image's
# warmboot-vm.service (after multi-user.target; see scripts/vm-debian-image.sh). The shared part
# (markers, assertions, the steps) is guest-lib.sh next to it; see tests/vm/README.md.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
payload=/run/warmboot-payload
state=/var/lib/warmboot-test # on the guest's disk: it survives warm and cold reboots
mkdir -p "$state"

# The serial console the host reads: ttyS0, or what the image names (arm64's virt board: ttyAMA0).
tty=/dev/$(cat /etc/warmboot-vm-console 2>/dev/null || echo ttyS0)
# Straight to the serial port (journald's forwarding to the console is asynchronous), opened anew
# for every line: serial-getty's agetty calls vhangup() on the tty when it starts, which silences a
# descriptor held across that moment. (It once raced this script: a whole boot's reports lost and
# the guest powered off without a word.)
to_console() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    printf '%s\n' "$line" >"$tty" 2>/dev/null || printf '%s\n' "$line" >"$tty" 2>/dev/null
  done
}
exec </dev/null > >(to_console) 2>&1

# shellcheck source=tests/vm/guest/lib.sh
. "$payload/guest-lib.sh"

state_save() { sync "$state"/* "$state" 2>/dev/null || sync; }
boot_extra() { :; }
abort() {
  marker "abort uptime=$(uptime_s)"
  sync
  systemctl poweroff --force --force
}
finish() { # the default end: power off (QEMU exits with status 0)
  marker "poweroff uptime=$(uptime_s)"
  systemctl poweroff
  sleep 120
  abort
}
guest_shell() { marker "shell: log in as root (no password)"; }
# The kernel's messages of this boot about the root filesystem's journal (empty when clean).
ext4_recovery_lines() { dmesg | grep -E 'EXT4-fs \(vda[0-9]*\).*(recover|orphan)' || true; }

guest_ready() {
  # systemd's own account of this boot (kernel, initrd, userspace), once it says boot has finished.
  local t l missing
  for _ in $(seq 20); do
    if t=$(systemd-analyze time 2>/dev/null | head -n 1) && [[ $t == Startup* ]]; then
      marker "analyze $t"
      break
    fi
    sleep 0.5
  done
  # warmboot is not in the image. A kind that brings its Debian package (payload debs/: warmboot.deb
  # and the libraries of its build's release this guest's release lacks) has it installed by dpkg
  # on the first boot; the others bring the binary under test (and any library the guest lacks).
  if [[ -d $payload/debs ]]; then
    if [[ ! -f $state/debs-installed ]]; then
      if dpkg -i "$payload"/debs/*.deb >"$state/dpkg.log" 2>&1; then
        marker "installed-deb $(dpkg-query -W -f '${Package}=${Version}:${Architecture}' warmboot)"
        touch "$state/debs-installed"
      else
        sed 's/^/  dpkg: /' "$state/dpkg.log"
        marker "deb-install-failed"
      fi
    fi
    return 0
  fi
  install -m 755 "$payload/warmboot" /usr/local/sbin/warmboot
  missing=$(ldd /usr/local/sbin/warmboot | awk '$3 == "not" { print $1 }')
  if [[ -n $missing ]]; then
    for l in $missing; do cp "$payload/lib/$l" /usr/local/lib/ 2>/dev/null; done
    ldconfig
    marker "libs-from-payload $(echo "$missing" | paste -sd, -) (add their packages to scripts/vm-debian-image.sh)"
  fi
}

guest_main
