// SPDX-License-Identifier: Apache-2.0
// The --dtb file's header check: a whole flattened device tree, or a clear refusal.
#include "core/device_tree_blob.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dtb_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using Header = testing::TestDtb;

Result<DeviceTreeHeader> check(const Header& h, size_t file_size) {
  std::string b = testing::make_test_dtb(h, file_size);
  return check_device_tree_blob(b.substr(0, kDtbHeaderBytes), file_size, "/boot/board.dtb");
}

TEST(DeviceTreeBlob, AWholeTreeIsAccepted) {
  auto ok = check(Header{}, 256);
  ASSERT_TRUE(ok.ok()) << ok.error().str();
  EXPECT_EQ(ok->total_size, 256u);
  EXPECT_EQ(ok->version, 17u);
  EXPECT_TRUE(check(Header{}, 300).ok());  // padding after the tree is fine
}

TEST(DeviceTreeBlob, EveryRefusalNamesTheFileAndWhy) {
  struct Bad {
    Header h;
    size_t file_size;
    const char* why;
  };
  Header magic, truncated, huge, old, outside, tiny;
  magic.magic = 0x7f454c46;  // an ELF file
  truncated.total = 4096;
  huge.total = 3 * 1024 * 1024;
  old.version = 15;
  outside.off_strings = 250;
  tiny.total = 12;
  const Bad cases[] = {
      {magic, 256, "no 0xd00dfeed magic"},
      {truncated, 256, "truncated: the header says 4096 bytes, the file has 256"},
      {huge, 3 * 1024 * 1024, "more than the 2097152 the arm64 kernel maps"},
      {old, 256, "format version 15"},
      {outside, 256, "outside the tree"},
      {tiny, 256, "impossible size"},
      {Header{}, 20, "shorter than a device tree's header"},
  };
  for (const auto& c : cases) {
    auto r = check(c.h, c.file_size);
    ASSERT_FALSE(r.ok()) << c.why;
    EXPECT_THAT(r.error().message, HasSubstr("/boot/board.dtb")) << c.why;
    EXPECT_THAT(r.error().message, HasSubstr(c.why));
    EXPECT_EQ(r.error().code, EINVAL);
    EXPECT_FALSE(r.error().remedy.empty());
  }
}

}  // namespace
}  // namespace warmboot
