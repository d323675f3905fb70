// SPDX-License-Identifier: Apache-2.0
#include "core/boot_timings.h"

#include <nlohmann/json.hpp>

namespace warmboot {
namespace {

constexpr double kUsec = 1e6;

nlohmann::json optional_seconds(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

double BootPhases::total() const {
  double sum = 0;
  for (const auto* phase : {&firmware, &loader, &kernel, &initrd, &userspace}) {
    if (*phase) sum += **phase;
  }
  return sum;
}

BootPhases boot_phases(const BootTimestamps& t) {
  BootPhases phases;
  if (t.firmware_us > 0 && t.firmware_us >= t.loader_us) {
    phases.firmware = static_cast<double>(t.firmware_us - t.loader_us) / kUsec;
  }
  if (t.loader_us > 0) phases.loader = static_cast<double>(t.loader_us) / kUsec;
  if (t.initrd_us > 0) {
    phases.kernel = static_cast<double>(t.initrd_us) / kUsec;
    if (t.userspace_us >= t.initrd_us) {
      phases.initrd = static_cast<double>(t.userspace_us - t.initrd_us) / kUsec;
    }
  } else if (t.userspace_us > 0) {
    phases.kernel = static_cast<double>(t.userspace_us) / kUsec;
  }
  if (t.finish_us > 0 && t.finish_us >= t.userspace_us) {
    phases.userspace = static_cast<double>(t.finish_us - t.userspace_us) / kUsec;
  }
  return phases;
}

WarmSaving warm_saving(const BootPhases& phases, bool came_from_kexec) {
  WarmSaving saving;
  if (came_from_kexec) {
    saving.note =
        "this boot came from a kexec, so no firmware ran: the saving shows after a cold boot";
    return saving;
  }
  if (!phases.firmware && !phases.loader) {
    saving.note =
        "the firmware reported no boot times (BIOS, or no EFI loader that measures them): "
        "compare cold and warm downtimes in `warmboot history` instead";
    return saving;
  }
  saving.seconds = phases.firmware.value_or(0) + phases.loader.value_or(0);
  double whole = phases.total();
  if (whole > 0) saving.percent = 100.0 * *saving.seconds / whole;
  saving.note = phases.firmware && phases.loader
                    ? "firmware + boot loader, as the firmware reported them"
                    : "only part of firmware + loader was reported";
  return saving;
}

nlohmann::json to_json(const BootPhases& phases) {
  return {{"firmware_s", optional_seconds(phases.firmware)},
          {"loader_s", optional_seconds(phases.loader)},
          {"kernel_s", optional_seconds(phases.kernel)},
          {"initrd_s", optional_seconds(phases.initrd)},
          {"userspace_s", optional_seconds(phases.userspace)},
          {"total_s", phases.total()}};
}

std::optional<BootPhases> boot_phases_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  BootPhases phases;
  auto read = [&](const char* key, std::optional<double>& into) {
    if (json.contains(key) && json[key].is_number()) into = json[key].get<double>();
  };
  read("firmware_s", phases.firmware);
  read("loader_s", phases.loader);
  read("kernel_s", phases.kernel);
  read("initrd_s", phases.initrd);
  read("userspace_s", phases.userspace);
  return phases;
}

nlohmann::json to_json(const WarmSaving& saving) {
  return {{"seconds", optional_seconds(saving.seconds)},
          {"percent", optional_seconds(saving.percent)},
          {"note", saving.note}};
}

}  // namespace warmboot
