// SPDX-License-Identifier: Apache-2.0
// run_hooks on fakes: the steps, their order, and a failing hook stopping everything after it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/hook_runner.h"
#include "fakes/fake_interface_control.h"
#include "fakes/fake_journal.h"
#include "fakes/fake_module_unloader.h"
#include "fakes/fake_process_runner.h"
#include "fakes/fake_unit_control.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class HookRunnerTest : public ::testing::Test {
 protected:
  Status run(const HookPlan& hooks, HookPhase phase = HookPhase::Reboot) {
    Plan plan;
    plan.kernel = "/boot/vmlinuz-6.1.0-10-amd64";
    plan.cmdline = "root=/dev/vda1";
    HookBackends backends{units, modules, interfaces, runner, journal};
    return run_hooks(hooks, plan, backends, HookRun{phase, {}, 60});
  }
  FakeUnitControl units;
  FakeModuleUnloader modules;
  FakeInterfaceControl interfaces;
  FakeProcessRunner runner;
  FakeJournal journal;
};

TEST_F(HookRunnerTest, EveryStepInOrder) {
  units.set_state("graphical.target", "active");
  modules.add_module("nvidia", {"nvidia_drm"});
  modules.add_module("nvidia_drm");
  interfaces.add_interface("eth0");
  HookPlan hooks;
  hooks.isolate_multi_user = true;
  hooks.user_hooks = {"/etc/warmboot/hooks.d/10-a"};
  hooks.modules = {"nvidia", "nvidia_drm"};
  hooks.interfaces = {"eth0", "wlan9"};
  auto done = run(hooks);
  ASSERT_TRUE(done.ok()) << done.error().str();
  EXPECT_THAT(units.actions(), ElementsAre("isolate multi-user.target"));
  ASSERT_EQ(runner.specs().size(), 1u);
  // The hook itself runs (no /usr/bin/env in front, whose NAME=value parsing broke a directory
  // with '=' in its name), checked and executed as the very file, with a time limit.
  const ProcessSpec& spec = runner.specs()[0];
  EXPECT_EQ(spec.argv, std::vector<std::string>{"/etc/warmboot/hooks.d/10-a"});
  EXPECT_TRUE(spec.trusted_file_only);
  EXPECT_EQ(spec.timeout_s, 60);
  EXPECT_THAT(spec.env, ::testing::Contains("WARMBOOT_KERNEL=/boot/vmlinuz-6.1.0-10-amd64"));
  EXPECT_THAT(modules.unloaded(), ElementsAre("nvidia_drm", "nvidia"));
  EXPECT_THAT(interfaces.downed(), ElementsAre("eth0"));
  EXPECT_TRUE(journal.contains("unloading module nvidia_drm"));
}

TEST_F(HookRunnerTest, NoIsolateWithoutGraphicalSessionOrOnTheWayDown) {
  HookPlan hooks;
  hooks.isolate_multi_user = true;
  ASSERT_TRUE(run(hooks).ok());
  units.set_state("graphical.target", "active");
  ASSERT_TRUE(run(hooks, HookPhase::Shutdown).ok());
  EXPECT_TRUE(units.actions().empty());
}

TEST_F(HookRunnerTest, FailingHookStopsTheRestAndIsLogged) {
  runner.set_exit_status(3);
  modules.add_module("dummy");
  HookPlan hooks;
  hooks.user_hooks = {"/etc/warmboot/hooks.d/10-a", "/etc/warmboot/hooks.d/20-b"};
  hooks.modules = {"dummy"};
  auto done = run(hooks);
  ASSERT_FALSE(done.ok());
  EXPECT_THAT(done.error().str(), HasSubstr("10-a failed with exit status 3"));
  EXPECT_EQ(runner.runs().size(), 1u);
  EXPECT_TRUE(modules.loaded("dummy"));
  EXPECT_TRUE(journal.contains("hook failed"));
}

TEST_F(HookRunnerTest, ModuleHeldByUnlistedModuleFails) {
  modules.add_module("nvidia", {"nvidia_drm"});
  modules.add_module("nvidia_drm");
  HookPlan hooks;
  hooks.modules = {"nvidia"};
  auto done = run(hooks);
  ASSERT_FALSE(done.ok());
  EXPECT_THAT(done.error().remedy, HasSubstr("add nvidia_drm"));
  EXPECT_TRUE(modules.unloaded().empty());
}

}  // namespace
}  // namespace warmboot
