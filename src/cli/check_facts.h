// SPDX-License-Identifier: Apache-2.0
// Gathers what `warmboot check` needs beyond plain files: the plan, /proc/config.gz, the listing
// of every planned initrd and systemd's version.
#pragma once

#include "cli/context.h"
#include "core/kernel_selection.h"
#include "core/preflight.h"

namespace warmboot {

PreflightFacts gather_preflight_facts(Context& ctx, const SelectionRequest& request);

}  // namespace warmboot
