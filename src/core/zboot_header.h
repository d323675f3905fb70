// SPDX-License-Identifier: Apache-2.0
// EFI zboot images (CONFIG_EFI_ZBOOT; arm64, riscv64 and loongarch64 "vmlinuz.efi"): a small PE/EFI
// decompressor wrapped around a compressed raw kernel Image. Only the header is read here; the
// payload is decompressed by os/kernel_unpack.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace warmboot {

// The header at the start of the file (the kernel's drivers/firmware/efi/libstub/zboot-header.S):
//   0x00  "MZ" and two bytes          0x10  two reserved 32-bit words
//   0x04  "zimg"                      0x18  the compression's name, NUL-terminated ("gzip",
//   0x08  payload offset (le32)             "lz4", "lzma", "lzo", "xzkern", "zstd22", ...)
//   0x0c  payload size (le32)         0x3c  the PE header's offset, as in every PE file
inline constexpr size_t kZbootHeaderSize = 0x40;
inline constexpr size_t kZbootCompressionOffset = 0x18;
inline constexpr size_t kZbootCompressionMax = 0x3c - kZbootCompressionOffset;

struct ZbootHeader {
  uint64_t payload_offset = 0;
  uint64_t payload_size = 0;
  std::string compression;  // as the header spells it ("zstd22")

  bool operator==(const ZbootHeader&) const = default;
};

// "MZ" at 0 and "zimg" at 4.
bool has_zboot_magic(std::string_view head);

// Parses the header out of the file's first bytes. Fails when `head` is shorter than the header,
// the magic is missing, the compression name is unterminated or not printable, the payload is
// empty, or it does not lie inside a file of `file_size` bytes (pass UINT64_MAX when unknown).
Result<ZbootHeader> parse_zboot_header(std::string_view head, uint64_t file_size);

// The compression in the vocabulary of the rest of warmboot: "gzip", "zstd", "xz", "lz4",
// "lzma", "bzip2", "lzo"; "" for a name it does not know.
std::string zboot_compression_family(std::string_view name);

}  // namespace warmboot
