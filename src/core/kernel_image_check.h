// SPDX-License-Identifier: Apache-2.0
// Refuses kernel images that cannot boot here before anything is staged: not a kernel at all,
// a kernel for another architecture, a 32-bit-only bzImage, or a truncated file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/kernel_image.h"
#include "core/result.h"

namespace warmboot {

// `head` is the start of the file (64 KiB or all of it), `file_size` its full size, `path` the
// name used in messages, `machine_arch` the running machine's (MachineFacts::arch; "" when
// unknown: only the formats are checked). A unified kernel image is checked by its embedded
// .linux elsewhere.
// x86_64: a 64-bit bzImage (or an x86_64 ELF, for kexec-tools); any other architecture's kernel
// is refused. arm64: a raw Image (with or without EFI stub), a compressed image or an EFI zboot
// image (both unpacked before the load, os/kernel_unpack.h), or an arm64 ELF; a bzImage or
// another architecture's kernel is refused, as is a zboot image whose payload the file lacks.
Status check_kernel_image(std::string_view head, uint64_t file_size, const std::string& path,
                          std::string_view machine_arch = native_arch());

// The size an x86 bzImage says it has: (setup_sects + 1) * 512 + syssize * 16; 0 if not a bzImage
// or the header leaves syssize empty.
uint64_t bzimage_declared_size(std::string_view head);

}  // namespace warmboot
