// SPDX-License-Identifier: Apache-2.0
// Pure decisions behind the systemd handover: logind flags by systemd version, which inhibitors
// block a shutdown and how to say so, and what to do when a logind call fails. No D-Bus here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/systemd_client.h"

namespace warmboot {

// Flags of logind's RebootWithFlags (org.freedesktop.login1(5)).
// ROOT_CHECK_INHIBITORS: block inhibitors also stop privileged callers (systemd 248-256; from 257
// block always applies and this flag extends it to block-weak).
inline constexpr uint64_t kLogindRootCheckInhibitors = UINT64_C(1) << 0;
// KEXEC_REBOOT (renamed REBOOT_VIA_KEXEC in the source): reboot via kexec.target if a kernel is
// loaded, else via reboot.target. Since systemd 248, like RebootWithFlags itself.
inline constexpr uint64_t kLogindKexecReboot = UINT64_C(1) << 1;
// SKIP_INHIBITORS: bypass block inhibitors; systemd 257 and later reject it as an invalid flag
// before that ("Invalid flags parameter").
inline constexpr uint64_t kLogindSkipInhibitors = UINT64_C(1) << 4;

inline constexpr int kSystemdWithRebootFlags = 248;
inline constexpr int kSystemdWithSkipInhibitors = 257;

// "252.22-1~deb12u1" or "252" -> 252; 0 when it doesn't start with a number.
int parse_systemd_version(std::string_view version);

// The flags for RebootWithFlags. version 0 (unknown) is treated as older than 257.
uint64_t logind_reboot_flags(bool kexec, bool ignore_inhibitors, int systemd_version);

// `what` lists "shutdown" and mode is "block" (delay and block-weak locks don't stop root).
bool is_shutdown_blocker(const Inhibitor& inhibitor);
std::vector<Inhibitor> filter_shutdown_blockers(const std::vector<Inhibitor>& all);

// "\"GNOME Shell\" (PID 1234, UID 1000): \"Saving files\"".
std::string describe_inhibitor(const Inhibitor& inhibitor);
// The refusal naming every blocker, with the "--ignore-inhibitors" remedy.
Error blocked_by_inhibitors(const std::vector<Inhibitor>& blockers);

enum class LogindFailure {
  Fatal,             // report it (access denied, already in progress, ...)
  RetryWithoutSkip,  // this logind doesn't know SKIP_INHIBITORS: call again without it
  UseStartUnit,      // logind is absent or too old: ask PID 1 to start the target directly
};
LogindFailure classify_logind_failure(std::string_view error_name, uint64_t flags_sent);

// An Error from a failed bus call: r is sd-bus's negative errno; name and message come from the
// sd_bus_error (either may be empty).
Error bus_failure(std::string op, int r, std::string_view name, std::string_view message,
                  std::string remedy = {});

}  // namespace warmboot
