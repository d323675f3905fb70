// SPDX-License-Identifier: Apache-2.0
#include "core/zboot_header.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "arm64_image_builder.h"
#include "core/kernel_image.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using testing::make_test_zboot;
using testing::put_le;

TEST(ZbootHeader, ReadsPayloadAndCompression) {
  const std::string image = make_test_zboot(std::string(1000, 'p'), "zstd22");
  ASSERT_TRUE(has_zboot_magic(image));
  auto header = parse_zboot_header(image, image.size());
  ASSERT_TRUE(header.ok()) << header.error().str();
  EXPECT_EQ(header->payload_offset, 0x200u);
  EXPECT_EQ(header->payload_size, 1000u);
  EXPECT_EQ(header->compression, "zstd22");
}

TEST(ZbootHeader, CompressionFamilies) {
  EXPECT_EQ(zboot_compression_family("gzip"), "gzip");
  EXPECT_EQ(zboot_compression_family("zstd22"), "zstd");
  EXPECT_EQ(zboot_compression_family("xzkern"), "xz");
  EXPECT_EQ(zboot_compression_family("lz4"), "lz4");
  EXPECT_EQ(zboot_compression_family("lzma"), "lzma");
  EXPECT_EQ(zboot_compression_family("lzo"), "lzo");
  EXPECT_EQ(zboot_compression_family("brotli"), "");
}

TEST(ZbootHeader, RefusesTruncationAndNonsense) {
  const std::string image = make_test_zboot(std::string(1000, 'p'), "gzip");
  // The payload must lie inside the file.
  auto cut = parse_zboot_header(image, 0x200 + 999);
  ASSERT_FALSE(cut.ok());
  EXPECT_THAT(cut.error().message, HasSubstr("truncated EFI zboot image"));
  // The header itself must be there.
  for (size_t n : {size_t{8}, size_t{0x20}, size_t{0x3f}}) {
    auto short_head = parse_zboot_header(std::string_view(image).substr(0, n), UINT64_MAX);
    ASSERT_FALSE(short_head.ok()) << n;
    EXPECT_THAT(short_head.error().message, HasSubstr("truncated")) << n;
  }
  std::string unterminated = image;
  unterminated.replace(0x18, 0x24, std::string(0x24, 'g'));
  EXPECT_FALSE(parse_zboot_header(unterminated, UINT64_MAX).ok());
  std::string empty = image;
  put_le(empty, 12, 0, 4);
  EXPECT_FALSE(parse_zboot_header(empty, UINT64_MAX).ok());
  std::string inside_header = image;
  put_le(inside_header, 8, 0x10, 4);
  EXPECT_FALSE(parse_zboot_header(inside_header, UINT64_MAX).ok());
  std::string overflow = image;  // offset + size past 4 GiB must not wrap
  put_le(overflow, 8, 0xffffffff, 4);
  put_le(overflow, 12, 0xffffffff, 4);
  EXPECT_FALSE(parse_zboot_header(overflow, image.size()).ok());
  EXPECT_FALSE(parse_zboot_header(std::string(0x40, 'x'), UINT64_MAX).ok());
}

TEST(ZbootHeader, InspectKernelImageSeesAZbootImage) {
  const std::string image = make_test_zboot(std::string(300, 'p'), "zstd22");
  auto info = inspect_kernel_image(image);
  ASSERT_TRUE(info.ok()) << info.error().str();
  EXPECT_EQ(info->format, KernelImageInfo::Format::Zboot);
  EXPECT_EQ(info->arch, "arm64");
  EXPECT_EQ(info->compression, "zstd");
  EXPECT_EQ(info->payload_offset, 0x200u);
  EXPECT_EQ(info->payload_size, 300u);
  EXPECT_STREQ(to_string(info->format), "EFI zboot");

  auto riscv = inspect_kernel_image(make_test_zboot("p", "gzip", 0x5064));
  ASSERT_TRUE(riscv.ok());
  EXPECT_EQ(riscv->arch, "riscv64");
  // Only the first 0x40 bytes: the header, not the PE header: the arch is unknown.
  auto head_only = inspect_kernel_image(std::string_view(image).substr(0, 0x40));
  ASSERT_TRUE(head_only.ok());
  EXPECT_EQ(head_only->arch, "");
  EXPECT_FALSE(inspect_kernel_image(std::string_view(image).substr(0, 0x30)).ok());
}

}  // namespace
}  // namespace warmboot
