// SPDX-License-Identifier: Apache-2.0
#include "core/check_secure_boot.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

#include "core/uki_image.h"

namespace warmboot {
namespace {

constexpr uint64_t kHeadBytes = 64 << 10;
constexpr uint64_t kMaxUkiLinuxOffset = 512ull << 20;

bool has_bzimage_magic(std::string_view head) {
  return head.size() >= 0x206 && head.substr(0x202, 4) == "HdrS";
}

}  // namespace

SignatureFacts read_signature_facts(const FileSystem& fs, const MachineFacts& machine,
                                    std::optional<FoundKernelConfig> config, const Plan* plan) {
  SignatureFacts facts;
  facts.config = std::move(config);
  facts.lockdown = machine.lockdown;
  facts.efi = machine.efi;
  facts.secure_boot = machine.secure_boot;
  facts.ima_appraises_kexec = machine.ima_appraises_kexec;
  if (!plan) return facts;
  facts.image_path = plan->kernel;
  uint64_t offset = 0;
  if (plan->uki) {
    auto uki = read_uki(fs, plan->kernel);
    if (!uki || !uki->linux_ || uki->linux_->offset > kMaxUkiLinuxOffset) return facts;
    offset = uki->linux_->offset;
  }
  auto head = fs.read_prefix(plan->kernel, offset + kHeadBytes);
  if (!head || head->size() < offset) return facts;
  std::string_view image = std::string_view(*head).substr(offset);
  facts.image = pe_signature(image);
  facts.image_is_bzimage = has_bzimage_magic(image);
  return facts;
}

CheckResult judge_signature(const SignatureFacts& facts) {
  const char* name = "signature";
  const KernelConfig* config = facts.config ? &facts.config->config : nullptr;
  const bool sig = config && config->enabled("CONFIG_KEXEC_SIG");
  const std::vector<std::string> enforced_by = kexec_signature_enforcers(
      {facts.lockdown, facts.secure_boot, facts.ima_appraises_kexec, config});

  std::string image =
      !facts.image ? "image not read" : fmt::format("image {}", to_string(*facts.image));
  if (facts.image == PeSignature::NotPe) image = "image has no PE signature container";
  std::string sb = !facts.efi           ? "BIOS boot"
                   : !facts.secure_boot ? "Secure Boot unknown"
                   : *facts.secure_boot ? "Secure Boot on"
                                        : "Secure Boot off";
  const std::string context =
      fmt::format("lockdown {}, {}, {}", to_string(facts.lockdown), sb, image);
  const std::string unsigned_remedy =
      "boot a distribution-signed kernel, or sign this one (sbsign) with a key enrolled in MOK or "
      "db; turning Secure Boot off lifts the lockdown";

  if (enforced_by.empty()) {
    if (facts.secure_boot.value_or(false) && facts.lockdown == Lockdown::Unknown && !config) {
      return check_warn(name, "Secure Boot on, lockdown and kernel configuration unknown; " + image,
                        "if `warmboot load` fails with EPERM or EKEYREJECTED, the image must be "
                        "signed with a trusted key");
    }
    return check_ok(name, "signatures not enforced: " + context);
  }
  const std::string why = fmt::format("signatures enforced ({})", fmt::join(enforced_by, ", "));
  if (config && !sig) {
    return check_fail(name, why + " but the kernel lacks CONFIG_KEXEC_SIG: every image is refused",
                      "reboot cold, or turn Secure Boot off (which lifts the lockdown)");
  }
  if (!facts.image) {
    return check_warn(name, why + "; the planned image could not be read", unsigned_remedy);
  }
  if (*facts.image != PeSignature::Signed) {
    return check_fail(name, fmt::format("{}; {}: {} will be refused", why, image, facts.image_path),
                      unsigned_remedy);
  }
  if (facts.image_is_bzimage && config && !config->enabled("CONFIG_KEXEC_BZIMAGE_VERIFY_SIG") &&
      config->enabled("CONFIG_X86_64")) {
    return check_fail(name, why + " but the kernel lacks CONFIG_KEXEC_BZIMAGE_VERIFY_SIG",
                      "this kernel cannot verify bzImage signatures: reboot cold");
  }
  if (!config) {
    return check_warn(name, why + "; image signed; kernel configuration unknown",
                      "if `warmboot load` fails with EKEYREJECTED the signing key is not trusted");
  }
  return check_ok(name, why +
                            "; image signed: accepted if its key is in the kernel's builtin, "
                            "secondary or platform (db/MOK) keyring");
}

}  // namespace warmboot
