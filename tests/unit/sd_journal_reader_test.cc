// SPDX-License-Identifier: Apache-2.0
// SdJournalReader on real journal files: tests/data/journal/*.export (journalctl's export format,
// readable text) is turned into a journal file by systemd-journal-remote (package
// systemd-journal-remote, installed by scripts/install-deps.sh), then read with sd-journal.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/shutdown_blame.h"
#include "os/sd_journal_reader.h"

namespace warmboot {
namespace {

namespace fs = std::filesystem;

constexpr const char* kJournalRemote = "/lib/systemd/systemd-journal-remote";
constexpr const char* kPrevious = "1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b";
constexpr const char* kCurrent = "2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c";

class SdJournalReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The tool that turns export text into a journal file; without it there is nothing to read.
    if (::access(kJournalRemote, X_OK) != 0)
      GTEST_SKIP() << kJournalRemote << " is missing (apt-get install systemd-journal-remote)";
    char pattern[] = "/tmp/warmboot-journal-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    file_ = dir_ / "fixture.journal";
    std::string export_file = std::string(WARMBOOT_TEST_DATA) + "/journal/three-boots.export";
    std::string command = std::string(kJournalRemote) + " --output='" + file_.string() + "' '" +
                          export_file + "' 2>/dev/null";
    int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "systemd-journal-remote failed (is the systemd-journal-remote package installed?)";
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  SdJournalReader reader() { return SdJournalReader::from_files({file_.string()}); }

  fs::path dir_, file_;
};

TEST_F(SdJournalReaderTest, PreviousBootIsTheNewestOtherThanThisOne) {
  auto boot = reader().previous_boot(kCurrent, 1000);
  ASSERT_TRUE(boot.ok()) << boot.error().str();
  EXPECT_EQ(boot->boot_id, kPrevious);
  ASSERT_EQ(boot->entries.size(), 12u);
  EXPECT_FALSE(boot->truncated);
  EXPECT_EQ(boot->entries.front().field("MESSAGE"), "Linux version 6.1.0-56-amd64");
  EXPECT_EQ(boot->entries.back().field("MESSAGE"), "Journal stopped");
  EXPECT_LT(boot->entries.front().realtime_us, boot->entries.back().realtime_us);
  const auto& logind = boot->entries[2];
  EXPECT_EQ(logind.field("MESSAGE_ID"), message_id::kShutdown);
  EXPECT_EQ(logind.field("SHUTDOWN"), "reboot");
  EXPECT_EQ(logind.field("SYSLOG_IDENTIFIER"), "systemd-logind");
  EXPECT_EQ(logind.field("_BOOT_ID"), "");  // only journal_fields_read() are kept
}

TEST_F(SdJournalReaderTest, ShutdownBlameOnTheRealFile) {
  auto boot = reader().previous_boot(kCurrent, 1000);
  ASSERT_TRUE(boot.ok()) << boot.error().str();
  auto report = shutdown_blame(*boot);
  ASSERT_TRUE(report.has_value());
  EXPECT_NEAR(report->seconds(), 4.5, 1e-6);
  ASSERT_EQ(report->units.size(), 3u);
  EXPECT_EQ(report->units[0].unit, "slow-stop.service");
  EXPECT_NEAR(report->units[0].seconds, 4.0, 1e-6);
  EXPECT_EQ(report->units[1].unit, "stuck-stop.service");
  EXPECT_TRUE(report->units[1].timed_out);
  EXPECT_EQ(report->units[2].unit, "cron.service");
}

TEST_F(SdJournalReaderTest, CurrentBootAsTheKernelSpellsIt) {
  // /proc/sys/kernel/random/boot_id: dashes; the journal's _BOOT_ID: none.
  auto boot = reader().previous_boot("2c2c2c2c-2c2c-2c2c-2c2c-2c2c2c2c2c2c", 1000);
  ASSERT_TRUE(boot.ok()) << boot.error().str();
  EXPECT_EQ(boot->boot_id, kPrevious);
}

TEST_F(SdJournalReaderTest, UnknownCurrentBootMeansTheLastBoot) {
  // Reading another machine's journal (--root): our boot is not in it; its last boot is.
  auto boot = reader().previous_boot("ffffffffffffffffffffffffffffffff", 1000);
  ASSERT_TRUE(boot.ok()) << boot.error().str();
  EXPECT_EQ(boot->boot_id, kCurrent);
}

TEST_F(SdJournalReaderTest, TailIsKeptWhenTruncated) {
  auto boot = reader().previous_boot(kCurrent, 3);
  ASSERT_TRUE(boot.ok()) << boot.error().str();
  ASSERT_EQ(boot->entries.size(), 3u);
  EXPECT_TRUE(boot->truncated);
  EXPECT_EQ(boot->entries.back().field("MESSAGE"), "Journal stopped");
}

TEST_F(SdJournalReaderTest, ErrorsAreValues) {
  auto missing = SdJournalReader::from_files({(dir_ / "absent.journal").string()});
  auto boot = missing.previous_boot(kCurrent, 10);
  ASSERT_FALSE(boot.ok());
  EXPECT_NE(boot.error().str().find("cannot open the journal"), std::string::npos);
  // An OS tree without a journal holds no boot at all.
  SdJournalReader empty_tree(dir_.string());
  EXPECT_FALSE(empty_tree.previous_boot(kCurrent, 10).ok());
}

}  // namespace
}  // namespace warmboot
