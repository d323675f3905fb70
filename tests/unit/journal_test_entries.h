// SPDX-License-Identifier: Apache-2.0
// Building journal entries for tests: the shapes PID 1 and logind log around a shutdown.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/journal_entry.h"

namespace warmboot::testing {

inline JournalEntry entry(double seconds, std::map<std::string, std::string> fields) {
  return JournalEntry{static_cast<uint64_t>(seconds * 1e6), std::move(fields)};
}
inline JournalEntry stopping(double s, const std::string& unit) {
  return entry(s, {{"MESSAGE_ID", message_id::kUnitStopping},
                   {"UNIT", unit},
                   {"MESSAGE", "Stopping " + unit + "..."}});
}
inline JournalEntry stopped(double s, const std::string& unit) {
  return entry(s, {{"MESSAGE_ID", message_id::kUnitStopped},
                   {"UNIT", unit},
                   {"MESSAGE", "Stopped " + unit + "."}});
}
inline JournalEntry started(double s, const std::string& unit) {
  return entry(s, {{"MESSAGE_ID", message_id::kUnitStarted}, {"UNIT", unit}});
}
inline JournalEntry logind_reboot(double s) {
  return entry(s, {{"MESSAGE_ID", message_id::kShutdown},
                   {"SHUTDOWN", "reboot"},
                   {"MESSAGE", "System is rebooting."}});
}

}  // namespace warmboot::testing
