// SPDX-License-Identifier: Apache-2.0
// The guard's pin: after a warm reboot went wrong (it came back cold through the firmware, or it
// came back with a device, CPUs or memory missing), a host with [guard] on_failure = "pin-cold"
// reboots cold until someone looks: `reboot` and the enabled plain-reboot path go cold and say
// why. `warmboot unpin` lifts it; `reboot --ignore-pin` passes it once. The pin names the boot it
// was taken in and the kernel that misbehaved.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/downtime_history.h"
#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

inline constexpr const char* kPinPath = "/var/lib/warmboot/pin.json";

struct GuardPin {
  std::string boot_id;  // the boot that found the failure
  double at = 0;        // CLOCK_REALTIME seconds
  std::string kernel;   // the release that came up (or did not) warm
  std::string reason;   // what went wrong, one line
  bool operator==(const GuardPin&) const = default;
};

nlohmann::json to_json(const GuardPin& pin);
std::optional<GuardPin> pin_from_json(const nlohmann::json& json);

// What in a freshly recorded boot calls for the guard: a warm-failed boot or health regressions.
std::optional<std::string> guard_failure(const DowntimeRecord& record);

// The pin, if there is one (a corrupt file counts as a pin, so that it cannot be lost silently).
std::optional<GuardPin> read_pin(const FileSystem& fs);
Status write_pin(FileSystem& fs, const GuardPin& pin);
Status remove_pin(FileSystem& fs);

// "pinned cold since 2026-11-30 02:00:00 UTC (kernel 6.12.1): <reason>"
std::string describe_pin(const GuardPin& pin);

}  // namespace warmboot
