// SPDX-License-Identifier: Apache-2.0
#include "core/reboot_timeline.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace warmboot {
namespace {

void add(RebootTimeline& t, const char* name, const std::optional<double>& seconds) {
  if (seconds && *seconds > 0) t.phases.push_back({name, *seconds});
}

bool has_phases(const DowntimeRecord& r) {
  return r.phases.has_value();
}

const DowntimeRecord* newest(const std::vector<DowntimeRecord>& history, RebootKind kind) {
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->kind == kind && has_phases(*it)) return &*it;
  }
  return nullptr;
}

char letter_of(const std::string& phase) {
  if (phase == "shutdown") return 'S';
  if (phase == "firmware") return 'F';
  if (phase == "loader") return 'L';
  if (phase == "reset+POST") return 'P';
  if (phase == "kexec") return 'X';
  if (phase == "kernel") return 'K';
  if (phase == "initrd") return 'I';
  if (phase == "userspace") return 'U';
  return '?';
}

}  // namespace

double RebootTimeline::total() const {
  double sum = 0;
  for (const auto& p : phases) sum += p.seconds;
  return sum;
}

RebootTimeline timeline_of(const DowntimeRecord& record) {
  RebootTimeline t;
  bool warm = record.kind == RebootKind::Warm;
  t.kind = warm ? "warm" : "cold";
  t.basis = fmt::format("measured: the {} reboot of {}", to_string(record.kind),
                        utc_text(record.ready_at, "%Y-%m-%d %H:%M UTC"));
  add(t, "shutdown", record.shutdown_s);
  BootPhases phases = record.phases.value_or(BootPhases{});
  if (!warm) {
    add(t, "firmware", phases.firmware);
    add(t, "loader", phases.loader);
  }
  double booted =
      phases.kernel.value_or(0) + phases.initrd.value_or(0) + phases.userspace.value_or(0);
  if (record.downtime_s) {
    double accounted = t.total() + booted;
    double gap = *record.downtime_s - accounted;
    if (gap > 0.05) t.phases.push_back({warm ? "kexec" : "reset+POST", gap});
  }
  add(t, "kernel", phases.kernel);
  add(t, "initrd", phases.initrd);
  add(t, "userspace", phases.userspace);
  return t;
}

std::vector<RebootTimeline> compare_reboots(const std::vector<DowntimeRecord>& history) {
  const DowntimeRecord* cold = newest(history, RebootKind::Cold);
  const DowntimeRecord* warm = newest(history, RebootKind::Warm);
  std::vector<RebootTimeline> out;
  if (cold) out.push_back(timeline_of(*cold));
  if (warm) {
    out.push_back(timeline_of(*warm));
  } else if (cold) {
    RebootTimeline estimate = timeline_of(*cold);
    estimate.kind = "warm";
    estimate.basis = "estimated: the cold reboot without firmware, loader and reset";
    std::erase_if(estimate.phases, [](const TimelinePhase& p) {
      return p.name == "firmware" || p.name == "loader" || p.name == "reset+POST";
    });
    out.push_back(std::move(estimate));
  }
  return out;
}

std::string render_bars(const std::vector<RebootTimeline>& timelines, int width) {
  double longest = 0;
  for (const auto& t : timelines) longest = std::max(longest, t.total());
  if (timelines.empty() || longest <= 0) return "";
  std::string out;
  for (const auto& t : timelines) {
    std::string bar;
    for (const auto& p : t.phases) {
      int cells = static_cast<int>(std::lround(p.seconds / longest * width));
      if (cells == 0 && p.seconds > 0) cells = 1;  // every phase stays visible
      bar.append(static_cast<size_t>(cells), letter_of(p.name));
    }
    out +=
        fmt::format("  {:<5} {:<{}} {:>7.1f} s  {}\n", t.kind, bar, width + 2, t.total(), t.basis);
  }
  std::vector<std::string> seen;
  for (const auto& t : timelines) {
    for (const auto& p : t.phases) {
      if (std::find(seen.begin(), seen.end(), p.name) == seen.end()) seen.push_back(p.name);
    }
  }
  out += "  ";
  for (const auto& name : seen) out += fmt::format(" {}={}", letter_of(name), name);
  out += "\n";
  return out;
}

nlohmann::json to_json(const RebootTimeline& timeline) {
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& p : timeline.phases)
    phases.push_back({{"name", p.name}, {"seconds", p.seconds}});
  return {{"kind", timeline.kind},
          {"basis", timeline.basis},
          {"total_s", timeline.total()},
          {"phases", std::move(phases)}};
}

}  // namespace warmboot
