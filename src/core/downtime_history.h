// SPDX-License-Identifier: Apache-2.0
// Downtime history: at handover warmboot writes a handover record (when and how it left, which
// plan); at the next boot the gap to userspace-ready is the downtime, recorded with its kind.
// Boots without a handover record from an earlier boot are cold reboots not made by warmboot.
// Pure logic plus reading and writing the JSON files through a FileSystem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/boot_timings.h"
#include "core/filesystem.h"
#include "core/health_snapshot.h"
#include "core/result.h"
#include "core/state_paths.h"

namespace warmboot {

inline constexpr size_t kHistoryKeep = 50;

// WarmFailed: the handover record says warm, but this boot came through the firmware (a hung or
// reset handover, the watchdog's cold boot): the guard pins such a host cold (core/guard_pin.h).
enum class RebootKind { Warm, Cold, Fallback, WarmFailed };
const char* to_string(RebootKind kind);
std::optional<RebootKind> reboot_kind_from_string(std::string_view text);

// Written just before the handover, by the boot that is leaving.
struct HandoverRecord {
  std::string boot_id;  // the leaving boot's /proc/sys/kernel/random/boot_id
  std::string method;   // "kexec_file_load", "kexec_load (kexec-tools)", or "cold" (fallback)
  double left_at = 0;   // CLOCK_REALTIME seconds since the epoch, sub-second
  std::string plan;     // one line: "6.1.0-10-amd64 /boot/vmlinuz-6.1.0-10-amd64"
  std::optional<HealthSnapshot> health;  // the machine just before a warm handover
  bool operator==(const HandoverRecord&) const = default;
};

struct DowntimeRecord {
  std::string boot_id;  // the boot that came up
  RebootKind kind = RebootKind::Cold;
  std::optional<double> left_at;  // unknown for cold reboots warmboot did not make
  double ready_at = 0;            // userspace ready, CLOCK_REALTIME seconds since the epoch
  std::optional<double> downtime_s;
  std::string plan;    // from the handover record; "" for cold reboots
  std::string kernel;  // the release this boot came up in (uname -r); "" if unknown
  // Where left_at came from: "handover" (warmboot's record), "journal" (the previous boot's
  // shutdown request or, failing that, its last entry), "" when unknown.
  std::string left_by;
  std::optional<double> shutdown_s;  // the previous boot's shutdown, from its journal
  std::optional<BootPhases> phases;  // this boot, as systemd measured it
  // A warm boot's health against the leaving boot's snapshot (core/health_snapshot.h).
  std::vector<std::string> regressions;
  bool operator==(const DowntimeRecord&) const = default;
};

// CLOCK_REALTIME seconds as UTC text in strftime `format` ("%Y-%m-%d %H:%M:%S" by default);
// "?" when it cannot be shown.
std::string utc_text(double seconds, const char* format = "%Y-%m-%d %H:%M:%S");

nlohmann::json to_json(const HandoverRecord& record);
std::optional<HandoverRecord> handover_from_json(const nlohmann::json& json);
nlohmann::json to_json(const DowntimeRecord& record);
std::optional<DowntimeRecord> downtime_from_json(const nlohmann::json& json);

// How the boot `boot_id`, ready at `ready_at`, came about. A handover record left by another boot
// makes it warm (or fallback when its method is "cold"); otherwise it is cold. `previous_left`
// is when the previous boot began to go down according to its journal (the shutdown request),
// if known: a cold reboot's leaving time, and for a warm one the earlier of it and the handover
// record's time (a plain `reboot` made warm by `warmboot enable` writes its record mid-shutdown).
// `previous_boot_id` names the boot `previous_left` comes from, when known: a journal that does not
// hold the boot that wrote the handover record (a volatile journal, say) is not used for it.
DowntimeRecord classify_boot(const std::string& boot_id, double ready_at,
                             const std::optional<HandoverRecord>& handover,
                             std::optional<double> previous_left = std::nullopt,
                             const std::string& previous_boot_id = "");

// Boot IDs compare equal however they are spelled: /proc's "a1b2...-..." or the journal's 32 hex
// digits.
bool same_boot_id(std::string_view a, std::string_view b);

// Appends unless `record.boot_id` is already there, keeping the newest `keep` records.
void append_record(std::vector<DowntimeRecord>& history, DowntimeRecord record,
                   size_t keep = kHistoryKeep);

// The history file; an absent file is an empty history, a corrupt one an error.
Result<std::vector<DowntimeRecord>> read_history(const FileSystem& fs);
Status write_history(FileSystem& fs, const std::vector<DowntimeRecord>& history);
// For `history record` at boot: a history file that is corrupt or oversized is moved aside to
// history.json.corrupt-<UTC time> (named in *moved_to) and a new one begins, so that one bad
// file does not stop every later boot from being recorded. Other errors (I/O) are returned.
Result<std::vector<DowntimeRecord>> read_history_or_start_anew(FileSystem& fs, double now,
                                                               std::string* moved_to);

// Written by the leaving boot just before it hands over (or reboots cold as a fallback).
Status write_handover(FileSystem& fs, const HandoverRecord& record);
// The handover record, if there is a readable one.
std::optional<HandoverRecord> read_handover(const FileSystem& fs);

// At boot: classifies this boot from the handover record (if any), appends it, writes the
// history, then removes the handover record. Returns what was recorded.
// `kernel` is this boot's release, kept in the record.
// `facts` carries what else is known of this boot (kernel, shutdown_s, phases).
struct BootFacts {
  std::optional<double> previous_left;  // see classify_boot
  std::string previous_boot_id;         // the boot previous_left comes from, "" if unknown
  std::string kernel;
  std::optional<double> shutdown_s;
  std::optional<BootPhases> phases;
  // This boot began with kexec (boot_params' loader type 0xD0); nullopt when the architecture does
  // not say. A warm handover record with false here makes the boot warm-failed.
  std::optional<bool> came_from_kexec;
  std::optional<HealthSnapshot> health;  // this boot's, compared with the handover's
};
Result<DowntimeRecord> record_this_boot(FileSystem& fs, const std::string& boot_id, double ready_at,
                                        const BootFacts& facts = {});

}  // namespace warmboot
