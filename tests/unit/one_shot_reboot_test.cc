// SPDX-License-Identifier: Apache-2.0
// `grub-reboot X` then `warmboot reboot`: the plan is X, and the warm reboot uses the one-time
// choice up as GRUB would, so the next cold boot goes back to the default.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/exit_code.h"
#include "core/grub_env.h"
#include "debian_grub_fixture.h"
#include "fakes/fake_machine.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;

using testing::env_block;
using testing::kGrubCfg;

class OneShotRebootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    m.running("6.1.0-10-amd64");
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
    fs.add_file("/boot/vmlinuz-6.1.0-9-amd64", testing::make_test_kernel("6.1.0-9-amd64"));
    fs.add_file("/boot/grub/grub.cfg", kGrubCfg);
    // grub-reboot "Advanced options for Debian GNU/Linux>Debian GNU/Linux, with
    // Linux 6.1.0-9-amd64"
    fs.add_file("/boot/grub/grubenv",
                env_block("next_entry=gnulinux-advanced>gnulinux-9\nsaved_entry=0\n"));
  }
  std::string next_entry() {
    return parse_grubenv(*m.fs->read_file("/boot/grub/grubenv"), "g")->at("next_entry");
  }
  FakeMachine m;
};

TEST_F(OneShotRebootTest, PlanFollowsTheOneShotAndSaysSo) {
  auto plan = m.run({"--json", "plan"});
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("\"version\": \"6.1.0-9-amd64\""));
  EXPECT_THAT(plan.out, HasSubstr("\"one_shot\": \"/boot/grub/grubenv\""));
  auto dry = m.run({"reboot", "--dry-run"});
  EXPECT_THAT(dry.out, HasSubstr("clear grub-reboot's next_entry in /boot/grub/grubenv"));
  EXPECT_EQ(next_entry(), "gnulinux-advanced>gnulinux-9");  // a plan changes nothing
}

TEST_F(OneShotRebootTest, WarmRebootUsesTheOneShotUp) {
  auto run = m.run({"reboot", "--yes"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_EQ(next_entry(), "");
  EXPECT_TRUE(m.journal->contains("cleared grub-reboot's next_entry"));
  // The next plan is the default again, as GRUB's next boot would be.
  auto plan = m.run({"--json", "plan"});
  EXPECT_THAT(plan.out, HasSubstr("\"version\": \"6.1.0-10-amd64\""));
  EXPECT_THAT(plan.out, HasSubstr("\"one_shot\": null"));
}

TEST_F(OneShotRebootTest, AFailedStagingKeepsTheOneShotForTheColdReboot) {
  m.kexec->fail_next(FakeKexec::Op::FileLoad, EKEYREJECTED);
  m.run({"reboot", "--yes"});  // falls back cold: GRUB boots the one-shot itself
  EXPECT_EQ(next_entry(), "gnulinux-advanced>gnulinux-9");
}

}  // namespace
}  // namespace warmboot
