// SPDX-License-Identifier: Apache-2.0
// The reboot command's decisions, end to end through the CLI, on fakes only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/exit_code.h"
#include "fakes/fake_machine.h"
#include "initrd_builder.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using Op = FakeKexec::Op;

class CliRebootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    fs.add_file("/proc/sys/kernel/osrelease", "6.1.0-9-amd64\n");
    fs.add_file("/proc/cmdline",
                "BOOT_IMAGE=/boot/vmlinuz-6.1.0-9-amd64 root=/dev/vda1 ro quiet\n");
    fs.add_file("/proc/sys/kernel/random/boot_id", "11111111-2222-3333-4444-555555555555\n");
    fs.add_file("/boot/vmlinuz-6.1.0-9-amd64", testing::make_test_kernel("6.1.0-9-amd64"));
    fs.add_file("/boot/initrd.img-6.1.0-9-amd64",
                testing::make_test_cpio({{"init", "old"}}, "gzip"));
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
    fs.add_file("/boot/initrd.img-6.1.0-10-amd64", new_initrd);
  }
  FakeMachine m;
  const std::string new_initrd = testing::make_test_cpio({{"init", "new"}}, "gzip");
};

TEST_F(CliRebootTest, RefusesWithoutYesWhenNoTerminal) {
  auto run = m.run({"reboot"});
  EXPECT_EQ(run.code, to_int(ExitCode::Refused));
  EXPECT_THAT(run.err, HasSubstr("--yes"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());
}

TEST_F(CliRebootTest, DeclinedConfirmationDoesNothing) {
  std::string asked;
  auto run = m.run({"reboot"}, [&](const std::string& q) {
    asked = q;
    return false;
  });
  EXPECT_EQ(run.code, to_int(ExitCode::Refused));
  EXPECT_THAT(asked, HasSubstr("/boot/vmlinuz-6.1.0-10-amd64"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
}

TEST_F(CliRebootTest, StagesNewestThenHandsOverThroughSystemd) {
  auto run = m.run({"reboot", "--yes", "--append", "warmboot.test=1"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  ASSERT_EQ(m.kexec->loads().size(), 1u);
  const auto& load = m.kexec->loads()[0];
  EXPECT_EQ(load.kernel, testing::make_test_kernel("6.1.0-10-amd64"));
  EXPECT_EQ(load.initrd, new_initrd);
  EXPECT_EQ(load.cmdline, std::string("root=/dev/vda1 ro quiet warmboot.test=1\0", 40));
  ASSERT_EQ(m.systemd->reboots().size(), 1u);
  EXPECT_TRUE(m.systemd->reboots()[0].kexec);
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 0);
  EXPECT_TRUE(m.fs->written().count("/run/warmboot/staged.json"));
}

TEST_F(CliRebootTest, ForceSyncsAndExecsDirectly) {
  auto run = m.run({"reboot", "--force", "--yes"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 1);
  EXPECT_TRUE(m.systemd->reboots().empty());
}

TEST_F(CliRebootTest, SamePlanIsNotStagedTwice) {
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);
  ASSERT_EQ(m.run({"reboot", "--yes", "--append", "x=1"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);  // a different plan is staged anew
}

TEST_F(CliRebootTest, InhibitorBlocksBeforeAnythingIsStaged) {
  m.systemd->set_blockers({Inhibitor{"shutdown", "backup.service", "copying", "block", 0, 42}});
  auto run = m.run({"reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::Inhibited));
  EXPECT_THAT(run.err, HasSubstr("backup.service"));
  EXPECT_THAT(run.err, HasSubstr("--ignore-inhibitors"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());

  auto forced = m.run({"reboot", "--yes", "--ignore-inhibitors"});
  EXPECT_EQ(forced.code, to_int(ExitCode::Ok)) << forced.err;
  ASSERT_EQ(m.systemd->reboots().size(), 1u);
  EXPECT_TRUE(m.systemd->reboots()[0].ignore_inhibitors);
}

TEST_F(CliRebootTest, StagingFailureFallsBackColdAndSaysSoLoudly) {
  m.kexec->fail_next(Op::FileLoad, EKEYREJECTED);
  auto run = m.run({"reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok));
  EXPECT_THAT(run.err, HasSubstr("COLD"));
  EXPECT_THAT(run.err, HasSubstr("EKEYREJECTED"));
  ASSERT_EQ(m.systemd->reboots().size(), 1u);
  EXPECT_FALSE(m.systemd->reboots()[0].kexec);
  ASSERT_FALSE(m.journal->records().empty());
  EXPECT_THAT(m.journal->records().back().message, HasSubstr("COLD"));
  EXPECT_FALSE(m.fs->written().count("/run/warmboot/staged.json"));
}

TEST_F(CliRebootTest, NoFallbackRefusesInsteadOfRebootingCold) {
  m.kexec->fail_next(Op::FileLoad, EPERM);
  auto run = m.run({"reboot", "--yes", "--no-fallback"});
  EXPECT_EQ(run.code, to_int(ExitCode::StageFailed));
  EXPECT_TRUE(m.systemd->reboots().empty());
  EXPECT_EQ(m.kexec->count(Op::ColdReboot), 0);
}

TEST_F(CliRebootTest, ForceFallbackRebootsColdDirectly) {
  m.kexec->fail_next(Op::FileLoad, ENOMEM);
  auto run = m.run({"reboot", "--yes", "--force"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::ColdReboot), 1);
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 0);
}

// A systemd machine without a D-Bus daemon (minbase installs): PID 1 still answers on its private
// socket, logind does not. The inhibitor check is said to be skipped, and the reboot goes on.
TEST_F(CliRebootTest, WithoutLogindTheInhibitorCheckIsSaidToBeSkipped) {
  m.systemd->fail_blockers(Error{"sd_bus_open_system", ENOENT, {}, "cannot connect", {}});
  auto run = m.run({"reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.err, HasSubstr("inhibitors could not be checked"));
  ASSERT_EQ(m.systemd->reboots().size(), 1u);
  EXPECT_TRUE(m.systemd->reboots()[0].kexec);
}

// The way to PID 1 is checked before anything is staged.
TEST_F(CliRebootTest, UnreachablePid1RefusesBeforeStaging) {
  m.systemd->set_unreachable(Error{"sd_bus_open_system", ENOENT, {}, "cannot reach PID 1", {}});
  auto run = m.run({"reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::HandoverFailed));
  EXPECT_THAT(run.err, HasSubstr("cannot reach PID 1"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());
}

TEST_F(CliRebootTest, WithoutSystemdOnlyForceWorks) {
  m.systemd->set_booted_with_systemd(false);
  auto run = m.run({"reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::HandoverFailed));
  EXPECT_THAT(run.err, HasSubstr("--force"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
}

TEST_F(CliRebootTest, DryRunWithADeviceTreeSaysKexecToolsStagesIt) {
  m.fs->add_file("/boot/board.dtb", "d");
  auto run = m.run({"reboot", "--dry-run", "--dtb", "/boot/board.dtb"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("dtb:     /boot/board.dtb"));
  EXPECT_THAT(run.out,
              HasSubstr("with kexec-tools' kexec_load and the device tree /boot/board.dtb"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
}

TEST_F(CliRebootTest, DryRunChangesNothingAndNeedsNoYes) {
  auto run = m.run({"reboot", "--dry-run"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("stage /boot/vmlinuz-6.1.0-10-amd64 with kexec_file_load"));
  EXPECT_THAT(run.out, HasSubstr("reboot cold"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());
  EXPECT_TRUE(m.fs->written().empty());
}

TEST_F(CliRebootTest, OfflineRootNeverStagesOrReboots) {
  EXPECT_EQ(m.run({"--root", "/srv/image", "load"}).code, to_int(ExitCode::Refused));
  EXPECT_EQ(m.last_root, "/srv/image");
  EXPECT_EQ(m.run({"--root", "/srv/image", "unload"}).code, to_int(ExitCode::Refused));
  auto run = m.run({"--root", "/srv/image", "reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::Refused));
  EXPECT_THAT(run.err, HasSubstr("--root"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_EQ(m.kexec->count(Op::Unload), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());
}

TEST_F(CliRebootTest, MissingKernelIsAClearErrorAndNothingHappens) {
  auto run = m.run({"reboot", "--yes", "--kernel", "7.0.0"});
  EXPECT_EQ(run.code, to_int(ExitCode::NoKernel));
  EXPECT_THAT(run.err, HasSubstr("7.0.0"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());
}

TEST_F(CliRebootTest, HandoverFailureKeepsKernelStagedAndSaysHowToDrop) {
  m.systemd->fail_reboot(Error{"logind", 0, {}, "Access denied", {}});
  auto run = m.run({"reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::HandoverFailed));
  EXPECT_THAT(run.err, HasSubstr("warmboot unload"));
  EXPECT_TRUE(m.kexec->loaded());
}

TEST_F(CliRebootTest, StatusAndUnloadFollowTheRecord) {
  auto none = m.run({"--json", "status"});
  EXPECT_THAT(none.out, HasSubstr("\"staged\": false"));
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  auto staged = m.run({"status"});
  EXPECT_THAT(staged.out, HasSubstr("staged by warmboot with kexec_file_load"));
  EXPECT_THAT(staged.out, HasSubstr("/boot/vmlinuz-6.1.0-10-amd64"));
  ASSERT_EQ(m.run({"unload"}).code, to_int(ExitCode::Ok));
  EXPECT_FALSE(m.kexec->loaded());
  EXPECT_FALSE(m.fs->exists("/run/warmboot/staged.json"));
}

TEST_F(CliRebootTest, KernelStagedByAnotherToolIsNotClaimed) {
  m.kexec->set_loaded(true);
  auto run = m.run({"status"});
  EXPECT_THAT(run.out, HasSubstr("not by warmboot"));
}

TEST_F(CliRebootTest, BadUsageIsExitTwo) {
  EXPECT_EQ(m.run({"reboot", "--no-such-flag"}).code, to_int(ExitCode::Usage));
  EXPECT_EQ(m.run({}).code, to_int(ExitCode::Usage));
}

TEST_F(CliRebootTest, TruncatedInitrdIsRefusedBeforeStaging) {
  std::string cut = new_initrd.substr(0, new_initrd.size() / 2);
  m.fs->add_file("/boot/initrd.img-6.1.0-10-amd64", cut);
  auto load = m.run({"load"});
  EXPECT_EQ(load.code, to_int(ExitCode::StageFailed));
  EXPECT_THAT(load.err, HasSubstr("/boot/initrd.img-6.1.0-10-amd64"));
  EXPECT_THAT(load.err, HasSubstr("update-initramfs"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  auto reboot = m.run({"reboot", "--yes", "--no-fallback"});
  EXPECT_EQ(reboot.code, to_int(ExitCode::StageFailed));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());
}

}  // namespace
}  // namespace warmboot
