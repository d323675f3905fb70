// SPDX-License-Identifier: Apache-2.0
#include "core/uki_image.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fakes/fake_filesystem.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using testing::kTestSectionTable;
using testing::make_test_kernel;
using testing::make_test_uki;
using testing::put_le;

constexpr const char* kOsRelease =
    "NAME=\"Arch Linux\"\nPRETTY_NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n"
    "# a comment\nHOME_URL=\"https://archlinux.org/\"\n";

std::string sample_uki() {
  return make_test_uki({{".osrel", kOsRelease},
                        {".cmdline", std::string("root=/dev/vda2 rw quiet\n\0", 25)},
                        {".uname", "6.6.1-arch1-1\n"},
                        {".linux", make_test_kernel("6.6.1-arch1-1")},
                        {".initrd", "070701initrd-bytes"}});
}

TEST(UkiImageTest, ParsesSectionsAndText) {
  std::string bytes = sample_uki();
  auto uki = parse_uki(bytes);
  ASSERT_TRUE(uki.ok()) << uki.error().str();
  EXPECT_EQ(uki->machine, 0x8664);
  ASSERT_TRUE(uki->linux_ && uki->initrd && uki->cmdline && uki->osrel && uki->uname);
  EXPECT_EQ(uki->cmdline_text, "root=/dev/vda2 rw quiet");
  EXPECT_EQ(uki->uname_text, "6.6.1-arch1-1");
  EXPECT_EQ(uki->osrel_text, kOsRelease);
  EXPECT_EQ(bytes.substr(uki->linux_->offset, uki->linux_->size),
            make_test_kernel("6.6.1-arch1-1"));
  EXPECT_EQ(bytes.substr(uki->initrd->offset, uki->initrd->size), "070701initrd-bytes");
  EXPECT_EQ(uki->linux_->name, ".linux");
  EXPECT_EQ(pe_machine_name(uki->machine), "x86_64");
}

TEST(UkiImageTest, MenuInfoFollowsSystemdPreferences) {
  auto uki = parse_uki(sample_uki());
  ASSERT_TRUE(uki.ok());
  UkiMenuInfo info = uki_menu_info(*uki);
  EXPECT_EQ(info.title, "Arch Linux");
  EXPECT_EQ(info.sort_key, "arch");
  EXPECT_EQ(info.version, "rolling");

  auto fedora = parse_uki(
      make_test_uki({{".osrel", "NAME=Fedora\nID=fedora\nVERSION_ID=39\nIMAGE_ID=workstation\n"},
                     {".linux", "x"}}));
  ASSERT_TRUE(fedora.ok());
  info = uki_menu_info(*fedora);
  EXPECT_EQ(info.title, "workstation");
  EXPECT_EQ(info.sort_key, "workstation");
  EXPECT_EQ(info.version, "39");

  auto bare = parse_uki(make_test_uki({{".uname", "6.1.0"}, {".linux", "x"}}));
  ASSERT_TRUE(bare.ok());
  info = uki_menu_info(*bare);
  EXPECT_EQ(info.title, "");
  EXPECT_EQ(info.version, "6.1.0");
}

TEST(UkiImageTest, OsReleaseValues) {
  std::string text =
      "ID=debian\nNAME='Debian GNU/Linux'\nVERSION=\"12 \\\"bookworm\\\"\"\n"
      "  EMPTY=\"\"\nID=override\r\nBROKEN\n=x\n";
  EXPECT_EQ(os_release_value(text, "ID"), "override");
  EXPECT_EQ(os_release_value(text, "NAME"), "Debian GNU/Linux");
  EXPECT_EQ(os_release_value(text, "VERSION"), "12 \"bookworm\"");
  EXPECT_EQ(os_release_value(text, "EMPTY"), std::nullopt);
  EXPECT_EQ(os_release_value(text, "MISSING"), std::nullopt);
  EXPECT_EQ(os_release_value("", "ID"), std::nullopt);
}

TEST(UkiImageTest, PeWithoutLinuxIsNotAUki) {
  auto pe = parse_uki(make_test_uki({{".text", "code"}, {".osrel", kOsRelease}}));
  ASSERT_FALSE(pe.ok());
  EXPECT_NE(pe.error().message.find("not a unified kernel image"), std::string::npos);
}

