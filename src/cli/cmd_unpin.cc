// SPDX-License-Identifier: Apache-2.0
// `warmboot unpin`: lift the guard's pin (core/guard_pin.h) once someone has looked at why a warm
// reboot went wrong. The pin's reason goes to the journal with the lifting, for the record.
#include <syslog.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/report.h"
#include "core/guard_pin.h"

namespace warmboot {

ExitCode cmd_unpin(Context& ctx, const Invocation&) {
  auto pin = read_pin(ctx.fs);
  if (!pin) {
    fmt::print(ctx.out, "warmboot: not pinned: warm reboots are allowed\n");
    return ExitCode::Ok;
  }
  if (auto removed = remove_pin(ctx.fs); !removed)
    return fail(ctx, removed.error(), ExitCode::Failure);
  std::string message = "unpinned: warm reboots are allowed again (was " + describe_pin(*pin) + ")";
  ctx.journal.log(LOG_NOTICE, message, {{"event", "unpinned"}});
  fmt::print(ctx.out, "warmboot: {}\n", message);
  return ExitCode::Ok;
}

}  // namespace warmboot
