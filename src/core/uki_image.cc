// SPDX-License-Identifier: Apache-2.0
#include "core/uki_image.h"

#include <tuple>

#include "core/little_endian.h"

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

namespace warmboot {
namespace {

constexpr uint64_t kDosHeaderSize = 0x40;
constexpr uint64_t kCoffHeaderSize = 20;
constexpr uint64_t kSectionHeaderSize = 40;
constexpr uint64_t kHeadBytes = 64 * 1024;
// .cmdline, .osrel and .uname are a few hundred bytes; more is not a text section.
constexpr uint64_t kMaxUkiTextBytes = 64 * 1024;

Error pe_error(std::string message) {
  return make_error("parse_uki", std::move(message));
}

std::string hex(uint64_t value) {
  return fmt::format("{:#x}", value);
}

std::string trim_text(std::string_view text, bool whitespace) {
  auto junk = [&](char c) {
    return c == '\0' || (whitespace && (c == ' ' || c == '\t' || c == '\n' || c == '\r'));
  };
  if (whitespace) {
    size_t nul = text.find('\0');  // a command line or release ends at its first NUL
    if (nul != std::string_view::npos) text = text.substr(0, nul);
  }
  while (!text.empty() && junk(text.back())) text.remove_suffix(1);
  while (whitespace && !text.empty() && junk(text.front())) text.remove_prefix(1);
  return std::string(text);
}

// The text of a section when it lies inside `bytes`, else "".
std::string section_text(std::string_view bytes, const std::optional<PeSection>& section,
                         bool whitespace) {
  if (!section || section->offset > bytes.size() ||
      section->size > bytes.size() - section->offset) {
    return {};
  }
  return trim_text(bytes.substr(section->offset, section->size), whitespace);
}

}  // namespace

Result<UkiImage> parse_uki(std::string_view bytes) {
  return parse_uki(bytes, bytes.size());
}

Result<UkiImage> parse_uki(std::string_view bytes, uint64_t file_size) {
  const uint64_t have = bytes.size();
  if (have < kDosHeaderSize) {
    return pe_error(fmt::format("truncated DOS header: {} bytes, need {}", have, kDosHeaderSize));
  }
  if (bytes[0] != 'M' || bytes[1] != 'Z') return pe_error("not a PE image: no \"MZ\" signature");
  const uint64_t pe_offset = read_le(bytes, 0x3c, 4);
  if (pe_offset + 4 + kCoffHeaderSize > have) {
    return pe_error(fmt::format("truncated: PE header at {} lies beyond the {} bytes read",
                                hex(pe_offset), have));
  }
  if (bytes.substr(pe_offset, 4) != std::string_view("PE\0\0", 4)) {
    return pe_error(fmt::format("no \"PE\\0\\0\" signature at {}", hex(pe_offset)));
  }
  const uint64_t coff = pe_offset + 4;
  UkiImage image;
  image.machine = static_cast<uint16_t>(read_le(bytes, coff, 2));
  const uint64_t sections = read_le(bytes, coff + 2, 2);
  const uint64_t optional_size = read_le(bytes, coff + 16, 2);
  const uint64_t table = coff + kCoffHeaderSize + optional_size;
  if (table + sections * kSectionHeaderSize > have) {
    return pe_error(
        fmt::format("truncated: section table ({} sections at {}) lies beyond the {} "
                    "bytes read",
                    sections, hex(table), have));
  }

  for (uint64_t i = 0; i < sections; ++i) {
    const uint64_t at = table + i * kSectionHeaderSize;
    std::string_view raw_name = bytes.substr(at, 8);
    PeSection section;
    section.name = std::string(raw_name.substr(0, raw_name.find('\0')));
    const uint64_t virtual_size = read_le(bytes, at + 8, 4);
    const uint64_t raw_size = read_le(bytes, at + 16, 4);
    section.offset = read_le(bytes, at + 20, 4);
    section.size = virtual_size == 0 ? raw_size : std::min(virtual_size, raw_size);

    std::optional<PeSection>* slot = nullptr;
    if (section.name == ".linux") slot = &image.linux_;
    if (section.name == ".initrd") slot = &image.initrd;
    if (section.name == ".cmdline") slot = &image.cmdline;
    if (section.name == ".osrel") slot = &image.osrel;
    if (section.name == ".uname") slot = &image.uname;
    if (!slot || slot->has_value()) continue;  // not ours, or a later profile's copy
    if (section.offset > file_size || section.size > file_size - section.offset) {
      return pe_error(
          fmt::format("section {} (offset {}, size {}) lies beyond the end of the file "
                      "({} bytes)",
                      section.name, hex(section.offset), section.size, file_size));
    }
    *slot = std::move(section);
  }
  if (!image.linux_) return pe_error("not a unified kernel image: no .linux section");

  image.cmdline_text = section_text(bytes, image.cmdline, true);
  image.osrel_text = section_text(bytes, image.osrel, false);
  image.uname_text = section_text(bytes, image.uname, true);
  return image;
}

uint64_t uki_text_end(const UkiImage& image) {
  uint64_t end = 0;
  for (const auto* section : {&image.cmdline, &image.osrel, &image.uname}) {
    if (*section) end = std::max(end, (*section)->offset + (*section)->size);
  }
  return end;
}

namespace {

// Reads the text sections the first bytes did not hold, each on its own: only their own bytes,
// however far into the file they lie (a sparse "UKI" claiming sections near its 900 MB end made
// `list` read all of it).
Status read_far_text(const FileSystem& fs, const std::string& path, uint64_t have,
                     UkiImage& image) {
  const std::tuple<const std::optional<PeSection>*, std::string*, bool> texts[] = {
      {&image.cmdline, &image.cmdline_text, true},
      {&image.osrel, &image.osrel_text, false},
      {&image.uname, &image.uname_text, true}};
  for (auto [section, text, whitespace] : texts) {
    if (!*section || (*section)->offset + (*section)->size <= have) continue;
    if ((*section)->size > kMaxUkiTextBytes) {
      return errno_error("read_uki", EFBIG, path,
                         fmt::format("{}: section {} is {} bytes, not a text section", path,
                                     (*section)->name, (*section)->size));
    }
    auto bytes = fs.read_range(path, (*section)->offset, (*section)->size);
    if (!bytes) return bytes.error();
    *text = trim_text(*bytes, whitespace);
  }
  return {};
}

}  // namespace

Result<UkiImage> read_uki(const FileSystem& fs, const std::string& path) {
  auto info = fs.stat(path);
  if (!info) return info.error();
  auto head = fs.read_prefix(path, std::min(info->size, kHeadBytes));
  if (!head) return head.error();
  auto image = parse_uki(*head, info->size);
  if (image) {
    if (Status far = read_far_text(fs, path, head->size(), *image); !far) return far.error();
  }
  if (!image) {
    Error error = image.error();
    error.file = path;
    error.message = path + ": " + error.message;
    return error;
  }
  return image;
}

std::optional<std::string> os_release_value(std::string_view text, std::string_view key) {
  std::optional<std::string> found;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || line.substr(0, eq) != key) continue;
    std::string_view value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    std::string unescaped;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) ++i;
      unescaped += value[i];
    }
    found = std::move(unescaped);  // the last assignment wins, as in a shell
  }
  if (found && found->empty()) return std::nullopt;
  return found;
}

UkiMenuInfo uki_menu_info(const UkiImage& image) {
  auto os = [&](const char* key) { return os_release_value(image.osrel_text, key); };
  UkiMenuInfo info;
  info.title = os("PRETTY_NAME")
                   .value_or(os("IMAGE_ID").value_or(os("NAME").value_or(os("ID").value_or(""))));
  info.sort_key = os("IMAGE_ID").value_or(os("ID").value_or(""));
  info.version = os("IMAGE_VERSION")
                     .value_or(os("VERSION").value_or(
                         os("VERSION_ID").value_or(os("BUILD_ID").value_or(image.uname_text))));
  return info;
}

std::string pe_machine_name(uint16_t machine) {
  switch (machine) {
    case 0x8664:
      return "x86_64";
    case 0x014c:
      return "x86";
    case 0xaa64:
      return "arm64";
    case 0x01c2:
    case 0x01c4:
      return "arm";
    case 0x5064:
      return "riscv64";
    case 0x6264:
      return "loongarch64";
  }
  return {};
}

}  // namespace warmboot
