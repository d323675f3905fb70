// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_image.h"

#include "core/little_endian.h"

#include <fmt/format.h>

#include "core/uki_image.h"
#include "core/zboot_header.h"

namespace warmboot {
namespace {

// x86 setup header fields (Documentation/arch/x86/boot.rst).
constexpr size_t kSetupSects = 0x1f1;
constexpr size_t kHeaderMagic = 0x202;  // "HdrS"
constexpr size_t kProtocol = 0x206;
constexpr size_t kKernelVersion = 0x20e;
constexpr size_t kXloadflags = 0x236;
constexpr unsigned kXlfKernel64 = 1u << 0;
constexpr unsigned kProtocolWithXloadflags = 0x20c;  // 2.12
constexpr size_t kMaxVersionString = 512;

Error truncated(std::string_view what, size_t need, size_t have) {
  return make_error(
      "inspect_kernel_image",
      fmt::format("truncated image: {} needs {:#x} bytes, only {:#x} given", what, need, have));
}

bool has_bzimage_magic(std::string_view head) {
  return head.size() >= kHeaderMagic + 4 && head.substr(kHeaderMagic, 4) == "HdrS";
}

Result<KernelImageInfo> inspect_bzimage(std::string_view head) {
  KernelImageInfo info;
  info.format = KernelImageInfo::Format::BzImage;
  info.arch = "x86";
  if (head.size() < kKernelVersion + 2) {
    return truncated("the setup header's kernel_version field", kKernelVersion + 2, head.size());
  }
  const unsigned protocol = static_cast<unsigned>(read_le(head, kProtocol, 2));
  uint64_t setup_sects = static_cast<unsigned char>(head[kSetupSects]);
  if (setup_sects == 0) setup_sects = 4;  // as the boot protocol says
  const uint64_t pointer = read_le(head, kKernelVersion, 2);
  // The pointer is valid only when it lies inside the setup sectors.
  if (pointer != 0 && pointer < setup_sects * 0x200) {
    const size_t at = pointer + 0x200;
    if (at >= head.size()) return truncated("the kernel_version string", at + 1, head.size());
    std::string_view text = head.substr(at, kMaxVersionString);
    size_t end = text.find_first_of(std::string_view(" \0\n", 3));
    if (end == std::string_view::npos) {
      if (text.size() == kMaxVersionString)
        return make_error("inspect_kernel_image", "kernel_version string too long");
      return truncated("the kernel_version string", at + text.size() + 1, head.size());
    }
    info.version = std::string(text.substr(0, end));
  }
  if (protocol >= kProtocolWithXloadflags) {
    if (head.size() < kXloadflags + 2) {
      return truncated("the setup header's xloadflags field", kXloadflags + 2, head.size());
    }
    if (read_le(head, kXloadflags, 2) & kXlfKernel64) {
      info.x86_64_ok = true;
      info.arch = "x86_64";
    }
  }
  return info;
}

std::string elf_arch(unsigned machine, bool is64) {
  switch (machine) {
    case 3:
      return "x86";
    case 62:
      return "x86_64";
    case 183:
      return "arm64";
    case 40:
      return "arm";
    case 243:
      return is64 ? "riscv64" : "riscv32";
    case 21:
      return "ppc64";
    case 20:
      return "ppc";
    case 22:
      return is64 ? "s390x" : "s390";
    case 8:
      return is64 ? "mips64" : "mips";
    case 258:
      return "loongarch64";
  }
  return {};
}

Result<KernelImageInfo> inspect_elf(std::string_view head) {
  constexpr size_t kMachineEnd = 20;  // e_machine is at 18, 2 bytes
  if (head.size() < kMachineEnd)
    return truncated("the ELF header's e_machine", kMachineEnd, head.size());
  KernelImageInfo info;
  info.format = KernelImageInfo::Format::Elf;
  const bool big_endian = head[5] == 2;  // EI_DATA
  const bool is64 = head[4] == 2;        // EI_CLASS
  unsigned machine = static_cast<unsigned>(read_le(head, 18, 2));
  if (big_endian) machine = ((machine & 0xff) << 8) | (machine >> 8);
  info.arch = elf_arch(machine, is64);
  return info;
}

// PE images that are not bzImages: UKIs, arm64/riscv Images with an EFI stub, EFI zboot images.
Result<KernelImageInfo> inspect_pe(std::string_view head) {
  KernelImageInfo info;
  info.format = KernelImageInfo::Format::Pe;
  auto uki = parse_uki(head, UINT64_MAX);  // only the headers need to be inside `head`
  if (uki) {
    info.format = KernelImageInfo::Format::Uki;
    info.arch = pe_machine_name(uki->machine);
    const PeSection& linux_section = *uki->linux_;
    if (linux_section.offset < head.size()) {
      std::string_view inner = head.substr(linux_section.offset, linux_section.size);
      if (has_bzimage_magic(inner)) {
        if (auto bz = inspect_bzimage(inner)) {
          info.version = bz->version;
          info.x86_64_ok = bz->x86_64_ok;
        }
      }
    }
    if (!uki->uname_text.empty()) info.version = uki->uname_text;
    return info;
  }
  if (uki.error().message.starts_with("not a unified kernel image")) {
    // A valid PE without .linux: take the machine from the COFF header.
    const uint64_t pe_offset = read_le(head, 0x3c, 4);
    info.arch = pe_machine_name(static_cast<uint16_t>(read_le(head, pe_offset + 4, 2)));
    return info;
  }
  if (uki.error().message.starts_with("truncated")) {
    Error error = uki.error();
    error.op = "inspect_kernel_image";
    error.message = "truncated image: " + error.message;
    return error;
  }
  return info;  // "MZ" without a usable PE header: still call it PE, arch unknown
}

bool starts_with_bytes(std::string_view head, std::string_view magic) {
  return head.substr(0, magic.size()) == magic;
}

// The architecture a PE header inside `head` names, or "".
std::string pe_arch(std::string_view head) {
  if (head.size() < 0x40) return {};
  const uint64_t pe_offset = read_le(head, 0x3c, 4);
  if (pe_offset + 6 > head.size() || head.substr(pe_offset, 4) != std::string_view("PE\0\0", 4))
    return {};
  return pe_machine_name(static_cast<uint16_t>(read_le(head, pe_offset + 4, 2)));
}

Result<KernelImageInfo> inspect_zboot(std::string_view head) {
  auto header = parse_zboot_header(head, UINT64_MAX);
  if (!header) {
    Error error = header.error();
    error.op = "inspect_kernel_image";
    return error;
  }
  KernelImageInfo info;
  info.format = KernelImageInfo::Format::Zboot;
  info.arch = pe_arch(head);
  std::string family = zboot_compression_family(header->compression);
  info.compression = family.empty() ? header->compression : family;
  info.payload_offset = header->payload_offset;
  info.payload_size = header->payload_size;
  return info;
}

struct CompressionMagic {
  std::string_view magic;
  const char* name;
};

}  // namespace

const char* to_string(KernelImageInfo::Format format) {
  switch (format) {
    case KernelImageInfo::Format::BzImage:
      return "bzImage";
    case KernelImageInfo::Format::Elf:
      return "ELF";
    case KernelImageInfo::Format::Pe:
      return "PE";
    case KernelImageInfo::Format::Uki:
      return "UKI";
    case KernelImageInfo::Format::Compressed:
      return "compressed";
    case KernelImageInfo::Format::Image:
      return "Image";
    case KernelImageInfo::Format::Zboot:
      return "EFI zboot";
    case KernelImageInfo::Format::Unknown:
      return "unknown";
  }
  return "unknown";
}

namespace {
// The build's architecture in KernelImageInfo::arch's words and in the EFI vocabulary of boot
// entries.
struct NativeArch {
  std::string_view name;
  std::string_view efi;
};
#if defined(__x86_64__)
constexpr NativeArch kNativeArch{"x86_64", "x64"};
#elif defined(__i386__)
constexpr NativeArch kNativeArch{"x86", "ia32"};
#elif defined(__aarch64__)
constexpr NativeArch kNativeArch{"arm64", "aa64"};
#elif defined(__arm__)
constexpr NativeArch kNativeArch{"arm", "arm"};
#elif defined(__riscv) && __riscv_xlen == 64
constexpr NativeArch kNativeArch{"riscv64", "riscv64"};
#elif defined(__loongarch64)
constexpr NativeArch kNativeArch{"loongarch64", "loongarch64"};
#else
constexpr NativeArch kNativeArch{"", ""};
#endif
}  // namespace

std::string_view native_efi_arch() {
  return kNativeArch.efi;
}

std::string_view native_arch() {
  return kNativeArch.name;
}

std::string normalize_arch(std::string_view machine) {
  if (machine == "aarch64" || machine == "arm64") return "arm64";
  if (machine == "x86_64" || machine == "amd64") return "x86_64";
  if (machine.size() == 4 && machine[0] == 'i' && machine.substr(2) == "86") return "x86";
  if (machine.starts_with("armv") || machine == "arm") return "arm";
  return std::string(machine);
}

bool has_arm64_image_magic(std::string_view head) {
  return head.size() >= 0x3c && head.substr(0x38, 4) == "ARM\x64";
}

Result<KernelImageInfo> inspect_kernel_image(std::string_view head) {
  if (head.size() < 4) return truncated("any image format", 4, head.size());
  if (has_bzimage_magic(head)) return inspect_bzimage(head);
  if (starts_with_bytes(head,
                        "\x7f"
                        "ELF"))
    return inspect_elf(head);

  static constexpr CompressionMagic kCompressed[] = {
      {std::string_view("\x1f\x8b", 2), "gzip"},
      {std::string_view("\x28\xb5\x2f\xfd", 4), "zstd"},
      {std::string_view("\xfd"
                        "7zXZ\0",
                        6),
       "xz"},
      {std::string_view("BZh", 3), "bzip2"},
      {std::string_view("\x02\x21\x4c\x18", 4), "lz4"},  // legacy frame (lz4 -l, the kernel's)
      {std::string_view("\x04\x22\x4d\x18", 4), "lz4"},  // lz4 frame
      {std::string_view("\x89LZO\0", 5), "lzo"},
  };
  for (const CompressionMagic& known : kCompressed) {
    if (starts_with_bytes(head, known.magic)) {
      KernelImageInfo info;
      info.format = KernelImageInfo::Format::Compressed;
      info.compression = known.name;
      return info;
    }
  }
  if (has_zboot_magic(head)) return inspect_zboot(head);
  // A raw Image, with or without EFI stub: the magic decides before the PE header.
  if (head.size() >= 0x40 && (has_arm64_image_magic(head) || head.substr(0x38, 4) == "RSC\x05")) {
    KernelImageInfo info;
    info.format = KernelImageInfo::Format::Image;
    info.arch = has_arm64_image_magic(head) ? "arm64" : "riscv64";
    return info;
  }
  // Everything else might still be a bzImage whose setup header was cut off.
  if (head.size() < kHeaderMagic + 4) {
    return truncated("the x86 setup header's \"HdrS\" magic", kHeaderMagic + 4, head.size());
  }
  if (starts_with_bytes(head, "MZ")) return inspect_pe(head);
  return KernelImageInfo{};
}

}  // namespace warmboot
