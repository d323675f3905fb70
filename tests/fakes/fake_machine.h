// SPDX-License-Identifier: Apache-2.0
// A Machine built from fakes, kept alive after the run so tests can inspect what happened.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "fakes/fake_filesystem.h"
#include "fakes/fake_interface_control.h"
#include "fakes/fake_journal.h"
#include "fakes/fake_journal_reader.h"
#include "fakes/fake_kernel_log.h"
#include "fakes/fake_kexec.h"
#include "fakes/fake_module_unloader.h"
#include "fakes/fake_process_runner.h"
#include "fakes/fake_systemd_client.h"
#include "fakes/fake_unit_control.h"
#include "fakes/fake_watchdog_device.h"

namespace warmboot {

struct FakeMachine {
  std::shared_ptr<FakeFileSystem> fs = std::make_shared<FakeFileSystem>();
  std::shared_ptr<FakeKexec> kexec = std::make_shared<FakeKexec>();
  std::shared_ptr<FakeSystemdClient> systemd = std::make_shared<FakeSystemdClient>();
  std::shared_ptr<FakeJournal> journal = std::make_shared<FakeJournal>();
  std::shared_ptr<FakeProcessRunner> runner = std::make_shared<FakeProcessRunner>();
  std::shared_ptr<FakeUnitControl> units = std::make_shared<FakeUnitControl>();
  std::shared_ptr<FakeModuleUnloader> modules = std::make_shared<FakeModuleUnloader>();
  std::shared_ptr<FakeInterfaceControl> interfaces = std::make_shared<FakeInterfaceControl>();
  std::shared_ptr<FakeKernelLog> kernel_log = std::make_shared<FakeKernelLog>();
  std::shared_ptr<FakeJournalReader> journal_reader = std::make_shared<FakeJournalReader>();
  std::shared_ptr<FakeWatchdogDevice> watchdog = std::make_shared<FakeWatchdogDevice>();
  std::string last_root;
  // CLOCK_REALTIME as the run sees it (Context::clock); tests move it between runs.
  double clock = 1700000000.25;
  // Called after every sleep with the new clock: tests end a sibling process, say.
  std::function<void(double)> on_sleep;

  struct Run {
    int code = 0;
    std::string out, err;
  };

  // The running kernel as /proc shows it after a GRUB boot of /boot/vmlinuz-RELEASE, and this
  // boot's id.
  void running(const std::string& release,
               const std::string& boot_id = "11111111-2222-3333-4444-555555555555") {
    fs->add_file("/proc/sys/kernel/osrelease", release + "\n");
    fs->add_file("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-" + release + " root=/dev/vda1 ro\n");
    fs->add_file("/proc/sys/kernel/random/boot_id", boot_id + "\n");
  }

  Run run(const std::vector<std::string>& args,
          std::function<bool(const std::string&)> confirm = {}) {
    std::ostringstream out, err;
    AppIo io{out,
             err,
             std::move(confirm),
             [] { return int64_t{1700000000}; },
             [this] { return clock; },
             [this](double seconds) {
               clock += seconds;
               if (on_sleep) on_sleep(clock);
             }};
    Run result;
    result.code = run_app(
        args,
        [this](const std::string& root) {
          last_root = root;
          Machine machine{fs,    kexec,   systemd,    journal,       runner,
                          units, modules, interfaces, journal_reader};
          machine.kernel_log = kernel_log;
          machine.watchdog = watchdog;
          return machine;
        },
        io);
    result.out = out.str();
    result.err = err.str();
    return result;
  }
};

}  // namespace warmboot
