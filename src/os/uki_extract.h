// SPDX-License-Identifier: Apache-2.0
// Pulls the kernel (.linux) and the embedded initrd (.initrd) out of a unified kernel image into
// memfds, so kexec_file_load can be given them as ordinary files.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "os/unique_fd.h"

namespace warmboot {

struct UkiParts {
  UniqueFd kernel;  // the .linux section
  uint64_t kernel_size = 0;
  UniqueFd initrd;  // the .initrd section; not valid() when the UKI has none (or it is empty)
  uint64_t initrd_size = 0;
};

// UKIs larger than this are refused rather than read into memory.
inline constexpr uint64_t kMaxStagedUkiBytes = 1ull << 30;

// `fd` holds `size` bytes of the UKI named `path` (inside the root, for errors).
Result<UkiParts> extract_uki(int fd, uint64_t size, const std::string& path);

}  // namespace warmboot
