// SPDX-License-Identifier: Apache-2.0
// A Journal for tests: keeps every record, with field names as the real journal would store them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/journal.h"

namespace warmboot {

class FakeJournal : public Journal {
 public:
  struct Record {
    int priority = 0;
    std::string message;
    std::map<std::string, std::string> fields;  // "WARMBOOT_KERNEL" -> "/boot/vmlinuz-..."
  };

  void log(int priority, const std::string& message,
           const std::map<std::string, std::string>& fields = {}) override {
    Record record{priority, message, {}};
    for (const auto& [key, value] : fields) record.fields[journal_field_name(key)] = value;
    records_.push_back(std::move(record));
  }

  const std::vector<Record>& records() const { return records_; }
  bool contains(const std::string& text) const {
    for (const auto& r : records_)
      if (r.message.find(text) != std::string::npos) return true;
    return false;
  }

 private:
  std::vector<Record> records_;
};

}  // namespace warmboot
