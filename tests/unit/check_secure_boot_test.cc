// SPDX-License-Identifier: Apache-2.0
// Will the kernel accept the image: lockdown strings, SecureBoot efivar bytes, PE signatures,
// configuration options, combined.
#include "core/check_secure_boot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_filesystem.h"
#include "os/rooted_filesystem.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using testing::put_le;

// A bzImage with an EFI stub: PE32+ headers at 0x40, the certificate table set when `sign`.
std::string pe_kernel(bool sign) {
  std::string image = testing::make_test_kernel("6.1.0-10-amd64");
  put_le(image, 0x3c, 0x40, 4);
  image.replace(0x40, 4, std::string("PE\0\0", 4));
  put_le(image, 0x44, 0x8664, 2);
  put_le(image, 0x44 + 16, 0xf0, 2);  // SizeOfOptionalHeader
  const size_t optional = 0x44 + 20;
  put_le(image, optional, 0x20b, 2);
  put_le(image, optional + 108, 16, 4);  // NumberOfRvaAndSizes
  if (sign) {
    put_le(image, optional + 112 + 8 * 4, 0x700, 4);
    put_le(image, optional + 112 + 8 * 4 + 4, 0x80, 4);
  }
  return image;
}

std::optional<FoundKernelConfig> config(std::string text) {
  return FoundKernelConfig{KernelConfig::parse(text), "/boot/config-6.1.0-10-amd64"};
}

const char* kSigConfig =
    "CONFIG_X86_64=y\nCONFIG_KEXEC_FILE=y\nCONFIG_KEXEC_SIG=y\nCONFIG_KEXEC_BZIMAGE_VERIFY_SIG=y\n";

TEST(CheckSecureBoot, ParsesLockdown) {
  EXPECT_EQ(parse_lockdown("[none] integrity confidentiality\n"), Lockdown::None);
  EXPECT_EQ(parse_lockdown("none [integrity] confidentiality\n"), Lockdown::Integrity);
  EXPECT_EQ(parse_lockdown("none integrity [confidentiality]"), Lockdown::Confidentiality);
  EXPECT_EQ(parse_lockdown("none integrity confidentiality"), Lockdown::Unknown);
  EXPECT_EQ(parse_lockdown("[bogus]"), Lockdown::Unknown);
  EXPECT_EQ(parse_lockdown(""), Lockdown::Unknown);
}

TEST(CheckSecureBoot, ParsesEfivarDataByteAfterAttributes) {
  EXPECT_EQ(parse_secure_boot_efivar(std::string("\x06\0\0\0\x01", 5)), true);
  EXPECT_EQ(parse_secure_boot_efivar(std::string("\x06\0\0\0\0", 5)), false);
  // The attribute bytes alone never count as the value.
  EXPECT_EQ(parse_secure_boot_efivar(std::string("\x01\0\0\0", 4)), std::nullopt);
}

TEST(CheckSecureBoot, PeSignature) {
  EXPECT_EQ(pe_signature(pe_kernel(true)), PeSignature::Signed);
  EXPECT_EQ(pe_signature(pe_kernel(false)), PeSignature::Unsigned);
  EXPECT_EQ(pe_signature(testing::make_test_kernel("6.1.0")), PeSignature::NotPe);
  EXPECT_EQ(pe_signature("MZ"), PeSignature::NotPe);
  EXPECT_EQ(pe_certificate_table(pe_kernel(true)).offset, 0x700u);
  // Headers pointing past the bytes given are not trusted.
  std::string cut = pe_kernel(true).substr(0, 0x60);
  EXPECT_EQ(pe_signature(cut), PeSignature::NotPe);
  EXPECT_EQ(pe_signature(testing::make_test_uki({{".linux", "x"}})), PeSignature::Unsigned);
}

SignatureFacts facts(Lockdown lockdown, bool secure_boot, std::string config_text,
                     std::optional<PeSignature> image) {
  SignatureFacts f;
  f.lockdown = lockdown;
  f.efi = true;
  f.secure_boot = secure_boot;
  if (!config_text.empty()) f.config = config(config_text);
  f.image = image;
  f.image_is_bzimage = true;
  f.image_path = "/boot/vmlinuz-6.1.0-10-amd64";
  return f;
}

TEST(CheckSecureBoot, NotEnforcedAcceptsUnsigned) {
  auto result = judge_signature(facts(Lockdown::None, false, kSigConfig, PeSignature::Unsigned));
  EXPECT_EQ(result.level, CheckLevel::Ok);
  EXPECT_THAT(result.seen, HasSubstr("not enforced"));
}

TEST(CheckSecureBoot, LockdownRefusesUnsigned) {
  auto result =
      judge_signature(facts(Lockdown::Integrity, true, kSigConfig, PeSignature::Unsigned));
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, HasSubstr("lockdown=integrity"));
  EXPECT_THAT(result.remedy, HasSubstr("sign"));
}

