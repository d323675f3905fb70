// SPDX-License-Identifier: Apache-2.0
// Root on dm-crypt / LVM / md: detection from /proc/mounts and /sys, and what the initrd must
// carry.
#include "core/check_initrd_storage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/root_storage.h"
#include "fakes/fake_filesystem.h"
#include "initrd_builder.h"
#include "os/initrd_reader.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::make_test_cpio;

// Debian's "guided, encrypted LVM": / on vg-root (dm-1, LVM) on sda3_crypt (dm-0, dm-crypt).
void add_encrypted_lvm(FakeFileSystem& fs) {
  fs.add_file("/proc/mounts", "proc /proc proc rw 0 0\n/dev/mapper/vg-root / ext4 rw 0 0\n");
  fs.add_file("/sys/block/dm-1/dm/name", "vg-root\n");
  fs.add_file("/sys/block/dm-1/dm/uuid", "LVM-abcdefABCDEF\n");
  fs.add_dir("/sys/block/dm-1/slaves/dm-0");
  fs.add_file("/sys/block/dm-0/dm/name", "sda3_crypt\n");
  fs.add_file("/sys/block/dm-0/dm/uuid", "CRYPT-LUKS2-0123456789abcdef-sda3_crypt\n");
  fs.add_dir("/sys/block/dm-0/slaves/sda3");
}

Plan plan_for(std::string version) {
  Plan plan;
  plan.kernel = "/boot/vmlinuz-" + version;
  plan.initrds = {"/boot/initrd.img-" + version};
  plan.version = version;
  return plan;
}

InitrdNames listed(const std::string& image) {
  auto listing = list_initrd(image);
  InitrdNames names;
  names.path = "/boot/initrd.img-6.1.0-10-amd64";
  if (listing)
    names.names = listing->names;
  else
    names.error = listing.error();
  return names;
}

const std::string kModules = "usr/lib/modules/6.1.0-10-amd64/kernel/drivers/md/";

TEST(CheckInitrd, DetectsEncryptedLvmChain) {
  FakeFileSystem fs;
  add_encrypted_lvm(fs);
  RootStorage root = detect_root_storage(fs);
  EXPECT_EQ(root.device, "/dev/mapper/vg-root");
  EXPECT_TRUE(root.lvm);
  EXPECT_TRUE(root.crypt);
  EXPECT_FALSE(root.md);
  EXPECT_THAT(root.chain, ElementsAre("dm-1 (LVM)", "dm-0 (dm-crypt)", "sda3"));
}

// Slaves that cross-link (every md device a slave of every other, a hostile or broken /sys) made
// the walk exponential: 10 devices, 8 levels deep, 10^8 visits. Each is visited once now.
TEST(CheckInitrd, CrossLinkedSlavesAreWalkedOnce) {
  FakeFileSystem fs;
  fs.add_file("/proc/mounts", "/dev/md0 / ext4 rw 0 0\n");
  for (int i = 0; i < 10; ++i) {
    fs.add_file("/sys/block/md" + std::to_string(i) + "/md/level", "raid1\n");
    for (int j = 0; j < 10; ++j)
      fs.add_dir("/sys/block/md" + std::to_string(i) + "/slaves/md" + std::to_string(j));
  }
  RootStorage root = detect_root_storage(fs);
  EXPECT_TRUE(root.md);
  EXPECT_EQ(root.chain.size(), 10u);
}

TEST(CheckInitrd, DetectsMdRaid) {
  FakeFileSystem fs;
  fs.add_file("/proc/mounts", "/dev/md0 / ext4 rw 0 0\n");
  fs.add_file("/sys/block/md0/md/level", "raid1\n");
  fs.add_dir("/sys/block/md0/slaves/sda1");
  fs.add_dir("/sys/block/md0/slaves/sdb1");
  RootStorage root = detect_root_storage(fs);
  EXPECT_TRUE(root.md);
  EXPECT_THAT(root.md_levels, ElementsAre("raid1"));
}

TEST(CheckInitrd, FallsBackToCrypttabAndMdstat) {
  FakeFileSystem fs;
  fs.add_file("/proc/mounts", "/dev/mapper/root_crypt / ext4 rw 0 0\n");
  fs.add_file("/etc/crypttab",
              "# <target> <source> <key> <options>\nroot_crypt UUID=1 none luks\n");
  EXPECT_TRUE(detect_root_storage(fs).crypt);
  fs.add_file("/proc/mounts", "/dev/md127 / ext4 rw 0 0\n");
  fs.add_file("/proc/mdstat",
              "Personalities : [raid6] [raid5] [raid4]\n"
              "md127 : active raid5 sdc1[2] sdb1[1] sda1[0]\n");
  RootStorage md = detect_root_storage(fs);
  EXPECT_TRUE(md.md);
  EXPECT_THAT(md.md_levels, ElementsAre("raid5"));
}

