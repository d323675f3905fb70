// SPDX-License-Identifier: Apache-2.0
#include "core/version_order.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace warmboot {
namespace {

int sgn(int v) {
  return (v > 0) - (v < 0);
}

void expect_older(std::string_view older, std::string_view newer) {
  EXPECT_LT(compare_versions(older, newer), 0) << older << " < " << newer;
  EXPECT_GT(compare_versions(newer, older), 0) << newer << " > " << older;
}

void expect_same(std::string_view a, std::string_view b) {
  EXPECT_EQ(compare_versions(a, b), 0) << a << " == " << b;
  EXPECT_EQ(compare_versions(b, a), 0) << b << " == " << a;
}

TEST(VersionOrderTest, KernelReleases) {
  expect_older("6.1.0-9-amd64", "6.1.0-10-amd64");
  expect_older("6.1.12", "6.5.0");
  expect_older("5.15.0-9-generic", "5.15.0-88-generic");
  expect_older("6.1", "6.1.1");
  expect_older("6.5.6-300.fc39.x86_64", "6.6.1-200.fc39.x86_64");
  expect_older("6.6.1-200.fc39.x86_64", "6.6.1-201.fc39.x86_64");
  expect_older("5.14.0-362.8.1.el9_3.x86_64", "5.14.0-362.13.1.el9_3.x86_64");
  expect_older("6.6.1-arch1-1", "6.6.2-arch1-1");
  expect_older("6.6.1-arch1-1", "6.6.1-arch2-1");
  expect_older("4.19.0-25-amd64", "6.1.0-9-amd64");
}

TEST(VersionOrderTest, PreReleasesSortBeforeTheRelease) {
  expect_older("6.7~rc1", "6.7");
  expect_older("6.7.0~rc1", "6.7.0");
  expect_older("6.7~rc1", "6.7~rc2");
  expect_older("~1", "");
  expect_older("6.7~rc8", "6.7.0");
  expect_same("1~rc1", "1~rc1");
}

TEST(VersionOrderTest, SeparatorsAndSpecialCharacters) {
  expect_same("1_", "1");
  expect_same("_1", "1");
  expect_same("1+", "1");
  expect_same("+1", "1");
  expect_older("1_", "1.2");
  expect_older("1.3.3", "1_2_3");  // "_" ends the comparison: 1 vs 1.3.3
  expect_older("1.3.3", "1+2+3");
  expect_same("11\xce\xb1", "11\xce\xb2");  // non-ASCII characters are skipped
  expect_older("123", "123^patch1");
  expect_older("123-3", "123^1");
}

TEST(VersionOrderTest, SpecificationExamples) {
  expect_same("11", "11");
  expect_same("systemd-123", "systemd-123");
  expect_older("bar-123", "foo-123");
  expect_older("123", "123a");
  expect_older("123", "123.a");
  expect_older("123.a", "123.b");
  expect_older("123.a", "123a");
  expect_older("A", "a");
  expect_older("", "0");
  expect_older("0", "0.");
  expect_older("0", "0.0");
  expect_same("", "");
}

TEST(VersionOrderTest, TotalOrderOfAscendingList) {
  // Each is older than every later one; "^" (a patched release) sorts above ".", "-" and letters.
  const std::vector<std::string> ascending = {
      "~1",    "",        "ab",      "abb",     "abc",    "0001",       "002",    "12",
      "122",   "122.9",   "123~rc1", "123",     "123-a",  "123-a.1",    "123-a1", "123-a1.1",
      "123-3", "123-3.1", "123.a-1", "123.1-1", "123a-1", "123^patch1", "123^1",  "124"};
  for (size_t i = 0; i < ascending.size(); ++i) {
    for (size_t j = 0; j < ascending.size(); ++j) {
      EXPECT_EQ(sgn(compare_versions(ascending[i], ascending[j])),
                sgn(static_cast<int>(i) - static_cast<int>(j)))
          << '"' << ascending[i] << "\" vs \"" << ascending[j] << '"';
    }
  }
}

TEST(VersionOrderTest, LeadingZerosAndHugeNumbers) {
  expect_same("0001", "1");
  expect_same("1.0010", "1.10");
  expect_older("99999999999999999999999999", "100000000000000000000000000");
  expect_older("1.99999999999999999999", "2");
  std::string long_a(10000, '9'), long_b = "1" + std::string(10000, '0');
  expect_older(long_a, long_b);
}

TEST(VersionOrderTest, GarbageDoesNotCrashAndIsConsistent) {
  const std::vector<std::string> odd = {
      std::string("\0\0\x01", 3), "\xff\xfe", "....", "----",   "~~~~", "^^^^", "-.~^", "a-b.c~d^e",
      std::string(1000, '~'),     "1.-2",     "1-.2", "\t1 2\n"};
  for (const auto& a : odd) {
    EXPECT_EQ(compare_versions(a, a), 0);
    for (const auto& b : odd) {
      EXPECT_EQ(sgn(compare_versions(a, b)), -sgn(compare_versions(b, a))) << a << " vs " << b;
    }
  }
}

TEST(VersionOrderTest, LooksLikeKernelRelease) {
  EXPECT_TRUE(looks_like_kernel_release("6.1.0-9-amd64"));
  EXPECT_TRUE(looks_like_kernel_release("6.6.1-arch1-1"));
  EXPECT_TRUE(looks_like_kernel_release("5.14.0-362.8.1.el9_3.x86_64"));
  EXPECT_FALSE(looks_like_kernel_release(""));
  EXPECT_FALSE(looks_like_kernel_release("linux"));
  EXPECT_FALSE(looks_like_kernel_release("6"));
  EXPECT_FALSE(looks_like_kernel_release("v6.1"));
  EXPECT_FALSE(looks_like_kernel_release("0-rescue-4f1e2b0a"));
  EXPECT_FALSE(looks_like_kernel_release("6.1 foo"));
  EXPECT_FALSE(looks_like_kernel_release("6.1/../x"));
  EXPECT_FALSE(looks_like_kernel_release(std::string("6.1\0", 4)));
}

}  // namespace
}  // namespace warmboot
