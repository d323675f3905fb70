// SPDX-License-Identifier: Apache-2.0
// The one handover sequence: plan -> (refusals) -> stage -> hooks -> record -> hand over, for
// `warmboot reboot` and for the way down of an enabled plain reboot (`shutdown-stage`), with what
// happens when a step fails. handover_steps() turns the request into the ordered steps; the dry run
// prints them (describe_step) and one executor (cli/handover_executor.h) runs them.
#pragma once

#include <string>
#include <vector>

#include <optional>
#include "core/hook_plan.h"
#include "core/plan.h"

#include "core/state_paths.h"
#include "core/watchdog.h"

namespace warmboot {

// Who makes the final reboot(LINUX_REBOOT_CMD_KEXEC).
enum class HandoverPath {
  Systemd,       // warmboot asks systemd to reboot with kexec: an orderly shutdown of every unit
  Direct,        // --force: sync, then reboot(KEXEC) at once (no init system)
  ShutdownHook,  // the machine is already going down (reboot.target); systemd-shutdown's hook does
                 // it
};

enum class StepKind {
  EnsureSystemd,        // systemd runs the machine, so it can shut down cleanly
  CheckPin,             // the guard has not pinned this host cold (core/guard_pin.h)
  CheckInhibitors,      // no "block" inhibitor holds shutdown (checked before anything is staged)
  Stage,                // kexec_file_load the plan (kexec-tools' kexec_load where that can help)
  KeepStaged,           // this very plan is already staged in this boot: nothing to load
  RunHooks,             // the built-in hooks and the executables in hooks.d
  MarkForShutdownHook,  // tell systemd-shutdown's hook that this reboot hands over
  RecordHandover,       // the handover record for the next boot's history, and the journal
  ConsumeOneShot,       // the boot loader's one-time choice the plan follows is used up by it
  ArmWatchdog,          // the hardware watchdog runs across the handover (core/watchdog.h)
  HandOver,             // systemd with kexec, or reboot(KEXEC) directly; never returns on success
};

// What the sequence does when a step fails.
enum class OnFailure {
  Refuse,      // nothing was changed: say why and stop (a usage or state problem)
  RebootCold,  // warmboot reboot: say why loudly, record a fallback and reboot cold
  GoOnCold,    // the way down: say why; the reboot already under way stays cold
  NotFatal,    // log it and carry on (a record that cannot be written)
  Report,      // the handover itself failed: undo the record, report, the kernel stays staged
};

struct HandoverRequest {
  HandoverPath path = HandoverPath::Systemd;
  bool already_staged = false;     // this plan is staged in this boot
  bool ignore_inhibitors = false;  // --ignore-inhibitors / [handover] ignore_inhibitors
  bool no_fallback = false;        // --no-fallback / [handover] fallback = false
  bool no_hooks = false;           // --no-hooks
  std::optional<HookPlan> hooks;   // nullopt: the hooks directory could not be vetted
  std::string hooks_problem;       // why hooks is nullopt
  int hook_timeout_s = 60;         // [hooks] timeout_sec
  // ShutdownHook: the target the machine goes down to: reboot.target, or kexec.target when
  // systemd >= 255 turned the reboot into a kexec by itself (a kernel was staged).
  std::string down_target = "reboot.target";
  bool one_shot = false;        // the plan follows a boot loader's one-time choice (Plan::one_shot)
  bool require_signed = false;  // --require-signed / [handover] require_signed
  std::string pinned;           // the guard's pin, described; "" when the host is not pinned
  bool ignore_pin = false;      // --ignore-pin
  // [guard] watchdog_sec when a watchdog device exists; 0: none is armed.
  int watchdog_sec = 0;
};

// Which of systemd's shutdown watchdogs covers this handover: systemd-shutdown reboots (and
// warmboot's hook hands over there) on reboot.target, reboots with kexec otherwise.
ShutdownWatchdog shutdown_watchdog_for(const HandoverRequest& request);

struct HandoverStep {
  StepKind kind;
  OnFailure on_failure;
};

// The steps, in the order they run.
std::vector<HandoverStep> handover_steps(const HandoverRequest& request);

// The dry run's account of one step: a first line and indented detail lines, no numbering.
std::vector<std::string> describe_step(const HandoverStep& step, const HandoverRequest& request,
                                       const Plan& plan);

}  // namespace warmboot
