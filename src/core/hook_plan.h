// SPDX-License-Identifier: Apache-2.0
// What runs between staging and the handover: the built-in hooks from [hooks] and the operator's
// executables in hooks.directory, vetted. Pure apart from reading the directory through FileSystem.
// Order: leave the graphical session, run user hooks (lexical order), unload modules (holders
// first), take interfaces down.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "core/filesystem.h"
#include "core/plan.h"
#include "core/result.h"

namespace warmboot {

// When hooks run: `warmboot reboot` by hand, or ExecStop of warmboot-stage.service on the way down.
enum class HookPhase { Reboot, Shutdown };
const char* to_string(HookPhase phase);  // "reboot", "shutdown" (WARMBOOT_PHASE for user hooks)

struct HookPlan {
  bool isolate_multi_user = false;
  std::vector<std::string> user_hooks;  // paths inside the root, in the order they run
  std::vector<std::string> skipped;     // files in the directory that are not executable
  std::vector<std::string> modules;     // normalized, as configured (ordered at run time)
  std::vector<std::string> interfaces;

  bool empty() const {
    return !isolate_multi_user && user_hooks.empty() && modules.empty() && interfaces.empty();
  }
};

// Lists hooks.directory (missing: no user hooks). Refuses, naming the file, a directory or hook
// that is not owned by root or is group- or world-writable: it would run as root on anyone's say.
Result<HookPlan> make_hook_plan(const HookConfig& config, const FileSystem& fs);

// Whether a directory entry is a hook by its name, like run-parts: [A-Za-z0-9_.-], not hidden, not
// a package manager leftover (*.dpkg-old, *.dpkg-dist, *.dpkg-new, *.dpkg-tmp, *~).
bool is_hook_name(const std::string& name);

// The plan for user hooks: WARMBOOT_KERNEL, WARMBOOT_INITRDS (space-separated), WARMBOOT_CMDLINE,
// WARMBOOT_VERSION (empty when unknown), WARMBOOT_PHASE ("reboot" or "shutdown"), as NAME=value.
std::vector<std::string> hook_environment(const Plan& plan, HookPhase phase);

}  // namespace warmboot
