#include "cli/staging.h"

#include <syslog.h>

#include "cli/metrics_refresh.h"
#include "core/staged_record.h"
#include "os/initrd_check.h"
#include "os/kexec_stager.h"

namespace warmboot {

bool plan_is_staged(Context& ctx, const Plan& plan) {
  auto loaded = ctx.kexec.is_loaded();
  if (!loaded || !*loaded) return false;
  auto record = read_staged_record(ctx.fs);
  return record && record->plan == plan && record->boot_id == read_boot_id(ctx.fs);
}

Result<StagingOutcome> stage_if_needed(Context& ctx, const Plan& plan) {
  if (plan_is_staged(ctx, plan)) {
    auto record = read_staged_record(ctx.fs);
    return StagingOutcome{true, record ? record->method : ""};
  }
  // A record that no longer describes the staged kernel must not survive a failed attempt.
  (void)remove_staged_record(ctx.fs);
  if (auto whole = check_initrds(plan, ctx.fs); !whole) return whole.error();
  auto staged = stage_plan(plan, ctx.fs, ctx.kexec, ctx.runner);
  if (!staged) return staged.error();
  StagedRecord record{plan, staged->method, read_boot_id(ctx.fs), ctx.now ? ctx.now() : 0};
  if (auto written = write_staged_record(ctx.fs, record); !written) {
    ctx.journal.log(LOG_WARNING, "staged, but could not record it: " + written.error().str());
  }
  refresh_metrics(ctx);  // warmboot_staged 1
  return StagingOutcome{false, staged->method};
}

}  // namespace warmboot
