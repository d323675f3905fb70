// SPDX-License-Identifier: Apache-2.0
// The journal export format (`journalctl -o export`, systemd's JOURNAL_EXPORT_FORMATS) read into
// the BootJournals a JournalReader hands to core: entries separated by an empty line, each field
// "NAME=value\n", or "NAME\n" + 64-bit little-endian length + binary value + "\n". Entries are
// grouped by _BOOT_ID in order of appearance; only journal_fields_read() and
// __REALTIME_TIMESTAMP are kept, as SdJournalReader keeps them. For the harnesses only.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/journal_entry.h"

namespace warmboot::fuzz {

inline constexpr size_t kMaxExportEntries = 20000;
inline constexpr size_t kMaxExportBoots = 8;

inline bool wanted_field(const std::string& name) {
  for (const auto& field : journal_fields_read())
    if (field == name) return true;
  return false;
}

// One entry from `text` at `pos` (advanced past it); false when the text ends or is malformed.
inline bool read_export_entry(std::string_view text, size_t& pos, JournalEntry& entry,
                              std::string& boot_id) {
  bool any = false;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty()) {
      if (any) return true;
      continue;
    }
    any = true;
    std::string name;
    std::string value;
    if (size_t eq = line.find('='); eq != std::string_view::npos) {
      name = std::string(line.substr(0, eq));
      value = std::string(line.substr(eq + 1));
    } else {  // binary field: the length, then the bytes
      if (pos > text.size() || text.size() - pos < 8) return false;
      uint64_t length = 0;
      for (int i = 7; i >= 0; --i)
        length = (length << 8) | static_cast<unsigned char>(text[pos + i]);
      pos += 8;
      if (length > text.size() - pos) return false;
      name = std::string(line);
      value = std::string(text.substr(pos, length));
      pos += length + 1;
    }
    if (name == "__REALTIME_TIMESTAMP") {
      std::from_chars(value.data(), value.data() + value.size(), entry.realtime_us);
    } else if (name == "_BOOT_ID") {
      boot_id = canonical_boot_id(value);
    } else if (wanted_field(name)) {
      entry.fields[name] = std::move(value);
    }
  }
  return any;
}

inline std::vector<BootJournal> read_export(std::string_view text) {
  std::vector<BootJournal> boots;
  size_t pos = 0;
  size_t entries = 0;
  while (entries++ < kMaxExportEntries) {
    JournalEntry entry;
    std::string boot_id;
    if (!read_export_entry(text, pos, entry, boot_id)) break;
    BootJournal* boot = nullptr;
    for (auto& known : boots)
      if (known.boot_id == boot_id) boot = &known;
    if (!boot) {
      if (boots.size() == kMaxExportBoots) continue;
      boot = &boots.emplace_back();
      boot->boot_id = boot_id;
    }
    boot->entries.push_back(std::move(entry));
  }
  return boots;
}

}  // namespace warmboot::fuzz
