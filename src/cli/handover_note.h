// SPDX-License-Identifier: Apache-2.0
// The leaving half of the downtime history: just before warmboot hands the machine over (or
// reboots cold as a fallback) it writes /var/lib/warmboot/handover.json, so that
// `warmboot history record` at the next boot can tell a warm reboot from a cold one and measure
// the gap. A record that cannot be written is logged and never stops the reboot.
#pragma once

#include <optional>
#include <string>

#include "cli/context.h"
#include "core/plan.h"
#include "core/staged_record.h"

namespace warmboot {

// CLOCK_REALTIME seconds: ctx.clock when set, else ctx.now, else 0.
double realtime_now(const Context& ctx);

// `method` is how the kernel was staged, or nullopt for a fallback cold reboot; `plan` is null
// when there is no plan (the fallback came before one was made).
void note_handover(Context& ctx, std::optional<StagingMethod> method, const Plan* plan);

}  // namespace warmboot
