// SPDX-License-Identifier: Apache-2.0
// The order in which listed kernel modules can be unloaded: every module after the modules that
// hold it (nvidia_drm and nvidia_modeset before nvidia). Pure; the holders come from libkmod.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace warmboot {

// "nvidia-drm" -> "nvidia_drm": the kernel treats '-' and '_' in module names alike.
std::string normalize_module_name(std::string name);

// `listed`: the configured modules (normalized). `holders`: for every loaded module reached, the
// loaded modules holding it; a listed module absent from `holders` is not loaded and is skipped.
// A holder that is not listed is an error: it would keep its module in place.
Result<std::vector<std::string>> module_unload_order(
    const std::vector<std::string>& listed,
    const std::map<std::string, std::vector<std::string>>& holders);

}  // namespace warmboot
