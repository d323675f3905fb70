// SPDX-License-Identifier: Apache-2.0
// `warmboot check` end to end through the CLI: output, JSON, exit codes, on fakes and fixture
// roots.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/exit_code.h"
#include "fakes/fake_machine.h"
#include "initrd_builder.h"
#include "os/rooted_filesystem.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CheckCli : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    fs.add_file("/proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
    fs.add_file("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-10-amd64 root=/dev/sda1 ro\n");
    fs.add_file("/proc/self/status", "Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n");
    fs.add_file("/proc/meminfo", "MemAvailable:   4000000 kB\n");
    fs.add_file("/proc/mounts", "/dev/sda1 / ext4 rw 0 0\n");
    fs.add_file("/proc/modules", "ext4 1007616 1 - Live 0x0\n");
    fs.add_file("/boot/config-6.1.0-10-amd64", "CONFIG_KEXEC=y\nCONFIG_KEXEC_FILE=y\n");
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
    fs.add_file("/boot/initrd.img-6.1.0-10-amd64",
                testing::make_test_microcode_cpio() +
                    testing::make_test_cpio({{"init", "#!/bin/sh\n"}}, "zstd"));
    fs.add_dir("/lib/modules/6.1.0-10-amd64");
    fs.add_file("/usr/lib/systemd/libsystemd-shared-252.so", "");
    fs.add_file("/sys/class/watchdog/watchdog0/identity", "i6300ESB timer\n");
  }
  FakeMachine m;
};

