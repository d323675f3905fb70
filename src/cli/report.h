// SPDX-License-Identifier: Apache-2.0
// How commands report: errors on stderr as "warmboot: ...", the refusal to act under --root, and
// the announcement that a reboot under way will be cold. Shared by every cmd_*.cc.
#pragma once

#include "cli/context.h"
#include "cli/exit_code.h"
#include "core/error.h"

namespace warmboot {

// Prints `error` as "warmboot: op: ENAME: message; remedy" on stderr and returns `code`.
ExitCode fail(Context& ctx, const Error& error, ExitCode code);

// Refuses staging and handover when --root is not the host's root (says so; returns true).
bool refuse_offline_root(Context& ctx, const char* command);

// On the way down of a reboot: this one will be cold. Says why on stderr and in the journal,
// removes the reboot marker so systemd-shutdown's hook stays out of it, and returns `code`.
ExitCode going_cold(Context& ctx, const Error& why, ExitCode code);

}  // namespace warmboot
