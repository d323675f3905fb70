// SPDX-License-Identifier: Apache-2.0
// `warmboot audit` through the CLI on fakes: boot timings from the fake PID 1, the previous boot's
// shutdown from the fake journal, the cold/warm comparison from the history file, the SVG.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/exit_code.h"
#include "core/downtime_history.h"
#include "fakes/fake_machine.h"
#include "journal_test_entries.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace warmboot::testing;

class CliAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m.fs->add_file("/proc/sys/kernel/random/boot_id", "this-boot\n");
    m.systemd->set_boot_timestamps(
        BootTimestamps{15'000'000, 3'000'000, 1'500'000, 4'000'000, 10'000'000});
    m.journal_reader->set_previous_boot(BootJournal{
        "prev-boot",
        {logind_reboot(100), stopping(100.5, "slow-stop.service"), stopping(100.6, "a.service"),
         stopped(101, "a.service"), stopped(105.5, "slow-stop.service"),
         entry(106, {{"MESSAGE", "Journal stopped"}})},
        false});
  }
  FakeMachine m;
};

TEST_F(CliAuditTest, TextNamesPhasesSavingAndSlowestUnit) {
  auto run = m.run({"audit"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("firmware     12.000 s"));
  EXPECT_THAT(run.out, HasSubstr("userspace     6.000 s"));
  EXPECT_THAT(run.out, HasSubstr("total        25.000 s"));
  EXPECT_THAT(run.out, HasSubstr("A warm reboot skips firmware and loader: 15.0 s (60 % of this"));
  EXPECT_THAT(run.out, HasSubstr("Shutdown of the previous boot (prev-boot): 6.0 s, 2 units"));
  EXPECT_THAT(run.out, HasSubstr("began with: System is rebooting."));
  EXPECT_THAT(run.out, HasSubstr("     5.000 s  slow-stop.service\n     0.400 s  a.service"));
  EXPECT_THAT(run.out, HasSubstr("nothing measured yet"));
  EXPECT_EQ(m.journal_reader->asked_current(), "this-boot");
}

TEST_F(CliAuditTest, UnknownsAreSaidNotInvented) {
  m.systemd->set_boot_timestamps(BootTimestamps{0, 0, 0, 2'000'000, 9'000'000});
  m.journal_reader->fail(make_error("journal", "the journal holds no earlier boot"));
  auto run = m.run({"audit"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("firmware      unknown"));
  EXPECT_THAT(run.out, HasSubstr("What a warm reboot saves: unknown; the firmware reported no"));
  EXPECT_THAT(run.out, HasSubstr("Shutdown of the previous boot: unknown; journal: the journal "
                                 "holds no earlier boot"));
  m.systemd->fail_boot_timestamps(make_error("org.freedesktop.systemd1.Manager", "no bus"));
  auto no_bus = m.run({"audit"});
  ASSERT_EQ(no_bus.code, to_int(ExitCode::Ok));
  EXPECT_THAT(no_bus.out, HasSubstr("unknown: org.freedesktop.systemd1.Manager: no bus"));
}

TEST_F(CliAuditTest, AfterAKexecTheStaleFirmwareTimesAreNotUsed) {
  std::string params(0x300, '\0');
  params[0x210] = static_cast<char>(0xD0);  // type_of_loader: kexec
  m.fs->add_file("/sys/kernel/boot_params/data", params);
  auto run = m.run({"audit"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok));
  EXPECT_THAT(run.out, HasSubstr("firmware      unknown"));
  EXPECT_THAT(run.out, HasSubstr("came from a kexec"));
}

TEST_F(CliAuditTest, JsonAndSvgCompareRecordedColdAndWarm) {
  DowntimeRecord cold;
  cold.boot_id = "c";
  cold.kind = RebootKind::Cold;
  cold.left_at = 1000;
  cold.ready_at = 1038;
  cold.downtime_s = 38;
  cold.shutdown_s = 4;
  cold.phases = BootPhases{std::nullopt, std::nullopt, 2.0, 3.0, 9.0};
  DowntimeRecord warm = cold;
  warm.boot_id = "w";
  warm.kind = RebootKind::Warm;
  warm.left_at = 2000;
  warm.ready_at = 2020;
  warm.downtime_s = 20;
  warm.phases = BootPhases{std::nullopt, std::nullopt, 2.0, 3.0, 9.0};
  ASSERT_TRUE(write_history(*m.fs, {cold, warm}).ok());
  std::string svg = "/tmp/warmboot-audit-test-" + std::to_string(::getpid()) + ".svg";
  auto run = m.run({"--json", "audit", "--svg", svg, "--limit", "1"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  auto json = nlohmann::json::parse(run.out);
  EXPECT_DOUBLE_EQ(json["warm_saving"]["seconds"].get<double>(), 15.0);
  EXPECT_EQ(json["shutdown"]["units"].size(), 1u);
  EXPECT_EQ(json["shutdown"]["units"][0]["unit"], "slow-stop.service");
  ASSERT_EQ(json["timelines"].size(), 2u);
  EXPECT_EQ(json["timelines"][0]["kind"], "cold");
  EXPECT_DOUBLE_EQ(json["timelines"][0]["total_s"].get<double>(), 38.0);
  EXPECT_EQ(json["timelines"][1]["phases"][1]["name"], "kexec");
  std::ifstream file(svg);
  std::stringstream text;
  text << file.rdbuf();
  std::filesystem::remove(svg);
  EXPECT_THAT(text.str(), HasSubstr("<title>reset+POST: 20.00 s</title>"));

  auto bars = m.run({"audit"});
  EXPECT_THAT(bars.out, HasSubstr("Cold vs warm reboot of this machine:\n  cold  SSSSS"));
  EXPECT_THAT(bars.out, Not(HasSubstr("nothing measured yet")));
}

TEST_F(CliAuditTest, UnwritableSvgFails) {
  auto run = m.run({"audit", "--svg", "/nonexistent-dir/x.svg"});
  EXPECT_EQ(run.code, to_int(ExitCode::Failure));
  EXPECT_THAT(run.err, HasSubstr("audit --svg: ENOENT"));
}

}  // namespace
}  // namespace warmboot
