// SPDX-License-Identifier: Apache-2.0
// Staging, as every command does it (load, reboot, the enabled way down, stage-ahead, refresh):
// stage only when this very plan is not already staged in this boot, under one lock, and never
// leave a kernel staged without its record.
#pragma once

#include "cli/context.h"
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

}  // namespace warmboot
