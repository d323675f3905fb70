// SPDX-License-Identifier: Apache-2.0
// `enable`, `disable`, `status`, and the two shutdown halves, on fakes and on a temporary tree.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cli/exit_code.h"
#include "core/enable_setup.h"
#include "core/shutdown_siblings.h"
#include "fakes/fake_machine.h"
#include "os/rooted_filesystem.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Op = FakeKexec::Op;
namespace fs = std::filesystem;

class EnableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeFileSystem& f = *m.fs;
    f.add_file("/proc/sys/kernel/osrelease", "6.1.0-9-amd64\n");
    f.add_file("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-9-amd64 root=/dev/vda1 ro\n");
    f.add_file("/proc/sys/kernel/random/boot_id", "11111111-2222-3333-4444-555555555555\n");
    f.add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64"));
  }
  void rebooting() {
    m.fs->add_file(kEnableDropIn, enable_drop_in_text());
    m.units->set_jobs({UnitJob{7, "reboot.target", "start"}});
  }
  FakeMachine m;
};

TEST_F(EnableTest, EnableWritesDropInReloadsAndStartsDisableUndoes) {
  auto enabled = m.run({"enable"});
  ASSERT_EQ(enabled.code, to_int(ExitCode::Ok)) << enabled.err;
  EXPECT_EQ(*m.fs->read_file(kEnableDropIn), enable_drop_in_text());
  EXPECT_THAT(m.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path"));
  EXPECT_THAT(m.run({"status"}).out, HasSubstr("warm on plain reboot: enabled"));
  EXPECT_EQ(m.run({"enable"}).code, to_int(ExitCode::Ok));  // idempotent

  auto disabled = m.run({"disable"});
  ASSERT_EQ(disabled.code, to_int(ExitCode::Ok)) << disabled.err;
  EXPECT_FALSE(m.fs->exists(kEnableDropIn));
  EXPECT_THAT(m.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path",
                          "stop warmboot-refresh.path", "stop warmboot-stage.service", "reload"));
  EXPECT_THAT(m.run({"--json", "status"}).out, HasSubstr("\"enabled\": \"disabled\""));
}

TEST_F(EnableTest, DropInWantsTheStageRefreshAndRecordUnits) {
  ASSERT_EQ(m.run({"enable"}).code, to_int(ExitCode::Ok));
  auto text = m.fs->read_file(kEnableDropIn);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, HasSubstr("[Unit]\nWants=warmboot-stage.service\n"));
  EXPECT_THAT(*text, HasSubstr("\nWants=warmboot-stage-ahead.service\n"));
  EXPECT_THAT(*text, HasSubstr("\nWants=warmboot-refresh.path\n"));
  EXPECT_THAT(*text, HasSubstr("\nWants=warmboot-record.service\n"));
  // The stage unit and the path unit are started now; the record unit runs at the next boot, and
  // the stage-ahead unit only when the decision says so (no MemAvailable here: on the way down).
  EXPECT_THAT(m.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path"));
}

TEST_F(EnableTest, DisableLeavesThePackagesRecordUnitEnablementAlone) {
  // What the package's postinst (deb-systemd-helper / systemctl enable) made; not enable's.
  const char* wants = "/etc/systemd/system/multi-user.target.wants/warmboot-record.service";
  m.fs->add_file(wants, "[Unit]\n");
  ASSERT_EQ(m.run({"enable"}).code, to_int(ExitCode::Ok));
  ASSERT_EQ(m.run({"disable"}).code, to_int(ExitCode::Ok));
  EXPECT_FALSE(m.fs->exists(kEnableDropIn));
  EXPECT_TRUE(m.fs->exists(wants));
}

// What warmboot 0.1.0's `enable` wrote, before the drop-in wanted warmboot-record.service.
constexpr const char* kDropIn_0_1_0 =
    "# Written by `warmboot enable`; `warmboot disable` removes it. Do not edit.\n"
    "# Starts warmboot-stage.service at boot so that it is stopped, and stages the next\n"
    "# kernel, when the machine reboots. See warmboot(8).\n"
    "[Unit]\n"
    "Wants=warmboot-stage.service\n";

