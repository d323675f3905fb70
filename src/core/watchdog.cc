// SPDX-License-Identifier: Apache-2.0
#include "core/watchdog.h"

#include <algorithm>

namespace warmboot {

std::vector<std::string> watchdog_devices(const FileSystem& fs) {
  auto devices = fs.list_dir("/sys/class/watchdog");
  if (!devices) return {};
  std::vector<std::string> found = std::move(*devices);
  std::sort(found.begin(), found.end());
  return found;
}

const char* to_string(ShutdownWatchdog which) {
  return which == ShutdownWatchdog::Reboot ? "RebootWatchdogUSec" : "KExecWatchdogUSec";
}

}  // namespace warmboot
