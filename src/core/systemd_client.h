// SPDX-License-Identifier: Apache-2.0
// PID 1 and logind: whether systemd runs the machine, who blocks a shutdown, and the handover.
// The real implementation is SdBusSystemdClient (os/sd_bus_systemd_client.h); tests use
// FakeSystemdClient.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/boot_timings.h"
#include "core/result.h"
#include "core/watchdog.h"

namespace warmboot {

// One entry of logind's ListInhibitors.
struct Inhibitor {
  std::string what;  // colon-separated: "shutdown:sleep"
  std::string who;
  std::string why;
  std::string mode;  // "block" or "delay" (and since systemd 257 "block-weak")
  uint32_t uid = 0;
  uint32_t pid = 0;

  bool operator==(const Inhibitor&) const = default;
};

// When a unit became active, on both clocks.
struct UnitActivation {
  double realtime = 0;        // CLOCK_REALTIME seconds since the epoch
  uint64_t monotonic_us = 0;  // CLOCK_MONOTONIC microseconds, comparable to BootTimestamps
};

class SystemdClient {
 public:
  virtual ~SystemdClient() = default;

  // /run/systemd/system is a directory (sd_booted() semantics, read through the FileSystem).
  virtual bool booted_with_systemd() = 0;
  // Whether PID 1 can be asked to shut down: its private socket or the system bus answers.
  virtual Status reachable() = 0;
  // PID 1's Version property as a number ("257.9-1~deb13u1" -> 257); 0 when it can't be read.
  virtual int version() = 0;
  // logind's inhibitors whose `what` contains "shutdown" and whose mode is "block".
  virtual Result<std::vector<Inhibitor>> shutdown_blockers() = 0;
  // Hands over to the staged kernel through an orderly shutdown (kexec.target). Refuses when
  // shutdown blockers exist unless ignore_inhibitors. Returns once the shutdown job is queued.
  virtual Status reboot_kexec(bool ignore_inhibitors) = 0;
  // An orderly cold reboot (reboot.target), with the same inhibitor rule.
  virtual Status reboot_cold(bool ignore_inhibitors) = 0;
  // PID 1's watchdog timeout for the end of a shutdown (core/watchdog.h), in microseconds
  // (0: off; UINT64_MAX: systemd's default), read and set at run time (writable since systemd 243;
  // the value lasts until PID 1 exits).
  virtual Result<uint64_t> shutdown_watchdog(ShutdownWatchdog which) = 0;
  virtual Status set_shutdown_watchdog(ShutdownWatchdog which, uint64_t usec) = 0;

  // PID 1's measurements of this boot (what systemd-analyze reads).
  virtual Result<BootTimestamps> boot_timestamps() = 0;
  // When `unit` last became active (ActiveEnterTimestamp); empty when it never did.
  virtual Result<std::optional<UnitActivation>> unit_active_since(const std::string& unit) = 0;
};

}  // namespace warmboot
