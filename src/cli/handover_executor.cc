// SPDX-License-Identifier: Apache-2.0
#include "cli/handover_executor.h"

#include <syslog.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/handover_note.h"
#include "cli/handover_watchdog.h"
#include "cli/report.h"
#include "core/guard_pin.h"
#include "core/hook_runner.h"
#include "core/logind_policy.h"
#include "core/one_shot.h"
#include "core/staged_record.h"
#include "core/watchdog.h"

namespace warmboot {
namespace {

// One run of the sequence: what every step needs, and what a failure undoes.
class Executor {
 public:
  Executor(Context& ctx, const Plan& plan, const HandoverRequest& r)
      : ctx_(ctx), plan_(plan), r_(r) {}

  // Empty when the step succeeded; else the exit code the run ends with.
  std::optional<ExitCode> run(const HandoverStep& step) {
    switch (step.kind) {
      case StepKind::EnsureSystemd:
        return ensure_systemd();
      case StepKind::CheckInhibitors:
        return check_inhibitors();
      case StepKind::CheckPin:
        return failed(step,
                      make_error("guard", r_.pinned, "`warmboot unpin` once the cause is fixed"),
                      ExitCode::Pinned);
      case StepKind::Stage:
      case StepKind::KeepStaged:
        return stage(step);
      case StepKind::RunHooks:
        return hooks(step);
      case StepKind::MarkForShutdownHook:
        if (auto marked = ctx_.fs.write_file(kRebootMarker, plan_.kernel + "\n"); !marked)
          return failed(step, marked.error(), ExitCode::Failure);
        return std::nullopt;
      case StepKind::RecordHandover:
        record();
        return std::nullopt;
      case StepKind::ConsumeOneShot:
        consume();
        return std::nullopt;
      case StepKind::ArmWatchdog:
        watchdog_ = arm_handover_watchdog(ctx_, r_);
        return std::nullopt;
      case StepKind::HandOver:
        return hand_over();
    }
    return std::nullopt;
  }

 private:
  std::optional<ExitCode> refuse(const Error& why, ExitCode code) { return fail(ctx_, why, code); }

  std::optional<ExitCode> ensure_systemd() {
    if (!ctx_.facts().booted_with_systemd) {
      return refuse(
          make_error("reboot", "systemd is not running here, so it cannot shut down cleanly",
                     "use --force to sync and hand over directly"),
          ExitCode::HandoverFailed);
    }
    // Before anything is staged: the way to PID 1 must be open.
    if (Status reachable = ctx_.systemd.reachable(); !reachable)
      return refuse(reachable.error(), ExitCode::HandoverFailed);
    return std::nullopt;
  }

  std::optional<ExitCode> check_inhibitors() {
    auto blockers = ctx_.systemd.shutdown_blockers();
    if (!blockers) {  // no logind (no D-Bus daemon): nobody can hold a lock, but say so
      fmt::print(ctx_.err,
                 "warmboot: note: logind's shutdown inhibitors could not be checked ({}); going "
                 "on without that check\n",
                 blockers.error().str());
      return std::nullopt;
    }
    if (blockers->empty()) return std::nullopt;
    return refuse(blocked_by_inhibitors(*blockers), ExitCode::Inhibited);
  }

  std::optional<ExitCode> stage(const HandoverStep& step) {
    auto staged = stage_if_needed(ctx_, plan_, r_.require_signed);
    if (!staged) return failed(step, staged.error(), ExitCode::StageFailed);
    method_ = staged->method;
    if (staged->reused && r_.path == HandoverPath::ShutdownHook) {
      fmt::print(ctx_.out, "warmboot: {} is already staged (staged ahead): nothing to load\n",
                 plan_.kernel);
    }
    return std::nullopt;
  }

  std::optional<ExitCode> hooks(const HandoverStep& step) {
    if (r_.no_hooks) return std::nullopt;
    Status done = r_.hooks ? run_configured_hooks()
                           : Status(make_error("hooks", r_.hooks_problem, "use --no-hooks"));
    if (done) return std::nullopt;
    // The staged kernel goes: a later plain reboot must not pick it up unasked.
    (void)ctx_.kexec.unload();
    (void)remove_staged_record(ctx_.fs);
    return failed(step, done.error(), ExitCode::HookFailed);
  }

