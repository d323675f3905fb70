// SPDX-License-Identifier: Apache-2.0
// The GRUB menu as the boot loader would show it, and the entry it would boot by default.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/boot_entry.h"
#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

struct GrubMenu {
  // Entries flattened in menu order (submenus contribute their entries, not themselves).
  // origin = Grub (entries blscfg added keep their own BootEntry, origin Bls);
  // id = --id if any, else the title; the title of an entry inside a submenu is
  // "Submenu Title>Entry Title". Entries that boot no Linux kernel (chainloader, fwsetup, Xen's
  // multiboot) are kept with an empty kernel so the menu stays as GRUB shows it.
  std::vector<BootEntry> entries;
  std::optional<size_t> default_index;  // what GRUB would boot, if it can be determined
  std::string default_reason;  // "saved_entry=gnulinux-6.1.0-9-amd64-advanced-..." / "default=0"
  std::vector<std::string> warnings;  // "default=7 names no entry; using the first"
  // The default came from grubenv's next_entry (`grub-reboot`): grub.cfg's header then clears it
  // with save_env, so it holds for one boot. read_grub_menu names the grubenv here.
  bool default_is_one_shot = false;
  std::string grubenv_path;
};

// Parses grub.cfg text by running it (see run_grub_script in grub_interp.h for how conditions are
// decided) with `grubenv` as what load_env loads. `bls_entries` (sorted by the caller) are inserted
// where `blscfg` runs, with $variables in their options and initrds expanded. Kernel and initrd
// paths are as grub.cfg names them, device prefix stripped ("(hd0,gpt2)/vmlinuz" -> "/vmlinuz").
// `cfg_path` names the file in errors, warnings and BootEntry::source_file.
// The default is resolved as GRUB does: `default` is a number (a top-level position, where a
// submenu counts as one item), a title, an id, or a '>'-separated path of those ("1>2",
// "gnulinux-advanced-UUID>gnulinux-6.1.0-9-amd64-advanced-UUID"; ">>" is a literal '>'). A value
// naming nothing is warned about and the first item is used; a submenu means its first entry.
// Syntax errors and runaway scripts are Errors.
Result<GrubMenu> parse_grub_menu(std::string_view grub_cfg_text, std::string_view cfg_path,
                                 const std::map<std::string, std::string>& grubenv,
                                 const std::vector<BootEntry>& bls_entries);

// The grub.cfg places read_grub_menu tries, in order ("*" is each directory, sorted).
inline constexpr std::string_view kGrubCfgPaths[] = {"/boot/grub/grub.cfg", "/boot/grub2/grub.cfg",
                                                     "/boot/efi/EFI/*/grub.cfg",
                                                     "/efi/EFI/*/grub.cfg"};

// Reads the first grub.cfg that exists and the grubenv beside it (none is fine; a damaged one is a
// warning, and GRUB then loads no variables), parses them, and resolves every kernel and initrd
// path: used as is when it is a file inside the root (symlinks followed), else "/boot" + path when
// that is (/boot is a partition of its own, so GRUB's paths are relative to it); a path found in
// neither place is kept and warned about. Returns std::nullopt inside the Result when there is no
// grub.cfg; an unreadable or unparsable grub.cfg is an Error.
Result<std::optional<GrubMenu>> read_grub_menu(const FileSystem& fs,
                                               const std::vector<BootEntry>& bls_entries);

// The kernel release in a kernel file name: "/boot/vmlinuz-6.1.0-9-amd64" -> "6.1.0-9-amd64"
// (prefix vmlinuz-, vmlinux- or bzImage-; a release starts with a digit and has a '.'), else "".
std::string grub_kernel_version(std::string_view kernel_path);

}  // namespace warmboot
