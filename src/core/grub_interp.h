// SPDX-License-Identifier: Apache-2.0
// Runs a parsed grub.cfg the way GRUB's normal mode does before showing the menu: variables,
// load_env, if/for, functions, and the menu entries and submenus the script defines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/boot_entry.h"
#include "core/grub_script.h"
#include "core/grub_word.h"
#include "core/result.h"

namespace warmboot {

// One item of a GRUB menu: an entry, or a submenu holding items.
struct GrubMenuNode {
  std::string title;
  std::string id;  // --id, or "" when the entry has none
  int line = 0;    // where the menuentry/submenu/blscfg command is
  bool submenu = false;
  std::vector<GrubMenuNode> children;  // a submenu's items
  // An entry's boot commands, from running its body with the variables at the end of the script
  // (as GRUB runs it when chosen). Paths have their device prefix stripped.
  std::string kernel;  // from linux/linuxefi/linux16; "" for chainloader, fwsetup, Xen, ...
  std::vector<std::string> initrds;
  std::optional<std::string> options;  // the kernel's arguments, when there was a linux command
  std::optional<BootEntry> bls;        // an entry blscfg made, its $variables expanded

  bool operator==(const GrubMenuNode&) const = default;
};

struct GrubRun {
  std::vector<GrubMenuNode> items;  // the top-level menu
  GrubVars vars;                    // top-level variables when the script ends
  std::string default_source;  // variable `default` was last copied from ("saved_entry"), or ""
  std::vector<std::string> warnings;
};

// Limits that make runaway scripts an Error (generated files stay far below them).
inline constexpr long kMaxGrubSteps = 200000;
inline constexpr int kMaxGrubCallDepth = 32;  // function calls and submenus
inline constexpr size_t kMaxGrubMenuItems = 5000;
inline constexpr size_t kMaxGrubAssignedBytes = 1 << 20;  // all `set` and `name=value` together

// Runs `script` (from `cfg_path`). `grubenv` is what `load_env` loads; `bls_entries` are added
// where `blscfg` runs, with `$variables` in their options and initrds expanded. Conditions GRUB
// would evaluate against the machine are decided so that a stock system's branch is taken: file
// tests (-e -f -s -d) are true for a path named "grubenv" when `grubenv` is non-empty and false for
// anything else (custom.cfg, user.cfg, gfxblacklist.txt); `keystatus`, `hwmatch` and `false` fail;
// every other command succeeds; malformed tests fail. `while`/`until` loops are skipped with a
// warning; `source`/`configfile` are not followed. GRUB's own variables are preset: feature_* =
// "y", prefix and config_directory = the directory of `cfg_path`, root = "".
Result<GrubRun> run_grub_script(const GrubBlock& script, std::string_view cfg_path,
                                const GrubVars& grubenv, const std::vector<BootEntry>& bls_entries);

}  // namespace warmboot
