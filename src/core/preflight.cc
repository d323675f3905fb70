// SPDX-License-Identifier: Apache-2.0
#include "core/preflight.h"

#include "core/boot_inventory.h"
#include "core/check_device_tree.h"
#include "core/check_drivers.h"
#include "core/check_guard.h"
#include "core/check_kernel_format.h"
#include "core/check_kernel_support.h"
#include "core/check_plan_files.h"
#include "core/check_secure_boot.h"
#include "core/check_systemd.h"
#include "core/check_tpm_unlock.h"
#include "core/kernel_config.h"
#include "core/root_storage.h"
#include "core/stage_ahead.h"

namespace warmboot {

std::vector<CheckResult> run_preflight(const FileSystem& fs, const MachineFacts& machine,
                                       const PreflightFacts& facts) {
  std::vector<CheckResult> results;
  const auto config = find_kernel_config(fs, machine.release(), facts.proc_config);

  results.push_back(check_kexec_syscalls(config));
  results.push_back(check_kexec_sysctls(machine));
  results.push_back(check_privileges(fs));
  const Plan* plan = facts.plan ? &*facts.plan : nullptr;
  results.push_back(judge_signature(read_signature_facts(fs, machine, config, plan)));
  if (plan) {
    results.push_back(check_plan_files(fs, *plan));
    results.push_back(check_kernel_format(fs, *plan, machine.arch, facts.kernel_unpack));
    results.push_back(check_plan_memory(fs, *plan));
    results.push_back(check_stage_ahead(fs, machine, facts.stage_ahead, *plan));
    results.push_back(check_plan_modules(fs, *plan));
    results.push_back(check_initrd_storage(fs, *plan, detect_root_storage(fs), facts.initrds));
  } else {
    std::string why = facts.plan_error ? facts.plan_error->str() : "no plan";
    results.push_back(
        check_fail("plan", why, "choose a kernel with --kernel; see `warmboot list`"));
  }
  const std::optional<std::string> dtb = plan ? plan->dtb : std::nullopt;
  if (machine.arch == "arm64") {
    results.push_back(check_device_tree(fs, dtb));
  } else if (dtb) {
    results.push_back(check_device_tree_not_arm64(*dtb, machine.arch));
  }
  results.push_back(check_drivers(fs));
  results.push_back(check_tpm_unlock(fs));
  results.push_back(check_watchdog(fs, machine));
  results.push_back(check_pin(fs));
  results.push_back(check_systemd(machine.booted_with_systemd, machine.systemd_version));
  results.push_back(check_finalrd(fs, machine.systemd_version));
  results.push_back(check_stop_timeout(fs));
  std::optional<KexecSyscalls> syscalls;
  if (config) {
    syscalls = KexecSyscalls{config->config.enabled("CONFIG_KEXEC_FILE"),
                             config->config.enabled("CONFIG_KEXEC")};
  }
  results.push_back(check_kexec_tools(fs, syscalls, machine.systemd_version));
  return results;
}

}  // namespace warmboot
