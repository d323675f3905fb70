// SPDX-License-Identifier: Apache-2.0
// A JournalReader for tests: returns the boot it was given, or an error.
#pragma once

#include <optional>
#include <utility>

#include "core/journal_reader.h"

namespace warmboot {

class FakeJournalReader : public JournalReader {
 public:
  void set_previous_boot(BootJournal boot) { boot_ = std::move(boot); }
  void fail(Error error) { error_ = std::move(error); }

  Result<BootJournal> previous_boot(const std::string& current_boot_id,
                                    size_t max_entries) override {
    asked_current_ = current_boot_id;
    if (error_) return *error_;
    if (!boot_ || boot_->boot_id == current_boot_id) {
      return make_error("journal", "no earlier boot in the journal",
                        "make the journal persistent (mkdir /var/log/journal)");
    }
    BootJournal boot = *boot_;
    if (boot.entries.size() > max_entries) {
      boot.entries.erase(boot.entries.begin(), boot.entries.end() - max_entries);
      boot.truncated = true;
    }
    return boot;
  }

  const std::string& asked_current() const { return asked_current_; }

 private:
  std::optional<BootJournal> boot_;
  std::optional<Error> error_;
  std::string asked_current_;
};

}  // namespace warmboot
