// SPDX-License-Identifier: Apache-2.0
#include "core/check_plan_files.h"

#include <fmt/format.h>

#include <vector>

namespace warmboot {
namespace {

std::vector<std::string> planned_files(const Plan& plan) {
  std::vector<std::string> files{plan.kernel};
  files.insert(files.end(), plan.initrds.begin(), plan.initrds.end());
  if (plan.dtb) files.push_back(*plan.dtb);
  return files;
}

std::string mib(uint64_t bytes) {
  if (bytes < (1 << 20)) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
}

}  // namespace

CheckResult check_plan_files(const FileSystem& fs, const Plan& plan) {
  const char* name = "plan-files";
  std::vector<std::string> loose;
  for (const auto& path : planned_files(plan)) {
    auto info = fs.stat(path);
    if (!info) {
      return check_fail(name, fmt::format("{}: {}", path, info.error().message),
                        "reinstall the kernel package, or choose another kernel with --kernel");
    }
    if (info->type != FileInfo::Type::Regular) {
      return check_fail(name, path + " is not a regular file", "choose another kernel or initrd");
    }
    auto head = fs.read_prefix(path, 1);
    if (!head || (info->size > 0 && head->empty())) {
      return check_fail(name, path + " is not readable", "run as root, or fix its permissions");
    }
    if (info->size == 0) {
      return check_fail(name, path + " is empty", "regenerate it (update-initramfs, dracut)");
    }
    if (info->uid != 0) loose.push_back(fmt::format("{} owned by uid {}", path, info->uid));
    if (info->mode & 022)
      loose.push_back(fmt::format("{} is mode {:04o}", path, info->mode & 07777));
  }
  std::string count = fmt::format("{} file{}", planned_files(plan).size(),
                                  planned_files(plan).size() == 1 ? "" : "s");
  if (!loose.empty()) {
    std::string seen;
    for (const auto& item : loose) seen += (seen.empty() ? "" : "; ") + item;
    return check_warn(name, seen,
                      "chown root and chmod go-w: whoever can write them picks what "
                      "runs next");
  }
  return check_ok(name, count + " present, readable, root-owned, not group/world-writable");
}

CheckResult check_plan_memory(const FileSystem& fs, const Plan& plan) {
  const char* name = "memory";
  uint64_t total = 0;
  for (const auto& path : planned_files(plan)) {
    if (auto info = fs.stat(path)) total += info->size;
  }
  auto meminfo = fs.read_file("/proc/meminfo", 1 << 20);
  std::optional<uint64_t> available;
  if (meminfo) available = meminfo_bytes(*meminfo, "MemAvailable");
  if (!available) {
    return check_warn(name, fmt::format("plan needs {}; MemAvailable unknown", mib(total)),
                      "check /proc/meminfo");
  }
  std::string seen = fmt::format("plan needs {}, {} available", mib(total), mib(*available));
  if (total > *available) {
    return check_fail(name, seen, "free memory before staging, or use a smaller initrd");
  }
  if (total > *available / 2) {
    return check_warn(name, seen, "staging may fail under memory pressure: free memory first");
  }
  return check_ok(name, seen);
}

CheckResult check_plan_modules(const FileSystem& fs, const Plan& plan) {
  const char* name = "modules";
  if (!plan.version || plan.version->empty()) {
    return check_warn(name, "the planned kernel's release is unknown",
                      "make sure its modules are installed under /lib/modules");
  }
  for (const std::string dir : {"/usr/lib/modules/", "/lib/modules/"}) {
    if (fs.is_dir(dir + *plan.version)) return check_ok(name, dir + *plan.version + " present");
  }
  return check_fail(name, fmt::format("no /lib/modules/{}", *plan.version),
                    "its modules were removed: reinstall the kernel package or choose another "
                    "kernel with --kernel");
}

}  // namespace warmboot
