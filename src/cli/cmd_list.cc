// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/boot_inventory.h"
#include "core/json_text.h"

namespace warmboot {
namespace {

struct Marks {
  bool is_default = false, running = false, latest = false;
};

nlohmann::json entry_json(const BootEntry& entry, const Marks& marks) {
  return {
      {"title", entry.title},
      {"id", entry.id},
      {"origin", to_string(entry.origin)},
      {"kernel", entry.kernel},
      {"initrds", entry.initrds},
      {"options", entry.options ? nlohmann::json(*entry.options) : nlohmann::json(nullptr)},
      {"version", entry.version.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.version)},
      {"uki", entry.uki},
      {"default", marks.is_default},
      {"running", marks.running},
      {"latest", marks.latest}};
}

std::string flags(const Marks& marks) {
  std::string out;
  if (marks.is_default) out += "default ";
  if (marks.running) out += "running ";
  if (marks.latest) out += "latest ";
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace

ExitCode cmd_list(Context& ctx, const Invocation&) {
  BootInventory inv = read_boot_inventory(ctx.fs);
  const std::string& running_release = ctx.facts().release();
  std::string latest = inv.installed.empty() ? "" : inv.installed.front().version;

  std::vector<std::pair<const BootEntry*, Marks>> rows;
  for (size_t i = 0; i < inv.entries.size(); ++i) {
    const BootEntry& entry = inv.entries[i];
    rows.push_back({&entry, Marks{inv.default_index == i,
                                  !entry.version.empty() && entry.version == running_release,
                                  !entry.version.empty() && entry.version == latest}});
  }
  bool loader_default = inv.default_index.has_value() && !inv.loader_error;
  for (size_t i = 0; i < inv.installed.size(); ++i) {
    const BootEntry& entry = inv.installed[i];
    rows.push_back({&entry, Marks{!loader_default && !inv.loader_error && i == 0,
                                  entry.version == running_release, i == 0}});
  }

  if (ctx.json) {
    nlohmann::json doc;
    doc["loader"] = to_string(inv.loader);
    doc["default_reason"] = inv.default_reason;
    doc["loader_error"] = inv.loader_error ? nlohmann::json(inv.loader_error->str()) : nullptr;
    doc["warnings"] = inv.warnings;
    doc["entries"] = nlohmann::json::array();
    for (const auto& [entry, marks] : rows) doc["entries"].push_back(entry_json(*entry, marks));
    ctx.out << json_text(doc);
  } else {
    fmt::print(ctx.out, "boot loader: {}{}\n", to_string(inv.loader),
               inv.default_reason.empty() ? "" : fmt::format(" (default: {})", inv.default_reason));
    for (const auto& [entry, marks] : rows) {
      fmt::print(ctx.out, "{:<9} {:<24} {:<10} {}\n", to_string(entry->origin),
                 entry->version.empty() ? "?" : entry->version, flags(marks),
                 entry->title.empty() ? entry->kernel : entry->title);
    }
    if (inv.loader_error) fmt::print(ctx.err, "warmboot: warning: {}\n", inv.loader_error->str());
    for (const auto& warning : inv.warnings)
      fmt::print(ctx.err, "warmboot: warning: {}\n", warning);
  }
  return ExitCode::Ok;
}

}  // namespace warmboot
