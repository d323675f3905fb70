// SPDX-License-Identifier: Apache-2.0
// The other executables systemd-shutdown started next to warmboot's hook. systemd-shutdown runs
// everything in system-shutdown/ at once, right before the final reboot(2); a hook that hands over
// at once cuts the others off, such as mdadm's `--wait-clean` that marks RAID arrays clean (seed
// 001's RAID servers). warmboot's hook waits, bounded, until they are gone. Read from /proc through
// the FileSystem; pure otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/filesystem.h"

namespace warmboot {

struct ProcessEntry {
  int pid = 0;
  int ppid = 0;
  std::string cmdline;  // arguments joined with spaces

  bool operator==(const ProcessEntry&) const = default;
};

// The parent pid in a /proc/PID/stat line ("123 (co mm) S 1 ..."): after the last ')'.
std::optional<int> parse_stat_ppid(std::string_view stat);

// The pid in a /proc/PID/stat line: its first field.
std::optional<int> parse_stat_pid(std::string_view stat);

// /proc/NAME/stat and /proc/NAME/cmdline (NAME a pid, or "self"); nullopt when the process is gone
// or unreadable.
std::optional<ProcessEntry> read_process(const FileSystem& fs, std::string_view name);

// Processes with the same parent as this one (systemd-shutdown) that run something from a
// system-shutdown directory, this one excluded.
std::vector<ProcessEntry> sibling_shutdown_hooks(const FileSystem& fs);

// How long the hook waits for its siblings: well under systemd-shutdown's 90 s for all hooks.
inline constexpr double kSiblingWaitSeconds = 45;

}  // namespace warmboot
