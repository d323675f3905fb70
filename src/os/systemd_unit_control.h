// SPDX-License-Identifier: Apache-2.0
// The real UnitControl. Queries (ActiveState, ListJobs) go to PID 1 over sd-bus: first its private
// socket /run/systemd/private (root only, and still there late in a shutdown when dbus.service is
// gone), then the system bus. Actions run /usr/bin/systemctl through the ProcessRunner, which waits
// for the job like an operator would.
// DANGER: isolate/start/stop act on the host. Unit tests use FakeUnitControl.
#pragma once

#include "core/process_runner.h"
#include "core/unit_control.h"
#include "os/systemd_bus.h"

namespace warmboot {

class SystemdUnitControl : public UnitControl {
 public:
  explicit SystemdUnitControl(ProcessRunner& runner) : runner_(runner) {}
  SystemdUnitControl(const SystemdUnitControl&) = delete;
  SystemdUnitControl& operator=(const SystemdUnitControl&) = delete;

  Result<std::string> active_state(const std::string& unit) override;
  Result<std::vector<UnitJob>> jobs() override;
  Status isolate(const std::string& unit) override;
  Status reload() override;
  Status start(const std::string& unit) override;
  Status stop(const std::string& unit) override;

 private:
  Status systemctl(const std::vector<std::string>& args);

  ProcessRunner& runner_;
  BusConnection bus_;
};

}  // namespace warmboot
