// One function per subcommand; each lives in its own cmd_*.cc file.
#pragma once

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
  bool no_fallback = false;  // refuse instead of rebooting cold when staging fails
  bool no_hooks = false;     // skip every hook, built-in and user
  HookConfig hooks;          // from the configuration's [hooks]
};

ExitCode cmd_list(Context& ctx);
ExitCode cmd_plan(Context& ctx, const SelectionRequest& request);
ExitCode cmd_load(Context& ctx, const SelectionRequest& request);
ExitCode cmd_status(Context& ctx);
ExitCode cmd_unload(Context& ctx);
ExitCode cmd_reboot(Context& ctx, const SelectionRequest& request, const RebootOptions& options);
// `check`: preflight (cmd_check.cc). Returns 0 all ok, 1 warnings, 2 a failure.
ExitCode cmd_check(Context& ctx, const SelectionRequest& request);
// `enable`/`disable`: every plain reboot warm (cmd_enable.cc); enabled_state for `status`.
ExitCode cmd_enable(Context& ctx);
ExitCode cmd_disable(Context& ctx);
// Run by warmboot-stage.service on the way down, and by systemd-shutdown at the very end.
ExitCode cmd_shutdown_stage(Context& ctx, const SelectionRequest& request,
                            const RebootOptions& options);
ExitCode cmd_shutdown_hook(Context& ctx, const std::string& verb);
// ExecStart of warmboot-stage.service: with [handover] stage_ahead, stage now (at boot) so that
// the way down only checks the plan. Never fails the unit: a problem is logged and left to the
// way down, which stages (or falls back) as usual.
ExitCode cmd_stage_ahead(Context& ctx, const SelectionRequest& request, bool stage_ahead);
// `history`: recent reboots; `history record`: run once per boot (cmd_history.cc).
ExitCode cmd_history(Context& ctx);
ExitCode cmd_history_record(Context& ctx, const std::string& metrics_file);

// `audit`: boot timings, shutdown blame, cold vs warm (cmd_audit.cc).
struct AuditOptions {
  std::string svg_path;  // "" = no picture
  size_t limit = 10;     // slowest units shown (plus every one that timed out)
};
ExitCode cmd_audit(Context& ctx, const AuditOptions& options);

// Shared by the commands: prints an error as "warmboot: ..." on stderr and returns `code`.
ExitCode fail(Context& ctx, const Error& error, ExitCode code);
// Refuses staging and handover when --root is not the host's root.
bool refuse_offline_root(Context& ctx, const char* command);

}  // namespace warmboot
