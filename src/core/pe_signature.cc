// SPDX-License-Identifier: Apache-2.0
#include "core/pe_signature.h"

#include "core/little_endian.h"

namespace warmboot {
namespace {

// PE/COFF layout (Microsoft PE format specification).
constexpr size_t kLfanew = 0x3c;
constexpr size_t kCoffHeaderSize = 20;  // after the 4-byte "PE\0\0" signature
constexpr uint16_t kMagicPe32 = 0x10b;
constexpr uint16_t kMagicPe32Plus = 0x20b;
constexpr size_t kRvaCountPe32 = 92;  // NumberOfRvaAndSizes, from the optional header
constexpr size_t kRvaCountPe32Plus = 108;
constexpr size_t kDirectoriesPe32 = 96;  // the data directories follow it
constexpr size_t kDirectoriesPe32Plus = 112;
constexpr uint32_t kSecurityDirectory = 4;  // IMAGE_DIRECTORY_ENTRY_SECURITY

bool inside(std::string_view bytes, uint64_t offset, uint64_t width) {
  return offset <= bytes.size() && width <= bytes.size() - offset;
}

}  // namespace

const char* to_string(PeSignature signature) {
  switch (signature) {
    case PeSignature::NotPe:
      return "not a PE image";
    case PeSignature::Unsigned:
      return "unsigned";
    case PeSignature::Signed:
      return "signed";
  }
  return "?";
}

PeCertificateTable pe_certificate_table(std::string_view head) {
  if (!inside(head, 0, kLfanew + 4) || head.substr(0, 2) != "MZ") return {};
  const uint64_t pe = read_le(head, kLfanew, 4);
  if (!inside(head, pe, 4 + kCoffHeaderSize + 2)) return {};
  if (head.substr(pe, 4) != std::string_view("PE\0\0", 4)) return {};
  const uint64_t size_of_optional = read_le(head, pe + 4 + 16, 2);
  const uint64_t optional = pe + 4 + kCoffHeaderSize;
  const uint64_t magic = read_le(head, optional, 2);
  size_t count_at = 0, directories_at = 0;
  if (magic == kMagicPe32Plus) {
    count_at = kRvaCountPe32Plus;
    directories_at = kDirectoriesPe32Plus;
  } else if (magic == kMagicPe32) {
    count_at = kRvaCountPe32;
    directories_at = kDirectoriesPe32;
  } else {
    return {};
  }
  if (!inside(head, optional + count_at, 4)) return {};
  if (read_le(head, optional + count_at, 4) <= kSecurityDirectory) return {};
  const uint64_t entry = optional + directories_at + 8 * kSecurityDirectory;
  if (entry + 8 > optional + size_of_optional || !inside(head, entry, 8)) return {};
  return {static_cast<uint32_t>(read_le(head, entry, 4)),
          static_cast<uint32_t>(read_le(head, entry + 4, 4))};
}

PeSignature pe_signature(std::string_view head) {
  if (!inside(head, 0, kLfanew + 4) || head.substr(0, 2) != "MZ") return PeSignature::NotPe;
  const uint64_t pe = read_le(head, kLfanew, 4);
  if (!inside(head, pe, 4 + kCoffHeaderSize + 2) ||
      head.substr(pe, 4) != std::string_view("PE\0\0", 4)) {
    return PeSignature::NotPe;
  }
  const uint64_t optional = pe + 4 + kCoffHeaderSize;
  if (!inside(head, optional, read_le(head, pe + 4 + 16, 2))) return PeSignature::NotPe;
  PeCertificateTable table = pe_certificate_table(head);
  return table.offset != 0 && table.size != 0 ? PeSignature::Signed : PeSignature::Unsigned;
}

}  // namespace warmboot
