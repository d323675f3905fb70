// SPDX-License-Identifier: Apache-2.0
// A bootable entry as a boot loader or the /boot layout describes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace warmboot {

enum class EntryOrigin { Grub, Bls, Uki, Installed };

struct BootEntry {
  EntryOrigin origin = EntryOrigin::Installed;
  std::string id;      // GRUB --id or menu path, BLS file stem, UKI file name, or kernel path
  std::string title;   // what a menu would show
  std::string kernel;  // path inside the root (absolute, normalised)
  std::vector<std::string> initrds;    // paths inside the root, in load order
  std::optional<std::string> options;  // the command line the entry brings, if any
  std::string version;                 // kernel release if known, else empty
  std::string source_file;             // the configuration file this came from
  bool uki = false;                    // kernel is a unified kernel image (PE with .linux etc.)

  bool operator==(const BootEntry&) const = default;
};

const char* to_string(EntryOrigin origin);

}  // namespace warmboot
