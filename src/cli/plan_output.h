// SPDX-License-Identifier: Apache-2.0
// Human-readable rendering of plans, shared by plan, load, status and reboot.
#pragma once

#include <ostream>

#include "core/plan.h"

namespace warmboot {

void print_plan(std::ostream& out, const Plan& plan);

}  // namespace warmboot
