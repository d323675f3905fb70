// SPDX-License-Identifier: Apache-2.0
// read_grub_menu: finding grub.cfg and grubenv inside the root and resolving the paths they name.
#include <fmt/format.h>

#include "core/grub_env.h"
#include "core/grub_lexer.h"
#include "core/grub_menu.h"

namespace warmboot {
namespace {

constexpr uint64_t kMaxGrubEnvBytes = 1 << 20;

bool is_regular(const FileSystem& fs, const std::string& path) {
  Result<FileInfo> info = fs.stat(path);
  return info.ok() && info->type == FileInfo::Type::Regular;
}

std::optional<std::string> find_grub_cfg(const FileSystem& fs) {
  for (std::string_view pattern : kGrubCfgPaths) {
    size_t star = pattern.find('*');
    if (star == std::string_view::npos) {
      if (is_regular(fs, std::string(pattern))) return std::string(pattern);
      continue;
    }
    std::string dir(pattern.substr(0, star - 1));
    Result<std::vector<std::string>> names = fs.list_dir(dir);
    if (!names) continue;
    for (const std::string& name : *names) {
      std::string path = fmt::format("{}/{}{}", dir, name, pattern.substr(star + 1));
      if (is_regular(fs, path)) return path;
    }
  }
  return std::nullopt;
}

// A path as GRUB names it, as seen inside the root (see read_grub_menu).
std::string resolve(const FileSystem& fs, const std::string& path, const std::string& title,
                    std::vector<std::string>& warnings) {
  if (path.empty() || is_regular(fs, path)) return path;
  std::string in_boot = "/boot" + path;
  if (is_regular(fs, in_boot)) return in_boot;
  warnings.push_back(fmt::format("entry '{}': {} not found (nor {})", title, path, in_boot));
  return path;
}

}  // namespace

Result<std::optional<GrubMenu>> read_grub_menu(const FileSystem& fs,
                                               const std::vector<BootEntry>& bls_entries) {
  std::optional<std::string> cfg_path = find_grub_cfg(fs);
  if (!cfg_path) return std::optional<GrubMenu>();
  Result<std::string> text = fs.read_file(*cfg_path, kMaxGrubScript);
  if (!text) return text.error();

  std::vector<std::string> env_warnings;
  std::map<std::string, std::string> grubenv;
  std::string env_path = cfg_path->substr(0, cfg_path->rfind('/')) + "/grubenv";
  if (fs.exists(env_path)) {
    Result<std::string> env_text = fs.read_file(env_path, kMaxGrubEnvBytes);
    Result<std::map<std::string, std::string>> parsed =
        env_text ? parse_grubenv(*env_text, env_path)
                 : Result<std::map<std::string, std::string>>(env_text.error());
    if (parsed) {
      grubenv = std::move(parsed).value();
    } else {
      env_warnings.push_back(
          fmt::format("{}; GRUB loads no variables from it", parsed.error().str()));
    }
  }

  Result<GrubMenu> menu = parse_grub_menu(*text, *cfg_path, grubenv, bls_entries);
  if (!menu) return menu.error();
  menu->grubenv_path = env_path;
  menu->warnings.insert(menu->warnings.begin(), env_warnings.begin(), env_warnings.end());
  for (BootEntry& entry : menu->entries) {
    entry.kernel = resolve(fs, entry.kernel, entry.title, menu->warnings);
    for (std::string& initrd : entry.initrds) {
      initrd = resolve(fs, initrd, entry.title, menu->warnings);
    }
  }
  return std::optional<GrubMenu>(std::move(menu).value());
}

}  // namespace warmboot
