// SPDX-License-Identifier: Apache-2.0
#include "os/kexec_stager.h"
#include "uki_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "core/kexec_errors.h"
#include "fakes/fake_filesystem.h"
#include "fakes/fake_kexec.h"
#include "fakes/fake_process_runner.h"

namespace warmboot {
namespace {

// A well-formed 64-bit bzImage: the stager refuses anything that is not a kernel.
const std::string kKernel = testing::make_test_kernel("6.1.0-9-amd64");

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Op = FakeKexec::Op;

std::string nul(size_t n) {
  return std::string(n, '\0');
}

class KexecStagerTest : public ::testing::Test {
 protected:
  KexecStagerTest() {
    fs.add_file("/boot/vmlinuz-6.1.0-9-amd64", kKernel);
    fs.add_file("/boot/intel-ucode.img", "UCODE");                 // 5 bytes: 3 bytes of padding
    fs.add_file("/boot/initrd.img-6.1.0-9-amd64", "MAIN-INITRD");  // 11 bytes: 1 byte
    fs.add_file("/boot/extra.cpio", "XTRA");                       // 4 bytes: last, none
    plan.kernel = "/boot/vmlinuz-6.1.0-9-amd64";
    plan.initrds = {"/boot/initrd.img-6.1.0-9-amd64"};
    plan.cmdline = "root=UUID=1234 ro quiet";
  }

  Result<StagedImage> stage() {
    return stage_plan(plan, fs, kexec, runner, read_machine_facts(fs, nullptr));
  }

  FakeFileSystem fs;
  FakeKexec kexec;
  FakeProcessRunner runner;
  Plan plan;
};

TEST_F(KexecStagerTest, PassesKernelInitrdAndCmdlineWithNul) {
  auto result = stage();
  ASSERT_TRUE(result.ok()) << result.error().str();
  EXPECT_STREQ(to_string(result->method), "kexec_file_load");
  EXPECT_EQ(result->kernel_bytes, kKernel.size());
  EXPECT_EQ(result->initrd_bytes, 11u);
  ASSERT_EQ(kexec.loads().size(), 1u);
  const auto& load = kexec.loads()[0];
  EXPECT_EQ(load.kernel, kKernel);
  EXPECT_TRUE(load.has_initrd);
  EXPECT_EQ(load.initrd, "MAIN-INITRD");
  EXPECT_EQ(load.cmdline, std::string("root=UUID=1234 ro quiet\0", 24));
  EXPECT_EQ(load.flags, 0u);
  EXPECT_TRUE(kexec.loaded());
  EXPECT_TRUE(runner.runs().empty());
}

TEST_F(KexecStagerTest, NoInitrdMeansNoInitramfsFlag) {
  plan.initrds.clear();
  plan.cmdline.clear();
  auto result = stage();
  ASSERT_TRUE(result.ok()) << result.error().str();
  EXPECT_EQ(result->initrd_bytes, 0u);
  const auto& load = kexec.loads().at(0);
  EXPECT_FALSE(load.has_initrd);
  EXPECT_EQ(load.flags, 0x4u);  // KEXEC_FILE_NO_INITRAMFS
  EXPECT_EQ(load.cmdline, nul(1));
}

TEST_F(KexecStagerTest, ConcatenatesInitrdsPaddingEachToFourBytes) {
  plan.initrds = {"/boot/intel-ucode.img", "/boot/initrd.img-6.1.0-9-amd64", "/boot/extra.cpio"};
  auto result = stage();
  ASSERT_TRUE(result.ok()) << result.error().str();
  std::string expected = "UCODE" + nul(3) + "MAIN-INITRD" + nul(1) + "XTRA";
  EXPECT_EQ(kexec.loads().at(0).initrd, expected);
  EXPECT_EQ(result->initrd_bytes, expected.size());
}

TEST_F(KexecStagerTest, AlignedPartsGetNoPadding) {
  fs.add_file("/boot/a", "AAAA");
  fs.add_file("/boot/b", "BBBBBBBB");
  plan.initrds = {"/boot/a", "/boot/b"};
  ASSERT_TRUE(stage().ok());
  EXPECT_EQ(kexec.loads().at(0).initrd, "AAAABBBBBBBB");
}

TEST_F(KexecStagerTest, MissingInitrdFailsBeforeAnyKexecCall) {
  plan.initrds = {"/boot/intel-ucode.img", "/boot/initrd.img-missing"};
  auto result = stage();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ENOENT);
  EXPECT_EQ(result.error().file, "/boot/initrd.img-missing");
  EXPECT_THAT(result.error().message, HasSubstr("/boot/initrd.img-missing"));
  EXPECT_FALSE(result.error().remedy.empty());
  EXPECT_TRUE(kexec.calls().empty());
  EXPECT_TRUE(runner.runs().empty());
}

TEST_F(KexecStagerTest, UnreadableInitrdFailsBeforeAnyKexecCall) {
  fs.add_unreadable("/boot/extra.cpio", EACCES);
  plan.initrds = {"/boot/initrd.img-6.1.0-9-amd64", "/boot/extra.cpio"};
  auto result = stage();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, EACCES);
  EXPECT_TRUE(kexec.calls().empty());
}

TEST_F(KexecStagerTest, RejectsMissingEmptyOrNonRegularKernel) {
  for (const char* path : {"/boot/vmlinuz-nope", "/boot/empty", "/boot"}) {
    fs.add_file("/boot/empty", "");
    plan.kernel = path;
    auto result = stage();
    ASSERT_FALSE(result.ok()) << path;
    EXPECT_THAT(result.error().message, HasSubstr(path));
  }
  EXPECT_TRUE(kexec.calls().empty());
}

