// SPDX-License-Identifier: Apache-2.0
// Every subcommand in one table: its name and help, which shared flags it takes, whether it reads
// the configuration or acts only on the host's root, whether `--help` lists it, and its function.
// run_app (app.cc) parses, looks the command up here, loads the configuration once and runs it.
#pragma once

#include <functional>
#include <span>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace warmboot {

struct Command {
  const char* name;
  const char* help;
  const char* parent = nullptr;  // "history" for `history record`
  bool selection = false;        // --kernel, --initrd, --append, --remove, --cmdline
  bool reads_config = false;     // /etc/warmboot/warmboot.conf, merged under the flags
  bool host_only = false;        // refused under --root (staging, handover, live state)
  bool internal = false;         // run by warmboot's units: callable, but not in --help
  ExitCode (*run)(Context&, const Invocation&) = nullptr;
  // The command's own flags, bound into the Invocation; may be empty.
  std::function<void(CLI::App&, Invocation&)> add_flags = {};
};

std::span<const Command> command_table();

}  // namespace warmboot
