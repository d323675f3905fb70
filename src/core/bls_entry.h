// SPDX-License-Identifier: Apache-2.0
// Boot Loader Specification entries: type #1 (loader/entries/*.conf text files) and type #2
// (unified kernel images in EFI/Linux/*.efi), in the order the specification (and systemd-boot)
// shows them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/boot_entry.h"
#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

struct BlsEntry {
  BootEntry entry;
  std::string sort_key;    // "sort-key" (type #2: os-release IMAGE_ID, else ID)
  std::string machine_id;  // "machine-id" (none for type #2)
  std::string version;     // "version", verbatim (type #2: os-release IMAGE_VERSION, VERSION,
                           // VERSION_ID or BUILD_ID, else .uname): the sort version
  // Boot counting: "+LEFT[-DONE]" before the suffix of the file name; nullopt when not counted.
  // An entry with no tries left is "bad" and sorts last.
  std::optional<unsigned> tries_left;
  unsigned tries_done = 0;
  std::string architecture;  // "architecture" (EFI names: x64, ia32, aa64, ...), as written
  std::string devicetree;    // "devicetree", resolved like linux
};

// Parses one type #1 entry. `path` names the file (inside the root); the id is its name without
// ".conf" and without a boot counting suffix ("foo+3-1.conf" → "foo"). `partition_prefix` is where
// the partition holding the entries directory is mounted ("/boot", "/efi", "/boot/efi" or ""):
// linux/initrd/efi/devicetree paths are relative to that partition's root and get it prepended.
// Keys: title, version, machine-id, sort-key, linux, initrd (repeatable, order kept), efi, options
// (repeatable, joined with spaces), devicetree, architecture; "#" comments; other keys ignored;
// single-valued keys: the last one wins. `efi` without `linux` makes a UKI entry (entry.uki).
// Values are taken verbatim (no "$kernelopts" expansion; GRUB-specific keys are ignored).
// Fails on binary data or invalid UTF-8, and when neither linux nor efi is given.
Result<BlsEntry> parse_bls_entry(std::string_view text, std::string_view path,
                                 std::string_view partition_prefix);

// The specification's order (UAPI.1 "Sorting"), stable:
//   1. entries with no boot tries left ("+0-N") after all others;
//   2. entries with a sort-key before those without; among them sort-key ascending (strcmp),
//      then machine-id ascending, then version descending (compare_versions);
//   3. finally the id descending in version order ("…-6.6.1…" before "…-6.5.6…").
// Empty strings compare lowest, as the specification says.
void sort_bls_entries(std::vector<BlsEntry>& entries);

// All entries on /boot, /efi and /boot/efi: loader/entries/*.conf (type #1) and EFI/Linux/*.efi
// UKIs that carry .osrel (type #2), sorted as above. A directory reachable twice (a symlink or a
// bind mount) counts once: files with the same name and content are read once. Entries whose
// architecture is not this machine's are hidden, as the specification says. When a type #1 path
// does not exist on the partition but exists relative to the root (Fedora with /boot on the root
// file system writes "linux /boot/vmlinuz-…"), the root-relative paths are used. The release
// (entry.version) comes from the version key, the kernel's file name, or its bzImage header.
//
// Files that cannot be read or parsed are left out and described in `skipped` (when given);
// the call fails only when no entry could be read and something was skipped.
Result<std::vector<BootEntry>> read_bls_entries(const FileSystem& fs,
                                                std::vector<Error>* skipped = nullptr);

}  // namespace warmboot
