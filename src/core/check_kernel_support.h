// SPDX-License-Identifier: Apache-2.0
// Can the running kernel load another one at all: the kexec system calls it was built with, the
// sysctls that switch them off, and whether this process may call them (CAP_SYS_BOOT).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/check.h"
#include "core/filesystem.h"
#include "core/kernel_config.h"
#include "core/machine_facts.h"

namespace warmboot {

// "kexec-syscall": CONFIG_KEXEC_FILE (what warmboot uses) / CONFIG_KEXEC (kexec-tools' fallback)
// in the running kernel's configuration (nullopt: none found).
CheckResult check_kexec_syscalls(const std::optional<FoundKernelConfig>& config);

// "kexec-sysctl": /proc/sys/kernel/kexec_load_disabled (1 is final until the next boot) and
// /proc/sys/kernel/kexec_load_limit_reboot (since Linux 6.7: -1 unlimited, N loads left).
CheckResult check_kexec_sysctls(const MachineFacts& machine);

// "privileges": /proc/self/status: real uid 0, and CAP_SYS_BOOT (bit 22) in CapEff, which
// kexec_file_load and reboot(2) require. Root without it (a container) cannot hand over.
CheckResult check_privileges(const FileSystem& fs);

// The value of "Key:" in a /proc/PID/status text, without surrounding blanks; "" if absent.
std::string status_field(std::string_view status, std::string_view key);

inline constexpr int kCapSysBoot = 22;

}  // namespace warmboot
