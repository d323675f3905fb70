// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_selection.h"

#include <fmt/format.h>

#include "core/installed_kernels.h"
#include "core/kernel_image.h"

namespace warmboot {
namespace {

Error not_found(const std::string& what, std::string remedy) {
  return make_error("plan", what, std::move(remedy));
}

// The boot loader's entry for a release, when it has one: it brings the options the loader would
// use. Recovery/rescue entries are passed over when a normal one exists.
const BootEntry* loader_entry_for(const BootInventory& inv, const std::string& version) {
  const BootEntry* found = nullptr;
  for (const auto& entry : inv.entries) {
    if (entry.version != version || version.empty()) continue;
    bool recovery = entry.title.find("recovery") != std::string::npos ||
                    entry.title.find("rescue") != std::string::npos;
    if (!recovery) return &entry;
    if (!found) found = &entry;
  }
  return found;
}

const BootEntry* installed_for(const BootInventory& inv, const std::string& version) {
  for (const auto& entry : inv.installed) {
    if (entry.version == version) return &entry;
  }
  return nullptr;
}

BootEntry entry_for_path(const FileSystem& fs, const std::string& path) {
  BootEntry entry;
  entry.kernel = join_path("/", path);
  entry.id = entry.kernel;
  entry.version = version_from_image_name(basename_of(entry.kernel));
  if (entry.version.empty()) {
    if (auto head = fs.read_prefix(entry.kernel, 64 * 1024)) {
      if (auto info = inspect_kernel_image(*head)) entry.version = info->version;
    }
  }
  entry.initrds = initrds_for_kernel(fs, entry.kernel, entry.version);
  return entry;
}

Status check_readable(const FileSystem& fs, const std::string& path, const char* role) {
  auto info = fs.stat(path);
  if (!info) {
    Error error = info.error();
    error.op = "plan";
    error.message = fmt::format("{} {} cannot be used: {}", role, path, info.error().message);
    error.remedy = "check the path, or choose another kernel with --kernel";
    return error;
  }
  if (info->type != FileInfo::Type::Regular) {
    return errno_error("plan", EINVAL, path,
                       fmt::format("{} {} is not a regular file", role, path));
  }
  return {};
}

Result<BootEntry> choose_entry(const FileSystem& fs, const BootInventory& inv,
                               const RunningKernel& running, const std::string& kernel,
                               PlanSource& source) {
  if (kernel == "default") {
    source = PlanSource::Bootloader;
    if (inv.loader_error) return *inv.loader_error;
    if (inv.default_index && *inv.default_index < inv.entries.size()) {
      const BootEntry& entry = inv.entries[*inv.default_index];
      if (entry.kernel.empty()) {
        return not_found(fmt::format("the boot loader's default entry \"{}\" boots no Linux kernel",
                                     entry.title),
                         "choose a kernel with --kernel latest, VERSION or PATH");
      }
      return entry;
    }
    source = PlanSource::Latest;  // nothing configures a default: the newest installed kernel
    if (inv.installed.empty()) {
      return not_found("no boot loader entry and no installed kernel found under /boot",
                       "install a kernel, or name one with --kernel PATH");
    }
    return inv.installed.front();
  }
  std::string version;
  if (kernel == "current") {
    source = PlanSource::Current;
    version = running.release;
  } else if (kernel == "latest") {
    source = PlanSource::Latest;
    if (inv.installed.empty()) {
      return not_found("no installed kernel found under /boot", "name one with --kernel PATH");
    }
    version = inv.installed.front().version;
  } else if (kernel.find('/') != std::string::npos) {
    source = PlanSource::Path;
    return entry_for_path(fs, kernel);
  } else {
    source = PlanSource::Version;
    version = kernel;
  }
  if (const BootEntry* entry = loader_entry_for(inv, version)) return *entry;
  if (const BootEntry* entry = installed_for(inv, version)) return *entry;
  return not_found(fmt::format("no installed kernel has release {}", version),
                   "`warmboot list` shows what is installed; or name an image with --kernel PATH");
}

}  // namespace

std::optional<size_t> running_entry_index(const std::vector<BootEntry>& entries,
                                          const RunningKernel& running) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!running.release.empty() && entries[i].version == running.release) return i;
  }
  return std::nullopt;
}

Result<Plan> make_plan(const FileSystem& fs, const BootInventory& inventory,
                       const RunningKernel& running, const SelectionRequest& request) {
  PlanSource source = PlanSource::Bootloader;
  auto chosen = choose_entry(fs, inventory, running, request.kernel, source);
  if (!chosen) return chosen.error();
  const BootEntry& entry = *chosen;

  Plan plan;
  plan.kernel = entry.kernel;
  plan.initrds = request.initrds.empty() ? entry.initrds : request.initrds;
  for (auto& initrd : plan.initrds) initrd = join_path("/", initrd);
  plan.source = source;
  plan.uki = entry.uki;
  if (!entry.version.empty()) plan.version = entry.version;
  if (entry.origin != EntryOrigin::Installed) {
    plan.entry = entry.title.empty() ? entry.id : entry.title;
  }
  if (source == PlanSource::Bootloader) plan.one_shot = inventory.default_one_shot;
  std::string base = entry.options ? *entry.options : cmdline_for_reuse(running.cmdline);
  plan.cmdline = apply_cmdline_edit(base, request.edit);

  if (!request.dtb.empty()) plan.dtb = join_path("/", request.dtb);

  if (auto ok = check_readable(fs, plan.kernel, "kernel"); !ok) return ok.error();
  for (const auto& initrd : plan.initrds) {
    if (auto ok = check_readable(fs, initrd, "initrd"); !ok) return ok.error();
  }
  if (plan.dtb) {
    if (auto ok = check_readable(fs, *plan.dtb, "device tree"); !ok) return ok.error();
  }
  return plan;
}

}  // namespace warmboot

namespace warmboot {

Result<Plan> plan_from_system(const FileSystem& fs, const MachineFacts& machine,
                              const SelectionRequest& request) {
  if (machine.running_error) return *machine.running_error;
  return make_plan(fs, read_boot_inventory(fs), machine.running, request);
}

}  // namespace warmboot
