// SPDX-License-Identifier: Apache-2.0
// A SystemdClient for tests: configurable blockers and failures; records every handover request.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/logind_policy.h"
#include "core/systemd_client.h"

namespace warmboot {

class FakeSystemdClient : public SystemdClient {
 public:
  struct RebootCall {
    bool kexec = false;
    bool ignore_inhibitors = false;
    bool operator==(const RebootCall&) const = default;
  };

  void set_booted_with_systemd(bool booted) { booted_ = booted; }
  void set_blockers(std::vector<Inhibitor> blockers) { blockers_ = std::move(blockers); }
  void fail_blockers(Error error) { blockers_error_ = std::move(error); }
  void fail_reboot(Error error) { reboot_error_ = std::move(error); }
  void set_boot_timestamps(BootTimestamps stamps) { stamps_ = stamps; }
  void fail_boot_timestamps(Error error) { stamps_error_ = std::move(error); }
  void set_unit_active_since(const std::string& unit, UnitActivation when) {
    active_since_[unit] = when;
  }

  const std::vector<RebootCall>& reboots() const { return reboots_; }
  int blocker_queries() const { return blocker_queries_; }

  bool booted_with_systemd() override { return booted_; }
  void set_unreachable(Error error) { unreachable_ = std::move(error); }
  Status reachable() override {
    if (unreachable_) return *unreachable_;
    return {};
  }
  void set_version(int version) { version_ = version; }
  int version() override { return version_; }
  Result<std::vector<Inhibitor>> shutdown_blockers() override {
    ++blocker_queries_;
    if (blockers_error_) return *blockers_error_;
    return blockers_;
  }
  Status reboot_kexec(bool ignore_inhibitors) override { return reboot(true, ignore_inhibitors); }
  Status reboot_cold(bool ignore_inhibitors) override { return reboot(false, ignore_inhibitors); }
  Result<uint64_t> shutdown_watchdog(ShutdownWatchdog which) override {
    return which == ShutdownWatchdog::KExec ? kexec_watchdog_ : reboot_watchdog_;
  }
  Status set_shutdown_watchdog(ShutdownWatchdog which, uint64_t usec) override {
    if (watchdog_error_) return *watchdog_error_;
    (which == ShutdownWatchdog::KExec ? kexec_watchdog_ : reboot_watchdog_) = usec;
    watchdog_sets_.push_back(std::string(to_string(which)) + "=" + std::to_string(usec));
    return {};
  }
  void fail_set_watchdog(Error error) { watchdog_error_ = std::move(error); }
  // Every set_shutdown_watchdog, as "KExecWatchdogUSec=120000000".
  const std::vector<std::string>& watchdog_sets() const { return watchdog_sets_; }
  Result<BootTimestamps> boot_timestamps() override {
    if (stamps_error_) return *stamps_error_;
    return stamps_;
  }
  Result<std::optional<UnitActivation>> unit_active_since(const std::string& unit) override {
    auto it = active_since_.find(unit);
    if (it == active_since_.end()) return std::optional<UnitActivation>{};
    return std::optional<UnitActivation>{it->second};
  }

 private:
  // Same inhibitor rule as SdBusSystemdClient: blocked unless told to ignore.
  Status reboot(bool kexec, bool ignore_inhibitors) {
    reboots_.push_back(RebootCall{kexec, ignore_inhibitors});
    if (!ignore_inhibitors && !blockers_.empty()) return blocked_by_inhibitors(blockers_);
    if (reboot_error_) return *reboot_error_;
    return {};
  }

  bool booted_ = true;
  int version_ = 0;
  std::optional<Error> unreachable_;  // unknown: the facts fall back to the installed files
  std::vector<Inhibitor> blockers_;
  std::optional<Error> blockers_error_;
  std::optional<Error> reboot_error_;
  std::vector<RebootCall> reboots_;
  BootTimestamps stamps_;
  std::optional<Error> stamps_error_;
  std::map<std::string, UnitActivation> active_since_;
  uint64_t kexec_watchdog_ = 0;             // systemd's defaults: off for kexec,
  uint64_t reboot_watchdog_ = 600'000'000;  // 10 min for reboot
  std::optional<Error> watchdog_error_;
  std::vector<std::string> watchdog_sets_;
  int blocker_queries_ = 0;
};

}  // namespace warmboot
