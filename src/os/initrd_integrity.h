// SPDX-License-Identifier: Apache-2.0
// Refuses damaged initrds before anything is staged. The kernel does not verify an initrd when
// kexec_file_load takes it: a truncated one is only noticed by the next kernel, which then fails
// to find its root filesystem. Reading every archive to its end (decompressing as needed) proves
// each one is whole.
#pragma once

#include "core/filesystem.h"
#include "core/plan.h"
#include "core/result.h"

namespace warmboot {

Status check_initrds(const Plan& plan, const FileSystem& fs);

}  // namespace warmboot
