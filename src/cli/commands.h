// SPDX-License-Identifier: Apache-2.0
// The subcommands: what a run of one gets (Invocation: the parsed flags, merged over the
// configuration file), one function each (cmd_*.cc), and the table run_app dispatches through
// (command_table.cc).
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"
#include "cli/exit_code.h"
#include "core/config.h"
#include "core/kernel_selection.h"

namespace warmboot {

struct RebootOptions {
  bool yes = false;
  bool dry_run = false;
  bool force = false;  // hand over directly: sync + reboot(LINUX_REBOOT_CMD_KEXEC)
  bool ignore_inhibitors = false;
  bool no_fallback = false;     // refuse instead of rebooting cold when staging fails
  bool no_hooks = false;        // skip every hook, built-in and user
  bool require_signed = false;  // stage only what the running kernel verifies (signature_policy.h)
  bool ignore_pin = false;      // reboot warm once although the guard pinned the host cold
  HookConfig hooks;             // from the configuration's [hooks]
  int watchdog_sec = 0;         // [guard] watchdog_sec
};

// `audit`'s own flags.
struct AuditOptions {
  std::string svg_path;  // "" = no picture
  size_t limit = 10;     // slowest units to show (plus every one that timed out)
};

// Everything a subcommand may read from its command line and the configuration.
struct Invocation {
  SelectionRequest selection;  // flags over [kernel]
  RebootOptions reboot;        // flags over [handover] and [hooks]
  Config config;               // the file as read (defaults when the command reads none)
  AuditOptions audit;
  std::string verb;          // shutdown-hook's VERB
  std::string metrics_file;  // history record --metrics-file
};

ExitCode cmd_list(Context& ctx, const Invocation& in);
ExitCode cmd_plan(Context& ctx, const Invocation& in);
ExitCode cmd_load(Context& ctx, const Invocation& in);
ExitCode cmd_status(Context& ctx, const Invocation& in);
ExitCode cmd_unload(Context& ctx, const Invocation& in);
ExitCode cmd_reboot(Context& ctx, const Invocation& in);
// `check`: preflight. Returns 0 all ok, 1 warnings, 2 a failure.
ExitCode cmd_check(Context& ctx, const Invocation& in);
// `enable`/`disable`: every plain reboot warm (warmboot(8), core/enable_setup.h).
ExitCode cmd_enable(Context& ctx, const Invocation& in);
ExitCode cmd_disable(Context& ctx, const Invocation& in);
// Run by warmboot-stage-ahead.service (stage-ahead), warmboot-stage.service (ExecStop:
// shutdown-stage) and by systemd-shutdown at the very end (shutdown-hook).
ExitCode cmd_stage_ahead(Context& ctx, const Invocation& in);
ExitCode cmd_shutdown_stage(Context& ctx, const Invocation& in);
ExitCode cmd_shutdown_hook(Context& ctx, const Invocation& in);
// Run by the kernel and initramfs hooks and warmboot-refresh.service (the boot loader's choice
// changed): restage (stage ahead) or unload a stale staged kernel (core/stage_ahead.h).
ExitCode cmd_refresh(Context& ctx, const Invocation& in);
// `unpin`: lift the guard's pin (core/guard_pin.h).
ExitCode cmd_unpin(Context& ctx, const Invocation& in);
// `history`: recent reboots; `history record`: run once per boot by warmboot-record.service.
ExitCode cmd_history(Context& ctx, const Invocation& in);
ExitCode cmd_history_record(Context& ctx, const Invocation& in);
// `audit`: boot timings, shutdown blame, cold vs warm.
ExitCode cmd_audit(Context& ctx, const Invocation& in);

}  // namespace warmboot
