// Staging shared by `load` and `reboot`: stage a plan unless this very plan is already staged in
// this boot, and keep the record under /run/warmboot/.
#pragma once

#include "cli/context.h"
#include "core/plan.h"
#include "core/result.h"

namespace warmboot {

struct StagingOutcome {
  bool already_staged = false;  // the same plan was staged earlier in this boot; nothing done
  std::string method;           // how it was staged
};

// True when the kernel reports a staged image and our record says it is `plan`, from this boot.
bool plan_is_staged(Context& ctx, const Plan& plan);

Result<StagingOutcome> stage_if_needed(Context& ctx, const Plan& plan);

}  // namespace warmboot
