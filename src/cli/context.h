// SPDX-License-Identifier: Apache-2.0
// What a subcommand works with: the machine's interfaces (real, or fakes in tests), where to print,
// and the global options.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "core/config.h"
#include "core/filesystem.h"
#include "core/interface_control.h"
#include "core/journal.h"
#include "core/journal_reader.h"
#include "core/kernel_log.h"
#include "core/kexec_interface.h"
#include "core/machine_facts.h"
#include "core/module_unloader.h"
#include "core/process_runner.h"
#include "core/systemd_client.h"
#include "core/unit_control.h"
#include "core/watchdog.h"

namespace warmboot {

struct Context {
  FileSystem& fs;
  KexecInterface& kexec;
  SystemdClient& systemd;
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
  // Waits this long (a fake clock in tests advances instead); empty: waiting is not possible.
  std::function<void(double seconds)> sleep = {};
  // For hooks and `enable`; null when the machine has none (then hooks fail rather than run).
  UnitControl* units = nullptr;
  ModuleUnloader* modules = nullptr;
  InterfaceControl* interfaces = nullptr;
  // The journal read back (audit, history record); null when there is none.
  JournalReader* journal_reader = nullptr;
  // /dev/kmsg, for what shutdown-hook says after journald has stopped; null: stderr only.
  KernelLog* kernel_log = nullptr;
  // The hardware watchdog, for the direct handover (core/watchdog.h); null: none (under --root).
  WatchdogDevice* watchdog = nullptr;
  // The subcommand running ("load", "history record"): who holds the staging lock.
  std::string command = {};

  // The machine's facts (core/machine_facts.h), read on first use and kept for the run; PID 1 is
  // asked only on the host's root.
  const MachineFacts& facts() {
    if (!facts_) facts_ = read_machine_facts(fs, host_root ? &systemd : nullptr);
    return *facts_;
  }
  // /etc/warmboot/warmboot.conf (defaults when absent), read on first use and kept for the run.
  const Result<Config>& config() {
    if (!config_) config_ = load_config(fs);
    return *config_;
  }

  std::optional<MachineFacts> facts_ = {};
  std::optional<Result<Config>> config_ = {};
};

}  // namespace warmboot
