#include "cli/reboot_hooks.h"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "os/hook_runner.h"

namespace warmboot {

Status run_reboot_hooks(Context& ctx, const Plan& plan, const RebootOptions& options,
                        const std::string& phase) {
  if (options.no_hooks) return {};
  auto hooks = make_hook_plan(options.hooks, ctx.fs);
  if (!hooks) return hooks.error();
  if (hooks->empty() && hooks->skipped.empty()) return {};
  if (!ctx.units || !ctx.modules || !ctx.interfaces)
    return make_error("hooks", "this machine cannot run hooks", "use --no-hooks");
  HookBackends backends{*ctx.units, *ctx.modules, *ctx.interfaces, ctx.runner, ctx.journal};
  HookRun run{phase, [&ctx](const std::string& line) {
                fmt::print(ctx.out, "warmboot: hook: {}\n", line);
                ctx.out.flush();
              }};
  return run_hooks(*hooks, plan, backends, run);
}

int print_hook_steps(Context& ctx, const RebootOptions& options, int step) {
  if (options.no_hooks) {
    fmt::print(ctx.out, "{}. no hooks (--no-hooks)\n", step);
    return step + 1;
  }
  auto hooks = make_hook_plan(options.hooks, ctx.fs);
  if (!hooks) {
    fmt::print(ctx.out, "{}. hooks would be REFUSED: {}\n", step, hooks.error().str());
    return step + 1;
  }
  if (hooks->empty()) return step;
  fmt::print(ctx.out, "{}. run hooks; if one fails: no warm reboot (fallback rules apply)\n", step);
  if (hooks->isolate_multi_user)
    fmt::print(ctx.out, "   if graphical.target is active: systemctl isolate multi-user.target\n");
  for (const auto& path : hooks->user_hooks) fmt::print(ctx.out, "   run {}\n", path);
  if (!hooks->modules.empty())
    fmt::print(ctx.out, "   unload modules (holders first): {}\n", fmt::join(hooks->modules, " "));
  if (!hooks->interfaces.empty())
    fmt::print(ctx.out, "   bring down: {}\n", fmt::join(hooks->interfaces, " "));
  return step + 1;
}

}  // namespace warmboot
