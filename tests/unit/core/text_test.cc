// SPDX-License-Identifier: Apache-2.0
// The shared text helpers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/text.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Text, TrimAndCompare) {
  EXPECT_EQ(trim(" \t a b \n"), "a b");
  EXPECT_EQ(trim_end(" a \n"), " a");
  EXPECT_TRUE(iequals("GRUB", "grub"));
  EXPECT_FALSE(iequals("grub", "grub2"));
  EXPECT_TRUE(is_digits("0123"));
  EXPECT_FALSE(is_digits(""));
  EXPECT_FALSE(is_digits("12a"));
}

TEST(Text, SplitLines) {
  EXPECT_THAT(split_lines("a\nb\n"), ElementsAre("a", "b"));
  EXPECT_THAT(split_lines("a\n\nb"), ElementsAre("a", "", "b"));
  EXPECT_THAT(split_lines(""), IsEmpty());
}

TEST(Text, SplitWords) {
  EXPECT_THAT(split_words("  root\tUUID=1  none tpm2-device=auto \n"),
              ElementsAre("root", "UUID=1", "none", "tpm2-device=auto"));
  EXPECT_THAT(split_words(" \t "), IsEmpty());
}

}  // namespace
}  // namespace warmboot
