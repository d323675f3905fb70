// SPDX-License-Identifier: Apache-2.0
// Runs a HookPlan (core/hook_plan.h) on the machine, stopping at the first failure, and logs every
// step to the journal. Printing is the caller's business: `progress` gets one line per step.
#pragma once

#include <functional>
#include <string>

#include "core/hook_plan.h"
#include "core/interface_control.h"
#include "core/journal.h"
#include "core/module_unloader.h"
#include "core/plan.h"
#include "core/process_runner.h"
#include "core/result.h"
#include "core/unit_control.h"

namespace warmboot {

struct HookBackends {
  UnitControl& units;
  ModuleUnloader& modules;
  InterfaceControl& interfaces;
  ProcessRunner& runner;
  Journal& journal;
};

struct HookRun {
  HookPhase phase = HookPhase::Reboot;  // Shutdown on the way down: no isolate, the session ends
  std::function<void(const std::string&)> progress;  // may be empty
  double timeout_s = 60;  // each user hook's time limit ([hooks] timeout_sec)
};

Status run_hooks(const HookPlan& hooks, const Plan& plan, HookBackends& backends,
                 const HookRun& run);

// The graphical targets whose being active makes isolate_multi_user switch to multi-user.target.
inline constexpr const char* kGraphicalTarget = "graphical.target";
inline constexpr const char* kMultiUserTarget = "multi-user.target";

}  // namespace warmboot
