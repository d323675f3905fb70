# SPDX-License-Identifier: Apache-2.0
# Shared by scripts/vm-uefi-base.sh, vm-uefi-image.sh and vm-uefi-smoke.sh (sourced, not run).
# See tests/vm/uefi-images.md.
#
# - A private apt state for Debian 13 (trixie, trixie-updates, trixie-security, and bookworm-backports
#   as a kernel fallback) under $UEFI_CACHE/apt: it resolves package versions for the cache keys
#   and downloads the kernels. The host's own apt sources and state are not touched.
# - The guest's chroot helper, the QEMU runner (serial console stamped with the host's clock), the
#   payload disk and the OVMF firmware of each variant.

UEFI_CACHE=${WARMBOOT_CACHE:-${HOME}/.cache/warmboot}/uefi
UEFI_SUITE=trixie
UEFI_PROG=${UEFI_PROG:-vm-uefi}

# The guest's architecture (Debian's name): amd64 (q35 + OVMF) or arm64 (virt + AAVMF, the Debian
# tree built through qemu-user-static). Sets UEFI_ARCH and what depends on it: UEFI_QEMU_BIN, the
# serial console UEFI_TTY, the kernel command line UEFI_CMDLINE (the boot loader's; QEMU's -append
# for a direct-kernel boot), UEFI_APT_DIR, UEFI_KIND_SUFFIX ("" or "-arm64": in cache names), and
# UEFI_EFI_BOOT (the removable path's file name).
uefi_arch() {
  UEFI_ARCH=$1
  case $UEFI_ARCH in
    amd64) UEFI_QEMU_BIN=qemu-system-x86_64 UEFI_TTY=ttyS0 UEFI_KIND_SUFFIX= UEFI_EFI_BOOT=BOOTX64.EFI ;;
    arm64) UEFI_QEMU_BIN=qemu-system-aarch64 UEFI_TTY=ttyAMA0 UEFI_KIND_SUFFIX=-arm64 UEFI_EFI_BOOT=BOOTAA64.EFI ;;
    *) uefi_die "--arch must be amd64 or arm64, not '$UEFI_ARCH'" ;;
  esac
  UEFI_CMDLINE="root=LABEL=wbroot rw console=$UEFI_TTY panic=-1"
  UEFI_APT_DIR=$UEFI_CACHE/apt$UEFI_KIND_SUFFIX
}

uefi_die() {
  echo "$UEFI_PROG: $*" >&2
  exit 1
}
uefi_say() { echo "$UEFI_PROG: $*" >&2; }

