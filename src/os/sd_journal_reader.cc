// SPDX-License-Identifier: Apache-2.0
#include "os/sd_journal_reader.h"

#include <systemd/sd-journal.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace warmboot {
namespace {

struct JournalCloser {
  void operator()(sd_journal* j) const { sd_journal_close(j); }
};
using JournalHandle = std::unique_ptr<sd_journal, JournalCloser>;

constexpr const char* kRemedy =
    "is the journal persistent? (mkdir -p /var/log/journal; journalctl --flush)";

Error journal_error(const std::string& op, int r, const std::string& file, const char* message) {
  return errno_error(op, -r, file, message, kRemedy);
}

// "FIELD=value" -> value, when the entry has that field.
bool read_field(sd_journal* j, const std::string& name, std::string& value) {
  const void* data = nullptr;
  size_t length = 0;
  if (sd_journal_get_data(j, name.c_str(), &data, &length) < 0) return false;
  std::string_view text(static_cast<const char*>(data), length);
  if (text.size() <= name.size() || text[name.size()] != '=') return false;
  value.assign(text.substr(name.size() + 1));
  return true;
}

// The realtime of the newest entry of `boot_id` (0 when it has none).
uint64_t last_entry_of(sd_journal* j, const std::string& boot_id) {
  sd_journal_flush_matches(j);
  std::string match = "_BOOT_ID=" + boot_id;
  if (sd_journal_add_match(j, match.data(), match.size()) < 0) return 0;
  if (sd_journal_seek_tail(j) < 0 || sd_journal_previous(j) <= 0) return 0;
  uint64_t usec = 0;
  return sd_journal_get_realtime_usec(j, &usec) < 0 ? 0 : usec;
}

}  // namespace

SdJournalReader::SdJournalReader(std::string root) : root_(std::move(root)) {}

SdJournalReader SdJournalReader::from_files(std::vector<std::string> files) {
  SdJournalReader reader;
  reader.files_ = std::move(files);
  return reader;
}

Result<BootJournal> SdJournalReader::previous_boot(const std::string& current_boot_id,
                                                   size_t max_entries) {
  sd_journal* raw = nullptr;
  int r = 0;
  std::string where = root_.empty() ? "journal files" : root_;
  if (!files_.empty()) {
    std::vector<const char*> paths;
    for (const auto& f : files_) paths.push_back(f.c_str());
    paths.push_back(nullptr);
    r = sd_journal_open_files(&raw, paths.data(), 0);
    where = files_.front();
  } else if (root_.empty() || root_ == "/") {
    r = sd_journal_open(&raw, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
    where = "/var/log/journal";
  } else {
    r = sd_journal_open_directory(&raw, root_.c_str(), SD_JOURNAL_OS_ROOT);
  }
  if (r < 0) return journal_error("sd_journal_open", r, where, "cannot open the journal");
  JournalHandle j(raw);

  // The boots in the journal; the previous one is the newest by its last entry, not this one.
  std::vector<std::string> boots;
  r = sd_journal_query_unique(j.get(), "_BOOT_ID");
  if (r < 0) return journal_error("sd_journal_query_unique", r, where, "cannot list the boots");
  const void* data = nullptr;
  size_t length = 0;
  SD_JOURNAL_FOREACH_UNIQUE(j.get(), data, length) {
    std::string_view text(static_cast<const char*>(data), length);
    if (text.starts_with("_BOOT_ID=")) boots.emplace_back(text.substr(9));
  }
  BootJournal boot;
  uint64_t newest = 0;
  const std::string current = canonical_boot_id(current_boot_id);
  for (const auto& id : boots) {
    if (id == current) continue;
    uint64_t last = last_entry_of(j.get(), id);
    if (last > newest) {
      newest = last;
      boot.boot_id = id;
    }
  }
  if (boot.boot_id.empty()) {
    return make_error(where, "the journal holds no earlier boot", kRemedy);
  }

  sd_journal_flush_matches(j.get());
  std::string match = "_BOOT_ID=" + boot.boot_id;
  r = sd_journal_add_match(j.get(), match.data(), match.size());
  if (r >= 0) r = sd_journal_seek_tail(j.get());
  if (r < 0) return journal_error("sd_journal_seek_tail", r, where, "cannot read the journal");
  while (boot.entries.size() < max_entries && (r = sd_journal_previous(j.get())) > 0) {
    JournalEntry entry;
    if (sd_journal_get_realtime_usec(j.get(), &entry.realtime_us) < 0) continue;
    std::string value;
    for (const auto& name : journal_fields_read()) {
      if (read_field(j.get(), name, value)) entry.fields.emplace(name, value);
    }
    boot.entries.push_back(std::move(entry));
  }
  if (r < 0) return journal_error("sd_journal_previous", r, where, "cannot read the journal");
  boot.truncated = boot.entries.size() >= max_entries && sd_journal_previous(j.get()) > 0;
  std::reverse(boot.entries.begin(), boot.entries.end());
  return boot;
}

}  // namespace warmboot
