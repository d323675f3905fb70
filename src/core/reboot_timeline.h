// SPDX-License-Identifier: Apache-2.0
// A cold and a warm reboot of this machine side by side, phase by phase: measured ones from the
// downtime history when there are some, else estimated from this boot. Rendered as terminal bars
// (render_bars) or an SVG picture (render_svg, timeline_svg.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/boot_timings.h"
#include "core/downtime_history.h"

namespace warmboot {

struct TimelinePhase {
  std::string name;  // "shutdown", "firmware", "loader", "reset+POST", "kexec", "kernel", ...
  double seconds = 0;
  bool operator==(const TimelinePhase&) const = default;
};

struct RebootTimeline {
  std::string kind;   // "cold" or "warm"
  std::string basis;  // "measured: ..." or "estimated: ..."
  std::vector<TimelinePhase> phases;
  double total() const;
};

// The phases of one recorded reboot: the previous boot's shutdown, then (cold) firmware and
// loader or (warm) nothing, then kernel, initrd, userspace. When the downtime is known, what the
// phases do not account for becomes "reset+POST" (cold) or "kexec" (warm): the firmware of a BIOS
// machine, or the handover and the purgatory's checks.
RebootTimeline timeline_of(const DowntimeRecord& record);

// One cold and one warm timeline when they can be had: the newest recorded reboot of each kind
// with its phases; a missing kind is estimated from the other (a warm reboot is the cold one
// without firmware and loader; a cold one cannot be estimated without firmware numbers).
std::vector<RebootTimeline> compare_reboots(const std::vector<DowntimeRecord>& history);

// Terminal bars, all on one scale, `width` characters for the longest; one letter per phase and
// a legend line.
std::string render_bars(const std::vector<RebootTimeline>& timelines, int width = 60);

// A standalone SVG document (timeline_svg.cc).
std::string render_svg(const std::vector<RebootTimeline>& timelines, const std::string& title);

nlohmann::json to_json(const RebootTimeline& timeline);

}  // namespace warmboot
