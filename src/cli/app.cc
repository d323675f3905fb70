// SPDX-License-Identifier: Apache-2.0
// run_app, as a pass list:
//   1. parse the command line against the command table (cli/command_table.h);
//   2. answer --help / --version / usage errors;
//   3. make the machine (real, or fakes in tests) under --root;
//   4. load the configuration once, for the commands that read it, and merge the flags over it;
//   5. refuse host-only commands under --root;
//   6. run the command, and fail if its output could not be written. An exception escaping it is a
//      bug: reported, never an abort.
#include "cli/app.h"

#include <syslog.h>

#include <CLI/CLI.hpp>

#include "cli/command_table.h"
#include "cli/config_merge.h"
#include "cli/report.h"
#include "cli/selection_options.h"

namespace warmboot {
namespace {

struct Parsed {
  const Command* command = nullptr;
  CLI::App* app = nullptr;
};

// Subcommands in table order; internal ones leave the help (an empty group hides them).
std::vector<Parsed> add_commands(CLI::App& app, Invocation& in) {
  std::vector<Parsed> added;
  for (const Command& command : command_table()) {
    CLI::App* parent = &app;
    if (command.parent) {
      for (const Parsed& p : added)
        if (std::string_view(p.command->name) == command.parent) parent = p.app;
      parent->require_subcommand(0, 1);
    }
    CLI::App* sub = parent->add_subcommand(command.name, command.help);
    sub->fallthrough();
    if (command.internal) sub->group("");
    if (command.selection) add_selection_options(*sub, in.selection);
    if (command.add_flags) command.add_flags(*sub, in);
    added.push_back({&command, sub});
  }
  return added;
}

// The innermost subcommand given: `history record` rather than `history`.
const Parsed* chosen(const std::vector<Parsed>& commands) {
  const Parsed* found = nullptr;
  for (const Parsed& p : commands)
    if (p.app->parsed()) found = &p;
  return found;
}

}  // namespace

int run_app(const std::vector<std::string>& args, const MachineFactory& make_machine, AppIo io) {
  CLI::App app{"warmboot: reboot into the right kernel in seconds with kexec", "warmboot"};
  app.require_subcommand(0, 1);
  std::string root = "/";
  bool json = false;
  app.add_option("--root", root, "read every file under DIR, like systemctl --root")
      ->type_name("DIR");
  app.add_flag("--json", json,
               "print one JSON document on stdout (list, plan, status, check, audit, history)");
  app.set_version_flag("--version", std::string("warmboot ") + WARMBOOT_VERSION);
  Invocation in;
  std::vector<Parsed> commands = add_commands(app, in);

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    io.out << app.version() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    io.err << "warmboot: " << e.what() << "\n"
           << "Run with --help for more information.\n";
    return to_int(ExitCode::Usage);
  }
  const Parsed* parsed = chosen(commands);
  if (!parsed) {
    io.err << "warmboot: a subcommand is required\nRun with --help for more information.\n";
    return to_int(ExitCode::Usage);
  }
  const Command& command = *parsed->command;

  Machine machine = make_machine(root);
  Context ctx{
      *machine.fs, *machine.kexec, *machine.systemd, *machine.journal, *machine.runner, io.out,
      io.err,      json,           root == "/",      io.confirm,       io.now};
  ctx.clock = io.clock;
  ctx.sleep = io.sleep;
  ctx.units = machine.units.get();
  ctx.modules = machine.modules.get();
  ctx.interfaces = machine.interfaces.get();
  ctx.kernel_log = machine.kernel_log.get();
  ctx.watchdog = machine.watchdog.get();
  ctx.journal_reader = machine.journal_reader.get();
  ctx.command = command.parent ? std::string(command.parent) + " " + command.name : command.name;

  try {
    if (command.reads_config) {
      const Result<Config>& config = ctx.config();
      if (!config) {
        io.err << "warmboot: " << config.error().str() << "\nwarmboot: nothing was done\n";
        ctx.journal.log(LOG_ERR, "bad configuration, nothing done: " + config.error().str());
        return to_int(ExitCode::BadConfig);
      }
      in.config = *config;
      in.selection = merge_selection(*config, in.selection, given_flags(*parsed->app));
      in.reboot = merge_reboot(*config, in.reboot);
    }
    if (command.host_only && refuse_offline_root(ctx, ctx.command.c_str()))
      return to_int(ExitCode::Refused);
    ExitCode code = command.run(ctx, in);
    // `plan --json > /dev/full`: output that did not arrive is a failure, not a success.
    if (!io.out.flush()) {
      io.err << "warmboot: cannot write to standard output (a full disk, a closed pipe?)\n";
      return to_int(code == ExitCode::Ok ? ExitCode::Failure : code);
    }
    return to_int(code);
  } catch (const std::exception& e) {  // a bug: report it rather than abort
    io.err << "warmboot: internal error: " << e.what() << "\n";
    return to_int(ExitCode::Failure);
  }
}

}  // namespace warmboot
