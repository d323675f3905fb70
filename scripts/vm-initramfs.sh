#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the busybox initramfs of the QEMU guest tests and print its path.
#
#   scripts/vm-initramfs.sh [--kernel VMLINUZ]... [--extra SRC[:DEST]]... [--busybox BUSYBOX] BINARY
#
# Two images are built, both gzip-compressed cpio (newc):
#   inner.img      busybox (+ applet links), BINARY as /usr/sbin/warmboot (without its debug
#                  sections), every shared library either needs (ldd, followed recursively, the
#                  dynamic loader at its own path), /init from tests/vm/guest/init, and for every
#                  --kernel the virtio disk drivers (from scripts/vm-kernel.sh's cache) in
#                  /lib/modules/<release>/ with their load order in /lib/modules/<release>/load-order.
#                  The case comes on a disk (tests/vm/kinds/busybox.sh).
#   initramfs.img  inner.img followed by a second archive with /boot/vmlinuz-<release>,
#                  /boot/initrd.img-<release> (= inner.img) and /boot/config-<release> for every
#                  --kernel, plus /etc/warmboot-vm/first-boot. QEMU boots this one; a kernel warmboot
#                  hands over to gets inner.img, so the guest knows which boot it is in.
# --kernel defaults to the kernel printed by scripts/vm-kernel.sh. --extra adds a file (and its
# libraries) at DEST (default: the same path), e.g. a helper a case needs. --busybox: a static
# busybox (default: this machine's). BINARY and BUSYBOX may be another architecture's (arm64): their
# libraries then come from the multiarch directories, as that architecture's dynamic loader lists
# them (run by qemu-user through binfmt_misc), and its cross binutils strip them.
# Images are cached in ${WARMBOOT_CACHE:-~/.cache/warmboot}/initramfs/<hash>/, keyed by the content
# of every input; the newest few are kept.
set -euo pipefail

die() {
  echo "vm-initramfs: $*" >&2
  exit 1
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${WARMBOOT_CACHE:-${HOME}/.cache/warmboot}
keep=${WARMBOOT_VM_KEEP_INITRAMFS:-6}

kernels=()
extras=()
busybox=''
while (($#)); do
  case $1 in
    --kernel) kernels+=("$2"); shift 2 ;;
    --extra) extras+=("$2"); shift 2 ;;
    --busybox) busybox=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