TEST(UkiImageTest, FirstSectionOfANameWins) {
  auto uki = parse_uki(make_test_uki({{".linux", "kernel"},
                                      {".cmdline", "base"},
                                      {".profile", "ID=two"},
                                      {".cmdline", "profile"}}));
  ASSERT_TRUE(uki.ok());
  EXPECT_EQ(uki->cmdline_text, "base");
}

TEST(UkiImageTest, RejectsWrongFiles) {
  for (std::string bytes :
       {std::string(), std::string("MZ"), std::string(4096, '\0'), std::string(4096, 'A'),
        std::string("\x7f"
                    "ELF") +
            std::string(100, 0)}) {
    auto result = parse_uki(bytes);
    ASSERT_FALSE(result.ok());
    EXPECT_FALSE(result.error().message.empty());
  }
  std::string no_pe = sample_uki();
  no_pe[testing::kTestPeOffset] = 'X';
  auto result = parse_uki(no_pe);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("PE"), std::string::npos);
}

TEST(UkiImageTest, TruncationAtEveryOffsetFails) {
  std::string bytes = sample_uki();
  auto full = parse_uki(bytes);
  ASSERT_TRUE(full.ok());
  // Everything up to the last byte of the last section is needed; the alignment padding is not.
  const size_t needed = full->initrd->offset + full->initrd->size;
  for (size_t size = 0; size < needed; ++size) {
    auto result = parse_uki(std::string_view(bytes).substr(0, size));
    ASSERT_FALSE(result.ok()) << "truncated to " << size;
    EXPECT_FALSE(result.error().message.empty());
  }
  for (size_t size = needed; size <= bytes.size(); ++size) {
    ASSERT_TRUE(parse_uki(std::string_view(bytes).substr(0, size)).ok()) << size;
  }
}

TEST(UkiImageTest, HeadersOnlyPrefixUsesFileSize) {
  std::string bytes = sample_uki();
  std::string_view head = std::string_view(bytes).substr(0, 0x400);
  auto uki = parse_uki(head, bytes.size());
  ASSERT_TRUE(uki.ok()) << uki.error().str();
  EXPECT_TRUE(uki->osrel.has_value());
  EXPECT_EQ(uki->osrel_text, "");  // lies beyond the prefix
  EXPECT_GT(uki_text_end(*uki), head.size());
  auto more = parse_uki(std::string_view(bytes).substr(0, uki_text_end(*uki)), bytes.size());
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->uname_text, "6.6.1-arch1-1");
  EXPECT_FALSE(parse_uki(head, 0x500).ok());  // sections would lie past the end of the file
}

TEST(UkiImageTest, HugeAndHostileHeaderValues) {
  const std::string good = sample_uki();
  const size_t coff = testing::kTestPeOffset + 4;
  auto patched = [&](size_t offset, uint64_t value, int width) {
    std::string bytes = good;
    put_le(bytes, offset, value, width);
    return parse_uki(bytes);
  };
  EXPECT_FALSE(patched(0x3c, 0xffffffff, 4).ok());   // e_lfanew far away
  EXPECT_FALSE(patched(0x3c, 0xfffffff0, 4).ok());   // e_lfanew near 4 GiB
  EXPECT_FALSE(patched(coff + 2, 0xffff, 2).ok());   // 65535 sections
  EXPECT_FALSE(patched(coff + 16, 0xffff, 2).ok());  // huge optional header
  EXPECT_FALSE(patched(kTestSectionTable + 3 * 40 + 20, 0xfffffff0, 4).ok());  // .linux offset
  std::string both = good;  // .linux VirtualSize and SizeOfRawData both huge
  put_le(both, kTestSectionTable + 3 * 40 + 8, 0xffffffff, 4);
  put_le(both, kTestSectionTable + 3 * 40 + 16, 0xffffffff, 4);
  EXPECT_FALSE(parse_uki(both).ok());
  EXPECT_TRUE(patched(kTestSectionTable + 3 * 40 + 16, 0xffffffff, 4).ok());  // min() is in bounds
  // VirtualSize smaller than SizeOfRawData: the smaller one counts.
  auto small = patched(kTestSectionTable + 2 * 40 + 8, 5, 4);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->uname_text, "6.6.1");
  // VirtualSize 0: SizeOfRawData counts.
  auto zero = patched(kTestSectionTable + 2 * 40 + 8, 0, 4);
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->uname_text, "6.6.1-arch1-1");
}

