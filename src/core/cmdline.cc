// SPDX-License-Identifier: Apache-2.0
#include "core/cmdline.h"

#include <algorithm>

namespace warmboot {

std::vector<std::string> split_cmdline(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  bool in_word = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    bool space = !quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0');
    if (space) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    word += c;
    in_word = true;
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::string join_cmdline(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string param_key(std::string_view word) {
  // As the kernel's next_arg(): the first '=' ends the key even inside quotes; quotes are dropped.
  std::string key;
  for (char c : word.substr(0, word.find('='))) {
    if (c != '"') key += c;
  }
  return key;
}

namespace {

void remove_key(std::vector<std::string>& words, std::string_view key) {
  auto separator = std::find(words.begin(), words.end(), "--");
  auto end = std::remove_if(words.begin(), separator,
                            [&](const std::string& word) { return param_key(word) == key; });
  words.erase(end, separator);
}

}  // namespace

std::string cmdline_for_reuse(std::string_view proc_cmdline) {
  std::vector<std::string> words = split_cmdline(proc_cmdline);
  remove_key(words, "BOOT_IMAGE");
  remove_key(words, "initrd");
  return join_cmdline(words);
}

std::string apply_cmdline_edit(std::string_view base, const CmdlineEdit& edit) {
  std::vector<std::string> words =
      split_cmdline(edit.replace ? std::string_view(*edit.replace) : base);
  for (const auto& key : edit.remove) remove_key(words, param_key(key));
  auto separator = std::find(words.begin(), words.end(), "--");
  for (const auto& arg : edit.append) {
    for (auto& word : split_cmdline(arg)) {
      separator = words.insert(separator, std::move(word)) + 1;
    }
  }
  return join_cmdline(words);
}

}  // namespace warmboot
