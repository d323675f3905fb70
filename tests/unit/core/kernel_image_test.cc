// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_image.h"

#include <gtest/gtest.h>

#include "arm64_image_builder.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using Format = KernelImageInfo::Format;
using testing::make_test_bzimage;
using testing::make_test_kernel;
using testing::make_test_uki;
using testing::put_le;
using testing::TestBzImage;

TEST(KernelImageTest, EfiStubBzImage) {
  std::string image = make_test_kernel("6.1.0-9-amd64");
  ASSERT_EQ(image.substr(0, 2), "MZ");
  auto info = inspect_kernel_image(image);
  ASSERT_TRUE(info.ok()) << info.error().str();
  EXPECT_EQ(info->format, Format::BzImage);
  EXPECT_EQ(info->version, "6.1.0-9-amd64");
  EXPECT_TRUE(info->x86_64_ok);
  EXPECT_EQ(info->arch, "x86_64");
  EXPECT_STREQ(to_string(info->format), "bzImage");
}

TEST(KernelImageTest, LegacyAnd32BitBzImages) {
  TestBzImage spec;
  spec.version_string = "4.19.0-25-686-pae (debian-kernel@lists.debian.org) #1 SMP";
  spec.efi_stub = false;
  spec.kernel_64 = false;
  auto info = inspect_kernel_image(make_test_bzimage(spec));
  ASSERT_TRUE(info.ok()) << info.error().str();
  EXPECT_EQ(info->format, Format::BzImage);
  EXPECT_EQ(info->version, "4.19.0-25-686-pae");
  EXPECT_FALSE(info->x86_64_ok);
  EXPECT_EQ(info->arch, "x86");

  spec.protocol = 0x020a;  // before 2.12 there are no xloadflags: not known to be 64-bit
  spec.kernel_64 = true;
  info = inspect_kernel_image(make_test_bzimage(spec));
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->x86_64_ok);
}

TEST(KernelImageTest, VersionPointerOutsideSetupSectorsIsIgnored) {
  std::string image = make_test_kernel("6.1.0");
  image[0x1f1] = 1;  // setup_sects 1: the pointer 0x400 is not < 0x200
  auto info = inspect_kernel_image(image);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->version, "");
  put_le(image, 0x20e, 0, 2);  // no version string at all
  image[0x1f1] = 7;
  info = inspect_kernel_image(image);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->version, "");
}

TEST(KernelImageTest, UnterminatedVersionStringFails) {
  TestBzImage spec;
  spec.version_string = std::string(1000, '6');
  spec.size = 0x600 + 1000;
  EXPECT_FALSE(inspect_kernel_image(make_test_bzimage(spec)).ok());
}

TEST(KernelImageTest, TruncatedBzImageFailsAtEveryOffset) {
  std::string image = make_test_kernel("6.6.1-arch1-1");
  const size_t string_end = 0x600 + std::string("6.6.1-arch1-1").size();
  for (size_t size = 0; size <= string_end; ++size) {
    auto info = inspect_kernel_image(std::string_view(image).substr(0, size));
    ASSERT_FALSE(info.ok()) << "truncated to " << size;
    EXPECT_NE(info.error().message.find("truncated"), std::string::npos) << info.error().str();
  }
  auto info = inspect_kernel_image(std::string_view(image).substr(0, string_end + 1));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->version, "6.6.1-arch1-1");
}

TEST(KernelImageTest, ElfMachines) {
  auto elf = [](uint16_t machine, bool is64, bool big_endian) {
    std::string head(64, '\0');
    head.replace(0, 4,
                 "\x7f"
                 "ELF");
    head[4] = is64 ? 2 : 1;
    head[5] = big_endian ? 2 : 1;
    if (big_endian) {
      head[18] = static_cast<char>(machine >> 8);
      head[19] = static_cast<char>(machine & 0xff);
    } else {
      put_le(head, 18, machine, 2);
    }
    return head;
  };
  struct Case {
    uint16_t machine;
    bool is64, be;
    const char* arch;
  };
  for (Case c : {Case{62, true, false, "x86_64"}, Case{3, false, false, "x86"},
                 Case{183, true, false, "arm64"}, Case{40, false, false, "arm"},
                 Case{243, true, false, "riscv64"}, Case{22, true, true, "s390x"},
                 Case{21, true, true, "ppc64"}, Case{9999, true, false, ""}}) {
    auto info = inspect_kernel_image(elf(c.machine, c.is64, c.be));
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->format, Format::Elf);
    EXPECT_EQ(info->arch, c.arch) << c.machine;
    EXPECT_FALSE(info->x86_64_ok);  // x86_64 kexec_file_load takes bzImages only
  }
  EXPECT_FALSE(inspect_kernel_image(elf(62, true, false).substr(0, 19)).ok());
}

TEST(KernelImageTest, UkiWithUnameAndEmbeddedBzImage) {
  std::string uki = make_test_uki({{".osrel", "ID=arch\n"},
                                   {".uname", "6.6.1-arch1-1"},
                                   {".linux", make_test_kernel("6.6.1-arch1-1")}});
  auto info = inspect_kernel_image(uki);
  ASSERT_TRUE(info.ok()) << info.error().str();
  EXPECT_EQ(info->format, Format::Uki);
  EXPECT_EQ(info->version, "6.6.1-arch1-1");
  EXPECT_TRUE(info->x86_64_ok);
  EXPECT_EQ(info->arch, "x86_64");

  // Without .uname the release comes from the bzImage header inside .linux.
  uki = make_test_uki({{".linux", make_test_kernel("6.5.0-1-amd64")}});
  info = inspect_kernel_image(uki);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, Format::Uki);
  EXPECT_EQ(info->version, "6.5.0-1-amd64");
}

