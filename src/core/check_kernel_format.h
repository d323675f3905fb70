// SPDX-License-Identifier: Apache-2.0
// "kernel-format": what the planned kernel image is and what staging will do with it on this
// machine: pass it to kexec_file_load as is, or (arm64) decompress it in memory first.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/check.h"
#include "core/filesystem.h"
#include "core/plan.h"
#include "core/result.h"

namespace warmboot {

// Reads the kernel's first 64 KiB (a UKI's .linux section's) through `fs` and judges it with
// check_kernel_image for `machine_arch`: fail when staging would refuse it. `unpacked` is what
// os/kernel_unpack_probe.h found when it decompressed the image as staging will: its description
// (ok) or its error (fail); nullopt when nobody tried.
CheckResult check_kernel_format(const FileSystem& fs, const Plan& plan,
                                std::string_view machine_arch,
                                const std::optional<Result<std::string>>& unpacked);

}  // namespace warmboot
