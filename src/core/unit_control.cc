// SPDX-License-Identifier: Apache-2.0
#include "core/unit_control.h"

namespace warmboot {

bool start_job_queued(const std::vector<UnitJob>& jobs, const std::string& target) {
  for (const auto& job : jobs)
    if (job.unit == target && job.type == "start") return true;
  return false;
}

}  // namespace warmboot
