// SPDX-License-Identifier: Apache-2.0
// An InterfaceControl for tests: known interfaces and their state; records what went down.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/interface_control.h"

namespace warmboot {

class FakeInterfaceControl : public InterfaceControl {
 public:
  void add_interface(std::string name, bool up = true) { up_[std::move(name)] = up; }
  bool is_up(const std::string& name) const {
    auto it = up_.find(name);
    return it != up_.end() && it->second;
  }
  const std::vector<std::string>& downed() const { return downed_; }

  Result<bool> set_down(const std::string& name) override {
    auto it = up_.find(name);
    if (it == up_.end()) return false;
    it->second = false;
    downed_.push_back(name);
    return true;
  }

 private:
  std::map<std::string, bool> up_;
  std::vector<std::string> downed_;
};

}  // namespace warmboot
