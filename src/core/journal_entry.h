// SPDX-License-Identifier: Apache-2.0
// Journal entries as warmboot reads them back: the time and the few fields it looks at.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace warmboot {

// systemd's catalogue message IDs (sd-messages.h) that warmboot reads.
namespace message_id {
inline constexpr const char* kUnitStopping = "de5b426a63be47a7b6ac3eaac82e2f6f";
inline constexpr const char* kUnitStopped = "9d1aaa27d60140bd96365438aad20286";
inline constexpr const char* kUnitStarting = "7d4958e842da4a758f6c1cdc7b36dcc5";
inline constexpr const char* kUnitStarted = "39f53479d3a045ac8e11786248231fbf";
inline constexpr const char* kUnitFailureResult = "d9b373ed55a64feb8242e02dbe79a49c";
inline constexpr const char* kShutdown = "98268866d1d54a499c4e98921d93bc40";  // logind
}  // namespace message_id

struct JournalEntry {
  uint64_t realtime_us = 0;  // when journald received it (__REALTIME_TIMESTAMP)
  std::map<std::string, std::string> fields;

  // The field's value, "" when absent.
  const std::string& field(const std::string& name) const;
  // When the entry was made: _SOURCE_REALTIME_TIMESTAMP when the sender gave one, else the
  // receive time; seconds since the epoch.
  double when() const;
  bool operator==(const JournalEntry&) const = default;
};

// The fields a JournalReader keeps of each entry.
inline const std::vector<std::string>& journal_fields_read() {
  static const std::vector<std::string> fields = {
      "MESSAGE",  "MESSAGE_ID",        "UNIT",
      "JOB_TYPE", "JOB_RESULT",        "UNIT_RESULT",
      "SHUTDOWN", "SYSLOG_IDENTIFIER", "_SOURCE_REALTIME_TIMESTAMP"};
  return fields;
}

// A boot ID as the journal spells it (32 lower-case hex digits) from either spelling: /proc's
// "a1b2c3d4-..." or the journal's own.
std::string canonical_boot_id(std::string_view id);

// One boot's entries, oldest first.
struct BootJournal {
  std::string boot_id;
  std::vector<JournalEntry> entries;
  bool truncated = false;  // only the newest entries were kept
};

}  // namespace warmboot
