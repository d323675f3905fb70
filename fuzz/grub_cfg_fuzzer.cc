// SPDX-License-Identifier: Apache-2.0
// grub.cfg: the lexer, the parser, the interpreter and the menu (parse_grub_menu), as `plan` and
// `list` run them on a machine's /boot/grub/grub.cfg.
//
// Input: the grub.cfg text; optionally "\n@@\n" and a grubenv block. The script is run with an
// empty grubenv, and again with the given one when it parses. Two BLS entries are offered to
// `blscfg`, one with "$kernelopts" in its options.
#include <map>
#include <string>
#include <vector>

#include "core/grub_env.h"
#include "core/grub_menu.h"
#include "core/grub_script.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

std::vector<BootEntry> bls_entries() {
  BootEntry a;
  a.origin = EntryOrigin::Bls;
  a.id = "fedora-6.6.1";
  a.title = "Fedora (6.6.1)";
  a.kernel = "/vmlinuz-6.6.1";
  a.initrds = {"/initramfs-6.6.1.img", "$tuned_initrd"};
  a.options = "root=UUID=x ro $kernelopts";
  a.version = "6.6.1";
  BootEntry b = a;
  b.id = "fedora-0-rescue";
  b.title = "Fedora (0-rescue)";
  b.options = std::nullopt;
  b.initrds.clear();
  return {a, b};
}

void check_menu(const Result<GrubMenu>& menu) {
  if (!menu) return;
  if (menu->default_index) FUZZ_CHECK(*menu->default_index < menu->entries.size());
  if (menu->entries.empty()) FUZZ_CHECK(!menu->default_index);
  for (const BootEntry& entry : menu->entries) grub_kernel_version(entry.kernel);
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  auto parts = fuzz::split_parts(fuzz::as_text(data, size), 2);
  const std::string_view cfg = parts[0];
  static const std::vector<BootEntry> bls = bls_entries();

  auto script = parse_grub_script(cfg, "/boot/grub/grub.cfg");
  auto menu = parse_grub_menu(cfg, "/boot/grub/grub.cfg", {}, bls);
  // The menu parses the same script: a syntax error in one is a syntax error in the other.
  if (!script) FUZZ_CHECK(!menu);
  check_menu(menu);

  if (parts.size() > 1 && script) {
    if (auto env = parse_grubenv(parts[1], "/boot/grub/grubenv")) {
      check_menu(parse_grub_menu(cfg, "/boot/grub/grub.cfg", *env, bls));
    }
  }
  return 0;
}
