// SPDX-License-Identifier: Apache-2.0
// The real JournalReader, on sd-journal: the machine's journal (--root /), the journal of an OS
// tree (--root DIR: its /var/log/journal and /run/log/journal), or given journal files (tests,
// and journals copied off another machine).
#pragma once

#include <string>
#include <vector>

#include "core/journal_reader.h"

namespace warmboot {

class SdJournalReader : public JournalReader {
 public:
  // root "/" opens the local system journal; any other root is read as an OS tree.
  explicit SdJournalReader(std::string root);
  static SdJournalReader from_files(std::vector<std::string> files);

  Result<BootJournal> previous_boot(const std::string& current_boot_id,
                                    size_t max_entries) override;

 private:
  SdJournalReader() = default;
  std::string root_;
  std::vector<std::string> files_;
};

}  // namespace warmboot