TEST(UkiImageTest, RandomCorruptionNeverCrashes) {
  const std::string good = sample_uki();
  uint32_t state = 12345;
  auto next = [&] { return state = state * 1103515245u + 12345u; };
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = good;
    for (int k = 0; k < 4; ++k) bytes[next() % 0x300] = static_cast<char>(next() >> 24);
    auto result = parse_uki(bytes);
    if (result.ok()) {
      EXPECT_TRUE(result->linux_.has_value());
    }
  }
}

TEST(UkiImageTest, ReadUkiReadsOnlyWhatItNeeds) {
  FakeFileSystem fs;
  // .osrel after a 200 KiB .linux: read_uki has to read past its first 64 KiB.
  fs.add_file("/efi/EFI/Linux/big.efi", make_test_uki({{".linux", std::string(200 * 1024, 'k')},
                                                       {".osrel", "ID=big\n"},
                                                       {".uname", "6.8.0"}}));
  auto uki = read_uki(fs, "/efi/EFI/Linux/big.efi");
  ASSERT_TRUE(uki.ok()) << uki.error().str();
  EXPECT_EQ(uki->osrel_text, "ID=big\n");
  EXPECT_EQ(uki->uname_text, "6.8.0");

  fs.add_file("/efi/EFI/Linux/bad.efi", "MZ but nothing else");
  auto bad = read_uki(fs, "/efi/EFI/Linux/bad.efi");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().file, "/efi/EFI/Linux/bad.efi");
  EXPECT_FALSE(read_uki(fs, "/efi/EFI/Linux/missing.efi").ok());
}

// Counts the bytes read through it.
class CountingFileSystem : public FakeFileSystem {
 public:
  Result<std::string> read_range(std::string_view path, uint64_t offset,
                                 uint64_t bytes) const override {
    auto got = FakeFileSystem::read_range(path, offset, bytes);
    if (got) read_bytes += got->size();
    return got;
  }
  Result<std::string> read_file(std::string_view path, uint64_t max) const override {
    auto got = FakeFileSystem::read_file(path, max);
    if (got) read_bytes += got->size();
    return got;
  }
  mutable uint64_t read_bytes = 0;
};

// A "UKI" whose text sections sit far into a large (on disk: sparse) file made `list` read up to
// them, 930 MB for an 8 KB file. Only the headers and the sections' own bytes are read now.
TEST(UkiImageTest, FarTextSectionsAreReadAloneNotTheWholeFile) {
  CountingFileSystem fs;
  std::string bytes = make_test_uki(
      {{".linux", std::string(48 << 20, '\0')}, {".osrel", "ID=far\n"}, {".uname", "6.8.0"}});
  fs.add_file("/efi/EFI/Linux/far.efi", std::move(bytes));
  auto uki = read_uki(fs, "/efi/EFI/Linux/far.efi");
  ASSERT_TRUE(uki.ok()) << uki.error().str();
  EXPECT_EQ(uki->osrel_text, "ID=far\n");
  EXPECT_EQ(uki->uname_text, "6.8.0");
  EXPECT_LT(fs.read_bytes, 256u * 1024);

  // A "text" section of 32 MiB is refused, not read.
  fs.add_file("/efi/EFI/Linux/huge.efi",
              make_test_uki({{".linux", "k"}, {".cmdline", std::string(32 << 20, 'x')}}));
  fs.read_bytes = 0;
  auto huge = read_uki(fs, "/efi/EFI/Linux/huge.efi");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, EFBIG);
  EXPECT_LT(fs.read_bytes, 256u * 1024);
}

TEST(UkiImageTest, CommittedFixturesMatchTheGenerator) {
  // If this fails, rerun tests/data/uki/generate_fixtures.cc (see its header).
  for (const auto& file : testing::generated_fixture_files()) {
    std::ifstream in(std::string(WARMBOOT_TEST_DATA) + "/" + file.path, std::ios::binary);
    ASSERT_TRUE(in.good()) << file.path;
    std::ostringstream content;
    content << in.rdbuf();
    EXPECT_TRUE(content.str() == file.content) << file.path << " is stale";
    EXPECT_LE(file.content.size(), 8u * 1024) << file.path;
  }
  std::ifstream in(std::string(WARMBOOT_TEST_DATA) + "/uki/arch-linux.efi", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto uki = parse_uki(bytes.str());
  ASSERT_TRUE(uki.ok()) << uki.error().str();
  EXPECT_EQ(uki->uname_text, "6.6.1-arch1-1");
}

}  // namespace
}  // namespace warmboot
