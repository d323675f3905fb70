// SPDX-License-Identifier: Apache-2.0
// Unified kernel images (UKI, Boot Loader Specification type #2 entries): PE/COFF executables
// that carry the kernel in a ".linux" section and, optionally, ".initrd", ".cmdline", ".osrel"
// (an os-release file) and ".uname" (the kernel release).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

struct PeSection {
  std::string name;     // up to 8 characters, e.g. ".linux"
  uint64_t offset = 0;  // PointerToRawData: where the data starts in the file
  uint64_t size = 0;    // min(VirtualSize, SizeOfRawData); SizeOfRawData when VirtualSize is 0

  bool operator==(const PeSection&) const = default;
};

struct UkiImage {
  std::optional<PeSection> linux_, initrd, cmdline, osrel, uname;
  // The text sections, without trailing NULs (and, for cmdline and uname, surrounding whitespace).
  // Empty when the section is absent or lies beyond the bytes given to parse_uki.
  std::string cmdline_text, osrel_text, uname_text;
  uint16_t machine = 0;  // COFF Machine: 0x8664 x86_64, 0xaa64 arm64, 0x14c i386, ...
};

// Parses a whole UKI file. Checks the DOS header ("MZ", e_lfanew), the "PE\0\0" signature, the
// COFF header and the section table, and that the data of every section used lies inside the
// file. The first section of each name counts (the base profile of a multi-profile UKI).
// A PE image without .linux fails with "not a unified kernel image".
Result<UkiImage> parse_uki(std::string_view bytes);

// The same for the first bytes of a file of `file_size` bytes: section data is checked against
// file_size, and text sections lying beyond `bytes` are left empty (see uki_text_end).
Result<UkiImage> parse_uki(std::string_view bytes, uint64_t file_size);

// Where the last byte of .cmdline/.osrel/.uname ends: how much of the file parse_uki needs to see
// to fill the text fields.
uint64_t uki_text_end(const UkiImage& image);

// Reads and parses the UKI at `path` (inside the root), reading only as much of it as the
// headers and text sections need.
Result<UkiImage> read_uki(const FileSystem& fs, const std::string& path);

// One value of an os-release file ("KEY=value", optionally quoted; "#" comments), if set and
// non-empty.
std::optional<std::string> os_release_value(std::string_view text, std::string_view key);

// How a boot menu names and orders a UKI, from .osrel as systemd does: the title is PRETTY_NAME,
// IMAGE_ID, NAME or ID; the sort key IMAGE_ID or ID; the version IMAGE_VERSION, VERSION,
// VERSION_ID or BUILD_ID, else the .uname release. Fields are "" when nothing provides them.
struct UkiMenuInfo {
  std::string title, sort_key, version;
};
UkiMenuInfo uki_menu_info(const UkiImage& image);

// Name of a COFF machine type ("x86_64", "arm64", ...), or "" when unknown.
std::string pe_machine_name(uint16_t machine);

}  // namespace warmboot
