// SPDX-License-Identifier: Apache-2.0
// Runs the one handover sequence (core/handover_sequence.h) against the machine, for
// `warmboot reboot` (path Systemd or Direct) and for the way down of an enabled plain reboot
// (path ShutdownHook), and prints it for --dry-run. Staging itself (stage only when this very plan
// is not already staged in this boot, and keep the record) is here too: `load` and `stage-ahead`
// use it alone.
#pragma once

#include "cli/commands.h"
#include "core/handover_sequence.h"
#include "core/plan.h"
#include "core/result.h"
#include "core/staged_record.h"

namespace warmboot {

// What staging did.
struct Staging {
  bool reused = false;  // this very plan was staged earlier in this boot: nothing was loaded
  StagingMethod method = StagingMethod::FileLoad;
};

// True when the kernel reports a staged image and our record says it is `plan`, from this boot.
bool plan_is_staged(Context& ctx, const Plan& plan);
// Stages `plan` unless it is staged already; a failure leaves nothing staged and no record. Holds
// the staging lock meanwhile (waiting up to kStagingLockWait for another warmboot).
// `require_signed` (--require-signed, [handover] require_signed): refused before any syscall unless
// the running kernel verifies signatures (core/signature_policy.h); kexec_file_load only; a kernel
// staged earlier by kexec-tools is not reused.
Result<Staging> stage_if_needed(Context& ctx, const Plan& plan, bool require_signed = false);

// The staging lock, for whoever else changes what is staged (unload, refresh).
inline constexpr double kStagingLockWait = 10;
Result<HeldLock> staging_lock(Context& ctx);

// The request for `plan` under `options` on `path`: what is staged, the vetted hooks.
HandoverRequest make_handover_request(Context& ctx, const Plan& plan, const RebootOptions& options,
                                      HandoverPath path);

// "N. ..." for every step, as --dry-run shows them.
void print_handover_steps(Context& ctx, const Plan& plan, const HandoverRequest& request);

// Runs every step in order, applying each step's failure rule. Returns the exit code: Ok when the
// handover (or, by the fallback rules, a cold reboot) is under way.
ExitCode run_handover(Context& ctx, const Plan& plan, const HandoverRequest& request);

}  // namespace warmboot
