// SPDX-License-Identifier: Apache-2.0
// `warmboot refresh`: run by the kernel and initramfs hooks the package installs
// (/etc/kernel/postinst.d, /etc/kernel/postrm.d, /etc/initramfs/post-update.d) and whenever the
// boot loader's default may have changed. A kernel warmboot staged that is no longer the plan, or
// whose files were rewritten since (update-initramfs -u, a DKMS rebuild, a same-ABI update), is
// staged anew when warm reboots are enabled with [handover] stage_ahead, and unloaded otherwise:
// a plain reboot (which systemd >= 255 turns into a kexec whenever a kernel is loaded) must never
// hand over to a stale copy. Never fails the package operation that runs it.
#include <syslog.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/handover_executor.h"
#include "cli/metrics_refresh.h"
#include "core/enable_setup.h"
#include "core/staged_record.h"

namespace warmboot {

ExitCode cmd_refresh(Context& ctx, const Invocation& in) {
  auto loaded = ctx.kexec.is_loaded();
  if (!loaded || !*loaded) {
    fmt::print(ctx.out, "warmboot: nothing staged: nothing to refresh\n");
    return ExitCode::Ok;
  }
  auto locked = staging_lock(ctx);
  if (!locked) {
    fmt::print(ctx.err, "warmboot: {}\n", locked.error().str());
    return ExitCode::Ok;  // never fail a package operation
  }
  auto record = read_staged_record(ctx.fs);
  if (!record) {
    fmt::print(ctx.out, "warmboot: the staged kernel is not warmboot's: left alone\n");
    return ExitCode::Ok;
  }
  auto plan = plan_from_system(ctx.fs, ctx.facts(), in.selection);
  if (plan && record_is_current(*record, *plan, ctx.facts().boot_id, ctx.fs)) {
    fmt::print(ctx.out, "warmboot: the staged kernel is still the plan\n");
    return ExitCode::Ok;
  }
  const std::string why = plan ? "the plan or its files changed" : plan.error().str();
  if (plan && enable_state(ctx.fs) == EnableState::Enabled && in.config.stage_ahead) {
    *locked = HeldLock();  // released: stage_if_needed takes it again
    if (auto staged = stage_if_needed(ctx, *plan, in.reboot.require_signed)) {
      std::string message = fmt::format("restaged {} ({}): {}", plan->kernel,
                                        plan->version.value_or("unknown version"), why);
      ctx.journal.log(LOG_NOTICE, message, {{"event", "restaged"}, {"kernel", plan->kernel}});
      fmt::print(ctx.out, "warmboot: {}\n", message);
      return ExitCode::Ok;
    } else {
      ctx.journal.log(LOG_WARNING, "restaging failed: " + staged.error().str());
      fmt::print(ctx.err, "warmboot: restaging failed: {}\n", staged.error().str());
    }
  }
  (void)ctx.kexec.unload();
  (void)remove_staged_record(ctx.fs);
  refresh_metrics(ctx);  // warmboot_staged 0
  std::string message = "unloaded the stale staged kernel (" + why + ")";
  ctx.journal.log(LOG_NOTICE, message, {{"event", "unstaged-stale"}});
  fmt::print(ctx.out, "warmboot: {}\n", message);
  return ExitCode::Ok;
}

}  // namespace warmboot
