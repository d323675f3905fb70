#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fills a libFuzzer corpus directory with seeds for one harness: the real-world shaped files in
# tests/data (grub.cfg, grubenv, BLS entries, loader.conf and EFI variables, UKIs, kernel headers,
# the journal export, whole fixture roots as "PATH\nCONTENT" parts) and the hand-made ones in
# fuzz/seeds/<harness>/. Nothing here is committed: the corpus is made at run time.
#
#   scripts/fuzz-seeds.sh HARNESS CORPUS_DIR     e.g. grub_cfg_fuzzer build-fuzz/corpus/grub_cfg_fuzzer
#
# Used by scripts/fuzz.sh; seeds already in CORPUS_DIR are kept (names are content hashes).
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -eq 2 ] || { echo "fuzz-seeds: usage: scripts/fuzz-seeds.sh HARNESS CORPUS_DIR" >&2; exit 2; }
harness=$1
corpus=$2
data=tests/data
sep=$'\n@@\n'
mkdir -p "$corpus"

# Stores stdin as one seed named by its hash.
seed() {
  local tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -s "$tmp" ]; then
    mv "$tmp" "$corpus/seed-$(sha1sum "$tmp" | cut -c1-16)"
  else
    rm -f "$tmp"
  fi
}

# Each existing file given, one seed per file.
seed_files() {
  local file
  for file in "$@"; do [ -f "$file" ] && seed <"$file"; done
  return 0
}

# A directory tree as parts "PATH\nCONTENT" separated by "\n@@\n" (fuzz/fuzz_support.h), paths
# relative to the tree, files matching the find(1) expression given after the directory.
serialize_tree() {
  local root=$1 first=1 file
  shift
  while IFS= read -r -d '' file; do
    [ "$first" -eq 1 ] || printf '%s' "$sep"
    first=0
    printf '%s\n' "${file#"$root"}"
    cat "$file"
  done < <(find "$root" -type f "$@" -print0 | sort -z)
}

# An efivarfs string variable: attributes (NV+BS+RT), UTF-16LE text, NUL.
efi_string() {
  printf '\x07\x00\x00\x00'
  printf '%s\0' "$1" | iconv -f ASCII -t UTF-16LE
}

# newc cpio archives made with cpio(1): one, two back to back, one followed by gzip data.
cpio_seeds() {
  command -v cpio >/dev/null || return 0
  local dir
  dir=$(mktemp -d)
  mkdir -p "$dir/tree/usr/lib/modules" "$dir/tree/etc"
  echo "root" >"$dir/tree/etc/hostname"
  printf 'x%.0s' {1..300} >"$dir/tree/usr/lib/modules/dm-crypt.ko"
  (cd "$dir/tree" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$dir/one.cpio"
  (cd "$dir/tree" && find etc | cpio -o -H crc --quiet) >"$dir/crc.cpio"
  seed <"$dir/one.cpio"
  seed <"$dir/crc.cpio"
  cat "$dir/crc.cpio" "$dir/one.cpio" | seed
  { cat "$dir/one.cpio"; gzip -c <"$dir/one.cpio"; } | seed
  rm -rf "$dir"
}

case $harness in
  grub_cfg_fuzzer)
    seed_files "$data"/grub/*.cfg "$data"/roots/*/boot/grub*/grub.cfg
    for cfg in "$data"/roots/*/boot/grub*/grub.cfg; do
      env=$(dirname "$cfg")/grubenv
      [ -f "$env" ] && { cat "$cfg"; printf '%s' "$sep"; cat "$env"; } | seed
    done
    ;;
  grubenv_fuzzer)
    seed_files "$data"/roots/*/boot/grub*/grubenv
    ;;
  bls_entry_fuzzer)
    for dir in "$data"/roots/*/*/loader/entries; do
      [ -d "$dir" ] || continue
      first=1
      for entry in "$dir"/*.conf; do
        { basename "$entry"; cat "$entry"; } | seed
        [ "$first" -eq 1 ] || printf '%s' "$sep"
        first=0
        basename "$entry"
        cat "$entry"
      done | seed
    done
    ;;
  loader_conf_fuzzer)
    seed_files "$data"/roots/*/*/loader/loader.conf
    for conf in "$data"/roots/*/*/loader/loader.conf; do
      { cat "$conf"; printf '%s' "$sep"; efi_string "arch-fallback.conf"; } | seed
      { cat "$conf"; printf '%s%s' "$sep" "$sep"; efi_string "arch*"; } | seed
      { printf 'default @saved\n%s%s%s' "$sep" "$sep" "$sep"; efi_string "arch.conf"; } | seed
    done
    ;;
  pe_uki_fuzzer)
    seed_files "$data"/uki/*.efi "$data"/roots/*/*/EFI/Linux/*.efi
    ;;
  kernel_image_fuzzer)
    seed_files "$data"/uki/*.efi "$data"/roots/*/boot/vmlinuz-* "$data"/roots/*/efi/vmlinuz-*
    [ -f /bin/true ] && head -c 4096 /bin/true | seed
    ;;
  cpio_fuzzer)
    cpio_seeds
    ;;
  config_fuzzer)
    seed_files etc/warmboot.conf.example
    ;;
  journal_fuzzer)
    seed_files "$data"/journal/*.export
    ;;
  state_json_fuzzer) ;;  # fuzz/seeds only: JSON as warmboot writes it
  proc_sys_fuzzer)
    for root in "$data"/roots/*; do
      serialize_tree "$root" \( -path '*/proc/*' -o -path '*/sys/*' -o -path '*/etc/*' \
        -o -name 'config-*' \) | seed
    done
    ;;
  boot_root_fuzzer)
    for root in "$data"/roots/*; do serialize_tree "$root" | seed; done
    ;;
  cmdline_fuzzer)
    seed_files "$data"/roots/*/proc/cmdline
    ;;
  version_order_fuzzer)
    for root in "$data"/roots/*; do
      find "$root" -name 'vmlinuz*' -printf '%f\n' | sed 's/^vmlinuz-//' | seed
    done
    cat "$data"/roots/*/proc/sys/kernel/osrelease | seed
    ;;
  *)
    echo "fuzz-seeds: no seeds known for $harness (fuzz/seeds/$harness only)" >&2
    ;;
esac

if [ -d "fuzz/seeds/$harness" ]; then
  for file in "fuzz/seeds/$harness"/*; do [ -f "$file" ] && seed <"$file"; done
fi
exit 0
