// SPDX-License-Identifier: Apache-2.0
// Asking PID 1 about units and jobs, and starting, stopping and isolating units: what the hooks
// (leave a graphical session) and `warmboot enable` (daemon-reload, start the stage unit) need.
// The real one is SystemdUnitControl (os/systemd_unit_control.h); tests use FakeUnitControl.
// Kept apart from SystemdClient, which only hands the machine over.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace warmboot {

// One entry of PID 1's ListJobs.
struct UnitJob {
  uint32_t id = 0;
  std::string unit;  // "reboot.target"
  std::string type;  // "start", "stop", ...

  bool operator==(const UnitJob&) const = default;
};

class UnitControl {
 public:
  virtual ~UnitControl() = default;

  // The unit's ActiveState ("active", "inactive", "activating", ...); "inactive" when not loaded.
  virtual Result<std::string> active_state(const std::string& unit) = 0;
  // Every job queued in PID 1.
  virtual Result<std::vector<UnitJob>> jobs() = 0;
  // `systemctl isolate UNIT`, waiting for the job to finish.
  virtual Status isolate(const std::string& unit) = 0;
  // `systemctl daemon-reload`.
  virtual Status reload() = 0;
  // `systemctl start UNIT` / `systemctl stop UNIT`, waiting for the job.
  virtual Status start(const std::string& unit) = 0;
  virtual Status stop(const std::string& unit) = 0;
};

// True when a job starting `target` is queued: e.g. reboot.target while the machine goes down.
bool start_job_queued(const std::vector<UnitJob>& jobs, const std::string& target);

}  // namespace warmboot
