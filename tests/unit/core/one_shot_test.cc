// SPDX-License-Identifier: Apache-2.0
// A boot loader's one-time choice, used up by the warm reboot that follows it.
#include <gtest/gtest.h>

#include "core/grub_env.h"
#include "core/loader_conf.h"
#include "core/one_shot.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

std::string env_block(const std::string& body) {
  std::string out = std::string(kGrubEnvSignature) + body;
  return out + std::string(1024 - out.size(), '#');
}

TEST(OneShot, GrubenvKeepsItsSizeAndEverythingButNextEntry) {
  const std::string before = env_block("saved_entry=adv>old\nnext_entry=adv>new\nx=1\n");
  auto after = grubenv_without_next_entry(before, "grubenv");
  ASSERT_TRUE(after.ok()) << after.error().str();
  EXPECT_EQ(after->size(), 1024u);
  auto vars = parse_grubenv(*after, "grubenv");
  ASSERT_TRUE(vars.ok());
  EXPECT_EQ(vars->at("next_entry"), "");
  EXPECT_EQ(vars->at("saved_entry"), "adv>old");
  EXPECT_EQ(vars->at("x"), "1");
}

// Found by fuzz/grubenv_fuzzer.cc: GRUB saves a newline in a value as "\" + newline; the rewrite
// went line by line and took a continued value's next line for a variable of its own.
TEST(OneShot, GrubenvValuesContinuedOverEscapedNewlinesStayWhole) {
  const std::string before =
      env_block("next_entry=a\\\nsaved_entry=b\nx=line1\\\nnext_entry=kept\nsaved_entry=c\n");
  auto after = grubenv_without_next_entry(before, "grubenv");
  ASSERT_TRUE(after.ok()) << after.error().str();
  EXPECT_EQ(after->size(), before.size());
  auto vars = parse_grubenv(*after, "grubenv");
  ASSERT_TRUE(vars.ok()) << vars.error().str();
  EXPECT_EQ(vars->at("next_entry"), "");
  EXPECT_EQ(vars->at("x"), "line1\nnext_entry=kept");
  EXPECT_EQ(vars->at("saved_entry"), "c");
  EXPECT_EQ(vars->size(), 3u);
}

TEST(OneShot, NotAGrubenvIsAnError) {
  EXPECT_FALSE(grubenv_without_next_entry("next_entry=x\n", "grubenv").ok());
}

TEST(OneShot, ConsumeEmptiesNextEntryOrRemovesTheEfiVariable) {
  FakeFileSystem fs;
  fs.add_file("/boot/grub/grubenv", env_block("next_entry=adv>new\n"));
  Plan plan;
  plan.one_shot = "/boot/grub/grubenv";
  ASSERT_TRUE(consume_one_shot(fs, plan).ok());
  EXPECT_EQ(parse_grubenv(*fs.read_file("/boot/grub/grubenv"), "g")->at("next_entry"), "");
  ASSERT_TRUE(consume_one_shot(fs, plan).ok());  // already used up: nothing to do

  fs.add_file(kLoaderEntryOneShotPath, std::string("\x07\0\0\0a\0\0\0", 8));
  plan.one_shot = kLoaderEntryOneShotPath;
  ASSERT_TRUE(consume_one_shot(fs, plan).ok());
  EXPECT_FALSE(fs.exists(kLoaderEntryOneShotPath));

  plan.one_shot.reset();  // a plan that follows no one-time choice touches nothing
  fs.add_file("/boot/grub/grubenv", env_block("next_entry=adv>new\n"));
  ASSERT_TRUE(consume_one_shot(fs, plan).ok());
  EXPECT_EQ(parse_grubenv(*fs.read_file("/boot/grub/grubenv"), "g")->at("next_entry"), "adv>new");
}

}  // namespace
}  // namespace warmboot
