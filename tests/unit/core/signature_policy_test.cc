// SPDX-License-Identifier: Apache-2.0
// Who verifies a kexec image's signature: lockdown, CONFIG_KEXEC_SIG_FORCE, Secure Boot with
// IMA_ARCH_POLICY, an IMA policy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/signature_policy.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SignaturePolicy, WhoEnforces) {
  SignatureRuleInputs in;
  in.lockdown = Lockdown::None;
  EXPECT_THAT(kexec_signature_enforcers(in), IsEmpty());
  KernelConfig force = KernelConfig::parse("CONFIG_KEXEC_SIG=y\nCONFIG_KEXEC_SIG_FORCE=y\n");
  in.config = &force;
  EXPECT_THAT(kexec_signature_enforcers(in), ElementsAre("KEXEC_SIG_FORCE"));
  KernelConfig debian = KernelConfig::parse(
      "CONFIG_KEXEC_SIG=y\n# CONFIG_KEXEC_SIG_FORCE is not set\n"
      "CONFIG_IMA_ARCH_POLICY=y\n");
  in.config = &debian;
  EXPECT_THAT(kexec_signature_enforcers(in), IsEmpty());
  in.secure_boot = true;
  in.lockdown = Lockdown::Integrity;
  EXPECT_THAT(kexec_signature_enforcers(in),
              ElementsAre("lockdown=integrity", "Secure Boot with IMA_ARCH_POLICY"));
  in = SignatureRuleInputs{};
  in.ima_appraises_kexec = true;
  EXPECT_EQ(kexec_signature_enforcers(in).size(), 1u);
}

TEST(SignaturePolicy, ImaPolicyParser) {
  EXPECT_TRUE(ima_policy_appraises_kexec(
      "measure func=KEXEC_KERNEL_CHECK\nappraise func=KEXEC_KERNEL_CHECK appraise_type=imasig\n"));
  EXPECT_FALSE(ima_policy_appraises_kexec("measure func=KEXEC_KERNEL_CHECK\n"));
  EXPECT_FALSE(ima_policy_appraises_kexec("dont_appraise func=KEXEC_KERNEL_CHECK\n"));
}

}  // namespace
}  // namespace warmboot
