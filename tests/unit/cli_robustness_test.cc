// SPDX-License-Identifier: Apache-2.0
// The CLI under bad circumstances: output that cannot be written, a corrupt history, a second
// warmboot staging at the same time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <streambuf>

#include "cli/exit_code.h"
#include "core/state_paths.h"
#include "fakes/fake_machine.h"
#include "initrd_builder.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using Op = FakeKexec::Op;

// A stream buffer that accepts nothing, like stdout on /dev/full.
class FullDevice : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

class RobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    m.running("6.1.0-9-amd64");
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
  }
  FakeMachine m;
};

TEST_F(RobustnessTest, OutputThatCannotBeWrittenFails) {
  FullDevice full;
  std::ostream out(&full);
  std::ostringstream err;
  AppIo io{out, err, {}, [] { return int64_t{1700000000}; }};
  int code = run_app(
      {"--json", "plan"},
      [this](const std::string&) {
        return Machine{m.fs,    m.kexec,   m.systemd,    m.journal,       m.runner,
                       m.units, m.modules, m.interfaces, m.journal_reader};
      },
      io);
  EXPECT_EQ(code, to_int(ExitCode::Failure));
  EXPECT_THAT(err.str(), HasSubstr("cannot write to standard output"));
}

// A corrupt history made `history record` fail at every boot for ever.
TEST_F(RobustnessTest, ACorruptHistoryIsMovedAsideAndANewOneBegins) {
  m.fs->add_file(kHistoryPath, "{\"reboots\": [ truncated");
  auto run = m.run({"history", "record"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.err, HasSubstr("moved to /var/lib/warmboot/history.json.corrupt-"));
  EXPECT_TRUE(m.journal->contains("a new history begins"));
  auto history = m.run({"--json", "history"});
  ASSERT_EQ(history.code, to_int(ExitCode::Ok));
  EXPECT_THAT(history.out, HasSubstr("11111111-2222-3333-4444-555555555555"));
  auto names = m.fs->list_dir("/var/lib/warmboot");
  ASSERT_TRUE(names);
  EXPECT_THAT(*names, ::testing::Contains(::testing::StartsWith("history.json.corrupt-")));
}

TEST_F(RobustnessTest, AnOversizedHistoryIsMovedAsideToo) {
  m.fs->add_file(kHistoryPath, std::string(17 << 20, ' '));
  auto run = m.run({"history", "record"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.err, HasSubstr("corrupt or too large"));
}

// Two `load`s at once could leave a record naming one plan while the kernel held the other. One
// lock serialises them; the one that cannot get it says who has it.
TEST_F(RobustnessTest, StagingWaitsForTheLockAndSaysWhoHoldsIt) {
  auto held = m.fs->lock(kStagingLockPath, "warmboot load", 0);
  ASSERT_TRUE(held);
  auto run = m.run({"load"});
  EXPECT_EQ(run.code, to_int(ExitCode::StageFailed));
  EXPECT_THAT(run.err, HasSubstr("held by warmboot load"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_EQ(m.run({"unload"}).code, to_int(ExitCode::Failure));
  *held = HeldLock();
  EXPECT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  EXPECT_FALSE(m.fs->locked(kStagingLockPath));  // released when the run ended
}

}  // namespace
}  // namespace warmboot
