// SPDX-License-Identifier: Apache-2.0
// Kernel support checks: kexec syscalls in the configuration, sysctls, CAP_SYS_BOOT.
#include "core/check_kernel_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/kernel_config.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;

std::optional<FoundKernelConfig> config(std::string text) {
  return FoundKernelConfig{KernelConfig::parse(text), "/boot/config-test"};
}

TEST(CheckKernelConfig, ParsesValuesAndNotSet) {
  KernelConfig c = KernelConfig::parse(
      "# Linux/x86 6.1.0 Kernel Configuration\nCONFIG_KEXEC=y\nCONFIG_KEXEC_FILE=y\n"
      "# CONFIG_KEXEC_SIG_FORCE is not set\nCONFIG_DM_CRYPT=m\nCONFIG_LSM=\"lockdown,yama\"\r\n");
  EXPECT_TRUE(c.enabled("CONFIG_KEXEC_FILE"));
  EXPECT_TRUE(c.enabled("CONFIG_DM_CRYPT"));
  EXPECT_EQ(c.value("CONFIG_KEXEC_SIG_FORCE"), "n");
  EXPECT_FALSE(c.enabled("CONFIG_KEXEC_SIG_FORCE"));
  EXPECT_EQ(c.value("CONFIG_LSM"), "\"lockdown,yama\"");
  EXPECT_EQ(c.value("CONFIG_MISSING"), "");
}

TEST(CheckKernelConfig, FindsBootConfigThenProcConfig) {
  FakeFileSystem fs;
  EXPECT_FALSE(find_kernel_config(fs, "6.1.0", std::nullopt));
  auto proc = find_kernel_config(fs, "6.1.0", std::string("CONFIG_KEXEC=y\n"));
  ASSERT_TRUE(proc);
  EXPECT_EQ(proc->origin, "/proc/config.gz");
  fs.add_file("/usr/lib/modules/6.1.0/config", "CONFIG_KEXEC_FILE=y\n");
  auto modules = find_kernel_config(fs, "6.1.0", std::string("CONFIG_KEXEC=y\n"));
  ASSERT_TRUE(modules);
  EXPECT_EQ(modules->origin, "/usr/lib/modules/6.1.0/config");
  fs.add_file("/boot/config-6.1.0", "CONFIG_KEXEC_FILE=y\n");
  EXPECT_EQ(find_kernel_config(fs, "6.1.0", std::nullopt)->origin, "/boot/config-6.1.0");
}

TEST(CheckKernelSupport, Syscalls) {
  EXPECT_EQ(check_kexec_syscalls(config("CONFIG_KEXEC_FILE=y\n")).level, CheckLevel::Ok);
  auto legacy = check_kexec_syscalls(config("CONFIG_KEXEC=y\n# CONFIG_KEXEC_FILE is not set\n"));
  EXPECT_EQ(legacy.level, CheckLevel::Warn);
  EXPECT_THAT(legacy.remedy, HasSubstr("kexec-tools"));
  EXPECT_EQ(check_kexec_syscalls(config("# CONFIG_KEXEC is not set\n")).level, CheckLevel::Fail);
  EXPECT_EQ(check_kexec_syscalls(std::nullopt).level, CheckLevel::Warn);
}

TEST(CheckKernelSupport, Sysctls) {
  FakeFileSystem fs;
  EXPECT_EQ(check_kexec_sysctls(read_machine_facts(fs, nullptr)).level, CheckLevel::Ok);
  fs.add_file("/proc/sys/kernel/kexec_load_disabled", "0\n");
  fs.add_file("/proc/sys/kernel/kexec_load_limit_reboot", "-1\n");
  auto fine = check_kexec_sysctls(read_machine_facts(fs, nullptr));
  EXPECT_EQ(fine.level, CheckLevel::Ok);
  EXPECT_THAT(fine.seen, HasSubstr("unlimited"));
  fs.add_file("/proc/sys/kernel/kexec_load_limit_reboot", "1\n");
  EXPECT_EQ(check_kexec_sysctls(read_machine_facts(fs, nullptr)).level, CheckLevel::Warn);
  fs.add_file("/proc/sys/kernel/kexec_load_limit_reboot", "0\n");
  EXPECT_EQ(check_kexec_sysctls(read_machine_facts(fs, nullptr)).level, CheckLevel::Fail);
  fs.add_file("/proc/sys/kernel/kexec_load_limit_reboot", "5\n");
  fs.add_file("/proc/sys/kernel/kexec_load_disabled", "1\n");
  auto disabled = check_kexec_sysctls(read_machine_facts(fs, nullptr));
  EXPECT_EQ(disabled.level, CheckLevel::Fail);
  EXPECT_THAT(disabled.seen, HasSubstr("kexec_load_disabled = 1"));
}

TEST(CheckKernelSupport, Privileges) {
  FakeFileSystem fs;
  fs.add_file("/proc/self/status",
              "Name:\twarmboot\nUid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n");
  EXPECT_EQ(check_privileges(fs).level, CheckLevel::Ok);
  // Root in a container whose bounding set dropped CAP_SYS_BOOT (bit 22 = 0x400000).
  fs.add_file("/proc/self/status", "Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffbfffff\n");
  auto container = check_privileges(fs);
  EXPECT_EQ(container.level, CheckLevel::Fail);
  EXPECT_THAT(container.seen, HasSubstr("without CAP_SYS_BOOT"));
  fs.add_file("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n");
  auto user = check_privileges(fs);
  EXPECT_EQ(user.level, CheckLevel::Warn);
  EXPECT_THAT(user.seen, HasSubstr("uid 1000"));
  fs.add_file("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000400000\n");
  EXPECT_EQ(check_privileges(fs).level, CheckLevel::Ok);
}

TEST(CheckKernelSupport, StatusField) {
  EXPECT_EQ(status_field("Uid:\t0\t0\nCapEff:\t00ff\n", "CapEff"), "00ff");
  EXPECT_EQ(status_field("CapEffX:\t1\n", "CapEff"), "");
}

}  // namespace
}  // namespace warmboot
