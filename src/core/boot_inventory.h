// SPDX-License-Identifier: Apache-2.0
// Everything bootable on a system and which entry the boot loader would pick: GRUB (with blscfg),
// systemd-boot (BLS entries and unified kernel images), or plain installed kernels.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/boot_entry.h"
#include "core/filesystem.h"
#include "core/machine_facts.h"
#include "core/result.h"

namespace warmboot {

enum class LoaderKind { None, Grub, SystemdBoot };
const char* to_string(LoaderKind kind);

struct BootInventory {
  LoaderKind loader = LoaderKind::None;
  std::vector<BootEntry> entries;       // the boot loader's entries, in menu order
  std::optional<size_t> default_index;  // into entries
  std::string default_reason;           // why that one ("saved_entry=...", "loader.conf default")
  // Where the one-time choice that picked the default is kept (see Plan::one_shot), if one did.
  std::optional<std::string> default_one_shot;
  std::optional<Error> loader_error;  // the boot loader's configuration could not be read
  std::vector<BootEntry> installed;   // kernels on disk, newest first
  std::vector<std::string> warnings;
};

BootInventory read_boot_inventory(const FileSystem& fs);

}  // namespace warmboot
