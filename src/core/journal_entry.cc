// SPDX-License-Identifier: Apache-2.0
#include "core/journal_entry.h"

#include <charconv>

namespace warmboot {

const std::string& JournalEntry::field(const std::string& name) const {
  static const std::string empty;
  auto it = fields.find(name);
  return it == fields.end() ? empty : it->second;
}

double JournalEntry::when() const {
  const std::string& source = field("_SOURCE_REALTIME_TIMESTAMP");
  uint64_t usec = 0;
  auto [end, ec] = std::from_chars(source.data(), source.data() + source.size(), usec);
  if (source.empty() || ec != std::errc() || end != source.data() + source.size() || usec == 0) {
    usec = realtime_us;
  }
  return static_cast<double>(usec) / 1e6;
}

std::string canonical_boot_id(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (c == '-') continue;
    out += (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace warmboot
