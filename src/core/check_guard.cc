// SPDX-License-Identifier: Apache-2.0
#include "core/check_guard.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/cmdline.h"
#include "core/guard_pin.h"
#include "core/text.h"
#include "core/watchdog.h"

namespace warmboot {

CheckResult check_watchdog(const FileSystem& fs, const MachineFacts& machine) {
  const char* name = "watchdog";
  std::vector<std::string> found;
  for (const auto& device : watchdog_devices(fs)) {
    auto identity = fs.read_file("/sys/class/watchdog/" + device + "/identity", 256);
    found.push_back(identity ? fmt::format("{} ({})", device, trim(*identity)) : device);
    if (found.size() == 8) break;
  }
  if (found.empty()) {
    return check_warn(name,
                      "no watchdog device: if a warm reboot's new kernel hangs, the machine stays "
                      "hung until it is power cycled",
                      "load the board's watchdog driver (iTCO_wdt, sp5100_tco, ipmi_watchdog, "
                      "sbsa_gwdt, i6300esb, ...) or enable it in the firmware");
  }
  const auto words = split_cmdline(machine.running.cmdline);
  const bool carried =
      std::find(words.begin(), words.end(), "watchdog.stop_on_reboot=0") != words.end();
  return check_ok(name, fmt::format("{}; {}", fmt::join(found, ", "),
                                    carried ? "watchdog.stop_on_reboot=0: a running watchdog "
                                              "keeps running across a kexec"
                                            : "the kernel stops a running watchdog at kexec "
                                              "(watchdog.stop_on_reboot=0 would keep it)"));
}

CheckResult check_pin(const FileSystem& fs) {
  auto pin = read_pin(fs);
  if (!pin) return check_ok("pin", "not pinned: warm reboots allowed");
  return check_warn("pin", describe_pin(*pin) + ": reboots go cold",
                    "look at why, then `warmboot unpin` (or `warmboot reboot --ignore-pin` once)");
}

}  // namespace warmboot
