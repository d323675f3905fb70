// SPDX-License-Identifier: Apache-2.0
// Staging on an arm64 machine (/proc/sys/kernel/arch says aarch64): a compressed Image or an EFI
// zboot image is decompressed into a memfd and that is what kexec_file_load receives; a raw
// Image goes as is; a foreign, truncated or garbage kernel stops before any kexec call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "arm64_image_builder.h"
#include "core/kernel_image.h"
#include "fakes/fake_filesystem.h"
#include "fakes/fake_kexec.h"
#include "fakes/fake_process_runner.h"
#include "os/kexec_stager.h"

namespace warmboot {
namespace {

using ::testing::AllOf;
using testing::compress_test_bytes;
using ::testing::HasSubstr;
using testing::make_test_arm64_image;
using testing::make_test_zboot;

const std::string kImage = make_test_arm64_image(200 * 1024, true);
const std::string kPath = "/boot/vmlinuz-6.1.0-9-arm64";

class Arm64StagingTest : public ::testing::Test {
 protected:
  Arm64StagingTest() {
    fs.add_file("/proc/sys/kernel/arch", "aarch64\n");
    fs.add_file("/boot/initrd.img-6.1.0-9-arm64", "INITRD");
    plan.kernel = kPath;
    plan.initrds = {"/boot/initrd.img-6.1.0-9-arm64"};
    plan.cmdline = "root=/dev/vda2 ro";
  }

  Result<StagedImage> stage(const std::string& kernel) {
    fs.add_file(kPath, kernel);
    return stage_plan(plan, fs, kexec, runner, read_machine_facts(fs, nullptr));
  }

  FakeFileSystem fs;
  FakeKexec kexec;
  FakeProcessRunner runner;
  Plan plan;
};

TEST_F(Arm64StagingTest, MachineArchComesFromProc) {
  EXPECT_EQ(read_machine_facts(fs, nullptr).arch, "arm64");
  FakeFileSystem bare;
  EXPECT_EQ(read_machine_facts(bare, nullptr).arch, native_arch());
}

TEST_F(Arm64StagingTest, GzipImageIsLoadedDecompressed) {
  auto staged = stage(compress_test_bytes(kImage, "gzip"));
  ASSERT_TRUE(staged.ok()) << staged.error().str();
  ASSERT_EQ(kexec.loads().size(), 1u);
  EXPECT_EQ(kexec.loads()[0].kernel, kImage);  // the decompressed bytes, not the file
  EXPECT_EQ(kexec.loads()[0].initrd, "INITRD");
  EXPECT_EQ(staged->kernel_bytes, kImage.size());
  EXPECT_EQ(staged->kernel_note,
            "gzip-compressed arm64 Image: decompressed in memory before staging "
            "(200.0 KiB)");
}

TEST_F(Arm64StagingTest, ZstdImageAndZbootImageAreLoadedDecompressed) {
  ASSERT_TRUE(stage(compress_test_bytes(kImage, "zstd")).ok());
  ASSERT_TRUE(stage(make_test_zboot(compress_test_bytes(kImage, "zstd"), "zstd22")).ok());
  ASSERT_EQ(kexec.loads().size(), 2u);
  EXPECT_EQ(kexec.loads()[0].kernel, kImage);
  EXPECT_EQ(kexec.loads()[1].kernel, kImage);
}

TEST_F(Arm64StagingTest, RawImageIsPassedAsIs) {
  auto staged = stage(kImage);
  ASSERT_TRUE(staged.ok()) << staged.error().str();
  EXPECT_EQ(kexec.loads().at(0).kernel, kImage);
  EXPECT_EQ(staged->kernel_note, "");
}

TEST_F(Arm64StagingTest, KexecToolsFallbackGetsTheDecompressedImageToo) {
  kexec.fail_next(FakeKexec::Op::FileLoad, ENOEXEC);
  runner.add_executable("/usr/sbin/kexec");
  auto staged = stage(compress_test_bytes(kImage, "gzip"));
  ASSERT_TRUE(staged.ok()) << staged.error().str();
  ASSERT_EQ(runner.runs().size(), 1u);
  EXPECT_THAT(runner.runs()[0][2], HasSubstr("/proc/"));
}

TEST_F(Arm64StagingTest, X86KernelOnArm64IsRefusedBeforeAnyKexecCall) {
  auto staged = stage(testing::make_test_kernel("6.1.0-9-amd64"));
  ASSERT_FALSE(staged.ok());
  EXPECT_EQ(staged.error().code, ENOEXEC);
  EXPECT_EQ(staged.error().file, kPath);
  EXPECT_THAT(staged.error().message,
              AllOf(HasSubstr(kPath), HasSubstr("x86_64"), HasSubstr("this machine is arm64")));
  EXPECT_TRUE(kexec.calls().empty());
}

TEST_F(Arm64StagingTest, TruncatedGarbageOrOversizedKernelsStageNothing) {
  const std::string gz = compress_test_bytes(kImage, "gzip");
  for (const std::string& kernel :
       {gz.substr(0, gz.size() / 2), compress_test_bytes(std::string(9000, 'g'), "gzip"),
        make_test_zboot(gz, "gzip").substr(0, 0x200 + 50), std::string(4096, 'x')}) {
    auto staged = stage(kernel);
    ASSERT_FALSE(staged.ok());
    EXPECT_EQ(staged.error().code, ENOEXEC) << staged.error().str();
    EXPECT_THAT(staged.error().message, HasSubstr(kPath));
    EXPECT_FALSE(staged.error().remedy.empty());
  }
  EXPECT_TRUE(kexec.calls().empty());
  EXPECT_TRUE(runner.runs().empty());
}

TEST_F(Arm64StagingTest, UkiWhoseLinuxSectionIsAnImageGzIsLoadedDecompressed) {
  plan.uki = true;
  plan.initrds.clear();
  const std::string uki = testing::make_test_uki(
      {{".linux", compress_test_bytes(kImage, "gzip")}, {".initrd", "UKI-INITRD"}}, 0xaa64);
  auto staged = stage(uki);
  ASSERT_TRUE(staged.ok()) << staged.error().str();
  EXPECT_EQ(kexec.loads().at(0).kernel, kImage);
  EXPECT_EQ(kexec.loads().at(0).initrd, "UKI-INITRD");
}

TEST_F(Arm64StagingTest, OnX86NothingIsDecompressed) {
  fs.add_file("/proc/sys/kernel/arch", "x86_64\n");
  const std::string gz = compress_test_bytes(kImage, "gzip");
  auto staged = stage(gz);  // x86_64 passes what is not a foreign kernel as it is
  ASSERT_TRUE(staged.ok()) << staged.error().str();
  EXPECT_EQ(kexec.loads().at(0).kernel, gz);
  auto raw = stage(kImage);  // an arm64 Image on x86_64: refused, naming both
  ASSERT_FALSE(raw.ok());
  EXPECT_THAT(raw.error().message, AllOf(HasSubstr("arm64"), HasSubstr("this machine is x86_64")));
}

}  // namespace
}  // namespace warmboot
