// SPDX-License-Identifier: Apache-2.0
// The Prometheus textfile and the reboot counters behind warmboot_reboots_total.
#include "core/reboot_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

DowntimeRecord record(std::string boot_id, RebootKind kind, std::optional<double> downtime) {
  DowntimeRecord r;
  r.boot_id = std::move(boot_id);
  r.kind = kind;
  r.ready_at = 2000;
  if (downtime) r.left_at = 2000 - *downtime;
  r.downtime_s = downtime;
  return r;
}

// Every line is a comment (# HELP/# TYPE name ...) or `name{labels} value` in the text format.
void expect_valid_exposition(const std::string& text) {
  static const std::regex help(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
  static const std::regex sample(
      R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*\})? -?[0-9.eE+-]+)");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(std::regex_match(line, help) || std::regex_match(line, sample)) << line;
  }
}

TEST(RebootMetrics, RendersNewestDowntimePerKindCountsAndStaged) {
  std::vector<DowntimeRecord> history = {
      record("a", RebootKind::Warm, 20.0), record("b", RebootKind::Cold, std::nullopt),
      record("c", RebootKind::Warm, 7.25), record("d", RebootKind::Fallback, 61.5)};
  std::string text = render_metrics(history, RebootCounts{5, 3, 1}, true);
  expect_valid_exposition(text);
  EXPECT_THAT(text, HasSubstr("# TYPE warmboot_last_downtime_seconds gauge\n"));
  EXPECT_THAT(text, HasSubstr("warmboot_last_downtime_seconds{kind=\"warm\"} 7.250\n"));
  EXPECT_THAT(text, HasSubstr("warmboot_last_downtime_seconds{kind=\"fallback\"} 61.500\n"));
  // A cold reboot's downtime is unknown: no sample rather than a made-up one.
  EXPECT_THAT(text, Not(HasSubstr("warmboot_last_downtime_seconds{kind=\"cold\"}")));
  EXPECT_THAT(text, HasSubstr("# TYPE warmboot_reboots_total counter\n"));
  EXPECT_THAT(text, HasSubstr("warmboot_reboots_total{kind=\"warm\"} 5\n"));
  EXPECT_THAT(text, HasSubstr("warmboot_reboots_total{kind=\"cold\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("warmboot_reboots_total{kind=\"fallback\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE warmboot_staged gauge\nwarmboot_staged 1\n"));
}

TEST(RebootMetrics, EmptyHistoryIsStillValid) {
  std::string text = render_metrics({}, RebootCounts{}, false);
  expect_valid_exposition(text);
  EXPECT_THAT(text, HasSubstr("warmboot_reboots_total{kind=\"cold\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("warmboot_staged 0\n"));
}

TEST(RebootMetrics, CountsAreSeededFromHistoryThenOnlyGrow) {
  FakeFileSystem fs;
  std::vector<DowntimeRecord> history = {record("a", RebootKind::Cold, std::nullopt),
                                         record("b", RebootKind::Warm, 9.0)};
  EXPECT_EQ(current_counts(fs, history), (RebootCounts{1, 1, 0}));
  auto seeded = count_new_reboot(fs, RebootKind::Warm, history);  // "b" is the new one
  ASSERT_TRUE(seeded.ok());
  EXPECT_EQ(*seeded, (RebootCounts{1, 1, 0}));
  // Rotation dropped everything but one record: the totals still grow.
  auto next = count_new_reboot(fs, RebootKind::Fallback, {record("c", RebootKind::Fallback, 1.0)});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, (RebootCounts{1, 1, 1}));
  EXPECT_EQ(current_counts(fs, {}), (RebootCounts{1, 1, 1}));
}

TEST(RebootMetrics, CorruptCountsFileIsReseededFromHistory) {
  FakeFileSystem fs;
  fs.add_file(kRebootCountsPath, "{\"warm\": -3}");
  std::vector<DowntimeRecord> history = {record("a", RebootKind::Warm, 3.0)};
  EXPECT_EQ(current_counts(fs, history), (RebootCounts{1, 0, 0}));
  auto counted = count_new_reboot(fs, RebootKind::Warm, history);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(*counted, (RebootCounts{1, 0, 0}));
}

}  // namespace
}  // namespace warmboot
