// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_image_check.h"

#include <cerrno>

#include <fmt/format.h>

#include "core/kernel_image.h"
#include "core/little_endian.h"
#include "core/zboot_header.h"

namespace warmboot {
namespace {

Error bad_image(const std::string& path, std::string message, std::string remedy) {
  return errno_error("check kernel", ENOEXEC, path, fmt::format("{}: {}", path, message),
                     std::move(remedy));
}

// A 32-bit x86 bzImage is still "for" an x86_64 machine: refused below for its entry point.
bool same_family(std::string_view image_arch, std::string_view machine_arch) {
  if (image_arch == machine_arch) return true;
  return machine_arch == "x86_64" && image_arch == "x86";
}

}  // namespace

uint64_t bzimage_declared_size(std::string_view head) {
  if (head.size() < 0x206 || head.substr(0x202, 4) != "HdrS") return 0;
  uint64_t setup_sects = static_cast<unsigned char>(head[0x1f1]);
  if (setup_sects == 0) setup_sects = 4;
  uint64_t syssize = 0;
  for (int i = 3; i >= 0; --i)
    syssize = (syssize << 8) | static_cast<unsigned char>(head[0x1f4 + i]);
  if (syssize == 0) return 0;  // not filled in (boot protocol before 2.04): nothing to compare
  return (setup_sects + 1) * 512 + syssize * 16;
}

Status check_kernel_image(std::string_view head, uint64_t file_size, const std::string& path,
                          std::string_view machine_arch) {
  if (file_size == 0) return bad_image(path, "is empty", "reinstall the kernel package");
  auto info = inspect_kernel_image(head);
  if (!info) {
    return bad_image(path, "is not a usable kernel image (" + info.error().message + ")",
                     "reinstall the kernel package or choose another kernel");
  }
  using Format = KernelImageInfo::Format;
  if (info->format == Format::Unknown) {
    return bad_image(path, "is not a kernel image (no bzImage, arm64 Image, ELF or PE header)",
                     "check the path; reinstall the kernel package");
  }
  if (info->format == Format::Uki) return {};
  if (!info->arch.empty() && !machine_arch.empty() && !same_family(info->arch, machine_arch)) {
    return bad_image(path,
                     fmt::format("is a kernel for {} ({}), this machine is {}", info->arch,
                                 to_string(info->format), machine_arch),
                     fmt::format("choose a kernel built for {}", machine_arch));
  }
  if (machine_arch == "x86_64") {
    if (info->format == Format::Pe) {  // every x86 kernel with an EFI stub is also a bzImage
      return bad_image(path, "is a PE/EFI file without an x86 boot header (damaged, or not Linux)",
                       "reinstall the kernel package or choose another kernel");
    }
    if (info->format == Format::BzImage && !info->x86_64_ok) {
      return bad_image(path, "is a bzImage without a 64-bit entry point (32-bit kernel)",
                       "choose a 64-bit kernel");
    }
  }
  if (machine_arch == "arm64" && info->format == Format::Pe) {
    return bad_image(path, "is a PE/EFI file without an arm64 Image header (damaged, or not Linux)",
                     "reinstall the kernel package or choose another kernel");
  }
  if (info->format == Format::Zboot) {
    if (auto header = parse_zboot_header(head, file_size); !header)
      return bad_image(path, header.error().message, "reinstall the kernel package");
  }
  uint64_t declared = bzimage_declared_size(head);
  if (declared != 0 && file_size < declared) {
    return bad_image(
        path,
        fmt::format("is truncated: its header says {} bytes, the file has {}", declared, file_size),
        "reinstall the kernel package");
  }
  return {};
}

}  // namespace warmboot
