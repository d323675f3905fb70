// SPDX-License-Identifier: Apache-2.0
// Prometheus textfile output (node_exporter's textfile collector) for the downtime history, and the
// reboot counters behind it. The history keeps only its newest records, so the per-kind totals
// live in their own small file and only ever grow: warmboot_reboots_total is a true counter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/downtime_history.h"
#include "core/filesystem.h"
#include "core/result.h"
#include "core/state_paths.h"

namespace warmboot {

struct RebootCounts {
  uint64_t warm = 0;
  uint64_t cold = 0;
  uint64_t fallback = 0;
  uint64_t warm_failed = 0;
  uint64_t& of(RebootKind kind);
  uint64_t of(RebootKind kind) const;
  bool operator==(const RebootCounts&) const = default;
};

// How many records of each kind the history holds.
RebootCounts count_history(const std::vector<DowntimeRecord>& history);

// The totals so far: the counts file, or (when it is absent or unreadable) the history's counts.
RebootCounts current_counts(const FileSystem& fs, const std::vector<DowntimeRecord>& history);

// One more reboot of `kind`, already appended to `history`; writes and returns the new totals.
// Without a counts file the history (which holds the new record) seeds it.
Result<RebootCounts> count_new_reboot(FileSystem& fs, RebootKind kind,
                                      const std::vector<DowntimeRecord>& history);

// The exposition text: # HELP and # TYPE, then
//   warmboot_last_downtime_seconds{kind="..."}  the newest known downtime of each kind (absent
//                                               for a kind without one);
//   warmboot_reboots_total{kind="..."}          every kind, zeros included;
//   warmboot_staged                             1 when a kernel is staged for a warm reboot.
std::string render_metrics(const std::vector<DowntimeRecord>& history, const RebootCounts& counts,
                           bool staged);

}  // namespace warmboot