TEST_F(CheckCli, AllOkExitsZero) {
  auto run = m.run({"check"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("ok    kexec-syscall"));
  EXPECT_THAT(run.out, HasSubstr("verdict: ok"));
  EXPECT_THAT(run.out, Not(::testing::ContainsRegex("\n +-> ")));  // no remedy line
}

TEST_F(CheckCli, WarningsExitOne) {
  m.fs->add_file("/proc/modules", "nvidia 56500224 0 - Live 0x0 (POE)\n");
  auto run = m.run({"check"});
  EXPECT_EQ(run.code, to_int(ExitCode::CheckWarnings)) << run.out;
  EXPECT_THAT(run.out, HasSubstr("warn  drivers"));
  EXPECT_THAT(run.out, HasSubstr("-> stop what uses them"));
}

TEST_F(CheckCli, FailureExitsTwo) {
  m.fs->add_file("/proc/sys/kernel/kexec_load_disabled", "1\n");
  auto run = m.run({"check"});
  EXPECT_EQ(run.code, to_int(ExitCode::CheckFailures));
  EXPECT_THAT(run.out, HasSubstr("fail  kexec-sysctl"));
  EXPECT_THAT(run.out, HasSubstr("verdict: fail"));
}

TEST_F(CheckCli, JsonListsEveryCheck) {
  auto run = m.run({"--json", "check"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.out;
  auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["verdict"], "ok");
  std::vector<std::string> names;
  for (const auto& check : json["checks"]) {
    names.push_back(check["name"]);
    EXPECT_TRUE(check.contains("level") && check.contains("seen") && check.contains("remedy"));
  }
  EXPECT_THAT(names, ::testing::ElementsAre("kexec-syscall", "kexec-sysctl", "privileges",
                                            "signature", "plan-files", "kernel-format", "memory",
                                            "stage-ahead", "modules", "initrd-storage", "drivers",
                                            "tpm-unlock", "watchdog", "pin", "systemd", "finalrd",
                                            "stop-timeout", "kexec-tools"));
}

// "stage-ahead": the decision enable, the stage-ahead unit and refresh take, with its numbers;
// informational.
TEST_F(CheckCli, StageAheadLineShowsTheDecision) {
  auto run = m.run({"check"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << run.out;
  EXPECT_THAT(run.out, ::testing::ContainsRegex(
                           "ok    stage-ahead +auto: [0-9.]+ KiB payload, 0\\.0% of 3\\.8 GiB "
                           "MemAvailable -> staged ahead after boot \\(not enabled"));
  m.fs->add_file("/proc/meminfo", "MemAvailable:   200000 kB\n");
  EXPECT_THAT(m.run({"check"}).out,
              HasSubstr("-> staged on the way down (less than 256.0 MiB would remain)"));
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[handover]\nstage_ahead = false\n");
  EXPECT_THAT(m.run({"check"}).out, ::testing::ContainsRegex("stage-ahead +off \\(config\\)"));
}

TEST_F(CheckCli, SelectionFlagsChooseThePlanChecked) {
  auto run = m.run({"check", "--kernel", "6.1.0-99-amd64"});
  EXPECT_EQ(run.code, to_int(ExitCode::CheckFailures));
  EXPECT_THAT(run.out, HasSubstr("fail  plan"));
}

TEST_F(CheckCli, EncryptedRootWithoutCryptsetupFails) {
  m.fs->add_file("/proc/mounts", "/dev/mapper/root_crypt / ext4 rw 0 0\n");
  m.fs->add_file("/etc/crypttab", "root_crypt UUID=1 none luks\n");
  auto run = m.run({"check"});
  EXPECT_EQ(run.code, to_int(ExitCode::CheckFailures));
  EXPECT_THAT(run.out, HasSubstr("lacks cryptsetup"));
}

TEST_F(CheckCli, ProcConfigGzIsRead) {
  ASSERT_TRUE(m.fs->remove_file("/boot/config-6.1.0-10-amd64").ok());
  // `printf 'CONFIG_KEXEC_FILE=y\n' | gzip -n -9`
  m.fs->add_file("/proc/config.gz",
                 std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x73\xf6\xf7\x73\xf3\x74"
                             "\x8f\xf7\x76\x8d\x70\x75\x8e\x77\xf3\xf4\x71\xb5\xad\xe4\x02\x00"
                             "\x8d\xd4\x0c\x3e\x14\x00\x00\x00",
                             40));
  auto run = m.run({"check"});
  EXPECT_THAT(run.out, HasSubstr("CONFIG_KEXEC_FILE=y (/proc/config.gz)")) << run.out;
}

// A fixture tree read through the real RootedFileSystem, every other interface a fake.
Machine rooted_machine(std::shared_ptr<FileSystem> fs, FakeMachine& fakes) {
  Machine machine;
  machine.fs = std::move(fs);
  machine.kexec = fakes.kexec;
  machine.systemd = fakes.systemd;
  machine.journal = fakes.journal;
  machine.runner = fakes.runner;
  return machine;
}

TEST(CheckCliRoots, DebianFixture) {
  FakeMachine fakes;
  auto fs = std::make_shared<RootedFileSystem>(std::string(WARMBOOT_TEST_DATA) + "/roots/debian");
  std::ostringstream out, err;
  AppIo io{out, err, {}, [] { return int64_t{1700000000}; }};
  int code = run_app(
      {"--root", "/unused", "check"}, [&](const std::string&) { return rooted_machine(fs, fakes); },
      io);
  // The fixture's kernels and initrds are placeholders: the plan's files are found, the initrd
  // cannot be listed, /lib/modules is absent.
  EXPECT_EQ(code, to_int(ExitCode::CheckFailures)) << out.str() << err.str();
  EXPECT_THAT(out.str(), HasSubstr("CONFIG_KEXEC_FILE=y"));
  EXPECT_THAT(out.str(), HasSubstr("fail  modules"));
}

TEST(CheckCliRoots, SecureBootFixture) {
  FakeMachine fakes;
  auto fs = std::make_shared<RootedFileSystem>(std::string(WARMBOOT_TEST_DATA) +
                                               "/roots/check-secureboot");
  std::ostringstream out, err;
  AppIo io{out, err, {}, [] { return int64_t{1700000000}; }};
  int code = run_app(
      {"--root", "/unused", "--json", "check"},
      [&](const std::string&) { return rooted_machine(fs, fakes); }, io);
  EXPECT_EQ(code, to_int(ExitCode::CheckFailures)) << out.str() << err.str();
  auto json = nlohmann::json::parse(out.str());
  std::map<std::string, std::string> levels;
  for (const auto& check : json["checks"]) levels[check["name"]] = check["level"];
  EXPECT_EQ(levels["signature"], "fail");     // lockdown=integrity, unsigned kernel
  EXPECT_EQ(levels["drivers"], "warn");       // nvidia
  EXPECT_EQ(levels["finalrd"], "fail");       // systemd 245 with finalrd
  EXPECT_EQ(levels["stop-timeout"], "warn");  // 5min drop-in
  EXPECT_EQ(levels["kexec-tools"], "fail");   // systemd 245 runs kexec -e itself
  EXPECT_EQ(levels["kexec-syscall"], "ok");
  EXPECT_EQ(levels["memory"], "ok");
  EXPECT_EQ(levels["modules"], "ok");
  EXPECT_EQ(levels["initrd-storage"], "ok");  // root on /dev/sda2
  EXPECT_EQ(json["verdict"], "fail");
}

}  // namespace
}  // namespace warmboot
