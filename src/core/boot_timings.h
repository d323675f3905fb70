// SPDX-License-Identifier: Apache-2.0
// This boot's phases as systemd measured them (the numbers `systemd-analyze` prints), and what a
// warm reboot would save: the firmware and the boot loader, which kexec skips.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace warmboot {

// PID 1's boot timestamps (org.freedesktop.systemd1.Manager *TimestampMonotonic), microseconds of
// CLOCK_MONOTONIC; 0 = not measured. Firmware and loader count backwards from the kernel's start:
// the firmware started `firmware_us` before it, the loader `loader_us` before it (EFI only, and
// only with a loader that reports them, e.g. systemd-boot).
struct BootTimestamps {
  uint64_t firmware_us = 0;
  uint64_t loader_us = 0;
  uint64_t initrd_us = 0;     // the initrd's PID 1 started (0: no initrd)
  uint64_t userspace_us = 0;  // the real root's PID 1 started
  uint64_t finish_us = 0;     // the boot transaction finished (0: still booting)
  bool operator==(const BootTimestamps&) const = default;
};

// Seconds per phase; empty where systemd has no number.
struct BootPhases {
  std::optional<double> firmware;
  std::optional<double> loader;
  std::optional<double> kernel;
  std::optional<double> initrd;
  std::optional<double> userspace;  // empty while the boot is not finished
  // firmware + loader + kernel + initrd + userspace, of the phases known.
  double total() const;
  bool operator==(const BootPhases&) const = default;
};

// The same arithmetic as systemd-analyze: kernel runs from 0 to the initrd's start (or to
// userspace without an initrd), initrd to userspace, userspace to finish.
BootPhases boot_phases(const BootTimestamps& stamps);

// What a warm reboot saves against a cold one on this machine: the firmware and loader time.
struct WarmSaving {
  std::optional<double> seconds;  // empty when the firmware reported nothing
  std::optional<double> percent;  // of the whole cold boot (firmware to userspace ready)
  std::string note;               // why it is unknown, or what it is based on
};
// `came_from_kexec`: this boot was itself a kexec, so no firmware ran and its zero is not a
// measurement of this machine's firmware.
WarmSaving warm_saving(const BootPhases& phases, bool came_from_kexec);

nlohmann::json to_json(const BootPhases& phases);
// Back from to_json; empty when `json` is not such an object.
std::optional<BootPhases> boot_phases_from_json(const nlohmann::json& json);
nlohmann::json to_json(const WarmSaving& saving);

}  // namespace warmboot
