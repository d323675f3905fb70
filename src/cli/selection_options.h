// SPDX-License-Identifier: Apache-2.0
// The kernel selection flags shared by plan, load and reboot.
#pragma once

#include <CLI/CLI.hpp>

#include "core/kernel_selection.h"

namespace warmboot {

void add_selection_options(CLI::App& command, SelectionRequest& request);

}  // namespace warmboot
