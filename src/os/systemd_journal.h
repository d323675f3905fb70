// SPDX-License-Identifier: Apache-2.0
// The real Journal: sd_journal_sendv with MESSAGE, PRIORITY, SYSLOG_IDENTIFIER=warmboot and the
// caller's fields as WARMBOOT_*. Without a journald socket the records are silently dropped.
#pragma once

#include "core/journal.h"

namespace warmboot {

class SystemdJournal : public Journal {
 public:
  void log(int priority, const std::string& message,
           const std::map<std::string, std::string>& fields = {}) override;
};

}  // namespace warmboot
