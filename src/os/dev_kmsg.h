// SPDX-License-Identifier: Apache-2.0
// The real KernelLog: /dev/kmsg, opened for writing on the first write and kept open.
#pragma once

#include "core/kernel_log.h"
#include "os/unique_fd.h"

namespace warmboot {

// Opens /dev/kmsg for writing on the first write, and keeps it open.
class DevKmsg : public KernelLog {
 public:
  Status write(int priority, std::string_view message) override;

 private:
  UniqueFd fd_;
};

}  // namespace warmboot
