// The real SystemManager: logind and PID 1 over sd-bus on the system bus.
// DANGER: reboot_kexec and reboot_cold shut the machine down. Never call them on a development
// host; they run only inside QEMU guests (tests/vm/). Unit tests use FakeSystemManager.
#pragma once

#include <memory>
#include <string>

#include "os/filesystem.h"
#include "os/system_manager.h"

struct sd_bus;

namespace warmboot {

// The handover, on systemd >= 248 (Debian 12 has 252):
//   1. unless ignore_inhibitors, refuse if logind lists "block" inhibitors on "shutdown";
//   2. (kexec) refuse unless /sys/kernel/kexec_loaded is 1: logind's kexec flag silently turns
//      into a cold reboot when nothing is staged;
//   3. logind RebootWithFlags(flags from logind_reboot_flags(), by PID 1's Version property);
//   4. if logind is absent or lacks RebootWithFlags (< 248), PID 1's
//      StartUnit("kexec.target" or "reboot.target", "replace-irreversibly"), which is what
//      `systemctl kexec` itself does on 248-252; never the plain Reboot method for kexec, which
//      would reboot cold.
class SystemdManager : public SystemManager {
 public:
  explicit SystemdManager(const FileSystem& fs);
  ~SystemdManager() override;

  bool booted_with_systemd() override;
  Result<std::vector<Inhibitor>> shutdown_blockers() override;
  Status reboot_kexec(bool ignore_inhibitors) override;
  Status reboot_cold(bool ignore_inhibitors) override;
  // In systemd_boot_times.cc.
  Result<BootTimestamps> boot_timestamps() override;
  Result<std::optional<UnitActivation>> unit_active_since(const std::string& unit) override;

  // PID 1's Version property parsed with parse_systemd_version(); 0 when it can't be read.
  int systemd_version();

 private:
  Result<sd_bus*> bus();
  Result<std::vector<Inhibitor>> list_inhibitors(bool* logind_absent);
  Status check_inhibitors(bool ignore_inhibitors);
  Status reboot(bool kexec, bool ignore_inhibitors);
  Status start_unit(const char* unit);

  const FileSystem& fs_;
  sd_bus* bus_ = nullptr;
};

}  // namespace warmboot
