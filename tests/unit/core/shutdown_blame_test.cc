// SPDX-License-Identifier: Apache-2.0
// shutdown_blame on entries shaped like PID 1's and logind's: where the shutdown begins, each
// unit's stop time, slowest first, timeouts and stops that never finished.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/shutdown_blame.h"
#include "journal_test_entries.h"

namespace warmboot {
namespace {

using namespace warmboot::testing;

BootJournal boot(std::vector<JournalEntry> entries) {
  return BootJournal{"b1", entries, false};
}

TEST(ShutdownBlame, SlowestFirstFromLogindsRequest) {
  auto report = shutdown_blame(boot({
      stopping(10, "restarted.service"),  // a restart during the day: not the shutdown
      stopped(11, "restarted.service"),
      logind_reboot(100),
      stopping(100.5, "slow-stop.service"),
      stopping(100.6, "cron.service"),
      stopped(100.7, "cron.service"),
      stopped(105.5, "slow-stop.service"),
      entry(106, {{"MESSAGE", "Journal stopped"}}),
  }));
  ASSERT_TRUE(report.has_value());
  EXPECT_DOUBLE_EQ(report->started_at, 100);
  EXPECT_DOUBLE_EQ(report->ended_at, 106);
  EXPECT_DOUBLE_EQ(report->seconds(), 6);
  EXPECT_EQ(report->kind, "reboot");
  EXPECT_EQ(report->began_with, "System is rebooting.");
  ASSERT_EQ(report->units.size(), 2u);
  EXPECT_EQ(report->units[0].unit, "slow-stop.service");
  EXPECT_NEAR(report->units[0].seconds, 5.0, 1e-6);
  EXPECT_EQ(report->units[1].unit, "cron.service");
  EXPECT_FALSE(report->units[0].timed_out);
}

TEST(ShutdownBlame, TimeoutsAndUnfinishedStopsAreFlagged) {
  auto report = shutdown_blame(boot({
      logind_reboot(50),
      stopping(51, "stuck.service"),
      stopping(51, "hung.service"),
      entry(53, {{"UNIT", "stuck.service"},
                 {"MESSAGE", "stuck.service: Stopping timed out. Terminating."}}),
      entry(53.1, {{"MESSAGE_ID", message_id::kUnitFailureResult},
                   {"UNIT", "stuck.service"},
                   {"UNIT_RESULT", "timeout"}}),
      stopped(53.2, "stuck.service"),
      entry(60, {{"MESSAGE", "last words"}}),
  }));
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->units.size(), 2u);
  EXPECT_EQ(report->units[0].unit, "hung.service");  // 9 s to the journal's end
  EXPECT_FALSE(report->units[0].finished);
  EXPECT_NEAR(report->units[0].seconds, 9.0, 1e-6);
  EXPECT_EQ(report->units[1].unit, "stuck.service");
  EXPECT_TRUE(report->units[1].timed_out);
  EXPECT_TRUE(report->units[1].finished);
}

TEST(ShutdownBlame, WithoutLogindTheFirstStopAfterTheLastStartOpensIt) {
  // `systemctl start reboot.target` straight to PID 1: no logind message.
  auto report = shutdown_blame(boot({
      started(5, "ssh.service"),
      stopping(20, "a.service"),
      stopped(21, "a.service"),
      started(30, "b.service"),  // the machine was still up after that stop
      stopping(40, "c.service"),
      started(40.1, "systemd-reboot.service"),  // part of going down
      stopped(41, "c.service"),
  }));
  ASSERT_TRUE(report.has_value());
  EXPECT_DOUBLE_EQ(report->started_at, 40);
  EXPECT_EQ(report->kind, "");
  ASSERT_EQ(report->units.size(), 1u);
  EXPECT_EQ(report->units[0].unit, "c.service");
}

TEST(ShutdownBlame, NoOrderlyShutdownIsEmpty) {
  EXPECT_FALSE(shutdown_blame(boot({started(1, "a.service"), entry(2, {{"MESSAGE", "x"}})})));
  EXPECT_FALSE(shutdown_blame(boot({})));
}

TEST(ShutdownBlame, SourceTimestampIsPreferredOverReceiveTime) {
  JournalEntry late = stopped(200, "a.service");
  late.fields["_SOURCE_REALTIME_TIMESTAMP"] = "101500000";
  auto report = shutdown_blame(boot({logind_reboot(100), stopping(100, "a.service"), late}));
  ASSERT_TRUE(report.has_value());
  EXPECT_NEAR(report->units[0].seconds, 1.5, 1e-6);
}

TEST(ShutdownBlame, JsonShowsTheSlowestAndEveryTimeout) {
  std::vector<JournalEntry> entries = {logind_reboot(0)};
  for (int i = 0; i < 5; ++i) {
    entries.push_back(stopping(1, "u" + std::to_string(i) + ".service"));
    entries.push_back(stopped(1 + i, "u" + std::to_string(i) + ".service"));
  }
  entries.push_back(entry(6, {{"MESSAGE_ID", message_id::kUnitFailureResult},
                              {"UNIT", "u0.service"},
                              {"UNIT_RESULT", "timeout"}}));
  auto report = shutdown_blame(boot(entries));
  ASSERT_TRUE(report.has_value());
  auto json = to_json(*report, 2);
  EXPECT_EQ(json["units_stopped"], 5);
  ASSERT_EQ(json["units"].size(), 3u);  // the two slowest, and u0 for its timeout
  EXPECT_EQ(json["units"][0]["unit"], "u4.service");
  EXPECT_EQ(json["units"][2]["unit"], "u0.service");
  EXPECT_EQ(json["units"][2]["timed_out"], true);
}

}  // namespace
}  // namespace warmboot
