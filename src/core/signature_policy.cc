// SPDX-License-Identifier: Apache-2.0
#include "core/signature_policy.h"

#include <cerrno>

#include <fmt/format.h>

#include "core/text.h"

namespace warmboot {

SignatureRuleInputs signature_rule_inputs(const MachineFacts& facts, const KernelConfig* config) {
  return {facts.lockdown, facts.secure_boot, facts.ima_appraises_kexec, config};
}

std::vector<std::string> kexec_signature_enforcers(const SignatureRuleInputs& in) {
  const KernelConfig* config = in.config;
  std::vector<std::string> by;
  if (config && config->enabled("CONFIG_KEXEC_SIG_FORCE")) by.push_back("KEXEC_SIG_FORCE");
  if (in.lockdown == Lockdown::Integrity || in.lockdown == Lockdown::Confidentiality)
    by.push_back(fmt::format("lockdown={}", to_string(in.lockdown)));
  if (in.secure_boot.value_or(false) && config && config->enabled("CONFIG_KEXEC_SIG") &&
      config->enabled("CONFIG_IMA_ARCH_POLICY"))
    by.push_back("Secure Boot with IMA_ARCH_POLICY");
  if (in.ima_appraises_kexec) by.push_back("an IMA policy appraising KEXEC_KERNEL_CHECK");
  return by;
}

Error signature_not_enforced_error() {
  return errno_error(
      "require-signed", EPERM, "/sys/kernel/security/lockdown",
      "a signed kernel is required, but the running kernel does not verify kexec images (no "
      "lockdown, no CONFIG_KEXEC_SIG_FORCE, no IMA appraisal of KEXEC_KERNEL_CHECK)",
      "boot with lockdown=integrity (or with Secure Boot on), use a kernel built with "
      "CONFIG_KEXEC_SIG_FORCE, or load the IMA rule 'appraise func=KEXEC_KERNEL_CHECK "
      "appraise_type=imasig'; or drop --require-signed / require_signed");
}

bool ima_policy_appraises_kexec(std::string_view policy) {
  for (std::string_view line : split_lines(policy)) {
    line = trim(line);
    if (line.starts_with("appraise ") && line.find("func=KEXEC_KERNEL_CHECK") != line.npos)
      return true;
  }
  return false;
}

}  // namespace warmboot
