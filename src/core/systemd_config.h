// SPDX-License-Identifier: Apache-2.0
// Facts about the installed systemd read from files: its version (from the name of
// libsystemd-shared-VERSION.so) and the DefaultTimeoutStopSec= in force (system.conf and its
// drop-ins, in systemd's order).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/filesystem.h"

namespace warmboot {

// 252 for "libsystemd-shared-252.so" or "libsystemd-shared-254.5-2.fc39.so"; 0 if none found in
// /usr/lib/systemd, /lib/systemd, /usr/lib64/systemd or /usr/lib/<multiarch>/systemd.
int systemd_version_from_files(const FileSystem& fs);

// A systemd time span in seconds: "90", "90s", "1min 30s", "2h", "500ms", "infinity" (returns
// infinity). nullopt when malformed.
std::optional<double> parse_timespan(std::string_view text);

struct StopTimeout {
  double seconds = 90;       // systemd's default
  std::string origin;        // the file that set it; "" for the default
  std::string text = "90s";  // as written
};

// The value in force: /etc/systemd/system.conf (or /run, /usr/lib), then *.conf drop-ins from
// /usr/lib, /usr/local/lib, /run and /etc systemd/system.conf.d/ sorted by file name (a name in
// /etc hides the same name in /run, which hides /usr/lib), the last assignment in [Manager] wins;
// an empty assignment restores the default. Malformed values are skipped.
StopTimeout default_timeout_stop(const FileSystem& fs);

}  // namespace warmboot
