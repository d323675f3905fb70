// SPDX-License-Identifier: Apache-2.0
// read_grub_menu: finding grub.cfg and grubenv, and resolving paths, on fakes and fixture roots.
#include <gtest/gtest.h>

#include "core/grub_env.h"
#include "core/grub_menu.h"
#include "fakes/fake_filesystem.h"
#include "os/rooted_filesystem.h"

namespace warmboot {
namespace {

std::string env_block(std::string body) {
  std::string out = std::string(kGrubEnvSignature) + body;
  return out + std::string(1024 - out.size(), '#');
}

GrubMenu read_ok(const FileSystem& fs) {
  Result<std::optional<GrubMenu>> menu = read_grub_menu(fs, {});
  EXPECT_TRUE(menu.ok()) << menu.error().str();
  if (!menu.ok() || !menu->has_value()) {
    ADD_FAILURE() << "no menu";
    return {};
  }
  return **menu;
}

TEST(GrubReadMenu, NoGrubCfgIsNullopt) {
  FakeFileSystem fs;
  fs.add_file("/boot/vmlinuz-6.1", "k");
  fs.add_dir("/boot/efi/EFI/BOOT");
  Result<std::optional<GrubMenu>> menu = read_grub_menu(fs, {});
  ASSERT_TRUE(menu.ok());
  EXPECT_FALSE(menu->has_value());
}

TEST(GrubReadMenu, SearchOrderAndEfiDirectories) {
  FakeFileSystem fs;
  fs.add_file("/boot/efi/EFI/BOOT/BOOTX64.EFI", "pe");
  fs.add_file("/boot/efi/EFI/fedora/grub.cfg", "menuentry 'efi' { linux /vmlinuz-1.0 }");
  fs.add_file("/boot/vmlinuz-1.0", "k");
  EXPECT_EQ(read_ok(fs).entries.at(0).source_file, "/boot/efi/EFI/fedora/grub.cfg");
  fs.add_file("/boot/grub2/grub.cfg", "menuentry 'grub2' { linux /vmlinuz-1.0 }");
  EXPECT_EQ(read_ok(fs).entries.at(0).title, "grub2");
  fs.add_file("/boot/grub/grub.cfg", "menuentry 'grub' { linux /vmlinuz-1.0 }");
  EXPECT_EQ(read_ok(fs).entries.at(0).title, "grub");
}

TEST(GrubReadMenu, GrubenvBesideTheConfig) {
  FakeFileSystem fs;
  fs.add_file("/boot/grub2/grub.cfg",
              "load_env\nset default=\"${saved_entry}\"\nmenuentry 'a' { linux /a }\n"
              "menuentry 'b' { linux /b }\n");
  fs.add_file("/boot/grub2/grubenv", env_block("saved_entry=b\n"));
  fs.add_file("/boot/a", "k");
  fs.add_file("/boot/b", "k");
  GrubMenu menu = read_ok(fs);
  EXPECT_EQ(menu.default_index, 1u);
  EXPECT_EQ(menu.default_reason, "saved_entry=b");
}

TEST(GrubReadMenu, DamagedGrubenvIsAWarning) {
  FakeFileSystem fs;
  fs.add_file("/boot/grub/grub.cfg",
              "load_env\nset default=\"${saved_entry}\"\n"
              "menuentry 'a' { linux /boot/a }\n");
  fs.add_file("/boot/grub/grubenv", std::string("\x7f"
                                                "ELF\0\0\0",
                                                7));
  fs.add_file("/boot/a", "k");
  GrubMenu menu = read_ok(fs);
  EXPECT_EQ(menu.default_index, 0u);
  ASSERT_EQ(menu.warnings.size(), 1u);
  EXPECT_NE(menu.warnings[0].find("/boot/grub/grubenv"), std::string::npos);
  EXPECT_NE(menu.warnings[0].find("GRUB loads no variables"), std::string::npos);
}

TEST(GrubReadMenu, UnreadableGrubCfgIsAnError) {
  FakeFileSystem fs;
  fs.add_file("/boot/grub/grub.cfg", "menuentry 'a' { linux /a ");
  Result<std::optional<GrubMenu>> menu = read_grub_menu(fs, {});
  ASSERT_FALSE(menu.ok());
  EXPECT_EQ(menu.error().file, "/boot/grub/grub.cfg");
}

TEST(GrubReadMenu, PathsResolveAgainstTheRootThenBoot) {
  FakeFileSystem fs;
  fs.add_file("/boot/grub/grub.cfg",
              "menuentry 'a' { linux /vmlinuz-6.1.0-9-amd64 ro; initrd /initrd.img-6.1.0-9-amd64 "
              "/boot/intel-ucode.img }\nmenuentry 'gone' { linux /vmlinuz-0.1 }\n");
  fs.add_file("/boot/vmlinuz-6.1.0-9-amd64", "k");
  fs.add_file("/boot/initrd.img-6.1.0-9-amd64", "i");
  fs.add_file("/boot/intel-ucode.img", "u");
  GrubMenu menu = read_ok(fs);
  ASSERT_EQ(menu.entries.size(), 2u);
  EXPECT_EQ(menu.entries[0].kernel, "/boot/vmlinuz-6.1.0-9-amd64");
  EXPECT_EQ(menu.entries[0].initrds,
            (std::vector<std::string>{"/boot/initrd.img-6.1.0-9-amd64", "/boot/intel-ucode.img"}));
  EXPECT_EQ(menu.entries[1].kernel, "/vmlinuz-0.1");
  ASSERT_EQ(menu.warnings.size(), 1u);
  EXPECT_EQ(menu.warnings[0], "entry 'gone': /vmlinuz-0.1 not found (nor /boot/vmlinuz-0.1)");
}

std::string root_of(const std::string& name) {
  return std::string(WARMBOOT_TEST_DATA) + "/roots/" + name;
}

TEST(GrubReadMenuFixtures, Debian) {
  RootedFileSystem fs(root_of("debian"));
  GrubMenu menu = read_ok(fs);
  ASSERT_EQ(menu.entries.size(), 5u);
  EXPECT_TRUE(menu.warnings.empty()) << menu.warnings.at(0);
  ASSERT_EQ(menu.default_index, 3u);
  const BootEntry& e = menu.entries[3];
  EXPECT_EQ(e.title,
            "Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux 6.1.0-9-amd64");
  EXPECT_EQ(e.kernel, "/boot/vmlinuz-6.1.0-9-amd64");
  EXPECT_EQ(e.initrds, std::vector<std::string>{"/boot/initrd.img-6.1.0-9-amd64"});
  EXPECT_EQ(e.options, "root=UUID=3f1c5a2e-8d4b-4a7e-9f2c-1b6d0e5a7c21 ro quiet");
  EXPECT_EQ(e.version, "6.1.0-9-amd64");
  EXPECT_EQ(e.source_file, "/boot/grub/grub.cfg");
}

TEST(GrubReadMenuFixtures, Ubuntu) {
  RootedFileSystem fs(root_of("ubuntu"));
  GrubMenu menu = read_ok(fs);
  ASSERT_EQ(menu.entries.size(), 8u);
  EXPECT_TRUE(menu.warnings.empty()) << menu.warnings.at(0);
  ASSERT_EQ(menu.default_index, 3u);
  const BootEntry& e = menu.entries[3];
  EXPECT_EQ(e.id, "gnulinux-5.15.0-88-generic-advanced-b7e2d4f0-5c1a-4e39-8a6d-2f90c3e1d457");
  EXPECT_EQ(e.kernel, "/boot/vmlinuz-5.15.0-88-generic");
  EXPECT_EQ(e.options,
            "root=UUID=b7e2d4f0-5c1a-4e39-8a6d-2f90c3e1d457 ro quiet splash vt.handoff=7");
  EXPECT_EQ(menu.default_reason,
            "saved_entry=gnulinux-advanced-b7e2d4f0-5c1a-4e39-8a6d-2f90c3e1d457>"
            "gnulinux-5.15.0-88-generic-advanced-b7e2d4f0-5c1a-4e39-8a6d-2f90c3e1d457");
}

TEST(GrubReadMenuFixtures, SeparateBootPartition) {
  RootedFileSystem fs(root_of("separate-boot"));
  GrubMenu menu = read_ok(fs);
  ASSERT_EQ(menu.entries.size(), 5u);
  EXPECT_TRUE(menu.warnings.empty()) << menu.warnings.at(0);
  EXPECT_EQ(menu.default_index, 0u);
  EXPECT_EQ(menu.default_reason, "default=0");
  const BootEntry& e = menu.entries[0];
  EXPECT_EQ(e.kernel, "/boot/vmlinuz-6.1.0-10-amd64");
  EXPECT_EQ(e.initrds, std::vector<std::string>{"/boot/initrd.img-6.1.0-10-amd64"});
  EXPECT_EQ(e.options, "root=/dev/mapper/vg0-root ro quiet");
  EXPECT_EQ(e.version, "6.1.0-10-amd64");
}

}  // namespace
}  // namespace warmboot
