// SPDX-License-Identifier: Apache-2.0
// How parse_grub_menu picks GRUB's default entry.
#include <gtest/gtest.h>

#include "core/grub_menu.h"
#include "core/grub_word.h"

namespace warmboot {
namespace {

// Top level: 0 'First' (id first), 1 'Advanced' submenu (id adv) holding 'A1' (id a1), 'A2'
// (id a2) and a nested submenu 'Deeper' holding 'D1'; 2 'Odd>Title' (id odd); 3 'Last' (no id).
constexpr std::string_view kMenu = R"(
menuentry 'First' --id first { linux /vmlinuz-1.0 }
submenu 'Advanced' --id=adv {
  menuentry 'A1' --id a1 { linux /vmlinuz-2.0 }
  menuentry 'A2' --id a2 { linux /vmlinuz-3.0 }
  submenu 'Deeper' { menuentry 'D1' { linux /vmlinuz-4.0 } }
}
menuentry 'Odd>Title' --id odd { linux /vmlinuz-5.0 }
menuentry 'Last' { linux /vmlinuz-6.0 }
)";

GrubMenu with_default(std::string value) {
  std::string cfg = std::string(kMenu) + "set default=\"" + value + "\"\n";
  Result<GrubMenu> menu = parse_grub_menu(cfg, "/boot/grub/grub.cfg", {}, {});
  EXPECT_TRUE(menu.ok()) << menu.error().str();
  return menu.ok() ? *menu : GrubMenu{};
}

std::optional<size_t> default_of(std::string value) {
  return with_default(value).default_index;
}

TEST(GrubDefault, FlattenedOrder) {
  GrubMenu menu = with_default("0");
  ASSERT_EQ(menu.entries.size(), 6u);
  EXPECT_EQ(menu.entries[3].title, "Advanced>Deeper>D1");
  EXPECT_EQ(menu.entries[3].id, "Advanced>Deeper>D1");
  EXPECT_EQ(menu.entries[1].id, "a1");
  EXPECT_EQ(menu.entries[5].id, "Last");
  EXPECT_EQ(menu.default_reason, "default=0");
}

TEST(GrubDefault, NumbersCountTopLevelItems) {
  EXPECT_EQ(default_of("0"), 0u);
  EXPECT_EQ(default_of("1"), 1u);  // the submenu: its first entry
  EXPECT_EQ(default_of("2"), 4u);  // Odd>Title
  EXPECT_EQ(default_of("3"), 5u);
  EXPECT_EQ(default_of("0x3"), 5u);
  EXPECT_EQ(default_of(" 2"), 4u);
}

TEST(GrubDefault, PathsOfNumbersTitlesAndIds) {
  EXPECT_EQ(default_of("1>1"), 2u);
  EXPECT_EQ(default_of("1>2>0"), 3u);
  EXPECT_EQ(default_of("1>2"), 3u);
  EXPECT_EQ(default_of("Advanced>A2"), 2u);
  EXPECT_EQ(default_of("adv>a2"), 2u);
  EXPECT_EQ(default_of("adv>Deeper>D1"), 3u);
  EXPECT_EQ(default_of("Advanced>1"), 2u);
}

TEST(GrubDefault, TitlesAndIds) {
  EXPECT_EQ(default_of("First"), 0u);
  EXPECT_EQ(default_of("first"), 0u);
  EXPECT_EQ(default_of("Last"), 5u);
  EXPECT_EQ(default_of("odd"), 4u);
  EXPECT_EQ(default_of("Odd>>Title"), 4u);  // ">>" is a literal '>'
  EXPECT_EQ(default_of("adv"), 1u);
}

TEST(GrubDefault, NoMatchWarnsAndUsesTheFirst) {
  GrubMenu menu = with_default("7");
  EXPECT_EQ(menu.default_index, 0u);
  ASSERT_EQ(menu.warnings.size(), 1u);
  EXPECT_EQ(menu.warnings[0], "default=7 names no entry; using the first");

  menu = with_default("no such entry");
  EXPECT_EQ(menu.default_index, 0u);
  EXPECT_EQ(menu.warnings.size(), 1u);

  menu = with_default("99999999999999999999999999");
  EXPECT_EQ(menu.default_index, 0u);
  EXPECT_EQ(menu.warnings.size(), 1u);
}

TEST(GrubDefault, NoMatchInsideASubmenuUsesItsFirst) {
  GrubMenu menu = with_default("adv>nope");
  EXPECT_EQ(menu.default_index, 1u);
  ASSERT_EQ(menu.warnings.size(), 1u);
  EXPECT_EQ(menu.warnings[0],
            "default=adv>nope: 'nope' names no entry in submenu 'Advanced'; using its first");
  EXPECT_EQ(default_of("adv>9"), 1u);
}

TEST(GrubDefault, EmptyOrUnsetDefaultIsTheFirstWithoutWarning) {
  GrubMenu menu = with_default("");
  EXPECT_EQ(menu.default_index, 0u);
  EXPECT_TRUE(menu.warnings.empty());

  Result<GrubMenu> unset = parse_grub_menu(kMenu, "grub.cfg", {}, {});
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->default_index, 0u);
  EXPECT_EQ(unset->default_reason, "default unset: the first entry");
}

