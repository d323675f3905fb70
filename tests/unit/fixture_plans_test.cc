// SPDX-License-Identifier: Apache-2.0
// End to end over fixture trees shaped like real systems: what `warmboot --root DIR plan` decides.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/kernel_selection.h"
#include "os/rooted_filesystem.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Result<Plan> plan_for(const std::string& root, SelectionRequest request = {}) {
  RootedFileSystem fs(std::string(WARMBOOT_TEST_DATA) + "/roots/" + root);
  return plan_from_system(fs, read_machine_facts(fs, nullptr), request);
}

TEST(FixturePlans, DebianFollowsSavedEntryIntoTheSubmenu) {
  auto plan = plan_for("debian");
  ASSERT_TRUE(plan) << plan.error().str();
  EXPECT_EQ(plan->kernel, "/boot/vmlinuz-6.1.0-9-amd64");
  EXPECT_THAT(plan->initrds, ElementsAre("/boot/initrd.img-6.1.0-9-amd64"));
  EXPECT_EQ(plan->source, PlanSource::Bootloader);
  EXPECT_EQ(plan->version, "6.1.0-9-amd64");
  EXPECT_THAT(*plan->entry, HasSubstr("Advanced options for Debian GNU/Linux>"));
  EXPECT_THAT(plan->cmdline, Not(HasSubstr("BOOT_IMAGE")));
  EXPECT_THAT(plan->cmdline, HasSubstr("root=UUID="));
}

TEST(FixturePlans, DebianLatestAndCurrentIgnoreTheSavedEntry) {
  SelectionRequest request;
  request.kernel = "latest";
  auto latest = plan_for("debian", request);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->kernel, "/boot/vmlinuz-6.1.0-10-amd64");
  EXPECT_EQ(latest->source, PlanSource::Latest);
  // The boot loader's normal entry for that release brings its options, not the recovery one.
  EXPECT_THAT(latest->cmdline, Not(HasSubstr("single")));
  request.kernel = "current";
  auto current = plan_for("debian", request);
  ASSERT_TRUE(current);
  EXPECT_EQ(current->kernel, "/boot/vmlinuz-6.1.0-10-amd64");
  EXPECT_EQ(current->source, PlanSource::Current);
}

TEST(FixturePlans, UbuntuKeepsVtHandoffFromTheMenuEntry) {
  auto plan = plan_for("ubuntu");
  ASSERT_TRUE(plan) << plan.error().str();
  EXPECT_EQ(plan->kernel, "/boot/vmlinuz-5.15.0-88-generic");
  EXPECT_THAT(plan->cmdline, HasSubstr("vt.handoff=7"));
  EXPECT_THAT(plan->cmdline, HasSubstr("quiet splash"));
}

TEST(FixturePlans, SeparateBootResolvesPartitionRelativePaths) {
  auto plan = plan_for("separate-boot");
  ASSERT_TRUE(plan) << plan.error().str();
  EXPECT_EQ(plan->kernel, "/boot/vmlinuz-6.1.0-10-amd64");
  EXPECT_THAT(plan->initrds, ElementsAre("/boot/initrd.img-6.1.0-10-amd64"));
  EXPECT_EQ(plan->cmdline, "root=/dev/mapper/vg0-root ro quiet");
}

TEST(FixturePlans, FedoraBlscfgWithSavedEntry) {
  auto plan = plan_for("fedora");
  ASSERT_TRUE(plan) << plan.error().str();
  EXPECT_EQ(plan->kernel, "/boot/vmlinuz-6.6.1-200.fc39.x86_64");
  EXPECT_THAT(plan->initrds, ElementsAre("/boot/initramfs-6.6.1-200.fc39.x86_64.img"));
  EXPECT_THAT(plan->cmdline, HasSubstr("rootflags=subvol=root"));
  EXPECT_THAT(plan->cmdline, Not(HasSubstr("$")));
}

TEST(FixturePlans, ArchSystemdBootLoadsMicrocodeFirst) {
  auto plan = plan_for("arch");
  ASSERT_TRUE(plan) << plan.error().str();
  EXPECT_EQ(plan->kernel, "/efi/vmlinuz-linux");
  EXPECT_THAT(plan->initrds, ElementsAre("/efi/intel-ucode.img", "/efi/initramfs-linux.img"));
  EXPECT_EQ(plan->entry, "Arch Linux");
  EXPECT_EQ(plan->version, "6.6.1-arch1-1");
}

TEST(FixturePlans, ArchEfiVariableOverridesLoaderConf) {
  auto plan = plan_for("arch-efivar");
  ASSERT_TRUE(plan) << plan.error().str();
  EXPECT_THAT(plan->initrds,
              ElementsAre("/efi/intel-ucode.img", "/efi/initramfs-linux-fallback.img"));
}

TEST(FixturePlans, AppendRemoveAndReplaceApplyToTheEntryOptions) {
  SelectionRequest request;
  request.edit.append = {"warmboot.test=1"};
  request.edit.remove = {"quiet"};
  auto plan = plan_for("ubuntu", request);
  ASSERT_TRUE(plan);
  EXPECT_THAT(plan->cmdline, HasSubstr("warmboot.test=1"));
  EXPECT_THAT(plan->cmdline, Not(HasSubstr("quiet")));
  request = {};
  request.edit.replace = "root=/dev/vda ro";
  plan = plan_for("ubuntu", request);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->cmdline, "root=/dev/vda ro");
}

TEST(FixturePlans, MissingRootIsAnErrorNotACrash) {
  auto plan = plan_for("no-such-root");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ENOENT);
}

}  // namespace
}  // namespace warmboot
