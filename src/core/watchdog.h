// SPDX-License-Identifier: Apache-2.0
// The hardware watchdog across a handover (warmboot(8), THE GUARD): if the new kernel hangs before
// it comes up, the running watchdog resets the machine through its firmware, a cold boot the next
// `history record` calls warm-failed. What the kernel does with it:
//   - the old kernel stops a running watchdog at kexec when its driver asked for that
//     (watchdog_stop_on_reboot(): i6300esb, iTCO_wdt, ...) unless it was booted with
//     watchdog.stop_on_reboot=0;
//   - the new kernel's driver either stops it at probe (i6300esb) or finds it running and has
//     the watchdog core feed it until userspace opens the device (iTCO_wdt, with Debian's
//     CONFIG_WATCHDOG_HANDLE_BOOT_ENABLED=y): a kernel that comes up is never reset by it.
// Who arms it: on the systemd paths systemd itself (KExecWatchdogUSec, or RebootWatchdogUSec when
// systemd-shutdown's hook hands over), set for this reboot; on the direct path (--force) warmboot,
// through WatchdogDevice. The real device is LinuxWatchdogDevice (os/linux_watchdog_device.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

// The watchdogs the kernel knows (/sys/class/watchdog: "watchdog0", ...), sorted; empty when none.
std::vector<std::string> watchdog_devices(const FileSystem& fs);

// systemd's watchdog for the last phase of a shutdown, by how the shutdown ends.
enum class ShutdownWatchdog {
  Reboot,  // RebootWatchdogUSec: systemd-shutdown reboots (warmboot's hook hands over there)
  KExec,   // KExecWatchdogUSec: systemd-shutdown reboots with kexec
};
const char* to_string(ShutdownWatchdog which);  // the D-Bus property's name

// [guard] watchdog_sec's default, and the shortest value accepted: a kernel under emulation or
// with a slow initramfs must reach the driver's probe well within it.
inline constexpr int kDefaultWatchdogSec = 120;
inline constexpr int kMinWatchdogSec = 30;

class WatchdogDevice {
 public:
  virtual ~WatchdogDevice() = default;
  // Opens the first watchdog device, sets its timeout, feeds it once and closes it without the
  // magic close: it keeps running, unfed, into the handover.
  virtual Result<int> arm(int seconds) = 0;  // the timeout the device took (drivers round)
  // Stops it again (magic close), when the handover it was armed for did not happen.
  virtual Status disarm() = 0;
};

}  // namespace warmboot
