// What a subcommand works with: the machine's interfaces (real, or fakes in tests), where to print,
// and the global options.
#pragma once

#include <functional>
#include <ostream>
#include <string>

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

struct Context {
  FileSystem& fs;
  KexecInterface& kexec;
  SystemManager& systemd;
  Journal& journal;
  ProcessRunner& runner;
  std::ostream& out;
  std::ostream& err;
  bool json = false;
  bool host_root = true;  // --root is "/": the only case where staging and handover are allowed
  // Asks the operator a yes/no question on a terminal; empty when there is no terminal.
  std::function<bool(const std::string& question)> confirm;
  // Seconds since the epoch (a fake clock in tests).
  std::function<int64_t()> now;
  // CLOCK_REALTIME with sub-second precision, for the downtime history; empty: `now` is used.
  std::function<double()> clock = {};
  // For hooks and `enable`; null when the machine has none (then hooks fail rather than run).
  UnitControl* units = nullptr;
  ModuleUnloader* modules = nullptr;
  InterfaceControl* interfaces = nullptr;
  // The journal read back (audit, history record); null when there is none.
  JournalReader* journal_reader = nullptr;
  // /dev/kmsg, for what shutdown-hook says after journald has stopped; null: stderr only.
  KernelLog* kernel_log = nullptr;
};

}  // namespace warmboot
