// SPDX-License-Identifier: Apache-2.0
#include "core/check_kernel_support.h"
#include "core/text.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstdint>

namespace warmboot {
namespace {}  // namespace

std::string status_field(std::string_view status, std::string_view key) {
  while (!status.empty()) {
    size_t end = status.find('\n');
    std::string_view line = status.substr(0, end);
    status = end == std::string_view::npos ? std::string_view{} : status.substr(end + 1);
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ':')
      return std::string(trim(line.substr(key.size() + 1)));
  }
  return {};
}

CheckResult check_kexec_syscalls(const std::optional<FoundKernelConfig>& config) {
  const char* name = "kexec-syscall";
  if (!config) {
    return check_warn(name, "no kernel configuration found (/boot/config-RELEASE, /proc/config.gz)",
                      "cannot tell whether this kernel has kexec; try `warmboot load` to find out");
  }
  const bool file = config->config.enabled("CONFIG_KEXEC_FILE");
  const bool legacy = config->config.enabled("CONFIG_KEXEC");
  if (file) {
    return check_ok(name, fmt::format("CONFIG_KEXEC_FILE=y{} ({})",
                                      legacy ? ", CONFIG_KEXEC=y" : "", config->origin));
  }
  if (legacy) {
    return check_warn(name,
                      fmt::format("CONFIG_KEXEC=y but no CONFIG_KEXEC_FILE ({})", config->origin),
                      "staging goes through kexec-tools' kexec_load: install kexec-tools");
  }
  return check_fail(name,
                    fmt::format("neither CONFIG_KEXEC_FILE nor CONFIG_KEXEC ({})", config->origin),
                    "this kernel cannot kexec: boot a kernel built with CONFIG_KEXEC_FILE=y");
}

CheckResult check_kexec_sysctls(const MachineFacts& machine) {
  const char* name = "kexec-sysctl";
  const auto& disabled = machine.kexec_load_disabled;
  const auto& limit = machine.kexec_load_limit_reboot;
  if (disabled && *disabled == 1) {
    return check_fail(name, "kernel.kexec_load_disabled = 1",
                      "it cannot be switched back on until the next boot: reboot cold, and drop "
                      "the setting from /etc/sysctl.d if warm reboots are wanted");
  }
  if (limit && *limit == 0) {
    return check_fail(name, "kernel.kexec_load_limit_reboot = 0 (no loads left)",
                      "it can only be lowered until the next boot: reboot cold, and drop the "
                      "setting from /etc/sysctl.d");
  }
  std::string seen = disabled ? "kernel.kexec_load_disabled = 0" : "kexec_load_disabled not found";
  if (limit) {
    seen += *limit < 0 ? ", kexec_load_limit_reboot = -1 (unlimited)"
                       : fmt::format(", kexec_load_limit_reboot = {} loads left", *limit);
  }
  if (limit && *limit == 1) {
    return check_warn(name, seen, "one load left: a failed or repeated `warmboot load` uses it up");
  }
  return check_ok(name, seen);
}

CheckResult check_privileges(const FileSystem& fs) {
  const char* name = "privileges";
  auto status = fs.read_file("/proc/self/status", 1 << 16);
  if (!status) {
    return check_warn(name, "/proc/self/status unreadable", "run warmboot as root");
  }
  std::string uid = status_field(*status, "Uid");
  uid = uid.substr(0, uid.find_first_of(" \t"));
  std::string cap_text = status_field(*status, "CapEff");
  uint64_t caps = 0;
  auto [end, ec] = std::from_chars(cap_text.data(), cap_text.data() + cap_text.size(), caps, 16);
  const bool caps_known = ec == std::errc() && !cap_text.empty();
  const bool sys_boot = caps_known && (caps >> kCapSysBoot) & 1;
  if (sys_boot) return check_ok(name, fmt::format("uid {}, CAP_SYS_BOOT effective", uid));
  if (uid == "0") {
    return check_fail(name, "uid 0 without CAP_SYS_BOOT (a container or a restricted bounding set)",
                      "run warmboot on the host, with CAP_SYS_BOOT");
  }
  return check_warn(name, fmt::format("uid {}, no CAP_SYS_BOOT", uid.empty() ? "?" : uid),
                    "`warmboot load` and `warmboot reboot` must run as root");
}

}  // namespace warmboot
