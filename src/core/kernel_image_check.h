// SPDX-License-Identifier: Apache-2.0
// Refuses kernel images that cannot boot here before anything is staged: not a kernel at all,
// a kernel for another architecture, a 32-bit-only bzImage, or a truncated file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace warmboot {

// `head` is the start of the file (64 KiB or all of it), `file_size` its full size, `path` the
// name used in messages. A unified kernel image is checked by its embedded .linux elsewhere.
Status check_kernel_image(std::string_view head, uint64_t file_size, const std::string& path);

// The size an x86 bzImage says it has: (setup_sects + 1) * 512 + syssize * 16; 0 if not a bzImage
// or the header leaves syssize empty.
uint64_t bzimage_declared_size(std::string_view head);

}  // namespace warmboot
