// SPDX-License-Identifier: Apache-2.0
#include "os/systemd_journal.h"

#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <string>
#include <vector>

#include <fmt/format.h>

namespace warmboot {

void SystemdJournal::log(int priority, const std::string& message,
                         const std::map<std::string, std::string>& fields) {
  // Values may hold any bytes, newlines included: sd_journal_sendv takes each as one iovec.
  std::vector<std::string> entries;
  entries.reserve(fields.size() + 3);
  entries.push_back("MESSAGE=" + message);
  entries.push_back(fmt::format("PRIORITY={}", priority & 7));
  entries.push_back("SYSLOG_IDENTIFIER=warmboot");
  for (const auto& [key, value] : fields) entries.push_back(journal_field_name(key) + "=" + value);

  std::vector<struct iovec> iov;
  iov.reserve(entries.size());
  for (auto& e : entries) iov.push_back(iovec{e.data(), e.size()});
  (void)sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

}  // namespace warmboot
