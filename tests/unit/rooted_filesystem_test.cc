// SPDX-License-Identifier: Apache-2.0
#include "os/rooted_filesystem.h"

#include <fcntl.h>
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
  EXPECT_EQ(*fs.list_dir("/run/warmboot"), std::vector<std::string>{"staged.json"});
  ASSERT_TRUE(fs.remove_file("/run/warmboot/staged.json"));
  EXPECT_FALSE(fs.exists("/run/warmboot/staged.json"));
  EXPECT_TRUE(fs.remove_file("/run/warmboot/staged.json"));  // already gone is fine
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The fixed temporary name of old (.NAME.tmp) could be planted as a link to any file, which root
// then overwrote. The temporary file now gets a name nobody can guess, created O_EXCL|O_NOFOLLOW.
TEST_F(RootedFileSystemTest, APlantedTemporaryLinkIsNotFollowed) {
  std::string outside = dir_ + "-outside";
  std::ofstream(outside) << "precious";
  std::filesystem::create_directories(dir_ + "/metrics");
  std::filesystem::create_symlink(outside, dir_ + "/metrics/.warmboot.prom.tmp");
  RootedFileSystem fs(dir_);
  ASSERT_TRUE(fs.write_file("/metrics/warmboot.prom", "warmboot_staged 1\n"));
  EXPECT_EQ(slurp(outside), "precious");
  EXPECT_EQ(slurp(dir_ + "/metrics/warmboot.prom"), "warmboot_staged 1\n");
  std::filesystem::remove(outside);
}

TEST_F(RootedFileSystemTest, ATargetThatIsALinkIsRefused) {
  std::string outside = dir_ + "-outside";
  std::ofstream(outside) << "precious";
  std::filesystem::create_directories(dir_ + "/var/lib/warmboot");
  std::filesystem::create_symlink(outside, dir_ + "/var/lib/warmboot/history.json");
  RootedFileSystem fs(dir_);
  Status written = fs.write_file("/var/lib/warmboot/history.json", "[]\n");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ELOOP);
  EXPECT_EQ(slurp(outside), "precious");
  EXPECT_TRUE(std::filesystem::is_symlink(dir_ + "/var/lib/warmboot/history.json"));
  std::filesystem::remove(outside);
}

TEST_F(RootedFileSystemTest, WritingLeavesNoTemporaryFileBehind) {
  RootedFileSystem fs(dir_);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(fs.write_file("/state/a.json", std::to_string(i)));
  auto names = fs.list_dir("/state");
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, std::vector<std::string>{"a.json"});
  EXPECT_EQ(slurp(dir_ + "/state/a.json"), "2");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/state/a.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
}

// A FIFO where a file should be used to hang `list` for ever (opening it blocks until a writer
// comes); device nodes have effects when opened. Neither is opened now.
TEST_F(RootedFileSystemTest, AFifoIsRefusedNotOpened) {
  std::filesystem::create_directories(dir_ + "/boot/grub");
  ASSERT_EQ(::mkfifo((dir_ + "/boot/grub/grubenv").c_str(), 0644), 0);
  RootedFileSystem fs(dir_);
  auto text = fs.read_file("/boot/grub/grubenv");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, EINVAL);
  EXPECT_FALSE(fs.read_prefix("/boot/grub/grubenv", 16));
  EXPECT_FALSE(fs.open_read("/boot/grub/grubenv"));
  auto info = fs.stat("/boot/grub/grubenv");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->type, FileInfo::Type::Other);
}

TEST_F(RootedFileSystemTest, IdentityChangesWhenAFileIsRewrittenInPlace) {
  RootedFileSystem fs(dir_);
  auto before = fs.stat("/boot/vmlinuz-6.1.0-9-amd64");
  ASSERT_TRUE(before);
  struct timespec later[2] = {{0, UTIME_OMIT}, {1234567, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (dir_ + "/boot/vmlinuz-6.1.0-9-amd64").c_str(), later, 0), 0);
  auto after = fs.stat("/boot/vmlinuz-6.1.0-9-amd64");
  ASSERT_TRUE(after);
  EXPECT_EQ(before->identity.inode, after->identity.inode);
  EXPECT_NE(before->identity, after->identity);
}

TEST_F(RootedFileSystemTest, ALockIsExclusiveAndNamesItsHolder) {
  RootedFileSystem fs(dir_);
  auto first = fs.lock("/run/warmboot/lock", "warmboot load", 0);
  ASSERT_TRUE(first) << first.error().str();
  RootedFileSystem other(dir_);  // another open file description, as another process would have
  auto second = other.lock("/run/warmboot/lock", "warmboot reboot", 0.3);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, EBUSY);
  EXPECT_NE(second.error().message.find("warmboot load (pid "), std::string::npos)
      << second.error().message;
  *first = HeldLock();
  EXPECT_TRUE(other.lock("/run/warmboot/lock", "warmboot reboot", 0.3));
}

TEST_F(RootedFileSystemTest, RenamesWithinTheRoot) {
  RootedFileSystem fs(dir_);
  ASSERT_TRUE(fs.write_file("/var/lib/warmboot/history.json", "junk"));
  ASSERT_TRUE(
      fs.rename_file("/var/lib/warmboot/history.json", "/var/lib/warmboot/history.json.corrupt-x"));
  EXPECT_FALSE(fs.exists("/var/lib/warmboot/history.json"));
  EXPECT_EQ(*fs.read_file("/var/lib/warmboot/history.json.corrupt-x"), "junk");
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
