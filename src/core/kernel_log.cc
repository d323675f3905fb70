// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_log.h"

#include <syslog.h>

#include <fmt/format.h>

namespace warmboot {

std::vector<std::string> kmsg_records(int priority, std::string_view message) {
  std::vector<std::string> records;
  // A plain loop, not std::views::split: clang 14 (the fuzzing build) cannot compile
  // libstdc++ 12's ranges.
  while (!message.empty()) {
    const size_t end = message.find('\n');
    const std::string_view line = message.substr(0, end);
    message = end == std::string_view::npos ? std::string_view{} : message.substr(end + 1);
    if (line.empty()) continue;
    records.push_back(
        fmt::format("<{}>warmboot: {}\n", LOG_PRI(priority), line.substr(0, kKmsgLineMax)));
  }
  return records;
}

}  // namespace warmboot
