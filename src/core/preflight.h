// SPDX-License-Identifier: Apache-2.0
// `warmboot check`: every preflight check, in the order they are shown. The caller gathers what
// core cannot read itself (the plan, /proc/config.gz decompressed, initrd listings) into
// PreflightFacts; the machine's facts come read once (core/machine_facts.h); everything else is
// read through the FileSystem.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/check_initrd_storage.h"
#include "core/config.h"
#include "core/filesystem.h"
#include "core/machine_facts.h"
#include "core/plan.h"
#include "core/result.h"

namespace warmboot {

struct PreflightFacts {
  std::optional<Plan> plan;
  std::optional<Error> plan_error;         // why there is no plan
  std::optional<std::string> proc_config;  // /proc/config.gz, decompressed, if present
  std::vector<InitrdNames> initrds;        // the plan's initrds (a UKI's .initrd first), listed
  // The planned kernel decompressed as staging would (arm64): its description or the error;
  // nullopt when it is passed as is (os/kernel_unpack_probe.h).
  std::optional<Result<std::string>> kernel_unpack;
  StageAhead stage_ahead = StageAhead::Auto;  // [handover] stage_ahead, for "stage-ahead"
};

std::vector<CheckResult> run_preflight(const FileSystem& fs, const MachineFacts& machine,
                                       const PreflightFacts& facts);

}  // namespace warmboot
