// SPDX-License-Identifier: Apache-2.0
#include "os/rooted_filesystem.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace warmboot {
namespace {

class RootedFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/warmboot-rootfs-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::filesystem::create_directories(dir_ + "/boot");
    std::ofstream(dir_ + "/boot/vmlinuz-6.1.0-9-amd64") << "kernel";
    std::filesystem::create_symlink("/boot/vmlinuz-6.1.0-9-amd64", dir_ + "/vmlinuz");
    std::filesystem::create_symlink("/etc/shadow", dir_ + "/escape");
    std::filesystem::create_symlink("../../../../../../etc/passwd", dir_ + "/boot/up");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(RootedFileSystemTest, AbsoluteSymlinksResolveInsideTheRoot) {
  RootedFileSystem fs(dir_);
  auto content = fs.read_file("/vmlinuz");
  ASSERT_TRUE(content) << content.error().str();
  EXPECT_EQ(*content, "kernel");
}

TEST_F(RootedFileSystemTest, SymlinksCannotEscapeTheRoot) {
  RootedFileSystem fs(dir_);
  auto shadow = fs.read_file("/escape");
  ASSERT_FALSE(shadow);
  EXPECT_EQ(shadow.error().code, ENOENT);
  EXPECT_FALSE(fs.read_file("/boot/up"));  // clamps at the root: /etc/passwd is not in the tree
}

TEST_F(RootedFileSystemTest, ListsSortedWithoutDots) {
  RootedFileSystem fs(dir_);
  auto names = fs.list_dir("/");
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"boot", "escape", "vmlinuz"}));
}

TEST_F(RootedFileSystemTest, StatReportsTypeSizeAndMode) {
  RootedFileSystem fs(dir_);
  ASSERT_EQ(::chmod((dir_ + "/boot/vmlinuz-6.1.0-9-amd64").c_str(), 0600), 0);
  auto info = fs.stat("/vmlinuz");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->type, FileInfo::Type::Regular);
  EXPECT_EQ(info->size, 6u);
  EXPECT_EQ(info->mode, 0600u);
  EXPECT_TRUE(fs.is_dir("/boot"));
  EXPECT_FALSE(fs.exists("/nope"));
}

TEST_F(RootedFileSystemTest, ReadFileHonoursLimitAndPrefix) {
  RootedFileSystem fs(dir_);
  auto big = fs.read_file("/vmlinuz", 3);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, EFBIG);
  auto head = fs.read_prefix("/vmlinuz", 3);
  ASSERT_TRUE(head);
  EXPECT_EQ(*head, "ker");
}

TEST_F(RootedFileSystemTest, WritesAtomicallyCreatingDirectoriesThenRemoves) {
  RootedFileSystem fs(dir_);
  ASSERT_TRUE(fs.write_file("/run/warmboot/staged.json", "{}\n"));
  std::ifstream in(dir_ + "/run/warmboot/staged.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "{}\n");
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/run/warmboot/.staged.json.tmp"));
  ASSERT_TRUE(fs.remove_file("/run/warmboot/staged.json"));
  EXPECT_FALSE(fs.exists("/run/warmboot/staged.json"));
  EXPECT_TRUE(fs.remove_file("/run/warmboot/staged.json"));  // already gone is fine
}

TEST_F(RootedFileSystemTest, MissingRootIsAnErrorNotACrash) {
  RootedFileSystem fs(dir_ + "/does-not-exist");
  auto content = fs.read_file("/x");
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().code, ENOENT);
}

TEST(JoinPath, Normalises) {
  EXPECT_EQ(join_path("/boot", "vmlinuz"), "/boot/vmlinuz");
  EXPECT_EQ(join_path("/boot", "/x//y/./z/.."), "/x/y");
  EXPECT_EQ(join_path("/", "../.."), "/");
  EXPECT_EQ(dirname_of("/boot/vmlinuz"), "/boot");
  EXPECT_EQ(dirname_of("/vmlinuz"), "/");
  EXPECT_EQ(basename_of("/boot/vmlinuz/"), "vmlinuz");
}

}  // namespace
}  // namespace warmboot
