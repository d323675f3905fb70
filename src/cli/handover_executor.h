// SPDX-License-Identifier: Apache-2.0
// Runs the one handover sequence (core/handover_sequence.h) against the machine, for
// `warmboot reboot` (path Systemd or Direct) and for the way down of an enabled plain reboot
// (path ShutdownHook), and prints it for --dry-run. Its staging step is cli/staging.h.
#pragma once

#include "cli/commands.h"
#include "cli/staging.h"
#include "core/handover_sequence.h"
#include "core/plan.h"

namespace warmboot {

// The request for `plan` under `options` on `path`: what is staged, the vetted hooks.
HandoverRequest make_handover_request(Context& ctx, const Plan& plan, const RebootOptions& options,
                                      HandoverPath path);

// "N. ..." for every step, as --dry-run shows them.
void print_handover_steps(Context& ctx, const Plan& plan, const HandoverRequest& request);

// Runs every step in order, applying each step's failure rule. Returns the exit code: Ok when the
// handover (or, by the fallback rules, a cold reboot) is under way.
ExitCode run_handover(Context& ctx, const Plan& plan, const HandoverRequest& request);

}  // namespace warmboot
