// SPDX-License-Identifier: Apache-2.0
// The real SystemdClient: logind and PID 1 over sd-bus on the system bus.
// DANGER: reboot_kexec and reboot_cold shut the machine down. Never call them on a development
// host; they run only inside QEMU guests (tests/vm/). Unit tests use FakeSystemdClient.
#pragma once

#include <string>

#include "core/filesystem.h"
#include "core/systemd_client.h"
#include "os/systemd_bus.h"

namespace warmboot {

// The handover, on systemd >= 248 (Debian 12 has 252). The caller has checked the inhibitors and,
// for a kexec, that a kernel is staged (logind's kexec flag silently turns into a cold reboot when
// nothing is): core/handover_sequence.h.
//   1. logind RebootWithFlags(flags from logind_reboot_flags(), by PID 1's Version property), which
//      refuses on a "block" inhibitor unless ignore_inhibitors;
//   2. if there is no system bus (no D-Bus daemon), logind is absent or lacks RebootWithFlags
//      (< 248), PID 1's
//      StartUnit("kexec.target" or "reboot.target", "replace-irreversibly"), which is what
//      `systemctl kexec` itself does on 248-252; never the plain Reboot method for kexec, which
//      would reboot cold.
class SdBusSystemdClient : public SystemdClient {
 public:
  explicit SdBusSystemdClient(const FileSystem& fs);
  ~SdBusSystemdClient() override;

  bool booted_with_systemd() override;
  Status reachable() override;
  int version() override;
  Result<std::vector<Inhibitor>> shutdown_blockers() override;
  Status reboot_kexec(bool ignore_inhibitors) override;
  Status reboot_cold(bool ignore_inhibitors) override;
  // In systemd_shutdown_watchdog.cc.
  Result<uint64_t> shutdown_watchdog(ShutdownWatchdog which) override;
  Status set_shutdown_watchdog(ShutdownWatchdog which, uint64_t usec) override;
  // In systemd_boot_times.cc.
  Result<BootTimestamps> boot_timestamps() override;
  Result<std::optional<UnitActivation>> unit_active_since(const std::string& unit) override;

 private:
  Result<std::vector<Inhibitor>> list_inhibitors();
  Status reboot(bool kexec, bool ignore_inhibitors);
  Status start_unit(const char* unit);

  const FileSystem& fs_;
  BusConnection bus_;
};

}  // namespace warmboot
