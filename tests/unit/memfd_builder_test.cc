// SPDX-License-Identifier: Apache-2.0
// memfd building and the real process runner: copies across file systems, offsets, padding, and
// spawning harmless programs (/bin/sh). No kexec involved.
#include "os/memfd_builder.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "fakes/fake_kexec.h"
#include "os/spawn_process_runner.h"

namespace warmboot {
namespace {

// A real file on disk (not shmem), so copy_file_range into a memfd may need its fallbacks.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/warmboot-memfd-test-XXXXXX";
    fd_ = ::mkstemp(name);
    path_ = name;
    if (fd_ >= 0 && ::write(fd_, content.data(), content.size()) < 0) ::close(fd_);
  }
  ~TempFile() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string path_;
};

TEST(MemfdBuilder, PaddingAfter) {
  EXPECT_EQ(padding_after(0, 4), 0u);
  EXPECT_EQ(padding_after(5, 4), 3u);
  EXPECT_EQ(padding_after(8, 4), 0u);
  EXPECT_EQ(padding_after(11, 4), 1u);
}

TEST(MemfdBuilder, CopiesFromDiskFilesWithOffsets) {
  std::string big(3 << 20, 'x');  // more than one copy chunk
  big[0] = 'A';
  big.back() = 'Z';
  TempFile disk(big);
  TempFile small("0123456789");
  ASSERT_GE(disk.fd(), 0);
  uint64_t total = 0;
  auto joined = concatenate_padded(
      {FdPart{small.fd(), 3, "small", 2}, FdPart{disk.fd(), big.size(), "big", 0}}, "t", &total);
  ASSERT_TRUE(joined.ok()) << joined.error().str();
  std::string bytes = FakeKexec::read_all(joined->get());
  EXPECT_EQ(total, 4 + big.size());
  EXPECT_EQ(bytes.size(), total);
  EXPECT_EQ(bytes.substr(0, 4), std::string("234\0", 4));
  EXPECT_EQ(bytes.substr(4), big);
  EXPECT_EQ(::lseek(joined->get(), 0, SEEK_CUR), 0);  // rewound for the kernel
  // The sources' positions are untouched.
  EXPECT_EQ(::lseek(disk.fd(), 0, SEEK_CUR), static_cast<off_t>(big.size()));
}

TEST(MemfdBuilder, ShortSourceIsAnError) {
  TempFile small("abc");
  auto joined = concatenate_padded({FdPart{small.fd(), 10, "small", 0}}, "t", nullptr);
  ASSERT_FALSE(joined.ok());
  EXPECT_EQ(joined.error().file, "small");
}

TEST(SpawnProcessRunner, ReturnsExitStatus) {
  SpawnProcessRunner runner;
  ASSERT_TRUE(runner.is_executable("/bin/sh"));
  EXPECT_FALSE(runner.is_executable("/nonexistent/kexec"));
  EXPECT_FALSE(runner.is_executable("/tmp"));
  auto ok = runner.run({"/bin/sh", "-c", "exit 0"});
  ASSERT_TRUE(ok.ok()) << ok.error().str();
  EXPECT_EQ(*ok, 0);
  EXPECT_EQ(*runner.run({"/bin/sh", "-c", "exit 3"}), 3);
}

TEST(SpawnProcessRunner, ReportsSignalsAndStartFailures) {
  SpawnProcessRunner runner;
  auto killed = runner.run({"/bin/sh", "-c", "kill -TERM $$"});
  ASSERT_FALSE(killed.ok());
  EXPECT_NE(killed.error().message.find("SIGTERM"), std::string::npos) << killed.error().str();
  auto missing = runner.run({"/nonexistent/kexec", "-l"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ENOENT);
  EXPECT_FALSE(runner.run({"relative/path"}).ok());
}

}  // namespace
}  // namespace warmboot
