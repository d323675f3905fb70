// SPDX-License-Identifier: Apache-2.0
#include "core/downtime_history.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <ctime>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/journal_entry.h"
#include "core/json_text.h"

namespace warmboot {

const char* to_string(RebootKind kind) {
  switch (kind) {
    case RebootKind::Warm:
      return "warm";
    case RebootKind::Cold:
      return "cold";
    case RebootKind::Fallback:
      return "fallback";
    case RebootKind::WarmFailed:
      return "warm-failed";
  }
  return "cold";
}

std::optional<RebootKind> reboot_kind_from_string(std::string_view text) {
  for (RebootKind kind :
       {RebootKind::Warm, RebootKind::Cold, RebootKind::Fallback, RebootKind::WarmFailed}) {
    if (text == to_string(kind)) return kind;
  }
  return std::nullopt;
}

std::string utc_text(double seconds, const char* format) {
  // Times come from files (the history); one outside time_t cannot be converted at all.
  const double limit = std::ldexp(1.0, std::numeric_limits<std::time_t>::digits);
  if (!(seconds > -limit && seconds < limit)) return "?";  // NaN fails both
  std::time_t whole = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!::gmtime_r(&whole, &tm)) return "?";
  char text[64];
  if (std::strftime(text, sizeof text, format, &tm) == 0) return "?";
  return text;
}

nlohmann::json to_json(const HandoverRecord& record) {
  nlohmann::json json = {{"boot_id", record.boot_id},
                         {"method", record.method},
                         {"left_at", record.left_at},
                         {"plan", record.plan}};
  if (record.health) json["health"] = to_json(*record.health);
  return json;
}

std::optional<HandoverRecord> handover_from_json(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("boot_id") || !json["boot_id"].is_string() ||
      !json.contains("left_at") || !json["left_at"].is_number()) {
    return std::nullopt;
  }
  HandoverRecord record;
  record.boot_id = json["boot_id"];
  record.left_at = json["left_at"].get<double>();
  if (json.contains("method") && json["method"].is_string()) record.method = json["method"];
  if (json.contains("plan") && json["plan"].is_string()) record.plan = json["plan"];
  if (json.contains("health")) record.health = health_from_json(json["health"]);
  return record;
}

nlohmann::json to_json(const DowntimeRecord& record) {
  nlohmann::json json = {{"boot_id", record.boot_id},
                         {"kind", to_string(record.kind)},
                         {"ready_at", record.ready_at},
                         {"plan", record.plan},
                         {"kernel", record.kernel}};
  json["left_at"] = record.left_at ? nlohmann::json(*record.left_at) : nlohmann::json(nullptr);
  json["downtime_s"] =
      record.downtime_s ? nlohmann::json(*record.downtime_s) : nlohmann::json(nullptr);
  json["left_by"] = record.left_by;
  json["shutdown_s"] =
      record.shutdown_s ? nlohmann::json(*record.shutdown_s) : nlohmann::json(nullptr);
  json["boot"] = record.phases ? to_json(*record.phases) : nlohmann::json(nullptr);
  json["health_regressions"] = record.regressions;
  return json;
}

std::optional<DowntimeRecord> downtime_from_json(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("boot_id") || !json["boot_id"].is_string() ||
      !json.contains("kind") || !json["kind"].is_string() || !json.contains("ready_at") ||
      !json["ready_at"].is_number()) {
    return std::nullopt;
  }
  auto kind = reboot_kind_from_string(json["kind"].get<std::string>());
  if (!kind) return std::nullopt;
  DowntimeRecord record;
  record.boot_id = json["boot_id"];
  record.kind = *kind;
  record.ready_at = json["ready_at"].get<double>();
  if (json.contains("left_at") && json["left_at"].is_number())
    record.left_at = json["left_at"].get<double>();
  if (json.contains("downtime_s") && json["downtime_s"].is_number())
    record.downtime_s = json["downtime_s"].get<double>();
  if (json.contains("plan") && json["plan"].is_string()) record.plan = json["plan"];
  if (json.contains("kernel") && json["kernel"].is_string()) record.kernel = json["kernel"];
  if (json.contains("left_by") && json["left_by"].is_string()) record.left_by = json["left_by"];
  if (json.contains("shutdown_s") && json["shutdown_s"].is_number())
    record.shutdown_s = json["shutdown_s"].get<double>();
  if (json.contains("boot")) record.phases = boot_phases_from_json(json["boot"]);
  if (auto it = json.find("health_regressions"); it != json.end() && it->is_array()) {
    for (const auto& line : *it)
      if (line.is_string()) record.regressions.push_back(line.get<std::string>());
  }
  return record;
}

bool same_boot_id(std::string_view a, std::string_view b) {
  return canonical_boot_id(a) == canonical_boot_id(b);
}

