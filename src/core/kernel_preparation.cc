// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_preparation.h"

#include <fmt/format.h>

namespace warmboot {

KernelPreparation kernel_preparation(const KernelImageInfo& info, std::string_view machine_arch) {
  if (machine_arch != "arm64") return KernelPreparation::AsIs;
  if (info.format == KernelImageInfo::Format::Compressed) return KernelPreparation::Decompress;
  if (info.format == KernelImageInfo::Format::Zboot) return KernelPreparation::UnwrapZboot;
  return KernelPreparation::AsIs;
}

std::string describe_kernel_format(const KernelImageInfo& info) {
  using Format = KernelImageInfo::Format;
  const std::string arch = info.arch.empty() ? std::string() : info.arch + " ";
  switch (info.format) {
    case Format::BzImage:
      return arch + "bzImage";
    case Format::Elf:
      return arch + "ELF vmlinux";
    case Format::Pe:
      return arch + "PE/EFI image";
    case Format::Uki:
      return info.arch.empty() ? "unified kernel image"
                               : fmt::format("unified kernel image ({})", info.arch);
    case Format::Compressed:
      // The arch is inside: known only once decompressed.
      return fmt::format("{}-compressed Image", info.compression);
    case Format::Image:
      return arch + "Image";
    case Format::Zboot:
      return info.arch.empty()
                 ? fmt::format("EFI zboot image ({})", info.compression)
                 : fmt::format("EFI zboot image ({}, {})", info.compression, info.arch);
    case Format::Unknown:
      break;
  }
  return "unknown format";
}

std::string describe_preparation(KernelPreparation preparation) {
  switch (preparation) {
    case KernelPreparation::AsIs:
      return "staged as is";
    case KernelPreparation::Decompress:
      return "decompressed in memory before staging";
    case KernelPreparation::UnwrapZboot:
      return "its payload decompressed in memory before staging";
  }
  return "?";
}

std::string human_bytes(uint64_t bytes) {
  if (bytes < (1 << 20)) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
}

}  // namespace warmboot
