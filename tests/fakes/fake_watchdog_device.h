// SPDX-License-Identifier: Apache-2.0
// A WatchdogDevice for tests: records arm and disarm calls; either can be made to fail.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/watchdog.h"

namespace warmboot {

class FakeWatchdogDevice : public WatchdogDevice {
 public:
  void fail_arm(Error error) { arm_error_ = std::move(error); }
  // What `arm` should report the driver took (drivers round); 0: what was asked.
  void round_to(int seconds) { rounded_ = seconds; }

  Result<int> arm(int seconds) override {
    calls_.push_back("arm " + std::to_string(seconds));
    if (arm_error_) return *arm_error_;
    armed_ = true;
    return rounded_ ? rounded_ : seconds;
  }
  Status disarm() override {
    calls_.push_back("disarm");
    armed_ = false;
    return {};
  }

  const std::vector<std::string>& calls() const { return calls_; }
  bool armed() const { return armed_; }

 private:
  std::optional<Error> arm_error_;
  int rounded_ = 0;
  bool armed_ = false;
  std::vector<std::string> calls_;
};

}  // namespace warmboot
