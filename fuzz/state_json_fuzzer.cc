// SPDX-License-Identifier: Apache-2.0
// The JSON files warmboot keeps across runs and boots, read back: the downtime history
// (read_history, downtime_from_json, boot_phases_from_json, and what is drawn from it: timelines,
// bars, SVG, metrics), the handover record (handover_from_json, record_this_boot), the staged
// record (read_staged_record) and the plan (plan_from_json).
//
// Input: one JSON document, given to every reader (each takes what it understands).
// Properties: whatever a reader accepts survives being written and read again unchanged (in
// memory and through the file's text).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/downtime_history.h"
#include "core/json_text.h"
#include "core/plan.h"
#include "core/reboot_metrics.h"
#include "core/reboot_timeline.h"
#include "core/staged_record.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

nlohmann::json through_text(const nlohmann::json& json) {
  return nlohmann::json::parse(json_text(json), nullptr, /*allow_exceptions=*/false);
}

void check_records(const nlohmann::json& json) {
  if (auto plan = plan_from_json(json)) {
    FUZZ_CHECK(plan_from_json(to_json(*plan)) == plan);
    FUZZ_CHECK(plan_from_json(through_text(to_json(*plan))) == plan);
  }
  if (auto handover = handover_from_json(json)) {
    FUZZ_CHECK(handover_from_json(to_json(*handover)) == handover);
    FUZZ_CHECK(handover_from_json(through_text(to_json(*handover))) == handover);
  }
  if (auto record = downtime_from_json(json)) {
    FUZZ_CHECK(downtime_from_json(to_json(*record)) == record);
    FUZZ_CHECK(downtime_from_json(through_text(to_json(*record))) == record);
  }
  if (auto phases = boot_phases_from_json(json)) {
    FUZZ_CHECK(boot_phases_from_json(to_json(*phases)) == phases);
    (void)warm_saving(*phases, false);
  }
}

void check_history(const std::vector<DowntimeRecord>& history) {
  for (const auto& record : history) (void)utc_text(record.ready_at);
  auto timelines = compare_reboots(history);
  (void)render_bars(timelines);
  (void)render_svg(timelines, "fuzz <&>");
  for (const auto& timeline : timelines) (void)json_text(to_json(timeline));
  (void)render_metrics(history, count_history(history), true);
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  const std::string text(fuzz::as_text(data, size));
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) {
    check_records(json);
    if (json.is_object() && json.contains("reboots") && json["reboots"].is_array()) {
      for (const auto& item : json["reboots"]) check_records(item);
    }
  }

  FakeFileSystem fs;
  fs.add_file(kHistoryPath, text);
  fs.add_file(kStagedRecordPath, text);
  fs.add_file(kRebootCountsPath, text);
  if (auto history = read_history(fs)) {
    check_history(*history);
    (void)current_counts(fs, *history);
    FakeFileSystem out;
    FUZZ_CHECK(write_history(out, *history).ok());
    auto again = read_history(out);
    FUZZ_CHECK(again.ok() && *again == *history);
  }
  if (auto staged = read_staged_record(fs)) {
    FakeFileSystem out;
    FUZZ_CHECK(write_staged_record(out, *staged).ok());
    FUZZ_CHECK(read_staged_record(out) == staged);
  }

  // The next boot: the handover record and the history as they are, this boot recorded.
  FakeFileSystem boot;
  boot.add_file(kHandoverPath, text);
  if (auto recorded = record_this_boot(boot, "0123456789abcdef0123456789abcdef", 1.7e9)) {
    auto history = read_history(boot);
    FUZZ_CHECK(history.ok() && !history->empty() && history->back() == *recorded);
    check_history(*history);
  }
  if (auto recorded = record_this_boot(fs, "0123456789abcdef0123456789abcdef", 1.7e9)) {
    auto history = read_history(fs);
    FUZZ_CHECK(history.ok() && !history->empty() && history->back() == *recorded);
  }
  std::string moved;
  (void)read_history_or_start_anew(fs, 1.7e9, &moved);
  return 0;
}
