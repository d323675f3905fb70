// SPDX-License-Identifier: Apache-2.0
// Whether the running kernel verifies the signature of an image handed to kexec_file_load: the one
// rule `check` judges by and `--require-signed` ([handover] require_signed) stages by. The kernel
// verifies (kernel/kexec_file.c, security/integrity/ima/ima_efi.c) when built with
// CONFIG_KEXEC_SIG_FORCE; when locked down (lockdown=integrity or confidentiality: an image whose
// signature does not verify is refused); when Secure Boot is on and it has CONFIG_KEXEC_SIG and
// CONFIG_IMA_ARCH_POLICY (Linux 6.0+); or when an IMA policy appraises KEXEC_KERNEL_CHECK.
// Otherwise an unsigned image loads as well as a signed one. kexec_load (kexec-tools' default)
// verifies nothing: a signature requirement forbids falling back to it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/kernel_config.h"
#include "core/machine_facts.h"

namespace warmboot {

// What the rule looks at: the machine's state and the running kernel's configuration.
struct SignatureRuleInputs {
  Lockdown lockdown = Lockdown::Unknown;
  std::optional<bool> secure_boot;
  bool ima_appraises_kexec = false;
  const KernelConfig* config = nullptr;  // nullptr: unknown
};
SignatureRuleInputs signature_rule_inputs(const MachineFacts& facts, const KernelConfig* config);

// Who enforces, e.g. {"KEXEC_SIG_FORCE", "lockdown=integrity"}; empty when nothing does.
std::vector<std::string> kexec_signature_enforcers(const SignatureRuleInputs& in);

// The refusal when a signature is required but nothing would verify it.
Error signature_not_enforced_error();

// /sys/kernel/security/ima/policy (readable with CONFIG_IMA_READ_POLICY): a rule
// "appraise func=KEXEC_KERNEL_CHECK ...".
bool ima_policy_appraises_kexec(std::string_view policy);

}  // namespace warmboot
