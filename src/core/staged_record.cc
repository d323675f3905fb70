// SPDX-License-Identifier: Apache-2.0
#include "core/staged_record.h"

#include <nlohmann/json.hpp>

namespace warmboot {

const char* to_string(StagingMethod method) {
  return method == StagingMethod::KexecTools ? "kexec_load (kexec-tools)" : "kexec_file_load";
}

std::optional<StagingMethod> staging_method_from_string(std::string_view text) {
  for (auto method : {StagingMethod::FileLoad, StagingMethod::KexecTools})
    if (text == to_string(method)) return method;
  return std::nullopt;
}

Status write_staged_record(FileSystem& fs, const StagedRecord& record) {
  nlohmann::json json;
  json["plan"] = to_json(record.plan);
  json["method"] = to_string(record.method);
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
  auto method = json.value("method", nlohmann::json());
  if (!method.is_string()) return std::nullopt;
  auto known = staging_method_from_string(method.get<std::string>());
  if (!known) return std::nullopt;
  record.method = *known;
  if (json.value("boot_id", nlohmann::json()).is_string()) record.boot_id = json["boot_id"];
  if (json.value("staged_at", nlohmann::json()).is_number_integer()) {
    record.staged_at = json["staged_at"];
  }
  return record;
}

Status remove_staged_record(FileSystem& fs) {
  return fs.remove_file(kStagedRecordPath);
}

}  // namespace warmboot
