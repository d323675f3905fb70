// SPDX-License-Identifier: Apache-2.0
// The downtime history end to end through the CLI, on fakes: the leaving boot writes the handover
// record (`reboot`, `shutdown-stage`), the next boot records itself (`history record`), and
// `history` shows it; the Prometheus textfile follows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/exit_code.h"
#include "core/downtime_history.h"
#include "core/enable_setup.h"
#include "core/reboot_metrics.h"
#include "fakes/fake_machine.h"
#include "initrd_builder.h"
#include "journal_test_entries.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Op = FakeKexec::Op;

constexpr const char* kBootIdPath = "/proc/sys/kernel/random/boot_id";

class CliHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    fs.add_file("/proc/sys/kernel/osrelease", "6.1.0-9-amd64\n");
    fs.add_file("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-9-amd64 root=/dev/vda1 ro\n");
    fs.add_file(kBootIdPath, "old-boot\n");
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
    fs.add_file("/boot/initrd.img-6.1.0-10-amd64",
                testing::make_test_cpio({{"init", "#!/bin/sh\n"}}, "gzip"));
  }
  // What the next boot looks like: a new boot_id and kernel, nothing staged, `seconds` later.
  void next_boot(double seconds) {
    m.fs->add_file(kBootIdPath, "new-boot\n");
    m.fs->add_file("/proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
    m.kexec->set_loaded(false);
    m.clock += seconds;
  }
  HandoverRecord handover() {
    auto text = m.fs->read_file(kHandoverPath);
    EXPECT_TRUE(text.ok());
    auto record = handover_from_json(nlohmann::json::parse(text.ok() ? *text : "{}"));
    EXPECT_TRUE(record.has_value());
    return record.value_or(HandoverRecord{});
  }
  FakeMachine m;
};

