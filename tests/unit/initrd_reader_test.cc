// SPDX-License-Identifier: Apache-2.0
// Initramfs listing: every compression, concatenated archives, and refusals of garbage.
#include "os/initrd_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/cpio_newc.h"
#include "fakes/fake_filesystem.h"
#include "initrd_builder.h"

namespace warmboot {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using testing::make_test_cpio;
using ::testing::Not;

std::vector<testing::CpioFile> main_files() {
  return {{"usr/", {}},
          {"usr/sbin/", {}},
          {"usr/sbin/cryptsetup", std::string(5000, 'c')},
          {"usr/lib/modules/6.1.0-10-amd64/kernel/drivers/md/dm-crypt.ko", std::string(777, 'm')},
          {"init", "#!/bin/sh\n"}};
}

class InitrdCompressionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InitrdCompressionTest, ListsEveryEntry) {
  auto listing = list_initrd(make_test_cpio(main_files(), GetParam()));
  ASSERT_TRUE(listing.ok()) << listing.error().str();
  EXPECT_THAT(listing->names,
              ElementsAre("usr", "usr/sbin", "usr/sbin/cryptsetup",
                          "usr/lib/modules/6.1.0-10-amd64/kernel/drivers/md/dm-crypt.ko", "init"));
  EXPECT_EQ(listing->archives, 1);
  EXPECT_THAT(listing->compressions, ElementsAre(GetParam()));
}

TEST_P(InitrdCompressionTest, MicrocodeThenCompressed) {
  std::string image =
      testing::make_test_microcode_cpio() + make_test_cpio(main_files(), GetParam());
  auto listing = list_initrd(image);
  ASSERT_TRUE(listing.ok()) << listing.error().str();
  EXPECT_EQ(listing->archives, 2);
  EXPECT_THAT(listing->names, Contains("kernel/x86/microcode/GenuineIntel.bin"));
  EXPECT_THAT(listing->names, Contains("usr/sbin/cryptsetup"));
  EXPECT_EQ(listing->compressions.front(), "none");
}

INSTANTIATE_TEST_SUITE_P(Initrd, InitrdCompressionTest,
                         ::testing::Values("none", "gzip", "zstd", "xz", "lz4"));

TEST(Initrd, TwoUncompressedArchivesWithOddPadding) {
  // The kernel accepts NUL padding of any length between archives (4-byte aligned headers).
  std::string first = make_test_cpio({{"a", "1"}});
  std::string second = make_test_cpio({{"b", "22"}});
  auto listing = list_initrd(first + std::string(4, '\0') + second);
  ASSERT_TRUE(listing.ok()) << listing.error().str();
  EXPECT_THAT(listing->names, ElementsAre("a", "b"));
  EXPECT_EQ(listing->archives, 2);
}

TEST(Initrd, SeveralArchivesInsideOneCompressedStream) {
  // Two gzip members back to back decompress to two cpio archives in a row.
  std::string image = testing::make_test_microcode_cpio() + make_test_cpio({{"x", "1"}}, "gzip") +
                      make_test_cpio({{"y", "2"}}, "gzip");
  auto listing = list_initrd(image);
  ASSERT_TRUE(listing.ok()) << listing.error().str();
  EXPECT_THAT(listing->names, Contains("x"));
  EXPECT_THAT(listing->names, Contains("y"));
  EXPECT_EQ(listing->archives, 3);
}

TEST(Initrd, RefusesGarbage) {
  auto listing = list_initrd("fake initramfs 6.1.0-10-amd64\n");
  ASSERT_FALSE(listing.ok());
  EXPECT_THAT(listing.error().message, ::testing::HasSubstr("offset 0x0"));
}

TEST(Initrd, RefusesEmptyAndTruncated) {
  EXPECT_FALSE(list_initrd("").ok());
  std::string whole = make_test_cpio({{"file", std::string(600, 'x')}});
  EXPECT_FALSE(list_initrd(whole.substr(0, 300)).ok());
  std::string compressed = make_test_cpio({{"file", std::string(60000, 'x')}}, "zstd");
  EXPECT_FALSE(list_initrd(compressed.substr(0, compressed.size() / 2)).ok());
}

TEST(Initrd, RefusesCompressedDataThatIsNotCpio) {
  // A gzip stream that decompresses to something else than newc headers.
  std::string tar_like = make_test_cpio({{"z", "1"}}, "gzip");
  auto listing = list_initrd(std::string("\x1f\x8b", 2) + std::string(40, '\x01'));
  EXPECT_FALSE(listing.ok());
  EXPECT_TRUE(list_initrd(tar_like).ok());
}

TEST(Initrd, ReadsThroughTheFileSystem) {
  FakeFileSystem fs;
  fs.add_file("/boot/initrd.img",
              testing::make_test_microcode_cpio() + make_test_cpio(main_files(), "zstd"));
  auto listing = list_initrd_file(fs, "/boot/initrd.img");
  ASSERT_TRUE(listing.ok()) << listing.error().str();
  EXPECT_THAT(listing->names, Contains("init"));
  auto missing = list_initrd_file(fs, "/boot/none");
  EXPECT_FALSE(missing.ok());
}

TEST(InitrdCpio, ScannerTakesOneByteAtATime) {
  std::string image = make_test_cpio({{"./etc/", {}}, {"./etc/fstab", "x"}, {"/init", "y"}});
  CpioNewcScanner scanner;
  for (char c : image) ASSERT_TRUE(scanner.feed(std::string_view(&c, 1)).ok());
  EXPECT_TRUE(scanner.finish().ok());
  EXPECT_THAT(scanner.names(), ElementsAre("etc", "etc/fstab", "init"));
  EXPECT_THAT(scanner.names(), Not(Contains("TRAILER!!!")));
}

TEST(InitrdCpio, StopsAtForeignDataBetweenArchives) {
  std::string image = make_test_cpio({{"a", "1"}});
  const size_t plain = image.size();
  image += "\x28\xb5\x2f\xfd rest";
  CpioNewcScanner scanner;
  auto consumed = scanner.feed(image);
  ASSERT_TRUE(consumed.ok());
  EXPECT_TRUE(scanner.foreign());
  EXPECT_EQ(*consumed, plain);
  EXPECT_EQ(scanner.position(), plain);
}

TEST(InitrdCpio, RefusesBadHeaderInsideAnArchive) {
  std::string image = make_test_cpio({{"a", "1"}, {"b", "2"}});
  // Corrupt the second header's magic: inside an archive this is an error, not a boundary.
  size_t second = image.find("070701", 6);
  ASSERT_NE(second, std::string::npos);
  image[second] = 'X';
  CpioNewcScanner scanner;
  EXPECT_FALSE(scanner.feed(image).ok());
}

// A small compressed image listing a great many long names: 300 KB of zstd once took 405 MB to
// list. The listing stops at its limit with an error instead.
TEST(InitrdReader, ListingIsBoundedForABombOfLongNames) {
  std::vector<testing::CpioFile> files;
  const std::string stem(4000, 'n');
  for (int i = 0; i < 9000; ++i) files.push_back({stem + std::to_string(i), ""});
  std::string image = make_test_cpio(files, "zstd");
  ASSERT_LT(image.size(), 1u << 20);
  auto listing = list_initrd(image);
  ASSERT_FALSE(listing.ok());
  EXPECT_THAT(listing.error().message, ::testing::HasSubstr("too long in all"));
}

}  // namespace
}  // namespace warmboot
