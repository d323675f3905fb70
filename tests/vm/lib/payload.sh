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
#   vm_payload_disk [BINARY]  the Debian kinds: adds the binary and its libraries to VM_PAYLOAD (if
#                           given) and makes it the ext4 disk $VM_OUT/payload.img (label WBPAYLOAD)
#                           that the image's warmboot-vm.service mounts
#   vm_payload_deb DIR BINARY [ARCH]  DIR/warmboot.deb: the Debian package for ARCH (default amd64;
#                           arm64 is cross-built), dpkg-buildpackage'd into BINARY's build directory
#                           (scripts/build-deb.sh; in DIR's parent: deb.log, deb-control.txt), for
#                           cases that install it (enable), the arm64 kind and tests/fleet

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

vm_payload_disk() {
  if [[ -n ${1:-} ]]; then
    # Without its debug sections: the same code, a fraction of the size to copy in the guest.
    strip --strip-debug -o "$VM_PAYLOAD/warmboot" "$1"
    # The binary's shared libraries (but the C and C++ runtime): the guest installs those it lacks,
    # so a library warmboot starts to use works before the image recipe lists its package.
    mkdir -p "$VM_PAYLOAD/lib"
    ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
      { grep -Ev '/(libc|libm|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' || true; } | xargs -r cp -L -t "$VM_PAYLOAD/lib"
  fi
  local mib
  mib=$(($(du -sm "$VM_PAYLOAD" | cut -f1) + 16))
  mkfs.ext4 -q -F -L WBPAYLOAD -d "$VM_PAYLOAD" "$VM_OUT/payload.img" "${mib}M" >"$VM_OUT/mkfs.log" 2>&1 ||
    vm_die "mkfs.ext4 of the payload disk failed: $(cat "$VM_OUT/mkfs.log")"
  rm -rf "$VM_PAYLOAD"
}

# vm_payload_package_files DIR: what the package installs besides the binary (cmake/Install.cmake),
# into DIR/files, for cases that install it by hand in the guest (install_like_the_package).
vm_payload_package_files() {
  mkdir -p "$1/files"
  cp "$VM_REPO"/packaging/systemd/warmboot-*.service "$VM_REPO"/packaging/systemd/warmboot-*.path \
    "$VM_REPO/packaging/systemd/warmboot.shutdown" \
    "$VM_REPO/packaging/kernel/zz-warmboot" "$1/files/"
}

# The Debian package as users build it (debian/, dpkg-buildpackage, lintian: scripts/build-deb.sh),
# from this tree's files, built once per set of files and architecture into BINARY's build directory
# (deb/<arch>/; the unit tests ran with that build already: --nocheck; scripts/test.sh's package
# stage builds into the same directories and finds them done). Its log: DIR's parent, deb.log.
vm_payload_deb() {
  local dir=$1 arch=${3:-amd64} bdir logs deb
  bdir=$(dirname "$2")
  logs=$(dirname "$dir")
  if ! deb=$("$VM_REPO/scripts/build-deb.sh" --arch "$arch" --nocheck --out "$bdir/deb/$arch" 2>"$logs/deb.log"); then
    echo "payload: building the .deb failed (see $logs/deb.log):" >&2
    tail -n 20 "$logs/deb.log" >&2
    return 1
  fi
  mkdir -p "$dir"
  cp "$deb" "$dir/warmboot.deb"
  dpkg-deb -f "$deb" Version Depends >"$logs/deb-control.txt"
}
