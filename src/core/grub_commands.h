// SPDX-License-Identifier: Apache-2.0
// What single GRUB commands mean, as pure functions the script interpreter uses: menuentry and
// load_env arguments, linux/initrd, blscfg entries, GRUB's preset variables, condition outcomes.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/boot_entry.h"
#include "core/grub_interp.h"
#include "core/grub_word.h"
#include "core/result.h"

namespace warmboot {

// `menuentry`/`submenu` arguments (after the keyword): the first non-option is the title, the
// rest are the body's $1..
struct GrubMenuArgs {
  std::string title;
  std::string id;                   // --id ID or --id=ID
  std::vector<std::string> params;  // further arguments
};
GrubMenuArgs parse_menu_args(const std::vector<std::string>& args);

// `load_env [-f FILE] [--skip-sig] [NAME...]`.
struct GrubLoadEnvArgs {
  std::string file;            // "" for the default grubenv
  std::set<std::string> only;  // names to load; empty: all
};
GrubLoadEnvArgs parse_load_env_args(const std::vector<std::string>& args);

// True for a path whose last component is "grubenv", device prefix allowed.
bool is_grubenv_path(std::string_view path);

// A name `name=value` may assign: letters, digits and '_', not starting with a digit.
bool is_grub_var_name(std::string_view name);

// Records `linux*`/`initrd*` (args[0] is the command) in `entry`; false for other commands.
// A later linux or initrd replaces an earlier one, as in GRUB.
bool apply_boot_command(const std::vector<std::string>& args, GrubMenuNode& entry);

// Expands $variables in a blscfg entry's options and initrds with the script's variables. Options
// without '$' are kept verbatim.
Result<BootEntry> expand_bls_entry(const BootEntry& entry, const GrubVars& vars,
                                   GrubExpansionBudget& budget);

// Variables GRUB sets before it reads grub.cfg (all exported except config_file).
std::vector<std::pair<std::string, std::string>> grub_preset_vars(std::string_view cfg_path);

// The outcome assumed for a command used as a condition: keystatus, hwmatch and false fail,
// everything else succeeds.
bool grub_command_succeeds(std::string_view command);

// `[ ... ]` or `test ...` (args[0] is the command): true when the test holds. File tests: a grubenv
// exists when one was given (`have_grubenv`); other files are taken as absent. Malformed is false.
bool grub_test_succeeds(const std::vector<std::string>& args, bool have_grubenv);

// The menu node for an entry blscfg adds (its variables are expanded later).
GrubMenuNode bls_menu_node(const BootEntry& entry, int line);

// Replaces the positional variables ($1.., $#, $@, $*) by `params` (none: all removed) and returns
// the ones it removed.
GrubVars set_grub_positional(GrubVars& vars, const std::vector<std::string>& params);

// `name=value` alone on a command (the first part unquoted, the name valid): the name and the value
// still to expand.
std::optional<std::pair<std::string, GrubWord>> split_grub_assignment(
    const std::vector<GrubWord>& words);

// The variable a word copies whole after `prefix`: "saved_entry" for default="${saved_entry}".
std::string grub_copied_variable(const GrubWord& word, std::string_view prefix);

}  // namespace warmboot
