#include <syslog.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/handover_note.h"
#include "cli/plan_output.h"
#include "cli/reboot_hooks.h"
#include "cli/staging.h"
#include "core/downtime_history.h"
#include "core/staged_record.h"

namespace warmboot {
namespace {

void print_dry_run(Context& ctx, const Plan& plan, const RebootOptions& options, bool staged) {
  fmt::print(ctx.out, "dry run: nothing is changed\n");
  print_plan(ctx.out, plan);
  int step = 1;
  if (staged) {
    fmt::print(ctx.out, "{}. this plan is already staged: skip staging\n", step++);
  } else {
    fmt::print(ctx.out, "{}. stage {} with kexec_file_load{}\n", step++, plan.kernel,
               plan.initrds.size() > 1
                   ? fmt::format(" ({} initrds joined in memory)", plan.initrds.size())
                   : "");
    fmt::print(ctx.out, "   if staging fails: {}\n",
               options.no_fallback ? "stop, reboot nothing (--no-fallback)"
                                   : "log the reason and reboot cold instead");
  }
  step = print_hook_steps(ctx, options, step);
  fmt::print(ctx.out, "{}. record the handover in {} and the journal\n", step++, kHandoverPath);
  if (options.force) {
    fmt::print(ctx.out, "{}. sync, then reboot(LINUX_REBOOT_CMD_KEXEC) directly (--force)\n", step);
  } else {
    fmt::print(ctx.out, "{}. {}ask systemd to reboot with kexec: clean shutdown of every unit\n",
               step, options.ignore_inhibitors ? "" : "check shutdown inhibitors, then ");
  }
}

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

ExitCode reboot_cold(Context& ctx, const Plan& plan, const RebootOptions& options,
                     const Error& why) {
  std::string message = "WARM REBOOT NOT POSSIBLE, rebooting COLD instead: " + why.str();
  fmt::print(ctx.err, "warmboot: {}\n", message);
  ctx.journal.log(LOG_ERR, message, {{"event", "fallback"}});
  note_handover(ctx, "cold", &plan);
  Status done = options.force ? ctx.kexec.cold_reboot_now()
                              : ctx.systemd.reboot_cold(options.ignore_inhibitors);
  if (!done) {
    (void)ctx.fs.remove_file(kHandoverPath);  // nothing left: the next boot must not say fallback
    return fail(ctx, done.error(), ExitCode::HandoverFailed);
  }
  return ExitCode::Ok;
}

}  // namespace

ExitCode cmd_reboot(Context& ctx, const SelectionRequest& request, const RebootOptions& options) {
  auto plan = plan_from_system(ctx.fs, request);
  if (!plan) return fail(ctx, plan.error(), ExitCode::NoKernel);
  if (options.dry_run) {
    print_dry_run(ctx, *plan, options, ctx.host_root && plan_is_staged(ctx, *plan));
    return ExitCode::Ok;
  }
  if (refuse_offline_root(ctx, "reboot")) return ExitCode::Refused;
  if (!confirmed(ctx, *plan, options)) return ExitCode::Refused;

  if (!options.force) {
    if (!ctx.systemd.booted_with_systemd()) {
      return fail(
          ctx,
          make_error("reboot", "systemd is not running here, so it cannot shut down cleanly",
                     "use --force to sync and hand over directly"),
          ExitCode::HandoverFailed);
    }
    if (!options.ignore_inhibitors) {  // refuse before staging anything
      auto blockers = ctx.systemd.shutdown_blockers();
      if (blockers && !blockers->empty()) {
        const Inhibitor& first = blockers->front();
        return fail(ctx,
                    make_error("reboot",
                               fmt::format("blocked by an inhibitor: {} (pid {}): {}", first.who,
                                           first.pid, first.why),
                               "wait for it, or pass --ignore-inhibitors"),
                    ExitCode::Inhibited);
      }
    }
  }

  auto staged = stage_if_needed(ctx, *plan);
  if (!staged) {
    if (options.no_fallback) {
      ctx.journal.log(LOG_ERR,
                      "staging failed, nothing rebooted (--no-fallback): " + staged.error().str());
      return fail(ctx, staged.error(), ExitCode::StageFailed);
    }
    return reboot_cold(ctx, *plan, options, staged.error());
  }

  if (auto hooked = run_reboot_hooks(ctx, *plan, options, "reboot"); !hooked) {
    // The staged kernel goes: a later plain reboot must not pick it up unasked.
    (void)ctx.kexec.unload();
    (void)remove_staged_record(ctx.fs);
    if (options.no_fallback) return fail(ctx, hooked.error(), ExitCode::HookFailed);
    return reboot_cold(ctx, *plan, options, hooked.error());
  }

  std::string message = fmt::format("warm reboot into {} ({}) via {}", plan->kernel,
                                    plan->version.value_or("unknown version"),
                                    options.force ? "direct kexec" : "systemd");
  ctx.journal.log(LOG_NOTICE, message,
                  {{"event", "handover"}, {"kernel", plan->kernel}, {"cmdline", plan->cmdline}});
  fmt::print(ctx.out, "warmboot: {}\n", message);
  ctx.out.flush();

  note_handover(ctx, staged->method, &*plan);
  Status handed =
      options.force ? ctx.kexec.exec_now() : ctx.systemd.reboot_kexec(options.ignore_inhibitors);
  if (!handed) {
    (void)ctx.fs.remove_file(kHandoverPath);  // still here: the next boot must not say warm
    ctx.journal.log(LOG_ERR, "handover failed: " + handed.error().str());
    fmt::print(ctx.err, "warmboot: the kernel stays staged; `warmboot unload` drops it\n");
    return fail(ctx, handed.error(), ExitCode::HandoverFailed);
  }
  return ExitCode::Ok;
}

}  // namespace warmboot
