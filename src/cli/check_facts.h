// SPDX-License-Identifier: Apache-2.0
// Gathers what `warmboot check` needs beyond plain files: the plan, /proc/config.gz, the listing
// of every planned initrd, systemd's version and [handover] stage_ahead.
#pragma once

#include "cli/context.h"
#include "core/kernel_selection.h"
#include "core/preflight.h"

namespace warmboot {

PreflightFacts gather_preflight_facts(Context& ctx, const SelectionRequest& request);

}  // namespace warmboot
