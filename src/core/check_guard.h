// SPDX-License-Identifier: Apache-2.0
// The guard's checks. "watchdog": whether a watchdog device exists (and which), since without one
// a warm reboot whose new kernel hangs stays hung until someone power cycles the machine; and
// whether the running kernel lets it run across a kexec (the watchdog core stops a running
// watchdog at kexec unless the kernel was booted with watchdog.stop_on_reboot=0). "pin": whether
// the guard pinned this host cold after a warm reboot went wrong (core/guard_pin.h).
#pragma once

#include "core/check.h"
#include "core/filesystem.h"
#include "core/machine_facts.h"

namespace warmboot {

CheckResult check_watchdog(const FileSystem& fs, const MachineFacts& machine);
CheckResult check_pin(const FileSystem& fs);

}  // namespace warmboot