# The host's Debian mirrors (deb822 sources first, then the one-line format): UEFI_MIRROR for the
# archive, UEFI_SECURITY_MIRROR for debian-security. Defaults: deb.debian.org.
uefi_mirrors() {
  local m s
  m=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ && u { print u; exit }' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null) || true
  [[ -n $m ]] || m=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list \
    /etc/apt/sources.list.d/*.list 2>/dev/null) || true
  s=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm-security( |$)/ && u { print u; exit }' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null) || true
  [[ -n $s ]] || s=$(awk '$1 == "deb" && $3 == "bookworm-security" { print $2; exit }' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null) || true
  UEFI_MIRROR=${m:-http://deb.debian.org/debian}
  UEFI_SECURITY_MIRROR=${s:-http://deb.debian.org/debian-security}
}

# apt-get / apt-cache on the private trixie state. UEFI_APT_OFFLINE=1 after uefi_apt_update failed
# with no lists at all.
uefi_apt_opts() {
  local a=$UEFI_APT_DIR
  UEFI_APT=(-o "Dir::Etc::sourcelist=$a/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::Etc::preferencesparts=$a/preferences.d" -o "Dir::State::lists=$a/lists"
    -o "Dir::State::status=/dev/null" -o "Dir::Cache=$a/cache" -o "Dir::Cache::archives=$UEFI_CACHE/debs"
    -o "Dir::Cache::pkgcache=pkgcache.bin" -o "Dir::Cache::srcpkgcache=srcpkgcache.bin"
    -o "Acquire::Languages=none" -o "APT::Architectures::=$UEFI_ARCH" -o "APT::Sandbox::User=root"
    -o "Debug::NoLocking=true")
}
uefi_apt_get() { apt-get "${UEFI_APT[@]}" "$@"; }
uefi_apt_cache() { apt-cache "${UEFI_APT[@]}" "$@"; }

# Refresh the private lists when they are older than WARMBOOT_UEFI_APT_MAX_AGE minutes (default 360),
# or always with WARMBOOT_UEFI_APT_UPDATE=1, never with =0. A failed refresh keeps the old lists.
uefi_apt_update() {
  local a=$UEFI_APT_DIR
  mkdir -p "$a/lists/partial" "$a/cache" "$a/preferences.d" "$UEFI_CACHE/debs/partial"
  uefi_mirrors
  local want
  want=$(printf 'deb %s %s main\n' "$UEFI_MIRROR" trixie "$UEFI_MIRROR" trixie-updates \
    "$UEFI_SECURITY_MIRROR" trixie-security "$UEFI_MIRROR" bookworm-backports)
  [[ -f $a/sources.list && $(cat "$a/sources.list") == "$want" ]] || {
    echo "$want" >"$a/sources.list"
    rm -f "$a/updated"
  }
  uefi_apt_opts
  local max=${WARMBOOT_UEFI_APT_MAX_AGE:-360} mode=${WARMBOOT_UEFI_APT_UPDATE:-auto}
  if [[ $mode == 1 || ($mode != 0 && -z $(find "$a/updated" -mmin "-$max" 2>/dev/null)) ]]; then
    (
      flock 8
      # Another build may have refreshed the lists while this one waited.
      [[ $mode != 1 && -n $(find "$a/updated" -mmin "-$max" 2>/dev/null) ]] && exit 0
      if uefi_apt_get -q=2 update >"$a/update.log" 2>&1; then
        touch "$a/updated"
      else
        uefi_say "apt-get update of the private trixie lists failed (see $a/update.log); using the old lists"
      fi
    ) 8>"$a/.lock"
  fi
  UEFI_APT_OFFLINE=0
  compgen -G "$a/lists/*_Packages*" >/dev/null || UEFI_APT_OFFLINE=1
}

# uefi_apt_versions PKG...: "pkg=version" of each candidate, one a line; fails on an unknown one.
uefi_apt_versions() {
  local out
  out=$(uefi_apt_cache show --no-all-versions "$@" 2>/dev/null |
    awk '/^Package: / { p = $2 } /^Version: / { print p "=" $2 }') || true
  local p
  for p in "$@"; do
    grep -q "^$p=" <<<"$out" || { uefi_say "apt knows no package $p"; return 1; }
  done
  echo "$out"
}

# The two newest signed trixie kernels (linux-image-6.12.N+deb13[.M]-ARCH, from linux-signed-ARCH),
# oldest first, as "pkg=version". If trixie has only one, the newest bookworm-backports 6.12 joins it.
# WARMBOOT_VM_UEFI_KERNELS="pkg1 pkg2" overrides the choice.
uefi_kernels() {
  if [[ -n ${WARMBOOT_VM_UEFI_KERNELS:-} ]]; then
    # shellcheck disable=SC2086 # a list of package names
    uefi_apt_versions $WARMBOOT_VM_UEFI_KERNELS
    return
  fi
  local -a names
  mapfile -t names < <(uefi_apt_cache pkgnames linux-image-6.12 2>/dev/null |
    grep -E "^linux-image-6\\.12\\.[0-9]+\\+deb1[23](\\.[0-9]+)?-$UEFI_ARCH\$")
  ((${#names[@]})) || return 1
  # "version package" of the signed ones, for deb13 (trixie) and deb12 (bookworm-backports).
  local all deb13 deb12
  all=$(uefi_apt_cache show --no-all-versions "${names[@]}" 2>/dev/null |
    awk -v signed="linux-signed-$UEFI_ARCH" '/^Package: / { p = $2 } /^Version: / { v = $2 } /^Source: / { s = $2 }
         /^$/ { if (p != "" && s == signed) print v, p; p = v = s = "" }
         END { if (p != "" && s == signed) print v, p }')
  deb13=$(grep '+deb13' <<<"$all" | sort -V | tail -n 2) || true
  if (($(grep -c . <<<"$deb13") < 2)); then
    deb12=$(grep '+deb12' <<<"$all" | sort -V | tail -n 1) || true
    deb13=$(printf '%s\n%s\n' "$deb12" "$deb13" | sed '/^$/d')
  fi
  awk '{ print $2 "=" $1 }' <<<"$deb13"
}

# uefi_chroot ROOT CMD...: run CMD in the guest's tree with a clean environment.
uefi_chroot() {
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

# ---- QEMU ------------------------------------------------------------------------------------------
# The firmware of a variant: UEFI_OVMF_CODE, UEFI_OVMF_VARS (template), UEFI_MACHINE_ARGS. arm64:
# AAVMF (qemu-efi-aarch64) on QEMU's virt board with a Neoverse-N1 (the core of Ampere Altra and
# Graviton2) and 2 vCPUs, so that kexec has a secondary CPU to take down through PSCI.
uefi_firmware() {
  case $UEFI_ARCH-$1 in
    amd64-secureboot)
      UEFI_OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
      UEFI_OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
      UEFI_MACHINE_ARGS=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on)
      ;;
    amd64-*)
      UEFI_OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
      UEFI_OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
      UEFI_MACHINE_ARGS=(-machine q35)
      ;;
    arm64-*)
      UEFI_OVMF_CODE=/usr/share/AAVMF/AAVMF_CODE.fd
      UEFI_OVMF_VARS=/usr/share/AAVMF/AAVMF_VARS.fd
      UEFI_MACHINE_ARGS=(-machine virt -cpu neoverse-n1 -smp 2)
      ;;
  esac
}

# Running the guest's arm64 programs on this amd64 host (debootstrap's second stage, apt in the
# chroot) needs the kernel's binfmt_misc to hand them to qemu-user-static. Debian's package only
# ships the rule (/usr/lib/binfmt.d/qemu-aarch64.conf, flag F: the interpreter is opened now, so it
# works inside a chroot); systemd-binfmt registers it at boot. A machine without systemd (a
# container, a CI runner) gets it registered here: binfmt_misc mounted, the rule written.
uefi_foreign_binfmt() {
  [[ $UEFI_ARCH == amd64 ]] && return 0
  local d=/proc/sys/fs/binfmt_misc rule=/usr/lib/binfmt.d/qemu-aarch64.conf
  [[ -e $d/register ]] || mount -t binfmt_misc binfmt_misc "$d" ||
    uefi_die "cannot mount binfmt_misc on $d (needed to run arm64 programs through qemu-user-static)"
  [[ -e $d/qemu-aarch64 ]] && return 0
  [[ -f $rule ]] || uefi_die "$rule is missing (apt-get install qemu-user-static)"
  grep -v '^#' "$rule" >"$d/register" || uefi_die "registering $rule with binfmt_misc failed"
  [[ $(head -n 1 "$d/qemu-aarch64") == enabled ]] || uefi_die "binfmt_misc's qemu-aarch64 is not enabled"
}

# Prefix every console line with the host's clock (bash 5's EPOCHREALTIME) and RUN.
uefi_stamp() {
  local run=$1 line
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line//$'\r'/}
    printf '%s %s %s\n' "$EPOCHREALTIME" "$run" "$line"
    ((${UEFI_VERBOSE:-0})) && printf '%s\n' "$line" >&2
  done
  return 0
}

# uefi_qemu LOGDIR RUN TIMEOUT QEMU-ARGS...: UEFI_QEMU_BIN (TCG, no display, -no-reboot, serial
# on stdio) with the arguments given; console lines go to LOGDIR/serial.log stamped with the host's
# time and RUN. Sets UEFI_QEMU_RC (124/137: timed out), UEFI_QEMU_START/END (host epoch times).
UEFI_QEMU_PIDFILE=
uefi_qemu() {
  local dir=$1 run=$2 timeout=$3
  shift 3
  UEFI_QEMU_PIDFILE=$dir/qemu.pid
  rm -f "$UEFI_QEMU_PIDFILE"
  local qemu=("$UEFI_QEMU_BIN" -nodefaults -nographic -monitor none -accel tcg -m "${UEFI_MEMORY:-1024}"
    -no-reboot -pidfile "$UEFI_QEMU_PIDFILE" -serial stdio "$@")
  printf '%q ' "${qemu[@]}" >>"$dir/qemu-cmd.txt"
  echo >>"$dir/qemu-cmd.txt"
  UEFI_QEMU_START=$EPOCHREALTIME
  printf '%s %s HOST qemu-start\n' "$UEFI_QEMU_START" "$run" >>"$dir/serial.log"
  {
    local rc=0
    timeout --kill-after=5 "$timeout" "${qemu[@]}" </dev/null 2>>"$dir/qemu.stderr" || rc=$?
    echo "$rc" >"$dir/qemu.rc"
  } | uefi_stamp "$run" >>"$dir/serial.log" &
  wait $!
  UEFI_QEMU_END=$EPOCHREALTIME
  UEFI_QEMU_RC=$(cat "$dir/qemu.rc")
  printf '%s %s HOST qemu-exit rc=%s\n' "$UEFI_QEMU_END" "$run" "$UEFI_QEMU_RC" >>"$dir/serial.log"
  UEFI_QEMU_PIDFILE=
}

# Kill a QEMU still running (from an EXIT trap): only the process of our own pid file.
uefi_qemu_kill() {
  [[ -n ${UEFI_QEMU_PIDFILE:-} && -s $UEFI_QEMU_PIDFILE ]] || return 0
  local pid
  pid=$(cat "$UEFI_QEMU_PIDFILE" 2>/dev/null) || return 0
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == qemu-system-* ]] || return 0
  kill "$pid" 2>/dev/null
  sleep 1
  kill -9 "$pid" 2>/dev/null || true
}

# uefi_payload DIR IMAGE: an ext4 disk labelled WBPAYLOAD with DIR's files (the image's
# warmboot-vm.service mounts it read-only and runs its guest.sh after multi-user.target).
uefi_payload() {
  rm -f "$2"
  mkfs.ext4 -q -F -L WBPAYLOAD -d "$1" "$2" 32M >&2
}

uefi_arch "${UEFI_ARCH:-amd64}"
