// SPDX-License-Identifier: Apache-2.0
// The real ModuleUnloader: libkmod on the running kernel.
#pragma once

#include "core/module_unloader.h"

struct kmod_ctx;

namespace warmboot {

// A real one: libkmod on the running kernel. DANGER: unloads modules on the host.
class KmodModuleUnloader : public ModuleUnloader {
 public:
  KmodModuleUnloader();
  ~KmodModuleUnloader() override;
  KmodModuleUnloader(const KmodModuleUnloader&) = delete;
  KmodModuleUnloader& operator=(const KmodModuleUnloader&) = delete;

  Result<bool> is_loaded(const std::string& name) override;
  Result<std::vector<std::string>> holders(const std::string& name) override;
  Status unload(const std::string& name) override;

 private:
  ::kmod_ctx* ctx_ = nullptr;
};

}  // namespace warmboot
