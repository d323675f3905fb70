// SPDX-License-Identifier: Apache-2.0
// For `warmboot check`: does to the planned kernel what staging would (os/kernel_unpack.h), in a
// memfd thrown away afterwards, to tell how big the decompressed Image is or why it cannot be had.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "core/plan.h"
#include "core/result.h"

namespace warmboot {

// nullopt when staging passes the kernel as is (or it is not a usable kernel at all: the check
// says so itself); else the description of the unpacked kernel (UnpackedKernel::description), or
// the error staging would meet.
std::optional<Result<std::string>> probe_kernel_unpack(const FileSystem& fs, const Plan& plan,
                                                       std::string_view machine_arch);

}  // namespace warmboot
