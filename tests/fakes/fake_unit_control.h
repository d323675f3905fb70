// SPDX-License-Identifier: Apache-2.0
// A UnitControl for tests: set unit states and jobs; records every action as "isolate UNIT",
// "reload", "start UNIT", "stop UNIT".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/unit_control.h"

namespace warmboot {

class FakeUnitControl : public UnitControl {
 public:
  void set_state(const std::string& unit, std::string state) { states_[unit] = std::move(state); }
  void set_jobs(std::vector<UnitJob> jobs) { jobs_ = std::move(jobs); }
  void fail_actions(Error error) { action_error_ = std::move(error); }
  void fail_queries(Error error) { query_error_ = std::move(error); }
  const std::vector<std::string>& actions() const { return actions_; }

  Result<std::string> active_state(const std::string& unit) override {
    if (query_error_) return *query_error_;
    auto it = states_.find(unit);
    return it == states_.end() ? std::string("inactive") : it->second;
  }
  Result<std::vector<UnitJob>> jobs() override {
    if (query_error_) return *query_error_;
    return jobs_;
  }
  Status isolate(const std::string& unit) override { return act("isolate " + unit); }
  Status reload() override { return act("reload"); }
  Status start(const std::string& unit) override { return act("start " + unit); }
  Status stop(const std::string& unit) override { return act("stop " + unit); }

 private:
  Status act(std::string what) {
    actions_.push_back(std::move(what));
    if (action_error_) return *action_error_;
    return {};
  }

  std::map<std::string, std::string> states_;
  std::vector<UnitJob> jobs_;
  std::optional<Error> action_error_;
  std::optional<Error> query_error_;
  std::vector<std::string> actions_;
};

}  // namespace warmboot
