// SPDX-License-Identifier: Apache-2.0
// Running grub.cfg: variables, conditions, functions, and what entries' bodies produce.
#include "core/grub_interp.h"

#include <gtest/gtest.h>

#include "core/grub_menu.h"

namespace warmboot {
namespace {

GrubMenu menu_of(std::string_view cfg, const GrubVars& env = {}) {
  Result<GrubMenu> menu = parse_grub_menu(cfg, "/boot/grub/grub.cfg", env, {});
  EXPECT_TRUE(menu.ok()) << menu.error().str();
  return menu.ok() ? *menu : GrubMenu{};
}

GrubVars vars_of(std::string_view cfg, const GrubVars& env = {}) {
  Result<GrubBlock> script = parse_grub_script(cfg, "grub.cfg");
  EXPECT_TRUE(script.ok());
  if (!script.ok()) return {};
  Result<GrubRun> run = run_grub_script(*script, "/boot/grub/grub.cfg", env, {});
  EXPECT_TRUE(run.ok()) << run.error().str();
  return run.ok() ? run->vars : GrubVars{};
}

Error error_of(std::string_view cfg) {
  Result<GrubMenu> menu = parse_grub_menu(cfg, "grub.cfg", {}, {});
  EXPECT_FALSE(menu.ok());
  return menu.ok() ? Error{} : menu.error();
}

TEST(GrubInterp, PresetVariables) {
  GrubVars vars = vars_of("");
  EXPECT_EQ(vars["prefix"], "/boot/grub");
  EXPECT_EQ(vars["config_directory"], "/boot/grub");
  EXPECT_EQ(vars["feature_menuentry_id"], "y");
}

TEST(GrubInterp, AssignmentsSetUnsetAndStatus) {
  GrubVars vars = vars_of(
      "a=1\nset b=\"x y\"\nset c=\nset d=gone\nunset d\nset "
      "justname\nmenuentry_id_option=\"--id\"\n"
      "[ a = b ]\n");
  EXPECT_EQ(vars["a"], "1");
  EXPECT_EQ(vars["b"], "x y");
  EXPECT_EQ(vars.count("c"), 1u);
  EXPECT_EQ(vars.count("d"), 0u);
  EXPECT_EQ(vars.count("justname"), 0u);
  EXPECT_EQ(vars["menuentry_id_option"], "--id");
  EXPECT_EQ(vars["?"], "1");
}

TEST(GrubInterp, ConditionsAndTheirAssumptions) {
  GrubVars vars = vars_of(
      "if [ -s $prefix/grubenv ]; then env=yes; else env=no; fi\n"
      "if [ -f ${config_directory}/custom.cfg ]; then custom=yes; else custom=no; fi\n"
      "if keystatus --shift; then key=yes; else key=no; fi\n"
      "if loadfont unicode; then font=yes; else font=no; fi\n"
      "if ! false; then neg=yes; fi\n"
      "if [ $undefined = pc ]; then bad=yes; else bad=no; fi\n"
      "if [ x\"${feature_menuentry_id}\" = xy ]; then feat=yes; fi\n"
      "if false; then e=1; elif true; then e=2; else e=3; fi\n",
      {{"saved_entry", "x"}});
  EXPECT_EQ(vars["env"], "yes");
  EXPECT_EQ(vars["custom"], "no");
  EXPECT_EQ(vars["key"], "no");
  EXPECT_EQ(vars["font"], "yes");
  EXPECT_EQ(vars["neg"], "yes");
  EXPECT_EQ(vars["bad"], "no");
  EXPECT_EQ(vars["feat"], "yes");
  EXPECT_EQ(vars["e"], "2");
  EXPECT_EQ(vars_of("if [ -s $prefix/grubenv ]; then env=yes; else env=no; fi")["env"], "no");
}

TEST(GrubInterp, LoadEnvOnlyWhenTheScriptAsks) {
  GrubVars env{{"saved_entry", "s"}, {"kernelopts", "k"}};
  EXPECT_EQ(vars_of("", env).count("saved_entry"), 0u);
  EXPECT_EQ(vars_of("load_env", env)["saved_entry"], "s");
  GrubVars some = vars_of("load_env -f (hd0,gpt2)/grub2/grubenv kernelopts", env);
  EXPECT_EQ(some["kernelopts"], "k");
  EXPECT_EQ(some.count("saved_entry"), 0u);
  EXPECT_EQ(vars_of("load_env --file=$prefix/other.env", env).count("saved_entry"), 0u);
}

TEST(GrubInterp, FunctionsGetPositionalParameters) {
  GrubVars vars = vars_of(
      "function f {\n  set got=\"$1-$2-$#\"\n  inner=$1\n}\nset 1=outer\nf a b\nfunction g { f $@; "
      "}\n"
      "g c\n");
  EXPECT_EQ(vars["got"], "c--1");
  EXPECT_EQ(vars["inner"], "c");
  EXPECT_EQ(vars["1"], "outer");
}

TEST(GrubInterp, ForLoopsRunAndWhileLoopsAreSkipped) {
  Result<GrubBlock> script = parse_grub_script(
      "for k in a b c; do list=\"$list$k\"; done\nwhile true; do x=1; done\n", "grub.cfg");
  ASSERT_TRUE(script.ok());
  Result<GrubRun> run = run_grub_script(*script, "grub.cfg", {}, {});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->vars["list"], "abc");
  EXPECT_EQ(run->vars.count("x"), 0u);
  ASSERT_EQ(run->warnings.size(), 1u);
  EXPECT_EQ(run->warnings[0], "grub.cfg:2: while/until loop not run");
}

TEST(GrubInterp, EntryBodiesSeeVariablesFromTheEndOfTheScript) {
  GrubMenu menu =
      menu_of("menuentry 'a' { linux /vmlinuz $opts; set leaked=1 }\nset opts=\"quiet splash\"\n");
  ASSERT_EQ(menu.entries.size(), 1u);
  EXPECT_EQ(menu.entries[0].options, "quiet splash");
}

TEST(GrubInterp, SubmenusSeeOnlyExportedVariables) {
  GrubMenu menu = menu_of(
      "set shown=S\nexport shown\nset hidden=H\nsubmenu 'x' {\n"
      "  menuentry 'y' { linux /k $shown $hidden }\n}\n");
  ASSERT_EQ(menu.entries.size(), 1u);
  EXPECT_EQ(menu.entries[0].options, "S");
}

TEST(GrubInterp, BootCommandsAndDevicePrefixes) {
  GrubMenu menu = menu_of(
      "set root=hd0,gpt2\n"
      "menuentry 'efi' { linuxefi ($root)/boot/vmlinuz-6.6.1-arch1 ro; initrdefi ($root)/a "
      "(hd0,gpt1)/b /c }\n"
      "menuentry 'two' { linux /old; linux /vmlinuz-5.10.0-1 x; initrd /1; initrd /2 }\n"
      "menuentry 'win' --class windows { insmod chain; chainloader "
      "/EFI/Microsoft/Boot/bootmgfw.efi }\n"
      "menuentry 'bare' { linux }\n"
      "menuentry 'xen' { multiboot2 /boot/xen.gz; module2 /boot/vmlinuz-6.1 }\n");
  ASSERT_EQ(menu.entries.size(), 5u);
  EXPECT_EQ(menu.entries[0].kernel, "/boot/vmlinuz-6.6.1-arch1");
  EXPECT_EQ(menu.entries[0].version, "6.6.1-arch1");
  EXPECT_EQ(menu.entries[0].initrds, (std::vector<std::string>{"/a", "/b", "/c"}));
  EXPECT_EQ(menu.entries[0].options, "ro");
  EXPECT_EQ(menu.entries[1].kernel, "/vmlinuz-5.10.0-1");
  EXPECT_EQ(menu.entries[1].initrds, std::vector<std::string>{"/2"});
  EXPECT_EQ(menu.entries[2].kernel, "");
  EXPECT_EQ(menu.entries[2].options, std::nullopt);
  EXPECT_EQ(menu.entries[3].kernel, "");
  EXPECT_EQ(menu.entries[3].options, "");
  EXPECT_EQ(menu.entries[4].kernel, "");
}

TEST(GrubInterp, MenuentryArguments) {
  GrubMenu menu = menu_of(
      "menuentry --class os 'T' --users root --hotkey t --unrestricted --id=the-id extra {\n"
      "  linux /k $1 $#\n}\nmenuentry { linux /k }\nmenuentry 'inner' { menuentry 'no' { } }\n");
  ASSERT_EQ(menu.entries.size(), 2u);
  EXPECT_EQ(menu.entries[0].title, "T");
  EXPECT_EQ(menu.entries[0].id, "the-id");
  EXPECT_EQ(menu.entries[0].options, "extra 1");
  EXPECT_EQ(menu.entries[1].title, "inner");
  ASSERT_EQ(menu.warnings.size(), 1u);
  EXPECT_EQ(menu.warnings[0], "/boot/grub/grub.cfg:4: menu item without a title skipped");
}

TEST(GrubInterp, KernelVersionFromFileName) {
  EXPECT_EQ(grub_kernel_version("/boot/vmlinuz-6.1.0-9-amd64"), "6.1.0-9-amd64");
  EXPECT_EQ(grub_kernel_version("/vmlinux-5.15.0"), "5.15.0");
  EXPECT_EQ(grub_kernel_version("/boot/bzImage-6.6.7-gentoo"), "6.6.7-gentoo");
  EXPECT_EQ(grub_kernel_version("/boot/vmlinuz-linux"), "");
  EXPECT_EQ(grub_kernel_version("/boot/vmlinuz"), "");
  EXPECT_EQ(grub_kernel_version("/boot/vmlinuz-"), "");
  EXPECT_EQ(grub_kernel_version(""), "");
}

TEST(GrubInterp, RecursionIsAnError) {
  Error e = error_of("function f {\n  f\n}\nf\n");
  EXPECT_EQ(e.op, "grub.cfg:2");
  EXPECT_NE(e.message.find("nested deeper"), std::string::npos);
}

TEST(GrubInterp, RunawayLoopsAreAnError) {
  std::string cfg = "set l=\"";
  for (int i = 0; i < 1000; ++i) cfg += "x ";
  cfg += "\"\nfor a in $l; do for b in $l; do echo; done; done\n";
  EXPECT_NE(error_of(cfg).message.find("more than"), std::string::npos);
}

TEST(GrubInterp, RunawayExpansionIsAnError) {
  std::string cfg = "set a=xxxxxxxxxxxxxxxx\n";
  for (int i = 0; i < 40; ++i) cfg += "set a=$a$a\n";
  EXPECT_NE(error_of(cfg).message.find("expands to more than"), std::string::npos);
}

TEST(GrubInterp, TooManyMenuItemsOrVariableBytesAreAnError) {
  std::string entries;
  for (int i = 0; i < 5001; ++i) entries += "menuentry x { linux /k }\n";
  EXPECT_NE(error_of(entries).message.find("more than 5000 menu items"), std::string::npos);
  std::string sets;
  for (int i = 0; i < 20; ++i)
    sets += "set v" + std::to_string(i) + "=" + std::string(60000, 'x') + "\n";
  EXPECT_NE(error_of(sets).message.find("assigns more than"), std::string::npos);
}

TEST(GrubInterp, DeepSubmenusAreAnError) {
  std::string cfg;
  for (int i = 0; i < 40; ++i) cfg += "submenu 's' {\n";
  cfg += "menuentry 'e' { linux /k }\n";
  for (int i = 0; i < 40; ++i) cfg += "}\n";
  EXPECT_NE(error_of(cfg).message.find("nested too deeply"), std::string::npos);
}

TEST(GrubInterp, EfiStubConfigHasNoEntries) {
  GrubMenu menu = menu_of(
      "search.fs_uuid 0f3f1f8e-6c4e-4a4e-9a4e-2b8f1c1d2e3f root hd0,gpt2\n"
      "set prefix=($root)'/boot/grub'\nconfigfile $prefix/grub.cfg\n");
  EXPECT_TRUE(menu.entries.empty());
  EXPECT_EQ(menu.default_index, std::nullopt);
}

// Found by hand: a 1.8 KB grub.cfg that built a large variable and looped over many copies of it
// took 264 MB (the per-word limit held, but nothing counted the words together or the loop
// variable), and a 12 KB one died with bad_alloc. The run's expansion budget stops both.
TEST(GrubInterp, ManyLargeWordsHitTheRunBudgetNotMemory) {
  std::string cfg = "a=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n";
  for (int i = 0; i < 13; ++i) cfg += "a=\"$a$a\"\n";  // 512 KiB
  cfg += "for i in";
  for (int i = 0; i < 40; ++i) cfg += " \"$a\"";  // 20 MiB of words
  cfg += "; do x=1; done\n";
  ASSERT_LT(cfg.size(), 2000u);
  Error e = error_of(cfg);
  EXPECT_NE(e.message.find("in all"), std::string::npos) << e.str();
}

TEST(GrubInterp, LoopVariablesCountAsAssignments) {
  std::string cfg = "a=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n";
  for (int i = 0; i < 10; ++i) cfg += "a=\"$a$a\"\n";  // 64 KiB, 128 KiB assigned so far
  cfg += "for i in";
  for (int i = 0; i < 20; ++i) cfg += " \"$a\"";  // 1.3 MiB of loop values: over 1 MiB assigned
  cfg += "; do x=1; done\n";
  Error e = error_of(cfg);
  EXPECT_NE(e.message.find("assigns more than"), std::string::npos) << e.str();
}

}  // namespace
}  // namespace warmboot
