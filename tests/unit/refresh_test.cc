// SPDX-License-Identifier: Apache-2.0
// `warmboot refresh` on fakes, as warmboot-refresh.path runs it when the boot loader's choice
// changes (grub-set-default, update-grub, bootctl) and the kernel hooks run it: restage what the
// boot loader would now boot, unload when it is not to be staged ahead, nothing when it is the
// same; hands off another tool's kernel and a reboot under way; and never a write to a path the
// path unit watches (it would trigger itself).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "cli/exit_code.h"
#include "core/enable_setup.h"
#include "core/grub_env.h"
#include "debian_grub_fixture.h"
#include "fakes/fake_machine.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using Op = FakeKexec::Op;

using testing::env_block;
using testing::kGrubCfg;

// The PathChanged= lines of the shipped path unit.
std::vector<std::string> watched_paths() {
  std::ifstream in(std::string(WARMBOOT_TEST_DATA) +
                   "/../../packaging/systemd/warmboot-refresh.path");
  std::vector<std::string> paths;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("PathChanged=")) paths.push_back(line.substr(12));
  }
  return paths;
}

class RefreshTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& fs = *m.fs;
    m.running("6.1.0-10-amd64");
    fs.add_file("/proc/meminfo", "MemTotal: 8000000 kB\nMemAvailable:   4000000 kB\n");
    fs.add_file("/boot/vmlinuz-6.1.0-10-amd64", kernel10);
    fs.add_file("/boot/vmlinuz-6.1.0-9-amd64", kernel9);
    fs.add_file("/boot/grub/grub.cfg", kGrubCfg);
    set_default("gnulinux-advanced>gnulinux-10");
    fs.add_file(kEnableDropIn, enable_drop_in_text());
  }
  // What grub-set-default writes.
  void set_default(const std::string& entry) {
    m.fs->add_file("/boot/grub/grubenv", env_block("saved_entry=" + entry + "\n"));
  }
  std::string staged_kernel() const { return m.kexec->loads().back().kernel; }
  // The same kernel on disk and in the running system's boot loader: nothing to do but look.
  void staged_ahead() {
    auto ahead = m.run({"stage-ahead"});
    ASSERT_EQ(ahead.code, to_int(ExitCode::Ok)) << ahead.err;
    ASSERT_EQ(m.kexec->count(Op::FileLoad), 1) << ahead.out;
    ASSERT_EQ(staged_kernel(), kernel10);
  }

  const std::string kernel10 = testing::make_test_kernel("6.1.0-10-amd64");
  const std::string kernel9 = testing::make_test_kernel("6.1.0-9-amd64");
  FakeMachine m;
};

