// SPDX-License-Identifier: Apache-2.0
#include "core/boot_inventory.h"

#include "core/bls_entry.h"
#include "core/grub_menu.h"
#include "core/installed_kernels.h"
#include "core/loader_conf.h"

namespace warmboot {
namespace {

// systemd-boot sets this on every boot it performs; its presence says systemd-boot booted us.
constexpr const char* kLoaderEntrySelected =
    "/sys/firmware/efi/efivars/LoaderEntrySelected-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";

// systemd-boot: loader.conf (or just BLS entries) decides.
bool use_systemd_boot(const FileSystem& fs, BootInventory& inv,
                      const std::vector<BootEntry>& bls_entries) {
  auto chosen = systemd_boot_default(fs, bls_entries);
  if (!chosen) {
    inv.loader_error = chosen.error();
    inv.loader = LoaderKind::SystemdBoot;
    return true;
  }
  if (!chosen->has_value()) return false;
  inv.loader = LoaderKind::SystemdBoot;
  inv.entries = bls_entries;
  inv.default_index = (*chosen)->index;
  inv.default_reason = (*chosen)->reason;
  if ((*chosen)->one_shot) inv.default_one_shot = kLoaderEntryOneShotPath;
  return true;
}

}  // namespace

const char* to_string(LoaderKind kind) {
  switch (kind) {
    case LoaderKind::None:
      return "none";
    case LoaderKind::Grub:
      return "grub";
    case LoaderKind::SystemdBoot:
      return "systemd-boot";
  }
  return "none";
}

BootInventory read_boot_inventory(const FileSystem& fs) {
  BootInventory inv;
  inv.installed = find_installed_kernels(fs);

  std::vector<BootEntry> bls_entries;
  std::vector<Error> skipped;
  if (auto bls = read_bls_entries(fs, &skipped)) {
    bls_entries = std::move(*bls);
  } else {
    inv.warnings.push_back(bls.error().str());
  }
  for (const auto& error : skipped) inv.warnings.push_back(error.str());

  if (fs.exists(kLoaderEntrySelected) && use_systemd_boot(fs, inv, bls_entries)) return inv;

  auto grub = read_grub_menu(fs, bls_entries);
  if (!grub) {
    inv.loader = LoaderKind::Grub;
    inv.loader_error = grub.error();
    return inv;
  }
  if (grub->has_value()) {
    GrubMenu& menu = **grub;
    inv.loader = LoaderKind::Grub;
    inv.entries = std::move(menu.entries);
    inv.default_index = menu.default_index;
    inv.default_reason = menu.default_reason;
    if (menu.default_is_one_shot) inv.default_one_shot = menu.grubenv_path;
    inv.warnings.insert(inv.warnings.end(), menu.warnings.begin(), menu.warnings.end());
    return inv;
  }
  if (use_systemd_boot(fs, inv, bls_entries)) return inv;
  if (!bls_entries.empty()) {  // BLS entries without loader.conf: the first in spec order
    inv.loader = LoaderKind::SystemdBoot;
    inv.entries = bls_entries;
    inv.default_index = 0;
    inv.default_reason = "first entry in Boot Loader Specification order";
  }
  return inv;
}

}  // namespace warmboot
