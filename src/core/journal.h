// SPDX-License-Identifier: Apache-2.0
// Structured log records about what warmboot did (staged, handed over, refused). The real one is
// SystemdJournal (os/systemd_journal.h); tests use FakeJournal (tests/fakes/fake_journal.h).
#pragma once

#include <map>
#include <string>

namespace warmboot {

class Journal {
 public:
  virtual ~Journal() = default;

  // priority is a syslog level (LOG_ERR, LOG_NOTICE, ...). Each field "kernel" = "/boot/x" is
  // stored as WARMBOOT_KERNEL=/boot/x. Logging never fails the caller.
  virtual void log(int priority, const std::string& message,
                   const std::map<std::string, std::string>& fields = {}) = 0;
};

// "kernel-version" -> "WARMBOOT_KERNEL_VERSION": upper-cased, every character outside [A-Z0-9_]
// turned into '_', prefixed. Journal field names allow only those characters.
std::string journal_field_name(const std::string& key);

}  // namespace warmboot
