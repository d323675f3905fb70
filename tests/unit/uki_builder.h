// SPDX-License-Identifier: Apache-2.0
// Test-only builders of synthetic kernel images: unified kernel images (PE/COFF with .linux,
// .osrel, ...) and bzImage-like files carrying just the x86 setup header fields warmboot reads.
// Used by the unit tests and by tests/data/uki/generate_fixtures.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warmboot::testing {

inline void put_le(std::string& out, size_t offset, uint64_t value, int width) {
  if (out.size() < offset + width) out.resize(offset + width, '\0');
  for (int i = 0; i < width; ++i) out[offset + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

// Offsets in images made by make_test_uki.
inline constexpr size_t kTestPeOffset = 0x40;
inline constexpr size_t kTestOptionalHeaderSize = 0xf0;  // PE32+
inline constexpr size_t kTestSectionTable = kTestPeOffset + 4 + 20 + kTestOptionalHeaderSize;
inline constexpr size_t kTestFileAlignment = 0x200;

struct TestSection {
  std::string name;  // at most 8 characters
  std::string data;
};

// A PE32+ EFI application whose sections hold `sections`, in order, each at a 0x200-aligned file
// offset with VirtualSize = data size and SizeOfRawData rounded up to the alignment.
inline std::string make_test_uki(const std::vector<TestSection>& sections,
                                 uint16_t machine = 0x8664) {
  std::string out(kTestSectionTable + sections.size() * 40, '\0');
  out[0] = 'M';
  out[1] = 'Z';
  put_le(out, 0x3c, kTestPeOffset, 4);
  out.replace(kTestPeOffset, 4, std::string("PE\0\0", 4));
  const size_t coff = kTestPeOffset + 4;
  put_le(out, coff, machine, 2);
  put_le(out, coff + 2, sections.size(), 2);
  put_le(out, coff + 16, kTestOptionalHeaderSize, 2);
  put_le(out, coff + 18, 0x0022, 2);   // executable, large address aware
  put_le(out, coff + 20, 0x020b, 2);   // PE32+ magic
  put_le(out, coff + 20 + 68, 10, 2);  // Subsystem: EFI application
  auto align = [](size_t n) {
    return (n + kTestFileAlignment - 1) / kTestFileAlignment * kTestFileAlignment;
  };
  size_t data_at = align(out.size());
  uint32_t virtual_address = 0x1000;
  for (size_t i = 0; i < sections.size(); ++i) {
    const size_t at = kTestSectionTable + i * 40;
    const TestSection& s = sections[i];
    for (size_t k = 0; k < 8 && k < s.name.size(); ++k) out[at + k] = s.name[k];
    const size_t raw = align(s.data.size());
    put_le(out, at + 8, s.data.size(), 4);
    put_le(out, at + 12, virtual_address, 4);
    put_le(out, at + 16, raw, 4);
    put_le(out, at + 20, raw ? data_at : 0, 4);
    put_le(out, at + 36, 0x40000040, 4);  // initialised data, readable
    if (raw) {
      out.resize(data_at + raw, '\0');
      out.replace(data_at, s.data.size(), s.data);
      data_at += raw;
    }
    virtual_address += static_cast<uint32_t>((s.data.size() + 0xfff) / 0x1000 * 0x1000 + 0x1000);
  }
  return out;
}

struct TestBzImage {
  std::string version_string;  // what /proc/version would show, e.g. "6.1.0 (user@host) #1 SMP"
  bool efi_stub = true;        // starts with "MZ"
  uint16_t protocol = 0x020f;  // boot protocol 2.15
  bool kernel_64 = true;       // xloadflags XLF_KERNEL_64
  size_t size = 2048;          // total bytes (the string must fit)
};

// Offsets in bzImages made by make_test_bzimage.
inline constexpr size_t kTestSetupSects = 7;
inline constexpr size_t kTestVersionPointer = 0x400;  // the string is at 0x600

inline std::string make_test_bzimage(const TestBzImage& spec) {
  std::string out(spec.size, '\0');
  if (spec.efi_stub) {
    out[0] = 'M';
    out[1] = 'Z';
  }
  out[0x1f1] = static_cast<char>(kTestSetupSects);
  put_le(out, 0x1fe, 0xaa55, 2);  // boot_flag
  put_le(out, 0x200, 0x66eb, 2);  // jump over the header
  out.replace(0x202, 4, "HdrS");
  put_le(out, 0x206, spec.protocol, 2);
  put_le(out, 0x20e, kTestVersionPointer, 2);
  put_le(out, 0x211, 0x01, 1);  // loadflags: LOADED_HIGH
  put_le(out, 0x236, spec.kernel_64 ? 0x7f : 0x00, 2);
  out.replace(kTestVersionPointer + 0x200, spec.version_string.size(), spec.version_string);
  out.resize(spec.size, '\0');
  return out;
}

// A bzImage for `release`, with a Debian-like version string after it.
inline std::string make_test_kernel(std::string_view release) {
  TestBzImage spec;
  spec.version_string = std::string(release) + " (builder@warmboot.test) #1 SMP PREEMPT_DYNAMIC";
  return make_test_bzimage(spec);
}

// An efivarfs file: attributes (non-volatile, boot service, runtime access), then the value as
// NUL-terminated UTF-16LE.
inline std::string make_test_efi_string_var(std::string_view value) {
  std::string out("\x07\0\0\0", 4);
  for (char c : value) out += {c, '\0'};
  out += std::string("\0\0", 2);
  return out;
}

struct FixtureFile {
  std::string path;  // relative to tests/data
  std::string content;
};

// The binary files of the fixture trees, written by tests/data/uki/generate_fixtures.cc and
// checked against the committed copies by uki_image_test.
inline std::vector<FixtureFile> generated_fixture_files() {
  const std::string fedora_mid = "5c1e7f3a9b2d4e6f8a0b1c2d3e4f5a6b";
  auto fedora_kernel = [](std::string_view release) {
    TestBzImage spec;
    spec.version_string = std::string(release) +
                          " (mockbuild@bkernel01.iad2.fedoraproject.org) #1 SMP PREEMPT_DYNAMIC";
    return make_test_bzimage(spec);
  };
  const std::string arch_kernel = make_test_kernel("6.6.1-arch1-1");
  const std::string arch_uki = make_test_uki(
      {{".osrel", "NAME=\"Arch Linux\"\nPRETTY_NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n"},
       {".cmdline", "root=UUID=2c7e9a41-6b3d-4f58-a1e0-5d9c8b7a6f43 rw quiet"},
       {".uname", "6.6.1-arch1-1"},
       {".linux", arch_kernel},
       {".initrd", "initramfs-linux inside the UKI (synthetic)\n"}});
  const std::string efivars = "sys/firmware/efi/efivars/";
  const std::string vendor = "-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";
  std::vector<FixtureFile> files = {
      {"roots/fedora/boot/vmlinuz-6.5.6-300.fc39.x86_64", fedora_kernel("6.5.6-300.fc39.x86_64")},
      {"roots/fedora/boot/vmlinuz-6.6.1-200.fc39.x86_64", fedora_kernel("6.6.1-200.fc39.x86_64")},
      {"roots/fedora/boot/vmlinuz-0-rescue-" + fedora_mid, fedora_kernel("6.5.6-300.fc39.x86_64")},
      {"uki/arch-linux.efi", arch_uki},
      {"uki/not-a-uki.efi", make_test_uki({{".text", std::string(64, '\xc3')}})},
  };
  for (std::string root : {"roots/arch/", "roots/arch-efivar/"}) {
    files.push_back({root + "efi/vmlinuz-linux", arch_kernel});
    files.push_back({root + "efi/EFI/Linux/arch-linux.efi", arch_uki});
  }
  files.push_back({"roots/arch-efivar/" + efivars + "LoaderEntryDefault" + vendor,
                   make_test_efi_string_var("arch-fallback.conf")});
  files.push_back({"roots/arch-efivar/" + efivars + "LoaderEntrySelected" + vendor,
                   make_test_efi_string_var("arch-fallback.conf")});
  return files;
}

}  // namespace warmboot::testing