TEST(CheckInitrd, PlainRootNeedsNothing) {
  FakeFileSystem fs;
  fs.add_file("/proc/mounts", "/dev/sda2 / ext4 rw 0 0\n");
  auto result = check_initrd_storage(fs, plan_for("6.1.0-10-amd64"), detect_root_storage(fs), {});
  EXPECT_EQ(result.level, CheckLevel::Ok);
  EXPECT_THAT(result.seen, HasSubstr("/dev/sda2"));
}

TEST(CheckInitrd, EncryptedLvmWithCompleteInitrd) {
  FakeFileSystem fs;
  add_encrypted_lvm(fs);
  std::string image =
      testing::make_test_microcode_cpio() + make_test_cpio({{"usr/sbin/cryptsetup", "x"},
                                                            {"usr/sbin/lvm", "x"},
                                                            {kModules + "dm-crypt.ko.zst", "x"},
                                                            {kModules + "dm-mod.ko.zst", "x"}},
                                                           "zstd");
  auto result = check_initrd_storage(fs, plan_for("6.1.0-10-amd64"), detect_root_storage(fs),
                                     {listed(image)});
  EXPECT_EQ(result.level, CheckLevel::Ok) << result.seen;
}

TEST(CheckInitrd, EncryptedLvmMissingCryptsetupFails) {
  FakeFileSystem fs;
  add_encrypted_lvm(fs);
  std::string image = make_test_cpio(
      {{"usr/sbin/lvm", "x"}, {kModules + "dm-mod.ko", "x"}, {kModules + "dm-crypt.ko", "x"}},
      "gzip");
  auto result = check_initrd_storage(fs, plan_for("6.1.0-10-amd64"), detect_root_storage(fs),
                                     {listed(image)});
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, HasSubstr("lacks cryptsetup"));
  EXPECT_THAT(result.remedy, HasSubstr("update-initramfs -u -k 6.1.0-10-amd64"));
}

TEST(CheckInitrd, BuiltinModulesNeedNotBeInTheInitrd) {
  FakeFileSystem fs;
  add_encrypted_lvm(fs);
  fs.add_file("/lib/modules/6.1.0-10-amd64/modules.builtin",
              "kernel/drivers/md/dm-mod.ko\nkernel/drivers/md/dm-crypt.ko\n");
  std::string image =
      make_test_cpio({{"usr/lib/systemd/systemd-cryptsetup", "x"}, {"usr/sbin/lvm", "x"}}, "xz");
  auto result = check_initrd_storage(fs, plan_for("6.1.0-10-amd64"), detect_root_storage(fs),
                                     {listed(image)});
  EXPECT_EQ(result.level, CheckLevel::Ok) << result.seen;
}

TEST(CheckInitrd, RaidNeedsMdadmAndPersonality) {
  FakeFileSystem fs;
  fs.add_file("/proc/mounts", "/dev/md0 / ext4 rw 0 0\n");
  fs.add_file("/sys/block/md0/md/level", "raid6\n");
  std::string image = make_test_cpio({{"sbin/mdadm", "x"}, {kModules + "md-mod.ko", "x"}}, "lz4");
  auto result = check_initrd_storage(fs, plan_for("6.1.0-10-amd64"), detect_root_storage(fs),
                                     {listed(image)});
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, HasSubstr("module raid456"));
}

TEST(CheckInitrd, UnreadableInitrdWarnsAndNoInitrdFails) {
  FakeFileSystem fs;
  add_encrypted_lvm(fs);
  Plan plan = plan_for("6.1.0-10-amd64");
  auto unreadable =
      check_initrd_storage(fs, plan, detect_root_storage(fs), {listed("fake initramfs\n")});
  EXPECT_EQ(unreadable.level, CheckLevel::Warn);
  plan.initrds.clear();
  EXPECT_EQ(check_initrd_storage(fs, plan, detect_root_storage(fs), {}).level, CheckLevel::Fail);
}

TEST(CheckInitrd, ModuleNames) {
  EXPECT_EQ(module_name_of("lib/modules/6.1/kernel/drivers/md/dm-crypt.ko.xz"), "dm_crypt");
  EXPECT_EQ(module_name_of("kernel/drivers/md/md-mod.ko"), "md_mod");
  EXPECT_EQ(module_name_of("usr/sbin/cryptsetup"), "");
  EXPECT_EQ(module_name_of("lib/modules/6.1/modules.order"), "");
  EXPECT_EQ(module_name_of("x.kox"), "");
}

}  // namespace
}  // namespace warmboot
