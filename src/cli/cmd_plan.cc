#include <fmt/format.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/plan_output.h"

namespace warmboot {

ExitCode fail(Context& ctx, const Error& error, ExitCode code) {
  fmt::print(ctx.err, "warmboot: {}\n", error.str());
  return code;
}

bool refuse_offline_root(Context& ctx, const char* command) {
  if (ctx.host_root) return false;
  fmt::print(ctx.err,
             "warmboot: {}: refusing to stage or reboot with --root: the running kernel is not the "
             "one under that root; run without --root on the machine itself\n",
             command);
  return true;
}

ExitCode cmd_plan(Context& ctx, const SelectionRequest& request) {
  auto plan = plan_from_system(ctx.fs, request);
  if (!plan) return fail(ctx, plan.error(), ExitCode::NoKernel);
  if (ctx.json) {
    ctx.out << to_json(*plan).dump(2) << "\n";
  } else {
    print_plan(ctx.out, *plan);
  }
  return ExitCode::Ok;
}

}  // namespace warmboot
