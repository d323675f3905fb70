// SPDX-License-Identifier: Apache-2.0
#include "core/loader_conf.h"

#include <gtest/gtest.h>

#include "core/bls_entry.h"
#include "fakes/fake_filesystem.h"
#include "os/rooted_filesystem.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using testing::make_test_efi_string_var;

const std::string kVarDir = "/sys/firmware/efi/efivars/";
const std::string kVendor = "-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";

TEST(LoaderConfTest, ParsesDefaultAndTimeout) {
  auto conf = parse_loader_conf(
      "# comment\n\ndefault  arch.conf\ntimeout\t5\r\nconsole-mode max\neditor   no\n"
      "default \"fedora-*\"\n",
      "/efi/loader/loader.conf");
  ASSERT_TRUE(conf.ok()) << conf.error().str();
  EXPECT_EQ(conf->default_pattern, "fedora-*");  // the last one wins, quotes removed
  EXPECT_EQ(conf->timeout, "5");

  auto empty = parse_loader_conf("", "/efi/loader/loader.conf");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->default_pattern, "");
  EXPECT_FALSE(empty->timeout.has_value());

  auto saved = parse_loader_conf("timeout menu-force\ndefault @saved", "/boot/loader/loader.conf");
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->default_pattern, "@saved");
  EXPECT_EQ(saved->timeout, "menu-force");
}

TEST(LoaderConfTest, RejectsBinary) {
  auto conf = parse_loader_conf(std::string("default a\n\0\x01garbage", 19), "/efi/l.conf");
  ASSERT_FALSE(conf.ok());
  EXPECT_EQ(conf.error().op, "/efi/l.conf:2");
  EXPECT_EQ(conf.error().file, "/efi/l.conf");
}

