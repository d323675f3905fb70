// SPDX-License-Identifier: Apache-2.0
// Pure parts of the systemd handover, the fakes, the journal field naming and the read-only parts
// of LinuxKexec. Nothing here talks to D-Bus or calls kexec/reboot.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <syslog.h>

#include <cerrno>

#include "core/logind_policy.h"
#include "fakes/fake_filesystem.h"
#include "fakes/fake_journal.h"
#include "fakes/fake_kexec.h"
#include "fakes/fake_systemd_client.h"
#include "os/linux_kexec.h"
#include "os/sd_bus_systemd_client.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;

TEST(LogindPolicy, ParsesSystemdVersion) {
  EXPECT_EQ(parse_systemd_version("252.22-1~deb12u1"), 252);
  EXPECT_EQ(parse_systemd_version("252"), 252);
  EXPECT_EQ(parse_systemd_version("257.1"), 257);
  EXPECT_EQ(parse_systemd_version(""), 0);
  EXPECT_EQ(parse_systemd_version("v252"), 0);
}

TEST(LogindPolicy, FlagsForDebian12) {
  EXPECT_EQ(logind_reboot_flags(true, false, 252), kLogindKexecReboot | kLogindRootCheckInhibitors);
  EXPECT_EQ(logind_reboot_flags(true, true, 252), kLogindKexecReboot);  // no SKIP before 257
  EXPECT_EQ(logind_reboot_flags(false, false, 252), kLogindRootCheckInhibitors);
  EXPECT_EQ(logind_reboot_flags(false, true, 252), 0u);
}

TEST(LogindPolicy, FlagsForNewerAndUnknownSystemd) {
  EXPECT_EQ(logind_reboot_flags(true, true, 257), kLogindKexecReboot | kLogindSkipInhibitors);
  EXPECT_EQ(logind_reboot_flags(false, true, 258), kLogindSkipInhibitors);
  EXPECT_EQ(logind_reboot_flags(true, false, 257), kLogindKexecReboot | kLogindRootCheckInhibitors);
  EXPECT_EQ(logind_reboot_flags(true, true, 0), kLogindKexecReboot);
  EXPECT_EQ(kLogindKexecReboot, 2u);
  EXPECT_EQ(kLogindSkipInhibitors, 16u);
}

TEST(LogindPolicy, OnlyBlockingShutdownInhibitorsCount) {
  EXPECT_TRUE(is_shutdown_blocker({"shutdown", "a", "b", "block", 0, 1}));
  EXPECT_TRUE(is_shutdown_blocker({"sleep:shutdown:idle", "a", "b", "block", 0, 1}));
  EXPECT_FALSE(is_shutdown_blocker({"shutdown", "a", "b", "delay", 0, 1}));
  EXPECT_FALSE(is_shutdown_blocker({"shutdown", "a", "b", "block-weak", 0, 1}));
  EXPECT_FALSE(is_shutdown_blocker({"sleep:handle-power-key", "a", "b", "block", 0, 1}));
  EXPECT_FALSE(is_shutdown_blocker({"shutdownx", "a", "b", "block", 0, 1}));
  std::vector<Inhibitor> all{{"sleep", "s", "w", "block", 0, 1},
                             {"shutdown:sleep", "backup", "copying", "block", 0, 42},
                             {"shutdown", "NetworkManager", "tidy", "delay", 0, 7}};
  auto blockers = filter_shutdown_blockers(all);
  ASSERT_EQ(blockers.size(), 1u);
  EXPECT_EQ(blockers[0].who, "backup");
}

TEST(LogindPolicy, BlockedErrorNamesWhoAndWhy) {
  Error e = blocked_by_inhibitors({{"shutdown", "backup.service", "copying /home", "block", 0, 42},
                                   {"shutdown", "GNOME Shell", "unsaved", "block", 1000, 7}});
  EXPECT_EQ(e.code, EBUSY);
  EXPECT_THAT(e.message, HasSubstr("2 inhibitor locks"));
  EXPECT_THAT(e.message, HasSubstr("\"backup.service\" (PID 42, UID 0): \"copying /home\""));
  EXPECT_THAT(e.message, HasSubstr("\"GNOME Shell\" (PID 7, UID 1000): \"unsaved\""));
  EXPECT_THAT(e.remedy, HasSubstr("--ignore-inhibitors"));
}

