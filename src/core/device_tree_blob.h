// SPDX-License-Identifier: Apache-2.0
// A flattened device tree given with --dtb (or [kernel] dtb), checked before anything is staged:
// the header of a .dtb as dtc and the kernel's libfdt define it (big-endian, magic 0xd00dfeed).
// arm64's kexec_file_load takes no device tree (the next kernel gets the running one), so a plan
// with a dtb is staged through kexec-tools' kexec_load --dtb (os/kexec_stager.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace warmboot {

// The header's size, and the largest tree the arm64 kernel maps at boot (MAX_FDT_SIZE, 2 MiB).
inline constexpr uint64_t kDtbHeaderBytes = 40;
inline constexpr uint64_t kMaxDtbBytes = 2 * 1024 * 1024;

struct DeviceTreeHeader {
  uint32_t total_size = 0;
  uint32_t version = 0;
};

// `head` is the file's first bytes (at least kDtbHeaderBytes when the file has them), `file_size`
// the whole file's size. Refuses: not a device tree (magic), truncated (totalsize past the end of
// the file), larger than the kernel maps, a version before 16, blocks outside the tree.
Result<DeviceTreeHeader> check_device_tree_blob(std::string_view head, uint64_t file_size,
                                                const std::string& path);

}  // namespace warmboot
