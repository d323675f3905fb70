// SPDX-License-Identifier: Apache-2.0
#include "core/device_tree_blob.h"

#include <cerrno>

#include <fmt/format.h>

namespace warmboot {
namespace {

constexpr uint32_t kFdtMagic = 0xd00dfeed;
constexpr uint32_t kOldestVersion = 16;  // the oldest format the kernel's libfdt reads
constexpr const char* kRemedy =
    "give the board's .dtb as built by the kernel package (e.g. /usr/lib/linux-image-*/...), "
    "or leave --dtb out to hand over the running tree";

uint32_t read_be32(std::string_view bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return value;
}

Error refused(const std::string& path, const std::string& why) {
  return errno_error("dtb", EINVAL, path, fmt::format("device tree {}: {}", path, why), kRemedy);
}

}  // namespace

Result<DeviceTreeHeader> check_device_tree_blob(std::string_view head, uint64_t file_size,
                                                const std::string& path) {
  if (head.size() < kDtbHeaderBytes || file_size < kDtbHeaderBytes)
    return refused(path, fmt::format("{} bytes, shorter than a device tree's header", file_size));
  if (read_be32(head, 0) != kFdtMagic)
    return refused(path, "not a flattened device tree (no 0xd00dfeed magic)");
  DeviceTreeHeader h;
  h.total_size = read_be32(head, 4);
  h.version = read_be32(head, 20);
  if (h.total_size < kDtbHeaderBytes) return refused(path, "its header gives an impossible size");
  if (h.total_size > file_size) {
    return refused(path, fmt::format("truncated: the header says {} bytes, the file has {}",
                                     h.total_size, file_size));
  }
  if (h.total_size > kMaxDtbBytes) {
    return refused(path, fmt::format("{} bytes, more than the {} the arm64 kernel maps at boot",
                                     h.total_size, kMaxDtbBytes));
  }
  if (h.version < kOldestVersion)
    return refused(path,
                   fmt::format("format version {} (the kernel reads 16 and later)", h.version));
  // The structure and strings blocks (offsets 8 and 12, sizes 36 and 32) lie inside the tree.
  const uint64_t struct_end = uint64_t{read_be32(head, 8)} + read_be32(head, 36);
  const uint64_t strings_end = uint64_t{read_be32(head, 12)} + read_be32(head, 32);
  if (struct_end > h.total_size || strings_end > h.total_size)
    return refused(path, "its structure or strings block lies outside the tree");
  return h;
}

}  // namespace warmboot
