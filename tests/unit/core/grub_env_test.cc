// SPDX-License-Identifier: Apache-2.0
#include "core/grub_env.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace warmboot {
namespace {

// A block as grub-editenv writes it: signature, variables, '#' padding to 1024 bytes.
std::string block(std::string body) {
  std::string out = std::string(kGrubEnvSignature) + body;
  if (out.size() < 1024) out.append(1024 - out.size(), '#');
  return out;
}

TEST(GrubEnv, ParsesVariablesAndPadding) {
  auto env =
      parse_grubenv(block("saved_entry=gnulinux-advanced-x>gnulinux-6.1.0-9-amd64\n"
                          "next_entry=\nkernelopts=root=UUID=abc ro quiet \n"));
  ASSERT_TRUE(env.ok()) << env.error().str();
  EXPECT_EQ(env->size(), 3u);
  EXPECT_EQ(env->at("saved_entry"), "gnulinux-advanced-x>gnulinux-6.1.0-9-amd64");
  EXPECT_EQ(env->at("next_entry"), "");
  EXPECT_EQ(env->at("kernelopts"), "root=UUID=abc ro quiet ");
}

TEST(GrubEnv, EmptyBlockHasNoVariables) {
  auto env = parse_grubenv(block(""));
  ASSERT_TRUE(env.ok());
  EXPECT_TRUE(env->empty());
}

TEST(GrubEnv, ValueKeepsEqualsSignsAndSpaces) {
  auto env = parse_grubenv(block("a=b=c d\n"));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->at("a"), "b=c d");
}

TEST(GrubEnv, UndoesBackslashEscapes) {
  auto env = parse_grubenv(block("path=C:\\\\boot\nmulti=line1\\\nline2\nafter=1\n"));
  ASSERT_TRUE(env.ok()) << env.error().str();
  EXPECT_EQ(env->at("path"), "C:\\boot");
  EXPECT_EQ(env->at("multi"), "line1\nline2");
  EXPECT_EQ(env->at("after"), "1");
}

TEST(GrubEnv, LaterAssignmentWins) {
  auto env = parse_grubenv(block("a=1\na=2\n"));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->at("a"), "2");
}

TEST(GrubEnv, CommentLinesAreSkipped) {
  auto env = parse_grubenv(block("# a comment=not a var\nx=y\n"));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->size(), 1u);
  EXPECT_EQ(env->at("x"), "y");
}

TEST(GrubEnv, AcceptsBlocksOfOtherSizes) {
  auto env = parse_grubenv(std::string(kGrubEnvSignature) + "a=1\n");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->at("a"), "1");
  std::string big = block("a=1\n") + std::string(3072, '#');
  EXPECT_TRUE(parse_grubenv(big).ok());
}

TEST(GrubEnv, Utf8ValuesAreKept) {
  auto env = parse_grubenv(block("saved_entry=Débian GNU/Linux ✓\n"));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->at("saved_entry"), "Débian GNU/Linux ✓");
}

TEST(GrubEnv, MissingSignatureIsAnError) {
  auto env = parse_grubenv("saved_entry=0\n", "/boot/grub/grubenv");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().op, "/boot/grub/grubenv");
  EXPECT_EQ(env.error().file, "/boot/grub/grubenv");
  EXPECT_NE(env.error().message.find("signature"), std::string::npos);
  EXPECT_FALSE(parse_grubenv("").ok());
  EXPECT_FALSE(parse_grubenv("# GRUB Environment Block").ok());  // no newline
}

TEST(GrubEnv, LineWithoutEqualsIsAnErrorWithItsLine) {
  auto env = parse_grubenv(block("a=1\ngarbage\n"), "grubenv");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().op, "grubenv:3");
}

TEST(GrubEnv, EmptyNameIsAnError) {
  EXPECT_FALSE(parse_grubenv(block("=value\n")).ok());
}

TEST(GrubEnv, UnterminatedLastValueIsAnError) {
  EXPECT_FALSE(parse_grubenv(std::string(kGrubEnvSignature) + "a=1").ok());
}

TEST(GrubEnv, ControlBytesAreAnError) {
  std::string zeroed = block("a=1\n");
  zeroed.replace(40, 4, std::string(4, '\0'));
  auto env = parse_grubenv(zeroed);
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.error().message.find("0x00"), std::string::npos);
  EXPECT_FALSE(parse_grubenv(block("a=\x1b[31m\n")).ok());
}

TEST(GrubEnv, RandomGarbageNeverCrashes) {
  std::mt19937 rng(42);
  for (int round = 0; round < 500; ++round) {
    std::string data(rng() % 2048, '\0');
    for (char& c : data) c = static_cast<char>(rng() % 256);
    if (round % 2) data = std::string(kGrubEnvSignature) + data;
    auto env = parse_grubenv(data);
    if (round % 2 == 0) {
      EXPECT_FALSE(env.ok());
    }
  }
}

TEST(GrubEnv, RandomPrintableBodiesNeverCrash) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab=#\\\n \t";
  for (int round = 0; round < 2000; ++round) {
    std::string body(rng() % 64, ' ');
    for (char& c : body) c = alphabet[rng() % alphabet.size()];
    auto env = parse_grubenv(std::string(kGrubEnvSignature) + body);
    if (env.ok()) {  // every name it kept appears in the body, followed by '='
      for (const auto& [name, value] : *env)
        EXPECT_NE(body.find(name + "="), std::string::npos) << name << " in " << body;
    } else {
      EXPECT_FALSE(env.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace warmboot
