// SPDX-License-Identifier: Apache-2.0
// Hooks and configuration in `warmboot reboot`, end to end on fakes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/exit_code.h"
#include "fakes/fake_machine.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Op = FakeKexec::Op;

class HookCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    fs.add_file("/proc/sys/kernel/osrelease", "6.1.0-9-amd64\n");
    fs.add_file("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-9-amd64 root=/dev/vda1 ro\n");
    fs.add_file("/proc/sys/kernel/random/boot_id", "11111111-2222-3333-4444-555555555555\n");
    fs.add_file("/boot/vmlinuz-6.1.0-9-amd64", testing::make_test_kernel("6.1.0-9-amd64"));
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
    m.modules->add_module("dummy");
  }
  void config(const std::string& text) { m.fs->add_file("/etc/warmboot/warmboot.conf", text); }
  FakeMachine m;
};

TEST_F(HookCliTest, HooksRunAfterStagingBeforeHandover) {
  config("[hooks]\nunload_modules = [\"dummy\"]\n");
  m.fs->add_file("/etc/warmboot/hooks.d/10-marker", "#!/bin/sh\n", 0755);
  auto run = m.run({"reboot", "--yes"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);
  EXPECT_THAT(m.modules->unloaded(), ElementsAre("dummy"));
  ASSERT_EQ(m.runner->specs().size(), 1u);
  EXPECT_THAT(m.runner->specs()[0].env, ::testing::Contains("WARMBOOT_VERSION=6.1.0-10-amd64"));
  ASSERT_EQ(m.systemd->reboots().size(), 1u);
  EXPECT_TRUE(m.systemd->reboots()[0].kexec);
  EXPECT_THAT(run.out, HasSubstr("hook: unloading module dummy"));
}

TEST_F(HookCliTest, FailingHookRebootsColdLoudlyAndUnstages) {
  m.fs->add_file("/etc/warmboot/hooks.d/10-fails", "#!/bin/sh\nexit 1\n", 0755);
  m.runner->set_exit_status(1);
  auto run = m.run({"reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok));
  EXPECT_THAT(run.err, HasSubstr("COLD"));
  EXPECT_THAT(run.err, HasSubstr("10-fails failed with exit status 1"));
  ASSERT_EQ(m.systemd->reboots().size(), 1u);
  EXPECT_FALSE(m.systemd->reboots()[0].kexec);
  EXPECT_FALSE(m.kexec->loaded());
  EXPECT_TRUE(m.journal->contains("hook failed"));
}

TEST_F(HookCliTest, FailingHookWithNoFallbackRebootsNothing) {
  m.fs->add_file("/etc/warmboot/hooks.d/10-bad", "#!/bin/sh\n", 0755, 1000);
  auto run = m.run({"reboot", "--yes", "--no-fallback"});
  EXPECT_EQ(run.code, to_int(ExitCode::HookFailed));
  EXPECT_THAT(run.err, HasSubstr("not root"));
  EXPECT_TRUE(m.systemd->reboots().empty());
}

TEST_F(HookCliTest, NoHooksSkipsThem) {
  config("[hooks]\nunload_modules = [\"dummy\"]\n");
  auto run = m.run({"reboot", "--yes", "--no-hooks"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_TRUE(m.modules->unloaded().empty());
  EXPECT_EQ(m.systemd->reboots().size(), 1u);
}

TEST_F(HookCliTest, DryRunListsHooks) {
  config("[hooks]\nisolate_multi_user = true\nunload_modules = [\"dummy\"]\n");
  auto run = m.run({"reboot", "--dry-run"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("unload modules (holders first): dummy"));
  EXPECT_THAT(run.out, HasSubstr("isolate multi-user.target"));
  EXPECT_TRUE(m.modules->unloaded().empty());
}

TEST_F(HookCliTest, ConfigChoosesKernelAndFlagsWin) {
  config("[kernel]\nselect = \"current\"\nappend = [\"from.config=1\"]\n");
  auto plan = m.run({"plan"});
  ASSERT_EQ(plan.code, to_int(ExitCode::Ok)) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("/boot/vmlinuz-6.1.0-9-amd64"));
  EXPECT_THAT(plan.out, HasSubstr("from.config=1"));
  auto flag = m.run({"plan", "--kernel", "latest", "--append", "from.flag=1"});
  EXPECT_THAT(flag.out, HasSubstr("/boot/vmlinuz-6.1.0-10-amd64"));
  EXPECT_THAT(flag.out, HasSubstr("from.config=1 from.flag=1"));
}

TEST_F(HookCliTest, BrokenConfigDoesNothingAndNamesTheLine) {
  config("[handover]\nfallback = true\nmode = \"warp\"\n");
  auto run = m.run({"reboot", "--yes"});
  EXPECT_EQ(run.code, to_int(ExitCode::BadConfig));
  EXPECT_THAT(run.err, HasSubstr("/etc/warmboot/warmboot.conf:3:"));
  EXPECT_THAT(run.err, HasSubstr("handover.mode"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.systemd->reboots().empty());
  EXPECT_EQ(m.run({"status"}).code,
            to_int(ExitCode::Ok));  // commands that need no configuration still work
}

}  // namespace
}  // namespace warmboot
