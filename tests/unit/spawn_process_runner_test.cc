// SPDX-License-Identifier: Apache-2.0
// The real runner on harmless shell scripts in a private directory under /run (root-owned, not
// writable by others, as a hook's ancestors must be): what is checked is what runs, with the plan
// in the environment, within its time limit.
#include "os/spawn_process_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace warmboot {
namespace {

using ::testing::HasSubstr;

class SpawnProcessRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "hooks are checked for root ownership: run as root";
    char tmpl[] = "/run/warmboot-runner-test-XXXXXX";
    if (!::mkdtemp(tmpl)) GTEST_SKIP() << "/run is not writable here";
    dir_ = tmpl;
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string script(const std::string& name, const std::string& body, mode_t mode = 0755) {
    std::string path = dir_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }
  ProcessSpec hook(const std::string& path) {
    return ProcessSpec{{path}, {"WARMBOOT_PHASE=reboot"}, 30, true};
  }
  SpawnProcessRunner runner;
  std::string dir_;
};

TEST_F(SpawnProcessRunnerTest, RunsTheHookWithThePlanInItsEnvironment) {
  std::string out = dir_ + "/out";
  std::string path = script("hooks.d/10-env", "echo \"$WARMBOOT_PHASE $0\" > " + out + "; exit 3");
  auto status = runner.execute(hook(path));
  ASSERT_TRUE(status) << status.error().str();
  EXPECT_EQ(*status, 3);
  EXPECT_THAT(slurp(out), HasSubstr("reboot "));
}

// /usr/bin/env in front used to take "a=b/hook" for an assignment, not a program.
TEST_F(SpawnProcessRunnerTest, ADirectoryWithAnEqualsSignWorks) {
  std::string out = dir_ + "/out";
  std::string path = script("a=b/10-marker", "echo ran > " + out);
  auto status = runner.execute(hook(path));
  ASSERT_TRUE(status) << status.error().str();
  EXPECT_EQ(*status, 0);
  EXPECT_EQ(slurp(out), "ran\n");
}

TEST_F(SpawnProcessRunnerTest, AGroupWritableHookIsRefusedNotRun) {
  std::string out = dir_ + "/out";
  std::string path = script("hooks.d/10-loose", "echo ran > " + out, 0775);
  auto status = runner.execute(hook(path));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, EPERM);
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(SpawnProcessRunnerTest, AWritableAncestorIsRefused) {
  std::string out = dir_ + "/out";
  std::string path = script("open/hooks.d/10-x", "echo ran > " + out);
  ::chmod((dir_ + "/open").c_str(), 0777);
  auto status = runner.execute(hook(path));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, EPERM);
  EXPECT_THAT(status.error().message, HasSubstr(dir_ + "/open"));
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(SpawnProcessRunnerTest, ALinkIsRefusedWhereverItIs) {
  std::string out = dir_ + "/out";
  std::string real = script("real/10-x", "echo ran > " + out);
  std::filesystem::create_directories(dir_ + "/hooks.d");
  std::filesystem::create_symlink(real, dir_ + "/hooks.d/10-link");
  std::filesystem::create_directory_symlink(dir_ + "/real", dir_ + "/linked.d");
  EXPECT_FALSE(runner.execute(hook(dir_ + "/hooks.d/10-link")));
  EXPECT_FALSE(runner.execute(hook(dir_ + "/linked.d/10-x")));
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(SpawnProcessRunnerTest, AHookThatHangsIsKilledAtItsTimeLimit) {
  std::string path = script("hooks.d/10-hang", "sleep 30");
  ProcessSpec spec = hook(path);
  spec.timeout_s = 0.5;
  auto started = std::chrono::steady_clock::now();
  auto status = runner.execute(spec);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ETIMEDOUT);
  EXPECT_LT(took, 10.0);
}

TEST_F(SpawnProcessRunnerTest, AHookThatCannotBeExecutedIsAnError) {
  std::string path = dir_ + "/hooks.d/10-garbage";
  std::filesystem::create_directories(dir_ + "/hooks.d");
  std::ofstream(path) << "\x7f"
                         "ELF but not really";
  ::chmod(path.c_str(), 0755);
  auto status = runner.execute(hook(path));
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("cannot execute"));
}

}  // namespace
}  // namespace warmboot
