// SPDX-License-Identifier: Apache-2.0
#include "core/kernel_image_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using warmboot::testing::make_test_bzimage;
using warmboot::testing::make_test_kernel;
using warmboot::testing::TestBzImage;

std::string with_syssize(std::string image, uint32_t paragraphs) {
  for (int i = 0; i < 4; ++i) image[0x1f4 + i] = static_cast<char>((paragraphs >> (8 * i)) & 0xff);
  return image;
}

TEST(KernelImageCheck, AcceptsA64BitBzImage) {
  std::string image = make_test_kernel("6.1.0-10-amd64");
  EXPECT_TRUE(check_kernel_image(image, image.size(), "/boot/vmlinuz"));
}

TEST(KernelImageCheck, RejectsEmptyAndGarbage) {
  auto empty = check_kernel_image("", 0, "/boot/vmlinuz");
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error().message, HasSubstr("is empty"));
  std::string garbage(8192, 'x');
  auto bad = check_kernel_image(garbage, garbage.size(), "/boot/vmlinuz");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ENOEXEC);
  EXPECT_THAT(bad.error().message, HasSubstr("/boot/vmlinuz"));
  EXPECT_THAT(bad.error().message, HasSubstr("not a kernel image"));
}

TEST(KernelImageCheck, RejectsTruncatedBzImage) {
  // 2048 bytes of image whose header declares (7+1)*512 + 100*16 = 5696 bytes.
  std::string image = with_syssize(make_test_kernel("6.1.0-10-amd64"), 100);
  EXPECT_EQ(bzimage_declared_size(image), 5696u);
  auto result = check_kernel_image(image, image.size(), "/boot/vmlinuz");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("truncated"));
  EXPECT_TRUE(check_kernel_image(image, 5696, "/boot/vmlinuz"));  // complete
  EXPECT_TRUE(check_kernel_image(image, 9000, "/boot/vmlinuz"));  // signature appended
}

TEST(KernelImageCheck, Rejects32BitBzImage) {
  TestBzImage spec;
  spec.version_string = "4.19.0 (x) #1";
  spec.kernel_64 = false;
  std::string image = make_test_bzimage(spec);
  auto result = check_kernel_image(image, image.size(), "/boot/vmlinuz-4.19");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("64-bit"));
}

TEST(KernelImageCheck, RejectsOtherArchitectures) {
  std::string elf(4096, '\0');
  elf.replace(0, 4,
              "\x7f"
              "ELF");
  elf[4] = 2;                          // 64-bit
  elf[5] = 1;                          // little endian
  elf[6] = 1;                          // version
  elf[0x12] = static_cast<char>(183);  // EM_AARCH64
  auto result = check_kernel_image(elf, elf.size(), "/boot/Image");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("arm64"));
}

TEST(KernelImageCheck, RejectsPeImageWhoseBootHeaderIsDestroyed) {
  std::string image = make_test_kernel("6.1.0-10-amd64");   // has "MZ": an EFI-stub bzImage
  image.replace(0x1f1, 0x100, std::string(0x100, '\xff'));  // setup header (and "HdrS") gone
  image.replace(0x3c, 4, std::string("\x80\0\0\0", 4));     // e_lfanew -> a PE header at 0x80
  image.replace(0x80, 4, std::string("PE\0\0", 4));
  image.replace(0x84, 2, std::string("\x64\x86", 2));  // IMAGE_FILE_MACHINE_AMD64
  auto result = check_kernel_image(image, image.size(), "/boot/vmlinuz");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("without an x86 boot header"));
}

TEST(KernelImageCheck, EveryTruncationIsRefused) {
  std::string image = with_syssize(make_test_kernel("6.1.0-10-amd64"), 100);
  for (size_t cut = 0; cut < image.size(); cut += 7) {  // every prefix is refused, none crashes
    EXPECT_FALSE(check_kernel_image(std::string_view(image).substr(0, cut), cut, "/k")) << cut;
  }
}

}  // namespace
}  // namespace warmboot
