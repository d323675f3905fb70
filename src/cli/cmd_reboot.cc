// SPDX-License-Identifier: Apache-2.0
// `warmboot reboot`: plan, confirm, then the handover sequence (core/handover_sequence.h) through
// systemd, or directly with --force.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/handover_executor.h"
#include "cli/plan_output.h"
#include "cli/report.h"

namespace warmboot {
namespace {

bool confirmed(Context& ctx, const Plan& plan, const RebootOptions& options) {
  if (options.yes) return true;
  if (!ctx.confirm) {
    fmt::print(ctx.err,
               "warmboot: reboot: refusing to reboot without --yes (no terminal to ask on)\n");
    return false;
  }
  return ctx.confirm(fmt::format("Reboot now into {} ({})?", plan.kernel,
                                 plan.version.value_or("unknown version")));
}

}  // namespace

ExitCode cmd_reboot(Context& ctx, const Invocation& in) {
  const RebootOptions& options = in.reboot;
  auto plan = plan_from_system(ctx.fs, ctx.facts(), in.selection);
  if (!plan) return fail(ctx, plan.error(), ExitCode::NoKernel);
  const HandoverRequest handover = make_handover_request(
      ctx, *plan, options, options.force ? HandoverPath::Direct : HandoverPath::Systemd);
  if (options.dry_run) {
    fmt::print(ctx.out, "dry run: nothing is changed\n");
    print_plan(ctx.out, *plan);
    print_handover_steps(ctx, *plan, handover);
    return ExitCode::Ok;
  }
  if (refuse_offline_root(ctx, "reboot")) return ExitCode::Refused;
  if (!confirmed(ctx, *plan, options)) return ExitCode::Refused;
  return run_handover(ctx, *plan, handover);
}

}  // namespace warmboot
