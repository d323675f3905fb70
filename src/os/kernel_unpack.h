// SPDX-License-Identifier: Apache-2.0
// Turns a kernel image that the machine's kexec_file_load cannot take as is (a compressed arm64
// Image, an EFI zboot image: core/kernel_preparation.h) into a raw Image in a memfd, never a file
// on disk. The output is bounded in size and time, and checked to be a raw Image for the machine
// before anyone hands it to a syscall.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/kernel_image.h"
#include "core/kernel_preparation.h"
#include "core/result.h"
#include "os/unique_fd.h"

namespace warmboot {

struct UnpackLimits {
  uint64_t max_output = kMaxUnpackedKernelBytes;  // also the largest input read
  std::chrono::milliseconds timeout = kUnpackTimeout;
};

struct UnpackedKernel {
  UniqueFd fd;        // memfd "warmboot-kernel" (close-on-exec), positioned at 0
  uint64_t size = 0;  // bytes of the raw Image
  // "gzip-compressed Image: decompressed in memory before staging (31.0 MiB)"
  std::string description;
};

// Reads the kernel from `fd` (`file_size` bytes; `info` is inspect_kernel_image of its head) and
// decompresses the whole file (Decompress) or the zboot payload (UnwrapZboot) into a memfd.
// Errors name `path` and carry an errno: EFBIG above limits.max_output, ETIMEDOUT past
// limits.timeout, ENOEXEC for a corrupt or truncated stream, an unsupported compression, or an
// output that is not a raw Image of `machine_arch` (no "ARM\x64" magic at offset 56 on arm64, or
// another architecture's Image). Nothing is left behind on failure.
Result<UnpackedKernel> unpack_kernel(int fd, uint64_t file_size, const KernelImageInfo& info,
                                     KernelPreparation how, const std::string& path,
                                     std::string_view machine_arch,
                                     const UnpackLimits& limits = {});

}  // namespace warmboot
