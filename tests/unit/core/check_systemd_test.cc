// SPDX-License-Identifier: Apache-2.0
// systemd facts: version, plain reboot, finalrd, DefaultTimeoutStopSec, kexec-tools.
#include "core/check_systemd.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "core/systemd_config.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;

TEST(CheckSystemd, VersionFromLibraryName) {
  FakeFileSystem fs;
  EXPECT_EQ(systemd_version_from_files(fs), 0);
  fs.add_file("/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-255.so", "");
  EXPECT_EQ(systemd_version_from_files(fs), 255);
  fs.add_file("/usr/lib/systemd/libsystemd-shared-252.so", "");
  EXPECT_EQ(systemd_version_from_files(fs), 252);
  FakeFileSystem fedora;
  fedora.add_file("/usr/lib64/systemd/libsystemd-shared-254.5-2.fc39.so", "");
  EXPECT_EQ(systemd_version_from_files(fedora), 254);
}

TEST(CheckSystemd, PlainRebootByVersion) {
  auto old = check_systemd(true, 252);
  EXPECT_EQ(old.level, CheckLevel::Ok);
  EXPECT_THAT(old.seen, HasSubstr("`systemctl reboot` reboots cold"));
  EXPECT_THAT(check_systemd(true, 255).seen, HasSubstr("`systemctl reboot` go warm"));
  EXPECT_EQ(check_systemd(true, 0).level, CheckLevel::Warn);
  EXPECT_EQ(check_systemd(false, 252).level, CheckLevel::Warn);
}

TEST(CheckSystemd, Finalrd) {
  FakeFileSystem fs;
  EXPECT_EQ(check_finalrd(fs, 245).level, CheckLevel::Ok);
  fs.add_file("/lib/systemd/system/finalrd.service", "[Unit]\n");
  auto trap = check_finalrd(fs, 245);
  EXPECT_EQ(trap.level, CheckLevel::Fail);
  EXPECT_THAT(trap.remedy, HasSubstr("apt remove finalrd"));
  EXPECT_EQ(check_finalrd(fs, 0).level, CheckLevel::Warn);
  EXPECT_EQ(check_finalrd(fs, 252).level, CheckLevel::Ok);
}

TEST(CheckSystemd, Timespans) {
  EXPECT_EQ(parse_timespan("90"), 90);
  EXPECT_EQ(parse_timespan("90s"), 90);
  EXPECT_EQ(parse_timespan("1min 30s"), 90);
  EXPECT_EQ(parse_timespan("1min30s"), 90);
  EXPECT_EQ(parse_timespan("2h"), 7200);
  EXPECT_EQ(parse_timespan("500ms"), 0.5);
  EXPECT_TRUE(std::isinf(*parse_timespan("infinity")));
  EXPECT_EQ(parse_timespan("ten"), std::nullopt);
  EXPECT_EQ(parse_timespan("5 parsecs"), std::nullopt);
  EXPECT_EQ(parse_timespan(""), std::nullopt);
}

TEST(CheckSystemd, StopTimeoutDropInOrder) {
  FakeFileSystem fs;
  EXPECT_EQ(default_timeout_stop(fs).seconds, 90);
  fs.add_file("/etc/systemd/system.conf",
              "[Manager]\n#DefaultTimeoutStopSec=90s\n"
              "DefaultTimeoutStopSec=30s\n");
  EXPECT_EQ(default_timeout_stop(fs).seconds, 30);
  fs.add_file("/usr/lib/systemd/system.conf.d/10-vendor.conf",
              "[Manager]\nDefaultTimeoutStopSec=10min\n");
  fs.add_file("/usr/lib/systemd/system.conf.d/20-hidden.conf",
              "[Manager]\nDefaultTimeoutStopSec=infinity\n");
  // Same name in /etc hides the vendor's file.
  fs.add_file("/etc/systemd/system.conf.d/20-hidden.conf", "[Manager]\nDefaultTimeoutStopSec=\n");
  StopTimeout timeout = default_timeout_stop(fs);
  EXPECT_EQ(timeout.seconds, 90);  // the empty assignment restores the default
  EXPECT_EQ(timeout.origin, "/etc/systemd/system.conf.d/20-hidden.conf");
  fs.add_file("/etc/systemd/system.conf.d/99-slow.conf",
              "[Service]\nDefaultTimeoutStopSec=1s\n[Manager]\nDefaultTimeoutStopSec=3min\n");
  auto result = check_stop_timeout(fs);
  EXPECT_EQ(result.level, CheckLevel::Warn);
  EXPECT_THAT(result.seen, HasSubstr("DefaultTimeoutStopSec=3min (/etc/systemd/system.conf.d/99-"));
}

TEST(CheckSystemd, StopTimeoutLevels) {
  FakeFileSystem fs;
  EXPECT_EQ(check_stop_timeout(fs).level, CheckLevel::Ok);
  fs.add_file("/etc/systemd/system.conf", "[Manager]\nDefaultTimeoutStopSec=infinity\n");
  EXPECT_THAT(check_stop_timeout(fs).seen, HasSubstr("forever"));
  fs.add_file("/etc/systemd/system.conf", "[Manager]\nDefaultTimeoutStopSec=1min 30s\n");
  EXPECT_EQ(check_stop_timeout(fs).level, CheckLevel::Ok);
}

TEST(CheckSystemd, KexecTools) {
  FakeFileSystem fs;
  const KexecSyscalls both{true, true}, legacy_only{false, true}, none{false, false};
  EXPECT_EQ(check_kexec_tools(fs, both, 252).level, CheckLevel::Ok);
  EXPECT_EQ(check_kexec_tools(fs, std::nullopt, 252).level, CheckLevel::Ok);
  EXPECT_EQ(check_kexec_tools(fs, legacy_only, 252).level, CheckLevel::Fail);
  EXPECT_THAT(check_kexec_tools(fs, none, 252).seen, HasSubstr("no kexec at all"));
  EXPECT_EQ(check_kexec_tools(fs, both, 245).level, CheckLevel::Fail);
  fs.add_file("/usr/sbin/kexec", "ELF", 0755);
  auto present = check_kexec_tools(fs, legacy_only, 245);
  EXPECT_EQ(present.level, CheckLevel::Ok);
  EXPECT_THAT(present.seen, HasSubstr("/usr/sbin/kexec"));
}

}  // namespace
}  // namespace warmboot
