// SPDX-License-Identifier: Apache-2.0
// The kernel's log buffer (/dev/kmsg): where userspace can still be heard at the very end of a
// shutdown, in systemd-shutdown's hooks, when journald has stopped and stderr leads nowhere. What
// is written there shows in `dmesg` and on the console (by console log level), and with
// `journalctl -k` if the buffer survives. The real one is DevKmsg; tests use FakeKernelLog
// (tests/fakes/fake_kernel_log.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace warmboot {

class KernelLog {
 public:
  virtual ~KernelLog() = default;

  // priority is a syslog level (LOG_ERR, LOG_NOTICE, ...). Writes one record per line of
  // message, as kmsg_records() spells them. Fails when the log cannot be written (no /dev/kmsg,
  // or not writable): then the caller says it elsewhere.
  virtual Status write(int priority, std::string_view message) = 0;
};

// What goes to /dev/kmsg for one message: a record per non-empty line, each
// "<LEVEL>warmboot: line\n" (the kernel files records without a facility under LOG_USER), lines
// cut to kKmsgLineMax bytes, below the kernel's limit for one record.
inline constexpr std::size_t kKmsgLineMax = 900;
std::vector<std::string> kmsg_records(int priority, std::string_view message);

}  // namespace warmboot
