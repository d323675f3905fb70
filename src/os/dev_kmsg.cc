// SPDX-License-Identifier: Apache-2.0
#include "os/dev_kmsg.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <ranges>

#include <fmt/format.h>

namespace warmboot {

Status DevKmsg::write(int priority, std::string_view message) {
  if (!fd_.valid()) {
    fd_.reset(::open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd_.valid())
      return errno_error("open", errno, "/dev/kmsg", "cannot write to the kernel log");
  }
  for (const std::string& record : kmsg_records(priority, message)) {
    // One write(2) is one record.
    ssize_t written;
    do {
      written = ::write(fd_.get(), record.data(), record.size());
    } while (written < 0 && errno == EINTR);
    if (written < 0)
      return errno_error("write", errno, "/dev/kmsg", "cannot write to the kernel log");
  }
  return {};
}

}  // namespace warmboot
