// SPDX-License-Identifier: Apache-2.0
#include "core/check.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace warmboot {

const char* to_string(CheckLevel level) {
  switch (level) {
    case CheckLevel::Ok:
      return "ok";
    case CheckLevel::Warn:
      return "warn";
    case CheckLevel::Fail:
      return "fail";
  }
  return "fail";
}

CheckLevel overall_level(const std::vector<CheckResult>& results) {
  CheckLevel worst = CheckLevel::Ok;
  for (const auto& result : results) worst = std::max(worst, result.level);
  return worst;
}

nlohmann::json to_json(const std::vector<CheckResult>& results) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& result : results) {
    checks.push_back({{"name", result.name},
                      {"level", to_string(result.level)},
                      {"seen", result.seen},
                      {"remedy", result.remedy}});
  }
  return {{"checks", std::move(checks)}, {"verdict", to_string(overall_level(results))}};
}

}  // namespace warmboot