TEST_F(RefreshTest, SamePlanStillStagedIsLeftAsItIs) {
  staged_ahead();
  auto run = m.run({"refresh"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok));
  EXPECT_THAT(run.out, HasSubstr("still the plan"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);
  EXPECT_EQ(m.kexec->count(Op::Unload), 0);
}

TEST_F(RefreshTest, GrubSetDefaultRestagesWhatGrubWouldNowBoot) {
  staged_ahead();
  set_default("gnulinux-advanced>gnulinux-9");
  auto run = m.run({"refresh"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("restaged /boot/vmlinuz-6.1.0-9-amd64 (6.1.0-9-amd64)"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
  EXPECT_EQ(staged_kernel(), kernel9);
  EXPECT_TRUE(m.journal->contains("restaged"));
  // And the way down then only checks it.
  m.units->set_jobs({UnitJob{7, "reboot.target", "start"}});
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
}

// update-grub, then grub-set-default a moment later: the path unit cannot start the refresh again
// while the first one runs, so the refresh itself looks again before it ends (seen in the
// debian13 refresh-grub guest case, where the second change was lost).
TEST_F(RefreshTest, AChangeWhileItRunsIsRefreshedBeforeItEnds) {
  staged_ahead();
  m.fs->change_after_reads("/boot/grub/grubenv", 1,
                           env_block("saved_entry=gnulinux-advanced>gnulinux-9\n"));
  auto run = m.run({"refresh"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("still the plan"));
  EXPECT_THAT(run.out, HasSubstr("changed meanwhile: refreshing again"));
  EXPECT_THAT(run.out, HasSubstr("restaged /boot/vmlinuz-6.1.0-9-amd64"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
  EXPECT_EQ(staged_kernel(), kernel9);
}

TEST_F(RefreshTest, UpdateGrubWithANewDefaultEntryRestagesIt) {
  staged_ahead();
  std::string cfg = kGrubCfg;
  cfg.replace(cfg.find("/boot/vmlinuz-6.1.0-10-amd64"), 28, "/boot/vmlinuz-6.1.0-9-amd64 ");
  m.fs->add_file("/boot/grub/grub.cfg", cfg);  // the first entry now boots 6.1.0-9
  set_default("0");
  m.run({"refresh"});
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
  EXPECT_EQ(staged_kernel(), kernel9);
}

TEST_F(RefreshTest, UnloadsWhenStageAheadIsOffOrNotEnabledOrNotAffordable) {
  struct Case {
    const char* name;
    std::function<void(FakeMachine&)> change;
  } cases[] = {
      {"off",
       [](FakeMachine& m) { m.fs->add_file(kConfigPath, "[handover]\nstage_ahead = false\n"); }},
      {"disabled", [](FakeMachine& m) { ASSERT_TRUE(m.fs->remove_file(kEnableDropIn).ok()); }},
      {"small",
       [](FakeMachine& m) {
         m.fs->add_file("/proc/meminfo", "MemAvailable:   200000 kB\n");  // under 256 MiB
       }},
  };
  for (const auto& c : cases) {
    FakeMachine fresh;
    m = fresh;
    SetUp();
    staged_ahead();
    c.change(m);
    set_default("gnulinux-advanced>gnulinux-9");
    auto run = m.run({"refresh"});
    EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << c.name;
    EXPECT_THAT(run.out, HasSubstr("unloaded the stale staged kernel")) << c.name;
    EXPECT_FALSE(m.kexec->loaded()) << c.name;
    EXPECT_EQ(m.kexec->count(Op::FileLoad), 1) << c.name;
  }
}

TEST_F(RefreshTest, NothingStagedIsStagedAheadWhenTheDecisionSaysSo) {
  auto run = m.run({"refresh"});
  EXPECT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_THAT(run.out, HasSubstr("staged ahead: /boot/vmlinuz-6.1.0-10-amd64"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);

  FakeMachine small;
  m = small;
  SetUp();
  m.fs->add_file("/proc/meminfo", "MemAvailable:   200000 kB\n");
  auto down = m.run({"refresh"});
  EXPECT_THAT(down.out, HasSubstr("nothing staged; stage ahead: auto:"));
  EXPECT_THAT(down.out, HasSubstr("-> staged on the way down (less than 256.0 MiB would remain)"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);

  ASSERT_TRUE(m.fs->remove_file(kEnableDropIn).ok());
  m.fs->add_file("/proc/meminfo", "MemAvailable:   4000000 kB\n");
  EXPECT_THAT(m.run({"refresh"}).out, HasSubstr("nothing staged: nothing to refresh"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
}

TEST_F(RefreshTest, AnotherToolsKernelIsLeftAlone) {
  m.kexec->set_loaded(true);  // kexec-tools' kexec -l
  auto run = m.run({"refresh"});
  EXPECT_THAT(run.out, HasSubstr("not warmboot's: left alone"));
  EXPECT_TRUE(m.kexec->loaded());
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_EQ(m.kexec->count(Op::Unload), 0);
}

// `grub-reboot 9` then `warmboot reboot`: the handover stages 9 and clears next_entry, which
// changes the plan and wakes the path unit while systemd is taking the machine down. refresh must
// not swap the kernel under the handover's feet.
TEST_F(RefreshTest, AHandoverUnderWayIsLeftAlone) {
  m.fs->add_file("/boot/grub/grubenv",
                 env_block("next_entry=gnulinux-advanced>gnulinux-9\nsaved_entry=0\n"));
  auto reboot = m.run({"reboot", "--yes"});
  ASSERT_EQ(reboot.code, to_int(ExitCode::Ok)) << reboot.err;
  ASSERT_EQ(staged_kernel(), kernel9);
  ASSERT_EQ(parse_grubenv(*m.fs->read_file("/boot/grub/grubenv"), "g")->at("next_entry"), "");
  auto run = m.run({"refresh"});
  EXPECT_THAT(run.out, HasSubstr("a reboot is handing over to the staged kernel: left alone"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);
  EXPECT_EQ(m.kexec->count(Op::Unload), 0);
  EXPECT_EQ(staged_kernel(), kernel9);

  // The enabled way down: the shutdown hook's mark says the same.
  FakeMachine fresh;
  m = fresh;
  SetUp();
  m.units->set_jobs({UnitJob{7, "reboot.target", "start"}});
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));
  set_default("gnulinux-advanced>gnulinux-9");
  EXPECT_THAT(m.run({"refresh"}).out, HasSubstr("left alone"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);
}

TEST_F(RefreshTest, WritesNothingThePathUnitWatches) {
  const std::vector<std::string> watched = watched_paths();
  ASSERT_GE(watched.size(), 8u);
  for (const char* must :
       {"/boot/grub/grubenv", "/boot/grub/grub.cfg", "/boot/loader/entries", "/boot/efi/EFI/Linux",
        "/sys/firmware/efi/efivars/"
        "LoaderEntryDefault-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f",
        "/sys/firmware/efi/efivars/"
        "LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"}) {
    EXPECT_NE(std::find(watched.begin(), watched.end(), must), watched.end()) << must;
  }
  // Every path refresh takes: stage from nothing, still the plan, restage, unload. What each run
  // wrote is gathered after it (a file removed later drops out of written()).
  m.fs->add_file(kConfigPath, "[metrics]\npath = \"/var/lib/prometheus/node/warmboot.prom\"\n");
  std::set<std::string> written;
  auto refresh = [&] {
    auto run = m.run({"refresh"});
    for (const auto& [path, content] : m.fs->written()) written.insert(path);
    return run;
  };
  refresh();
  refresh();
  set_default("gnulinux-advanced>gnulinux-9");
  refresh();
  ASSERT_TRUE(m.fs->remove_file(kEnableDropIn).ok());
  set_default("gnulinux-advanced>gnulinux-10");
  const std::string grubenv = *m.fs->read_file("/boot/grub/grubenv");
  ASSERT_THAT(refresh().out, HasSubstr("unloaded"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
  EXPECT_EQ(*m.fs->read_file("/boot/grub/grubenv"), grubenv);
  EXPECT_EQ(*m.fs->read_file("/boot/grub/grub.cfg"), kGrubCfg);
  EXPECT_TRUE(written.count("/run/warmboot/staged.json"));  // the writes are seen
  EXPECT_TRUE(written.count("/var/lib/prometheus/node/warmboot.prom"));
  for (const auto& path : written) {
    for (const auto& w : watched) {
      EXPECT_FALSE(path == w || path.starts_with(w + "/")) << path << " is watched (" << w << ")";
    }
  }
}

}  // namespace
}  // namespace warmboot
