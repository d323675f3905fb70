// SPDX-License-Identifier: Apache-2.0
// Every file warmboot keeps, in one place, named as seen inside the target root. /run/warmboot is
// a tmpfs (gone at any reboot: it describes this boot only); /var/lib/warmboot survives reboots.
#pragma once

namespace warmboot {

// The configuration and the operator's hooks.
inline constexpr const char* kConfigPath = "/etc/warmboot/warmboot.conf";
inline constexpr const char* kDefaultHooksDir = "/etc/warmboot/hooks.d";

// This boot: what warmboot staged (core/staged_record.h), and the mark that the reboot under way
// hands over in systemd-shutdown's hook (core/enable_setup.h).
inline constexpr const char* kRunDir = "/run/warmboot";
inline constexpr const char* kStagedRecordPath = "/run/warmboot/staged.json";
inline constexpr const char* kRebootMarker = "/run/warmboot/kexec-on-reboot";
// Held while a kernel is staged or unloaded and its record written, so that two callers never
// leave a record naming one plan while the kernel holds the other.
inline constexpr const char* kStagingLockPath = "/run/warmboot/lock";
// Held while `history record` records this boot, so that two at once (warmboot-record.service and
// a fleet tool asking) never both count it.
inline constexpr const char* kHistoryLockPath = "/run/warmboot/history.lock";

// Across boots: the downtime history, the leaving boot's handover record, and the counters
// behind the Prometheus textfile (core/downtime_history.h, core/reboot_metrics.h).
inline constexpr const char* kStateDir = "/var/lib/warmboot";
inline constexpr const char* kHistoryPath = "/var/lib/warmboot/history.json";
inline constexpr const char* kHandoverPath = "/var/lib/warmboot/handover.json";
inline constexpr const char* kRebootCountsPath = "/var/lib/warmboot/reboot-counts.json";

// The systemd drop-in `warmboot enable` writes.
inline constexpr const char* kEnableDropIn =
    "/etc/systemd/system/multi-user.target.d/warmboot.conf";

}  // namespace warmboot
