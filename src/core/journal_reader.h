// SPDX-License-Identifier: Apache-2.0
// Reading the system journal back: the boot before this one, for shutdown blame and for the
// downtime of cold reboots. The real one is SdJournalReader (os/sd_journal_reader.h); tests use
// FakeJournalReader (tests/fakes/fake_journal_reader.h).
#pragma once

#include <cstddef>
#include <string>

#include "core/journal_entry.h"
#include "core/result.h"

namespace warmboot {

class JournalReader {
 public:
  virtual ~JournalReader() = default;

  // The newest boot in the journal other than `current_boot_id` (by its last entry; the ID as
  // /proc/sys/kernel/random/boot_id spells it, with dashes, or as the journal does), with its
  // last `max_entries` entries, oldest first, each holding only journal_fields_read(). An error
  // when the journal cannot be opened or holds no other boot (e.g. it is not persistent).
  virtual Result<BootJournal> previous_boot(const std::string& current_boot_id,
                                            size_t max_entries) = 0;
};

}  // namespace warmboot
