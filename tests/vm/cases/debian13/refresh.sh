# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2034,SC2154,SC1091
# The kernel staged ahead follows the boot loader's choice (issue: staging out of the downtime),
# shared by the debian13 cases that source it (one per boot loader). After `warmboot enable` with
# stage_ahead = true, warmboot-refresh.path sees GRUB's grubenv (grub-reboot, grub-set-default) or
# systemd-boot's EFI variables (bootctl set-oneshot, set-default) change, and `warmboot refresh`
# restages what the boot loader would now boot, with nobody running warmboot. A plain reboot (systemd
# 257: a kexec, since a kernel is loaded) then lands there. One QEMU run, every reboot warm:
#   boot 1  firmware -> newest; enable: newest staged ahead; one-shot the oldest -> restaged to the
#           oldest; systemctl reboot
#   boot 2  warm in the oldest (the one-shot used up); staged ahead again: the default, newest;
#           persistent default the oldest -> restaged to the oldest; back to the newest -> restaged
#           to the newest; systemctl reboot
#   boot 3  warm in the newest
EXPECT_BOOTS=3
EXPECT_OK="installed enable staged-newest oneshot-oldest restaged-oldest journal-refresh warm-oldest
  oneshot-used-up staged-newest-2 default-oldest restaged-oldest-2 default-newest restaged-newest
  warm-newest"

host_payload() {
  vm_payload_package_files "$1"
  cp "$VM_REPO"/tests/vm/cases/debian13/{refresh,bootloader}.sh "$1/"
}

# ---- Guest ---------------------------------------------------------------------------------------
. "${payload:-$(dirname "${BASH_SOURCE[0]}")}/bootloader.sh"
conf=/etc/warmboot/warmboot.conf
staged_version() { warmboot --json status | plan_version /dev/stdin; }
# staged RELEASE: within 2 minutes the kernel staged ahead is RELEASE (the path unit's refresh, or
# the stage-ahead unit after boot, runs at low priority).
staged() {
  for _ in $(seq 120); do
    [[ $(cat /sys/kernel/kexec_loaded) == 1 && $(staged_version) == "$1" ]] &&
      [[ $(systemctl show -P ActiveState warmboot-refresh.service) != activating ]] && return 0
    sleep 1
  done
  echo "staged: $(staged_version) (wanted $1)"
  return 1
}
warm_reboot() {
  reboot_issued "$1"
  reboot_cmd "$1" systemctl reboot
  expect_reboot 240
}

step_1() {
  check installed install_like_the_package
  printf '[handover]\nstage_ahead = true\n' >"$conf"
  run_expect enable 0 warmboot enable
  check staged-newest staged "$(newest_release)"
  check oneshot-oldest set_oneshot "$(oldest_release)"
  check restaged-oldest staged "$(oldest_release)"
  check journal-refresh bash -c "journalctl -b --no-pager -u warmboot-refresh.service | grep -q 'restaged .*($(oldest_release))'"
  warm_reboot warm-to-oneshot
}

step_2() {
  check warm-oldest test "$(uname -r)" = "$(oldest_release)"
  check oneshot-used-up oneshot_gone
  check staged-newest-2 staged "$(newest_release)"
  check default-oldest set_default "$(oldest_release)"
  check restaged-oldest-2 staged "$(oldest_release)"
  check default-newest set_default "$(newest_release)"
  check restaged-newest staged "$(newest_release)"
  warm_reboot warm-to-default
}

step_3() {
  check warm-newest test "$(uname -r)" = "$(newest_release)"
  return 0
}

# ---- Host ----------------------------------------------------------------------------------------
host_check() {
  [[ $(vm_field boot 1 loader) == 33 ]] || vm_fail "boot 1 was not a firmware boot"
  local n
  for n in 2 3; do
    [[ $(vm_field boot $n loader) == 208 ]] || vm_fail "boot $n: loader $(vm_field boot $n loader), expected 208 (warm)"
  done
  [[ $(vm_field boot 2 uname) == "$OLDEST" && $(vm_field boot 3 uname) == "$NEWEST" ]] ||
    vm_fail "kernels booted warm: $(vm_field boot 2 uname) $(vm_field boot 3 uname), expected $OLDEST $NEWEST"
  return 0
}
