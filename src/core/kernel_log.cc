// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_log.h"

#include <syslog.h>

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

}  // namespace warmboot
