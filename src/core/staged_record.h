// SPDX-License-Identifier: Apache-2.0
// The record warmboot keeps of what it staged, in /run/warmboot/staged.json (tmpfs: gone after any
// reboot, so a record always describes this boot's staged kernel), so `status` can say which plan
// is staged and `reboot` can skip staging the same plan twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/filesystem.h"
#include "core/plan.h"
#include "core/result.h"
#include "core/state_paths.h"

namespace warmboot {

// How a kernel was staged.
enum class StagingMethod {
  FileLoad,    // kexec_file_load(2): the kernel verifies and loads the image itself
  KexecTools,  // kexec-tools' kexec_load(2), where kexec_file_load cannot take the image
};
const char* to_string(StagingMethod method);  // "kexec_file_load", "kexec_load (kexec-tools)"
std::optional<StagingMethod> staging_method_from_string(std::string_view text);

// One file the staged kernel was loaded from, as it was just before it was read.
struct StagedFile {
  std::string path;
  FileIdentity identity;  // all zero when the file could not be looked at

  bool operator==(const StagedFile&) const = default;
};

struct StagedRecord {
  Plan plan;
  StagingMethod method = StagingMethod::FileLoad;
  std::string boot_id;    // the boot in which it was staged
  int64_t staged_at = 0;  // seconds since the epoch
  // The kernel and every initrd: a file rewritten in place since (update-initramfs -u, a DKMS
  // rebuild, a same-ABI kernel update) makes the staged kernel stale even though the plan's
  // paths are the same.
  std::vector<StagedFile> files;

  bool operator==(const StagedRecord&) const = default;
};

// The plan's kernel and initrds as they are now (identities taken before staging reads them: a
// file changed in between then looks changed, never unchanged).
std::vector<StagedFile> identify_plan_files(const FileSystem& fs, const Plan& plan);

// The record describes `plan`, staged in boot `boot_id`, from files that have not changed since.
bool record_is_current(const StagedRecord& record, const Plan& plan, const std::string& boot_id,
                       const FileSystem& fs);

Status write_staged_record(FileSystem& fs, const StagedRecord& record);
// nullopt when there is no record or it cannot be understood (a stale or foreign file is ignored).
std::optional<StagedRecord> read_staged_record(const FileSystem& fs);
Status remove_staged_record(FileSystem& fs);

}  // namespace warmboot
