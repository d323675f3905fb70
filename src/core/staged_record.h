// The record warmboot keeps of what it staged, in /run/warmboot/staged.json (tmpfs: gone after any
// reboot, so a record always describes this boot's staged kernel), so `status` can say which plan
// is staged and `reboot` can skip staging the same plan twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/plan.h"
#include "core/result.h"
#include "os/filesystem.h"

namespace warmboot {

inline constexpr const char* kStagedRecordPath = "/run/warmboot/staged.json";

struct StagedRecord {
  Plan plan;
  std::string method;     // "kexec_file_load" or the fallback used
  std::string boot_id;    // the boot in which it was staged
  int64_t staged_at = 0;  // seconds since the epoch

  bool operator==(const StagedRecord&) const = default;
};

Status write_staged_record(FileSystem& fs, const StagedRecord& record);
// nullopt when there is no record or it cannot be understood (a stale or foreign file is ignored).
std::optional<StagedRecord> read_staged_record(const FileSystem& fs);
Status remove_staged_record(FileSystem& fs);

// /proc/sys/kernel/random/boot_id without its newline, or "" if unreadable.
std::string read_boot_id(const FileSystem& fs);

}  // namespace warmboot
