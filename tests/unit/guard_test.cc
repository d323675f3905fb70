// SPDX-License-Identifier: Apache-2.0
// The guard, end to end on fakes: a warm reboot that came back through the firmware, or with a
// device missing, is recorded as such and pins the host cold until `warmboot unpin`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/exit_code.h"
#include "core/guard_pin.h"
#include "core/state_paths.h"
#include "fakes/fake_machine.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class GuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    m.running("6.1.0-9-amd64", "old-boot");
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
    fs.add_file("/sys/devices/system/cpu/online", "0-1\n");
    fs.add_dir("/sys/block/vda");
    boot_params(0x21);  // the firmware's EFI stub
  }
  void boot_params(unsigned char loader) {
    std::string data(0x300, '\0');
    data[0x210] = static_cast<char>(loader);
    m.fs->add_file("/sys/kernel/boot_params/data", data);
  }
  // The next boot: a new boot_id, nothing staged; `loader` says how it began.
  void next_boot(unsigned char loader, const std::string& boot_id) {
    m.fs->add_file("/proc/sys/kernel/random/boot_id", boot_id + "\n");
    m.fs->add_file("/proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
    boot_params(loader);
    m.kexec->set_loaded(false);
    m.clock += 60;
  }
  nlohmann::json newest() {
    auto list = nlohmann::json::parse(m.run({"--json", "history"}).out);
    return list.empty() ? nlohmann::json() : list.back();
  }
  FakeMachine m;
};

TEST_F(GuardTest, AWarmRebootThatCameBackColdPinsTheHostUntilUnpin) {
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  next_boot(0x21, "second-boot");  // came through the firmware: the handover hung or reset
  auto recorded = m.run({"history", "record"});
  ASSERT_EQ(recorded.code, to_int(ExitCode::Ok)) << recorded.err;
  EXPECT_THAT(recorded.err, HasSubstr("WARM REBOOT WENT WRONG"));
  EXPECT_EQ(newest()["kind"], "warm-failed");
  EXPECT_TRUE(m.journal->contains("came back cold through the firmware"));
  auto pin = read_pin(*m.fs);
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->boot_id, "second-boot");
  EXPECT_THAT(m.run({"status"}).out, HasSubstr("guard: pinned cold since"));
  EXPECT_THAT(m.run({"check"}).out, HasSubstr("warn  pin"));

  // Pinned: `reboot` goes cold, saying why; nothing is staged.
  auto cold = m.run({"reboot", "--yes"});
  EXPECT_EQ(cold.code, to_int(ExitCode::Ok));
  EXPECT_THAT(cold.err, HasSubstr("pinned cold"));
  ASSERT_EQ(m.systemd->reboots().size(), 2u);
  EXPECT_FALSE(m.systemd->reboots().back().kexec);
  EXPECT_FALSE(m.kexec->loaded());
  EXPECT_EQ(m.run({"reboot", "--yes", "--no-fallback"}).code, to_int(ExitCode::Pinned));

  // --ignore-pin once; `unpin` for good.
  auto once = m.run({"reboot", "--yes", "--ignore-pin"});
  EXPECT_EQ(once.code, to_int(ExitCode::Ok)) << once.err;
  EXPECT_TRUE(m.systemd->reboots().back().kexec);
  auto unpinned = m.run({"unpin"});
  EXPECT_EQ(unpinned.code, to_int(ExitCode::Ok));
  EXPECT_THAT(unpinned.out, HasSubstr("unpinned"));
  EXPECT_FALSE(read_pin(*m.fs));
  EXPECT_THAT(m.run({"unpin"}).out, HasSubstr("not pinned"));
}

TEST_F(GuardTest, AWarmBootMissingACpuIsARegression) {
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  auto handover = nlohmann::json::parse(*m.fs->read_file(kHandoverPath));
  EXPECT_EQ(handover["health"]["online_cpus"], 2);
  next_boot(0xd0, "second-boot");  // warm, but with maxcpus=1
  m.fs->add_file("/sys/devices/system/cpu/online", "0\n");
  ASSERT_EQ(m.run({"history", "record"}).code, to_int(ExitCode::Ok));
  auto entry = newest();
  EXPECT_EQ(entry["kind"], "warm");
  EXPECT_EQ(entry["health_regressions"][0], "online CPUs 2 -> 1");
  EXPECT_TRUE(read_pin(*m.fs));
  EXPECT_THAT(m.run({"history"}).out, HasSubstr("lost: online CPUs 2 -> 1"));
}

// udev may still be probing after multi-user.target: a driver that binds a little later is fine.
TEST_F(GuardTest, ADriverThatBindsLateIsNoRegression) {
  m.fs->add_dir("/sys/bus/pci/devices/0000:00:01.1");
  m.fs->add_file("/sys/bus/pci/drivers/ata_piix/0000:00:01.1", "");
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  next_boot(0xd0, "second-boot");
  ASSERT_TRUE(m.fs->remove_file("/sys/bus/pci/drivers/ata_piix/0000:00:01.1").ok());
  const double start = m.clock;
  m.on_sleep = [&](double now) {
    if (now - start >= 8) m.fs->add_file("/sys/bus/pci/drivers/ata_piix/0000:00:01.1", "");
  };
  auto recorded = m.run({"history", "record"});
  EXPECT_THAT(recorded.err, Not(HasSubstr("WENT WRONG")));
  EXPECT_TRUE(newest()["health_regressions"].empty());
  EXPECT_FALSE(read_pin(*m.fs));
}

TEST_F(GuardTest, PolicyWarnOnlySaysSo) {
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[guard]\non_failure = \"warn\"\n");
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  next_boot(0x21, "second-boot");
  auto recorded = m.run({"history", "record"});
  EXPECT_THAT(recorded.err, HasSubstr("not pinned"));
  EXPECT_FALSE(read_pin(*m.fs));
  EXPECT_EQ(m.run({"--json", "plan"}).code, 0);
}

TEST_F(GuardTest, AHealthyWarmRebootPinsNothing) {
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  next_boot(0xd0, "second-boot");
  auto recorded = m.run({"history", "record"});
  EXPECT_THAT(recorded.err, Not(HasSubstr("WENT WRONG")));
  EXPECT_EQ(newest()["kind"], "warm");
  EXPECT_TRUE(newest()["health_regressions"].empty());
  EXPECT_FALSE(read_pin(*m.fs));
}

TEST_F(GuardTest, BadGuardPolicyIsABadConfig) {
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[guard]\non_failure = \"reboot\"\n");
  EXPECT_EQ(m.run({"plan"}).code, to_int(ExitCode::BadConfig));
}

}  // namespace
}  // namespace warmboot
