// SPDX-License-Identifier: Apache-2.0
// What staging does with a kernel image before it is staged (kexec_file_load, or kexec-tools'
// kexec_load where the kernel lacks it), decided from the image's format (core/kernel_image.h) and
// the running machine's architecture (MachineFacts::arch), and how `check` and errors describe it.
// The work itself is os/kernel_unpack.h.
//
// arm64's kexec_file_load takes only a raw Image (the arm64 image header, with or without an EFI
// stub). Debian's arm64 vmlinuz is one; other distributions and boards ship a gzip'ed Image.gz, an
// EFI zboot image or a zstd/xz/lz4-compressed Image. Those are decompressed into a memfd first.
// x86_64's kexec_file_load takes the bzImage itself: nothing changes there.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/kernel_image.h"

namespace warmboot {

// A decompressed kernel larger than this is refused: a hostile image must not fill memory. Real
// arm64 Images are 30-70 MiB.
inline constexpr uint64_t kMaxUnpackedKernelBytes = 256ull << 20;
// ... and so is one whose decompression takes longer than this.
inline constexpr std::chrono::seconds kUnpackTimeout{30};

enum class KernelPreparation {
  AsIs,         // passed to kexec_file_load as it is
  Decompress,   // the whole file is a compressed stream holding the Image
  UnwrapZboot,  // the Image is the compressed payload of an EFI zboot image
};

// Decompress or UnwrapZboot only on an arm64 machine, for a Compressed or Zboot image; AsIs
// for everything else (check_kernel_image refuses what cannot boot).
KernelPreparation kernel_preparation(const KernelImageInfo& info, std::string_view machine_arch);

// "x86_64 bzImage", "arm64 Image", "gzip-compressed Image", "EFI zboot image (zstd, arm64)",
// "unified kernel image (arm64)", ...
std::string describe_kernel_format(const KernelImageInfo& info);

// "staged as is", "decompressed in memory before staging", ...
std::string describe_preparation(KernelPreparation preparation);

// "31.0 MiB", "512.0 KiB".
std::string human_bytes(uint64_t bytes);

}  // namespace warmboot
