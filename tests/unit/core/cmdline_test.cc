// SPDX-License-Identifier: Apache-2.0
#include "core/cmdline.h"

#include <gtest/gtest.h>

namespace warmboot {
namespace {

TEST(Cmdline, SplitsOnSpacesButKeepsQuotedValuesWhole) {
  auto words = split_cmdline("root=/dev/sda1  ro quiet dyndbg=\"file foo.c +p\"\n");
  ASSERT_EQ(words.size(), 4u);
  EXPECT_EQ(words[3], "dyndbg=\"file foo.c +p\"");
}

TEST(Cmdline, KeyIgnoresQuotesAndValue) {
  EXPECT_EQ(param_key("root=UUID=abc"), "root");
  EXPECT_EQ(param_key("quiet"), "quiet");
  EXPECT_EQ(param_key("\"foo=bar\""), "foo");
  EXPECT_EQ(param_key("a\"b=c\"=d"), "ab");  // the kernel splits at the first '='
}

TEST(Cmdline, ReuseDropsBootImageAndInitrdOnly) {
  EXPECT_EQ(
      cmdline_for_reuse("BOOT_IMAGE=/vmlinuz-6.1.0-9-amd64 root=UUID=1 ro initrd=\\initrd.img "
                        "quiet\n"),
      "root=UUID=1 ro quiet");
  EXPECT_EQ(cmdline_for_reuse("BOOT_IMAGE=(hd0,gpt2)/vmlinuz ro"), "ro");
  EXPECT_EQ(cmdline_for_reuse(""), "");
}

TEST(Cmdline, ReuseKeepsQuotedValues) {
  EXPECT_EQ(cmdline_for_reuse("BOOT_IMAGE=/v x=\"a  b\" y"), "x=\"a  b\" y");
}

TEST(Cmdline, RemoveDropsEveryFormOfTheKey) {
  CmdlineEdit edit;
  edit.remove = {"console"};
  EXPECT_EQ(apply_cmdline_edit("console=tty0 ro console=ttyS0,115200 consoleblank=0 console", edit),
            "ro consoleblank=0");
}

TEST(Cmdline, RemoveAcceptsKeyWithValue) {
  CmdlineEdit edit;
  edit.remove = {"quiet=1"};
  EXPECT_EQ(apply_cmdline_edit("ro quiet splash", edit), "ro splash");
}

TEST(Cmdline, AppendGoesBeforeInitArguments) {
  CmdlineEdit edit;
  edit.append = {"warmboot.test=1", "a=\"x y\""};
  EXPECT_EQ(apply_cmdline_edit("ro quiet -- single", edit),
            "ro quiet warmboot.test=1 a=\"x y\" -- single");
  EXPECT_EQ(apply_cmdline_edit("ro", edit), "ro warmboot.test=1 a=\"x y\"");
}

TEST(Cmdline, RemoveLeavesInitArgumentsAlone) {
  CmdlineEdit edit;
  edit.remove = {"single"};
  EXPECT_EQ(apply_cmdline_edit("single ro -- single", edit), "ro -- single");
}

TEST(Cmdline, ReplaceThenEdit) {
  CmdlineEdit edit;
  edit.replace = "root=/dev/vda quiet";
  edit.remove = {"quiet"};
  edit.append = {"debug"};
  EXPECT_EQ(apply_cmdline_edit("ignored entirely", edit), "root=/dev/vda debug");
}

TEST(Cmdline, UnterminatedQuoteDoesNotLoseText) {
  auto words = split_cmdline("a=\"open b c");
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0], "a=\"open b c");
}

}  // namespace
}  // namespace warmboot
