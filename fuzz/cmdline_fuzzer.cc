// SPDX-License-Identifier: Apache-2.0
// The kernel command line: split_cmdline / join_cmdline, param_key, cmdline_for_reuse (the running
// kernel's /proc/cmdline made fit for the next kernel) and apply_cmdline_edit (--cmdline,
// --append, --remove, and the same keys in warmboot.conf).
//
// Input: up to 4 parts separated by "\n@@\n": the base command line, a replacement (used when
// not empty), words to append (one per line) and keys to remove (one per line).
// Properties: splitting what was joined gives the same words; BOOT_IMAGE= and initrd= do not
// survive cmdline_for_reuse; a removed key that is not appended again is gone before "--" (when
// quotes are balanced in every word).
#include <algorithm>
#include <string>
#include <vector>

#include "core/cmdline.h"
#include "core/text.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  for (std::string_view line : split_lines(text)) lines.emplace_back(line);
  return lines;
}

// The keys of the words before a "--" separator.
std::vector<std::string> keys_before_separator(std::string_view cmdline) {
  std::vector<std::string> keys;
  for (const auto& word : split_cmdline(cmdline)) {
    if (word == "--") break;
    keys.push_back(param_key(word));
  }
  return keys;
}

bool even_quotes(const std::string& word) {
  return std::count(word.begin(), word.end(), '"') % 2 == 0;
}

bool contains(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  auto parts = fuzz::split_parts(fuzz::as_text(data, size), 4);
  const std::string_view base = parts[0];

  auto words = split_cmdline(base);
  FUZZ_CHECK(split_cmdline(join_cmdline(words)) == words);

  auto reused = keys_before_separator(cmdline_for_reuse(base));
  FUZZ_CHECK(!contains(reused, "BOOT_IMAGE") && !contains(reused, "initrd"));

  CmdlineEdit edit;
  if (parts.size() > 1 && !parts[1].empty()) edit.replace = std::string(parts[1]);
  if (parts.size() > 2) edit.append = lines_of(parts[2]);
  if (parts.size() > 3) edit.remove = lines_of(parts[3]);
  const std::string edited = apply_cmdline_edit(base, edit);
  if (edit.empty()) FUZZ_CHECK(split_cmdline(edited) == words);

  // Words are read back from the edited line, which is only possible when no word holds an odd
  // number of quotes: such a word (as the kernel reads it too) swallows the words after it.
  std::vector<std::string> appended;
  bool balanced = std::all_of(words.begin(), words.end(), even_quotes);
  if (edit.replace) {
    auto replaced = split_cmdline(*edit.replace);
    balanced = std::all_of(replaced.begin(), replaced.end(), even_quotes);
  }
  for (const auto& arg : edit.append) {
    for (const auto& word : split_cmdline(arg)) {
      appended.push_back(param_key(word));
      balanced = balanced && even_quotes(word);
    }
  }
  if (!balanced) return 0;
  auto kept = keys_before_separator(edited);
  for (const auto& key : edit.remove) {
    const std::string removed = param_key(key);
    if (!contains(appended, removed)) FUZZ_CHECK(!contains(kept, removed));
  }
  return 0;
}
