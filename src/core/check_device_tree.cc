// SPDX-License-Identifier: Apache-2.0
#include "core/check_device_tree.h"

#include <fmt/format.h>

#include "core/device_tree_blob.h"

namespace warmboot {
namespace {

constexpr uint64_t kMaxModel = 4096;
constexpr size_t kModelShown = 80;

bool exists(const FileSystem& fs, std::string_view path) {
  return fs.stat(path).ok();
}

}  // namespace

std::string device_tree_model(std::string_view property) {
  std::string model;
  for (char c : property.substr(0, property.find('\0'))) {
    if (model.size() == kModelShown) break;
    model += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return model;
}

CheckResult check_device_tree(const FileSystem& fs, const std::optional<std::string>& dtb) {
  const char* name = "device-tree";
  if (dtb) {
    auto info = fs.stat(*dtb);
    auto head = fs.read_prefix(*dtb, kDtbHeaderBytes);
    if (!info || !head) {
      Error e = !info ? info.error() : head.error();
      return check_fail(name, fmt::format("device tree {}: {}", *dtb, e.message),
                        "give the board's .dtb, or leave --dtb out");
    }
    auto blob = check_device_tree_blob(*head, info->size, *dtb);
    if (!blob) return check_fail(name, blob.error().message, blob.error().remedy);
    return check_ok(name, fmt::format("{} (--dtb, {} bytes) instead of the running tree: staged "
                                      "with kexec-tools' kexec_load --dtb, /chosen rewritten",
                                      *dtb, blob->total_size));
  }
  const bool fdt = exists(fs, "/sys/firmware/fdt");
  const bool acpi = exists(fs, "/sys/firmware/acpi/tables/DSDT");
  if (acpi) {
    return check_ok(name,
                    "ACPI: the firmware's tables stay in memory and the next kernel finds them as "
                    "this one did (its /chosen node, copied by kexec_file_load, points there)");
  }
  if (fdt) {
    auto model = fs.read_file("/sys/firmware/devicetree/base/model", kMaxModel);
    std::string board = model ? device_tree_model(*model) : "";
    return check_ok(name,
                    fmt::format("device tree{}: the running tree goes to the next kernel (its "
                                "/chosen rewritten); a board that needs another gives it "
                                "with --dtb",
                                board.empty() ? "" : " of " + board));
  }
  return check_warn(name,
                    "neither /sys/firmware/fdt nor ACPI tables: nothing would describe the "
                    "machine to the next kernel",
                    "check that the firmware passes a device tree or ACPI tables; reboot cold");
}

CheckResult check_device_tree_not_arm64(const std::string& dtb, std::string_view arch) {
  return check_fail("device-tree",
                    fmt::format("the plan names a device tree ({}), which is for arm64 boards; "
                                "this machine is {}",
                                dtb, arch),
                    "leave --dtb (and [kernel] dtb) out");
}

}  // namespace warmboot
