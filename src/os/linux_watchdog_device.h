// SPDX-License-Identifier: Apache-2.0
// The real WatchdogDevice (core/watchdog.h): /dev/watchdog0 (else /dev/watchdog), as systemd
// finds it, through the kernel's watchdog API (linux/watchdog.h).
// DANGER: arm() starts a hardware timer that resets the machine unless something feeds it. Never
// call it on a development host; it runs only inside QEMU guests. Unit tests use a fake.
#pragma once

#include "core/watchdog.h"

namespace warmboot {

class LinuxWatchdogDevice : public WatchdogDevice {
 public:
  Result<int> arm(int seconds) override;
  Status disarm() override;
};

}  // namespace warmboot