TEST(LogindPolicy, ClassifiesLogindFailures) {
  EXPECT_EQ(classify_logind_failure("org.freedesktop.DBus.Error.UnknownMethod", 2),
            LogindFailure::UseStartUnit);
  EXPECT_EQ(classify_logind_failure("org.freedesktop.DBus.Error.ServiceUnknown", 2),
            LogindFailure::UseStartUnit);
  EXPECT_EQ(classify_logind_failure("org.freedesktop.DBus.Error.InvalidArgs", 2 | 16),
            LogindFailure::RetryWithoutSkip);
  EXPECT_EQ(classify_logind_failure("org.freedesktop.DBus.Error.InvalidArgs", 2),
            LogindFailure::Fatal);
  EXPECT_EQ(classify_logind_failure("org.freedesktop.DBus.Error.AccessDenied", 2),
            LogindFailure::Fatal);
  EXPECT_EQ(classify_logind_failure("org.freedesktop.login1.OperationInProgress", 2),
            LogindFailure::Fatal);
}

TEST(LogindPolicy, BusFailureCarriesNameAndMessage) {
  Error e = bus_failure("org.freedesktop.login1.Manager.RebootWithFlags", -EACCES,
                        "org.freedesktop.DBus.Error.AccessDenied", "Permission denied");
  EXPECT_EQ(e.str(),
            "org.freedesktop.login1.Manager.RebootWithFlags: EACCES: "
            "org.freedesktop.DBus.Error.AccessDenied: Permission denied");
  EXPECT_EQ(bus_failure("x", -ENOENT, "", "").message, "No such file or directory");
}

TEST(SdBusSystemdClient, BootedWithSystemdLooksUnderTheRoot) {
  FakeFileSystem fs;
  SdBusSystemdClient without(fs);  // constructing it opens no bus
  EXPECT_FALSE(without.booted_with_systemd());
  fs.add_dir("/run/systemd/system");
  EXPECT_TRUE(without.booted_with_systemd());
}

TEST(FakeSystemdClient, RecordsAndAppliesTheInhibitorRule) {
  FakeSystemdClient m;
  m.set_blockers({{"shutdown", "backup", "copying", "block", 0, 42}});
  Status refused = m.reboot_kexec(false);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("backup"));
  EXPECT_TRUE(m.reboot_kexec(true).ok());
  m.fail_reboot(Error{"logind", EACCES, {}, "Access denied", {}});
  EXPECT_FALSE(m.reboot_cold(true).ok());
  ASSERT_EQ(m.reboots().size(), 3u);
  EXPECT_EQ(m.reboots()[1], (FakeSystemdClient::RebootCall{true, true}));
  EXPECT_EQ(m.reboots()[2], (FakeSystemdClient::RebootCall{false, true}));
}

TEST(Journal, FieldNamesAreUpperCasedAndPrefixed) {
  EXPECT_EQ(journal_field_name("kernel"), "WARMBOOT_KERNEL");
  EXPECT_EQ(journal_field_name("kernel-version"), "WARMBOOT_KERNEL_VERSION");
  EXPECT_EQ(journal_field_name("initrd.0"), "WARMBOOT_INITRD_0");
  FakeJournal journal;
  journal.log(LOG_NOTICE, "staged /boot/vmlinuz", {{"method", "kexec_file_load"}});
  ASSERT_EQ(journal.records().size(), 1u);
  EXPECT_EQ(journal.records()[0].priority, LOG_NOTICE);
  EXPECT_EQ(journal.records()[0].fields.at("WARMBOOT_METHOD"), "kexec_file_load");
  EXPECT_TRUE(journal.contains("staged"));
}

TEST(LinuxKexec, ReadsKexecLoadedThroughTheFileSystem) {
  FakeFileSystem fs;
  LinuxKexec kexec(fs);
  EXPECT_FALSE(kexec.is_loaded().ok());  // no sysfs file
  fs.add_file("/sys/kernel/kexec_loaded", "0\n");
  EXPECT_FALSE(*kexec.is_loaded());
  fs.add_file("/sys/kernel/kexec_loaded", "1\n");
  EXPECT_TRUE(*kexec.is_loaded());
  EXPECT_FALSE(parse_kexec_loaded("2").ok());
}

TEST(FakeKexec, ModelsLoadedStateAndQueuedFailures) {
  FakeKexec kexec;
  EXPECT_FALSE(kexec.exec_now().ok());  // nothing staged
  kexec.fail_next(FakeKexec::Op::FileLoad, EBUSY);
  EXPECT_EQ(kexec.file_load(-1, -1, "x").error().code, EBUSY);
  EXPECT_FALSE(kexec.loaded());
  EXPECT_TRUE(kexec.file_load(-1, -1, "x").ok());
  EXPECT_TRUE(*kexec.is_loaded());
  EXPECT_TRUE(kexec.exec_now().ok());
  EXPECT_TRUE(kexec.unload().ok());
  EXPECT_FALSE(kexec.loaded());
  EXPECT_EQ(kexec.count(FakeKexec::Op::FileLoad), 2);
}

}  // namespace
}  // namespace warmboot
