// SPDX-License-Identifier: Apache-2.0
// Downtime history: classification of boots, rotation, the JSON files.
#include "core/downtime_history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include <nlohmann/json.hpp>

#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

HandoverRecord handover(std::string boot_id, std::string method = "kexec_file_load") {
  return {std::move(boot_id), std::move(method), 1000, "6.1.0-10-amd64 /boot/vmlinuz", {}};
}

TEST(DowntimeHistory, WarmWhenAnEarlierBootHandedOver) {
  DowntimeRecord record = classify_boot("new", 1012, handover("old"));
  EXPECT_EQ(record.kind, RebootKind::Warm);
  EXPECT_EQ(record.left_at, 1000);
  EXPECT_EQ(record.downtime_s, 12.0);
  EXPECT_EQ(record.plan, "6.1.0-10-amd64 /boot/vmlinuz");
}

TEST(DowntimeHistory, FallbackWhenTheHandoverWentCold) {
  EXPECT_EQ(classify_boot("new", 1090, handover("old", "cold")).kind, RebootKind::Fallback);
}

TEST(DowntimeHistory, ColdWithoutHandoverRecord) {
  DowntimeRecord unknown = classify_boot("new", 2000, std::nullopt);
  EXPECT_EQ(unknown.kind, RebootKind::Cold);
  EXPECT_EQ(unknown.downtime_s, std::nullopt);
  DowntimeRecord known = classify_boot("new", 2000, std::nullopt, 1900);
  EXPECT_EQ(known.downtime_s, 100.0);
  // This boot's own record (staged, not yet handed over) does not make it warm.
  EXPECT_EQ(classify_boot("same", 2000, handover("same")).kind, RebootKind::Cold);
  // A clock that went backwards gives no downtime rather than a negative one.
  EXPECT_EQ(classify_boot("new", 500, handover("old")).downtime_s, std::nullopt);
}

TEST(DowntimeHistory, AppendKeepsNewestAndIgnoresDuplicates) {
  std::vector<DowntimeRecord> history;
  for (int i = 0; i < 5; ++i) append_record(history, classify_boot(std::to_string(i), i, {}), 3);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history.front().boot_id, "2");
  append_record(history, classify_boot("4", 99, {}), 3);
  EXPECT_EQ(history.back().ready_at, 4);
}

TEST(DowntimeHistory, JsonRoundTrip) {
  DowntimeRecord warm = classify_boot("b", 1012, handover("a"));
  EXPECT_EQ(downtime_from_json(to_json(warm)), warm);
  DowntimeRecord cold = classify_boot("c", 5, std::nullopt);
  EXPECT_EQ(downtime_from_json(to_json(cold)), cold);
  EXPECT_EQ(handover_from_json(to_json(handover("a"))), handover("a"));
  EXPECT_EQ(downtime_from_json(nlohmann::json{{"boot_id", "x"}, {"kind", "lukewarm"}}),
            std::nullopt);
}

TEST(DowntimeHistory, RecordsThisBootAndConsumesTheHandover) {
  FakeFileSystem fs;
  fs.add_file(kHandoverPath, to_json(handover("old")).dump());
  auto record = record_this_boot(fs, "new", 1010);
  ASSERT_TRUE(record.ok()) << record.error().str();
  EXPECT_EQ(record->kind, RebootKind::Warm);
  EXPECT_FALSE(fs.exists(kHandoverPath));
  BootFacts journal;
  journal.previous_left = 4900;
  auto again = record_this_boot(fs, "newer", 5000, journal);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, RebootKind::Cold);
  auto history = read_history(fs);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].downtime_s, 10.0);
  EXPECT_EQ((*history)[1].downtime_s, 100.0);
}

TEST(DowntimeHistory, SubSecondTimesKernelAndOlderIntegerFiles) {
  FakeFileSystem fs;
  HandoverRecord left{"old", "kexec_file_load", 1000.25, "6.1.0-10-amd64 /boot/vmlinuz", {}};
  ASSERT_TRUE(write_handover(fs, left).ok());
  BootFacts facts;
  facts.kernel = "6.1.0-10-amd64";
  auto record = record_this_boot(fs, "new", 1012.75, facts);
  ASSERT_TRUE(record.ok()) << record.error().str();
  EXPECT_DOUBLE_EQ(*record->downtime_s, 12.5);
  auto history = read_history(fs);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front(), *record);
  EXPECT_EQ(history->front().kernel, "6.1.0-10-amd64");
  // Files written with whole seconds (and no kernel) still read.
  auto older = downtime_from_json(nlohmann::json{
      {"boot_id", "x"}, {"kind", "warm"}, {"ready_at", 20}, {"left_at", 8}, {"downtime_s", 12}});
  ASSERT_TRUE(older.has_value());
  EXPECT_EQ(older->left_at, 8.0);
  EXPECT_EQ(older->kernel, "");
}

