# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2034,SC2154,SC1091
# The boot-loader oracle, shared by the debian13 cases that source it (one per boot loader): what
# `warmboot plan` names must be what the firmware and the boot loader on the disk boot when the
# machine reboots cold, for the default, a one-time choice (grub-reboot / bootctl set-oneshot) and
# a persistent default (GRUB_DEFAULT=saved + grub-set-default / bootctl set-default); a warm reboot
# into a one-time choice lands there and uses it up, as the boot loader would.
#   run 1  firmware -> default (newest): plan = this boot; one-shot the oldest: plan says so; cold
#   run 2  firmware -> the oldest (plan's one-shot); persistent default = the oldest, one-shot the
#          newest; `warmboot reboot --yes` -> warm into the newest; the one-shot is gone; plan =
#          the oldest (the default); cold
#   run 3  firmware -> the oldest: the warm reboot used the one-shot up
EXPECT_OK="plan-default plan-is-this-boot plan-cmdline-is-this-boot set-oneshot plan-oneshot
  plan-oneshot-names-it cold-is-oneshot cold-cmdline-is-oneshot set-default plan-saved set-oneshot-2
  plan-oneshot-2 warm-is-plan warm-cmdline-is-plan oneshot-used-up plan-after cold-is-default
  cold-cmdline-is-default"

host_payload() { cp "$VM_REPO"/tests/vm/cases/debian13/{oracle,bootloader}.sh "$1/"; }

# ---- Guest ---------------------------------------------------------------------------------------
# loader, entry_of, take_plan, set_oneshot, set_default, ...: bootloader.sh next to this file.
. "${payload:-$(dirname "${BASH_SOURCE[0]}")}/bootloader.sh"
cold_reboot() {
  reboot_issued cold
  # Nothing is staged: systemd 257 reboots through the firmware.
  reboot_cmd cold-reboot systemctl reboot
  expect_reboot 240
}

step_1() {
  take_plan plan-default
  check plan-is-this-boot test "$(plan_version "$state/plan-default.json")" = "$(uname -r)"
  check plan-cmdline-is-this-boot test "$(plan_cmdline "$state/plan-default.json")" = "$(booted_cmdline)"
  check set-oneshot set_oneshot "$(oldest_release)"
  take_plan plan-oneshot
  check plan-oneshot-names-it test "$(plan_version "$state/plan-oneshot.json")" = "$(oldest_release)" -a \
    "$(one_shot_of "$state/plan-oneshot.json")" != null
  cold_reboot
}

step_2() {
  check cold-is-oneshot test "$(uname -r)" = "$(plan_version "$state/plan-oneshot.json")"
  check cold-cmdline-is-oneshot test "$(booted_cmdline)" = "$(plan_cmdline "$state/plan-oneshot.json")"
  check set-default set_default "$(oldest_release)"
  take_plan plan-saved
  check set-oneshot-2 set_oneshot "$(newest_release)"
  take_plan plan-oneshot-2
  reboot_issued warm
  reboot_cmd warm-reboot warmboot reboot --yes
  expect_reboot 240
}

step_3() {
  check warm-is-plan test "$(uname -r)" = "$(plan_version "$state/plan-oneshot-2.json")" -a \
    "$(uname -r)" = "$(newest_release)"
  check warm-cmdline-is-plan test "$(cat /proc/cmdline)" = "$(plan_cmdline "$state/plan-oneshot-2.json")"
  check oneshot-used-up oneshot_gone
  take_plan plan-after
  check plan-after test "$(plan_version "$state/plan-after.json")" = "$(oldest_release)" -a \
    "$(plan_version "$state/plan-saved.json")" = "$(oldest_release)"
  cold_reboot
}

step_4() {
  check cold-is-default test "$(uname -r)" = "$(plan_version "$state/plan-after.json")"
  check cold-cmdline-is-default test "$(booted_cmdline)" = "$(plan_cmdline "$state/plan-after.json")"
  return 0
}

# ---- Host ----------------------------------------------------------------------------------------
host_check() {
  local n
  # x86 names the loader of each boot; arm64 has no such field, and the generic checks prove that
  # boot 3 came from a kexec (boots 1, 2 and 4 start their QEMU runs: the firmware's).
  if [[ ${KIND_WARM_LOADER:-208} != none ]]; then
    for n in 1 2 4; do
      [[ $(vm_field boot $n loader) == 33 ]] || vm_fail "boot $n: loader $(vm_field boot $n loader), expected 33 (cold, EFI stub)"
    done
    [[ $(vm_field boot 3 loader) == 208 ]] || vm_fail "boot 3: loader $(vm_field boot 3 loader), expected 208 (warm)"
  fi
  [[ $(vm_field boot 1 uname) == "$NEWEST" && $(vm_field boot 2 uname) == "$OLDEST" &&
    $(vm_field boot 3 uname) == "$NEWEST" && $(vm_field boot 4 uname) == "$OLDEST" ]] ||
    vm_fail "kernels booted: $(vm_field boot 1 uname) $(vm_field boot 2 uname) $(vm_field boot 3 uname) $(vm_field boot 4 uname), expected $NEWEST $OLDEST $NEWEST $OLDEST"
  return 0
}