TEST_F(CliHistoryTest, WarmRebootIsRecordedWithItsDowntime) {
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  HandoverRecord left = handover();
  EXPECT_EQ(left.boot_id, "old-boot");
  EXPECT_EQ(left.method, "kexec_file_load");
  EXPECT_DOUBLE_EQ(left.left_at, 1700000000.25);
  EXPECT_EQ(left.plan, "6.1.0-10-amd64 /boot/vmlinuz-6.1.0-10-amd64");

  next_boot(12.5);
  auto run = m.run({"history", "record"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("recorded a warm reboot, downtime 12.500 s"));
  EXPECT_FALSE(m.fs->exists(kHandoverPath));
  EXPECT_TRUE(m.journal->contains("recorded a warm reboot"));

  auto table = m.run({"history"});
  ASSERT_EQ(table.code, to_int(ExitCode::Ok));
  EXPECT_THAT(table.out, HasSubstr("TIME (UTC)"));
  EXPECT_THAT(table.out, HasSubstr("2023-11-14 22:13:32   warm           12.5 s  6.1.0-10-amd64"));

  auto json = m.run({"--json", "history"});
  ASSERT_EQ(json.code, to_int(ExitCode::Ok));
  auto list = nlohmann::json::parse(json.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["kind"], "warm");
  EXPECT_DOUBLE_EQ(list[0]["downtime_s"].get<double>(), 12.5);
  EXPECT_EQ(list[0]["kernel"], "6.1.0-10-amd64");
  EXPECT_EQ(list[0]["time"], "2023-11-14T22:13:32Z");
  EXPECT_EQ(m.run({"history", "--json"}).out, json.out);
}

TEST_F(CliHistoryTest, ColdRebootNotMadeByWarmbootHasUnknownDowntime) {
  next_boot(30);
  auto run = m.run({"history", "record"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("recorded a cold reboot, downtime unknown"));
  auto list = nlohmann::json::parse(m.run({"history", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["kind"], "cold");
  EXPECT_TRUE(list[0]["downtime_s"].is_null());
  EXPECT_THAT(m.run({"history"}).out, HasSubstr("cold                -  6.1.0-10-amd64"));
}

TEST_F(CliHistoryTest, StagingFailureRecordsAFallback) {
  m.kexec->fail_next(Op::FileLoad, EKEYREJECTED);
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(handover().method, "cold");
  next_boot(75);
  ASSERT_EQ(m.run({"history", "record"}).code, to_int(ExitCode::Ok));
  auto list = nlohmann::json::parse(m.run({"history", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["kind"], "fallback");
  EXPECT_DOUBLE_EQ(list[0]["downtime_s"].get<double>(), 75.0);
}

TEST_F(CliHistoryTest, FailedHandoverLeavesNoRecord) {
  m.systemd->fail_reboot(Error{"logind", 0, {}, "Access denied", {}});
  EXPECT_NE(m.run({"reboot", "--yes"}).code, 0);
  EXPECT_FALSE(m.fs->exists(kHandoverPath));
}

TEST_F(CliHistoryTest, ForceWritesTheRecordBeforeExec) {
  ASSERT_EQ(m.run({"reboot", "--yes", "--force"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 1);
  EXPECT_EQ(handover().boot_id, "old-boot");
}

TEST_F(CliHistoryTest, ShutdownStageWarmPathWritesTheRecord) {
  m.fs->add_file(kEnableDropIn, enable_drop_in_text());
  m.units->set_jobs({UnitJob{7, "reboot.target", "start"}});
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(handover().method, "kexec_file_load");
  next_boot(8);
  ASSERT_EQ(m.run({"history", "record"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(read_history(*m.fs)->front().kind, RebootKind::Warm);
}

TEST_F(CliHistoryTest, ShutdownStageFailureRecordsAFallbackPoweroffNothing) {
  m.fs->add_file(kEnableDropIn, enable_drop_in_text());
  m.units->set_jobs({UnitJob{3, "poweroff.target", "start"}});
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));
  EXPECT_FALSE(m.fs->exists(kHandoverPath));
  m.units->set_jobs({UnitJob{7, "reboot.target", "start"}});
  m.kexec->fail_next(Op::FileLoad, EKEYREJECTED);
  EXPECT_NE(m.run({"shutdown-stage"}).code, 0);
  EXPECT_EQ(handover().method, "cold");
}

TEST_F(CliHistoryTest, RecordingTwiceInOneBootCountsOnce) {
  next_boot(5);
  ASSERT_EQ(m.run({"history", "record"}).code, to_int(ExitCode::Ok));
  auto again = m.run({"history", "record", "--metrics-file", "/run/metrics/warmboot.prom"});
  ASSERT_EQ(again.code, to_int(ExitCode::Ok)) << again.err;
  EXPECT_THAT(again.out, HasSubstr("already recorded"));
  EXPECT_EQ(read_history(*m.fs)->size(), 1u);
  auto prom = m.fs->read_file("/run/metrics/warmboot.prom");
  ASSERT_TRUE(prom.ok());
  EXPECT_THAT(*prom, HasSubstr("warmboot_reboots_total{kind=\"cold\"} 1\n"));
}

// warmboot-record.service and a fleet tool may ask at once: one records, the other waits for it.
TEST_F(CliHistoryTest, RecordingHoldsTheHistoryLock) {
  next_boot(5);
  {
    auto held = m.fs->lock(kHistoryLockPath, "warmboot history record (pid 42)", 0);
    ASSERT_TRUE(held.ok());
    auto busy = m.run({"history", "record"});
    EXPECT_NE(busy.code, to_int(ExitCode::Ok));
    EXPECT_THAT(busy.err, HasSubstr("pid 42"));
    EXPECT_FALSE(m.fs->exists(kHistoryPath));
  }
  ASSERT_EQ(m.run({"history", "record"}).code, to_int(ExitCode::Ok));
  EXPECT_FALSE(m.fs->locked(kHistoryLockPath));  // released when the run ends
  EXPECT_EQ(read_history(*m.fs)->size(), 1u);
}

TEST_F(CliHistoryTest, MetricsFileFromConfigOrFlag) {
  ASSERT_EQ(m.run({"reboot", "--yes"}).code, to_int(ExitCode::Ok));
  next_boot(12.5);
  m.fs->add_file("/etc/warmboot/warmboot.conf",
                 "[metrics]\npath = \"/var/lib/node_exporter/warmboot.prom\"\n");
  m.kexec->set_loaded(true);
  ASSERT_EQ(m.run({"history", "record"}).code, to_int(ExitCode::Ok));
  auto prom = m.fs->read_file("/var/lib/node_exporter/warmboot.prom");
  ASSERT_TRUE(prom.ok());
  EXPECT_THAT(*prom, HasSubstr("warmboot_last_downtime_seconds{kind=\"warm\"} 12.500\n"));
  EXPECT_THAT(*prom, HasSubstr("warmboot_reboots_total{kind=\"warm\"} 1\n"));
  EXPECT_THAT(*prom, HasSubstr("warmboot_reboots_total{kind=\"cold\"} 0\n"));
  EXPECT_THAT(*prom, HasSubstr("warmboot_staged 1\n"));
  EXPECT_TRUE(m.fs->exists(kRebootCountsPath));
}

TEST_F(CliHistoryTest, StagingAndUnloadingRefreshTheStagedGauge) {
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[metrics]\npath = \"/run/m/warmboot.prom\"\n");
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  auto staged = m.fs->read_file("/run/m/warmboot.prom");
  ASSERT_TRUE(staged.ok());
  EXPECT_THAT(*staged, HasSubstr("warmboot_staged 1\n"));
  ASSERT_EQ(m.run({"unload"}).code, to_int(ExitCode::Ok));
  auto dropped = m.fs->read_file("/run/m/warmboot.prom");
  ASSERT_TRUE(dropped.ok());
  EXPECT_THAT(*dropped, HasSubstr("warmboot_staged 0\n"));
}

TEST_F(CliHistoryTest, ColdRebootTakesItsLeavingTimeAndPhasesFromThePreviousBoot) {
  // Not made by warmboot: no handover record. The previous boot's journal has logind's request
  // at 1699999950; multi-user.target was reached at 1700000000.25 (the fake clock is later).
  m.journal_reader->set_previous_boot(BootJournal{
      "old-boot",
      {testing::logind_reboot(1699999950), testing::stopping(1699999950.5, "slow.service"),
       testing::stopped(1699999955.5, "slow.service"),
       testing::entry(1699999956, {{"MESSAGE", "Journal stopped"}})},
      false});
  m.systemd->set_boot_timestamps(BootTimestamps{0, 0, 1'000'000, 3'000'000, 0});
  m.systemd->set_unit_active_since("multi-user.target", UnitActivation{1700000000.25, 20'000'000});
  next_boot(30);
  auto run = m.run({"history", "record"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("recorded a cold reboot, downtime 50.250 s"));
  auto history = read_history(*m.fs);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  const DowntimeRecord& r = history->front();
  EXPECT_EQ(r.left_by, "journal");
  EXPECT_DOUBLE_EQ(r.ready_at, 1700000000.25);
  EXPECT_DOUBLE_EQ(*r.shutdown_s, 6.0);
  ASSERT_TRUE(r.phases.has_value());
  EXPECT_EQ(r.phases->kernel, 1.0);
  EXPECT_EQ(r.phases->initrd, 2.0);
  EXPECT_EQ(r.phases->userspace, 17.0);  // to multi-user.target, the boot not finished yet
  EXPECT_EQ(m.journal_reader->asked_current(), "new-boot");
}

TEST_F(CliHistoryTest, NoMetricsPathWritesNoTextfile) {
  next_boot(1);
  ASSERT_EQ(m.run({"history", "record"}).code, to_int(ExitCode::Ok));
  for (const auto& [path, content] : m.fs->written())
    EXPECT_THAT(path, Not(HasSubstr(".prom"))) << path;
}

TEST_F(CliHistoryTest, EmptyHistoryAndRecordIsHiddenFromHelp) {
  EXPECT_THAT(m.run({"history"}).out, HasSubstr("no reboot recorded yet"));
  EXPECT_EQ(m.run({"history", "--json"}).out, "[]\n");
  EXPECT_THAT(m.run({"history", "--help"}).out, Not(HasSubstr("record")));
}

TEST_F(CliHistoryTest, OfflineRootRecordsNothing) {
  next_boot(1);
  EXPECT_EQ(m.run({"--root", "/srv/image", "history", "record"}).code, to_int(ExitCode::Refused));
  EXPECT_FALSE(m.fs->exists(kHistoryPath));
}

}  // namespace
}  // namespace warmboot
