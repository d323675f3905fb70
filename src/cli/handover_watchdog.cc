// SPDX-License-Identifier: Apache-2.0
#include "cli/handover_watchdog.h"

#include <syslog.h>

#include <string>

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace warmboot {

HandoverWatchdog arm_handover_watchdog(Context& ctx, const HandoverRequest& r) {
  HandoverWatchdog done;
  Result<int> armed = 0;
  std::string how;
  if (r.path == HandoverPath::Direct) {
    how = "by warmboot";
    armed = ctx.watchdog ? ctx.watchdog->arm(r.watchdog_sec)
                         : Result<int>(make_error("watchdog", "no watchdog on this machine"));
    done.armed_by_warmboot = static_cast<bool>(armed);
  } else {
    const ShutdownWatchdog which = shutdown_watchdog_for(r);
    how = fmt::format("by systemd ({})", to_string(which));
    auto previous = ctx.systemd.shutdown_watchdog(which);
    Status set =
        ctx.systemd.set_shutdown_watchdog(which, static_cast<uint64_t>(r.watchdog_sec) * 1000000);
    if (set && previous) done.previous_usec = *previous;
    armed = set ? Result<int>(r.watchdog_sec) : Result<int>(set.error());
  }
  if (!armed) {
    std::string message = fmt::format(
        "the hardware watchdog is not armed ({}): if the new kernel hangs, the machine stays hung "
        "until it is power cycled",
        armed.error().str());
    ctx.journal.log(LOG_WARNING, message, {{"event", "watchdog-not-armed"}});
    fmt::print(ctx.err, "warmboot: {}\n", message);
    return done;
  }
  std::string message =
      fmt::format("hardware watchdog armed for {} s across the handover, {}", *armed, how);
  ctx.journal.log(LOG_NOTICE, message, {{"event", "watchdog-armed"}});
  fmt::print(ctx.out, "warmboot: {}\n", message);
  ctx.out.flush();
  return done;
}

void undo_handover_watchdog(Context& ctx, const HandoverRequest& r, const HandoverWatchdog& armed) {
  if (armed.armed_by_warmboot && ctx.watchdog) {
    if (Status stopped = ctx.watchdog->disarm(); !stopped) {
      fmt::print(ctx.err,
                 "warmboot: CAUTION: the hardware watchdog could not be stopped ({}): the machine "
                 "resets in about {} s\n",
                 stopped.error().str(), r.watchdog_sec);
    }
  }
  if (armed.previous_usec) {
    (void)ctx.systemd.set_shutdown_watchdog(shutdown_watchdog_for(r), *armed.previous_usec);
  }
}

}  // namespace warmboot
