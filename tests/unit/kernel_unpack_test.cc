// SPDX-License-Identifier: Apache-2.0
#include "os/kernel_unpack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "arm64_image_builder.h"
#include "fakes/fake_kexec.h"
#include "os/memfd_builder.h"

namespace warmboot {
namespace {

using ::testing::AllOf;
using testing::compress_test_bytes;
using ::testing::HasSubstr;
using testing::make_test_arm64_image;
using testing::make_test_kernel;
using testing::make_test_zboot;

const std::string kImage = make_test_arm64_image(300 * 1024, true);

struct Input {
  UniqueFd fd;
  uint64_t size = 0;
  KernelImageInfo info;
};

Input input_of(const std::string& bytes) {
  Input in;
  auto memfd = make_memfd("test-kernel");
  EXPECT_TRUE(memfd.ok());
  in.fd = std::move(memfd).value();
  EXPECT_TRUE(append_bytes(in.fd.get(), bytes, "test").ok());
  in.size = bytes.size();
  auto info = inspect_kernel_image(std::string_view(bytes).substr(0, 64 * 1024));
  EXPECT_TRUE(info.ok()) << info.error().str();
  if (info) in.info = *info;
  return in;
}

Result<UnpackedKernel> unpack(const std::string& bytes, KernelPreparation how,
                              const UnpackLimits& limits = {}) {
  Input in = input_of(bytes);
  return unpack_kernel(in.fd.get(), in.size, in.info, how, "/boot/vmlinuz-6.1.0-9-arm64", "arm64",
                       limits);
}

TEST(KernelUnpack, EveryCompressionGivesBackTheRawImage) {
  for (const char* filter : {"gzip", "zstd", "xz", "lz4", "bzip2"}) {
    const std::string compressed = compress_test_bytes(kImage, filter);
    ASSERT_FALSE(compressed.empty()) << filter;
    auto out = unpack(compressed, KernelPreparation::Decompress);
    ASSERT_TRUE(out.ok()) << filter << ": " << out.error().str();
    EXPECT_EQ(out->size, kImage.size()) << filter;
    EXPECT_EQ(FakeKexec::read_all(out->fd.get()), kImage) << filter;
    EXPECT_EQ(::lseek(out->fd.get(), 0, SEEK_CUR), 0) << filter;
    EXPECT_EQ(out->description,
              std::string(filter) +
                  "-compressed arm64 Image: decompressed in memory before staging "
                  "(300.0 KiB)");
  }
}

TEST(KernelUnpack, ZbootPayloadsAreUnwrapped) {
  for (const char* filter : {"gzip", "zstd", "xz", "lz4"}) {
    const std::string name = std::string(filter) == "zstd" ? "zstd22"
                             : std::string(filter) == "xz" ? "xzkern"
                                                           : filter;
    const std::string zboot = make_test_zboot(compress_test_bytes(kImage, filter), name);
    auto out = unpack(zboot, KernelPreparation::UnwrapZboot);
    ASSERT_TRUE(out.ok()) << filter << ": " << out.error().str();
    EXPECT_EQ(FakeKexec::read_all(out->fd.get()), kImage) << filter;
    EXPECT_THAT(out->description, HasSubstr("EFI zboot image"));
  }
}

TEST(KernelUnpack, OutputAboveTheCapIsRefused) {
  const std::string gz = compress_test_bytes(kImage, "gzip");
  auto out = unpack(gz, KernelPreparation::Decompress, UnpackLimits{100 * 1024});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, EFBIG);
  EXPECT_EQ(out.error().file, "/boot/vmlinuz-6.1.0-9-arm64");
  EXPECT_THAT(out.error().message,
              AllOf(HasSubstr("/boot/vmlinuz-6.1.0-9-arm64"), HasSubstr("more than 100.0 KiB")));
  EXPECT_FALSE(out.error().remedy.empty());
  // A zero bomb: 64 MiB of zeros in a few KiB, against a 1 MiB cap.
  const std::string bomb = compress_test_bytes(std::string(64 << 20, '\0'), "zstd");
  ASSERT_LT(bomb.size(), 64u * 1024);
  auto stopped = unpack(bomb, KernelPreparation::Decompress, UnpackLimits{1 << 20});
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, EFBIG);
}

TEST(KernelUnpack, TimeoutIsRefused) {
  auto out = unpack(compress_test_bytes(kImage, "gzip"), KernelPreparation::Decompress,
                    UnpackLimits{kMaxUnpackedKernelBytes, std::chrono::milliseconds(-1)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ETIMEDOUT);
}

TEST(KernelUnpack, TruncatedStreamsAreRefused) {
  const std::string gz = compress_test_bytes(kImage, "gzip");
  for (size_t cut : {gz.size() / 2, gz.size() - 12, size_t{20}}) {
    auto out = unpack(gz.substr(0, cut), KernelPreparation::Decompress);
    ASSERT_FALSE(out.ok()) << cut;
    EXPECT_EQ(out.error().code, ENOEXEC) << cut;
    EXPECT_THAT(out.error().message, HasSubstr("/boot/vmlinuz-6.1.0-9-arm64")) << cut;
  }
  // A zboot image whose file ends inside the payload (the header was checked against more).
  const std::string zboot = make_test_zboot(compress_test_bytes(kImage, "gzip"), "gzip");
  Input in = input_of(zboot);
  auto out =
      unpack_kernel(in.fd.get(), 0x300, in.info, KernelPreparation::UnwrapZboot, "/z", "arm64");
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error().message, HasSubstr("truncated EFI zboot image"));
}

TEST(KernelUnpack, WhatIsNotARawArm64ImageIsRefused) {
  // Garbage, an x86 bzImage and a riscv64 Image, each compressed.
  const std::string garbage = compress_test_bytes(std::string(8192, 'g'), "gzip");
  auto out = unpack(garbage, KernelPreparation::Decompress);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ENOEXEC);
  EXPECT_THAT(out.error().message, HasSubstr("is not a raw arm64 Image"));

  auto x86 = unpack(compress_test_bytes(make_test_kernel("6.1.0-9-amd64"), "zstd"),
                    KernelPreparation::Decompress);
  ASSERT_FALSE(x86.ok());
  EXPECT_THAT(x86.error().message, HasSubstr("not a raw arm64 Image"));

  // libarchive stacks its filters: a doubly compressed Image comes out raw, and is checked as such.
  const std::string twice = compress_test_bytes(compress_test_bytes(kImage, "gzip"), "gzip");
  auto nested = unpack(twice, KernelPreparation::Decompress);
  ASSERT_TRUE(nested.ok()) << nested.error().str();
  EXPECT_EQ(FakeKexec::read_all(nested->fd.get()), kImage);

  std::string riscv = kImage;
  riscv.replace(0x38, 4, "RSC\x05");
  auto foreign = unpack(compress_test_bytes(riscv, "gzip"), KernelPreparation::Decompress);
  ASSERT_FALSE(foreign.ok());
  EXPECT_THAT(foreign.error().message, HasSubstr("for riscv64, this machine is arm64"));
}

}  // namespace
}  // namespace warmboot
