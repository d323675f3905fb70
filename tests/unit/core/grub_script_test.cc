// SPDX-License-Identifier: Apache-2.0
#include "core/grub_script.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/grub_lexer.h"
#include "core/grub_test_expr.h"
#include "core/grub_word.h"

namespace warmboot {
namespace {

// The arguments of each simple command at the top level, expanded with `vars`.
std::vector<std::vector<std::string>> commands(std::string_view text, const GrubVars& vars = {}) {
  auto script = parse_grub_script(text, "grub.cfg");
  EXPECT_TRUE(script.ok()) << script.error().str();
  std::vector<std::vector<std::string>> out;
  if (!script.ok()) return out;
  for (const GrubCommand& command : *script) {
    GrubExpansionBudget budget;
    auto args = expand_grub_words(command.words, vars, budget);
    EXPECT_TRUE(args.ok());
    out.push_back(*args);
  }
  return out;
}

using Args = std::vector<std::string>;

TEST(GrubScriptLexer, SplitsWordsAndSeparators) {
  EXPECT_EQ(commands("insmod part_gpt; insmod ext2\n\n  set a=b\t# comment\n"),
            (std::vector<Args>{{"insmod", "part_gpt"}, {"insmod", "ext2"}, {"set", "a=b"}}));
}

TEST(GrubScriptLexer, QuotesAndEscapes) {
  EXPECT_EQ(commands(R"(echo 'a b' "c d" e\ f 'x'"y"z "q\"uote" 'back\slash' "\$notvar")"),
            (std::vector<Args>{
                {"echo", "a b", "c d", "e f", "xyz", "q\"uote", "back\\slash", "$notvar"}}));
}

TEST(GrubScriptLexer, HashInsideAWordIsNotAComment) {
  EXPECT_EQ(commands("echo a#b # gone\n"), (std::vector<Args>{{"echo", "a#b"}}));
}

TEST(GrubScriptLexer, LineContinuation) {
  EXPECT_EQ(commands("linux /vmlinuz \\\n  root=/dev/sda1 \\\n  ro\ninitrd /i"),
            (std::vector<Args>{{"linux", "/vmlinuz", "root=/dev/sda1", "ro"}, {"initrd", "/i"}}));
}

TEST(GrubScriptLexer, CrLfLineEndings) {
  EXPECT_EQ(commands("set a=1\r\nset b=2\r\n"),
            (std::vector<Args>{{"set", "a=1"}, {"set", "b=2"}}));
}

TEST(GrubScriptLexer, VariablesExpandAndUnsetOnesVanish) {
  GrubVars vars{{"a", "A"}, {"opts", "quiet  splash"}, {"empty", ""}};
  EXPECT_EQ(commands("echo $a ${a}x \"$a\" $missing $empty \"$empty\" x$opts", vars),
            (std::vector<Args>{{"echo", "A", "Ax", "A", "", "xquiet", "splash"}}));
}

TEST(GrubScriptLexer, SpecialVariablesAndLoneDollar) {
  GrubVars vars{{"1", "one"}, {"?", "0"}, {"#", "2"}};
  EXPECT_EQ(commands("echo $1 ${1} $? $# $ a$ $-", vars),
            (std::vector<Args>{{"echo", "one", "one", "0", "2", "$", "a$", "$-"}}));
}

TEST(GrubScriptLexer, TranslatedStringIsPlainText) {
  EXPECT_EQ(commands(R"(echo $"Loading Linux ${version} ...")", {{"version", "6.1"}}),
            (std::vector<Args>{{"echo", "Loading Linux 6.1 ..."}}));
}

TEST(GrubScriptLexer, DeviceSyntaxStaysInTheWord) {
  EXPECT_EQ(commands("linux ($root)/boot/vmlinuz (hd0,gpt2)/x", {{"root", "hd0,gpt2"}}),
            (std::vector<Args>{{"linux", "(hd0,gpt2)/boot/vmlinuz", "(hd0,gpt2)/x"}}));
}

TEST(GrubScriptLexer, ErrorsCarryFileAndLine) {
  for (std::string_view bad :
       {"set a=1\necho 'open", "set a=1\necho \"open", "set a=1\necho ${open", "x\necho ${a-b}"}) {
    auto script = parse_grub_script(bad, "/boot/grub/grub.cfg");
    ASSERT_FALSE(script.ok()) << bad;
    EXPECT_EQ(script.error().op, "/boot/grub/grub.cfg:2") << bad;
    EXPECT_EQ(script.error().file, "/boot/grub/grub.cfg");
  }
}

TEST(GrubScriptLexer, NulBytesAreAnError) {
  auto script = parse_grub_script(std::string("set a=1\n\0\0\0", 11), "grub.cfg");
  ASSERT_FALSE(script.ok());
  EXPECT_EQ(script.error().op, "grub.cfg:2");
}

TEST(GrubScriptParser, MenuentryWithOptionsAndBody) {
  auto script = parse_grub_script(
      "menuentry 'Debian GNU/Linux' --class debian $menuentry_id_option 'gnulinux-simple-x' {\n"
      "\tlinux /vmlinuz root=/dev/sda1\n\tinitrd /initrd.img\n}\n",
      "grub.cfg");
  ASSERT_TRUE(script.ok()) << script.error().str();
  ASSERT_EQ(script->size(), 1u);
  const GrubCommand& entry = (*script)[0];
  EXPECT_EQ(entry.kind, GrubCommand::Kind::Menuentry);
  EXPECT_EQ(entry.line, 1);
  EXPECT_EQ(entry.words.size(), 5u);
  ASSERT_EQ(entry.body.size(), 2u);
  EXPECT_EQ(entry.body[1].line, 3);
  EXPECT_EQ(entry.body[0].words[0].plain(), "linux");
}

TEST(GrubScriptParser, OneLineBodiesAndBraceAfterSemicolon) {
  auto script =
      parse_grub_script("menuentry x { linux /a; initrd /b; }\nmenuentry y {linux /c}", "grub.cfg");
  ASSERT_TRUE(script.ok()) << script.error().str();
  ASSERT_EQ(script->size(), 2u);
  EXPECT_EQ((*script)[0].body.size(), 2u);
  EXPECT_EQ((*script)[1].body.size(), 1u);
}

TEST(GrubScriptParser, IfElifElse) {
  auto script = parse_grub_script(
      "if [ a ]; then\n set x=1\nelif [ b ] ; then set x=2; elif c; then\nset x=3\nelse\n"
      "set x=4\nfi\n",
      "grub.cfg");
  ASSERT_TRUE(script.ok()) << script.error().str();
  const GrubCommand& command = (*script)[0];
  EXPECT_EQ(command.kind, GrubCommand::Kind::If);
  EXPECT_EQ(command.branches.size(), 3u);
  EXPECT_TRUE(command.has_else);
  EXPECT_EQ(command.body.size(), 1u);
}

TEST(GrubScriptParser, KeywordsOnlyInCommandPosition) {
  auto script = parse_grub_script("echo if then fi\n'if' x\n", "grub.cfg");
  ASSERT_TRUE(script.ok()) << script.error().str();
  EXPECT_EQ(script->size(), 2u);
  EXPECT_EQ((*script)[1].kind, GrubCommand::Kind::Simple);
}

TEST(GrubScriptParser, FunctionsSubmenusLoopsAndNegation) {
  auto script = parse_grub_script(
      "function load_video {\n  insmod all_video\n}\n"
      "submenu 'Advanced' $menuentry_id_option 'adv' {\n menuentry 'a' { linux /a }\n}\n"
      "for f in a b; do echo $f; done\nwhile false; do echo; done\n! false\n",
      "grub.cfg");
  ASSERT_TRUE(script.ok()) << script.error().str();
  ASSERT_EQ(script->size(), 5u);
  EXPECT_EQ((*script)[0].kind, GrubCommand::Kind::Function);
  EXPECT_EQ((*script)[1].kind, GrubCommand::Kind::Submenu);
  EXPECT_EQ((*script)[1].body[0].kind, GrubCommand::Kind::Menuentry);
  EXPECT_EQ((*script)[2].kind, GrubCommand::Kind::For);
  EXPECT_EQ((*script)[3].kind, GrubCommand::Kind::While);
  EXPECT_TRUE((*script)[4].negate);
}

TEST(GrubScriptParser, SyntaxErrors) {
  for (std::string_view bad :
       {"if true; then echo", "if true; echo; fi", "fi", "}", "{", "menuentry 'x'\n{ linux /a }",
        "menuentry 'x' { linux /a", "submenu 'x' { menuentry 'y' { }", "function { }",
        "for x; do done", "while true; do echo", "else", "echo {", "!"}) {
    auto script = parse_grub_script(bad, "grub.cfg");
    EXPECT_FALSE(script.ok()) << bad;
    if (!script.ok()) {
      EXPECT_TRUE(script.error().op.starts_with("grub.cfg:")) << bad;
    }
  }
}

TEST(GrubScriptParser, DeepNestingIsAnErrorNotACrash) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "submenu 'x' {\n";
  for (int i = 0; i < 5000; ++i) deep += "}\n";
  auto script = parse_grub_script(deep, "grub.cfg");
  ASSERT_FALSE(script.ok());
  EXPECT_NE(script.error().message.find("nested"), std::string::npos);

