// SPDX-License-Identifier: Apache-2.0
// Hooks: which user hooks run and which are refused, the module order, and the environment.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/hook_plan.h"
#include "core/module_order.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(HookPlanTest, NoDirectoryMeansNoUserHooks) {
  FakeFileSystem fs;
  HookConfig config;
  config.unload_modules = {"nvidia-drm"};
  auto plan = make_hook_plan(config, fs);
  ASSERT_TRUE(plan.ok()) << plan.error().str();
  EXPECT_TRUE(plan->user_hooks.empty());
  EXPECT_THAT(plan->modules, ElementsAre("nvidia_drm"));
  EXPECT_FALSE(plan->empty());
  EXPECT_TRUE(make_hook_plan(HookConfig{}, fs)->empty());
}

TEST(HookPlanTest, ExecutablesRunInLexicalOrderAndOthersAreSkipped) {
  FakeFileSystem fs;
  fs.add_file("/etc/warmboot/hooks.d/20-second", "#!/bin/sh\n", 0755);
  fs.add_file("/etc/warmboot/hooks.d/10-first", "#!/bin/sh\n", 0700);
  fs.add_file("/etc/warmboot/hooks.d/README", "text", 0644);
  fs.add_file("/etc/warmboot/hooks.d/30-old.dpkg-old", "#!/bin/sh\n", 0755);
  fs.add_file("/etc/warmboot/hooks.d/.hidden", "#!/bin/sh\n", 0755);
  fs.add_file("/etc/warmboot/hooks.d/40-backup~", "#!/bin/sh\n", 0755);
  auto plan = make_hook_plan(HookConfig{}, fs);
  ASSERT_TRUE(plan.ok()) << plan.error().str();
  EXPECT_THAT(plan->user_hooks,
              ElementsAre("/etc/warmboot/hooks.d/10-first", "/etc/warmboot/hooks.d/20-second"));
  EXPECT_THAT(plan->skipped, ElementsAre("/etc/warmboot/hooks.d/README"));
}

TEST(HookPlanTest, HookNotOwnedByRootIsRefused) {
  FakeFileSystem fs;
  fs.add_file("/etc/warmboot/hooks.d/10-mine", "#!/bin/sh\n", 0755, 1000);
  auto plan = make_hook_plan(HookConfig{}, fs);
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(plan.error().str(), HasSubstr("10-mine"));
  EXPECT_THAT(plan.error().str(), HasSubstr("owned by uid 1000, not root"));
}

TEST(HookPlanTest, GroupOrWorldWritableHookIsRefused) {
  FakeFileSystem fs;
  fs.add_file("/etc/warmboot/hooks.d/10-open", "#!/bin/sh\n", 0777);
  auto world = make_hook_plan(HookConfig{}, fs);
  ASSERT_FALSE(world.ok());
  EXPECT_THAT(world.error().str(), HasSubstr("world-writable"));
  FakeFileSystem fs2;
  fs2.add_file("/etc/warmboot/hooks.d/10-group", "#!/bin/sh\n", 0775);
  auto group = make_hook_plan(HookConfig{}, fs2);
  ASSERT_FALSE(group.ok());
  EXPECT_THAT(group.error().str(), HasSubstr("group-writable"));
  // Even when not executable: a writable file in the directory is somebody's foothold.
  FakeFileSystem fs3;
  fs3.add_file("/etc/warmboot/hooks.d/notes", "", 0666);
  EXPECT_FALSE(make_hook_plan(HookConfig{}, fs3).ok());
}

TEST(HookPlanTest, HookNames) {
  EXPECT_TRUE(is_hook_name("10-unload.sh"));
  EXPECT_FALSE(is_hook_name("a b"));
  EXPECT_FALSE(is_hook_name("x.dpkg-dist"));
  EXPECT_FALSE(is_hook_name("a=b"));  // would be taken for an assignment by env(1)
}

TEST(HookPlanTest, EnvironmentCarriesThePlan) {
  Plan plan;
  plan.kernel = "/boot/vmlinuz-6.1.0-10-amd64";
  plan.initrds = {"/boot/a.img", "/boot/b.img"};
  plan.cmdline = "root=/dev/vda1 ro";
  plan.version = "6.1.0-10-amd64";
  EXPECT_THAT(
      hook_environment(plan, HookPhase::Reboot),
      ElementsAre("WARMBOOT_KERNEL=/boot/vmlinuz-6.1.0-10-amd64",
                  "WARMBOOT_INITRDS=/boot/a.img /boot/b.img", "WARMBOOT_CMDLINE=root=/dev/vda1 ro",
                  "WARMBOOT_VERSION=6.1.0-10-amd64", "WARMBOOT_PHASE=reboot"));
}

TEST(HookModuleOrderTest, HoldersFirst) {
  std::map<std::string, std::vector<std::string>> holders{
      {"nvidia", {"nvidia_modeset", "nvidia_uvm"}},
      {"nvidia_modeset", {"nvidia_drm"}},
      {"nvidia_uvm", {}},
      {"nvidia_drm", {}}};
  auto order =
      module_unload_order({"nvidia", "nvidia_uvm", "nvidia_modeset", "nvidia_drm"}, holders);
  ASSERT_TRUE(order.ok()) << order.error().str();
  EXPECT_THAT(*order, ElementsAre("nvidia_drm", "nvidia_modeset", "nvidia_uvm", "nvidia"));
}

TEST(HookModuleOrderTest, NotLoadedIsSkippedAndUnlistedHolderIsAnError) {
  auto skipped = module_unload_order({"dummy"}, {});
  ASSERT_TRUE(skipped.ok());
  EXPECT_TRUE(skipped->empty());
  auto order = module_unload_order({"nvidia"}, {{"nvidia", {"nvidia_drm"}}, {"nvidia_drm", {}}});
  ASSERT_FALSE(order.ok());
  EXPECT_THAT(order.error().str(), HasSubstr("nvidia is used by nvidia_drm"));
  EXPECT_EQ(normalize_module_name("nvidia-drm"), "nvidia_drm");
}

}  // namespace
}  // namespace warmboot
