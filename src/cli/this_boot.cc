// SPDX-License-Identifier: Apache-2.0
#include "cli/this_boot.h"

#include <algorithm>

#include "core/staged_record.h"

namespace warmboot {

ThisBoot read_this_boot(Context& ctx) {
  ThisBoot boot;
  boot.boot_id = ctx.facts().boot_id;
  boot.came_from_kexec = ctx.facts().came_from_kexec();
  if (ctx.host_root) {
    if (auto stamps = ctx.systemd.boot_timestamps()) {
      boot.stamps = *stamps;
      boot.phases = boot_phases(*stamps);
      // After a kexec no firmware ran; EFI's loader variables still hold the cold boot's times.
      if (boot.came_from_kexec) boot.phases.firmware = boot.phases.loader = std::nullopt;
    } else {
      boot.stamps_problem = stamps.error().str();
    }
    if (auto ready = ctx.systemd.unit_active_since(kReadyUnit); ready && *ready) {
      boot.ready = **ready;
      if (!boot.phases.userspace && boot.stamps &&
          boot.ready->monotonic_us >= boot.stamps->userspace_us) {
        boot.phases.userspace =
            static_cast<double>(boot.ready->monotonic_us - boot.stamps->userspace_us) / 1e6;
      }
    }
  } else {
    boot.stamps_problem = "boot timings come from the running systemd: not read under --root";
  }
  if (!ctx.journal_reader) {
    boot.journal_problem = "no journal to read";
    return boot;
  }
  auto previous = ctx.journal_reader->previous_boot(boot.boot_id, kJournalTail);
  if (!previous) {
    boot.journal_problem = previous.error().str();
    return boot;
  }
  boot.previous_boot_id = previous->boot_id;
  for (const auto& entry : previous->entries) {
    boot.previous_end = std::max(boot.previous_end.value_or(0), entry.when());
  }
  boot.previous_shutdown = shutdown_blame(*previous);
  if (!boot.previous_shutdown) {
    boot.journal_problem =
        "the previous boot's journal shows no orderly shutdown (a crash, a power cut, a reset, "
        "or `reboot -f`)";
  }
  return boot;
}

}  // namespace warmboot
