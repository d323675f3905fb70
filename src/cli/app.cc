#include "cli/app.h"

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/selection_options.h"

namespace warmboot {

int run_app(const std::vector<std::string>& args, const MachineFactory& make_machine, AppIo io) {
  CLI::App app{"warmboot: reboot into the right kernel in seconds with kexec", "warmboot"};
  app.require_subcommand(1);
  std::string root = "/";
  bool json = false;
  app.add_option("--root", root, "read every file under DIR, like systemctl --root")
      ->type_name("DIR");
  app.add_flag("--json", json, "print one JSON document on stdout (list, plan, status)");

  SelectionRequest request;
  RebootOptions reboot;
  auto* list = app.add_subcommand("list", "every boot entry found, marked default/running/latest");
  auto* plan = app.add_subcommand("plan", "what would be staged; changes nothing");
  auto* load = app.add_subcommand("load", "stage the plan with kexec_file_load");
  auto* status = app.add_subcommand("status", "whether a kernel is staged, and which plan");
  auto* unload = app.add_subcommand("unload", "drop the staged kernel");
  auto* reboot_cmd = app.add_subcommand("reboot", "stage the plan if needed, then hand over");
  for (auto* command : {plan, load, reboot_cmd}) add_selection_options(*command, request);
  for (auto* command : {list, plan, load, status, unload, reboot_cmd}) command->fallthrough();
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
  Context ctx{
      *machine.fs, *machine.kexec, *machine.systemd, *machine.journal, *machine.runner, io.out,
      io.err,      json,           root == "/",      io.confirm,       io.now};
  try {
    ExitCode code = ExitCode::Usage;
    if (*list) code = cmd_list(ctx);
    if (*plan) code = cmd_plan(ctx, request);
    if (*load) code = cmd_load(ctx, request);
    if (*status) code = cmd_status(ctx);
    if (*unload) code = cmd_unload(ctx);
    if (*reboot_cmd) code = cmd_reboot(ctx, request, reboot);
    return to_int(code);
  } catch (const std::exception& e) {  // a bug: report it rather than abort
    io.err << "warmboot: internal error: " << e.what() << "\n";
    return to_int(ExitCode::Failure);
  }
}

}  // namespace warmboot
