// SPDX-License-Identifier: Apache-2.0
#include "core/grub_menu.h"

#include <cctype>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "core/grub_interp.h"
#include "core/grub_script.h"

namespace warmboot {
namespace {

struct Flattener {
  std::string cfg_path;
  GrubMenu& menu;
  std::map<const GrubMenuNode*, size_t> index_of;

  void add(const std::vector<GrubMenuNode>& items, const std::string& prefix) {
    for (const GrubMenuNode& node : items) {
      std::string title = prefix.empty() ? node.title : prefix + ">" + node.title;
      if (node.submenu) {
        add(node.children, title);
        continue;
      }
      BootEntry entry;
      if (node.bls) {
        entry = *node.bls;
        entry.title = title;
      } else {
        entry.origin = EntryOrigin::Grub;
        entry.id = node.id.empty() ? title : node.id;
        entry.title = title;
        entry.kernel = node.kernel;
        entry.initrds = node.initrds;
        entry.options = node.options;
        entry.version = grub_kernel_version(node.kernel);
        entry.source_file = cfg_path;
      }
      index_of[&node] = menu.entries.size();
      menu.entries.push_back(std::move(entry));
    }
  }
};

// Splits a default spec at its first single '>': the component (">>" read as '>') and the rest.
std::pair<std::string, std::string> split_spec(std::string_view spec) {
  std::string head;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] == '>') {
      if (i + 1 < spec.size() && spec[i + 1] == '>') {
        head += '>';
        ++i;
        continue;
      }
      return {head, std::string(spec.substr(i + 1))};
    }
    head += spec[i];
  }
  return {head, ""};
}

// GRUB reads `default` with strtoul(base 0): "1>2" is 1, "0x1" is 1. Unlike upstream GRUB (whose
// strtoul ignores trailing text) a number must end at '>', a blank or the end, as in Fedora's GRUB:
// "8a1f...-6.5.6" (a BLS id starting with a machine-id digit) is an id, not entry 8.
std::optional<unsigned long long> leading_number(std::string_view spec) {
  size_t i = 0;
  while (i < spec.size() && std::isspace(static_cast<unsigned char>(spec[i]))) ++i;
  int base = 10;
  if (spec.substr(i).starts_with("0x") || spec.substr(i).starts_with("0X")) {
    base = 16;
    i += 2;
  } else if (i + 1 < spec.size() && spec[i] == '0') {
    base = 8;
  }
  unsigned long long value = 0;
  size_t digits = 0;
  for (; i < spec.size(); ++i, ++digits) {
    int d = std::isdigit(static_cast<unsigned char>(spec[i])) ? spec[i] - '0'
            : std::isxdigit(static_cast<unsigned char>(spec[i]))
                ? std::tolower(static_cast<unsigned char>(spec[i])) - 'a' + 10
                : 99;
    if (d >= base) break;
    if (value > (1ull << 40)) return std::numeric_limits<unsigned long long>::max();
    value = value * base + d;
  }
  if (digits == 0 ||
      (i < spec.size() && spec[i] != '>' && !std::isspace(static_cast<unsigned char>(spec[i])))) {
    return std::nullopt;
  }
  return value;
}

void resolve_default(const GrubRun& run, const Flattener& flat, GrubMenu& menu) {
  auto it = run.vars.find("default");
  std::string label = run.default_source.empty() ? "default" : run.default_source;
  const std::string full = it == run.vars.end() ? "" : it->second;
  std::string spec = full;
  menu.default_reason = it == run.vars.end() ? "default unset: the first entry"
                        : full.empty()       ? fmt::format("{} is empty: the first entry", label)
                                             : fmt::format("{}={}", label, full);
  const std::vector<GrubMenuNode>* level = &run.items;
  const GrubMenuNode* submenu = nullptr;
  while (true) {
    if (level->empty()) {
      if (submenu) menu.warnings.push_back(fmt::format("submenu '{}' is empty", submenu->title));
      return;
    }
    auto [component, rest] = split_spec(spec);
    std::optional<size_t> chosen;
    if (std::optional<unsigned long long> n = leading_number(spec)) {
      if (*n < level->size()) chosen = static_cast<size_t>(*n);
    } else if (spec.empty()) {
      chosen = 0;
    } else {
      for (size_t i = 0; i < level->size() && !chosen; ++i) {
        const GrubMenuNode& node = (*level)[i];
        if (node.title == component || (!node.id.empty() && node.id == component)) chosen = i;
      }
    }
    if (!chosen) {
      menu.warnings.push_back(
          submenu ? fmt::format("{}={}: '{}' names no entry in submenu '{}'; using its first",
                                label, full, component, submenu->title)
                  : fmt::format("{}={} names no entry; using the first", label, spec));
      chosen = 0;
      rest.clear();
    }
    const GrubMenuNode& node = (*level)[*chosen];
    if (!node.submenu) {
      menu.default_index = flat.index_of.at(&node);
      return;
    }
    submenu = &node;
    level = &node.children;
    spec = rest;
  }
}

}  // namespace

std::string grub_kernel_version(std::string_view kernel_path) {
  std::string_view name = kernel_path.substr(kernel_path.rfind('/') + 1);
  for (std::string_view prefix : {"vmlinuz-", "vmlinux-", "bzImage-"}) {
    if (name.starts_with(prefix)) {
      std::string_view release = name.substr(prefix.size());
      if (!release.empty() && std::isdigit(static_cast<unsigned char>(release[0])) &&
          release.find('.') != std::string_view::npos) {
        return std::string(release);
      }
    }
  }
  return {};
}

Result<GrubMenu> parse_grub_menu(std::string_view grub_cfg_text, std::string_view cfg_path,
                                 const std::map<std::string, std::string>& grubenv,
                                 const std::vector<BootEntry>& bls_entries) {
  Result<GrubBlock> script = parse_grub_script(grub_cfg_text, cfg_path);
  if (!script) return script.error();
  Result<GrubRun> run = run_grub_script(*script, cfg_path, grubenv, bls_entries);
  if (!run) return run.error();
  GrubMenu menu;
  menu.warnings = run->warnings;
  Flattener flat{std::string(cfg_path), menu, {}};
  flat.add(run->items, "");
  if (menu.entries.empty()) {
    menu.default_reason = "no menu entries";
    return menu;
  }
  resolve_default(*run, flat, menu);
  menu.default_is_one_shot = run->default_source == "next_entry";
  return menu;
}

}  // namespace warmboot
