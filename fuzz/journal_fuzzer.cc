// SPDX-License-Identifier: Apache-2.0
// The previous boot's journal as `history record` and `audit` read it: shutdown_blame (when the
// shutdown began and ended, how long each unit took to stop), worth_showing and its JSON, and
// JournalEntry::when / canonical_boot_id on every entry.
//
// Input: journal export text (see journal_export.h), e.g. tests/data/journal/three-boots.export.
// Properties: the report's end is not before its start; units are sorted slowest first; every
// unit that timed out or never finished is shown; the JSON can be written as text.
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/shutdown_blame.h"
#include "fuzz_support.h"
#include "journal_export.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  for (BootJournal& boot : fuzz::read_export(fuzz::as_text(data, size))) {
    for (const auto& entry : boot.entries) FUZZ_CHECK(std::isfinite(entry.when()));
    for (bool truncated : {false, true}) {
      boot.truncated = truncated;
      auto report = shutdown_blame(boot);
      if (!report) continue;
      FUZZ_CHECK(report->ended_at >= report->started_at);
      FUZZ_CHECK(report->truncated == truncated);
      for (size_t i = 1; i < report->units.size(); ++i) {
        FUZZ_CHECK(report->units[i - 1].seconds >= report->units[i].seconds);
      }
      auto shown = worth_showing(report->units, 3);
      size_t must_show = 0;
      for (const auto& unit : report->units) must_show += unit.timed_out || !unit.finished;
      FUZZ_CHECK(shown.size() >= must_show && shown.size() <= report->units.size());
      FUZZ_CHECK(!json_text(to_json(*report, 3)).empty());
    }
  }
  return 0;
}
