// SPDX-License-Identifier: Apache-2.0
// arm64 kernel images against the machine's architecture: what check_kernel_image refuses, what
// staging will do with each format (core/kernel_preparation.h) and what `check` says about it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "arm64_image_builder.h"
#include "core/check_kernel_format.h"
#include "core/kernel_image_check.h"
#include "core/kernel_preparation.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using Format = KernelImageInfo::Format;
using testing::make_test_arm64_image;
using testing::make_test_kernel;
using testing::make_test_zboot;

const std::string kGzipMagic("\x1f\x8b\x08\x00", 4);

TEST(Arm64KernelCheck, RawImageAndCompressedImagesPassOnArm64) {
  const std::string image = make_test_arm64_image(4096, true);
  EXPECT_TRUE(check_kernel_image(image, image.size(), "/boot/Image", "arm64"));
  const std::string gz = kGzipMagic + std::string(600, 'x');
  EXPECT_TRUE(check_kernel_image(gz, gz.size(), "/boot/vmlinuz", "arm64"));
  const std::string zboot = make_test_zboot(std::string(600, 'p'), "gzip");
  EXPECT_TRUE(check_kernel_image(zboot, zboot.size(), "/boot/vmlinuz.efi", "arm64"));
}

TEST(Arm64KernelCheck, WrongArchitectureNamesTheFileAndBothArches) {
  const std::string bz = make_test_kernel("6.1.0-9-amd64");
  auto on_arm = check_kernel_image(bz, bz.size(), "/boot/vmlinuz-6.1.0-9-amd64", "arm64");
  ASSERT_FALSE(on_arm);
  EXPECT_EQ(on_arm.error().code, ENOEXEC);
  EXPECT_EQ(on_arm.error().file, "/boot/vmlinuz-6.1.0-9-amd64");
  EXPECT_THAT(on_arm.error().message,
              AllOf(HasSubstr("/boot/vmlinuz-6.1.0-9-amd64"), HasSubstr("x86_64"),
                    HasSubstr("this machine is arm64")));
  EXPECT_THAT(on_arm.error().remedy, HasSubstr("arm64"));

  const std::string image = make_test_arm64_image();
  auto on_x86 = check_kernel_image(image, image.size(), "/boot/Image", "x86_64");
  ASSERT_FALSE(on_x86);
  EXPECT_THAT(on_x86.error().message,
              AllOf(HasSubstr("/boot/Image"), HasSubstr("arm64"), HasSubstr("x86_64")));

  const std::string riscv_zboot = make_test_zboot("p", "gzip", 0x5064);
  EXPECT_FALSE(check_kernel_image(riscv_zboot, riscv_zboot.size(), "/boot/z", "arm64"));
}

TEST(Arm64KernelCheck, TruncatedZbootAndGarbageAreRefused) {
  const std::string zboot = make_test_zboot(std::string(600, 'p'), "gzip");
  auto cut = check_kernel_image(zboot, 0x200 + 100, "/boot/vmlinuz.efi", "arm64");
  ASSERT_FALSE(cut);
  EXPECT_THAT(cut.error().message, HasSubstr("truncated EFI zboot image"));
  auto garbage = check_kernel_image(std::string(4096, 'x'), 4096, "/boot/junk", "arm64");
  ASSERT_FALSE(garbage);
  EXPECT_THAT(garbage.error().message, HasSubstr("not a kernel image"));
}

TEST(Arm64KernelCheck, OnlyArm64UnpacksCompressedAndZbootImages) {
  KernelImageInfo gz;
  gz.format = Format::Compressed;
  gz.compression = "gzip";
  KernelImageInfo zboot;
  zboot.format = Format::Zboot;
  zboot.compression = "zstd";
  zboot.arch = "arm64";
  KernelImageInfo raw;
  raw.format = Format::Image;
  raw.arch = "arm64";
  EXPECT_EQ(kernel_preparation(gz, "arm64"), KernelPreparation::Decompress);
  EXPECT_EQ(kernel_preparation(zboot, "arm64"), KernelPreparation::UnwrapZboot);
  EXPECT_EQ(kernel_preparation(raw, "arm64"), KernelPreparation::AsIs);
  EXPECT_EQ(kernel_preparation(gz, "x86_64"), KernelPreparation::AsIs);  // x86: unchanged
  EXPECT_EQ(describe_kernel_format(gz), "gzip-compressed Image");
  EXPECT_EQ(describe_kernel_format(zboot), "EFI zboot image (zstd, arm64)");
  EXPECT_EQ(describe_kernel_format(raw), "arm64 Image");
  EXPECT_EQ(human_bytes(31u << 20), "31.0 MiB");
}

class KernelFormatCheck : public ::testing::Test {
 protected:
  KernelFormatCheck() { plan.kernel = "/boot/vmlinuz"; }
  FakeFileSystem fs;
  Plan plan;
};

TEST_F(KernelFormatCheck, X86BzImageIsPassedAsIs) {
  fs.add_file("/boot/vmlinuz", make_test_kernel("6.1.0-9-amd64"));
  auto result = check_kernel_format(fs, plan, "x86_64", std::nullopt);
  EXPECT_EQ(result.level, CheckLevel::Ok) << result.seen;
  EXPECT_EQ(result.name, "kernel-format");
  EXPECT_EQ(result.seen, "x86_64 bzImage: staged as is");
}

TEST_F(KernelFormatCheck, CompressedArm64ImageSaysItIsDecompressed) {
  fs.add_file("/boot/vmlinuz", kGzipMagic + std::string(600, 'x'));
  auto unprobed = check_kernel_format(fs, plan, "arm64", std::nullopt);
  EXPECT_EQ(unprobed.level, CheckLevel::Ok);
  EXPECT_EQ(unprobed.seen,
            "gzip-compressed Image: decompressed in memory before staging (at most "
            "256.0 MiB)");
  std::optional<Result<std::string>> probed = Result<std::string>(std::string("what it was"));
  EXPECT_EQ(check_kernel_format(fs, plan, "arm64", probed).seen, "what it was");
  probed = Result<std::string>(make_error("unpack kernel", "/boot/vmlinuz: corrupt", "reinstall"));
  auto failed = check_kernel_format(fs, plan, "arm64", probed);
  EXPECT_EQ(failed.level, CheckLevel::Fail);
  EXPECT_EQ(failed.seen, "/boot/vmlinuz: corrupt");
  EXPECT_EQ(failed.remedy, "reinstall");
}

TEST_F(KernelFormatCheck, WrongArchitectureFails) {
  fs.add_file("/boot/vmlinuz", make_test_arm64_image());
  auto result = check_kernel_format(fs, plan, "x86_64", std::nullopt);
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, AllOf(HasSubstr("arm64"), HasSubstr("this machine is x86_64")));
  EXPECT_EQ(check_kernel_format(fs, plan, "arm64", std::nullopt).seen, "arm64 Image: staged as is");
}

}  // namespace
}  // namespace warmboot
