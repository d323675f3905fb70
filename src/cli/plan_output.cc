// SPDX-License-Identifier: Apache-2.0
#include "cli/plan_output.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace warmboot {

void print_plan(std::ostream& out, const Plan& plan) {
  fmt::print(out, "kernel:  {}{}\n", plan.kernel, plan.uki ? " (unified kernel image)" : "");
  fmt::print(out, "version: {}\n", plan.version.value_or("unknown"));
  if (plan.initrds.empty()) {
    fmt::print(out, "initrd:  (none)\n");
  } else {
    for (const auto& initrd : plan.initrds) fmt::print(out, "initrd:  {}\n", initrd);
  }
  fmt::print(out, "cmdline: {}\n", plan.cmdline);
  if (plan.dtb) fmt::print(out, "dtb:     {} (instead of the running device tree)\n", *plan.dtb);
  fmt::print(out, "source:  {}{}\n", to_string(plan.source),
             plan.entry ? fmt::format(" (entry \"{}\")", *plan.entry) : "");
}

}  // namespace warmboot
