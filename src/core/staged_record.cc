// SPDX-License-Identifier: Apache-2.0
#include "core/staged_record.h"
#include "core/json_text.h"

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

std::vector<StagedFile> identify_plan_files(const FileSystem& fs, const Plan& plan) {
  std::vector<StagedFile> files;
  auto add = [&](const std::string& path) {
    auto info = fs.stat(path);
    files.push_back(StagedFile{path, info ? info->identity : FileIdentity{}});
  };
  add(plan.kernel);
  for (const auto& initrd : plan.initrds) add(initrd);
  return files;
}

bool record_is_current(const StagedRecord& record, const Plan& plan, const std::string& boot_id,
                       const FileSystem& fs) {
  return record.plan == plan && !boot_id.empty() && record.boot_id == boot_id &&
         record.files == identify_plan_files(fs, plan);
}

namespace {

nlohmann::json to_json(const StagedFile& file) {
  const FileIdentity& id = file.identity;
  return {{"path", file.path}, {"device", id.device},     {"inode", id.inode},
          {"size", id.size},   {"mtime_ns", id.mtime_ns}, {"ctime_ns", id.ctime_ns}};
}

std::optional<StagedFile> staged_file_from_json(const nlohmann::json& json) {
  if (!json.is_object() || !json.value("path", nlohmann::json()).is_string()) return std::nullopt;
  StagedFile file;
  file.path = json["path"];
  for (auto [key, field] :
       {std::pair{"device", &file.identity.device}, std::pair{"inode", &file.identity.inode},
        std::pair{"size", &file.identity.size}}) {
    if (!json.value(key, nlohmann::json()).is_number_unsigned()) return std::nullopt;
    *field = json[key];
  }
  for (auto [key, field] : {std::pair{"mtime_ns", &file.identity.mtime_ns},
                            std::pair{"ctime_ns", &file.identity.ctime_ns}}) {
    if (!json.value(key, nlohmann::json()).is_number_integer()) return std::nullopt;
    *field = json[key];
  }
  return file;
}

}  // namespace

Status write_staged_record(FileSystem& fs, const StagedRecord& record) {
  nlohmann::json json;
  json["plan"] = to_json(record.plan);
  json["files"] = nlohmann::json::array();
  for (const auto& file : record.files) json["files"].push_back(to_json(file));
  // A title, command line or path that is not UTF-8 is written with U+FFFD: the record would then
  // never match its plan again (and `reboot` would restage every time). The exact bytes go along.
  if (!json_is_exact_text(json)) {
    json["exact"] = json_to_hex({{"plan", json["plan"]}, {"files", json["files"]}});
  }
  json["method"] = to_string(record.method);
  json["boot_id"] = record.boot_id;
  json["staged_at"] = record.staged_at;
  return fs.write_file(kStagedRecordPath, json_text(json));
}

std::optional<StagedRecord> read_staged_record(const FileSystem& fs) {
  auto text = fs.read_file(kStagedRecordPath, 1 << 20);
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("plan")) return std::nullopt;
  if (json.value("exact", nlohmann::json()).is_string()) {  // the plan and files, byte for byte
    auto exact = json_from_hex(json["exact"].get<std::string>());
    if (!exact || !exact->is_object() || !exact->contains("plan") || !exact->contains("files"))
      return std::nullopt;
    json["plan"] = (*exact)["plan"];
    json["files"] = (*exact)["files"];
  }
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
  // Without the files' identities nothing says the staged kernel is still what the files hold.
  if (!json.value("files", nlohmann::json()).is_array()) return std::nullopt;
  for (const auto& item : json["files"]) {
    auto file = staged_file_from_json(item);
    if (!file) return std::nullopt;
    record.files.push_back(std::move(*file));
  }
  return record;
}

Status remove_staged_record(FileSystem& fs) {
  return fs.remove_file(kStagedRecordPath);
}

}  // namespace warmboot
