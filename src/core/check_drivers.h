// SPDX-License-Identifier: Apache-2.0
// Loaded drivers known to misbehave across kexec: the device is not reset by firmware, and some
// drivers leave it in a state their next instance cannot take over from.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/check.h"
#include "core/filesystem.h"

namespace warmboot {

struct RiskyDriver {
  std::string_view module;
  std::string_view why;  // one line, shown to the operator
};

// The list, with the public report behind each entry in check_drivers.cc.
const std::vector<RiskyDriver>& risky_drivers();

// Module names from a /proc/modules text (first word of each line).
std::vector<std::string> loaded_modules(std::string_view proc_modules);

// "drivers": warns for every loaded risky module, with the order to unload them in (modules that
// depend on others first).
CheckResult check_drivers(const FileSystem& fs);

}  // namespace warmboot
