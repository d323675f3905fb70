// SPDX-License-Identifier: Apache-2.0
// /etc/warmboot/warmboot.conf: what warmboot does when no flag says otherwise. TOML; every key is
// optional, an unknown key or a value of the wrong type or range is an error naming
// file:line:column. The documented example is etc/warmboot.conf.example; flags override it
// (cli/config_merge.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/filesystem.h"
#include "core/result.h"
#include "core/state_paths.h"
#include "core/watchdog.h"

namespace warmboot {

enum class HandoverMode { Systemd, Force };
// [guard] on_failure: what a warm-failed boot or a health regression does to the host.
enum class GuardPolicy { PinCold, Warn };
// [handover] stage_ahead: "auto" (the rule of core/stage_ahead.h decides), true, or false.
enum class StageAhead { Auto, On, Off };
const char* to_string(StageAhead setting);  // "auto", "true", "false", as the file spells them

struct HookConfig {
  bool isolate_multi_user = false;           // leave a graphical session for multi-user.target
  std::vector<std::string> unload_modules;   // unloaded holders first (libkmod)
  std::vector<std::string> down_interfaces;  // brought down with SIOCSIFFLAGS
  std::string directory = kDefaultHooksDir;  // user hooks, run in lexical order
  int timeout_sec = 60;                      // each user hook's time limit, then it is killed

  bool operator==(const HookConfig&) const = default;
};

struct Config {
  // [kernel]
  std::optional<std::string> kernel;   // default | current | latest | VERSION | PATH
  std::vector<std::string> initrds;    // replace the entry's initrds when not empty
  std::optional<std::string> cmdline;  // replaces the whole command line
  std::vector<std::string> append;
  std::vector<std::string> remove;
  std::optional<std::string> dtb;  // arm64: the next kernel's device tree (core/device_tree_blob.h)
  // [handover]
  HandoverMode mode = HandoverMode::Systemd;
  bool fallback = true;  // reboot cold when the warm path fails
  bool ignore_inhibitors = false;
  // When enabled: stage after boot (warmboot-stage-ahead.service) rather than on the way down;
  // Auto does when the machine can afford to keep the kernel in memory (core/stage_ahead.h).
  StageAhead stage_ahead = StageAhead::Auto;
  // Stage only kernels whose signature the running kernel verifies (--require-signed).
  bool require_signed = false;
  // [hooks]
  HookConfig hooks;
  // [guard]
  GuardPolicy on_failure = GuardPolicy::PinCold;
  // Seconds the hardware watchdog runs across a warm reboot's handover (core/watchdog.h); 0: off.
  int watchdog_sec = kDefaultWatchdogSec;
  // [metrics]
  std::optional<std::string> metrics_path;

  bool operator==(const Config&) const = default;
};

// Parses the text of a configuration file; `path` only names it in errors. Never throws.
Result<Config> parse_config(std::string_view text, std::string_view path);

// Reads and parses `path` inside fs's root; a missing file gives the defaults.
Result<Config> load_config(const FileSystem& fs, std::string_view path = kConfigPath);

}  // namespace warmboot
