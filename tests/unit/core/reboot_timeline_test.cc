// SPDX-License-Identifier: Apache-2.0
// The cold/warm comparison from the downtime history, its terminal bars and its SVG.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/reboot_timeline.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;

DowntimeRecord record(RebootKind kind, double downtime, BootPhases phases, double shutdown) {
  DowntimeRecord r;
  r.boot_id = to_string(kind);
  r.kind = kind;
  r.ready_at = 1700000000;
  r.left_at = r.ready_at - downtime;
  r.downtime_s = downtime;
  r.shutdown_s = shutdown;
  r.phases = phases;
  return r;
}

std::vector<std::string> names(const RebootTimeline& t) {
  std::vector<std::string> out;
  for (const auto& p : t.phases) out.push_back(p.name);
  return out;
}

TEST(RebootTimeline, ColdGapIsResetAndPostWarmGapIsKexec) {
  // BIOS machine: no firmware numbers; 38 s down of which 4 shutdown + 2+3+9 booting.
  auto cold = timeline_of(record(RebootKind::Cold, 38, {std::nullopt, std::nullopt, 2, 3, 9}, 4));
  EXPECT_EQ(names(cold),
            (std::vector<std::string>{"shutdown", "reset+POST", "kernel", "initrd", "userspace"}));
  EXPECT_NEAR(cold.phases[1].seconds, 20.0, 1e-9);
  EXPECT_NEAR(cold.total(), 38.0, 1e-9);
  auto warm = timeline_of(record(RebootKind::Warm, 20, {15.0, 3.0, 2, 3, 9}, 4));
  // A warm record's firmware numbers are not counted (no firmware ran).
  EXPECT_EQ(names(warm),
            (std::vector<std::string>{"shutdown", "kexec", "kernel", "initrd", "userspace"}));
  EXPECT_NEAR(warm.phases[1].seconds, 2.0, 1e-9);
  EXPECT_THAT(warm.basis, HasSubstr("measured"));
}

TEST(RebootTimeline, NewestOfEachKindAndAnEstimateWhenWarmIsMissing) {
  std::vector<DowntimeRecord> history = {
      record(RebootKind::Cold, 60, {20.0, 5.0, 2, 3, 9}, 4),
      record(RebootKind::Cold, 50, {15.0, 5.0, 2, 3, 9}, 4),
  };
  auto both = compare_reboots(history);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].kind, "cold");
  EXPECT_NEAR(both[0].total(), 50.0, 1e-9);  // the newer cold reboot
  EXPECT_EQ(both[1].kind, "warm");
  EXPECT_THAT(both[1].basis, HasSubstr("estimated"));
  EXPECT_NEAR(both[1].total(), 18.0, 1e-9);  // 50 - firmware 15 - loader 5 - reset 12
  history.push_back(record(RebootKind::Warm, 21, {std::nullopt, std::nullopt, 2, 3, 9}, 4));
  auto measured = compare_reboots(history);
  ASSERT_EQ(measured.size(), 2u);
  EXPECT_THAT(measured[1].basis, HasSubstr("measured"));
  EXPECT_NEAR(measured[1].total(), 21.0, 1e-9);
  // Records without phases (older files) are not drawn.
  DowntimeRecord bare = record(RebootKind::Cold, 40, {}, 1);
  bare.phases.reset();
  EXPECT_TRUE(compare_reboots({bare}).empty());
}

TEST(RebootTimeline, BarsShareOneScaleAndHaveALegend) {
  std::vector<RebootTimeline> t = {
      {"cold", "measured", {{"shutdown", 10}, {"reset+POST", 20}, {"userspace", 10}}},
      {"warm", "measured", {{"shutdown", 10}, {"kexec", 2}, {"userspace", 8}}}};
  std::string bars = render_bars(t, 40);
  EXPECT_THAT(bars, HasSubstr("cold  SSSSSSSSSSPPPPPPPPPPPPPPPPPPPPUUUUUUUUUU"));
  EXPECT_THAT(bars, HasSubstr("warm  SSSSSSSSSSXXUUUUUUUU "));
  EXPECT_THAT(bars, HasSubstr("40.0 s"));
  EXPECT_THAT(bars, HasSubstr("S=shutdown P=reset+POST U=userspace X=kexec"));
  EXPECT_EQ(render_bars({}, 40), "");
}

TEST(RebootTimeline, SvgIsAWellFormedPictureOfBothBars) {
  std::vector<RebootTimeline> t = {{"cold", "measured <1>", {{"shutdown", 10}, {"reset+POST", 20}}},
                                   {"warm", "estimated & co", {{"shutdown", 10}, {"kexec", 2}}}};
  std::string svg = render_svg(t, "Cold vs warm");
  EXPECT_THAT(svg, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, HasSubstr("<title>reset+POST: 20.00 s</title>"));
  EXPECT_THAT(svg, HasSubstr("measured &lt;1&gt;"));
  EXPECT_THAT(svg, HasSubstr("estimated &amp; co"));
  EXPECT_THAT(svg, HasSubstr(">30.0 s</text>"));
  EXPECT_THAT(svg, HasSubstr(">12.0 s</text>"));
  // Every element that opens is closed: count tags.
  auto count = [&](const std::string& s) {
    size_t n = 0;
    for (size_t at = svg.find(s); at != std::string::npos; at = svg.find(s, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<rect x="), count("</rect>"));
  EXPECT_EQ(count("<svg"), 1u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
}

// A 47-day "downtime" (a machine that was off for weeks) drew one tick a second: a 543 MB file,
// and at 2^53 s the loop never ended. The axis has a bounded number of ticks whatever the length.
TEST(RebootTimeline, SvgAxisIsBoundedForAnyLength) {
  for (double seconds : {0.0, 0.4, 30.0, 47.0 * 86400, 9007199254740992.0, 1e300}) {
    std::vector<RebootTimeline> t = {{"cold", "measured", {{"reset+POST", seconds}}}};
    std::string svg = render_svg(t, "long");
    EXPECT_LT(svg.size(), 20000u) << seconds;
    size_t ticks = 0;
    for (size_t at = svg.find(" s</text>"); at != std::string::npos;
         at = svg.find(" s</text>", at + 1))
      ++ticks;
    EXPECT_GE(ticks, 2u) << seconds;  // the bar's total and at least the zero tick
    EXPECT_LE(ticks, 30u) << seconds;
  }
}

TEST(RebootTimeline, Json) {
  RebootTimeline t{"warm", "measured", {{"kexec", 2.5}}};
  auto j = to_json(t);
  EXPECT_EQ(j["kind"], "warm");
  EXPECT_DOUBLE_EQ(j["total_s"].get<double>(), 2.5);
  EXPECT_EQ(j["phases"][0]["name"], "kexec");
}

}  // namespace
}  // namespace warmboot
