// SPDX-License-Identifier: Apache-2.0
#include "core/hook_plan.h"

#include <cerrno>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/module_order.h"

namespace warmboot {
namespace {

Status vet_owner(const FileInfo& info, const std::string& path, const char* what) {
  const char* remedy = "chown root:root it and chmod go-w it, or remove it";
  if (info.uid != 0)
    return errno_error(
        "hook", EPERM, path,
        fmt::format("refusing {} {}: owned by uid {}, not root", what, path, info.uid), remedy);
  if (info.mode & 022)
    return errno_error("hook", EPERM, path,
                       fmt::format("refusing {} {}: it is {}-writable (mode {:04o})", what, path,
                                   (info.mode & 002) ? "world" : "group", info.mode & 07777),
                       remedy);
  return {};
}

}  // namespace

bool is_hook_name(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.back() == '~') return false;
  for (const char* suffix : {".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-tmp"})
    if (name.ends_with(suffix)) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<HookPlan> make_hook_plan(const HookConfig& config, const FileSystem& fs) {
  HookPlan plan;
  plan.isolate_multi_user = config.isolate_multi_user;
  for (const auto& name : config.unload_modules)
    plan.modules.push_back(normalize_module_name(name));
  plan.interfaces = config.down_interfaces;

  auto dir = fs.stat(config.directory);
  if (!dir) {
    if (dir.error().code == ENOENT) return plan;
    return dir.error();
  }
  if (dir->type != FileInfo::Type::Directory)
    return errno_error("hook", ENOTDIR, config.directory,
                       config.directory + " (hooks.directory) is not a directory");
  if (auto ok = vet_owner(*dir, config.directory, "hook directory"); !ok) return ok.error();
  auto names = fs.list_dir(config.directory);
  if (!names) return names.error();
  for (const auto& name : *names) {  // list_dir sorts: lexical order
    if (!is_hook_name(name)) continue;
    std::string path = join_path(config.directory, name);
    auto info = fs.stat(path);
    if (!info) return info.error();
    if (info->type == FileInfo::Type::Directory) continue;
    if (info->type != FileInfo::Type::Regular)
      return errno_error("hook", EPERM, path, "refusing hook " + path + ": not a regular file");
    if (auto ok = vet_owner(*info, path, "hook"); !ok) return ok.error();
    if (!(info->mode & 0100)) {
      plan.skipped.push_back(path);
      continue;
    }
    plan.user_hooks.push_back(path);
  }
  return plan;
}

const char* to_string(HookPhase phase) {
  return phase == HookPhase::Shutdown ? "shutdown" : "reboot";
}

std::vector<std::string> hook_environment(const Plan& plan, HookPhase phase) {
  return {"WARMBOOT_KERNEL=" + plan.kernel,
          fmt::format("WARMBOOT_INITRDS={}", fmt::join(plan.initrds, " ")),
          "WARMBOOT_CMDLINE=" + plan.cmdline, "WARMBOOT_VERSION=" + plan.version.value_or(""),
          fmt::format("WARMBOOT_PHASE={}", to_string(phase))};
}

}  // namespace warmboot
