// SPDX-License-Identifier: Apache-2.0
// A plan: exactly what would be staged. Pure data; `plan --json` prints it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace warmboot {

// How the kernel was chosen (JSON "source").
enum class PlanSource { Bootloader, Current, Latest, Version, Path };

struct Plan {
  std::string kernel;                // path inside the root
  std::vector<std::string> initrds;  // paths inside the root, in load order
  std::string cmdline;
  std::optional<std::string> version;  // kernel release, if known
  PlanSource source = PlanSource::Bootloader;
  std::optional<std::string> entry;  // boot entry title or id, if one was used
  bool uki = false;                  // kernel is a unified kernel image: sections are extracted
  // The boot loader's one-time choice this plan follows, where it is kept: the grubenv holding
  // `grub-reboot`'s next_entry, or the efivarfs file of LoaderEntryOneShot (`bootctl
  // set-oneshot`). The boot loader clears it when it boots; a warm reboot into it clears it too
  // (core/one_shot.h). nullopt for a plan that follows no one-time choice.
  std::optional<std::string> one_shot;
  // A device tree for the next kernel instead of the running one (--dtb, [kernel] dtb; arm64):
  // a path inside the root. nullopt: the running tree goes on (core/device_tree_blob.h).
  std::optional<std::string> dtb;

  bool operator==(const Plan&) const = default;
};

const char* to_string(PlanSource source);
std::optional<PlanSource> plan_source_from_string(std::string_view text);

nlohmann::json to_json(const Plan& plan);
std::optional<Plan> plan_from_json(const nlohmann::json& json);

}  // namespace warmboot
