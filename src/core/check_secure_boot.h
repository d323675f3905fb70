// SPDX-License-Identifier: Apache-2.0
// Will the running kernel accept the planned image? Combines kernel lockdown, Secure Boot, the
// kexec signature options and whether the image carries a signature at all into one verdict.
//
// The kernel's rules (kernel/kexec_file.c, security/integrity/ima/ima_efi.c):
// - signatures are enforced when CONFIG_KEXEC_SIG_FORCE=y, or when Secure Boot is on and the
//   kernel has CONFIG_IMA_ARCH_POLICY and CONFIG_KEXEC_SIG (set_kexec_sig_enforced, Linux 6.0+);
// - under lockdown (integrity or confidentiality) an image whose signature does not verify is
//   refused with EPERM, and without CONFIG_KEXEC_SIG every image is (unless an IMA policy
//   appraises kexec images, which is not checked here); kexec_load (kexec-tools) is refused;
// - x86 bzImages are verified only with CONFIG_KEXEC_BZIMAGE_VERIFY_SIG.
// A present signature is necessary, not sufficient: its key must be in the kernel's builtin,
// secondary or platform (UEFI db / MOK) keyring, which cannot be read from files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/check.h"
#include "core/filesystem.h"
#include "core/kernel_config.h"
#include "core/machine_facts.h"
#include "core/pe_signature.h"
#include "core/plan.h"
#include "core/signature_policy.h"

namespace warmboot {

struct SignatureFacts {
  Lockdown lockdown = Lockdown::Unknown;  // Unknown: no lockdown LSM or securityfs not mounted
  bool efi = false;                       // /sys/firmware/efi exists
  std::optional<bool> secure_boot;        // nullopt: EFI but the variable is unreadable
  bool ima_appraises_kexec = false;
  std::optional<FoundKernelConfig> config;  // the running kernel's
  std::optional<PeSignature> image;         // nullopt: the planned image was not read
  bool image_is_bzimage = false;
  std::string image_path;
};

// Lockdown and Secure Boot from `machine`, and the planned kernel's headers read under `fs` (for a
// UKI, its .linux section: that is what gets staged).
SignatureFacts read_signature_facts(const FileSystem& fs, const MachineFacts& machine,
                                    std::optional<FoundKernelConfig> config, const Plan* plan);

// "signature": the verdict.
CheckResult judge_signature(const SignatureFacts& facts);

}  // namespace warmboot
