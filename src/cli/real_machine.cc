#include "cli/app.h"
#include "os/linux_kexec.h"
#include "os/rooted_filesystem.h"
#include "os/systemd_journal.h"
#include "os/systemd_manager.h"

namespace warmboot {

Machine make_real_machine(const std::string& root) {
  Machine machine;
  auto fs = std::make_unique<RootedFileSystem>(root);
  machine.kexec = std::make_unique<LinuxKexec>(*fs);
  machine.systemd = std::make_unique<SystemdManager>(*fs);
  machine.journal = std::make_unique<SystemdJournal>();
  machine.runner = std::make_unique<SpawnProcessRunner>();
  machine.fs = std::move(fs);
  return machine;
}

}  // namespace warmboot
