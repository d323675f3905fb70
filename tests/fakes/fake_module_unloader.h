// SPDX-License-Identifier: Apache-2.0
// A ModuleUnloader for tests: a set of loaded modules with their holders; unload() refuses with
// EBUSY while a holder is loaded, like the kernel, and records the order of removals.
#pragma once

#include <cerrno>
#include <map>
#include <string>
#include <vector>

#include "core/module_unloader.h"

namespace warmboot {

class FakeModuleUnloader : public ModuleUnloader {
 public:
  void add_module(std::string name, std::vector<std::string> holders = {}) {
    modules_[std::move(name)] = std::move(holders);
  }
  const std::vector<std::string>& unloaded() const { return unloaded_; }
  bool loaded(const std::string& name) const { return modules_.count(name) > 0; }

  Result<bool> is_loaded(const std::string& name) override { return loaded(name); }
  Result<std::vector<std::string>> holders(const std::string& name) override {
    std::vector<std::string> out;
    auto it = modules_.find(name);
    if (it == modules_.end()) return out;
    for (const auto& h : it->second)
      if (loaded(h)) out.push_back(h);
    return out;
  }
  Status unload(const std::string& name) override {
    auto held = holders(name);
    if (!loaded(name)) return errno_error("delete_module", ENOENT, name, "not loaded");
    if (!held->empty()) return errno_error("delete_module", EBUSY, name, "in use by " + (*held)[0]);
    modules_.erase(name);
    unloaded_.push_back(name);
    return {};
  }

 private:
  std::map<std::string, std::vector<std::string>> modules_;
  std::vector<std::string> unloaded_;
};

}  // namespace warmboot
