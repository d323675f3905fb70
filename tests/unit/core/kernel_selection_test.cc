// SPDX-License-Identifier: Apache-2.0
// Kernel selection without a boot loader configuration, and the plan's command line and initrds.
#include "core/kernel_selection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/installed_kernels.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SelectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs.add_file("/proc/sys/kernel/osrelease", "6.1.0-9-amd64\n");
    fs.add_file("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-9-amd64 root=UUID=abc ro quiet\n");
    for (const char* v : {"6.1.0-9-amd64", "6.1.0-10-amd64", "5.10.0-26-amd64"}) {
      fs.add_file(std::string("/boot/vmlinuz-") + v, "k");
      fs.add_file(std::string("/boot/initrd.img-") + v, "i");
      fs.add_file(std::string("/boot/config-") + v, "c");
    }
  }
  Result<Plan> plan(SelectionRequest request) {
    auto running = read_running_kernel(fs);
    EXPECT_TRUE(running);
    return make_plan(fs, read_boot_inventory(fs), *running, request);
  }
  FakeFileSystem fs;
};

TEST_F(SelectionTest, InstalledKernelsAreNewestFirstByVersionOrder) {
  auto kernels = find_installed_kernels(fs);
  ASSERT_EQ(kernels.size(), 3u);
  EXPECT_EQ(kernels[0].version, "6.1.0-10-amd64");  // 10 > 9, not lexical
  EXPECT_EQ(kernels[1].version, "6.1.0-9-amd64");
  EXPECT_EQ(kernels[2].version, "5.10.0-26-amd64");
  EXPECT_THAT(kernels[0].initrds, ElementsAre("/boot/initrd.img-6.1.0-10-amd64"));
}

TEST_F(SelectionTest, DefaultWithoutBootLoaderIsNewestInstalledWithRunningCmdline) {
  auto p = plan({});
  ASSERT_TRUE(p) << p.error().str();
  EXPECT_EQ(p->kernel, "/boot/vmlinuz-6.1.0-10-amd64");
  EXPECT_THAT(p->initrds, ElementsAre("/boot/initrd.img-6.1.0-10-amd64"));
  EXPECT_EQ(p->cmdline, "root=UUID=abc ro quiet");
  EXPECT_EQ(p->version, "6.1.0-10-amd64");
  EXPECT_EQ(p->source, PlanSource::Latest);
  EXPECT_EQ(p->entry, std::nullopt);
}

TEST_F(SelectionTest, CurrentIsTheRunningRelease) {
  SelectionRequest request;
  request.kernel = "current";
  auto p = plan(request);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kernel, "/boot/vmlinuz-6.1.0-9-amd64");
  EXPECT_EQ(p->source, PlanSource::Current);
}

TEST_F(SelectionTest, VersionAndPathAndEdits) {
  SelectionRequest request;
  request.kernel = "5.10.0-26-amd64";
  request.edit.append = {"warmboot.test=1"};
  request.edit.remove = {"quiet"};
  auto p = plan(request);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kernel, "/boot/vmlinuz-5.10.0-26-amd64");
  EXPECT_EQ(p->cmdline, "root=UUID=abc ro warmboot.test=1");
  EXPECT_EQ(p->source, PlanSource::Version);

  request = {};
  request.kernel = "/boot/../boot/vmlinuz-6.1.0-9-amd64";
  request.initrds = {"/boot/initrd.img-6.1.0-10-amd64", "/boot/config-6.1.0-9-amd64"};
  p = plan(request);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kernel, "/boot/vmlinuz-6.1.0-9-amd64");
  EXPECT_EQ(p->source, PlanSource::Path);
  EXPECT_EQ(p->version, "6.1.0-9-amd64");
  EXPECT_THAT(p->initrds,
              ElementsAre("/boot/initrd.img-6.1.0-10-amd64", "/boot/config-6.1.0-9-amd64"));
}

TEST_F(SelectionTest, ADeviceTreeIsPlannedWhenGivenAndMustExist) {
  EXPECT_EQ(plan(SelectionRequest{})->dtb, std::nullopt);
  fs.add_file("/boot/dtbs/board.dtb", "d");
  SelectionRequest request;
  request.dtb = "/boot/dtbs/board.dtb";
  auto p = plan(request);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->dtb, "/boot/dtbs/board.dtb");
  request.dtb = "/boot/dtbs/gone.dtb";
  p = plan(request);
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error().str(), HasSubstr("gone.dtb"));
}

