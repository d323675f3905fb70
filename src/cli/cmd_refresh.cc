// SPDX-License-Identifier: Apache-2.0
// `warmboot refresh`: keeps the staged kernel what the boot loader would boot. Run by the kernel
// and initramfs hooks the package installs (/etc/kernel/postinst.d, /etc/kernel/postrm.d,
// /etc/initramfs/post-update.d) and, while warm reboots are enabled, by warmboot-refresh.path when
// the boot loader's choice changes (grubenv, grub.cfg, systemd-boot's EFI variables and entries).
// A kernel warmboot staged that is no longer the plan, or whose files were rewritten since
// (update-initramfs -u, a DKMS rebuild, a same-ABI update), is staged anew when warm reboots are
// enabled and [handover] stage_ahead says ahead (core/stage_ahead.h), and unloaded otherwise: a
// plain reboot (which systemd >= 255 turns into a kexec whenever a kernel is loaded) must never
// hand over to a stale copy. With nothing staged, the plan is staged when it is to be staged ahead.
// The same plan, still staged, is left as it is; so is another tool's kernel, and one a reboot
// under way is handing over to. Writes nothing the path unit watches (only /run/warmboot and the
// metrics file), so it cannot trigger itself. Never fails the package operation that runs it.
// The path unit cannot start it again while it runs: a change made meanwhile (update-grub, then
// grub-set-default a second later) would start nothing. So after each pass the plan is computed
// again, and one that changed meanwhile makes another pass (at most kRefreshPasses).
#include <syslog.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <map>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/handover_executor.h"
#include "cli/metrics_refresh.h"
#include "core/enable_setup.h"
#include "core/stage_ahead.h"
#include "core/staged_record.h"

namespace warmboot {
namespace {

using Fields = std::map<std::string, std::string>;

void say(Context& ctx, int priority, const std::string& message, const Fields& fields = {}) {
  ctx.journal.log(priority, message, fields);
  fmt::print(priority <= LOG_WARNING ? ctx.err : ctx.out, "warmboot: {}\n", message);
}

std::string kernel_of(const Plan& plan) {
  return fmt::format("{} ({})", plan.kernel, plan.version.value_or("unknown version"));
}

constexpr int kRefreshPasses = 3;

// What one pass decided on: the plan it compared with what is staged (none when it stopped before
// computing one, or there was none).
struct RefreshPass {
  bool planned = false;
  std::optional<Plan> plan;
};

RefreshPass refresh_pass(Context& ctx, const Invocation& in) {
  RefreshPass pass;
  auto loaded = ctx.kexec.is_loaded();
  RefreshFacts facts;
  facts.loaded = loaded && *loaded;
  const bool enabled = enable_state(ctx.fs) == EnableState::Enabled;
  if (!facts.loaded && (!enabled || in.config.stage_ahead == StageAhead::Off)) {
    fmt::print(ctx.out, "warmboot: nothing staged: nothing to refresh\n");
    return pass;
  }
  facts.reboot_under_way = reboot_under_way(ctx.fs, ctx.facts().boot_id);
  auto locked = staging_lock(ctx);
  if (!locked) {
    fmt::print(ctx.err, "warmboot: {}\n", locked.error().str());
    return pass;  // never fail a package operation
  }
  auto record = read_staged_record(ctx.fs);
  facts.ours = record.has_value();
  auto plan = plan_from_system(ctx.fs, ctx.facts(), in.selection);
  facts.have_plan = plan.ok();
  pass.planned = true;
  if (plan) pass.plan = *plan;
  facts.staged_is_plan =
      plan && record && record_is_current(*record, *plan, ctx.facts().boot_id, ctx.fs);
  // Why it is (not) staged ahead, for the messages.
  std::string ahead = enabled ? "no plan" : "not enabled";
  if (plan && enabled) {
    const StageAheadDecision decision =
        decide_stage_ahead(ctx.fs, ctx.facts(), in.config.stage_ahead, *plan);
    facts.stage_ahead = decision.ahead;
    ahead = "stage ahead: " + describe(decision);
  }
  const std::string why = plan ? "the plan or its files changed" : plan.error().str();

  switch (decide_refresh(facts)) {
    case RefreshAction::LeaveAlone:
      fmt::print(ctx.out, "warmboot: {}: left alone\n",
                 facts.reboot_under_way ? "a reboot is handing over to the staged kernel"
                                        : "the staged kernel is not warmboot's");
      return pass;
    case RefreshAction::Nothing:
      if (facts.loaded) {
        fmt::print(ctx.out, "warmboot: the staged kernel is still the plan\n");
      } else {
        fmt::print(ctx.out, "warmboot: nothing staged; {}\n",
                   plan ? ahead : "no plan: " + plan.error().str());
      }
      return pass;
    case RefreshAction::Stage: {
      *locked = HeldLock();  // released: stage_if_needed takes it again
      auto staged = stage_if_needed(ctx, *plan, in.reboot.require_signed);
      if (staged && facts.loaded) {
        say(ctx, LOG_NOTICE, fmt::format("restaged {}: {}", kernel_of(*plan), why),
            {{"event", "restaged"}, {"kernel", plan->kernel}});
        return pass;
      }
      if (staged) {
        say(ctx, LOG_NOTICE, "staged ahead: " + kernel_of(*plan),
            {{"event", "staged-ahead"}, {"kernel", plan->kernel}});
        return pass;
      }
      say(ctx, LOG_WARNING,
          fmt::format("{} failed: {}", facts.loaded ? "restaging" : "staging ahead",
                      staged.error().str()));
      if (auto still = ctx.kexec.is_loaded(); still && !*still) return pass;
      ahead = "restaging failed";
      break;  // the stale kernel goes
    }
    case RefreshAction::Unload:
      break;
  }
  (void)ctx.kexec.unload();
  (void)remove_staged_record(ctx.fs);
  refresh_metrics(ctx);  // warmboot_staged 0
  say(ctx, LOG_NOTICE, fmt::format("unloaded the stale staged kernel ({}; {})", why, ahead),
      {{"event", "unstaged-stale"}});
  return pass;
}

}  // namespace

// Never fails: a problem is logged, and the way down of the next reboot tries again.
ExitCode cmd_refresh(Context& ctx, const Invocation& in) {
  for (int n = 0; n < kRefreshPasses; ++n) {
    const RefreshPass pass = refresh_pass(ctx, in);
    if (!pass.planned) break;
    auto again = plan_from_system(ctx.fs, ctx.facts(), in.selection);
    if (again ? pass.plan == *again : !pass.plan) break;
    fmt::print(ctx.out, "warmboot: the boot loader's choice changed meanwhile: refreshing again\n");
  }
  return ExitCode::Ok;
}

}  // namespace warmboot
