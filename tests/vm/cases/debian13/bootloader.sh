# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2154
# The guest's boot loader, for the debian13 cases that source this file (oracle.sh, refresh.sh):
# which one it is, its entry for a kernel release (the image's entries.txt on the payload), and
# GRUB's or systemd-boot's own tools to set a one-time or persistent choice. Their hosts copy this
# file onto the payload disk next to the case.
loader() { if [[ -d /boot/grub ]] && command -v grub-reboot >/dev/null; then echo grub; else echo sdboot; fi; }
entry_of() { awk -F'\t' -v r="$1" '$1 == r { print $2 }' "$payload/entries.txt"; }
# /proc/cmdline as a plan writes it: without what the boot loader adds (BOOT_IMAGE=, initrd=).
booted_cmdline() { tr ' ' '\n' </proc/cmdline | grep -Ev '^(BOOT_IMAGE|initrd)=' | paste -sd' '; }
plan_cmdline() { sed -n 's/^ *"cmdline": "\(.*\)",\{0,1\}$/\1/p' "$1"; }
one_shot_of() { sed -n 's/^ *"one_shot": \(.*\),\{0,1\}$/\1/p' "$1" | sed 's/,$//'; }
take_plan() { # NAME: warmboot --json plan into $state/NAME.json
  run_expect "$1" 0 warmboot --json plan
  cp "$state/$1.out" "$state/$1.json"
}
set_oneshot() { # RELEASE
  if [[ $(loader) == grub ]]; then grub-reboot "$(entry_of "$1")"; else bootctl set-oneshot "$(entry_of "$1")"; fi
}
set_default() { # RELEASE
  if [[ $(loader) == grub ]]; then
    sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && update-grub &&
      grub-set-default "$(entry_of "$1")"
  else
    bootctl set-default "$(entry_of "$1")"
  fi
}
oneshot_gone() {
  if [[ $(loader) == grub ]]; then
    ! grub-editenv list | grep -Eq '^next_entry=.+'
  else
    ! ls /sys/firmware/efi/efivars/LoaderEntryOneShot-* >/dev/null 2>&1
  fi
}
