#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <syslog.h>

#include "cli/commands.h"
#include "cli/config_merge.h"
#include "cli/selection_options.h"

namespace warmboot {

int run_app(const std::vector<std::string>& args, const MachineFactory& make_machine, AppIo io) {
  CLI::App app{"warmboot: reboot into the right kernel in seconds with kexec", "warmboot"};
  app.require_subcommand(1);
  std::string root = "/";
  bool json = false;
  app.add_option("--root", root, "read every file under DIR, like systemctl --root")
      ->type_name("DIR");
  app.add_flag("--json", json,
               "print one JSON document on stdout (list, plan, status, check, audit, history)");

  SelectionRequest request;
  RebootOptions reboot;
  auto* list = app.add_subcommand("list", "every boot entry found, marked default/running/latest");
  auto* plan = app.add_subcommand("plan", "what would be staged; changes nothing");
  auto* load = app.add_subcommand("load", "stage the plan with kexec_file_load");
  auto* status = app.add_subcommand("status", "whether a kernel is staged, and which plan");
  auto* unload = app.add_subcommand("unload", "drop the staged kernel");
  auto* reboot_cmd = app.add_subcommand("reboot", "stage the plan if needed, then hand over");
  auto* check = app.add_subcommand(
      "check", "can this machine reboot warm? exit 0 all ok, 1 warnings, 2 a failure");
  add_selection_options(*check, request);
  check->fallthrough();
  auto* enable = app.add_subcommand("enable", "make every plain `reboot` warm (systemd units)");
  auto* disable = app.add_subcommand("disable", "undo `enable`: reboots are cold again");
  auto* stage_cmd = app.add_subcommand("shutdown-stage", "internal: ExecStop of warmboot-stage");
  auto* ahead_cmd = app.add_subcommand("stage-ahead", "internal: ExecStart of warmboot-stage");
  auto* hook_cmd = app.add_subcommand("shutdown-hook", "internal: run by systemd-shutdown");
  std::string shutdown_verb;
  AuditOptions audit_options;
  auto* audit = app.add_subcommand(
      "audit", "boot timings, the previous shutdown's slowest units, cold vs warm timeline");
  audit->add_option("--svg", audit_options.svg_path, "also draw the cold/warm timeline as SVG");
  audit->add_option("--limit", audit_options.limit, "slowest units to show (default 10)");
  auto* history = app.add_subcommand("history", "recent reboots: when, warm or cold, downtime");
  auto* history_record =
      history->add_subcommand("record", "internal: record this boot (warmboot-record.service)");
  history_record->group("");  // hidden
  std::string metrics_file;
  history_record
      ->add_option("--metrics-file", metrics_file,
                   "also write the Prometheus textfile here (default: [metrics] path)")
      ->type_name("PATH");
  history->require_subcommand(0, 1);
  hook_cmd->add_option("verb", shutdown_verb, "halt, poweroff, reboot or kexec")->required();
  for (auto* command : {plan, load, reboot_cmd, stage_cmd, ahead_cmd})
    add_selection_options(*command, request);
  for (auto* command : {list, plan, load, status, unload, reboot_cmd, enable, disable, stage_cmd,
                        ahead_cmd, history, history_record})
    command->fallthrough();
  reboot_cmd->add_flag("--no-hooks", reboot.no_hooks, "run no hook before the handover");
  reboot_cmd->add_flag("-y,--yes", reboot.yes, "do it without asking");
  reboot_cmd->add_flag("-n,--dry-run", reboot.dry_run, "print every step, change nothing");
  reboot_cmd->add_flag("--force", reboot.force,
                       "no systemd: sync, then reboot(LINUX_REBOOT_CMD_KEXEC) at once");
  reboot_cmd->add_flag("--ignore-inhibitors", reboot.ignore_inhibitors,
                       "reboot even if a shutdown inhibitor blocks it");
  reboot_cmd->add_flag("--no-fallback", reboot.no_fallback,
                       "if staging fails, reboot nothing instead of rebooting cold");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    io.out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    io.err << "warmboot: " << e.what() << "\n"
           << "Run with --help for more information.\n";
    return to_int(ExitCode::Usage);
  }

  Machine machine = make_machine(root);
  bool stage_ahead = false;
  for (auto* command : {plan, load, reboot_cmd, stage_cmd, ahead_cmd, check}) {  // file, flags
    if (!*command) continue;
    auto config = load_config(*machine.fs);
    if (!config) {
      io.err << "warmboot: " << config.error().str() << "\nwarmboot: nothing was done\n";
      machine.journal->log(LOG_ERR, "bad configuration, nothing done: " + config.error().str());
      return to_int(ExitCode::BadConfig);
    }
    request = merge_selection(*config, request, given_flags(*command));
    reboot = merge_reboot(*config, reboot);
    stage_ahead = config->stage_ahead;
  }
  Context ctx{
      *machine.fs, *machine.kexec, *machine.systemd, *machine.journal, *machine.runner, io.out,
      io.err,      json,           root == "/",      io.confirm,       io.now};
  ctx.clock = io.clock;
  ctx.units = machine.units.get();
  ctx.modules = machine.modules.get();
  ctx.interfaces = machine.interfaces.get();
  ctx.kernel_log = machine.kernel_log.get();
  ctx.journal_reader = machine.journal_reader.get();
  try {
    ExitCode code = ExitCode::Usage;
    if (*list) code = cmd_list(ctx);
    if (*plan) code = cmd_plan(ctx, request);
    if (*load) code = cmd_load(ctx, request);
    if (*status) code = cmd_status(ctx);
    if (*unload) code = cmd_unload(ctx);
    if (*reboot_cmd) code = cmd_reboot(ctx, request, reboot);
    if (*check) code = cmd_check(ctx, request);
    if (*enable) code = cmd_enable(ctx);
    if (*disable) code = cmd_disable(ctx);
    if (*stage_cmd) code = cmd_shutdown_stage(ctx, request, reboot);
    if (*ahead_cmd) code = cmd_stage_ahead(ctx, request, stage_ahead);
    if (*hook_cmd) code = cmd_shutdown_hook(ctx, shutdown_verb);
    if (*audit) code = cmd_audit(ctx, audit_options);
    if (*history) {
      code = *history_record ? cmd_history_record(ctx, metrics_file) : cmd_history(ctx);
    }
    return to_int(code);
  } catch (const std::exception& e) {  // a bug: report it rather than abort
    io.err << "warmboot: internal error: " << e.what() << "\n";
    return to_int(ExitCode::Failure);
  }
}

}  // namespace warmboot
