// SPDX-License-Identifier: Apache-2.0
// The ArmWatchdog step of the handover sequence (core/handover_sequence.h) and its undoing: the
// hardware watchdog runs across the handover (core/watchdog.h), armed by systemd on the systemd
// paths and by warmboot on the direct one.
#pragma once

#include <cstdint>
#include <optional>

#include "cli/context.h"
#include "core/handover_sequence.h"

namespace warmboot {

// What arming changed, so a failed reboot request can put it back.
struct HandoverWatchdog {
  bool armed_by_warmboot = false;         // the direct path: warmboot started the device
  std::optional<uint64_t> previous_usec;  // systemd's value before this reboot's
};

// Not fatal: when it fails the journal and stderr say that a hang would need a power cycle.
HandoverWatchdog arm_handover_watchdog(Context& ctx, const HandoverRequest& request);

// The reboot request failed and the machine stays up: stop what warmboot started, give systemd
// back its value.
void undo_handover_watchdog(Context& ctx, const HandoverRequest& request,
                            const HandoverWatchdog& armed);

}  // namespace warmboot