TEST(GrubDefault, FirstItemASubmenu) {
  Result<GrubMenu> menu = parse_grub_menu(
      "submenu 'S' { menuentry 'a' { linux /a } menuentry 'b' { linux /b } }\n"
      "menuentry 'c' { linux /c }\nset default=bogus\n",
      "grub.cfg", {}, {});
  ASSERT_TRUE(menu.ok());
  EXPECT_EQ(menu->default_index, 0u);
  EXPECT_EQ(menu->entries[0].title, "S>a");
}

TEST(GrubDefault, EmptySubmenuHasNoDefault) {
  Result<GrubMenu> menu =
      parse_grub_menu("submenu 'S' { }\nmenuentry 'c' { linux /c }\n", "grub.cfg", {}, {});
  ASSERT_TRUE(menu.ok());
  EXPECT_EQ(menu->entries.size(), 1u);
  EXPECT_EQ(menu->default_index, std::nullopt);
  ASSERT_EQ(menu->warnings.size(), 1u);
  EXPECT_EQ(menu->warnings[0], "submenu 'S' is empty");
}

TEST(GrubDefault, ReasonNamesTheVariableDefaultCameFrom) {
  std::string cfg = std::string(kMenu) +
                    "load_env\nif [ \"${next_entry}\" ] ; then\n set default=\"${next_entry}\"\n"
                    "else\n set default=\"${saved_entry}\"\nfi\n";
  Result<GrubMenu> menu = parse_grub_menu(cfg, "grub.cfg", {{"saved_entry", "adv>a2"}}, {});
  ASSERT_TRUE(menu.ok());
  EXPECT_EQ(menu->default_index, 2u);
  EXPECT_EQ(menu->default_reason, "saved_entry=adv>a2");
  EXPECT_FALSE(menu->default_is_one_shot);

  menu = parse_grub_menu(cfg, "grub.cfg", {{"saved_entry", "adv>a2"}, {"next_entry", "Last"}}, {});
  ASSERT_TRUE(menu.ok());
  EXPECT_EQ(menu->default_index, 5u);
  EXPECT_EQ(menu->default_reason, "next_entry=Last");
  EXPECT_TRUE(menu->default_is_one_shot);  // grub-reboot: GRUB empties next_entry as it boots

  menu = parse_grub_menu(std::string(kMenu) + "default=${x}y\n", "grub.cfg", {}, {});
  ASSERT_TRUE(menu.ok());
  EXPECT_EQ(menu->default_reason, "default=y");
}

TEST(GrubDefault, BlsIdsMatch) {
  BootEntry bls;
  bls.origin = EntryOrigin::Bls;
  bls.id = "0123abcd-6.5.6-300.fc39.x86_64";
  bls.title = "Fedora Linux (6.5.6-300.fc39.x86_64)";
  bls.kernel = "/boot/vmlinuz-6.5.6-300.fc39.x86_64";
  BootEntry older = bls;
  older.id = "0123abcd-6.5.5-200.fc39.x86_64";
  older.title = "Fedora Linux (6.5.5-200.fc39.x86_64)";
  Result<GrubMenu> menu = parse_grub_menu("set default=0123abcd-6.5.5-200.fc39.x86_64\nblscfg\n",
                                          "grub.cfg", {}, {bls, older});
  ASSERT_TRUE(menu.ok());
  EXPECT_EQ(menu->default_index, 1u);
  EXPECT_TRUE(menu->warnings.empty());
}

}  // namespace
}  // namespace warmboot
