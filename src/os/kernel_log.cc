#include "os/kernel_log.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <ranges>

#include <fmt/format.h>

namespace warmboot {

std::vector<std::string> kmsg_records(int priority, std::string_view message) {
  std::vector<std::string> records;
  for (auto part : std::views::split(message, '\n')) {
    std::string_view line(part.begin(), part.end());
    if (line.empty()) continue;
    records.push_back(
        fmt::format("<{}>warmboot: {}\n", LOG_PRI(priority), line.substr(0, kKmsgLineMax)));
  }
  return records;
}

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
