// SPDX-License-Identifier: Apache-2.0
#include "cli/config_merge.h"

namespace warmboot {

GivenFlags given_flags(const CLI::App& command) {
  auto given = [&command](const char* name) {
    const CLI::Option* option = command.get_option_no_throw(name);
    return option && option->count() > 0;
  };
  return GivenFlags{given("--kernel"), given("--initrd"), given("--cmdline")};
}

SelectionRequest merge_selection(const Config& config, const SelectionRequest& flags,
                                 const GivenFlags& given) {
  SelectionRequest out;
  out.kernel = given.kernel ? flags.kernel : config.kernel.value_or(flags.kernel);
  out.initrds = given.initrd ? flags.initrds : config.initrds;
  out.dtb = !flags.dtb.empty() ? flags.dtb : config.dtb.value_or("");
  if (given.cmdline) {
    out.edit = flags.edit;
    return out;
  }
  out.edit.replace = config.cmdline;
  out.edit.append = config.append;
  out.edit.append.insert(out.edit.append.end(), flags.edit.append.begin(), flags.edit.append.end());
  out.edit.remove = config.remove;
  out.edit.remove.insert(out.edit.remove.end(), flags.edit.remove.begin(), flags.edit.remove.end());
  return out;
}

RebootOptions merge_reboot(const Config& config, const RebootOptions& flags) {
  RebootOptions out = flags;
  out.force = flags.force || config.mode == HandoverMode::Force;
  out.ignore_inhibitors = flags.ignore_inhibitors || config.ignore_inhibitors;
  out.no_fallback = flags.no_fallback || !config.fallback;
  out.require_signed = flags.require_signed || config.require_signed;
  out.hooks = config.hooks;
  out.watchdog_sec = config.watchdog_sec;
  return out;
}

}  // namespace warmboot