TEST_F(KexecStagerTest, CommandLineLimitIsCheckedUpFront) {
  plan.cmdline = std::string(kCommandLineSize - 1, 'x');  // 2047 + NUL fits
  ASSERT_TRUE(stage().ok());
  plan.cmdline += "x";
  auto result = stage();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, E2BIG);
  EXPECT_THAT(result.error().message, HasSubstr("2049 bytes"));
  EXPECT_EQ(kexec.count(Op::FileLoad), 1);
}

TEST_F(KexecStagerTest, FallsBackToKexecToolsOnEnosys) {
  plan.initrds = {"/boot/intel-ucode.img", "/boot/initrd.img-6.1.0-9-amd64"};
  kexec.fail_next(Op::FileLoad, ENOSYS);
  runner.add_executable("/usr/sbin/kexec");
  runner.add_executable("/sbin/kexec");
  auto result = stage();
  ASSERT_TRUE(result.ok()) << result.error().str();
  EXPECT_STREQ(to_string(result->method), "kexec_load (kexec-tools)");
  ASSERT_EQ(runner.runs().size(), 1u);
  const auto& argv = runner.runs()[0];
  ASSERT_EQ(argv.size(), 5u);
  EXPECT_EQ(argv[0], "/usr/sbin/kexec");
  EXPECT_EQ(argv[1], "-l");
  std::string proc = "/proc/" + std::to_string(::getpid()) + "/fd/";
  EXPECT_THAT(argv[2], StartsWith(proc));
  EXPECT_THAT(argv[3], StartsWith("--initrd=" + proc));
  EXPECT_EQ(argv[4], "--command-line=root=UUID=1234 ro quiet");
  // kexec-tools read the very bytes that were checked, padding included.
  EXPECT_EQ(runner.proc_files().at(argv[2]), kKernel);
  EXPECT_EQ(runner.proc_files().at(argv[3].substr(9)), "UCODE" + nul(3) + "MAIN-INITRD");
}

TEST_F(KexecStagerTest, FallsBackOnEnoexecToSbinKexecWithoutInitrd) {
  plan.initrds.clear();
  kexec.fail_next(Op::FileLoad, ENOEXEC);
  runner.add_executable("/sbin/kexec");
  auto result = stage();
  ASSERT_TRUE(result.ok()) << result.error().str();
  const auto& argv = runner.runs().at(0);
  EXPECT_EQ(argv.front(), "/sbin/kexec");
  EXPECT_EQ(argv.size(), 4u);  // no --initrd
}

TEST_F(KexecStagerTest, KexecToolsFailureIsReported) {
  kexec.fail_next(Op::FileLoad, ENOEXEC);
  runner.add_executable("/usr/sbin/kexec");
  runner.set_exit_status(1);
  auto result = stage();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("exit status 1"));
  EXPECT_THAT(result.error().message, HasSubstr("ENOEXEC"));
}

TEST_F(KexecStagerTest, MissingKexecToolsSaysInstallIt) {
  for (int code : {ENOSYS, ENOEXEC}) {
    kexec.fail_next(Op::FileLoad, code);
    auto result = stage();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, code);
    EXPECT_EQ(result.error().remedy, "install kexec-tools");
    EXPECT_THAT(result.error().message, HasSubstr("kexec-tools"));
  }
  EXPECT_TRUE(runner.runs().empty());
}

TEST_F(KexecStagerTest, NeverFallsBackAfterSignatureOrPermissionErrors) {
  runner.add_executable("/usr/sbin/kexec");
  for (int code : {EKEYREJECTED, EBADMSG, ENOKEY, EPERM, EBUSY, ENOMEM, EINVAL, EFBIG, E2BIG}) {
    kexec.fail_next(Op::FileLoad, code);
    auto result = stage();
    ASSERT_FALSE(result.ok()) << errno_name(code);
    EXPECT_EQ(result.error().code, code);
    EXPECT_EQ(result.error().file, plan.kernel) << errno_name(code);
  }
  EXPECT_TRUE(runner.runs().empty());
  EXPECT_FALSE(kexec.loaded());
}

TEST_F(KexecStagerTest, SignatureErrorNamesTheKernel) {
  kexec.fail_next(Op::FileLoad, EKEYREJECTED);
  auto result = stage();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().str(),
            "kexec_file_load: EKEYREJECTED: /boot/vmlinuz-6.1.0-9-amd64 is not signed by a "
            "trusted key; sign it or boot without lockdown");
}

}  // namespace
}  // namespace warmboot

namespace warmboot {
namespace {

TEST(KexecStagerImageCheck, GarbageOrTruncatedKernelIsRefusedBeforeAnyKexecCall) {
  FakeFileSystem fs;
  FakeKexec kexec;
  FakeProcessRunner runner;
  runner.add_executable("/usr/sbin/kexec");
  fs.add_file("/boot/garbage", std::string(8192, 'x'));
  std::string truncated = testing::make_test_kernel("6.1.0-9-amd64");
  truncated[0x1f4] = 100;  // syssize: the header now declares more bytes than the file has
  fs.add_file("/boot/truncated", truncated);
  for (const char* path : {"/boot/garbage", "/boot/truncated"}) {
    Plan plan;
    plan.kernel = path;
    auto result = stage_plan(plan, fs, kexec, runner, read_machine_facts(fs, nullptr));
    ASSERT_FALSE(result) << path;
    EXPECT_EQ(result.error().code, ENOEXEC);
    EXPECT_THAT(result.error().message, ::testing::HasSubstr(path));
  }
  EXPECT_TRUE(kexec.calls().empty());
  EXPECT_TRUE(runner.runs().empty());  // no kexec-tools fallback for a broken file either
}

}  // namespace
}  // namespace warmboot
