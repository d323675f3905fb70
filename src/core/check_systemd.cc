// SPDX-License-Identifier: Apache-2.0
#include "core/check_systemd.h"

#include <fmt/format.h>

#include <cmath>

#include "core/systemd_config.h"

namespace warmboot {

CheckResult check_systemd(bool booted_with_systemd, int version) {
  const char* name = "systemd";
  if (!booted_with_systemd) {
    return check_warn(name, "not booted with systemd (/run/systemd/system missing)",
                      "only `warmboot reboot --force` can hand over, without an orderly shutdown");
  }
  if (version <= 0) {
    return check_warn(name, "systemd version unknown",
                      "use `warmboot reboot` (or `systemctl kexec`): whether a plain reboot goes "
                      "warm depends on the version");
  }
  if (version >= kSystemdAutoKexec) {
    return check_ok(name, fmt::format("systemd {}: while a kernel is staged, `reboot` and "
                                      "`systemctl reboot` go warm too",
                                      version));
  }
  return check_ok(name, fmt::format("systemd {}: while a kernel is staged `reboot` goes warm but "
                                    "`systemctl reboot` reboots cold (warm since systemd {}); "
                                    "`warmboot reboot` always goes warm",
                                    version, kSystemdAutoKexec));
}

CheckResult check_finalrd(const FileSystem& fs, int systemd_version) {
  const char* name = "finalrd";
  const bool installed = fs.is_dir("/usr/share/finalrd") ||
                         fs.is_file("/usr/lib/systemd/system/finalrd.service") ||
                         fs.is_file("/lib/systemd/system/finalrd.service");
  if (!installed) return check_ok(name, "not installed");
  const std::string remedy =
      "`apt remove finalrd` (mdadm works without it), or add a hook under /usr/share/finalrd/ "
      "that copies /sbin/kexec into the shutdown root";
  if (systemd_version <= 0) {
    return check_warn(name,
                      "finalrd installed, systemd version unknown: before systemd 246 the "
                      "kexec step fails from finalrd's shutdown root and reboots cold",
                      remedy);
  }
  if (systemd_version < kSystemdShutdownKexecsItself) {
    return check_fail(name,
                      fmt::format("finalrd installed with systemd {}: systemd-shutdown "
                                  "cannot find kexec in finalrd's root and reboots cold",
                                  systemd_version),
                      remedy);
  }
  return check_ok(name, fmt::format("finalrd installed; harmless with systemd {} (>= {})",
                                    systemd_version, kSystemdShutdownKexecsItself));
}

CheckResult check_stop_timeout(const FileSystem& fs) {
  const char* name = "stop-timeout";
  StopTimeout timeout = default_timeout_stop(fs);
  std::string where = timeout.origin.empty() ? "systemd's default" : timeout.origin;
  std::string seen = fmt::format("DefaultTimeoutStopSec={} ({})", timeout.text, where);
  if (std::isinf(timeout.seconds)) {
    return check_warn(name, seen + ": a hung unit stalls the shutdown forever",
                      "set DefaultTimeoutStopSec=90s or less in /etc/systemd/system.conf.d/");
  }
  if (timeout.seconds > kStopTimeoutWarnAbove) {
    return check_warn(name, seen + ": a hung unit can cost more than the warm reboot saves",
                      "set DefaultTimeoutStopSec=90s or less in /etc/systemd/system.conf.d/");
  }
  return check_ok(name, seen);
}

CheckResult check_kexec_tools(const FileSystem& fs, std::optional<KexecSyscalls> syscalls,
                              int systemd_version) {
  const char* name = "kexec-tools";
  for (const char* path : {"/usr/sbin/kexec", "/sbin/kexec"}) {
    if (fs.is_file(path)) {
      return check_ok(name,
                      fmt::format("{} present (used only when kexec_file_load cannot be)", path));
    }
  }
  if (syscalls && !syscalls->file && syscalls->legacy) {
    return check_fail(name, "not installed, and the kernel has only kexec_load",
                      "apt install kexec-tools (dnf install kexec-tools)");
  }
  if (syscalls && !syscalls->file && !syscalls->legacy)
    return check_ok(name, "not installed; it would not help: the kernel has no kexec at all");
  if (systemd_version > 0 && systemd_version < kSystemdShutdownKexecsItself) {
    return check_fail(
        name,
        fmt::format("not installed; systemd {} runs `kexec -e` to hand over", systemd_version),
        "apt install kexec-tools");
  }
  return check_ok(name, "not installed; needed only for the kexec_load fallback");
}

}  // namespace warmboot