DowntimeRecord classify_boot(const std::string& boot_id, double ready_at,
                             const std::optional<HandoverRecord>& handover,
                             std::optional<double> previous_left,
                             const std::string& previous_boot_id) {
  DowntimeRecord record;
  record.boot_id = boot_id;
  record.ready_at = ready_at;
  if (handover && handover->boot_id != boot_id) {
    record.kind = handover->method == "cold" ? RebootKind::Fallback : RebootKind::Warm;
    record.left_at = handover->left_at;
    record.left_by = "handover";
    // The journal's request came first when the shutdown was not started by `warmboot reboot`
    // (a plain reboot made warm); never trust one that is later than the handover itself.
    bool same_boot = previous_boot_id.empty() || same_boot_id(previous_boot_id, handover->boot_id);
    if (previous_left && same_boot && *previous_left < handover->left_at) {
      record.left_at = previous_left;
      record.left_by = "journal";
    }
    record.plan = handover->plan;
  } else {
    record.kind = RebootKind::Cold;
    record.left_at = previous_left;
    if (previous_left) record.left_by = "journal";
  }
  if (record.left_at && *record.left_at <= ready_at) record.downtime_s = ready_at - *record.left_at;
  return record;
}

void append_record(std::vector<DowntimeRecord>& history, DowntimeRecord record, size_t keep) {
  auto same = [&](const DowntimeRecord& r) { return r.boot_id == record.boot_id; };
  if (std::any_of(history.begin(), history.end(), same)) return;
  history.push_back(std::move(record));
  if (history.size() > keep) history.erase(history.begin(), history.end() - keep);
}

Result<std::vector<DowntimeRecord>> read_history(const FileSystem& fs) {
  if (!fs.exists(kHistoryPath)) return std::vector<DowntimeRecord>{};
  auto text = fs.read_file(kHistoryPath, 16 << 20);
  if (!text) return text.error();
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("reboots") ||
      !json["reboots"].is_array()) {
    return errno_error(kHistoryPath, EBADMSG, kHistoryPath, "not a warmboot history file",
                       "move it away; a new one is started at the next boot");
  }
  std::vector<DowntimeRecord> history;
  for (const auto& item : json["reboots"]) {
    if (auto record = downtime_from_json(item)) history.push_back(std::move(*record));
  }
  return history;
}

Result<std::vector<DowntimeRecord>> read_history_or_start_anew(FileSystem& fs, double now,
                                                               std::string* moved_to) {
  auto history = read_history(fs);
  if (history || (history.error().code != EBADMSG && history.error().code != EFBIG)) return history;
  const std::string aside =
      std::string(kHistoryPath) + ".corrupt-" + utc_text(now, "%Y%m%dT%H%M%SZ");
  if (auto moved = fs.rename_file(kHistoryPath, aside); !moved) return moved.error();
  if (moved_to) *moved_to = aside;
  return std::vector<DowntimeRecord>{};
}

Status write_history(FileSystem& fs, const std::vector<DowntimeRecord>& history) {
  nlohmann::json reboots = nlohmann::json::array();
  for (const auto& record : history) reboots.push_back(to_json(record));
  nlohmann::json json = {{"version", 1}, {"reboots", std::move(reboots)}};
  return fs.write_file(kHistoryPath, json_text(json));
}

Status write_handover(FileSystem& fs, const HandoverRecord& record) {
  return fs.write_file(kHandoverPath, json_text(to_json(record)));
}

std::optional<HandoverRecord> read_handover(const FileSystem& fs) {
  auto text = fs.read_file(kHandoverPath, 1 << 20);
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  return json.is_discarded() ? std::nullopt : handover_from_json(json);
}

Result<DowntimeRecord> record_this_boot(FileSystem& fs, const std::string& boot_id, double ready_at,
                                        const BootFacts& facts) {
  auto history = read_history(fs);
  if (!history) return history.error();
  std::optional<HandoverRecord> handover = read_handover(fs);
  DowntimeRecord record =
      classify_boot(boot_id, ready_at, handover, facts.previous_left, facts.previous_boot_id);
  record.kernel = facts.kernel;
  record.shutdown_s = facts.shutdown_s;
  record.phases = facts.phases;
  if (record.kind == RebootKind::Warm) {
    if (facts.came_from_kexec == false) record.kind = RebootKind::WarmFailed;
    if (handover->health && facts.health)
      record.regressions = health_regressions(*handover->health, *facts.health);
  }
  append_record(*history, record);
  if (auto status = write_history(fs, *history); !status.ok()) return status.error();
  // Only a record from an earlier boot is consumed; this boot's own (a handover that has not
  // happened yet) stays.
  if (handover && handover->boot_id != boot_id) {
    if (auto status = fs.remove_file(kHandoverPath); !status.ok()) return status.error();
  }
  return record;
}

}  // namespace warmboot
