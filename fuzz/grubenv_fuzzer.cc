// SPDX-License-Identifier: Apache-2.0
// The GRUB environment block (grubenv): parse_grubenv, and grubenv_without_next_entry, which
// rewrites the file in place when a warm reboot uses up grub-reboot's one-time choice.
//
// Input: the grubenv file. Properties: every key is non-empty and holds no '=' or newline; the
// rewrite keeps the block's size, still parses, and changes nothing but next_entry (emptied).
#include <map>
#include <string>

#include "core/grub_env.h"
#include "core/one_shot.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  const std::string_view content = fuzz::as_text(data, size);

  auto env = parse_grubenv(content, "/boot/grub/grubenv");
  auto cleared = grubenv_without_next_entry(content, "/boot/grub/grubenv");
  FUZZ_CHECK(env.ok() == cleared.ok());
  if (!env) return 0;
  for (const auto& [key, value] : *env) {
    FUZZ_CHECK(!key.empty());
    FUZZ_CHECK(key.find_first_of("=\n") == std::string::npos);
  }

  FUZZ_CHECK(cleared->size() == content.size());
  auto reparsed = parse_grubenv(*cleared, "/boot/grub/grubenv");
  FUZZ_CHECK(reparsed.ok());
  std::map<std::string, std::string> expected = *env;
  if (auto it = expected.find("next_entry"); it != expected.end()) it->second.clear();
  FUZZ_CHECK(*reparsed == expected);
  // Clearing twice changes nothing more.
  auto again = grubenv_without_next_entry(*cleared, "/boot/grub/grubenv");
  FUZZ_CHECK(again.ok() && *again == *cleared);
  return 0;
}
