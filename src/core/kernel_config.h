// SPDX-License-Identifier: Apache-2.0
// A kernel's build configuration: the .config text found in /boot/config-RELEASE,
// /usr/lib/modules/RELEASE/config, or /proc/config.gz (decompressed by the caller: core reads
// no compressed files).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/filesystem.h"

namespace warmboot {

class KernelConfig {
 public:
  // "CONFIG_X=value" lines; "# CONFIG_X is not set" records "n". Other lines are ignored.
  static KernelConfig parse(std::string_view text);

  // "y", "m", a number or a quoted string as written; "n" when not set; "" when not mentioned.
  std::string value(std::string_view name) const;
  // Built in or a module ("y" or "m").
  bool enabled(std::string_view name) const;
  bool empty() const { return values_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

struct FoundKernelConfig {
  KernelConfig config;
  std::string origin;  // the file it came from, e.g. "/boot/config-6.1.0-10-amd64"
};

inline constexpr const char* kProcConfigGz = "/proc/config.gz";

// The configuration of `release`: /boot/config-RELEASE, then /usr/lib/modules/RELEASE/config and
// /lib/modules/RELEASE/config, then `proc_config` (the text of /proc/config.gz, which describes
// the running kernel only). nullopt when none is there.
std::optional<FoundKernelConfig> find_kernel_config(const FileSystem& fs,
                                                    const std::string& release,
                                                    const std::optional<std::string>& proc_config);

}  // namespace warmboot
