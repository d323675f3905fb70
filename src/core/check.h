// SPDX-License-Identifier: Apache-2.0
// One preflight check's outcome (`warmboot check`): its name, ok / warn / fail, what was seen and
// what to do about it. Pure data; the checks themselves live in check_*.h.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace warmboot {

// Fail: a warm reboot would fail (or silently turn cold). Warn: it would work, but something may
// bite. Ok: nothing to do.
enum class CheckLevel { Ok, Warn, Fail };
const char* to_string(CheckLevel level);

struct CheckResult {
  std::string name;  // short and stable, e.g. "kexec-syscall"; scripts match on it
  CheckLevel level = CheckLevel::Ok;
  std::string seen;    // one line: what was found
  std::string remedy;  // one line: what to do; empty when level is Ok

  bool operator==(const CheckResult&) const = default;
};

inline CheckResult check_ok(std::string name, std::string seen) {
  return {std::move(name), CheckLevel::Ok, std::move(seen), {}};
}
inline CheckResult check_warn(std::string name, std::string seen, std::string remedy) {
  return {std::move(name), CheckLevel::Warn, std::move(seen), std::move(remedy)};
}
inline CheckResult check_fail(std::string name, std::string seen, std::string remedy) {
  return {std::move(name), CheckLevel::Fail, std::move(seen), std::move(remedy)};
}

// The worst level among the results (Ok for none).
CheckLevel overall_level(const std::vector<CheckResult>& results);

// {"checks": [{"name", "level", "seen", "remedy"}...], "verdict": "ok" | "warn" | "fail"}
nlohmann::json to_json(const std::vector<CheckResult>& results);

}  // namespace warmboot
