// SPDX-License-Identifier: Apache-2.0
#include "core/handover_sequence.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/one_shot.h"

namespace warmboot {
namespace {

bool has_hook_step(const HandoverRequest& r) {
  if (r.no_hooks || !r.hooks) return true;  // "no hooks (--no-hooks)" / "REFUSED" is worth a line
  return !r.hooks->empty() || !r.hooks->skipped.empty();
}

std::vector<std::string> describe_hooks(const HandoverRequest& r) {
  if (r.no_hooks) return {"no hooks (--no-hooks)"};
  if (!r.hooks) return {"hooks would be REFUSED: " + r.hooks_problem};
  const HookPlan& h = *r.hooks;
  std::vector<std::string> lines{"run hooks; if one fails: no warm reboot (fallback rules apply)"};
  if (h.isolate_multi_user)
    lines.push_back("   if graphical.target is active: systemctl isolate multi-user.target");
  for (const auto& path : h.user_hooks) lines.push_back("   run " + path);
  if (!h.modules.empty())
    lines.push_back(
        fmt::format("   unload modules (holders first): {}", fmt::join(h.modules, " ")));
  if (!h.interfaces.empty())
    lines.push_back(fmt::format("   bring down: {}", fmt::join(h.interfaces, " ")));
  return lines;
}

std::string if_staging_fails(const HandoverRequest& r) {
  if (r.path == HandoverPath::ShutdownHook) return "   if staging fails: the reboot goes on cold";
  return r.no_fallback ? "   if staging fails: stop, reboot nothing (--no-fallback)"
                       : "   if staging fails: log the reason and reboot cold instead";
}

}  // namespace

ShutdownWatchdog shutdown_watchdog_for(const HandoverRequest& r) {
  return r.path == HandoverPath::ShutdownHook && r.down_target == "reboot.target"
             ? ShutdownWatchdog::Reboot
             : ShutdownWatchdog::KExec;
}

std::vector<HandoverStep> handover_steps(const HandoverRequest& r) {
  const bool by_hand = r.path != HandoverPath::ShutdownHook;
  // By hand, a failure before the handover reboots cold unless --no-fallback; on the way down the
  // reboot is already under way and simply stays cold.
  const OnFailure fallback =
      !by_hand ? OnFailure::GoOnCold : (r.no_fallback ? OnFailure::Refuse : OnFailure::RebootCold);
  std::vector<HandoverStep> steps;
  if (r.path == HandoverPath::Systemd) {
    steps.push_back({StepKind::EnsureSystemd, OnFailure::Refuse});
    if (!r.ignore_inhibitors) steps.push_back({StepKind::CheckInhibitors, OnFailure::Refuse});
  }
  if (!r.pinned.empty() && !r.ignore_pin) steps.push_back({StepKind::CheckPin, fallback});
  steps.push_back({r.already_staged ? StepKind::KeepStaged : StepKind::Stage, fallback});
  if (has_hook_step(r)) steps.push_back({StepKind::RunHooks, fallback});
  if (!by_hand) steps.push_back({StepKind::MarkForShutdownHook, OnFailure::GoOnCold});
  steps.push_back({StepKind::RecordHandover, OnFailure::NotFatal});
  if (r.one_shot) steps.push_back({StepKind::ConsumeOneShot, OnFailure::NotFatal});
  if (r.watchdog_sec > 0) steps.push_back({StepKind::ArmWatchdog, OnFailure::NotFatal});
  if (by_hand) steps.push_back({StepKind::HandOver, OnFailure::Report});
  return steps;
}

std::vector<std::string> describe_step(const HandoverStep& step, const HandoverRequest& r,
                                       const Plan& plan) {
  switch (step.kind) {
    case StepKind::EnsureSystemd:
      return {"check that systemd runs this machine (else use --force)"};
    case StepKind::CheckInhibitors:
      return {
          "check shutdown inhibitors: a \"block\" lock refuses the reboot before anything is "
          "staged (--ignore-inhibitors overrides)"};
    case StepKind::Stage:
      return {fmt::format("stage {} with {}{}", plan.kernel,
                          plan.dtb ? fmt::format("kexec-tools' kexec_load and the device tree {}",
                                                 *plan.dtb)
                                   : "kexec_file_load",
                          plan.initrds.size() > 1
                              ? fmt::format(" ({} initrds joined in memory)", plan.initrds.size())
                              : ""),
              if_staging_fails(r)};
    case StepKind::CheckPin:
      return {fmt::format("the guard pinned this host cold ({}): go cold instead "
                          "(`warmboot unpin` lifts it, --ignore-pin passes it once)",
                          r.pinned),
              if_staging_fails(r)};
    case StepKind::KeepStaged:
      return {"this plan is already staged: skip staging"};
    case StepKind::RunHooks:
      return describe_hooks(r);
    case StepKind::MarkForShutdownHook:
      return {fmt::format("mark {} for systemd-shutdown's hook", kRebootMarker)};
    case StepKind::RecordHandover:
      return {fmt::format("record the handover in {} and the journal", kHandoverPath)};
    case StepKind::ConsumeOneShot:
      return {fmt::format("clear {}, as the boot loader does when it boots that entry",
                          describe_one_shot(plan.one_shot.value_or("")))};
    case StepKind::ArmWatchdog:
      if (r.path == HandoverPath::Direct) {
        return {
            fmt::format("arm the hardware watchdog for {} s, left running into the new kernel "
                        "(stopped again if the handover fails)",
                        r.watchdog_sec)};
      }
      return {
          fmt::format("ask systemd to arm the hardware watchdog for {} s through the handover "
                      "({}, for this reboot)",
                      r.watchdog_sec, to_string(shutdown_watchdog_for(r)))};
    case StepKind::HandOver:
      if (r.path == HandoverPath::Direct)
        return {"sync, then reboot(LINUX_REBOOT_CMD_KEXEC) directly (--force)"};
      return {"ask systemd to reboot with kexec: clean shutdown of every unit"};
  }
  return {};
}

}  // namespace warmboot
