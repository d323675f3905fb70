// SPDX-License-Identifier: Apache-2.0
#include "cli/app.h"
#include "os/dev_kmsg.h"
#include "os/ioctl_interface_control.h"
#include "os/kmod_module_unloader.h"
#include "os/linux_kexec.h"
#include "os/linux_watchdog_device.h"
#include "os/rooted_filesystem.h"
#include "os/sd_bus_systemd_client.h"
#include "os/sd_journal_reader.h"
#include "os/spawn_process_runner.h"
#include "os/systemd_journal.h"
#include "os/systemd_unit_control.h"

namespace warmboot {

Machine make_real_machine(const std::string& root) {
  Machine machine;
  auto fs = std::make_shared<RootedFileSystem>(root);
  machine.kexec = std::make_shared<LinuxKexec>(*fs);
  machine.systemd = std::make_shared<SdBusSystemdClient>(*fs);
  machine.journal = std::make_shared<SystemdJournal>();
  auto runner = std::make_shared<SpawnProcessRunner>();
  machine.units = std::make_shared<SystemdUnitControl>(*runner);
  machine.modules = std::make_shared<KmodModuleUnloader>();
  machine.interfaces = std::make_shared<IoctlInterfaceControl>();
  if (root == "/") {
    machine.kernel_log = std::make_shared<DevKmsg>();
    machine.watchdog = std::make_shared<LinuxWatchdogDevice>();
  }
  machine.journal_reader = std::make_shared<SdJournalReader>(root);
  machine.runner = std::move(runner);
  machine.fs = std::move(fs);
  return machine;
}

}  // namespace warmboot
