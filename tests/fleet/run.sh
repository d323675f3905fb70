#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The fleet proof (issue 14): a rolling warm reboot of three Debian 12 QEMU guests with the Ansible
# collection in ansible/ (warmboot.fleet), checked against the guests' serial consoles.
#
#   tests/fleet/run.sh [--log-dir DIR] BINARY
#
# BINARY is the warmboot under test, in its CMake build directory (the .deb is made there with
# dpkg-buildpackage, scripts/build-deb.sh). Three guests (tests/fleet/guest.case, image variant ssh) run at once, each on its own
# overlay of the cached image, SSH forwarded from 127.0.0.1 only. Then, with the collection's
# playbook warmboot.fleet.rolling_warm_reboot (serial: 1, max_fail_percentage: 0):
#   roll 1  installs the .deb, `warmboot enable`, reboots each guest warm into the default (newest)
#           kernel with --remove fleet.roll --append fleet.roll=1
#   roll 2  reboots each warm into the oldest kernel (--kernel RELEASE) with fleet.roll=2
#   roll 3  guest2 gets `sysctl kernel.kexec_load_disabled=1` first: guest1 reboots warm, guest2
#           fails its check and is not rebooted, the play says why and stops: guest3 is untouched
# After each reboot: a new boot_id (the one the play reports), loader 208 (0xd0, kexec_file_load),
# QEMU never reset (-no-reboot ends it on any reset), the kernel and command line asked for, and
# the play's downtime within 2 s of the console's; per roll, no two reboot windows overlap.
# Exit status: 0 pass, 1 fail, 2 setup error, 77 skipped (no QEMU or no Ansible). Logs: DIR/fleet/
# (default: <dir of BINARY>/fleet-logs/fleet/): guestI/ (the harness's files), rollR.log (the
# play), rollR/guestI.json (the role's reports), result.txt.
# Environment: WARMBOOT_CACHE, WARMBOOT_VM_ACCEL as for tests/vm/run.sh; WARMBOOT_FLEET_PORT_BASE
# (first port to try for SSH forwarding; default random in 20000-39999).
set -euo pipefail

FLEET_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib=$FLEET_DIR/../vm/lib
# shellcheck source=tests/vm/lib/case.sh
. "$lib/case.sh"
# shellcheck source=tests/vm/lib/qemu.sh
. "$lib/qemu.sh"
# shellcheck source=tests/vm/lib/markers.sh
. "$lib/markers.sh"
# shellcheck source=tests/vm/lib/checks.sh
. "$lib/checks.sh"
# shellcheck source=tests/vm/lib/payload.sh
. "$lib/payload.sh"
# shellcheck source=tests/fleet/guests.sh
. "$FLEET_DIR/guests.sh"
# shellcheck source=tests/fleet/checks.sh
. "$FLEET_DIR/checks.sh"

usage() {
  sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

log_dir=''
while (($#)); do
  case $1 in
    --log-dir) log_dir=$2; shift 2 ;;
    -h | --help) usage ;;
    -*) vm_die "unknown option $1" ;;
    *) break ;;
  esac
