// SPDX-License-Identifier: Apache-2.0
// systemd-boot's choice of default entry: loader.conf (loader.conf(5)) and the EFI variables
// systemd-boot and bootctl keep (systemd's Boot Loader Interface).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/boot_entry.h"
#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

struct LoaderConf {
  std::string default_pattern;         // "default": a glob over entry ids, or "@saved"; "" if unset
  std::optional<std::string> timeout;  // "timeout", verbatim ("5", "menu-force", ...)
};

// "key value" lines; "#" starts a comment line; a value in double quotes loses them; the last
// occurrence of a key wins; other keys are ignored. Binary data (NUL or control bytes) fails.
Result<LoaderConf> parse_loader_conf(std::string_view text, std::string_view path);

// Glob match of a loader.conf/EFI variable pattern against an entry id: "*", "?", "[a-z]",
// "[!x]"/"[^x]", "\" escapes the next character. ASCII case-insensitive (systemd-boot folds ids
// and patterns to lower case; the ESP is FAT). systemd-boot's type #1 ids end in ".conf" where ours
// do not, so the pattern may include or omit ".conf": "arch.conf", "arch" and "arch*" all match id
// "arch". Type #2 ids end in ".efi" ("arch-linux.efi") and are matched as they are.
bool loader_glob_match(std::string_view pattern, std::string_view id);

// Decodes an efivarfs file holding a string variable: 4 bytes of attributes, then UTF-16LE up to
// an optional NUL. nullopt when the size is odd or shorter than the attributes, or a character is
// outside ASCII.
std::optional<std::string> decode_efi_string_var(std::string_view bytes);

struct SdBootDefault {
  std::optional<size_t> index;  // into the sorted entries; nullopt when there are none
  std::string reason;           // which setting chose it, for humans
  bool one_shot = false;        // LoaderEntryOneShot chose it
};

// The efivarfs file of systemd-boot's LoaderEntryOneShot.
inline constexpr const char* kLoaderEntryOneShotPath =
    "/sys/firmware/efi/efivars/LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";

// The entry systemd-boot would start, as it decides:
//   1. the EFI variable LoaderEntryOneShot (set by `bootctl set-oneshot` or
//      `systemctl reboot --boot-loader-entry`; systemd-boot deletes it when it boots),
//   2. the EFI variable LoaderEntryDefault (`bootctl set-default`, the menu's "d" key),
//   3. loader.conf's `default`,
//   4. the first entry of the sorted list.
// A value of "@saved" (in the variable or loader.conf) means the EFI variable
// LoaderEntryLastBooted, which systemd-boot updates on every boot when so configured. Each value is
// a glob; when it matches several entries the first in sorted order wins (loader.conf(5): "the one
// with the highest priority", i.e. highest in the menu). A value that matches nothing falls through
// to the next step, as in systemd-boot.
//
// loader.conf is looked for in /efi, /boot/efi and /boot (loader/loader.conf; the first found is
// used); without one the result is nullopt (systemd-boot is not configured here). Unreadable or
// malformed EFI variables are treated as unset; an unreadable or malformed loader.conf is an error.
Result<std::optional<SdBootDefault>> systemd_boot_default(
    const FileSystem& fs, const std::vector<BootEntry>& sorted_entries);

}  // namespace warmboot
