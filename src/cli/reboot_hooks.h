// The hooks as the CLI runs them: from RebootOptions (config [hooks], --no-hooks) and the Context's
// backends; and the dry-run description.
#pragma once

#include <ostream>
#include <string>

#include "cli/commands.h"
#include "core/hook_plan.h"
#include "core/plan.h"

namespace warmboot {

// Runs the hooks unless --no-hooks. `phase` is "reboot" or "shutdown". Errors are already logged.
Status run_reboot_hooks(Context& ctx, const Plan& plan, const RebootOptions& options,
                        const std::string& phase);

// "N. run hooks: ..." lines for --dry-run; prints nothing when there are none. Returns next step.
int print_hook_steps(Context& ctx, const RebootOptions& options, int step);

}  // namespace warmboot
