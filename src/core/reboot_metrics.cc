// SPDX-License-Identifier: Apache-2.0
#include "core/reboot_metrics.h"
#include "core/json_text.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace warmboot {
namespace {

constexpr RebootKind kKinds[] = {RebootKind::Warm, RebootKind::Cold, RebootKind::Fallback,
                                 RebootKind::WarmFailed};

std::optional<RebootCounts> read_counts(const FileSystem& fs) {
  auto text = fs.read_file(kRebootCountsPath, 1 << 20);
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  RebootCounts counts;
  for (RebootKind kind : kKinds) {
    auto it = json.find(to_string(kind));
    if (it == json.end() && kind == RebootKind::WarmFailed) continue;  // written by 0.1 (none)
    if (it == json.end() || !it->is_number_unsigned()) return std::nullopt;
    counts.of(kind) = it->get<uint64_t>();
  }
  return counts;
}

}  // namespace

uint64_t& RebootCounts::of(RebootKind kind) {
  switch (kind) {
    case RebootKind::Warm:
      return warm;
    case RebootKind::Fallback:
      return fallback;
    case RebootKind::WarmFailed:
      return warm_failed;
    case RebootKind::Cold:
      break;
  }
  return cold;
}

uint64_t RebootCounts::of(RebootKind kind) const {
  RebootCounts copy = *this;
  return copy.of(kind);
}

RebootCounts count_history(const std::vector<DowntimeRecord>& history) {
  RebootCounts counts;
  for (const auto& record : history) ++counts.of(record.kind);
  return counts;
}

RebootCounts current_counts(const FileSystem& fs, const std::vector<DowntimeRecord>& history) {
  return read_counts(fs).value_or(count_history(history));
}

Result<RebootCounts> count_new_reboot(FileSystem& fs, RebootKind kind,
                                      const std::vector<DowntimeRecord>& history) {
  RebootCounts counts = count_history(history);
  if (auto known = read_counts(fs)) {
    counts = *known;
    ++counts.of(kind);
  }
  nlohmann::json json = nlohmann::json::object();
  for (RebootKind k : kKinds) json[to_string(k)] = counts.of(k);
  if (auto written = fs.write_file(kRebootCountsPath, json_text(json, -1)); !written)
    return written.error();
  return counts;
}

std::string render_metrics(const std::vector<DowntimeRecord>& history, const RebootCounts& counts,
                           bool staged) {
  std::string text =
      "# HELP warmboot_last_downtime_seconds Seconds from leaving (warmboot's handover) to "
      "userspace ready, newest reboot of each kind.\n"
      "# TYPE warmboot_last_downtime_seconds gauge\n";
  for (RebootKind kind : kKinds) {
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
      if (it->kind != kind || !it->downtime_s) continue;
      text += fmt::format("warmboot_last_downtime_seconds{{kind=\"{}\"}} {:.3f}\n", to_string(kind),
                          *it->downtime_s);
      break;
    }
  }
  text +=
      "# HELP warmboot_reboots_total Reboots recorded by warmboot, by kind (warm, cold, "
      "fallback, warm-failed).\n"
      "# TYPE warmboot_reboots_total counter\n";
  for (RebootKind kind : kKinds) {
    text +=
        fmt::format("warmboot_reboots_total{{kind=\"{}\"}} {}\n", to_string(kind), counts.of(kind));
  }
  text +=
      "# HELP warmboot_staged Whether a kernel is staged for a warm reboot (1) or not (0).\n"
      "# TYPE warmboot_staged gauge\n";
  text += fmt::format("warmboot_staged {}\n", staged ? 1 : 0);
  size_t regressions = history.empty() ? 0 : history.back().regressions.size();
  text +=
      "# HELP warmboot_health_regressions What the newest boot lost against the health snapshot "
      "taken before its warm handover (devices, CPUs, memory, links, mounts).\n"
      "# TYPE warmboot_health_regressions gauge\n";
  text += fmt::format("warmboot_health_regressions {}\n", regressions);
  return text;
}

}  // namespace warmboot
