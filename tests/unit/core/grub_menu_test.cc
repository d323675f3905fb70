// SPDX-License-Identifier: Apache-2.0
#include "core/grub_menu.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "core/grub_env.h"
#include "core/grub_word.h"

namespace warmboot {
namespace {

const std::string kDebianUuid = "3f1c5a2e-8d4b-4a7e-9f2c-1b6d0e5a7c21";
const std::string kUbuntuUuid = "b7e2d4f0-5c1a-4e39-8a6d-2f90c3e1d457";

std::string read_data(const std::string& rel) {
  std::ifstream in(std::string(WARMBOOT_TEST_DATA) + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

GrubMenu parse_ok(std::string_view cfg, const GrubVars& env = {},
                  const std::vector<BootEntry>& bls = {}) {
  Result<GrubMenu> menu = parse_grub_menu(cfg, "/boot/grub/grub.cfg", env, bls);
  EXPECT_TRUE(menu.ok()) << menu.error().str();
  return menu.ok() ? *menu : GrubMenu{};
}

std::vector<std::string> titles(const GrubMenu& menu) {
  std::vector<std::string> out;
  for (const BootEntry& e : menu.entries) out.push_back(e.title);
  return out;
}

TEST(GrubMenuDebian, EntriesFromTheRealLayout) {
  GrubMenu menu = parse_ok(read_data("roots/debian/boot/grub/grub.cfg"));
  const std::string adv = "Advanced options for Debian GNU/Linux>";
  EXPECT_EQ(titles(menu),
            (std::vector<std::string>{
                "Debian GNU/Linux", adv + "Debian GNU/Linux, with Linux 6.1.0-10-amd64",
                adv + "Debian GNU/Linux, with Linux 6.1.0-10-amd64 (recovery mode)",
                adv + "Debian GNU/Linux, with Linux 6.1.0-9-amd64",
                adv + "Debian GNU/Linux, with Linux 6.1.0-9-amd64 (recovery mode)"}));
  const BootEntry& first = menu.entries[0];
  EXPECT_EQ(first.origin, EntryOrigin::Grub);
  EXPECT_EQ(first.id, "gnulinux-simple-" + kDebianUuid);
  EXPECT_EQ(first.kernel, "/boot/vmlinuz-6.1.0-10-amd64");
  EXPECT_EQ(first.initrds, std::vector<std::string>{"/boot/initrd.img-6.1.0-10-amd64"});
  EXPECT_EQ(first.options, "root=UUID=" + kDebianUuid + " ro quiet");
  EXPECT_EQ(first.version, "6.1.0-10-amd64");
  EXPECT_EQ(first.source_file, "/boot/grub/grub.cfg");
  EXPECT_FALSE(first.uki);
  EXPECT_EQ(menu.entries[4].id, "gnulinux-6.1.0-9-amd64-recovery-" + kDebianUuid);
  EXPECT_EQ(menu.entries[4].options, "root=UUID=" + kDebianUuid + " ro single");
  EXPECT_EQ(menu.entries[4].version, "6.1.0-9-amd64");
}

TEST(GrubMenuDebian, NoSavedEntryBootsTheFirst) {
  GrubMenu menu = parse_ok(read_data("roots/debian/boot/grub/grub.cfg"));
  EXPECT_EQ(menu.default_index, 0u);
  EXPECT_EQ(menu.default_reason, "saved_entry is empty: the first entry");
  EXPECT_TRUE(menu.warnings.empty());
}

TEST(GrubMenuDebian, SavedEntryPathIntoTheSubmenu) {
  auto env = parse_grubenv(read_data("roots/debian/boot/grub/grubenv"));
  ASSERT_TRUE(env.ok());
  GrubMenu menu = parse_ok(read_data("roots/debian/boot/grub/grub.cfg"), *env);
  EXPECT_EQ(menu.default_index, 3u);
  EXPECT_EQ(menu.default_reason, "saved_entry=gnulinux-advanced-" + kDebianUuid +
                                     ">gnulinux-6.1.0-9-amd64-advanced-" + kDebianUuid);
  EXPECT_TRUE(menu.warnings.empty());
}

TEST(GrubMenuDebian, NextEntryWinsOverSavedEntry) {
  GrubVars env{{"saved_entry", "0"}, {"next_entry", "1>3"}};
  GrubMenu menu = parse_ok(read_data("roots/debian/boot/grub/grub.cfg"), env);
  EXPECT_EQ(menu.default_index, 4u);
  EXPECT_EQ(menu.default_reason, "next_entry=1>3");
}

TEST(GrubMenuDebian, BareNestedIdMatchesNothingAtTheTopLikeGrub) {
  GrubVars env{{"saved_entry", "gnulinux-6.1.0-9-amd64-advanced-" + kDebianUuid}};
  GrubMenu menu = parse_ok(read_data("roots/debian/boot/grub/grub.cfg"), env);
  EXPECT_EQ(menu.default_index, 0u);
  ASSERT_EQ(menu.warnings.size(), 1u);
  EXPECT_EQ(menu.warnings[0], "saved_entry=gnulinux-6.1.0-9-amd64-advanced-" + kDebianUuid +
                                  " names no entry; using the first");
}

TEST(GrubMenuUbuntu, VtHandoffComesFromTheGfxmodeFunction) {
  auto env = parse_grubenv(read_data("roots/ubuntu/boot/grub/grubenv"));
  ASSERT_TRUE(env.ok());
  GrubMenu menu = parse_ok(read_data("roots/ubuntu/boot/grub/grub.cfg"), *env);
  ASSERT_EQ(menu.entries.size(), 8u);
  const std::string root = "root=UUID=" + kUbuntuUuid + " ro";
  EXPECT_EQ(menu.entries[0].options, root + " quiet splash vt.handoff=7");
  EXPECT_EQ(menu.entries[1].options, root + " quiet splash vt.handoff=7");
  EXPECT_EQ(menu.entries[2].options, root + " recovery nomodeset dis_ucode_ldr");
  EXPECT_EQ(menu.entries[3].title,
            "Advanced options for Ubuntu>Ubuntu, with Linux 5.15.0-88-generic");
  EXPECT_EQ(menu.default_index, 3u);
  EXPECT_EQ(menu.entries[3].kernel, "/boot/vmlinuz-5.15.0-88-generic");
  EXPECT_EQ(menu.entries[3].version, "5.15.0-88-generic");
  EXPECT_TRUE(menu.warnings.empty());
}

TEST(GrubMenuUbuntu, MemtestAndFirmwareEntriesKeepTheirPlace) {
  GrubMenu menu = parse_ok(read_data("roots/ubuntu/boot/grub/grub.cfg"));
  ASSERT_EQ(menu.entries.size(), 8u);
  EXPECT_EQ(menu.entries[5].kernel, "/boot/memtest86+.bin");
  EXPECT_EQ(menu.entries[5].version, "");
  EXPECT_EQ(menu.entries[5].id, "Memory test (memtest86+.bin)");
  EXPECT_EQ(menu.entries[6].options, "console=ttyS0,115200");
  EXPECT_EQ(menu.entries[7].id, "uefi-firmware");
  EXPECT_EQ(menu.entries[7].kernel, "");
  EXPECT_EQ(menu.entries[7].options, std::nullopt);
}

TEST(GrubMenuUbuntu, RecordfailDropsVtHandoff) {
  GrubMenu menu = parse_ok(read_data("roots/ubuntu/boot/grub/grub.cfg"), {{"recordfail", "1"}});
  EXPECT_EQ(menu.entries[0].options, "root=UUID=" + kUbuntuUuid + " ro quiet splash");
}

std::vector<BootEntry> fedora_bls() {
  BootEntry newer;
  newer.origin = EntryOrigin::Bls;
  newer.id = "8a1f7c2e9d3b4f60a5e1c7d9b2f4e6a8-6.5.6-300.fc39.x86_64";
  newer.title = "Fedora Linux (6.5.6-300.fc39.x86_64) 39 (Workstation Edition)";
  newer.kernel = "/boot/vmlinuz-6.5.6-300.fc39.x86_64";
  newer.initrds = {"/boot/initramfs-6.5.6-300.fc39.x86_64.img", "$tuned_initrd"};
  newer.options = "$kernelopts $tuned_params";
  newer.version = "6.5.6-300.fc39.x86_64";
  newer.source_file = "/boot/loader/entries/" + newer.id + ".conf";
  BootEntry older = newer;
  older.id = "8a1f7c2e9d3b4f60a5e1c7d9b2f4e6a8-6.5.5-200.fc39.x86_64";
  older.title = "Fedora Linux (6.5.5-200.fc39.x86_64) 39 (Workstation Edition)";
  older.kernel = "/boot/vmlinuz-6.5.5-200.fc39.x86_64";
  older.initrds = {"/boot/initramfs-6.5.5-200.fc39.x86_64.img"};
  older.options = "root=UUID=5d1e ro rootflags=subvol=root";
  older.version = "6.5.5-200.fc39.x86_64";
  return {newer, older};
}

TEST(GrubMenuFedora, BlscfgInsertsEntriesWithVariablesExpanded) {
  GrubMenu menu = parse_ok(read_data("grub/fedora39-bls.cfg"), {}, fedora_bls());
  ASSERT_EQ(menu.entries.size(), 2u);
  const BootEntry& e = menu.entries[0];
  EXPECT_EQ(e.origin, EntryOrigin::Bls);
  EXPECT_EQ(e.id, fedora_bls()[0].id);
  EXPECT_EQ(e.options,
            "root=UUID=5d1e7c3a-9b2f-4e80-a6c4-3f8d0b1e2a97 ro rootflags=subvol=root "
            "rhgb quiet");
  EXPECT_EQ(e.initrds, std::vector<std::string>{"/boot/initramfs-6.5.6-300.fc39.x86_64.img"});
  EXPECT_EQ(e.source_file, fedora_bls()[0].source_file);
  EXPECT_EQ(menu.entries[1].options, "root=UUID=5d1e ro rootflags=subvol=root");
  EXPECT_EQ(menu.default_index, 0u);
}

TEST(GrubMenuFedora, GrubenvKerneloptsAndSavedEntry) {
  GrubVars env{{"saved_entry", fedora_bls()[1].id},
               {"kernelopts", "root=/dev/vda2 ro"},
               {"tuned_params", "skew_tick=1"},
               {"tuned_initrd", "/tuned.img"},
               {"boot_success", "1"}};
  GrubMenu menu = parse_ok(read_data("grub/fedora39-bls.cfg"), env, fedora_bls());
  EXPECT_EQ(menu.default_index, 1u);
  EXPECT_EQ(menu.default_reason, "saved_entry=" + fedora_bls()[1].id);
  EXPECT_EQ(menu.entries[0].options, "root=/dev/vda2 ro skew_tick=1");
  EXPECT_EQ(menu.entries[0].initrds,
            (std::vector<std::string>{"/boot/initramfs-6.5.6-300.fc39.x86_64.img", "/tuned.img"}));
}

TEST(GrubMenuFedora, BootCounterFallsBackToEntryOne) {
  GrubVars env{{"boot_counter", "0"}, {"boot_success", "0"}, {"saved_entry", "x"}};
  GrubMenu menu = parse_ok(read_data("grub/fedora39-bls.cfg"), env, fedora_bls());
  EXPECT_EQ(menu.default_index, 1u);
  EXPECT_EQ(menu.default_reason, "default=1");
}

TEST(GrubMenuFuzz, TokenSoupNeverCrashes) {
  const std::vector<std::string> tokens = {
      "menuentry", "submenu",   "'T'",         "\"x y\"",
      "{",         "}",         ";",           "\n",
      "if",        "then",      "else",        "elif",
      "fi",        "[",         "]",           "=",
      "!",         "-n",        "-s",          "$prefix/grubenv",
      "set",       "default=1", "default=T>x", "$a",
      "${b}",      "a=$a$a",    "function",    "f",
      "for",       "i",         "in",          "do",
      "done",      "while",     "linux",       "/vmlinuz-1.2",
      "initrd",    "(hd0)/i",   "load_env",    "blscfg",
      "export",    "--id",      "$1",          "1>0",
      "x>>y",      "-o",        "(",           ")",
      "\\",        "#c",        "'",           "\""};
  BootEntry bls;
  bls.id = "b";
  bls.title = "B";
  bls.options = "$kernelopts x";
  bls.initrds = {"$i", "/x"};
  std::mt19937 rng(99);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (size_t i = 0, n = rng() % 60; i < n; ++i) text += tokens[rng() % tokens.size()] + " ";
    Result<GrubMenu> menu =
        parse_grub_menu(text, "fuzz.cfg", {{"saved_entry", "T"}, {"kernelopts", "k"}}, {bls});
    if (menu.ok() && menu->default_index) {
      EXPECT_LT(*menu->default_index, menu->entries.size()) << text;
    }
  }
}

TEST(GrubMenuFedora, NoBlsEntriesMeansNoMenu) {
  GrubMenu menu = parse_ok(read_data("grub/fedora39-bls.cfg"));
  EXPECT_TRUE(menu.entries.empty());
  EXPECT_EQ(menu.default_index, std::nullopt);
  EXPECT_EQ(menu.default_reason, "no menu entries");
}

}  // namespace
}  // namespace warmboot