TEST(KernelImageTest, UkiHeadersInsideHeadAreEnough) {
  std::string uki = make_test_uki({{".linux", std::string(200000, 'k')}, {".uname", "6.1.0"}});
  auto info = inspect_kernel_image(std::string_view(uki).substr(0, 64 * 1024));
  ASSERT_TRUE(info.ok()) << info.error().str();
  EXPECT_EQ(info->format, Format::Uki);
  EXPECT_EQ(info->version, "");  // .uname lies past the first 64 KiB
}

TEST(KernelImageTest, OtherPeImages) {
  std::string arm = make_test_uki({{".text", std::string(600, 'c')}}, 0xaa64);
  auto info = inspect_kernel_image(arm);
  ASSERT_TRUE(info.ok()) << info.error().str();
  EXPECT_EQ(info->format, Format::Pe);
  EXPECT_EQ(info->arch, "arm64");
  EXPECT_FALSE(info->x86_64_ok);

  std::string truncated_pe = arm;
  put_le(truncated_pe, 0x3c, 0x10000, 4);  // PE header outside the bytes given
  info = inspect_kernel_image(truncated_pe);
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.error().message.find("truncated"), std::string::npos);
}

TEST(KernelImageTest, CompressedAndUnknown) {
  for (std::string magic : {std::string("\x1f\x8b\x08\x00", 4), std::string("\x28\xb5\x2f\xfd"),
                            std::string("\xfd"
                                        "7zXZ\0",
                                        6),
                            std::string("BZh9")}) {
    auto info = inspect_kernel_image(magic + std::string(100, '\0'));
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->format, Format::Compressed);
  }
  auto info = inspect_kernel_image(std::string("\x04\x22\x4d\x18") + std::string(100, '\0'));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, Format::Compressed);
  EXPECT_EQ(info->compression, "lz4");
  info = inspect_kernel_image(std::string("\x1f\x8b\x08\x00", 4) + std::string(100, '\0'));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->compression, "gzip");

  info = inspect_kernel_image(std::string(0x1000, 'x'));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, Format::Unknown);
  EXPECT_FALSE(inspect_kernel_image("").ok());
  EXPECT_FALSE(inspect_kernel_image("hello").ok());  // too short to rule out a bzImage
}

TEST(KernelImageTest, Arm64ImagesWithAndWithoutEfiStub) {
  for (bool efi_stub : {false, true}) {
    std::string image = testing::make_test_arm64_image(0x1000, efi_stub);
    auto info = inspect_kernel_image(image);
    ASSERT_TRUE(info.ok()) << info.error().str();
    EXPECT_EQ(info->format, Format::Image) << efi_stub;
    EXPECT_EQ(info->arch, "arm64");
    EXPECT_FALSE(info->x86_64_ok);
    EXPECT_TRUE(has_arm64_image_magic(image));
  }
  // 64 bytes are enough to tell: the header is all there is to read.
  auto header_only = inspect_kernel_image(testing::make_test_arm64_image(64));
  ASSERT_TRUE(header_only.ok());
  EXPECT_EQ(header_only->format, Format::Image);
  std::string riscv(0x1000, '\0');
  riscv.replace(0x38, 4, "RSC\x05");
  auto info = inspect_kernel_image(riscv);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, Format::Image);
  EXPECT_EQ(info->arch, "riscv64");
}

TEST(KernelImageTest, ArchNames) {
  EXPECT_EQ(normalize_arch("aarch64"), "arm64");
  EXPECT_EQ(normalize_arch("x86_64"), "x86_64");
  EXPECT_EQ(normalize_arch("i686"), "x86");
  EXPECT_EQ(normalize_arch("armv7l"), "arm");
  EXPECT_EQ(normalize_arch("riscv64"), "riscv64");
#if defined(__x86_64__)
  EXPECT_EQ(native_arch(), "x86_64");
#elif defined(__aarch64__)
  EXPECT_EQ(native_arch(), "arm64");
#endif
}

TEST(KernelImageTest, RandomBytesNeverCrash) {
  uint32_t state = 99;
  auto next = [&] { return state = state * 1664525u + 1013904223u; };
  std::string good = make_test_kernel("6.1.0");
  for (int round = 0; round < 5000; ++round) {
    std::string bytes = good;
    for (int k = 0; k < 6; ++k) bytes[0x1f0 + next() % 0x50] = static_cast<char>(next() >> 24);
    std::string_view head = std::string_view(bytes).substr(0, next() % bytes.size());
    auto info = inspect_kernel_image(head);
    if (head.size() < 0x202 + 4) {  // too short to hold the setup header's magic: never a kernel
      EXPECT_FALSE(info.ok()) << head.size();
    }
    if (!info.ok()) {
      EXPECT_FALSE(info.error().message.empty());
    }
  }
}

TEST(KernelImageTest, NativeEfiArch) {
#if defined(__x86_64__)
  EXPECT_EQ(native_efi_arch(), "x64");
#else
  EXPECT_FALSE(native_efi_arch().empty());
#endif
}

}  // namespace
}  // namespace warmboot
