// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_config.h"
#include "core/text.h"

namespace warmboot {
namespace {}  // namespace

KernelConfig KernelConfig::parse(std::string_view text) {
  KernelConfig config;
  constexpr std::string_view kNotSet = " is not set";
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.starts_with("# CONFIG_") && line.ends_with(kNotSet)) {
      line.remove_prefix(2);
      line.remove_suffix(kNotSet.size());
      config.values_[std::string(line)] = std::string(1, 'n');
      continue;
    }
    if (!line.starts_with("CONFIG_")) continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    config.values_[std::string(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 1)));
  }
  return config;
}

std::string KernelConfig::value(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string() : it->second;
}

bool KernelConfig::enabled(std::string_view name) const {
  std::string v = value(name);
  return v == "y" || v == "m";
}

std::optional<FoundKernelConfig> find_kernel_config(const FileSystem& fs,
                                                    const std::string& release,
                                                    const std::optional<std::string>& proc_config) {
  if (!release.empty()) {
    for (const std::string& path :
         {"/boot/config-" + release, "/usr/lib/modules/" + release + "/config",
          "/lib/modules/" + release + "/config"}) {
      auto text = fs.read_file(path, 4 << 20);
      if (text) return FoundKernelConfig{KernelConfig::parse(*text), path};
    }
  }
  if (proc_config) return FoundKernelConfig{KernelConfig::parse(*proc_config), kProcConfigGz};
  return std::nullopt;
}

}  // namespace warmboot