  Status run_configured_hooks() {
    const HookPlan& hooks = *r_.hooks;
    if (hooks.empty() && hooks.skipped.empty()) return {};
    if (!ctx_.units || !ctx_.modules || !ctx_.interfaces)
      return make_error("hooks", "this machine cannot run hooks", "use --no-hooks");
    HookBackends backends{*ctx_.units, *ctx_.modules, *ctx_.interfaces, ctx_.runner, ctx_.journal};
    HookRun run{r_.path == HandoverPath::ShutdownHook ? HookPhase::Shutdown : HookPhase::Reboot,
                [this](const std::string& line) {
                  fmt::print(ctx_.out, "warmboot: hook: {}\n", line);
                  ctx_.out.flush();
                },
                static_cast<double>(r_.hook_timeout_s)};
    return run_hooks(hooks, plan_, backends, run);
  }

  void record() {
    const std::string version = plan_.version.value_or("unknown version");
    if (r_.path == HandoverPath::ShutdownHook) {
      note_handover(ctx_, method_, &plan_);
      std::string message = fmt::format("{}: staged {} ({}) with {}, the reboot will be warm",
                                        r_.down_target, plan_.kernel, version, to_string(method_));
      ctx_.journal.log(LOG_NOTICE, message,
                       {{"event", "staged-for-reboot"},
                        {"kernel", plan_.kernel},
                        {"cmdline", plan_.cmdline},
                        {"method", to_string(method_)}});
      fmt::print(ctx_.out, "warmboot: {}\n", message);
      return;
    }
    std::string message = fmt::format(
        "warm reboot into {} ({}) via {}, staged with {}", plan_.kernel, version,
        r_.path == HandoverPath::Direct ? "direct kexec" : "systemd", to_string(method_));
    ctx_.journal.log(LOG_NOTICE, message,
                     {{"event", "handover"},
                      {"kernel", plan_.kernel},
                      {"cmdline", plan_.cmdline},
                      {"method", to_string(method_)}});
    fmt::print(ctx_.out, "warmboot: {}\n", message);
    ctx_.out.flush();
    note_handover(ctx_, method_, &plan_);
  }

  // The boot loader would have cleared its one-time choice by booting it; so does this handover.
  // Not fatal: the warm reboot goes on, and the next cold boot would repeat that entry once.
  void consume() {
    const std::string what = describe_one_shot(plan_.one_shot.value_or(""));
    if (Status done = consume_one_shot(ctx_.fs, plan_); !done) {
      std::string message =
          fmt::format("could not clear {} ({}): the next cold boot will boot that entry once more",
                      what, done.error().str());
      ctx_.journal.log(LOG_WARNING, message, {{"event", "one-shot-kept"}});
      fmt::print(ctx_.err, "warmboot: {}\n", message);
      return;
    }
    ctx_.journal.log(LOG_NOTICE, "cleared " + what + ": this warm reboot boots that entry",
                     {{"event", "one-shot-consumed"}});
  }

  std::optional<ExitCode> hand_over() {
    Status handed = r_.path == HandoverPath::Direct ? ctx_.kexec.exec_now() : systemd_kexec();
    if (handed) return ExitCode::Ok;
    undo_handover_watchdog(ctx_, r_, watchdog_);
    (void)ctx_.fs.remove_file(kHandoverPath);  // still here: the next boot must not say warm
    ctx_.journal.log(LOG_ERR, "handover failed: " + handed.error().str());
    fmt::print(ctx_.err, "warmboot: the kernel stays staged; `warmboot unload` drops it\n");
    return fail(ctx_, handed.error(), ExitCode::HandoverFailed);
  }

