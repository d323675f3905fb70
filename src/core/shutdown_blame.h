// SPDX-License-Identifier: Apache-2.0
// Shutdown blame: from the previous boot's journal, when its shutdown began and ended, and how
// long each unit took to stop, slowest first, with the units that hit their stop timeout.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/journal_entry.h"

namespace warmboot {

struct UnitStop {
  std::string unit;
  double started_at = 0;   // "Stopping ..." (seconds since the epoch)
  double seconds = 0;      // to "Stopped ...", or to the journal's end when it never finished
  bool timed_out = false;  // systemd gave up waiting: UNIT_RESULT=timeout or "timed out"
  bool finished = true;    // a "Stopped" entry was seen
  bool operator==(const UnitStop&) const = default;
};

struct ShutdownReport {
  std::string boot_id;
  double started_at = 0;   // the request (logind's "System is rebooting.") or the first stop
  double ended_at = 0;     // the boot's last journal entry: journald stops writing near the end
  std::string kind;        // logind's SHUTDOWN= ("reboot", "power-off", ...), "" when not seen
  std::string began_with;  // the message that opened the shutdown
  std::vector<UnitStop> units;  // slowest first
  bool truncated = false;       // the journal read did not reach back to the start
  double seconds() const { return ended_at - started_at; }
};

// Empty when the boot has no orderly shutdown in its journal (a crash, a power cut, a reset, or
// `reboot -f`).
std::optional<ShutdownReport> shutdown_blame(const BootJournal& boot);

// The units `warmboot audit` prints: the slowest `limit`, and every one that timed out.
std::vector<UnitStop> worth_showing(const std::vector<UnitStop>& units, size_t limit);

nlohmann::json to_json(const ShutdownReport& report, size_t limit);

}  // namespace warmboot
