// SPDX-License-Identifier: Apache-2.0
#include "os/initrd_integrity.h"

#include <cerrno>

#include <fmt/format.h>

#include "os/initrd_reader.h"

namespace warmboot {

Status check_initrds(const Plan& plan, const FileSystem& fs) {
  for (const auto& path : plan.initrds) {
    auto listing = list_initrd_file(fs, path);
    if (!listing) {
      const Error& why = listing.error();
      return errno_error("check initrd", why.code != 0 ? why.code : EINVAL, path,
                         fmt::format("{} is damaged or not an initramfs: {}", path, why.message),
                         "regenerate it (update-initramfs -u, dracut -f or mkinitcpio -P)");
    }
    if (listing->archives == 0) {
      return errno_error("check initrd", EINVAL, path,
                         fmt::format("{} holds no complete cpio archive (truncated?)", path),
                         "regenerate it (update-initramfs -u, dracut -f or mkinitcpio -P)");
    }
  }
  return {};
}

}  // namespace warmboot
