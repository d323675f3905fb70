// `warmboot check`: every preflight check, in the order they are shown. The caller gathers what
// core cannot read itself (the plan, /proc/config.gz decompressed, initrd listings, systemd's
// version from PID 1) into PreflightFacts; everything else is read through the FileSystem.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/check_initrd.h"
#include "core/plan.h"
#include "core/result.h"
#include "os/filesystem.h"

namespace warmboot {

struct PreflightFacts {
  std::optional<Plan> plan;
  std::optional<Error> plan_error;         // why there is no plan
  std::optional<std::string> proc_config;  // /proc/config.gz, decompressed, if present
  std::vector<InitrdNames> initrds;        // the plan's initrds (a UKI's .initrd first), listed
  bool booted_with_systemd = true;
  int systemd_version = 0;  // 0: unknown
};

std::vector<CheckResult> run_preflight(const FileSystem& fs, const PreflightFacts& facts);

}  // namespace warmboot
