// SPDX-License-Identifier: Apache-2.0
// What every harness shares: the input as text, the input cut into parts, a fake root built from
// the input, and a property check that aborts (libFuzzer then keeps the input as a crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/fake_filesystem.h"

namespace warmboot::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Parts of an input that feeds several files: separated by a line "@@" ("\n@@\n"). At most
// `max_parts`; the last part keeps any further separators.
inline constexpr std::string_view kPartSeparator = "\n@@\n";

inline std::vector<std::string_view> split_parts(std::string_view text, size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    size_t at = text.find(kPartSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + kPartSeparator.size());
  }
  parts.push_back(text);
  return parts;
}

// A path a harness may create in a FakeFileSystem: absolute, short, plain characters.
inline bool plain_path(std::string_view path) {
  if (path.empty() || path.front() != '/' || path.size() > 200) return false;
  for (char c : path) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '.' || c == '-' || c == '_' || c == '+' || c == ':' || c == '@';
    if (!ok) return false;
  }
  return true;
}

// A fake root from parts "PATH\nCONTENT" (see split_parts): each part whose first line is a
// plain_path becomes that file; other parts are ignored. Up to `max_files` files.
inline void add_files_from_parts(FakeFileSystem& fs, std::string_view text, size_t max_files) {
  for (std::string_view part : split_parts(text, max_files)) {
    size_t eol = part.find('\n');
    std::string_view path = part.substr(0, eol);
    if (!plain_path(path)) continue;
    std::string_view content =
        eol == std::string_view::npos ? std::string_view{} : part.substr(eol + 1);
    fs.add_file(std::string(path), std::string(content));
  }
}

[[noreturn]] inline void property_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz property violated at %s:%d: %s\n", file, line, what);
  std::abort();
}

}  // namespace warmboot::fuzz

// Aborts when a property the code promises does not hold for this input.
#define FUZZ_CHECK(condition)                                                            \
  do {                                                                                   \
    if (!(condition)) ::warmboot::fuzz::property_failed(#condition, __FILE__, __LINE__); \
  } while (false)
