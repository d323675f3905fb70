// SPDX-License-Identifier: Apache-2.0
#include "core/check_drivers.h"

#include <fmt/format.h>

#include <algorithm>

namespace warmboot {

const std::vector<RiskyDriver>& risky_drivers() {
  // Dependents come before what they depend on, which is the order to unload them in.
  static const std::vector<RiskyDriver> drivers = {
      // Seed "Warm Reboot on Linux with kexec": rmmod nvidia_drm nvidia_modeset nvidia_uvm, then
      // nvidia, or the GPU is not reset and the next kernel's driver cannot initialise it.
      {"nvidia_drm", "NVIDIA GPU not reset across kexec"},
      {"nvidia_modeset", "NVIDIA GPU not reset across kexec"},
      {"nvidia_uvm", "NVIDIA GPU not reset across kexec"},
      {"nvidia_peermem", "NVIDIA GPU not reset across kexec"},
      // Seed "Reboot like a racecar with kexec" (linux.com, 2008): legacy nvidia driver, no video.
      {"nvidia", "NVIDIA GPU not reset across kexec"},
      // github.com/open-power/op-build/issues/538: mlx5_core devices unusable after kexec
      // without newer card firmware (PR #781: CX-4 firmware 12.17.x).
      {"mlx5_core", "Mellanox ConnectX-4+ may be unusable after kexec with old firmware"},
      // github.com/siderolabs/talos/issues/10143: kexec reboot hangs in mlx4_shutdown under load.
      {"mlx4_core", "Mellanox ConnectX-3 shutdown can hang a kexec reboot"},
  };
  return drivers;
}

std::vector<std::string> loaded_modules(std::string_view proc_modules) {
  std::vector<std::string> out;
  while (!proc_modules.empty()) {
    size_t end = proc_modules.find('\n');
    std::string_view line = proc_modules.substr(0, end);
    proc_modules =
        end == std::string_view::npos ? std::string_view{} : proc_modules.substr(end + 1);
    size_t space = line.find(' ');
    std::string_view module = line.substr(0, space);
    if (!module.empty()) out.emplace_back(module);
  }
  return out;
}

CheckResult check_drivers(const FileSystem& fs) {
  const char* name = "drivers";
  auto text = fs.read_file("/proc/modules", 16 << 20);
  if (!text) return check_ok(name, "/proc/modules not readable (no loadable modules)");
  const std::vector<std::string> loaded = loaded_modules(*text);
  std::vector<const RiskyDriver*> found;
  for (const auto& driver : risky_drivers()) {
    if (std::find(loaded.begin(), loaded.end(), driver.module) != loaded.end())
      found.push_back(&driver);
  }
  if (found.empty()) {
    return check_ok(name, fmt::format("{} modules loaded, none known to misbehave across kexec",
                                      loaded.size()));
  }
  std::string seen, modules;
  for (const RiskyDriver* driver : found) {
    seen += fmt::format("{}{} ({})", seen.empty() ? "" : "; ", driver->module, driver->why);
    modules += fmt::format("{}{}", modules.empty() ? "" : " ", driver->module);
  }
  return check_warn(name, seen,
                    fmt::format("stop what uses them (e.g. the display manager), then "
                                "`modprobe -r {}` before `warmboot reboot`",
                                modules));
}

}  // namespace warmboot