TEST_F(EnableTest, EarlierDropInStaysEnabledAndEnableUpdatesIt) {
  m.fs->add_file(kEnableDropIn, kDropIn_0_1_0);
  EXPECT_THAT(m.run({"status"}).out, HasSubstr("warm on plain reboot: enabled"));
  m.units->set_jobs({UnitJob{7, "reboot.target", "start"}});
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));  // an upgrade keeps reboots warm
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);

  auto enabled = m.run({"enable"});
  ASSERT_EQ(enabled.code, to_int(ExitCode::Ok)) << enabled.err;
  EXPECT_EQ(*m.fs->read_file(kEnableDropIn), enable_drop_in_text());
  EXPECT_THAT(m.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path"));
}

// What warmboot 0.1's `enable` wrote before warmboot-refresh.path: still enabled, and `enable`
// brings it up to date and starts the path unit.
TEST_F(EnableTest, DropInWithoutTheRefreshPathIsUpdated) {
  const std::string before =
      "# Written by `warmboot enable`; `warmboot disable` removes it. Do not edit.\n"
      "# warmboot-stage.service stages the next kernel when the machine reboots;\n"
      "# warmboot-stage-ahead.service stages it after boot with [handover] stage_ahead;\n"
      "# warmboot-record.service records each boot in the downtime history. See warmboot(8).\n"
      "[Unit]\n"
      "Wants=warmboot-stage.service\n"
      "Wants=warmboot-stage-ahead.service\n"
      "Wants=warmboot-record.service\n";
  m.fs->add_file(kEnableDropIn, before);
  EXPECT_THAT(m.run({"status"}).out, HasSubstr("warm on plain reboot: enabled"));
  ASSERT_EQ(m.run({"enable"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(*m.fs->read_file(kEnableDropIn), enable_drop_in_text());
  EXPECT_THAT(m.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path"));
}

TEST_F(EnableTest, EarlierDropInIsRestoredWhenTheUpdateFails) {
  m.fs->add_file(kEnableDropIn, kDropIn_0_1_0);
  m.units->fail_actions(make_error("systemctl", "failed"));
  EXPECT_EQ(m.run({"enable"}).code, to_int(ExitCode::Failure));
  EXPECT_EQ(*m.fs->read_file(kEnableDropIn), kDropIn_0_1_0);
}

TEST_F(EnableTest, DisableRemovesAnEarlierDropIn) {
  m.fs->add_file(kEnableDropIn, kDropIn_0_1_0);
  ASSERT_EQ(m.run({"disable"}).code, to_int(ExitCode::Ok));
  EXPECT_FALSE(m.fs->exists(kEnableDropIn));
}

TEST_F(EnableTest, ForeignDropInIsNeitherOverwrittenNorRemoved) {
  m.fs->add_file(kEnableDropIn, "[Unit]\nWants=something-else.service\n");
  EXPECT_EQ(m.run({"enable"}).code, to_int(ExitCode::Failure));
  EXPECT_EQ(m.run({"disable"}).code, to_int(ExitCode::Failure));
  EXPECT_EQ(*m.fs->read_file(kEnableDropIn), "[Unit]\nWants=something-else.service\n");
  EXPECT_TRUE(m.units->actions().empty());
}

TEST_F(EnableTest, FailedStartLeavesNothingBehind) {
  m.units->fail_actions(make_error("systemctl", "failed"));
  EXPECT_EQ(m.run({"enable"}).code, to_int(ExitCode::Failure));
  EXPECT_FALSE(m.fs->exists(kEnableDropIn));
}

TEST_F(EnableTest, OnATemporaryTreeOnlyTheDropInAppearsAndGoes) {
  char tmpl[] = "/tmp/warmboot-enable-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  fs::path root(tmpl);
  fs::create_directories(root / "etc/systemd/system");
  auto files = [&root] {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root))
      out.push_back(fs::relative(e.path(), root).string());
    std::sort(out.begin(), out.end());
    return out;
  };
  auto before = files();
  auto rooted = std::make_shared<RootedFileSystem>(root.string());
  auto run = [&](std::vector<std::string> args) {
    std::ostringstream out, err;
    AppIo io{out, err, {}, [] { return int64_t{0}; }};
    return run_app(
        args,
        [&](const std::string&) {
          // The fakes, but the files on the temporary tree. Member by member: a Machine that
          // gains an interface needs no change here.
          Machine machine;
          machine.fs = rooted;
          machine.kexec = m.kexec;
          machine.systemd = m.systemd;
          machine.journal = m.journal;
          machine.runner = m.runner;
          machine.units = m.units;
          machine.modules = m.modules;
          machine.interfaces = m.interfaces;
          return machine;
        },
        io);
  };
  ASSERT_EQ(run({"--root", root.string(), "enable"}), 0);
  std::ifstream dropin(root / "etc/systemd/system/multi-user.target.d/warmboot.conf");
  std::string text((std::istreambuf_iterator<char>(dropin)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, enable_drop_in_text());
  EXPECT_TRUE(m.units->actions().empty());  // nothing live under --root
  ASSERT_EQ(run({"--root", root.string(), "disable"}), 0);
  auto after = files();
  // The empty directory enable created may stay; no file does.
  after.erase(std::remove(after.begin(), after.end(), "etc/systemd/system/multi-user.target.d"),
              after.end());
  EXPECT_EQ(after, before);
  fs::remove_all(root);
}

TEST_F(EnableTest, ShutdownStageDoesNothingOnceDisabled) {
  m.units->set_jobs({UnitJob{7, "reboot.target", "start"}});
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_FALSE(m.fs->exists(kRebootMarker));
}

TEST_F(EnableTest, ShutdownStageStagesOnlyForReboot) {
  m.fs->add_file(kEnableDropIn, enable_drop_in_text());
  m.units->set_jobs({UnitJob{3, "poweroff.target", "start"}});
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_FALSE(m.fs->exists(kRebootMarker));

  rebooting();
  auto run = m.run({"shutdown-stage"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);
  EXPECT_TRUE(m.fs->exists(kRebootMarker));
  EXPECT_TRUE(m.journal->contains("with kexec_file_load, the reboot will be warm"));
  EXPECT_TRUE(m.systemd->reboots().empty());  // systemd is already rebooting
}

// Debian's arm64 kernels have no kexec_file_load: staged through kexec-tools, and the journal's
// line about the reboot says so.
TEST_F(EnableTest, ShutdownStageSaysTheKernelWasStagedThroughKexecTools) {
  rebooting();
  m.kexec->fail_next(Op::FileLoad, ENOSYS);
  m.runner->add_executable("/usr/sbin/kexec");
  auto run = m.run({"shutdown-stage"});
  ASSERT_EQ(run.code, to_int(ExitCode::Ok)) << run.err;
  EXPECT_TRUE(m.journal->contains("with kexec_load (kexec-tools), the reboot will be warm"));
}

TEST_F(EnableTest, StageAheadStagesAtBootAndTheWayDownOnlyChecks) {
  rebooting();  // enabled, and (later) a reboot.target job
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[handover]\nstage_ahead = true\n");
  auto ahead = m.run({"stage-ahead"});
  ASSERT_EQ(ahead.code, to_int(ExitCode::Ok)) << ahead.err;
  EXPECT_THAT(ahead.out, HasSubstr("staged ahead: /boot/vmlinuz-6.1.0-10-amd64 (6.1.0-10-amd64)"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);
  EXPECT_TRUE(m.journal->contains("staged ahead"));
  EXPECT_FALSE(m.fs->exists(kRebootMarker));  // staging ahead is not a reboot

  auto down = m.run({"shutdown-stage"});
  ASSERT_EQ(down.code, to_int(ExitCode::Ok)) << down.err;
  EXPECT_THAT(down.out, HasSubstr("already staged (staged ahead)"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);  // not loaded again
  EXPECT_TRUE(m.fs->exists(kRebootMarker));

  // A kernel installed meanwhile is the new plan: staged on the way down as usual.
  m.fs->add_file("/boot/vmlinuz-6.1.0-11-amd64", testing::make_test_kernel("6.1.0-11-amd64"));
  ASSERT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
}

// The default is "auto": without MemAvailable (or with too little of it) the unit stages nothing
// and says why; stage_ahead = false turns it off; it never fails.
TEST_F(EnableTest, StageAheadByDefaultOnlyWhenAffordableAndNeverFailsTheUnit) {
  rebooting();
  auto unknown = m.run({"stage-ahead"});
  EXPECT_EQ(unknown.code, to_int(ExitCode::Ok));
  EXPECT_THAT(unknown.out, HasSubstr("not staged ahead: auto:"));
  EXPECT_THAT(unknown.out, HasSubstr("MemAvailable unknown -> staged on the way down"));
  m.fs->add_file("/proc/meminfo", "MemAvailable:   200000 kB\n");
  auto small = m.run({"stage-ahead"});
  EXPECT_THAT(small.out, HasSubstr("(less than 256.0 MiB would remain)"));
  EXPECT_TRUE(m.journal->contains("not staged ahead"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);

  m.fs->add_file("/proc/meminfo", "MemAvailable:   4000000 kB\n");
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[handover]\nstage_ahead = false\n");
  auto off = m.run({"stage-ahead"});
  EXPECT_EQ(off.code, to_int(ExitCode::Ok));
  EXPECT_THAT(off.out, HasSubstr("stage_ahead is off"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);

  m.fs->add_file("/etc/warmboot/warmboot.conf", "[handover]\nstage_ahead = true\n");
  m.kexec->fail_next(Op::FileLoad, EKEYREJECTED);
  auto failed = m.run({"stage-ahead"});
  EXPECT_EQ(failed.code, to_int(ExitCode::Ok));
  EXPECT_THAT(failed.err, HasSubstr("not staged ahead, the way down will try again"));
  EXPECT_TRUE(m.journal->contains("not staged ahead"));
  EXPECT_FALSE(m.kexec->loaded());

  ASSERT_TRUE(m.fs->remove_file(kEnableDropIn).ok());  // disabled: nothing, whatever the config
  auto disabled = m.run({"stage-ahead"});
  EXPECT_EQ(disabled.code, to_int(ExitCode::Ok));
  EXPECT_THAT(disabled.out, HasSubstr("not enabled"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);  // only the failed attempt
}

// "auto" with plenty of MemAvailable: staged ahead, by the unit and by `enable` (which starts it).
TEST_F(EnableTest, AutoStagesAheadWhenTheMachineCanAffordIt) {
  m.fs->add_file("/proc/meminfo", "MemAvailable:   4000000 kB\n");
  auto enabled = m.run({"enable"});
  ASSERT_EQ(enabled.code, to_int(ExitCode::Ok)) << enabled.err;
  EXPECT_THAT(enabled.out, HasSubstr("stage ahead: auto: "));
  EXPECT_THAT(enabled.out, HasSubstr("of 3.8 GiB MemAvailable -> staged ahead after boot"));
  EXPECT_THAT(m.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path",
                          "start warmboot-stage-ahead.service"));
  auto ahead = m.run({"stage-ahead"});  // what the started unit runs
  EXPECT_THAT(ahead.out, HasSubstr("staged ahead: /boot/vmlinuz-6.1.0-10-amd64"));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);

  // Too little: `enable` says so and leaves the unit alone.
  FakeMachine small;
  small.fs = m.fs;
  small.fs->add_file("/proc/meminfo", "MemAvailable:   200000 kB\n");
  ASSERT_TRUE(small.fs->remove_file(kEnableDropIn).ok());
  auto down = small.run({"enable"});
  EXPECT_THAT(down.out, HasSubstr("-> staged on the way down"));
  EXPECT_THAT(small.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path"));
}

// `disable` unloads what warmboot staged: systemd >= 255 would otherwise turn the next plain reboot
// into a kexec by itself, unprepared and unrecorded.
TEST_F(EnableTest, DisableUnloadsTheKernelStagedAhead) {
  m.fs->add_file("/proc/meminfo", "MemAvailable:   4000000 kB\n");
  rebooting();
  ASSERT_EQ(m.run({"stage-ahead"}).code, to_int(ExitCode::Ok));
  ASSERT_TRUE(m.kexec->loaded());
  auto disabled = m.run({"disable"});
  ASSERT_EQ(disabled.code, to_int(ExitCode::Ok)) << disabled.err;
  EXPECT_THAT(disabled.out, HasSubstr("unloaded the kernel warmboot had staged"));
  EXPECT_FALSE(m.kexec->loaded());
  EXPECT_FALSE(m.fs->exists(kStagedRecordPath));

  m.kexec->set_loaded(true);  // another tool's: not warmboot's to unload
  ASSERT_EQ(m.run({"enable"}).code, to_int(ExitCode::Ok));
  ASSERT_EQ(m.run({"disable"}).code, to_int(ExitCode::Ok));
  EXPECT_TRUE(m.kexec->loaded());
}

TEST_F(EnableTest, ShutdownStageFailureLeavesTheRebootCold) {
  rebooting();
  m.kexec->fail_next(Op::FileLoad, EKEYREJECTED);
  auto run = m.run({"shutdown-stage"});
  EXPECT_EQ(run.code, to_int(ExitCode::StageFailed));
  EXPECT_FALSE(m.fs->exists(kRebootMarker));
  EXPECT_TRUE(m.journal->contains("COLD"));
  EXPECT_EQ(m.run({"shutdown-hook", "reboot"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 0);
}

TEST_F(EnableTest, ShutdownStageHookFailureUnstages) {
  rebooting();
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[hooks]\nunload_modules = [\"busy\"]\n");
  m.modules->add_module("busy", {"user"});
  m.modules->add_module("user");
  EXPECT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::HookFailed));
  EXPECT_FALSE(m.kexec->loaded());
  EXPECT_FALSE(m.fs->exists(kRebootMarker));
}

// systemd >= 255: `systemctl reboot` with a kernel loaded (staged ahead) queues kexec.target, and
// systemd hands over by itself. warmboot still runs the hooks and records the handover, with the
// plan it staged.
TEST_F(EnableTest, KexecTargetRunsTheHooksAndRecordsWithTheStagedPlan) {
  rebooting();
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[handover]\nstage_ahead = true\n");
  m.fs->add_file("/boot/vmlinuz-6.1.0-9-amd64", testing::make_test_kernel("6.1.0-9-amd64"));
  // `warmboot load --kernel current` staged the running release, not the default (the newest).
  ASSERT_EQ(m.run({"load", "--kernel", "current"}).code, to_int(ExitCode::Ok));
  ASSERT_EQ(m.kexec->count(Op::FileLoad), 1);
  m.units->set_jobs({UnitJob{9, "kexec.target", "start"}});
  auto down = m.run({"shutdown-stage"});
  ASSERT_EQ(down.code, to_int(ExitCode::Ok)) << down.err;
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 1);  // the staged plan, kept: not the default
  EXPECT_TRUE(m.kexec->loaded());
  EXPECT_TRUE(m.journal->contains("kexec.target: staged /boot/vmlinuz-6.1.0-9-amd64"));
  EXPECT_TRUE(m.fs->exists(kHandoverPath));  // the next boot records a warm reboot
  // systemd-shutdown's verb is "kexec": it hands over itself, the hook does nothing.
  EXPECT_EQ(m.run({"shutdown-hook", "kexec"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 0);
}

TEST_F(EnableTest, KexecTargetRestagesTheStagedPlanWhenItsFilesChanged) {
  rebooting();
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  m.fs->add_file("/boot/vmlinuz-6.1.0-10-amd64", testing::make_test_kernel("6.1.0-10-amd64") + "x");
  m.units->set_jobs({UnitJob{9, "kexec.target", "start"}});
  auto down = m.run({"shutdown-stage"});
  ASSERT_EQ(down.code, to_int(ExitCode::Ok)) << down.err;
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 2);
  EXPECT_TRUE(m.kexec->loaded());
}

TEST_F(EnableTest, KexecTargetWithAFailingHookUnloadsSoTheRebootIsCold) {
  rebooting();
  ASSERT_EQ(m.run({"load"}).code, to_int(ExitCode::Ok));
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[hooks]\nunload_modules = [\"busy\"]\n");
  m.modules->add_module("busy", {"user"});
  m.modules->add_module("user");
  m.units->set_jobs({UnitJob{9, "kexec.target", "start"}});
  EXPECT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::HookFailed));
  EXPECT_FALSE(m.kexec->loaded());  // systemd-shutdown reboots cold when nothing is loaded
}

TEST_F(EnableTest, KexecTargetLeavesAForeignKernelToSystemd) {
  rebooting();
  m.kexec->set_loaded(true);  // kexec-tools' kexec -l, say
  m.units->set_jobs({UnitJob{9, "kexec.target", "start"}});
  auto down = m.run({"shutdown-stage"});
  EXPECT_EQ(down.code, to_int(ExitCode::Ok));
  EXPECT_THAT(down.out, HasSubstr("did not stage"));
  EXPECT_TRUE(m.journal->contains("did not stage"));
  EXPECT_TRUE(m.kexec->loaded());
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
}

TEST_F(EnableTest, ShutdownHookKexecsOnlyOnRebootWithMarker) {
  m.kexec->set_loaded(true);
  EXPECT_EQ(m.run({"shutdown-hook", "reboot"}).code,
            to_int(ExitCode::Ok));  // no marker: stock behaviour
  m.fs->add_file(kRebootMarker, "/boot/vmlinuz-6.1.0-10-amd64\n");
  EXPECT_EQ(m.run({"shutdown-hook", "poweroff"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.run({"shutdown-hook", "halt"}).code, to_int(ExitCode::Ok));
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 0);
  m.run({"shutdown-hook", "reboot"});
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 1);
}

// systemd-shutdown runs every system-shutdown executable at once. Handing over at once cut the
// others off (mdadm --wait-clean on RAID servers); the hook now waits for them, bounded.
void add_process(FakeFileSystem& fs, int pid, int ppid, const std::string& argv0,
                 const std::string& args) {
  const std::string dir = "/proc/" + std::to_string(pid);
  fs.add_file(dir + "/stat", fmt::format("{} ({}) S {} {} 0 0", pid, argv0, ppid, pid));
  fs.add_file(dir + "/cmdline", args);
}

TEST_F(EnableTest, ShutdownHookWaitsForItsSiblings) {
  m.kexec->set_loaded(true);
  m.fs->add_file(kRebootMarker, "/boot/vmlinuz-6.1.0-10-amd64\n");
  add_process(*m.fs, 500, 1, "warmboot", std::string("/usr/sbin/warmboot\0shutdown-hook\0", 32));
  m.fs->add_file("/proc/self/stat", "500 (warmboot) R 1 500 0 0");
  const std::string mdadm("/bin/sh\0/usr/lib/systemd/system-shutdown/mdadm.shutdown\0reboot", 62);
  add_process(*m.fs, 600, 1, "mdadm.shutdown", mdadm);
  add_process(*m.fs, 700, 1, "udevd", std::string("@udevd\0", 7));  // a survivor, not a hook
  add_process(*m.fs, 800, 600, "mdadm", "/sbin/mdadm --wait-clean --scan");  // the hook's child
  const double start = m.clock;
  m.on_sleep = [&](double now) {
    if (now - start >= 3) (void)m.fs->remove_file("/proc/600/stat");  // mdadm's hook is done
  };
  m.run({"shutdown-hook", "reboot"});
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 1);
  EXPECT_GE(m.clock - start, 3.0);
  EXPECT_LT(m.clock - start, 4.0);
  const auto& log = m.kernel_log->records();
  ASSERT_GE(log.size(), 2u);
  EXPECT_THAT(log[0], HasSubstr("waiting for the other shutdown hooks to finish: /bin/sh "
                                "/usr/lib/systemd/system-shutdown/mdadm.shutdown reboot (600)"));
  EXPECT_THAT(log[1], HasSubstr("finished after 3."));
}

TEST_F(EnableTest, ShutdownHookGivesUpOnAHungSibling) {
  m.kexec->set_loaded(true);
  m.fs->add_file(kRebootMarker, "/boot/vmlinuz-6.1.0-10-amd64\n");
  m.fs->add_file("/proc/self/stat", "500 (warmboot) R 1 500 0 0");
  add_process(*m.fs, 500, 1, "warmboot", "/usr/sbin/warmboot");
  add_process(*m.fs, 600, 1, "hung", "/usr/lib/systemd/system-shutdown/hung.shutdown");
  const double start = m.clock;
  m.run({"shutdown-hook", "reboot"});
  EXPECT_EQ(m.kexec->count(Op::ExecNow), 1);  // handed over anyway
  EXPECT_NEAR(m.clock - start, kSiblingWaitSeconds, 0.5);
  EXPECT_THAT(m.kernel_log->records()[1], HasSubstr("gave up waiting after 45 s"));
}

TEST_F(EnableTest, ShutdownHookSpeaksThroughTheKernelLog) {
  m.kexec->set_loaded(true);
  m.fs->add_file(kRebootMarker, "/boot/vmlinuz-6.1.0-10-amd64\n");
  auto run = m.run({"shutdown-hook", "reboot"});
  EXPECT_EQ(run.code,
            to_int(ExitCode::HandoverFailed));  // the fake's kexec returns: a failed handover
  EXPECT_EQ(run.err, "");
  ASSERT_EQ(m.kernel_log->records().size(), 2u);
  EXPECT_EQ(m.kernel_log->records()[0],
            "<5>warmboot: rebooting with kexec into the staged kernel\n");
  EXPECT_EQ(m.kernel_log->records()[1], "<3>warmboot: kexec failed, rebooting cold: returned\n");

  m.kexec->set_loaded(false);
  EXPECT_EQ(m.run({"shutdown-hook", "reboot"}).code, to_int(ExitCode::StageFailed));
  EXPECT_EQ(m.kernel_log->records().back(),
            "<4>warmboot: nothing staged any more; rebooting cold\n");
}

TEST_F(EnableTest, ShutdownHookFallsBackToStderrWithoutTheKernelLog) {
  m.kernel_log->set_writable(false);
  m.kexec->set_loaded(true);
  m.fs->add_file(kRebootMarker, "/boot/vmlinuz-6.1.0-10-amd64\n");
  auto run = m.run({"shutdown-hook", "reboot"});
  EXPECT_EQ(run.code, to_int(ExitCode::HandoverFailed));
  EXPECT_TRUE(m.kernel_log->records().empty());
  EXPECT_EQ(run.err,
            "warmboot: rebooting with kexec into the staged kernel\n"
            "warmboot: kexec failed, rebooting cold: returned\n");
}

TEST_F(EnableTest, BrokenConfigOnTheWayDownMeansCold) {
  rebooting();
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[kernel]\nselect = 3\n");
  EXPECT_EQ(m.run({"shutdown-stage"}).code, to_int(ExitCode::BadConfig));
  EXPECT_EQ(m.kexec->count(Op::FileLoad), 0);
  EXPECT_TRUE(m.journal->contains("bad configuration"));
}

}  // namespace
}  // namespace warmboot

namespace warmboot {
namespace {

// stage_ahead set after enabling: `enable` again stages now, as the first `enable` would have.
TEST(EnableStageAhead, EnableAgainStartsTheStageAheadUnit) {
  FakeMachine m;
  m.running("6.1.0-9-amd64");
  m.fs->add_file("/boot/vmlinuz-6.1.0-9-amd64", testing::make_test_kernel("6.1.0-9-amd64"));
  ASSERT_EQ(m.run({"enable"}).code, to_int(ExitCode::Ok));
  EXPECT_THAT(m.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path"));
  m.fs->add_file("/etc/warmboot/warmboot.conf", "[handover]\nstage_ahead = true\n");
  auto again = m.run({"enable"});
  EXPECT_EQ(again.code, to_int(ExitCode::Ok));
  EXPECT_THAT(again.out, HasSubstr("already enabled"));
  EXPECT_THAT(again.out, HasSubstr("stage ahead: on (config)"));
  EXPECT_THAT(m.units->actions(),
              ElementsAre("reload", "start warmboot-stage.service", "start warmboot-refresh.path",
                          "start warmboot-stage-ahead.service"));
}

}  // namespace
}  // namespace warmboot
