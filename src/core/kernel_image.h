// SPDX-License-Identifier: Apache-2.0
// What a kernel image file is, from its first bytes: an x86 bzImage (with or without EFI stub),
// an ELF vmlinux, a PE/EFI image (arm64 Image with EFI stub, EFI zboot), a unified kernel image,
// an EFI zboot image, a raw arm64/riscv64 Image, or a compressed image (arm64 Image.gz and the
// like).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace warmboot {

struct KernelImageInfo {
  // Image: a raw arm64 (or riscv64) kernel Image, "ARM\x64" (or "RSC\x05") at offset 0x38
  // (Documentation/arch/arm64/booting.rst), with or without an EFI stub ("MZ" at 0).
  // Zboot: an EFI zboot image (core/zboot_header.h): a PE decompressor around a compressed Image.
  enum class Format { BzImage, Elf, Pe, Uki, Compressed, Image, Zboot, Unknown };
  Format format = Format::Unknown;
  std::string version;  // the kernel release ("6.1.0-9-amd64") when the header tells, else ""
  // An x86 bzImage with the 64-bit entry point (xloadflags XLF_KERNEL_64, boot protocol >= 2.12),
  // directly or as the .linux of a UKI: what x86_64 kexec_file_load accepts. False for other
  // formats, even x86_64 ELF files (x86_64 kexec_file_load takes bzImages only).
  bool x86_64_ok = false;
  std::string arch;  // "x86_64", "x86", "arm64", "arm", "riscv64", ... or "" when unknown
  // Compressed and Zboot: the compression ("gzip", "zstd", "xz", "lz4", "bzip2", "lzo", "lzma");
  // for Zboot the family of the header's name ("zstd22" -> "zstd"), or the name itself when
  // unknown. "" otherwise.
  std::string compression;
  // Zboot: where the compressed payload lies in the file.
  uint64_t payload_offset = 0;
  uint64_t payload_size = 0;
};

const char* to_string(KernelImageInfo::Format format);

// This machine's architecture in the EFI vocabulary boot entries use ("x64", "ia32", "aa64",
// "arm", "riscv64", "loongarch64"), or "" when unknown.
std::string_view native_efi_arch();

// This machine's architecture as warmboot was built for it, in KernelImageInfo::arch's
// vocabulary ("x86_64", "arm64", ...); "" when unknown.
std::string_view native_arch();

// An architecture as uname -m or /proc/sys/kernel/arch spells it ("aarch64", "x86_64", "i686",
// "riscv64") in KernelImageInfo::arch's vocabulary ("arm64", "x86_64", "x86", "riscv64").
std::string normalize_arch(std::string_view uname_machine);

// "ARM\x64" at offset 0x38: the arm64 Image header's magic.
bool has_arm64_image_magic(std::string_view head);

// `head` is the start of the file: at least its first 64 KiB, or the whole file if smaller.
//
// bzImage (Documentation/arch/x86/boot.rst): "HdrS" at 0x202, protocol version at 0x206, a
// pointer at 0x20E to a NUL-terminated version string at pointer + 0x200 (its first word is the
// release), xloadflags at 0x236 (protocol 2.12+). A bzImage with an EFI stub starts with "MZ" too;
// the "HdrS" check comes first. UKIs are recognised by a .linux PE section; their release comes
// from .uname, or from the bzImage header in .linux when that lies inside `head`.
//
// arm64/riscv64 Image: the magic at 0x38 decides, before the PE header of its EFI stub.
// EFI zboot: "zimg" at 4; arch from the PE header's machine when inside `head`, compression and
// payload from the zboot header (its payload lying past `head` is not an error here).
//
// Fails when `head` is too short to decide, or when a header it found points past its end
// (the message names the field and the offset needed).
Result<KernelImageInfo> inspect_kernel_image(std::string_view head);

}  // namespace warmboot
