#include "core/staged_record.h"

#include <nlohmann/json.hpp>

namespace warmboot {

Status write_staged_record(FileSystem& fs, const StagedRecord& record) {
  nlohmann::json json;
  json["plan"] = to_json(record.plan);
  json["method"] = record.method;
  json["boot_id"] = record.boot_id;
  json["staged_at"] = record.staged_at;
  return fs.write_file(kStagedRecordPath, json.dump(2) + "\n");
}

std::optional<StagedRecord> read_staged_record(const FileSystem& fs) {
  auto text = fs.read_file(kStagedRecordPath, 1 << 20);
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("plan")) return std::nullopt;
  auto plan = plan_from_json(json["plan"]);
  if (!plan) return std::nullopt;
  StagedRecord record;
  record.plan = std::move(*plan);
  if (json.value("method", nlohmann::json()).is_string()) record.method = json["method"];
  if (json.value("boot_id", nlohmann::json()).is_string()) record.boot_id = json["boot_id"];
  if (json.value("staged_at", nlohmann::json()).is_number_integer()) {
    record.staged_at = json["staged_at"];
  }
  return record;
}

Status remove_staged_record(FileSystem& fs) {
  return fs.remove_file(kStagedRecordPath);
}

std::string read_boot_id(const FileSystem& fs) {
  auto text = fs.read_file("/proc/sys/kernel/random/boot_id", 4096);
  if (!text) return {};
  std::string id = *text;
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  return id;
}

}  // namespace warmboot
