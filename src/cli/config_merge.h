// SPDX-License-Identifier: Apache-2.0
// Command-line flags over the configuration file: the file gives the defaults, a flag given on the
// command line wins.
//   --kernel, --initrd, --cmdline  replace the file's value;
//   --append, --remove             add to the file's lists (their words come last);
//   --cmdline                      also drops the file's append/remove: the line is taken as given;
//   --force, --ignore-inhibitors, --no-fallback, --no-hooks  can only turn a behaviour on.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "core/config.h"
#include "core/kernel_selection.h"

namespace warmboot {

// Which selection flags were given on the command line (CLI11's count() > 0).
struct GivenFlags {
  bool kernel = false;
  bool initrd = false;
  bool cmdline = false;
};

// Reads the counts of --kernel, --initrd and --cmdline on a parsed subcommand.
GivenFlags given_flags(const CLI::App& command);

SelectionRequest merge_selection(const Config& config, const SelectionRequest& flags,
                                 const GivenFlags& given);
RebootOptions merge_reboot(const Config& config, const RebootOptions& flags);

}  // namespace warmboot
