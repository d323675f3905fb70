// SPDX-License-Identifier: Apache-2.0
#include "core/zboot_header.h"

#include <fmt/format.h>

#include "core/little_endian.h"

namespace warmboot {
namespace {

Error bad_header(std::string message) {
  return make_error("parse_zboot_header", std::move(message));
}

}  // namespace

bool has_zboot_magic(std::string_view head) {
  return head.size() >= 8 && head.substr(0, 2) == "MZ" && head.substr(4, 4) == "zimg";
}

Result<ZbootHeader> parse_zboot_header(std::string_view head, uint64_t file_size) {
  if (!has_zboot_magic(head)) return bad_header("not an EFI zboot image (no \"zimg\" at offset 4)");
  if (head.size() < kZbootHeaderSize) {
    return bad_header(fmt::format("truncated EFI zboot header: needs {:#x} bytes, only {:#x} given",
                                  kZbootHeaderSize, head.size()));
  }
  ZbootHeader header;
  header.payload_offset = read_le(head, 8, 4);
  header.payload_size = read_le(head, 12, 4);
  std::string_view name = head.substr(kZbootCompressionOffset, kZbootCompressionMax);
  const size_t end = name.find('\0');
  if (end == std::string_view::npos || end == 0)
    return bad_header("EFI zboot header: the compression name is missing or unterminated");
  for (char c : name.substr(0, end)) {
    if (c < 0x21 || c > 0x7e) return bad_header("EFI zboot header: unprintable compression name");
  }
  header.compression = std::string(name.substr(0, end));
  if (header.payload_size == 0) return bad_header("EFI zboot header: the payload is empty");
  if (header.payload_offset < kZbootHeaderSize)
    return bad_header(fmt::format("EFI zboot header: payload offset {:#x} lies inside the header",
                                  header.payload_offset));
  if (header.payload_offset + header.payload_size > file_size) {
    return bad_header(fmt::format(
        "truncated EFI zboot image: its payload ends at {:#x} bytes, the file has only {:#x}",
        header.payload_offset + header.payload_size, file_size));
  }
  return header;
}

std::string zboot_compression_family(std::string_view name) {
  // Makefile.zboot writes the name of the compressor it ran: "xzkern" and "zstd22" included.
  static constexpr std::string_view kFamilies[] = {"gzip", "zstd",  "xz", "lz4",
                                                   "lzma", "bzip2", "lzo"};
  for (std::string_view family : kFamilies) {
    if (name.starts_with(family)) return std::string(family);
  }
  return {};
}

}  // namespace warmboot