  std::string ifs;
  for (int i = 0; i < 5000; ++i) ifs += "if true; then ";
  EXPECT_FALSE(parse_grub_script(ifs, "grub.cfg").ok());
}

TEST(GrubScriptParser, AcceptedNestingWithinTheLimit) {
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "submenu 'x' {\n";
  for (int i = 0; i < 20; ++i) deep += "}\n";
  EXPECT_TRUE(parse_grub_script(deep, "grub.cfg").ok());
}

TEST(GrubScriptParser, HugeLineIsFine) {
  std::string line = "linux /vmlinuz " + std::string(2 << 20, 'a') + "\n";
  auto script = parse_grub_script(line, "grub.cfg");
  ASSERT_TRUE(script.ok());
  EXPECT_EQ((*script)[0].words.size(), 3u);
}

TEST(GrubScriptParser, RandomInputNeverCrashes) {
  std::mt19937 rng(1234);
  const std::string alphabet = "ab $'\"\\{};\n#()[]=>!x ifthenfimenuentry";
  for (int round = 0; round < 3000; ++round) {
    std::string text(rng() % 200, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    auto script = parse_grub_script(text, "fuzz.cfg");
    // Either a script, or an error that says where: "fuzz.cfg:LINE".
    if (!script.ok()) {
      EXPECT_EQ(script.error().op.rfind("fuzz.cfg", 0), 0u) << script.error().str();
    }
  }
  for (int round = 0; round < 200; ++round) {
    std::string text(rng() % 4096, ' ');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    auto script = parse_grub_script(text, "fuzz.cfg");
    if (!script.ok()) {
      EXPECT_EQ(script.error().op.rfind("fuzz.cfg", 0), 0u) << script.error().str();
    }
  }
}

TEST(GrubWords, KernelArgsKeepQuotedValuesForTheKernel) {
  auto cmd = commands(R"(linux /vmlinuz root=UUID=x  ro foo="a b" "bar=c d" 'e f' quiet)");
  ASSERT_EQ(cmd.size(), 1u);
  Args options(cmd[0].begin() + 2, cmd[0].end());
  EXPECT_EQ(join_kernel_args(options), R"(root=UUID=x ro foo="a b" bar="c d" "e f" quiet)");
  EXPECT_EQ(join_kernel_args({"", "a", "", "b"}), "a b");
  EXPECT_EQ(join_kernel_args({}), "");
  EXPECT_EQ(join_kernel_args({"x=\"already quoted\" y"}), "x=\"already quoted\" y");
}

TEST(GrubWords, StripsDevicesAndNormalises) {
  EXPECT_EQ(strip_grub_device("(hd0,gpt2)/vmlinuz-6.1"), "/vmlinuz-6.1");
  EXPECT_EQ(strip_grub_device("()/boot//x/../vmlinuz"), "/boot/vmlinuz");
  EXPECT_EQ(strip_grub_device("vmlinuz"), "/vmlinuz");
  EXPECT_EQ(strip_grub_device("/../../x"), "/x");
  EXPECT_EQ(strip_grub_device("(unterminated"), "/");
  EXPECT_EQ(strip_grub_device(""), "");
}

TEST(GrubWords, RunawayExpansionIsAnError) {
  GrubVars vars{{"a", std::string(kMaxGrubExpansion / 2 + 1, 'x')}};
  GrubWord word{{{GrubWordPart::Kind::Var, "a", false}, {GrubWordPart::Kind::Var, "a", true}}};
  GrubExpansionBudget budget;
  EXPECT_FALSE(expand_grub_words({word}, vars, budget).ok());
  EXPECT_FALSE(expand_grub_word(word, vars, budget).ok());
}

bool test_of(std::vector<std::string> args) {
  return eval_grub_test(args,
                        [](char op, std::string_view path) {
                          return op == 's' && path == "/boot/grub/grubenv";
                        })
      .value_or(false);
}

TEST(GrubTestExpr, StringsAndComparisons) {
  EXPECT_TRUE(test_of({"x"}));
  EXPECT_FALSE(test_of({""}));
  EXPECT_FALSE(test_of({}));
  EXPECT_TRUE(test_of({"xy", "=", "xy"}));
  EXPECT_TRUE(test_of({"a", "==", "a"}));
  EXPECT_TRUE(test_of({"a", "!=", "b"}));
  EXPECT_TRUE(test_of({"-n", "a"}));
  EXPECT_TRUE(test_of({"-z", ""}));
  EXPECT_TRUE(test_of({"10", "-gt", "9"}));
  EXPECT_FALSE(test_of({"10", "-lt", "9"}));
  EXPECT_TRUE(test_of({"!", "-z", "a"}));
  EXPECT_TRUE(test_of({"!", "=", "!"}));  // '!' as an operand
}

TEST(GrubTestExpr, AndOrParens) {
  EXPECT_TRUE(test_of({"-n", "1", "-a", "0", "=", "0"}));
  EXPECT_FALSE(test_of({"-n", "", "-a", "0", "=", "0"}));
  EXPECT_TRUE(test_of({"0", "=", "1", "-o", "-1", "=", "-1"}));
  EXPECT_TRUE(test_of({"(", "a", "=", "b", "-o", "c", ")", "-a", "x"}));
}

TEST(GrubTestExpr, FileTestsAskTheCallback) {
  EXPECT_TRUE(test_of({"-s", "/boot/grub/grubenv"}));
  EXPECT_FALSE(test_of({"-f", "/boot/grub/custom.cfg"}));
  EXPECT_FALSE(eval_grub_test({"-e", "/x"}, nullptr).value_or(true));
}

TEST(GrubTestExpr, MalformedIsNullopt) {
  EXPECT_FALSE(eval_grub_test({"=", "0"}, nullptr).has_value());
  EXPECT_FALSE(eval_grub_test({"a", "-eq", "b"}, nullptr).has_value());
  EXPECT_FALSE(eval_grub_test({"(", "a"}, nullptr).has_value());
  EXPECT_FALSE(eval_grub_test({"a", "b"}, nullptr).has_value());
  EXPECT_FALSE(eval_grub_test(std::vector<std::string>(1000, "("), nullptr).has_value());
  EXPECT_FALSE(eval_grub_test(std::vector<std::string>(200, "("), nullptr).has_value());
  std::vector<std::string> negations(200, "!");
  negations.push_back("x");
  EXPECT_EQ(eval_grub_test(negations, nullptr), std::optional<bool>(true));
}

}  // namespace
}  // namespace warmboot
