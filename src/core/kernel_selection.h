// SPDX-License-Identifier: Apache-2.0
// Turns what the user asked for (--kernel, --initrd, --append, --remove, --cmdline) and what is on
// the system into a Plan.
#pragma once

#include <string>
#include <vector>

#include "core/boot_inventory.h"
#include "core/cmdline.h"
#include "core/filesystem.h"
#include "core/machine_facts.h"
#include "core/plan.h"
#include "core/result.h"

namespace warmboot {

struct SelectionRequest {
  std::string kernel = "default";    // default | current | latest | VERSION | PATH
  std::vector<std::string> initrds;  // replaces the entry's initrds when not empty
  CmdlineEdit edit;
  std::string dtb;  // a device tree for the next kernel (arm64); "" keeps the running one
};

Result<Plan> make_plan(const FileSystem& fs, const BootInventory& inventory,
                       const RunningKernel& running, const SelectionRequest& request);

// Index into inventory.entries / installed of the entry running now, if it can be told.
std::optional<size_t> running_entry_index(const std::vector<BootEntry>& entries,
                                          const RunningKernel& running);

}  // namespace warmboot

namespace warmboot {
// Reads the running kernel and the boot inventory from `fs`, then makes the plan.
Result<Plan> plan_from_system(const FileSystem& fs, const MachineFacts& machine,
                              const SelectionRequest& request);
}  // namespace warmboot
