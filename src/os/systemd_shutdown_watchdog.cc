// SPDX-License-Identifier: Apache-2.0
// PID 1's shutdown watchdogs (core/watchdog.h) as Manager properties: RebootWatchdogUSec and
// KExecWatchdogUSec, writable by root since systemd 243. PID 1 reads them when it becomes
// systemd-shutdown, opens the watchdog with that timeout and leaves it running into the reboot.
#include <systemd/sd-bus.h>

#include <string>

#include "core/logind_policy.h"
#include "os/sd_bus_handles.h"
#include "os/sd_bus_systemd_client.h"

namespace warmboot {

Result<uint64_t> SdBusSystemdClient::shutdown_watchdog(ShutdownWatchdog which) {
  auto b = bus_.pid1();
  if (!b) return b.error();
  BusError error;
  uint64_t usec = 0;
  int r = sd_bus_get_property_trivial(*b, kSystemd, kSystemdPath, kSystemdManager, to_string(which),
                                      &error.e, 't', &usec);
  if (r < 0) {
    return bus_failure(std::string(kSystemdManager) + "." + to_string(which), r, error.name(),
                       error.message());
  }
  return usec;
}

Status SdBusSystemdClient::set_shutdown_watchdog(ShutdownWatchdog which, uint64_t usec) {
  auto b = bus_.pid1();
  if (!b) return b.error();
  BusError error;
  int r = sd_bus_set_property(*b, kSystemd, kSystemdPath, kSystemdManager, to_string(which),
                              &error.e, "t", usec);
  if (r < 0) {
    return bus_failure(std::string(kSystemdManager) + "." + to_string(which) + " (set)", r,
                       error.name(), error.message(), "systemd >= 243 and root are needed");
  }
  return {};
}

}  // namespace warmboot