done
(($# == 1)) || usage
binary=$(realpath "$1")
[[ -x $binary ]] || vm_die "BINARY $binary is not executable (cmake --build build --target warmboot)"
for tool in qemu-system-x86_64 ansible-playbook ansible-galaxy ssh ssh-keygen python3; do
  command -v "$tool" >/dev/null || { echo "fleet: SKIP: $tool is not installed (scripts/install-deps.sh)" >&2; exit 77; }
done

FLEET_OUT=${log_dir:-$(dirname "$binary")/fleet-logs}/fleet
rm -rf "$FLEET_OUT"
mkdir -p "$FLEET_OUT"
# ssh's control sockets need a short path (108 bytes): not under a deep build directory.
FLEET_CP=$(mktemp -d /tmp/warmboot-fleet-cp.XXXXXX)
trap 'fleet_kill_all; rm -rf "$FLEET_CP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- Set up: a key for this run, the .deb, the collection, the image, the guests --------------------
ssh-keygen -q -t ed25519 -N '' -C "warmboot-fleet-$$" -f "$FLEET_OUT/id_ed25519"
vm_payload_deb "$FLEET_OUT/deb" "$binary" || vm_die "building the .deb failed"
if ! { ansible-galaxy collection build --output-path "$FLEET_OUT" "$VM_REPO/ansible" &&
  ansible-galaxy collection install --force -p "$FLEET_OUT/collections" "$FLEET_OUT"/warmboot-fleet-*.tar.gz; } \
  >"$FLEET_OUT/galaxy.log" 2>&1; then
  vm_die "building or installing the collection failed: $(tail -n 5 "$FLEET_OUT/galaxy.log")"
fi
image=$("$VM_REPO/scripts/vm-debian-image.sh" --variant ssh) || vm_die "building the ssh guest image failed"
mapfile -t kernels <"$image/kernels.txt"
OLDEST=${kernels[0]} NEWEST=${kernels[-1]}
[[ $OLDEST != "$NEWEST" ]] || vm_die "the image has one kernel; the rolls need two"

fleet_pick_ports 3
for i in 1 2 3; do fleet_guest_start "$i" "$binary"; done
echo "fleet: three guests starting (SSH on 127.0.0.1:${FLEET_PORTS[*]}), logs in $FLEET_OUT" >&2
for i in 1 2 3; do
  if ! fleet_wait_ready "$i" 1 1800 || ! fleet_wait_ssh "$i" 300; then vm_die "guest$i did not come up"; fi
done

cat >"$FLEET_OUT/inventory.ini" <<EOF
[fleet]
guest1 ansible_port=${FLEET_PORTS[1]}
guest2 ansible_port=${FLEET_PORTS[2]}
guest3 ansible_port=${FLEET_PORTS[3]}

[fleet:vars]
ansible_host=127.0.0.1
ansible_user=root
ansible_ssh_private_key_file=$FLEET_OUT/id_ed25519
ansible_python_interpreter=/usr/bin/python3
EOF
cat >"$FLEET_OUT/ansible.cfg" <<EOF
[defaults]
collections_path = $FLEET_OUT/collections
host_key_checking = False
retry_files_enabled = False
show_custom_stats = True
nocolor = True
local_tmp = $FLEET_OUT/ansible-tmp
[ssh_connection]
control_path_dir = $FLEET_CP
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o IdentitiesOnly=yes -o LogLevel=ERROR
EOF

# fleet_roll R WANT_RC JSON: the collection's playbook with the role's variables JSON (and a report
# directory per roll); WANT_RC: 0, or 2 (a host failed: Ansible's status for failed hosts).
fleet_roll() {
  local roll=$1 want=$2 rc=0
  printf '%s\n' "$3" >"$FLEET_OUT/roll$roll.json"
  echo "fleet: roll $roll: ansible-playbook warmboot.fleet.rolling_warm_reboot -e @roll$roll.json" >&2
  (cd "$FLEET_OUT" && ANSIBLE_CONFIG=$FLEET_OUT/ansible.cfg ansible-playbook -i inventory.ini \
    warmboot.fleet.rolling_warm_reboot -e warm_reboot_hosts=fleet -e "@roll$roll.json" \
    -e "warm_reboot_report_dir=$FLEET_OUT/roll$roll") >"$FLEET_OUT/roll$roll.log" 2>&1 || rc=$?
  grep -E '^(fatal|failed):|: (warm|cold|fallback|warm-failed) reboot into|^guest[0-9] +:' "$FLEET_OUT/roll$roll.log" >&2 || true
  if ((rc != want)); then
    vm_fail "roll $roll: ansible-playbook exited $rc, expected $want (see $FLEET_OUT/roll$roll.log)"
    tail -n 30 "$FLEET_OUT/roll$roll.log" >&2
    return 1
  fi
}

common='"warm_reboot_timeout": 1500, "warm_reboot_history_timeout": 600, "warm_reboot_remove": ["fleet.roll"]'
# ---- Roll 1: install, enable, reboot each warm into the default kernel --------------------------------
if fleet_roll 1 0 "{$common, \"warm_reboot_deb\": \"$FLEET_OUT/deb/warmboot.deb\", \"warm_reboot_enable\": true,
    \"warm_reboot_append\": [\"fleet.roll=1\"]}"; then
  for i in 1 2 3; do
    fleet_wait_ready "$i" 2 900 || true
    fleet_check_warm "$i" 1 "$NEWEST" 2
    [[ $(fleet_ssh "$i" /usr/sbin/warmboot --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["enabled"])') == enabled ]] ||
      vm_fail "roll 1: warmboot is not installed and enabled on guest$i"
  done
  fleet_check_windows 1

  # ---- Roll 2: into the oldest kernel, chosen with --kernel -------------------------------------------
  if fleet_roll 2 0 "{$common, \"warm_reboot_kernel\": \"$OLDEST\", \"warm_reboot_append\": [\"fleet.roll=2\"]}"; then
    for i in 1 2 3; do
      fleet_wait_ready "$i" 3 900 || true
      fleet_check_warm "$i" 2 "$OLDEST" 3
    done
    fleet_check_windows 2

    # ---- Roll 3: guest2 cannot go warm: refused, and the roll stops there ------------------------------
    fleet_ssh 2 sysctl -q -w kernel.kexec_load_disabled=1 || vm_fail "roll 3: sysctl on guest2 failed"
    if fleet_roll 3 2 "{$common, \"warm_reboot_append\": [\"fleet.roll=3\"]}"; then
      fleet_wait_ready 1 4 900 || true
      fleet_check_warm 1 3 "$NEWEST" 4
      fleet_check_windows 3
      fleet_check_refused 2 3 "$FLEET_OUT/roll3.log"
      fleet_check_untouched 2 3 3
      fleet_check_untouched 3 3 3
    fi
  fi
fi

# ---- The end: power off, then each guest's whole run --------------------------------------------------
fleet_poweroff_all 300
for i in 1 2 3; do fleet_check_end "$i"; done
{
  echo "fleet: $((${#VM_FAILURES[@]} == 0 ? 1 : 0)) passed, $((${#VM_FAILURES[@]} == 0 ? 0 : 1)) failed"
  for f in "${VM_FAILURES[@]}"; do echo "  FAIL: $f"; done
  ((${#VM_FAILURES[@]} == 0)) && echo PASS || echo FAIL
} | tee "$FLEET_OUT/result.txt" >&2
((${#VM_FAILURES[@]} == 0))
