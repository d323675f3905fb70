// SPDX-License-Identifier: Apache-2.0
// Parses the command line and runs a subcommand against a Machine (real, or fakes in tests).
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/filesystem.h"
#include "core/interface_control.h"
#include "core/journal.h"
#include "core/journal_reader.h"
#include "core/kernel_log.h"
#include "core/kexec_interface.h"
#include "core/module_unloader.h"
#include "core/process_runner.h"
#include "core/systemd_client.h"
#include "core/unit_control.h"
#include "core/watchdog.h"

namespace warmboot {

// The machine's interfaces, owned together.
struct Machine {
  std::shared_ptr<FileSystem> fs;
  std::shared_ptr<KexecInterface> kexec;
  std::shared_ptr<SystemdClient> systemd;
  std::shared_ptr<Journal> journal;
  std::shared_ptr<ProcessRunner> runner;
  std::shared_ptr<UnitControl> units;
  std::shared_ptr<ModuleUnloader> modules;
  std::shared_ptr<InterfaceControl> interfaces;
  std::shared_ptr<JournalReader> journal_reader;
  std::shared_ptr<KernelLog> kernel_log = nullptr;     // null: none (under --root)
  std::shared_ptr<WatchdogDevice> watchdog = nullptr;  // null: none (under --root)
};

struct AppIo {
  std::ostream& out;
  std::ostream& err;
  std::function<bool(const std::string&)> confirm;  // empty: no terminal
  std::function<int64_t()> now;
  std::function<double()> clock = {};  // CLOCK_REALTIME, sub-second; empty: `now` is used
  std::function<void(double seconds)> sleep = {};  // empty: no waiting is possible
};

using MachineFactory = std::function<Machine(const std::string& root)>;

// Returns the process exit code. Never throws.
int run_app(const std::vector<std::string>& args, const MachineFactory& make_machine, AppIo io);

// The real machine under `root` ("/" for the host).
Machine make_real_machine(const std::string& root);

}  // namespace warmboot
