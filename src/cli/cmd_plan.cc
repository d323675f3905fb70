// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/plan_output.h"
#include "cli/report.h"
#include "core/json_text.h"

namespace warmboot {

ExitCode cmd_plan(Context& ctx, const Invocation& in) {
  auto plan = plan_from_system(ctx.fs, ctx.facts(), in.selection);
  if (!plan) return fail(ctx, plan.error(), ExitCode::NoKernel);
  if (ctx.json) {
    ctx.out << json_text(to_json(*plan));
  } else {
    print_plan(ctx.out, *plan);
  }
  return ExitCode::Ok;
}

}  // namespace warmboot