TEST_F(SelectionTest, UnknownVersionMissingPathAndMissingInitrdAreErrors) {
  SelectionRequest request;
  request.kernel = "9.9.9";
  auto p = plan(request);
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error().str(), HasSubstr("9.9.9"));

  request.kernel = "/boot/vmlinuz-nope";
  p = plan(request);
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error().str(), HasSubstr("/boot/vmlinuz-nope"));

  request.kernel = "latest";
  request.initrds = {"/boot/missing.img"};
  p = plan(request);
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error().str(), HasSubstr("initrd /boot/missing.img"));
}

TEST_F(SelectionTest, NoKernelsAtAllIsAClearError) {
  FakeFileSystem empty;
  empty.add_file("/proc/sys/kernel/osrelease", "6.1.0-9-amd64\n");
  empty.add_file("/proc/cmdline", "ro\n");
  auto running = read_running_kernel(empty);
  ASSERT_TRUE(running);
  auto p = make_plan(empty, read_boot_inventory(empty), *running, {});
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error().message, HasSubstr("no boot loader entry and no installed kernel"));
}

TEST_F(SelectionTest, DirectoryAsKernelIsRejected) {
  SelectionRequest request;
  request.kernel = "/boot/";
  auto p = plan(request);
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error().message, HasSubstr("not a regular file"));
}

TEST(InstalledKernels, ArchPkgbaseAndMicrocodeFirst) {
  FakeFileSystem fs;
  fs.add_file("/boot/vmlinuz-linux", "k");
  fs.add_file("/boot/initramfs-linux.img", "i");
  fs.add_file("/boot/initramfs-linux-fallback.img", "f");
  fs.add_file("/boot/intel-ucode.img", "u");
  fs.add_file("/boot/amd-ucode.img", "a");
  fs.add_file("/usr/lib/modules/6.6.1-arch1-1/pkgbase", "linux\n");
  auto kernels = find_installed_kernels(fs);
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0].version, "6.6.1-arch1-1");
  EXPECT_THAT(kernels[0].initrds, ElementsAre("/boot/intel-ucode.img", "/boot/amd-ucode.img",
                                              "/boot/initramfs-linux.img"));
}

TEST(InstalledKernels, FedoraModulesDirImageUsesBootInitramfs) {
  FakeFileSystem fs;
  fs.add_file("/lib/modules/6.5.6-300.fc39.x86_64/vmlinuz", "k");
  fs.add_file("/boot/initramfs-6.5.6-300.fc39.x86_64.img", "i");
  fs.add_file("/boot/vmlinuz-0-rescue-0123456789abcdef", "r");
  auto kernels = find_installed_kernels(fs);
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0].kernel, "/lib/modules/6.5.6-300.fc39.x86_64/vmlinuz");
  EXPECT_THAT(kernels[0].initrds, ElementsAre("/boot/initramfs-6.5.6-300.fc39.x86_64.img"));
}

TEST(InstalledKernels, VersionFromImageName) {
  EXPECT_EQ(version_from_image_name("vmlinuz-6.1.0-9-amd64"), "6.1.0-9-amd64");
  EXPECT_EQ(version_from_image_name("vmlinuz-linux"), "");
  EXPECT_EQ(version_from_image_name("vmlinuz"), "");
}

}  // namespace
}  // namespace warmboot

namespace warmboot {
namespace {

TEST_F(SelectionTest, GarbageGrubCfgFailsDefaultClearlyButLatestStillWorks) {
  fs.add_file("/boot/grub/grub.cfg",
              std::string("menuentry 'x' {\n linux /vmlinuz \x00\x01\xff", 30));
  auto p = plan({});
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error().str(), HasSubstr("grub.cfg"));
  SelectionRequest request;
  request.kernel = "latest";
  auto latest = plan(request);
  ASSERT_TRUE(latest) << latest.error().str();
  EXPECT_EQ(latest->kernel, "/boot/vmlinuz-6.1.0-10-amd64");
}

TEST_F(SelectionTest, DefaultEntryWithoutLinuxIsExplained) {
  fs.add_file("/boot/grub/grub.cfg",
              "set default=0\nmenuentry 'Windows Boot Manager' {\n chainloader /EFI/x.efi\n}\n");
  auto p = plan({});
  ASSERT_FALSE(p);
  EXPECT_THAT(p.error().message, HasSubstr("Windows Boot Manager"));
  EXPECT_THAT(p.error().message, HasSubstr("boots no Linux kernel"));
}

}  // namespace
}  // namespace warmboot