TEST(DowntimeHistory, JournalShutdownRequestIsTheEarlierLeavingTime) {
  // A plain reboot made warm by `enable`: the handover record is written mid-shutdown, after
  // logind's request; the downtime counts from the request.
  DowntimeRecord warm = classify_boot("new", 1030, handover("old"), 995.5);
  EXPECT_EQ(warm.kind, RebootKind::Warm);
  EXPECT_EQ(warm.left_by, "journal");
  EXPECT_DOUBLE_EQ(*warm.downtime_s, 34.5);
  // `warmboot reboot` writes its record before asking logind: the record is earlier and wins.
  DowntimeRecord direct = classify_boot("new", 1030, handover("old"), 1000.5);
  EXPECT_EQ(direct.left_by, "handover");
  EXPECT_DOUBLE_EQ(*direct.downtime_s, 30.0);
  // The journal's previous boot is not the one that left the record: its time is not used.
  DowntimeRecord other = classify_boot("new", 1030, handover("old"), 995.5, "some-other-boot");
  EXPECT_EQ(other.left_by, "handover");
  EXPECT_DOUBLE_EQ(*other.downtime_s, 30.0);
  DowntimeRecord cold = classify_boot("new", 1030, std::nullopt, 990);
  EXPECT_EQ(cold.left_by, "journal");
  EXPECT_DOUBLE_EQ(*cold.downtime_s, 40.0);
}

TEST(DowntimeHistory, BootIdsCompareHoweverSpelled) {
  EXPECT_TRUE(
      same_boot_id("2c2c2c2c-2c2c-2c2c-2c2c-2C2C2C2C2C2C", "2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c"));
  EXPECT_FALSE(same_boot_id("2c2c", "2c2d"));
}

TEST(DowntimeHistory, PhasesAndShutdownAreKeptAndRoundTrip) {
  FakeFileSystem fs;
  BootFacts facts;
  facts.previous_left = 900;
  facts.kernel = "6.1.0-10-amd64";
  facts.shutdown_s = 4.25;
  facts.phases = BootPhases{7.5, 1.0, 2.0, 3.0, 10.0};
  auto record = record_this_boot(fs, "new", 1000, facts);
  ASSERT_TRUE(record.ok()) << record.error().str();
  EXPECT_EQ(record->shutdown_s, 4.25);
  EXPECT_EQ(record->phases, facts.phases);
  auto history = read_history(fs);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front(), *record);
  // Unknown phases stay unknown through JSON.
  DowntimeRecord partial = *record;
  partial.phases = BootPhases{std::nullopt, std::nullopt, 2.0, std::nullopt, 10.0};
  EXPECT_EQ(downtime_from_json(to_json(partial)), partial);
}

TEST(DowntimeHistory, CorruptHistoryIsAnError) {
  FakeFileSystem fs;
  fs.add_file(kHistoryPath, "{not json");
  EXPECT_FALSE(read_history(fs).ok());
  EXPECT_FALSE(record_this_boot(fs, "b", 1).ok());
}

// Found by fuzz/state_json_fuzzer.cc: a history file is outside input, and a time such as
// "ready_at": 1e85 was converted to time_t unchecked (undefined behaviour; the ASan+UBSan build
// stops at it, a plain x86 build happened to print "?").
TEST(DowntimeHistory, TimesOutsideTimeTAreShownAsUnknown) {
  EXPECT_EQ(utc_text(0), "1970-01-01 00:00:00");
  EXPECT_EQ(utc_text(1700000000.5, "%Y-%m-%dT%H:%M:%SZ"), "2023-11-14T22:13:20Z");
  for (double seconds :
       {1.7e85, -1.7e85, 1e19, -1e19, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(utc_text(seconds), "?") << seconds;
  }
}

}  // namespace
}  // namespace warmboot
