// SPDX-License-Identifier: Apache-2.0
#include "core/module_order.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace warmboot {

std::string normalize_module_name(std::string name) {
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

namespace {

struct Walk {
  const std::set<std::string>& listed;
  const std::map<std::string, std::vector<std::string>>& holders;
  std::set<std::string> done;
  std::set<std::string> visiting;
  std::vector<std::string> order;

  Status visit(const std::string& name) {
    if (done.count(name)) return {};
    if (visiting.count(name))
      return make_error("hooks.unload_modules",
                        fmt::format("modules hold each other around {}", name));
    auto it = holders.find(name);
    if (it == holders.end()) return {};  // not loaded
    visiting.insert(name);
    for (const auto& holder : it->second) {
      if (!listed.count(holder)) {
        return make_error("hooks.unload_modules",
                          fmt::format("{} is used by {}, which is not listed", name, holder),
                          fmt::format("add {} before {} to hooks.unload_modules", holder, name));
      }
      if (auto ok = visit(holder); !ok) return ok;
    }
    visiting.erase(name);
    done.insert(name);
    order.push_back(name);
    return {};
  }
};

}  // namespace

Result<std::vector<std::string>> module_unload_order(
    const std::vector<std::string>& listed,
    const std::map<std::string, std::vector<std::string>>& holders) {
  std::set<std::string> listed_set(listed.begin(), listed.end());
  Walk walk{listed_set, holders, {}, {}, {}};
  for (const auto& name : listed)
    if (auto ok = walk.visit(name); !ok) return ok.error();
  return walk.order;
}

}  // namespace warmboot
