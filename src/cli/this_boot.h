// SPDX-License-Identifier: Apache-2.0
// What warmboot can learn about the current boot and the one before it: PID 1's boot timestamps,
// when the machine was ready, and the previous boot's shutdown from the journal. Shared by
// `audit` and `history record`; every part may be missing, with the reason kept.
#pragma once

#include <optional>
#include <string>

#include "cli/context.h"
#include "core/boot_timings.h"
#include "core/shutdown_blame.h"

namespace warmboot {

// The unit whose activation stands for "userspace ready" (warmboot-record.service runs after it).
inline constexpr const char* kReadyUnit = "multi-user.target";
// How many entries of the previous boot are read from the journal's end.
inline constexpr size_t kJournalTail = 50000;

struct ThisBoot {
  std::string boot_id;
  std::optional<BootTimestamps> stamps;
  std::string stamps_problem;  // why stamps is empty
  BootPhases phases;           // from stamps, userspace completed by `ready` if unfinished
  std::optional<UnitActivation> ready;
  bool came_from_kexec = false;  // boot_params' type_of_loader is 0xDx (kexec)
  std::string previous_boot_id;  // "" when the journal has no earlier boot
  std::optional<ShutdownReport> previous_shutdown;
  std::optional<double> previous_end;  // the previous boot's last journal entry
  std::string journal_problem;         // why the previous boot's shutdown is unknown
};

ThisBoot read_this_boot(Context& ctx);

}  // namespace warmboot
