// SPDX-License-Identifier: Apache-2.0
#include "core/shutdown_blame.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace warmboot {
namespace {

// Units that start as part of going down; their start does not mean the machine was still up.
bool part_of_shutdown(const std::string& unit) {
  static const char* const kUnits[] = {"shutdown.target",
                                       "reboot.target",
                                       "kexec.target",
                                       "poweroff.target",
                                       "halt.target",
                                       "final.target",
                                       "umount.target",
                                       "exit.target",
                                       "systemd-reboot.service",
                                       "systemd-kexec.service",
                                       "systemd-poweroff.service",
                                       "systemd-halt.service",
                                       "systemd-exit.service",
                                       "systemd-update-utmp-runlevel.service"};
  if (unit.starts_with("plymouth-")) return true;
  return std::find(std::begin(kUnits), std::end(kUnits), unit) != std::end(kUnits);
}

bool is(const JournalEntry& e, const char* id) {
  return e.field("MESSAGE_ID") == id;
}

// Index of the entry that opened the shutdown, or entries.size() when there was none.
size_t shutdown_start(const std::vector<JournalEntry>& entries) {
  // logind's "System is rebooting." (also for `systemctl reboot`, which asks logind first).
  for (size_t i = entries.size(); i-- > 0;) {
    if (is(entries[i], message_id::kShutdown)) return i;
  }
  // Else: the first stop after the last start of a unit that is not part of the shutdown.
  size_t after = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if ((is(e, message_id::kUnitStarting) || is(e, message_id::kUnitStarted)) &&
        !part_of_shutdown(e.field("UNIT"))) {
      after = i + 1;
    }
  }
  for (size_t i = after; i < entries.size(); ++i) {
    if (is(entries[i], message_id::kUnitStopping)) return i;
  }
  return entries.size();
}

}  // namespace

std::optional<ShutdownReport> shutdown_blame(const BootJournal& boot) {
  const auto& entries = boot.entries;
  size_t start = shutdown_start(entries);
  if (start >= entries.size()) return std::nullopt;
  ShutdownReport report;
  report.boot_id = boot.boot_id;
  report.truncated = boot.truncated;
  report.started_at = entries[start].when();
  report.kind = entries[start].field("SHUTDOWN");
  report.began_with = entries[start].field("MESSAGE");
  report.ended_at = report.started_at;
  for (const auto& e : entries) report.ended_at = std::max(report.ended_at, e.when());

  std::map<std::string, UnitStop> stops;  // by unit, the stop after the shutdown began
  for (size_t i = start; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const std::string& unit = e.field("UNIT");
    if (unit.empty()) continue;
    if (is(e, message_id::kUnitStopping)) {
      if (stops.count(unit)) continue;
      stops[unit] = UnitStop{unit, e.when(), 0, false, false};
      continue;
    }
    auto it = stops.find(unit);
    if (it == stops.end()) continue;
    UnitStop& stop = it->second;
    if (is(e, message_id::kUnitStopped) && !stop.finished) {
      stop.finished = true;
      stop.seconds = e.when() - stop.started_at;
    }
    if (e.field("UNIT_RESULT") == "timeout" ||
        e.field("MESSAGE").find("timed out") != std::string::npos) {
      stop.timed_out = true;
    }
  }
  for (auto& [unit, stop] : stops) {
    if (!stop.finished) stop.seconds = report.ended_at - stop.started_at;
    report.units.push_back(stop);
  }
  std::stable_sort(report.units.begin(), report.units.end(),
                   [](const UnitStop& a, const UnitStop& b) { return a.seconds > b.seconds; });
  return report;
}

std::vector<UnitStop> worth_showing(const std::vector<UnitStop>& units, size_t limit) {
  std::vector<UnitStop> shown;
  for (size_t i = 0; i < units.size(); ++i) {
    if (i < limit || units[i].timed_out || !units[i].finished) shown.push_back(units[i]);
  }
  return shown;
}

nlohmann::json to_json(const ShutdownReport& report, size_t limit) {
  nlohmann::json units = nlohmann::json::array();
  for (const auto& u : worth_showing(report.units, limit)) {
    units.push_back({{"unit", u.unit},
                     {"seconds", u.seconds},
                     {"timed_out", u.timed_out},
                     {"finished", u.finished}});
  }
  return {{"boot_id", report.boot_id},
          {"started_at", report.started_at},
          {"ended_at", report.ended_at},
          {"seconds", report.seconds()},
          {"kind", report.kind},
          {"began_with", report.began_with},
          {"units_stopped", report.units.size()},
          {"truncated", report.truncated},
          {"units", std::move(units)}};
}

}  // namespace warmboot
