// SPDX-License-Identifier: Apache-2.0
// Staging with a device tree (--dtb, arm64): the file is checked whole before any kexec call, and
// the kernel goes to kexec-tools' kexec_load with that tree, never to kexec_file_load (which has no
// way to take one). Refused on x86 and with --require-signed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "arm64_image_builder.h"
#include "dtb_builder.h"
#include "fakes/fake_filesystem.h"
#include "fakes/fake_kexec.h"
#include "fakes/fake_process_runner.h"
#include "os/kexec_stager.h"

namespace warmboot {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class DtbStagingTest : public ::testing::Test {
 protected:
  DtbStagingTest() {
    fs.add_file("/proc/sys/kernel/arch", "aarch64\n");
    fs.add_file("/boot/vmlinuz-6.12.0-1-arm64", testing::make_test_arm64_image(64 * 1024, true));
    fs.add_file("/boot/initrd.img-6.12.0-1-arm64", "INITRD");
    fs.add_file("/boot/board.dtb", testing::make_test_dtb());
    plan.kernel = "/boot/vmlinuz-6.12.0-1-arm64";
    plan.initrds = {"/boot/initrd.img-6.12.0-1-arm64"};
    plan.cmdline = "root=/dev/vda2 ro";
    plan.dtb = "/boot/board.dtb";
    runner.add_executable("/usr/sbin/kexec");
  }

  Result<StagedImage> stage(bool require_signed = false) {
    return stage_plan(plan, fs, kexec, runner, read_machine_facts(fs, nullptr), require_signed);
  }

  void expect_nothing_called() {
    EXPECT_TRUE(kexec.calls().empty());
    EXPECT_TRUE(runner.runs().empty());
  }

  FakeFileSystem fs;
  FakeKexec kexec;
  FakeProcessRunner runner;
  Plan plan;
};

TEST_F(DtbStagingTest, TheTreeGoesToKexecToolsNeverToKexecFileLoad) {
  auto staged = stage();
  ASSERT_TRUE(staged.ok()) << staged.error().str();
  EXPECT_EQ(staged->method, StagingMethod::KexecTools);
  EXPECT_TRUE(kexec.loads().empty());
  ASSERT_EQ(runner.runs().size(), 1u);
  const auto& argv = runner.runs()[0];
  EXPECT_EQ(argv[0], "/usr/sbin/kexec");
  EXPECT_THAT(argv, Contains(StartsWith("--dtb=/proc/")));
  EXPECT_THAT(argv, Contains(StartsWith("--initrd=/proc/")));
  EXPECT_THAT(argv, Contains("--command-line=root=/dev/vda2 ro"));
}

TEST_F(DtbStagingTest, ABrokenTreeStagesNothing) {
  testing::TestDtb truncated;
  truncated.total = 4096;
  for (const std::string& dtb : {std::string(512, 'x'), testing::make_test_dtb(truncated, 1024),
                                 std::string("\xd0\x0d", 2)}) {
    fs.add_file("/boot/board.dtb", dtb);
    auto staged = stage();
    ASSERT_FALSE(staged.ok());
    EXPECT_EQ(staged.error().code, EINVAL) << staged.error().str();
    EXPECT_THAT(staged.error().message, HasSubstr("/boot/board.dtb"));
    EXPECT_FALSE(staged.error().remedy.empty());
  }
  expect_nothing_called();
}

TEST_F(DtbStagingTest, AMissingTreeStagesNothing) {
  plan.dtb = "/boot/missing.dtb";
  auto staged = stage();
  ASSERT_FALSE(staged.ok());
  EXPECT_THAT(staged.error().message, AllOf(HasSubstr("device tree"), HasSubstr("missing.dtb")));
  expect_nothing_called();
}

TEST_F(DtbStagingTest, AFifoInPlaceOfTheTreeIsNeverOpened) {
  fs.add_fifo("/boot/fifo.dtb");
  plan.dtb = "/boot/fifo.dtb";
  auto staged = stage();
  ASSERT_FALSE(staged.ok());
  EXPECT_THAT(staged.error().message, HasSubstr("fifo.dtb"));
  expect_nothing_called();
}

TEST_F(DtbStagingTest, OnX86ATreeIsRefused) {
  fs.add_file("/proc/sys/kernel/arch", "x86_64\n");
  auto staged = stage();
  ASSERT_FALSE(staged.ok());
  EXPECT_EQ(staged.error().code, EINVAL);
  EXPECT_THAT(staged.error().message, AllOf(HasSubstr("arm64"), HasSubstr("x86_64")));
  expect_nothing_called();
}

TEST_F(DtbStagingTest, RequireSignedRefusesATreeItCouldNotVerify) {
  auto staged = stage(true);
  ASSERT_FALSE(staged.ok());
  EXPECT_EQ(staged.error().code, EPERM);
  EXPECT_THAT(staged.error().message, HasSubstr("--require-signed"));
  expect_nothing_called();
}

TEST_F(DtbStagingTest, WithoutKexecToolsTheRefusalSaysWhatToInstall) {
  runner = FakeProcessRunner{};
  auto staged = stage();
  ASSERT_FALSE(staged.ok());
  EXPECT_THAT(staged.error().message, HasSubstr("device tree"));
  EXPECT_EQ(staged.error().remedy, "install kexec-tools");
  EXPECT_TRUE(kexec.loads().empty());
}

}  // namespace
}  // namespace warmboot