TEST(CheckSecureBoot, LockdownAcceptsSigned) {
  auto result = judge_signature(facts(Lockdown::Integrity, true, kSigConfig, PeSignature::Signed));
  EXPECT_EQ(result.level, CheckLevel::Ok);
  EXPECT_THAT(result.seen, HasSubstr("keyring"));
}

TEST(CheckSecureBoot, LockdownWithoutKexecSigRefusesEverything) {
  auto result = judge_signature(
      facts(Lockdown::Confidentiality, false, "CONFIG_KEXEC_FILE=y\n", PeSignature::Signed));
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, HasSubstr("CONFIG_KEXEC_SIG"));
}

TEST(CheckSecureBoot, SigForceWithoutLockdown) {
  std::string forced = std::string(kSigConfig) + "CONFIG_KEXEC_SIG_FORCE=y\n";
  EXPECT_EQ(judge_signature(facts(Lockdown::None, false, forced, PeSignature::NotPe)).level,
            CheckLevel::Fail);
  EXPECT_EQ(judge_signature(facts(Lockdown::None, false, forced, PeSignature::Signed)).level,
            CheckLevel::Ok);
}

TEST(CheckSecureBoot, SecureBootWithImaArchPolicyEnforces) {
  std::string ima = std::string(kSigConfig) + "CONFIG_IMA_ARCH_POLICY=y\n";
  auto result = judge_signature(facts(Lockdown::None, true, ima, PeSignature::Unsigned));
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, HasSubstr("IMA_ARCH_POLICY"));
  EXPECT_EQ(judge_signature(facts(Lockdown::None, false, ima, PeSignature::Unsigned)).level,
            CheckLevel::Ok);
}

TEST(CheckSecureBoot, BzImageNeedsVerifySigOption) {
  auto result = judge_signature(facts(
      Lockdown::Integrity, true, "CONFIG_X86_64=y\nCONFIG_KEXEC_SIG=y\n", PeSignature::Signed));
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, HasSubstr("KEXEC_BZIMAGE_VERIFY_SIG"));
}

TEST(CheckSecureBoot, UnknownConfigUnderSecureBootWarns) {
  SignatureFacts f = facts(Lockdown::Unknown, true, "", PeSignature::Unsigned);
  EXPECT_EQ(judge_signature(f).level, CheckLevel::Warn);
}

TEST(CheckSecureBoot, ReadsFactsFromFiles) {
  FakeFileSystem fs;
  fs.add_file("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
  fs.add_file(kSecureBootVar, std::string("\x06\0\0\0\x01", 5));
  fs.add_file("/boot/vmlinuz", pe_kernel(true));
  Plan plan;
  plan.kernel = "/boot/vmlinuz";
  SignatureFacts f =
      read_signature_facts(fs, read_machine_facts(fs, nullptr), config(kSigConfig), &plan);
  EXPECT_EQ(f.lockdown, Lockdown::Integrity);
  EXPECT_TRUE(f.efi);
  EXPECT_EQ(f.secure_boot, true);
  EXPECT_EQ(f.image, PeSignature::Signed);
  EXPECT_TRUE(f.image_is_bzimage);
}

TEST(CheckSecureBoot, UkiIsJudgedByItsLinuxSection) {
  FakeFileSystem fs;
  fs.add_file("/efi/EFI/Linux/linux.efi",
              testing::make_test_uki({{".uname", "6.1.0-10-amd64"}, {".linux", pe_kernel(false)}}));
  fs.add_dir("/sys/firmware/efi/efivars");
  Plan plan;
  plan.kernel = "/efi/EFI/Linux/linux.efi";
  plan.uki = true;
  SignatureFacts f = read_signature_facts(fs, read_machine_facts(fs, nullptr), std::nullopt, &plan);
  EXPECT_EQ(f.image, PeSignature::Unsigned);
  EXPECT_TRUE(f.image_is_bzimage);
  EXPECT_EQ(f.secure_boot, false);  // efivarfs without SecureBoot
}

TEST(CheckSecureBoot, FixtureRootRefusesUnsignedKernel) {
  RootedFileSystem fs(std::string(WARMBOOT_TEST_DATA) + "/roots/check-secureboot");
  Plan plan;
  plan.kernel = "/boot/vmlinuz-6.1.0-10-amd64";
  auto found = find_kernel_config(fs, "6.1.0-10-amd64", std::nullopt);
  ASSERT_TRUE(found);
  SignatureFacts f = read_signature_facts(fs, read_machine_facts(fs, nullptr), found, &plan);
  EXPECT_EQ(f.secure_boot, true);
  EXPECT_EQ(f.lockdown, Lockdown::Integrity);
  auto result = judge_signature(f);
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, HasSubstr("unsigned"));
}

}  // namespace
}  // namespace warmboot
