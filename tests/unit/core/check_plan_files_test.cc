// SPDX-License-Identifier: Apache-2.0
// The planned files: presence, permissions, memory, modules directory.
#include "core/check_plan_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;

class CheckPlanFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", std::string(4000, 'k'));
    fs.add_file("/boot/initrd.img-6.1.0-10-amd64", std::string(6000, 'i'));
    fs.add_file("/proc/meminfo", "MemTotal:  16000 kB\nMemAvailable:   100 kB\n");
    fs.add_dir("/lib/modules/6.1.0-10-amd64");
    plan.kernel = "/boot/vmlinuz-6.1.0-10-amd64";
    plan.initrds = {"/boot/initrd.img-6.1.0-10-amd64"};
    plan.version = "6.1.0-10-amd64";
  }
  FakeFileSystem fs;
  Plan plan;
};

TEST_F(CheckPlanFiles, AllGood) {
  auto result = check_plan_files(fs, plan);
  EXPECT_EQ(result.level, CheckLevel::Ok) << result.seen;
  EXPECT_THAT(result.seen, HasSubstr("2 files"));
}

TEST_F(CheckPlanFiles, MissingInitrdFails) {
  plan.initrds.push_back("/boot/initrd.img-gone");
  auto result = check_plan_files(fs, plan);
  EXPECT_EQ(result.level, CheckLevel::Fail);
  EXPECT_THAT(result.seen, HasSubstr("/boot/initrd.img-gone"));
}

TEST_F(CheckPlanFiles, UnreadableFails) {
  fs.add_unreadable("/boot/initrd.img-6.1.0-10-amd64", EACCES);
  EXPECT_EQ(check_plan_files(fs, plan).level, CheckLevel::Fail);
}

TEST_F(CheckPlanFiles, EmptyFails) {
  fs.add_file("/boot/initrd.img-6.1.0-10-amd64", "");
  EXPECT_EQ(check_plan_files(fs, plan).level, CheckLevel::Fail);
}

TEST_F(CheckPlanFiles, WritableOrForeignOwnedWarns) {
  fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", "kernel", 0666);
  fs.add_file("/boot/initrd.img-6.1.0-10-amd64", "initrd", 0644, 1000);
  auto result = check_plan_files(fs, plan);
  EXPECT_EQ(result.level, CheckLevel::Warn);
  EXPECT_THAT(result.seen, HasSubstr("mode 0666"));
  EXPECT_THAT(result.seen, HasSubstr("uid 1000"));
}

TEST_F(CheckPlanFiles, Memory) {
  // 10000 bytes against 100 kB available: fine.
  EXPECT_EQ(check_plan_memory(fs, plan).level, CheckLevel::Ok);
  fs.add_file("/proc/meminfo", "MemAvailable:   15 kB\n");
  EXPECT_EQ(check_plan_memory(fs, plan).level, CheckLevel::Warn);
  fs.add_file("/proc/meminfo", "MemAvailable:   5 kB\n");
  EXPECT_EQ(check_plan_memory(fs, plan).level, CheckLevel::Fail);
  fs.add_file("/proc/meminfo", "MemTotal: 5 kB\n");
  EXPECT_EQ(check_plan_memory(fs, plan).level, CheckLevel::Warn);
  EXPECT_EQ(meminfo_bytes("MemAvailable:    2 kB\n", "MemAvailable"), 2048u);
  EXPECT_EQ(meminfo_bytes("MemAvailableX: 2 kB\n", "MemAvailable"), std::nullopt);
}

TEST_F(CheckPlanFiles, Modules) {
  EXPECT_EQ(check_plan_modules(fs, plan).level, CheckLevel::Ok);
  plan.version = "6.1.0-11-amd64";
  auto missing = check_plan_modules(fs, plan);
  EXPECT_EQ(missing.level, CheckLevel::Fail);
  EXPECT_THAT(missing.seen, HasSubstr("/lib/modules/6.1.0-11-amd64"));
  fs.add_dir("/usr/lib/modules/6.1.0-11-amd64");
  EXPECT_EQ(check_plan_modules(fs, plan).level, CheckLevel::Ok);
  plan.version.reset();
  EXPECT_EQ(check_plan_modules(fs, plan).level, CheckLevel::Warn);
}

}  // namespace
}  // namespace warmboot