(($# == 1)) || die "usage: $0 [--kernel VMLINUZ]... [--extra SRC[:DEST]]... BINARY"
binary=$(realpath "$1")
[[ -x $binary ]] || die "$binary is not an executable file"
((${#kernels[@]})) || kernels=("$("$here/vm-kernel.sh")")

[[ -n $busybox ]] || busybox=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
busybox=$(realpath "$busybox")
init_script=$repo/tests/vm/guest/init

# ---- Collect "DEST<TAB>SRC" for the inner image --------------------------------------------------
declare -A files=() # dest -> src

# The libraries FILE needs, as ldd prints them. ldd knows only this machine's loaders: a foreign
# executable's own loader (its ELF interpreter, e.g. /lib/ld-linux-aarch64.so.1 from libc6:arm64)
# lists them instead, run by qemu-user.
list_libs() {
  local interp out
  if out=$(LC_ALL=C ldd "$1" 2>&1); then
    echo "$out"
    return 0
  fi
  interp=$(readelf -l "$1" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
  [[ -n $interp && $(machine_of "$1") != "$(machine_of /bin/sh)" ]] || { echo "$out"; return 1; }
  [[ -x $interp ]] || { echo "its loader $interp is missing (install that architecture's libc6)"; return 1; }
  LC_ALL=C "$interp" --list "$1" 2>&1
}
machine_of() { readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p'; }

# Add SRC at DEST and, if it is dynamically linked, every library it needs at the path ldd names.
add_with_libs() {
  local src=$1 dest=$2 lib out
  [[ -n ${files[$dest]:-} ]] && return 0
  files[$dest]=$src
  # ldd prints the whole closure already; recursing on each library is cheap insurance.
  if ! out=$(list_libs "$src"); then
    [[ $out == *"not a dynamic executable"* ]] && return 0
    die "listing the libraries of $src failed: $out"
  fi
  [[ $out == *"not found"* ]] && die "$src needs a library that is missing on this host: $out"
  while read -r lib; do
    add_with_libs "$lib" "$lib"
  done < <(sed -n -e 's/^[[:space:]]*[^[:space:]]* => \(\/[^[:space:]]*\) (0x[0-9a-f]*)$/\1/p' \
    -e 's/^[[:space:]]*\(\/[^[:space:]]*\) (0x[0-9a-f]*)$/\1/p' <<<"$out")
}

add_with_libs "$busybox" /bin/busybox
add_with_libs "$binary" /usr/sbin/warmboot
for e in "${extras[@]}"; do
  src=${e%%:*}
  dest=${e#*:}
  [[ $e == *:* ]] || dest=$src
  [[ -e $src ]] || die "--extra $src does not exist"
  add_with_libs "$(realpath "$src")" "$dest"
done
files[/init]=$init_script

# The virtio disk drivers of every kernel, dependencies first (from each module's "depends=").
declare -A load_order=() # release -> module paths relative to /lib/modules/<release>/, one a line
module_deps() { # module_deps DIR NAME: the path of module NAME under DIR, after its dependencies'
  local f d
  f=$(cd "$1" && find kernel -name "$2.ko" | head -n 1)
  [[ -n $f ]] || die "no module $2 in $1"
  for d in $(tr '\0' '\n' <"$1/$f" | sed -n 's/^depends=//p' | tr ',' ' '); do module_deps "$1" "$d"; done
  echo "$f"
}
releases=()
for k in "${kernels[@]}"; do
  [[ -f $k ]] || die "kernel $k does not exist"
  b=$(basename "$k")
  [[ $b == vmlinuz-* ]] || die "kernel file must be named vmlinuz-<release>: $k"
  r=${b#vmlinuz-}
  releases+=("$r")
  mods=$(dirname "$k")/../modules/$r
  [[ -d $mods/kernel ]] || die "no modules in $mods (scripts/vm-kernel.sh unpacks them)"
  order=$(for m in virtio_pci virtio_blk; do module_deps "$mods" "$m"; done | awk '!seen[$0]++')
  load_order[$r]=$order
  while read -r m; do
    [[ -f $mods/$m ]] || die "$mods/$m is missing"
    files[/lib/modules/$r/$m]=$mods/$m
  done <<<"$order"
done

# ---- Cache key: content of every input, the busybox applet list and this script -----------------
key=$(
  {
    for d in "${!files[@]}"; do printf '%s %s\n' "$d" "$(sha256sum <"${files[$d]}" | cut -c1-64)"; done | LC_ALL=C sort
    for k in "${kernels[@]}"; do printf 'kernel %s %s\n' "$(basename "$k")" "$(sha256sum <"$k" | cut -c1-64)"; done
    for r in "${releases[@]}"; do printf 'load-order %s %s\n' "$r" "${load_order[$r]}"; done
    "$busybox" --list-full | LC_ALL=C sort
    sha256sum <"${BASH_SOURCE[0]}"
  } | sha256sum | cut -c1-20
)
out_dir=$cache/initramfs/$key
if [[ -e $out_dir/initramfs.img ]]; then
  touch "$out_dir" # keeps it among the newest for pruning
  echo "$out_dir/initramfs.img"
  exit 0
fi

mkdir -p "$cache/initramfs"
exec 9>"$cache/initramfs/.lock"
flock 9
if [[ -e $out_dir/initramfs.img ]]; then
  echo "$out_dir/initramfs.img"
  exit 0
fi

tmp=$(mktemp -d "$cache/initramfs/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Write a gzip'd newc archive of directory $1 to $2 (owned by root, sorted, no host inode numbers).
pack() {
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
    cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -6 >"$2"
}

# Inner image.
root=$tmp/inner
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,root,etc,var/tmp}
for d in "${!files[@]}"; do
  mkdir -p "$root$(dirname "$d")"
  cp -L --preserve=mode "${files[$d]}" "$root$d"
done
# Without its debug sections (a RelWithDebInfo build is ~30 times larger): the same code and data,
# and an initrd that kexec hashes and the kernel unpacks in a fraction of the time.
strip_tool="strip"
[[ $(machine_of "$binary") == AArch64 && $(machine_of /bin/sh) != AArch64 ]] && strip_tool=aarch64-linux-gnu-strip
"$strip_tool" --strip-debug "$root/usr/sbin/warmboot"
for r in "${releases[@]}"; do printf '%s\n' "${load_order[$r]}" >"$root/lib/modules/$r/load-order"; done
chmod 0755 "$root/init"
while read -r applet; do
  [[ -e $root/$applet || -L $root/$applet ]] && continue
  mkdir -p "$root/$(dirname "$applet")"
  ln -s /bin/busybox "$root/$applet"
done < <("$busybox" --list-full)
# The kernel opens /dev/console for /init before /init can mount devtmpfs.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
echo "warmboot-vm" >"$root/etc/hostname"
pack "$root" "$tmp/inner.img"

# Second archive of the outer image: /boot as on an installed system, plus the first-boot flag.
boot=$tmp/outer
mkdir -p "$boot/boot" "$boot/etc/warmboot-vm"
for i in "${!kernels[@]}"; do
  r=${releases[$i]}
  cp "${kernels[$i]}" "$boot/boot/vmlinuz-$r"
  cp "$tmp/inner.img" "$boot/boot/initrd.img-$r"
  cfg=$(dirname "${kernels[$i]}")/config-$r
  [[ -f $cfg ]] && cp "$cfg" "$boot/boot/config-$r"
done
: >"$boot/etc/warmboot-vm/first-boot"
pack "$boot" "$tmp/boot.img"
# The kernel unpacks concatenated compressed archives one after the other.
cat "$tmp/inner.img" "$tmp/boot.img" >"$tmp/initramfs.img"

{
  printf 'binary %s\n' "$binary"
  printf 'kernel %s\n' "${kernels[@]}"
  for d in "${!files[@]}"; do printf 'file %s <- %s\n' "$d" "${files[$d]}"; done | LC_ALL=C sort
} >"$tmp/inputs.txt"
mkdir -p "$out_dir"
mv "$tmp/inner.img" "$tmp/initramfs.img" "$tmp/inputs.txt" "$out_dir/"

# Prune: keep the newest $keep images (each is ~20 MB).
find "$cache/initramfs" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %p\n' |
  sort -rn | tail -n +"$((keep + 1))" | cut -d' ' -f2- | while read -r old; do rm -rf "$old"; done

echo "$out_dir/initramfs.img"
