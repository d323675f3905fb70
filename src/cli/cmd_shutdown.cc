// SPDX-License-Identifier: Apache-2.0
// The two halves of an enabled warm reboot (core/enable_setup.h):
//   `warmboot stage-ahead`         ExecStart of warmboot-stage-ahead.service: stages after boot
//                                  when [handover] stage_ahead says so (core/stage_ahead.h), else
//                                  nothing;
//   `warmboot shutdown-stage`      ExecStop of warmboot-stage.service, on the way down: the
//                                  handover sequence up to the mark for the shutdown hook;
//   `warmboot shutdown-hook VERB`  from /lib/systemd/system-shutdown/warmboot.shutdown, at the end.
// Whatever fails, the reboot goes on cold, and the reason is in the journal (stderr of the unit);
// for shutdown-hook, in the kernel log (/dev/kmsg), or on stderr when that cannot be written.
#include <syslog.h>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/handover_executor.h"
#include "cli/handover_note.h"
#include "cli/report.h"
#include "core/enable_setup.h"
#include "core/shutdown_siblings.h"
#include "core/stage_ahead.h"
#include "core/staged_record.h"
#include "core/unit_control.h"

namespace warmboot {
namespace {

// For shutdown-hook: systemd-shutdown runs it after journald has stopped, with stderr leading
// nowhere, so what it says goes to the kernel log (dmesg, the console) when that can be written.
void say_at_the_end(Context& ctx, int priority, const std::string& message) {
  if (ctx.kernel_log && ctx.kernel_log->write(priority, message)) return;
  fmt::print(ctx.err, "warmboot: {}\n", message);
  ctx.err.flush();
}

// systemd-shutdown started every system-shutdown executable at once: let the others finish
// (mdadm's --wait-clean marking arrays clean, say) before the handover cuts them off; bounded, so
// a hung one cannot hold the reboot for ever.
void wait_for_sibling_hooks(Context& ctx) {
  auto siblings = sibling_shutdown_hooks(ctx.fs);
  if (siblings.empty() || !ctx.sleep) return;
  auto names = [](const std::vector<ProcessEntry>& list) {
    std::vector<std::string> out;
    for (const auto& p : list) out.push_back(fmt::format("{} ({})", p.cmdline, p.pid));
    return fmt::format("{}", fmt::join(out, ", "));
  };
  say_at_the_end(
      ctx, LOG_NOTICE,
      fmt::format("waiting for the other shutdown hooks to finish: {}", names(siblings)));
  const double start = realtime_now(ctx);
  while (!siblings.empty()) {
    if (realtime_now(ctx) - start >= kSiblingWaitSeconds) {
      say_at_the_end(ctx, LOG_WARNING,
                     fmt::format("gave up waiting after {:g} s; still running: {}",
                                 kSiblingWaitSeconds, names(siblings)));
      return;
    }
    ctx.sleep(0.2);
    siblings = sibling_shutdown_hooks(ctx.fs);
  }
  say_at_the_end(
      ctx, LOG_NOTICE,
      fmt::format("the other shutdown hooks finished after {:.1f} s", realtime_now(ctx) - start));
}

// kexec.target: systemd hands over to the kernel that is staged, by itself: since systemd 255 a
// plain `systemctl reboot` (or logind's RebootWithFlags with the kexec flag, as kured's reboot)
// becomes a kexec whenever a kernel is loaded, e.g. staged ahead; or someone ran `systemctl
// kexec` after `warmboot load`. The plan is the one warmboot staged (its selection stays: a
// `load --kernel X` is not replaced by the default), restaged if its files changed since; the
// hooks run and the handover is recorded as on reboot.target. A kernel someone else staged is left
// to systemd. If anything fails, the staged kernel is unloaded, so the kexec becomes a cold reboot
// (systemd-shutdown reboots when nothing is loaded) instead of handing over unprepared.
ExitCode shutdown_stage_for_kexec(Context& ctx, const Invocation& in) {
  auto record = read_staged_record(ctx.fs);
  if (!record) {
    std::string message =
        "kexec.target with a kernel warmboot did not stage: systemd hands over to it; "
        "warmboot's hooks do not run and the handover is not recorded";
    ctx.journal.log(LOG_WARNING, message, {{"event", "foreign-kexec"}});
    fmt::print(ctx.out, "warmboot: {}\n", message);
    return ExitCode::Ok;
  }
  const Plan plan = record->plan;
  HandoverRequest request = make_handover_request(ctx, plan, in.reboot, HandoverPath::ShutdownHook);
  request.down_target = "kexec.target";
  ExitCode done = run_handover(ctx, plan, request);
  if (done != ExitCode::Ok) {
    (void)ctx.kexec.unload();
    (void)remove_staged_record(ctx.fs);
  }
  return done;
}

}  // namespace

ExitCode cmd_shutdown_stage(Context& ctx, const Invocation& in) {
  (void)ctx.fs.remove_file(kRebootMarker);
  if (enable_state(ctx.fs) != EnableState::Enabled) {  // disabled, even if still running
    fmt::print(ctx.out, "warmboot: not enabled: nothing to do\n");
    return ExitCode::Ok;
  }
  if (!ctx.units)
    return going_cold(ctx, make_error("shutdown-stage", "no systemd"), ExitCode::Failure);
  auto jobs = ctx.units->jobs();
  if (!jobs) return going_cold(ctx, jobs.error(), ExitCode::Failure);
  if (start_job_queued(*jobs, "kexec.target")) return shutdown_stage_for_kexec(ctx, in);
  if (!start_job_queued(*jobs, "reboot.target")) {
    fmt::print(ctx.out,
               "warmboot: not rebooting (poweroff, halt or a plain stop): nothing to do\n");
    return ExitCode::Ok;
  }
  // Past this point the machine reboots whatever happens: a failure makes it a cold fallback.
  auto plan = plan_from_system(ctx.fs, ctx.facts(), in.selection);
  if (!plan) {
    note_handover(ctx, std::nullopt, nullptr);
    return going_cold(ctx, plan.error(), ExitCode::NoKernel);
  }
  return run_handover(ctx, *plan,
                      make_handover_request(ctx, *plan, in.reboot, HandoverPath::ShutdownHook));
}

ExitCode cmd_stage_ahead(Context& ctx, const Invocation& in) {
  const StageAhead setting = in.config.stage_ahead;
  if (enable_state(ctx.fs) != EnableState::Enabled || setting == StageAhead::Off) {
    fmt::print(ctx.out, "warmboot: {}: the kernel is staged on the way down of a reboot\n",
               setting == StageAhead::Off ? "stage_ahead is off" : "not enabled");
    return ExitCode::Ok;
  }
  auto not_staged = [&](const Error& why) {
    std::string message = "not staged ahead, the way down will try again: " + why.str();
    ctx.journal.log(LOG_WARNING, message, {{"event", "stage-ahead-failed"}});
    fmt::print(ctx.err, "warmboot: {}\n", message);
    return ExitCode::Ok;
  };
  auto plan = plan_from_system(ctx.fs, ctx.facts(), in.selection);
  if (!plan) return not_staged(plan.error());
  // The one decision (core/stage_ahead.h), as `enable`, `refresh` and `check` take it.
  const StageAheadDecision decision = decide_stage_ahead(ctx.fs, ctx.facts(), setting, *plan);
  if (!decision.ahead) {
    std::string message = "not staged ahead: " + describe(decision);
    ctx.journal.log(LOG_NOTICE, message, {{"event", "stage-ahead-skipped"}});
    fmt::print(ctx.out, "warmboot: {}\n", message);
    return ExitCode::Ok;
  }
  auto staged = stage_if_needed(ctx, *plan, in.reboot.require_signed);
  if (!staged) return not_staged(staged.error());
  std::string message =
      fmt::format("staged ahead: {} ({}); a reboot only checks it is still the plan", plan->kernel,
                  plan->version.value_or("unknown version"));
  ctx.journal.log(LOG_NOTICE, message, {{"event", "staged-ahead"}, {"kernel", plan->kernel}});
  fmt::print(ctx.out, "warmboot: {}\n", message);
  return ExitCode::Ok;
}

ExitCode cmd_shutdown_hook(Context& ctx, const Invocation& in) {
  // "kexec": systemd-shutdown hands over itself once every hook has exited.
  if (in.verb != "reboot" || !ctx.fs.exists(kRebootMarker)) return ExitCode::Ok;
  auto loaded = ctx.kexec.is_loaded();
  if (!loaded || !*loaded) {
    say_at_the_end(ctx, LOG_WARNING, "nothing staged any more; rebooting cold");
    return ExitCode::StageFailed;
  }
  wait_for_sibling_hooks(ctx);
  say_at_the_end(ctx, LOG_NOTICE, "rebooting with kexec into the staged kernel");
  Status handed = ctx.kexec.exec_now();  // returns only on failure
  say_at_the_end(ctx, LOG_ERR,
                 "kexec failed, rebooting cold: " + (handed ? "returned" : handed.error().str()));
  return ExitCode::HandoverFailed;
}

}  // namespace warmboot
