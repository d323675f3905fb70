// SPDX-License-Identifier: Apache-2.0
// The hardware watchdog across a handover (core/watchdog.h): who arms it on which path, that a
// failed reboot request takes it back, and that nothing is armed without a device or with
// [guard] watchdog_sec = 0. On fakes only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/exit_code.h"
#include "core/enable_setup.h"
#include "core/handover_sequence.h"
#include "fakes/fake_machine.h"
#include "initrd_builder.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Op = FakeKexec::Op;

class HandoverWatchdogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m.running("6.1.0-9-amd64");
    m.fs->add_file("/boot/vmlinuz-6.1.0-9-amd64", testing::make_test_kernel("6.1.0-9-amd64"));
    m.fs->add_file("/boot/initrd.img-6.1.0-9-amd64", testing::make_test_cpio({{"init", "x"}}));
    m.fs->add_dir("/sys/class/watchdog/watchdog0");
    m.fs->add_file("/sys/class/watchdog/watchdog0/identity", "i6300ESB timer\n");
  }
  FakeMachine m;
};

TEST_F(HandoverWatchdogTest, SystemdArmsItThroughKExecWatchdogUSec) {
  auto run = m.run({"reboot", "--yes"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(m.systemd->watchdog_sets(), ElementsAre("KExecWatchdogUSec=120000000"));
  EXPECT_TRUE(m.watchdog->calls().empty());  // systemd opens the device, not warmboot
  EXPECT_THAT(run.out, HasSubstr("watchdog armed for 120 s"));
  EXPECT_TRUE(m.journal->contains("hardware watchdog armed for 120 s across the handover"));
}

TEST_F(HandoverWatchdogTest, AFailedRebootRequestGivesSystemdItsValueBack) {
  m.systemd->fail_reboot(Error{"logind", 0, {}, "Access denied", {}});
  EXPECT_NE(m.run({"reboot", "--yes"}).code, 0);
  EXPECT_THAT(m.systemd->watchdog_sets(),
              ElementsAre("KExecWatchdogUSec=120000000", "KExecWatchdogUSec=0"));
}

TEST_F(HandoverWatchdogTest, ForceArmsTheDeviceItself) {
  m.fs->add_file(kConfigPath, "[guard]\nwatchdog_sec = 45\n");
  m.watchdog->round_to(44);
  auto run = m.run({"reboot", "--yes", "--force"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(m.watchdog->calls(), ElementsAre("arm 45"));
  EXPECT_THAT(run.out, HasSubstr("armed for 44 s"));  // what the driver took
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 1);
  EXPECT_TRUE(m.systemd->watchdog_sets().empty());
}

TEST_F(HandoverWatchdogTest, ForceStopsItAgainWhenTheKexecFails) {
  m.kexec->fail_next(Op::ExecNow, EPERM);
  EXPECT_NE(m.run({"reboot", "--yes", "--force"}).code, 0);
  EXPECT_THAT(m.watchdog->calls(), ElementsAre("arm 120", "disarm"));
  EXPECT_FALSE(m.watchdog->armed());
}

TEST_F(HandoverWatchdogTest, NotArmedIsSaidButTheWarmRebootGoesOn) {
  m.watchdog->fail_arm(Error{"open", EBUSY, "/dev/watchdog0", "held by another process", {}});
  auto run = m.run({"reboot", "--yes", "--force"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.err, HasSubstr("watchdog is not armed"));
  EXPECT_THAT(run.err, HasSubstr("power cycled"));
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 1);
}

TEST_F(HandoverWatchdogTest, NothingArmedWithoutADeviceOrWhenTurnedOff) {
  m.fs->add_file(kConfigPath, "[guard]\nwatchdog_sec = 0\n");
  ASSERT_EQ(m.run({"reboot", "--yes", "--force"}).code, to_int(ExitCode::Ok));
  FakeMachine bare;
  bare.running("6.1.0-9-amd64");
  bare.fs->add_file("/boot/vmlinuz-6.1.0-9-amd64", testing::make_test_kernel("6.1.0-9-amd64"));
  ASSERT_EQ(bare.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  EXPECT_TRUE(m.watchdog->calls().empty());
  EXPECT_TRUE(bare.systemd->watchdog_sets().empty());
  EXPECT_TRUE(bare.watchdog->calls().empty());
}

TEST_F(HandoverWatchdogTest, TheDryRunNamesTheStep) {
  auto run = m.run({"reboot", "--dry-run"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("arm the hardware watchdog for 120 s"));
  EXPECT_THAT(run.out, HasSubstr("KExecWatchdogUSec"));
  EXPECT_TRUE(m.systemd->watchdog_sets().empty());
}

// The enabled plain reboot: systemd-shutdown reboots and warmboot's hook hands over there, so the
// reboot watchdog is the one that must run; with systemd >= 255's own kexec, the kexec one.
TEST_F(HandoverWatchdogTest, TheWayDownUsesTheWatchdogOfItsTarget) {
  m.fs->add_file(kEnableDropIn, enable_drop_in_text());
  m.units->set_jobs({UnitJob{7, "reboot.target", "start"}});
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));
  EXPECT_THAT(m.systemd->watchdog_sets(), ElementsAre("RebootWatchdogUSec=120000000"));

  HandoverRequest r;
  r.path = HandoverPath::ShutdownHook;
  r.down_target = "kexec.target";
  EXPECT_EQ(shutdown_watchdog_for(r), ShutdownWatchdog::KExec);
  r.path = HandoverPath::Systemd;
  r.down_target = "reboot.target";
  EXPECT_EQ(shutdown_watchdog_for(r), ShutdownWatchdog::KExec);
}

TEST_F(HandoverWatchdogTest, StepsArmItLastBeforeTheHandover) {
  HandoverRequest r;
  r.watchdog_sec = 120;
  auto steps = handover_steps(r);
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[steps.size() - 2].kind, StepKind::ArmWatchdog);
  EXPECT_EQ(steps[steps.size() - 2].on_failure, OnFailure::NotFatal);
  EXPECT_EQ(steps.back().kind, StepKind::HandOver);
  r.watchdog_sec = 0;
  for (const auto& step : handover_steps(r)) EXPECT_NE(step.kind, StepKind::ArmWatchdog);
}

}  // namespace
}  // namespace warmboot
