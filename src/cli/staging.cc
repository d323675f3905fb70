// SPDX-License-Identifier: Apache-2.0
#include "cli/staging.h"

#include "cli/metrics_refresh.h"
#include "core/kernel_config.h"
#include "core/signature_policy.h"
#include "os/initrd_integrity.h"
#include "os/kexec_stager.h"

namespace warmboot {

bool plan_is_staged(Context& ctx, const Plan& plan) {
  auto loaded = ctx.kexec.is_loaded();
  if (!loaded || !*loaded) return false;
  auto record = read_staged_record(ctx.fs);
  return record && record_is_current(*record, plan, ctx.facts().boot_id, ctx.fs);
}

Result<HeldLock> staging_lock(Context& ctx) {
  return ctx.fs.lock(kStagingLockPath, "warmboot " + ctx.command, kStagingLockWait);
}

Result<Staging> stage_if_needed(Context& ctx, const Plan& plan, bool require_signed) {
  if (require_signed) {
    auto config = find_kernel_config(ctx.fs, ctx.facts().release(), std::nullopt);
    auto rule = signature_rule_inputs(ctx.facts(), config ? &config->config : nullptr);
    if (kexec_signature_enforcers(rule).empty()) return signature_not_enforced_error();
  }
  auto locked = staging_lock(ctx);
  if (!locked) return locked.error();
  if (plan_is_staged(ctx, plan)) {
    auto record = read_staged_record(ctx.fs);
    const StagingMethod method = record ? record->method : StagingMethod::FileLoad;
    if (!require_signed || method == StagingMethod::FileLoad) return Staging{true, method};
  }
  // A record that no longer describes the staged kernel must not survive a failed attempt.
  (void)remove_staged_record(ctx.fs);
  StagedRecord record{plan, StagingMethod::FileLoad, ctx.facts().boot_id, ctx.now ? ctx.now() : 0,
                      identify_plan_files(ctx.fs, plan)};
  if (auto whole = check_initrds(plan, ctx.fs); !whole) return whole.error();
  auto staged = stage_plan(plan, ctx.fs, ctx.kexec, ctx.runner, ctx.facts(), require_signed);
  if (!staged) return staged.error();
  record.method = staged->method;
  if (auto written = write_staged_record(ctx.fs, record); !written) {
    // A kernel staged without its record would later be taken for someone else's, or reused
    // without knowing what it is: it goes.
    (void)ctx.kexec.unload();
    Error e = written.error();
    e.message =
        "staged, but the record of it could not be written, so it was unloaded again: " + e.message;
    return e;
  }
  refresh_metrics(ctx);  // warmboot_staged 1
  return Staging{false, staged->method};
}

}  // namespace warmboot
