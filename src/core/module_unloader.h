// SPDX-License-Identifier: Apache-2.0
// Kernel modules, as much as unloading them before a handover needs: whether one is loaded, who
// holds it, and removing it. The real one is KmodModuleUnloader (libkmod); tests use
// FakeModuleUnloader. The order of removal is worked out by core/module_order.h.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace warmboot {

class ModuleUnloader {
 public:
  virtual ~ModuleUnloader() = default;

  // Whether the module is loaded now ("nvidia-drm" and "nvidia_drm" are the same module).
  virtual Result<bool> is_loaded(const std::string& name) = 0;
  // Loaded modules that use it (/sys/module/NAME/holders), as kmod names them.
  virtual Result<std::vector<std::string>> holders(const std::string& name) = 0;
  // delete_module(2) without force; EBUSY while something still uses it.
  virtual Status unload(const std::string& name) = 0;
};

}  // namespace warmboot
