// SPDX-License-Identifier: Apache-2.0
// Small text helpers every parser shares: one trim, one case-insensitive compare, one line reader.
// Pure; bytes are bytes (ASCII rules only, no locale).
#pragma once

#include <string_view>
#include <vector>

namespace warmboot {

// ' ', '\t', '\n', '\r', '\v', '\f'.
bool is_ascii_space(char c);

// Without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);
// Without trailing ASCII whitespace only.
std::string_view trim_end(std::string_view text);

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

// Every byte is a decimal digit, and there is at least one.
bool is_digits(std::string_view text);

// The lines of `text`, without their '\n' (a last line without one counts; no empty last line).
std::vector<std::string_view> split_lines(std::string_view text);
// The words of `text`, separated by runs of ASCII whitespace (fstab, crypttab, /proc files).
std::vector<std::string_view> split_words(std::string_view text);

}  // namespace warmboot
