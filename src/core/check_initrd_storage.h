// SPDX-License-Identifier: Apache-2.0
// Can the planned initrd bring up the root filesystem? When root sits on dm-crypt, LVM or md RAID,
// the initrd must carry the tools (cryptsetup, lvm, mdadm) and the kernel modules (dm_crypt,
// dm_mod, md_mod and the RAID personality) unless the planned kernel has them built in
// (/lib/modules/VERSION/modules.builtin). A kernel that boots without them waits for a root device
// that never appears: the encrypted-volume and RAID traps of warm reboots.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/filesystem.h"
#include "core/plan.h"
#include "core/result.h"
#include "core/root_storage.h"

namespace warmboot {

// What one planned initrd holds (listed by the caller; core does not decompress).
struct InitrdNames {
  std::string path;                // the initrd, or "KERNEL (.initrd)" for a UKI's own
  std::vector<std::string> names;  // entry paths
  std::optional<Error> error;      // set when it could not be listed
};

// "initrd-storage"
CheckResult check_initrd_storage(const FileSystem& fs, const Plan& plan, const RootStorage& root,
                                 const std::vector<InitrdNames>& initrds);

// "dm_crypt" for ".../dm-crypt.ko.zst": the module name with '-' turned into '_', or "" when
// `path` is not a module file.
std::string module_name_of(std::string_view path);

}  // namespace warmboot
