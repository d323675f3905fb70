// SPDX-License-Identifier: Apache-2.0
#include "core/guard_pin.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace warmboot {

nlohmann::json to_json(const GuardPin& pin) {
  return {{"boot_id", pin.boot_id}, {"at", pin.at}, {"kernel", pin.kernel}, {"reason", pin.reason}};
}

std::optional<GuardPin> pin_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  try {
    return GuardPin{json.at("boot_id").get<std::string>(), json.at("at").get<double>(),
                    json.at("kernel").get<std::string>(), json.at("reason").get<std::string>()};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::optional<std::string> guard_failure(const DowntimeRecord& record) {
  if (record.kind == RebootKind::WarmFailed) {
    return fmt::format("the warm reboot into {} came back cold through the firmware (warm-failed)",
                       record.plan.empty() ? "the staged kernel" : record.plan);
  }
  if (record.kind == RebootKind::Warm && !record.regressions.empty()) {
    return fmt::format("after the warm reboot into {}: {}", record.kernel,
                       fmt::join(record.regressions, "; "));
  }
  return std::nullopt;
}

std::optional<GuardPin> read_pin(const FileSystem& fs) {
  auto text = fs.read_file(kPinPath, 1 << 16);
  if (!text)
    return text.error().code == ENOENT
               ? std::nullopt
               : std::optional<GuardPin>(
                     GuardPin{"", 0, "",
                              fmt::format("{} cannot be read: {}", kPinPath, text.error().str())});
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (auto pin = pin_from_json(json)) return pin;
  return GuardPin{"", 0, "", fmt::format("{} is damaged", kPinPath)};
}

Status write_pin(FileSystem& fs, const GuardPin& pin) {
  return fs.write_file(kPinPath, json_text(to_json(pin)));
}

Status remove_pin(FileSystem& fs) {
  return fs.remove_file(kPinPath);
}

std::string describe_pin(const GuardPin& pin) {
  return fmt::format("pinned cold since {} UTC{}: {}", pin.at > 0 ? utc_text(pin.at) : "?",
                     pin.kernel.empty() ? "" : fmt::format(" (kernel {})", pin.kernel), pin.reason);
}

}  // namespace warmboot
