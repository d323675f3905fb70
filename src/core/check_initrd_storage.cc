// SPDX-License-Identifier: Apache-2.0
#include "core/check_initrd_storage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace warmboot {
namespace {

struct Need {
  std::string what;                   // shown: "cryptsetup", "module dm_crypt"
  std::vector<std::string> binaries;  // any of these file names
  std::string module;                 // or this module
};

std::string md_module_for(const std::string& level) {
  if (level == "raid4" || level == "raid5" || level == "raid6") return "raid456";
  if (level == "raid0" || level == "raid1" || level == "raid10" || level == "linear") return level;
  return {};
}

std::vector<Need> needs_for(const RootStorage& root) {
  std::vector<Need> needs;
  if (root.crypt) {
    needs.push_back({"cryptsetup", {"cryptsetup", "systemd-cryptsetup"}, {}});
    needs.push_back({"module dm_crypt", {}, "dm_crypt"});
  }
  if (root.lvm) needs.push_back({"lvm", {"lvm"}, {}});
  if (root.crypt || root.lvm || root.other_dm) needs.push_back({"module dm_mod", {}, "dm_mod"});
  if (root.md) {
    needs.push_back({"mdadm", {"mdadm"}, {}});
    needs.push_back({"module md_mod", {}, "md_mod"});
    for (const auto& level : root.md_levels) {
      std::string module = md_module_for(level);
      if (!module.empty()) needs.push_back({"module " + module, {}, module});
    }
  }
  return needs;
}

std::set<std::string> builtin_modules(const FileSystem& fs, const Plan& plan) {
  std::set<std::string> out;
  if (!plan.version) return out;
  for (const std::string dir : {"/usr/lib/modules/", "/lib/modules/"}) {
    auto text = fs.read_file(dir + *plan.version + "/modules.builtin", 16 << 20);
    if (!text) continue;
    std::string_view rest = *text;
    while (!rest.empty()) {
      size_t end = rest.find('\n');
      std::string name = module_name_of(rest.substr(0, end));
      if (!name.empty()) out.insert(name);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
    break;
  }
  return out;
}

std::string describe(const RootStorage& root) {
  std::string chain;
  for (const auto& item : root.chain) chain += (chain.empty() ? "" : " <- ") + item;
  return fmt::format("root {} on {}", root.device.empty() ? "?" : root.device, chain);
}

}  // namespace

std::string module_name_of(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t ko = base.find(".ko");
  if (ko == std::string_view::npos || ko == 0) return {};
  std::string_view suffix = base.substr(ko);
  if (suffix != ".ko" && suffix != ".ko.xz" && suffix != ".ko.zst" && suffix != ".ko.gz") return {};
  std::string name(base.substr(0, ko));
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

CheckResult check_initrd_storage(const FileSystem& fs, const Plan& plan, const RootStorage& root,
                                 const std::vector<InitrdNames>& initrds) {
  const char* name = "initrd-storage";
  if (root.device.empty()) {
    return check_warn(name, "root device unknown (no / in /proc/mounts)",
                      "if / is on dm-crypt, LVM or md RAID, check that the initrd carries "
                      "cryptsetup, lvm or mdadm (lsinitramfs)");
  }
  if (!root.needs_assembly())
    return check_ok(name,
                    fmt::format("root {}: no dm-crypt, LVM or md RAID to assemble", root.device));
  const std::string where = describe(root);
  if (initrds.empty()) {
    return check_fail(name, where + ", and the plan has no initrd",
                      "pass the initrd with --initrd, or regenerate it (update-initramfs -c)");
  }
  std::set<std::string> files, modules;
  for (const auto& initrd : initrds) {
    if (initrd.error) {
      return check_warn(
          name, fmt::format("{}; cannot list {}: {}", where, initrd.path, initrd.error->message),
          "check by hand that it carries the tools (lsinitramfs, lsinitrd)");
    }
    for (const auto& entry : initrd.names) {
      size_t slash = entry.rfind('/');
      files.insert(slash == std::string::npos ? entry : entry.substr(slash + 1));
      std::string module = module_name_of(entry);
      if (!module.empty()) modules.insert(module);
    }
  }
  const std::set<std::string> builtin = builtin_modules(fs, plan);
  std::vector<std::string> missing;
  for (const auto& need : needs_for(root)) {
    bool found = false;
    for (const auto& binary : need.binaries) found = found || files.count(binary);
    if (!need.module.empty()) found = modules.count(need.module) || builtin.count(need.module);
    if (!found) missing.push_back(need.what);
  }
  if (missing.empty()) return check_ok(name, where + "; the initrd carries what it needs");
  return check_fail(name, fmt::format("{}; the initrd lacks {}", where, fmt::join(missing, ", ")),
                    fmt::format("install the initramfs hooks (cryptsetup-initramfs, lvm2, mdadm) "
                                "and rebuild it: update-initramfs -u -k {} (or dracut -f)",
                                plan.version.value_or("VERSION")));
}

}  // namespace warmboot