TEST(LoaderConfTest, GlobMatching) {
  EXPECT_TRUE(loader_glob_match("arch.conf", "arch"));
  EXPECT_TRUE(loader_glob_match("arch", "arch"));
  EXPECT_FALSE(loader_glob_match("arch", "arch-fallback"));
  EXPECT_FALSE(loader_glob_match("arch.conf", "arch-fallback"));
  EXPECT_TRUE(loader_glob_match("arch-*", "arch-fallback"));
  EXPECT_TRUE(loader_glob_match("*.conf", "anything"));
  EXPECT_FALSE(loader_glob_match("*.conf", "arch-linux.efi"));
  EXPECT_TRUE(loader_glob_match("*.efi", "arch-linux.efi"));
  EXPECT_TRUE(loader_glob_match("arch-linux.efi", "arch-linux.efi"));
  EXPECT_TRUE(loader_glob_match("01234567890abcdef1234567890abdf0-*",
                                "01234567890abcdef1234567890abdf0-6.1.0"));
  EXPECT_TRUE(loader_glob_match("a?c", "abc"));
  EXPECT_FALSE(loader_glob_match("a?c", "ac"));
  EXPECT_TRUE(loader_glob_match("[a-c]x", "bx"));
  EXPECT_FALSE(loader_glob_match("[a-c]x", "dx"));
  EXPECT_TRUE(loader_glob_match("[!a-c]x", "dx"));
  EXPECT_TRUE(loader_glob_match("[^a-c]x", "dx"));
  EXPECT_FALSE(loader_glob_match("[!a-c]x", "ax"));
  EXPECT_TRUE(loader_glob_match("[]]", "]"));
  EXPECT_TRUE(loader_glob_match("a[", "a["));  // unclosed bracket: literal
  EXPECT_TRUE(loader_glob_match("a\\*", "a*"));
  EXPECT_FALSE(loader_glob_match("a\\*", "ab"));
  EXPECT_TRUE(loader_glob_match("ARCH.CONF", "arch"));  // case-insensitive, as on the ESP
  EXPECT_TRUE(loader_glob_match("arch", "Arch"));
  EXPECT_TRUE(loader_glob_match("*", ""));
  EXPECT_FALSE(loader_glob_match("", "a"));
  EXPECT_TRUE(loader_glob_match("**a**b**", "xxaxxbxx"));
  // Pathological patterns stay fast (no exponential backtracking).
  EXPECT_FALSE(loader_glob_match("a*a*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
}

TEST(LoaderConfTest, DecodesEfiStringVariables) {
  EXPECT_EQ(decode_efi_string_var(make_test_efi_string_var("arch.conf")), "arch.conf");
  EXPECT_EQ(decode_efi_string_var(std::string("\x07\0\0\0a\0b\0", 8)), "ab");  // no NUL
  EXPECT_EQ(decode_efi_string_var(std::string("\x07\0\0\0", 4)), "");
  EXPECT_EQ(decode_efi_string_var(std::string("\x07\0\0\0a\0\0\0b\0", 10)), "a");
  EXPECT_EQ(decode_efi_string_var(std::string("\x07\0\0\0a\0b", 7)), std::nullopt);  // odd
  EXPECT_EQ(decode_efi_string_var(std::string("\x07\0", 2)), std::nullopt);
  EXPECT_EQ(decode_efi_string_var(""), std::nullopt);
  EXPECT_EQ(decode_efi_string_var(std::string("\x07\0\0\0\xe9\0", 6)), std::nullopt);  // é
  EXPECT_EQ(decode_efi_string_var(std::string("\x07\0\0\0a\x01", 6)), std::nullopt);
  EXPECT_EQ(decode_efi_string_var(std::string("\x07\0\0\0\n\0", 6)), std::nullopt);
}

std::vector<BootEntry> entries_with_ids(std::initializer_list<const char*> ids) {
  std::vector<BootEntry> out;
  for (const char* id : ids) {
    BootEntry e;
    e.id = id;
    out.push_back(e);
  }
  return out;
}

void set_var(FakeFileSystem& fs, const std::string& name, const std::string& value) {
  fs.add_file(kVarDir + name + kVendor, make_test_efi_string_var(value));
}

const std::vector<BootEntry> kSorted =
    entries_with_ids({"fedora-6.6.1", "fedora-6.5.6", "arch-fallback", "arch"});

TEST(LoaderConfTest, NoLoaderConfMeansNotConfigured) {
  FakeFileSystem fs;
  set_var(fs, "LoaderEntryDefault", "arch.conf");
  auto result = systemd_boot_default(fs, kSorted);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->has_value());
}

TEST(LoaderConfTest, LoaderConfDefaultPicksFirstSortedMatch) {
  FakeFileSystem fs;
  fs.add_file("/boot/loader/loader.conf", "default fedora-*\n");
  auto result = systemd_boot_default(fs, kSorted);
  ASSERT_TRUE(result.ok() && result->has_value());
  EXPECT_EQ((*result)->index, 0u);
  EXPECT_NE((*result)->reason.find("/boot/loader/loader.conf default"), std::string::npos);
}

TEST(LoaderConfTest, PrecedenceOfVariables) {
  FakeFileSystem fs;
  fs.add_file("/efi/loader/loader.conf", "default arch.conf\n");
  fs.add_file("/boot/loader/loader.conf", "default fedora-6.5.6\n");  // /efi is looked at first
  auto pick = [&]() {
    auto result = systemd_boot_default(fs, kSorted);
    EXPECT_TRUE(result.ok() && result->has_value());
    return **result;
  };
  EXPECT_EQ(pick().index, 3u);
  set_var(fs, "LoaderEntryDefault", "arch-fallback.conf");
  EXPECT_EQ(pick().index, 2u);
  EXPECT_NE(pick().reason.find("LoaderEntryDefault"), std::string::npos);
  set_var(fs, "LoaderEntryOneShot", "fedora-6.5.6.conf");
  EXPECT_EQ(pick().index, 1u);
  EXPECT_NE(pick().reason.find("LoaderEntryOneShot"), std::string::npos);
  EXPECT_TRUE(pick().one_shot);
  set_var(fs, "LoaderEntryOneShot", "gone.conf");  // matches nothing: falls through
  SdBootDefault fell = pick();
  EXPECT_EQ(fell.index, 2u);
  EXPECT_NE(fell.reason.find("gone.conf\" matches no entry"), std::string::npos) << fell.reason;
  EXPECT_FALSE(fell.one_shot);
  fs.add_file(kVarDir + "LoaderEntryDefault" + kVendor, std::string("\x07\0\0\0x", 5));  // bad
  EXPECT_EQ(pick().index, 3u);
}

TEST(LoaderConfTest, SavedEntry) {
  FakeFileSystem fs;
  fs.add_file("/boot/efi/loader/loader.conf", "default @saved\n");
  auto result = systemd_boot_default(fs, kSorted);
  ASSERT_TRUE(result.ok() && result->has_value());
  EXPECT_EQ((*result)->index, 0u);  // nothing saved yet: the first entry
  EXPECT_NE((*result)->reason.find("LoaderEntryLastBooted is not set"), std::string::npos);

  set_var(fs, "LoaderEntryLastBooted", "arch.conf");
  result = systemd_boot_default(fs, kSorted);
  ASSERT_TRUE(result.ok() && result->has_value());
  EXPECT_EQ((*result)->index, 3u);
  EXPECT_NE((*result)->reason.find("@saved"), std::string::npos);

  FakeFileSystem var_saved;
  var_saved.add_file("/efi/loader/loader.conf", "default fedora-6.6.1\n");
  set_var(var_saved, "LoaderEntryDefault", "@saved");
  set_var(var_saved, "LoaderEntryLastBooted", "arch-fallback.conf");
  result = systemd_boot_default(var_saved, kSorted);
  ASSERT_TRUE(result.ok() && result->has_value());
  EXPECT_EQ((*result)->index, 2u);
}

TEST(LoaderConfTest, EmptyEntriesAndBadConfig) {
  FakeFileSystem fs;
  fs.add_file("/efi/loader/loader.conf", "timeout 3\n");
  auto result = systemd_boot_default(fs, {});
  ASSERT_TRUE(result.ok() && result->has_value());
  EXPECT_FALSE((*result)->index.has_value());

  FakeFileSystem bad;
  bad.add_file("/efi/loader/loader.conf", std::string("default \0\0", 10));
  EXPECT_FALSE(systemd_boot_default(bad, kSorted).ok());
  FakeFileSystem unreadable;
  unreadable.add_file("/efi/loader/loader.conf", "default a");
  unreadable.add_unreadable("/efi/loader/loader.conf", EACCES);
  auto denied = systemd_boot_default(unreadable, kSorted);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, EACCES);
}

std::string default_id(const std::string& root) {
  RootedFileSystem fs(std::string(WARMBOOT_TEST_DATA) + "/roots/" + root);
  auto entries = read_bls_entries(fs);
  EXPECT_TRUE(entries.ok());
  if (!entries.ok()) return "";
  auto result = systemd_boot_default(fs, *entries);
  EXPECT_TRUE(result.ok() && result->has_value() && (*result)->index);
  if (!result.ok() || !result->has_value() || !(*result)->index) return "";
  return (*entries)[*(*result)->index].id;
}

TEST(LoaderConfTest, Fixtures) {
  EXPECT_EQ(default_id("arch"), "arch");
  EXPECT_EQ(default_id("arch-efivar"), "arch-fallback");
  RootedFileSystem fedora(std::string(WARMBOOT_TEST_DATA) + "/roots/fedora");
  auto none = systemd_boot_default(fedora, {});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());  // GRUB with blscfg, no loader.conf
}

}  // namespace
}  // namespace warmboot
