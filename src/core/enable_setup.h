// SPDX-License-Identifier: Apache-2.0
// What `warmboot enable` adds to a system (the drop-in kEnableDropIn: multi-user.target wants
// warmboot-stage.service, warmboot-stage-ahead.service, warmboot-refresh.path and
// warmboot-record.service), and how to tell whether it is there. How the
// enabled warm reboot works, unit by unit, is explained in one place: warmboot(8), section
// "HOW ENABLE WORKS" (packaging/warmboot.8).
#pragma once

#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "core/state_paths.h"

namespace warmboot {

inline constexpr const char* kStageUnit = "warmboot-stage.service";
inline constexpr const char* kStageAheadUnit = "warmboot-stage-ahead.service";
inline constexpr const char* kRecordUnit = "warmboot-record.service";
// Watches the boot loader's choice and runs `warmboot refresh` (warmboot-refresh.service).
inline constexpr const char* kRefreshPathUnit = "warmboot-refresh.path";

// The drop-in's exact text; `disable` removes the file only when it still says this (or what an
// earlier version of `enable` wrote).
std::string enable_drop_in_text();

enum class EnableState {
  Disabled,  // no drop-in
  Enabled,   // our drop-in, unchanged (this version's text or an earlier version's)
  Foreign,   // a file at that path that warmboot did not write (or that was edited)
};

EnableState enable_state(const FileSystem& fs);
// What an earlier version of `enable` wrote (without kRecordUnit, kStageAheadUnit or
// kRefreshPathUnit): Enabled, and `enable` rewrites it.
bool is_earlier_drop_in_text(std::string_view text);
const char* to_string(EnableState state);

}  // namespace warmboot
