// SPDX-License-Identifier: Apache-2.0
#include "cli/handover_note.h"

#include <syslog.h>

#include "core/downtime_history.h"
#include "core/health_snapshot.h"
#include "core/staged_record.h"

namespace warmboot {

double realtime_now(const Context& ctx) {
  if (ctx.clock) return ctx.clock();
  return ctx.now ? static_cast<double>(ctx.now()) : 0.0;
}

void note_handover(Context& ctx, std::optional<StagingMethod> method, const Plan* plan) {
  HandoverRecord record;
  record.boot_id = ctx.facts().boot_id;
  record.method = method ? to_string(*method) : "cold";
  record.left_at = realtime_now(ctx);
  if (plan) record.plan = plan->version.value_or("unknown") + " " + plan->kernel;
  // What the machine has now, for the next boot to compare (the guard).
  if (method && ctx.host_root) record.health = read_health_snapshot(ctx.fs);
  if (auto written = write_handover(ctx.fs, record); !written) {
    ctx.journal.log(LOG_WARNING, "could not record the handover for the downtime history: " +
                                     written.error().str());
  }
}

}  // namespace warmboot
