// SPDX-License-Identifier: Apache-2.0
// Exit codes of the warmboot command. Stable: scripts and Ansible rely on them.
#pragma once

namespace warmboot {

enum class ExitCode : int {
  Ok = 0,
  Failure = 1,         // something went wrong that has no code of its own
  Usage = 2,           // bad command line
  NoKernel = 3,        // the plan could not be made: no such kernel, missing initrd, bad config
  StageFailed = 4,     // the kernel refused the image (and no fallback was allowed)
  Refused = 5,         // not confirmed (--yes), or not allowed here (--root is not /)
  Inhibited = 6,       // a shutdown inhibitor blocks the reboot
  HandoverFailed = 7,  // staged, but the reboot itself could not be started
  BadConfig = 8,       // /etc/warmboot/warmboot.conf is broken: nothing was done
  HookFailed = 9,      // a hook failed before the handover (and no fallback was allowed)
  Pinned = 10,         // the guard pinned this host cold (and no fallback was allowed)

  // `warmboot check` says how the machine is, not whether warmboot failed: its own statuses.
  CheckWarnings = 1,  // a warm reboot should work; something may bite
  CheckFailures = 2,  // a warm reboot would fail or go cold
};

inline int to_int(ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace warmboot
