// SPDX-License-Identifier: Apache-2.0
#include "cli/report.h"

#include <syslog.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "core/state_paths.h"

namespace warmboot {

ExitCode fail(Context& ctx, const Error& error, ExitCode code) {
  fmt::print(ctx.err, "warmboot: {}\n", error.str());
  return code;
}

bool refuse_offline_root(Context& ctx, const char* command) {
  if (ctx.host_root) return false;
  fmt::print(ctx.err,
             "warmboot: {}: refusing to stage or reboot with --root: the running kernel is not the "
             "one under that root; run without --root on the machine itself\n",
             command);
  return true;
}

ExitCode going_cold(Context& ctx, const Error& why, ExitCode code) {
  std::string message = "WARM REBOOT NOT POSSIBLE, this reboot will be COLD: " + why.str();
  ctx.journal.log(LOG_ERR, message, {{"event", "fallback"}});
  (void)ctx.fs.remove_file(kRebootMarker);
  fmt::print(ctx.err, "warmboot: {}\n", message);
  return code;
}

}  // namespace warmboot
