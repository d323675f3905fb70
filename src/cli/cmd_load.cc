// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/handover_executor.h"
#include "cli/metrics_refresh.h"
#include "cli/plan_output.h"
#include "cli/report.h"
#include "core/staged_record.h"

#include <syslog.h>

namespace warmboot {

ExitCode cmd_load(Context& ctx, const Invocation& in) {
  auto plan = plan_from_system(ctx.fs, ctx.facts(), in.selection);
  if (!plan) return fail(ctx, plan.error(), ExitCode::NoKernel);
  auto outcome = stage_if_needed(ctx, *plan, in.reboot.require_signed);
  if (!outcome) {
    ctx.journal.log(LOG_ERR, "staging failed: " + outcome.error().str());
    return fail(ctx, outcome.error(), ExitCode::StageFailed);
  }
  print_plan(ctx.out, *plan);
  fmt::print(ctx.out, "{} with {}\n", outcome->reused ? "already staged" : "staged",
             to_string(outcome->method));
  return ExitCode::Ok;
}

ExitCode cmd_unload(Context& ctx, const Invocation&) {
  auto locked = staging_lock(ctx);
  if (!locked) return fail(ctx, locked.error(), ExitCode::Failure);
  if (auto done = ctx.kexec.unload(); !done) return fail(ctx, done.error(), ExitCode::Failure);
  (void)remove_staged_record(ctx.fs);
  refresh_metrics(ctx);  // warmboot_staged 0
  fmt::print(ctx.out, "nothing staged\n");
  return ExitCode::Ok;
}

}  // namespace warmboot
