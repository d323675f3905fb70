// SPDX-License-Identifier: Apache-2.0
#include "core/grub_env.h"

#include <fmt/format.h>

namespace warmboot {
namespace {

// Bytes that never occur in a block GRUB wrote: everything below 0x20 except tab and newline, and
// DEL. (Bytes >= 0x80 are allowed: titles and values may be UTF-8.)
bool is_binary(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

Error env_error(std::string_view path, int line, std::string message) {
  Error error = make_error(fmt::format("{}:{}", path, line), std::move(message),
                           "rewrite it with `grub-editenv FILE create` if it is damaged");
  error.file = std::string(path);
  return error;
}

}  // namespace

Result<std::map<std::string, std::string>> parse_grubenv(std::string_view content,
                                                         std::string_view path) {
  if (!content.starts_with(kGrubEnvSignature)) {
    Error error = make_error(std::string(path), "not a GRUB environment block (no signature line)",
                             "rewrite it with `grub-editenv FILE create` if it is damaged");
    error.file = std::string(path);
    return error;
  }
  for (size_t i = 0; i < content.size(); ++i) {
    if (is_binary(static_cast<unsigned char>(content[i]))) {
      int line = 1;
      for (size_t j = 0; j < i; ++j) line += content[j] == '\n';
      return env_error(path, line,
                       fmt::format("control byte 0x{:02x} at offset {}",
                                   static_cast<unsigned char>(content[i]), i));
    }
  }

  std::map<std::string, std::string> vars;
  int line = 2;
  size_t pos = kGrubEnvSignature.size();
  while (pos < content.size()) {
    const int start_line = line;
    if (content[pos] == '#') {  // comment or padding: skip to the end of the line
      size_t end = content.find('\n', pos);
      if (end == std::string_view::npos) break;
      pos = end + 1;
      ++line;
      continue;
    }
    if (content[pos] == '\n') {  // GRUB never writes empty lines; tolerate them
      ++pos;
      ++line;
      continue;
    }
    size_t eq = content.find_first_of("=\n", pos);
    if (eq == std::string_view::npos || content[eq] != '=') {
      return env_error(path, start_line, "line without '=' (expected key=value)");
    }
    std::string key(content.substr(pos, eq - pos));
    if (key.empty()) return env_error(path, start_line, "empty variable name");
    std::string value;
    pos = eq + 1;
    bool terminated = false;
    while (pos < content.size()) {
      char c = content[pos++];
      if (c == '\\' && pos < content.size()) {
        char next = content[pos++];
        if (next == '\n') ++line;
        value += next;
      } else if (c == '\n') {
        ++line;
        terminated = true;
        break;
      } else {
        value += c;
      }
    }
    if (!terminated) {
      return env_error(path, start_line,
                       fmt::format("variable {} is not terminated by a newline", key));
    }
    vars.insert_or_assign(std::move(key), std::move(value));
  }
  return vars;
}

}  // namespace warmboot
