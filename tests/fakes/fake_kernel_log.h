// SPDX-License-Identifier: Apache-2.0
// A KernelLog for tests: keeps every record exactly as DevKmsg would write it to /dev/kmsg, or,
// when made unwritable, fails like a machine without /dev/kmsg.
#pragma once

#include <cerrno>
#include <string>
#include <vector>

#include "core/kernel_log.h"

namespace warmboot {

class FakeKernelLog : public KernelLog {
 public:
  void set_writable(bool writable) { writable_ = writable; }
  const std::vector<std::string>& records() const { return records_; }
  bool contains(const std::string& text) const {
    for (const auto& r : records_)
      if (r.find(text) != std::string::npos) return true;
    return false;
  }

  Status write(int priority, std::string_view message) override {
    if (!writable_)
      return errno_error("open", EACCES, "/dev/kmsg", "cannot write to the kernel log");
    for (auto& record : kmsg_records(priority, message)) records_.push_back(std::move(record));
    return {};
  }

 private:
  bool writable_ = true;
  std::vector<std::string> records_;
};

}  // namespace warmboot
