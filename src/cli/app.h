// Parses the command line and runs a subcommand against a Machine (real, or fakes in tests).
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "os/filesystem.h"
#include "os/interface_control.h"
#include "os/journal.h"
#include "os/journal_reader.h"
#include "os/kernel_log.h"
#include "os/kexec_interface.h"
#include "os/module_unloader.h"
#include "os/process_runner.h"
#include "os/system_manager.h"
#include "os/unit_control.h"

namespace warmboot {

// The machine's interfaces, owned together.
struct Machine {
  std::shared_ptr<FileSystem> fs;
  std::shared_ptr<KexecInterface> kexec;
  std::shared_ptr<SystemManager> systemd;
  std::shared_ptr<Journal> journal;
  std::shared_ptr<ProcessRunner> runner;
  std::shared_ptr<UnitControl> units;
  std::shared_ptr<ModuleUnloader> modules;
  std::shared_ptr<InterfaceControl> interfaces;
  std::shared_ptr<JournalReader> journal_reader;
  std::shared_ptr<KernelLog> kernel_log = nullptr;  // null: none (under --root)
};

struct AppIo {
  std::ostream& out;
  std::ostream& err;
  std::function<bool(const std::string&)> confirm;  // empty: no terminal
  std::function<int64_t()> now;
  std::function<double()> clock = {};  // CLOCK_REALTIME, sub-second; empty: `now` is used
};

using MachineFactory = std::function<Machine(const std::string& root)>;

// Returns the process exit code. Never throws.
int run_app(const std::vector<std::string>& args, const MachineFactory& make_machine, AppIo io);

// The real machine under `root` ("/" for the host).
Machine make_real_machine(const std::string& root);

}  // namespace warmboot
