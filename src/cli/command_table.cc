// SPDX-License-Identifier: Apache-2.0
#include "cli/command_table.h"

namespace warmboot {
namespace {

void reboot_flags(CLI::App& app, Invocation& in) {
  RebootOptions& r = in.reboot;
  app.add_flag("--no-hooks", r.no_hooks, "run no hook before the handover");
  app.add_flag("-y,--yes", r.yes, "do it without asking");
  app.add_flag("-n,--dry-run", r.dry_run, "print every step, change nothing");
  app.add_flag("--force", r.force, "no systemd: sync, then reboot(LINUX_REBOOT_CMD_KEXEC) at once");
  app.add_flag("--ignore-inhibitors", r.ignore_inhibitors,
               "reboot even if a shutdown inhibitor blocks it");
  app.add_flag("--no-fallback", r.no_fallback,
               "if staging fails, reboot nothing instead of rebooting cold");
  app.add_flag("--require-signed", r.require_signed,
               "stage only a kernel whose signature the running kernel verifies");
  app.add_flag("--ignore-pin", r.ignore_pin,
               "go warm once although the guard pinned this host cold");
}

void load_flags(CLI::App& app, Invocation& in) {
  app.add_flag("--require-signed", in.reboot.require_signed,
               "stage only a kernel whose signature the running kernel verifies");
}

void audit_flags(CLI::App& app, Invocation& in) {
  app.add_option("--svg", in.audit.svg_path, "also draw the cold/warm timeline as SVG");
  app.add_option("--limit", in.audit.limit, "slowest units to show (default 10)");
}

void hook_flags(CLI::App& app, Invocation& in) {
  app.add_option("verb", in.verb, "halt, poweroff, reboot or kexec")->required();
}

void record_flags(CLI::App& app, Invocation& in) {
  app.add_option("--metrics-file", in.metrics_file,
                 "also write the Prometheus textfile here (default: [metrics] path)")
      ->type_name("PATH");
}

// clang-format off
const Command kCommands[] = {
  // name, help, parent, selection, reads_config, host_only, internal, run, flags
  {"list", "every boot entry found, marked default/running/latest",
   nullptr, false, false, false, false, cmd_list},
  {"plan", "what would be staged; changes nothing",
   nullptr, true, true, false, false, cmd_plan},
  {"load", "stage the plan with kexec_file_load",
   nullptr, true, true, true, false, cmd_load, load_flags},
  {"status", "whether a kernel is staged, and which plan",
   nullptr, false, false, false, false, cmd_status},
  {"unload", "drop the staged kernel",
   nullptr, false, false, true, false, cmd_unload},
  // Not host_only: --dry-run works under --root; cmd_reboot refuses the rest itself.
  {"reboot", "stage the plan if needed, then hand over",
   nullptr, true, true, false, false, cmd_reboot, reboot_flags},
  {"check", "can this machine reboot warm? exit 0 all ok, 1 warnings, 2 a failure",
   nullptr, true, true, false, false, cmd_check},
  {"unpin", "lift the guard's pin: warm reboots again after a failed one was looked at",
   nullptr, false, false, true, false, cmd_unpin},
  {"enable", "make every plain `reboot` warm (systemd units)",
   nullptr, false, false, false, false, cmd_enable},
  {"disable", "undo `enable`: reboots are cold again",
   nullptr, false, false, false, false, cmd_disable},
  {"history", "recent reboots: when, warm or cold, downtime",
   nullptr, false, false, false, false, cmd_history},
  {"record", "record this boot (warmboot-record.service)",
   "history", false, false, true, true, cmd_history_record, record_flags},
  {"audit", "boot timings, the previous shutdown's slowest units, cold vs warm timeline",
   nullptr, false, false, false, false, cmd_audit, audit_flags},
  {"shutdown-stage", "ExecStop of warmboot-stage.service",
   nullptr, true, true, true, true, cmd_shutdown_stage},
  {"stage-ahead", "ExecStart of warmboot-stage-ahead.service",
   nullptr, true, true, true, true, cmd_stage_ahead},
  {"shutdown-hook", "run by systemd-shutdown",
   nullptr, false, false, true, true, cmd_shutdown_hook, hook_flags},
  {"refresh", "restage or unload a stale staged kernel (kernel hooks, warmboot-refresh.path)",
   nullptr, false, true, true, true, cmd_refresh},
};
// clang-format on

}  // namespace

std::span<const Command> command_table() {
  return kCommands;
}

}  // namespace warmboot
