// SPDX-License-Identifier: Apache-2.0
// The Prometheus textfile, kept current: rewritten at every boot (`history record`) and whenever
// what it says changes: a kernel staged (load, reboot, shutdown-stage) or dropped (unload).
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"
#include "core/downtime_history.h"
#include "core/reboot_metrics.h"

namespace warmboot {

// Writes the textfile to `path`, or to the configuration's [metrics] path when `path` is empty;
// does nothing when neither is set.
Status write_metrics(Context& ctx, const std::string& path,
                     const std::vector<DowntimeRecord>& history, const RebootCounts& counts);

// Best effort, for the commands that change warmboot_staged: a failure is logged, never fatal.
void refresh_metrics(Context& ctx);

}  // namespace warmboot
