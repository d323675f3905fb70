// SPDX-License-Identifier: Apache-2.0
// `warmboot enable` / `warmboot disable`: see core/enable_setup.h for the design.
#include <syslog.h>

#include <optional>
#include <string>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/config_merge.h"
#include "cli/metrics_refresh.h"
#include "cli/report.h"
#include "cli/staging.h"
#include "core/enable_setup.h"
#include "core/stage_ahead.h"
#include "core/staged_record.h"

namespace warmboot {
namespace {

// Starts the stage-ahead unit when the decision the unit takes itself (core/stage_ahead.h) says
// ahead for the plan, so the kernel is staged now rather than at the next boot; says which way it
// goes. Why the unit did not stage is in its own log; that is not enable's failure.
void stage_ahead_now(Context& ctx) {
  const auto& config = ctx.config();
  if (!ctx.host_root || !ctx.units || !config || config->stage_ahead == StageAhead::Off) return;
  auto plan = plan_from_system(ctx.fs, ctx.facts(), merge_selection(*config, {}, {}));
  if (!plan) {
    fmt::print(ctx.err, "warmboot: warning: not staged ahead: {}\n", plan.error().str());
    return;
  }
  const StageAheadDecision decision =
      decide_stage_ahead(ctx.fs, ctx.facts(), config->stage_ahead, *plan);
  fmt::print(ctx.out, "stage ahead: {}\n", describe(decision));
  if (!decision.ahead) return;
  if (auto ahead = ctx.units->start(kStageAheadUnit); !ahead)
    fmt::print(ctx.err, "warmboot: warning: {}\n", ahead.error().str());
}

// `disable`: a kernel warmboot staged goes with it. Left loaded, systemd >= 255 would turn the next
// plain reboot into a kexec by itself, with no hooks and no record: disabled means cold.
void unload_ours(Context& ctx) {
  if (!ctx.host_root) return;
  auto loaded = ctx.kexec.is_loaded();
  if (!loaded || !*loaded || !read_staged_record(ctx.fs)) return;
  auto locked = staging_lock(ctx);
  if (!locked) {
    fmt::print(ctx.err, "warmboot: warning: the staged kernel stays: {}\n", locked.error().str());
    return;
  }
  if (auto unloaded = ctx.kexec.unload(); !unloaded) {
    fmt::print(ctx.err, "warmboot: warning: the staged kernel stays: {}\n", unloaded.error().str());
    return;
  }
  (void)remove_staged_record(ctx.fs);
  refresh_metrics(ctx);  // warmboot_staged 0
  fmt::print(ctx.out, "unloaded the kernel warmboot had staged\n");
}

// On the live host, systemd must see the change now: reload, then start or stop the stage unit and
// the refresh path unit (which restages when the boot loader's choice changes), and start the
// stage-ahead unit when [handover] stage_ahead says so. warmboot-record.service is neither started
// nor stopped: it runs once at each boot.
Status apply_live(Context& ctx, bool enable) {
  if (!ctx.host_root) return {};
  if (!ctx.units) return make_error("enable", "cannot reach systemd on this machine");
  if (!enable) {
    // Stopping runs ExecStop, which stages nothing: no reboot is under way and the drop-in is
    // gone. If the stop fails the unit stays active, but it no longer acts (not enabled).
    for (const char* unit : {kRefreshPathUnit, kStageUnit}) {
      if (auto stopped = ctx.units->stop(unit); !stopped)
        fmt::print(ctx.err, "warmboot: warning: {}\n", stopped.error().str());
    }
  }
  if (auto reloaded = ctx.units->reload(); !reloaded) return reloaded;
  if (!enable) return {};
  if (auto started = ctx.units->start(kStageUnit); !started) return started;
  // Without the path unit a changed boot loader choice is still caught on the way down.
  if (auto watching = ctx.units->start(kRefreshPathUnit); !watching)
    fmt::print(ctx.err, "warmboot: warning: {}\n", watching.error().str());
  stage_ahead_now(ctx);
  return {};
}

}  // namespace

ExitCode cmd_enable(Context& ctx, const Invocation&) {
  // Set when an earlier version's drop-in (without kRecordUnit) is brought up to date.
  std::optional<std::string> outdated;
  switch (enable_state(ctx.fs)) {
    case EnableState::Enabled:
      if (auto text = ctx.fs.read_file(kEnableDropIn, 1 << 16);
          text && is_earlier_drop_in_text(*text)) {
        outdated = std::move(*text);
        break;
      }
      fmt::print(ctx.out, "already enabled: a plain reboot is warm\n");
      stage_ahead_now(ctx);  // stage_ahead may have been set since
      return ExitCode::Ok;
    case EnableState::Foreign:
      return fail(
          ctx,
          make_error("enable",
                     fmt::format("{} exists and was not written by warmboot", kEnableDropIn),
                     "move it away, then run `warmboot enable` again"),
          ExitCode::Failure);
    case EnableState::Disabled:
      break;
  }
  if (auto written = ctx.fs.write_file(kEnableDropIn, enable_drop_in_text()); !written)
    return fail(ctx, written.error(), ExitCode::Failure);
  if (auto live = apply_live(ctx, true); !live) {
    // Leave the machine as it was.
    if (outdated)
      (void)ctx.fs.write_file(kEnableDropIn, *outdated);
    else
      (void)ctx.fs.remove_file(kEnableDropIn);
    return fail(ctx, live.error(), ExitCode::Failure);
  }
  ctx.journal.log(LOG_NOTICE, "enabled: plain reboots are warm", {{"event", "enable"}});
  fmt::print(ctx.out,
             "enabled: `reboot` and `systemctl reboot` now stage the plan on the way down "
             "and hand over with kexec; poweroff and halt stay cold; every boot is recorded "
             "in `warmboot history`\n");
  if (!ctx.host_root) fmt::print(ctx.out, "(under --root: takes effect when that system boots)\n");
  return ExitCode::Ok;
}

ExitCode cmd_disable(Context& ctx, const Invocation&) {
  switch (enable_state(ctx.fs)) {
    case EnableState::Disabled:
      (void)ctx.fs.remove_file(kRebootMarker);
      fmt::print(ctx.out, "not enabled: reboots are cold\n");
      return ExitCode::Ok;
    case EnableState::Foreign:
      return fail(ctx,
                  make_error("disable",
                             fmt::format("{} was changed after `warmboot enable`; "
                                         "leaving it alone",
                                         kEnableDropIn),
                             "remove it by hand and run `systemctl daemon-reload`"),
                  ExitCode::Failure);
    case EnableState::Enabled:
      break;
  }
  if (auto removed = ctx.fs.remove_file(kEnableDropIn); !removed)
    return fail(ctx, removed.error(), ExitCode::Failure);
  (void)ctx.fs.remove_file(kRebootMarker);
  if (auto live = apply_live(ctx, false); !live) return fail(ctx, live.error(), ExitCode::Failure);
  unload_ours(ctx);
  ctx.journal.log(LOG_NOTICE, "disabled: reboots are cold", {{"event", "disable"}});
  fmt::print(ctx.out, "disabled: reboots are cold again\n");
  return ExitCode::Ok;
}

}  // namespace warmboot
