// One function per subcommand; each lives in its own cmd_*.cc file.
#pragma once

#include "cli/context.h"
#include "cli/exit_code.h"
#include "core/kernel_selection.h"

namespace warmboot {

struct RebootOptions {
  bool yes = false;
  bool dry_run = false;
  bool force = false;  // hand over directly: sync + reboot(LINUX_REBOOT_CMD_KEXEC)
  bool ignore_inhibitors = false;
  bool no_fallback = false;  // refuse instead of rebooting cold when staging fails
};

ExitCode cmd_list(Context& ctx);
ExitCode cmd_plan(Context& ctx, const SelectionRequest& request);
ExitCode cmd_load(Context& ctx, const SelectionRequest& request);
ExitCode cmd_status(Context& ctx);
ExitCode cmd_unload(Context& ctx);
ExitCode cmd_reboot(Context& ctx, const SelectionRequest& request, const RebootOptions& options);

// Shared by the commands: prints an error as "warmboot: ..." on stderr and returns `code`.
ExitCode fail(Context& ctx, const Error& error, ExitCode code);
// Refuses staging and handover when --root is not the host's root.
bool refuse_offline_root(Context& ctx, const char* command);

}  // namespace warmboot
