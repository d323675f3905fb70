// SPDX-License-Identifier: Apache-2.0
// What is staged is always what the files hold and always recorded: stale files are staged anew,
// bad UTF-8 never breaks a record, and a kernel whose record cannot be written is unloaded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/exit_code.h"
#include "core/state_paths.h"
#include "fakes/fake_machine.h"
#include "initrd_builder.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Op = FakeKexec::Op;

class StagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    m.running("6.1.0-9-amd64");
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
    initrd("first");
  }
  void initrd(const std::string& init) {
    m.fs->add_file("/boot/initrd.img-6.1.0-10-amd64",
                   testing::make_test_cpio({{"init", init}}, "gzip"));
  }
  FakeMachine m;
};

// update-initramfs -u rewrites the initrd under the same name: the staged copy is stale.
TEST_F(StagingTest, AnInitrdRewrittenInPlaceIsStagedAnew) {
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  auto again = m.run({"load"});
  ASSERT_EQ(again.code, to_int(ExitCode::Ok));
  EXPECT_THAT(again.out, HasSubstr("already staged"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);

  initrd("rebuilt");
  auto after = m.run({"load"});
  ASSERT_EQ(after.code, to_int(ExitCode::Ok)) << after.err;
  EXPECT_THAT(after.out, Not(HasSubstr("already staged")));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
}

TEST_F(StagingTest, AKernelRewrittenInPlaceIsStagedAnewByReboot) {
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  m.fs->add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
}

// A record without the files' identities (an older warmboot's) says nothing about them.
TEST_F(StagingTest, ARecordWithoutFileIdentitiesIsNotTrusted) {
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  auto text = m.fs->read_file(kStagedRecordPath);
  ASSERT_TRUE(text);
  auto json = nlohmann::json::parse(*text);
  json.erase("files");
  m.fs->add_file(kStagedRecordPath, json.dump());
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
}

// Bytes that are not UTF-8 (here in the command line; titles the same) used to make `plan --json`
// an internal error and `load` throw after the kernel was staged, leaving it without a record.
TEST_F(StagingTest, InvalidUtf8NeverBreaksOutputOrTheRecord) {
  m.fs->add_file("/proc/cmdline", "root=/dev/vda1 ro note=\xff\xfe\n");
  auto plan = m.run({"--json", "plan"});
  ASSERT_EQ(plan.code, to_int(ExitCode::Ok)) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("note=\xef\xbf\xbd\xef\xbf\xbd"));  // U+FFFD for each bad byte
  EXPECT_TRUE(nlohmann::json::accept(plan.out));

  auto load = m.run({"load"});
  ASSERT_EQ(load.code, to_int(ExitCode::Ok)) << load.err;
  EXPECT_TRUE(m.kexec->loaded());
  EXPECT_TRUE(m.fs->exists(kStagedRecordPath));
  auto status = m.run({"status"});
  EXPECT_THAT(status.out, HasSubstr("staged by warmboot"));
}

TEST_F(StagingTest, AKernelWhoseRecordCannotBeWrittenIsUnloaded) {
  m.fs->fail_writes(kStagedRecordPath, ENOSPC);
  auto load = m.run({"load"});
  EXPECT_EQ(load.code, to_int(ExitCode::StageFailed));
  EXPECT_THAT(load.err, HasSubstr("unloaded again"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);
  EXPECT_FALSE(m.kexec->loaded());
}

}  // namespace
}  // namespace warmboot

namespace warmboot {
namespace {

// --require-signed: refused before any syscall when the running kernel verifies nothing; under
// lockdown, kexec_file_load only, never kexec-tools (kexec_load verifies no signature).
TEST_F(StagingTest, RequireSignedRefusesWithoutAVerifyingKernel) {
  m.fs->add_file("/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
  auto load = m.run({"load", "--require-signed"});
  EXPECT_EQ(load.code, to_int(ExitCode::StageFailed));
  EXPECT_THAT(load.err, HasSubstr("does not verify kexec images"));
  EXPECT_THAT(load.err, HasSubstr("lockdown=integrity"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_FALSE(m.kexec->loaded());

  // The same from the configuration, for `reboot`: nothing staged, nothing rebooted.
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[handover]\nrequire_signed = true\n");
  auto reboot = m.run({"reboot", "--yes", "--no-fallback"});
  EXPECT_EQ(reboot.code, to_int(ExitCode::StageFailed));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());
}

TEST_F(StagingTest, RequireSignedUnderLockdownNeverFallsBackToKexecTools) {
  m.fs->add_file("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
  m.runner->add_executable("/usr/sbin/kexec");
  m.kexec->fail_next(Op::FileLoad, ENOEXEC);
  auto refused = m.run({"load", "--require-signed"});
  EXPECT_EQ(refused.code, to_int(ExitCode::StageFailed));
  EXPECT_THAT(refused.err, HasSubstr("verifies no signature"));
  EXPECT_TRUE(m.runner->runs().empty());

  auto signed_load = m.run({"load", "--require-signed"});
  ASSERT_EQ(signed_load.code, to_int(ExitCode::Ok)) << signed_load.err;
  EXPECT_THAT(signed_load.out, HasSubstr("kexec_file_load"));
}

TEST_F(StagingTest, RequireSignedHonoursKexecSigForceFromTheKernelConfig) {
  m.fs->add_file("/boot/config-6.1.0-9-amd64", "CONFIG_KEXEC_SIG=y\nCONFIG_KEXEC_SIG_FORCE=y\n");
  auto load = m.run({"load", "--require-signed"});
  EXPECT_EQ(load.code, to_int(ExitCode::Ok)) << load.err;
}

}  // namespace
}  // namespace warmboot
