# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# The payload: what a case brings into the guest, the same for every kind. The kind decides how it
# gets there (a tar on a raw disk, an ext4 disk, ...) and adds what its guest needs (e.g. the binary).
#
#   vm_payload_dir BINARY   fills VM_PAYLOAD=$VM_OUT/payload/ with
#                             guest.sh      the kind's guest script (tests/vm/guest/$KIND_GUEST)
#                             guest-lib.sh  the shared guest helpers (tests/vm/guest/lib.sh)
#                             case          the case file
#                           and whatever the case's host_payload DIR BINARY puts into DIR (in the
#                           guest that directory is $payload).

vm_payload_dir() {
  VM_PAYLOAD=$VM_OUT/payload
  rm -rf "$VM_PAYLOAD"
  mkdir -p "$VM_PAYLOAD"
  cp "$VM_REPO/tests/vm/guest/$KIND_GUEST" "$VM_PAYLOAD/guest.sh"
  cp "$VM_REPO/tests/vm/guest/lib.sh" "$VM_PAYLOAD/guest-lib.sh"
  cp "$VM_CASE_FILE" "$VM_PAYLOAD/case"
  if declare -F host_payload >/dev/null; then
    host_payload "$VM_PAYLOAD" "$1" || vm_die "the case's host_payload failed"
  fi
}
