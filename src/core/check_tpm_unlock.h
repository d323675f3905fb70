// SPDX-License-Identifier: Apache-2.0
// "tpm-unlock": an encrypted volume unlocked by a TPM2-sealed key (crypttab's tpm2-device=, as
// systemd-cryptenroll --tpm2-device sets up). kexec does not reset the TPM's PCRs: the new kernel
// sees the values the previous boot left (plus what was measured since, e.g. systemd-pcrphase's
// "shutdown" into PCR 11), not those a firmware boot produces, so a key sealed to them no longer
// unseals. After a warm reboot the unlock then fails or falls back to asking for the passphrase,
// which on an unattended machine means it waits at the console.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/check.h"
#include "core/filesystem.h"

namespace warmboot {

// The volumes (crypttab's first field) whose options name tpm2-device=; comments and blank lines
// skipped.
std::vector<std::string> tpm2_unlocked_volumes(std::string_view crypttab);

// Reads /etc/crypttab under `fs`; no crypttab is ok.
CheckResult check_tpm_unlock(const FileSystem& fs);

}  // namespace warmboot
