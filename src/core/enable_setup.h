// What `warmboot enable` adds to a system, and how to tell whether it is there.
//
// systemd 252 (Debian 12) reboots cold through reboot.target even with a kernel staged, and has no
// kexec-force SuccessAction. So the warm path is built from two documented mechanisms:
//  1. warmboot-stage.service (shipped in /lib/systemd/system) is a oneshot with RemainAfterExit=yes
//     and only an ExecStop=: it costs nothing at boot. When the machine goes down, systemd stops
//     it while the other services stop and before local file systems are unmounted; its ExecStop
//     (`warmboot shutdown-stage`) stages the plan only if PID 1 has a start job for
//     reboot.target (poweroff, halt and kexec are left alone), runs the hooks, and writes
//     kRebootMarker.
//  2. systemd-shutdown runs every executable in /lib/systemd/system-shutdown/ with the verb, just
//     before reboot(2). warmboot.shutdown (shipped) does nothing unless the verb is "reboot" and
//     kRebootMarker exists; then `warmboot shutdown-hook reboot` calls
//     reboot(LINUX_REBOOT_CMD_KEXEC). If that fails, or nothing was staged, systemd-shutdown
//     carries on with its cold reboot.
// `enable` only adds kEnableDropIn (multi-user.target wants the stage unit); without it the
// service never runs, no marker is written and the shutdown hook does nothing: stock behaviour.
// The same drop-in also wants kRecordUnit, so that every boot is recorded in the downtime history
// (the package enables that unit on install too; `disable` leaves the package's enablement alone).
#pragma once

#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "core/state_paths.h"

namespace warmboot {

inline constexpr const char* kStageUnit = "warmboot-stage.service";
inline constexpr const char* kRecordUnit = "warmboot-record.service";

// The drop-in's exact text; `disable` removes the file only when it still says this (or what an
// earlier version of `enable` wrote).
std::string enable_drop_in_text();

enum class EnableState {
  Disabled,  // no drop-in
  Enabled,   // our drop-in, unchanged (this version's text or an earlier version's)
  Foreign,   // a file at that path that warmboot did not write (or that was edited)
};

EnableState enable_state(const FileSystem& fs);
// What an earlier version of `enable` wrote (without kRecordUnit): Enabled, and `enable` rewrites
// it.
bool is_earlier_drop_in_text(std::string_view text);
const char* to_string(EnableState state);

}  // namespace warmboot
