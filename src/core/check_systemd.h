// SPDX-License-Identifier: Apache-2.0
// The shutdown side: which systemd runs the handover and what it will do with a staged kernel,
// Ubuntu's finalrd trap, the stop timeout in force, and kexec-tools.
#pragma once

#include <optional>

#include "core/check.h"
#include "core/filesystem.h"

namespace warmboot {

// systemd >= 255 turns `systemctl reboot` into a kexec when a kernel is staged (systemd PR
// #29626, "systemctl: automatically softreboot/kexec if set up on reboot"; opt out with
// SYSTEMCTL_SKIP_AUTO_KEXEC=1). Before that only `reboot` (the sysv-compatible name) checked
// for a staged kernel (systemd issue #26635, seen on 252); `systemctl reboot` rebooted cold.
inline constexpr int kSystemdAutoKexec = 255;
// Before 246, systemd-shutdown ran kexec-tools' `kexec -e` for the final step; with finalrd it
// runs from finalrd's shutdown root, where kexec is missing, and the reboot goes cold (seed
// "Using kexec to speed-up reboot": "fixed (workaround) in systemd v246").
inline constexpr int kSystemdShutdownKexecsItself = 246;

// "systemd": booted with systemd, its version (0: unknown), and what a plain reboot does while a
// kernel is staged.
CheckResult check_systemd(bool booted_with_systemd, int version);

// "finalrd": /usr/share/finalrd or finalrd.service installed.
CheckResult check_finalrd(const FileSystem& fs, int systemd_version);

// "stop-timeout": DefaultTimeoutStopSec= in force. Warns above systemd's default of 90 s: at the
// default a single hung unit already delays the handover by about what a server's firmware POST
// costs, so more than that can eat the whole saving, and "infinity" can stall it for good.
CheckResult check_stop_timeout(const FileSystem& fs);
inline constexpr double kStopTimeoutWarnAbove = 90;

// Which kexec system calls the running kernel has, when its configuration is known.
struct KexecSyscalls {
  bool file = false;    // CONFIG_KEXEC_FILE
  bool legacy = false;  // CONFIG_KEXEC
};

// "kexec-tools": /usr/sbin/kexec or /sbin/kexec. Needed only for the kexec_load fallback
// (a kernel with CONFIG_KEXEC but not CONFIG_KEXEC_FILE) and, before systemd 246, by
// systemd-shutdown itself.
CheckResult check_kexec_tools(const FileSystem& fs, std::optional<KexecSyscalls> syscalls,
                              int systemd_version);

}  // namespace warmboot
