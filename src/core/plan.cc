// SPDX-License-Identifier: Apache-2.0
#include "core/plan.h"

#include <nlohmann/json.hpp>

namespace warmboot {

const char* to_string(PlanSource source) {
  switch (source) {
    case PlanSource::Bootloader:
      return "bootloader";
    case PlanSource::Current:
      return "current";
    case PlanSource::Latest:
      return "latest";
    case PlanSource::Version:
      return "version";
    case PlanSource::Path:
      return "path";
  }
  return "bootloader";
}

std::optional<PlanSource> plan_source_from_string(std::string_view text) {
  for (auto source : {PlanSource::Bootloader, PlanSource::Current, PlanSource::Latest,
                      PlanSource::Version, PlanSource::Path}) {
    if (text == to_string(source)) return source;
  }
  return std::nullopt;
}

nlohmann::json to_json(const Plan& plan) {
  nlohmann::json json;
  json["kernel"] = plan.kernel;
  json["initrds"] = plan.initrds;
  json["cmdline"] = plan.cmdline;
  json["version"] = plan.version ? nlohmann::json(*plan.version) : nlohmann::json(nullptr);
  json["source"] = to_string(plan.source);
  json["entry"] = plan.entry ? nlohmann::json(*plan.entry) : nlohmann::json(nullptr);
  json["uki"] = plan.uki;
  json["one_shot"] = plan.one_shot ? nlohmann::json(*plan.one_shot) : nlohmann::json(nullptr);
  json["dtb"] = plan.dtb ? nlohmann::json(*plan.dtb) : nlohmann::json(nullptr);
  return json;
}

std::optional<Plan> plan_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  try {
    Plan plan;
    plan.kernel = json.at("kernel").get<std::string>();
    plan.initrds = json.at("initrds").get<std::vector<std::string>>();
    plan.cmdline = json.at("cmdline").get<std::string>();
    if (!json.at("version").is_null()) plan.version = json.at("version").get<std::string>();
    auto source = plan_source_from_string(json.at("source").get<std::string>());
    if (!source) return std::nullopt;
    plan.source = *source;
    if (!json.at("entry").is_null()) plan.entry = json.at("entry").get<std::string>();
    plan.uki = json.value("uki", false);
    if (auto it = json.find("one_shot"); it != json.end() && it->is_string())
      plan.one_shot = it->get<std::string>();
    if (auto it = json.find("dtb"); it != json.end() && it->is_string())
      plan.dtb = it->get<std::string>();
    return plan;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace warmboot