  // logind's kexec flag silently turns into a cold reboot when nothing is staged: check first.
  Status systemd_kexec() {
    auto loaded = ctx_.kexec.is_loaded();
    if (!loaded || !*loaded) {
      return errno_error("reboot_kexec", ENOENT, "/sys/kernel/kexec_loaded",
                         "no kernel is staged; a kexec reboot now would be a cold reboot",
                         "stage a kernel first");
    }
    return ctx_.systemd.reboot_kexec(r_.ignore_inhibitors);
  }

  // A step before the handover failed: refuse, reboot cold, or leave the reboot under way cold.
  std::optional<ExitCode> failed(const HandoverStep& step, const Error& why, ExitCode code) {
    switch (step.on_failure) {
      case OnFailure::Refuse:
        ctx_.journal.log(
            LOG_ERR, fmt::format("{}, nothing rebooted (--no-fallback): {}",
                                 code == ExitCode::HookFailed ? "a hook failed" : "staging failed",
                                 why.str()));
        return fail(ctx_, why, code);
      case OnFailure::RebootCold:
        return reboot_cold(why);
      case OnFailure::GoOnCold:
      default:
        note_handover(ctx_, std::nullopt, &plan_);  // the reboot under way is a fallback
        return going_cold(ctx_, why, code);
    }
  }

  ExitCode reboot_cold(const Error& why) {
    std::string message = "WARM REBOOT NOT POSSIBLE, rebooting COLD instead: " + why.str();
    fmt::print(ctx_.err, "warmboot: {}\n", message);
    ctx_.journal.log(LOG_ERR, message, {{"event", "fallback"}});
    note_handover(ctx_, std::nullopt, &plan_);
    Status done = r_.path == HandoverPath::Direct ? ctx_.kexec.cold_reboot_now()
                                                  : ctx_.systemd.reboot_cold(r_.ignore_inhibitors);
    if (done) return ExitCode::Ok;
    (void)ctx_.fs.remove_file(kHandoverPath);  // nothing left: the next boot must not say fallback
    return fail(ctx_, done.error(), ExitCode::HandoverFailed);
  }

  Context& ctx_;
  const Plan& plan_;
  const HandoverRequest& r_;
  StagingMethod method_ = StagingMethod::FileLoad;
  HandoverWatchdog watchdog_;
};

}  // namespace

HandoverRequest make_handover_request(Context& ctx, const Plan& plan, const RebootOptions& options,
                                      HandoverPath path) {
  HandoverRequest r;
  r.path = path;
  r.already_staged = ctx.host_root && plan_is_staged(ctx, plan);
  r.ignore_inhibitors = options.ignore_inhibitors;
  r.no_fallback = options.no_fallback;
  r.no_hooks = options.no_hooks;
  r.hook_timeout_s = options.hooks.timeout_sec;
  r.one_shot = plan.one_shot.has_value();
  r.require_signed = options.require_signed;
  r.ignore_pin = options.ignore_pin;
  if (ctx.host_root && !watchdog_devices(ctx.fs).empty()) r.watchdog_sec = options.watchdog_sec;
  if (auto pin = read_pin(ctx.fs)) r.pinned = describe_pin(*pin);
  if (!options.no_hooks) {
    if (auto hooks = make_hook_plan(options.hooks, ctx.fs)) {
      r.hooks = std::move(*hooks);
    } else {
      r.hooks_problem = hooks.error().str();
    }
  }
  return r;
}

void print_handover_steps(Context& ctx, const Plan& plan, const HandoverRequest& request) {
  int number = 1;
  for (const HandoverStep& step : handover_steps(request)) {
    auto lines = describe_step(step, request, plan);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i == 0) {
        fmt::print(ctx.out, "{}. {}\n", number++, lines[i]);
      } else {
        fmt::print(ctx.out, "{}\n", lines[i]);
      }
    }
  }
}

ExitCode run_handover(Context& ctx, const Plan& plan, const HandoverRequest& request) {
  Executor executor(ctx, plan, request);
  for (const HandoverStep& step : handover_steps(request)) {
    if (auto end = executor.run(step)) return *end;
  }
  return ExitCode::Ok;
}

}  // namespace warmboot
