// SPDX-License-Identifier: Apache-2.0
// GRUB's `test` / `[ ... ]` expressions, as grub.cfg uses them in `if` conditions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warmboot {

// Answers a file test (-e, -f, -d, -s) that the script asks; `op` is the letter.
using GrubFileTest = std::function<bool(char op, std::string_view path)>;

// Evaluates test arguments (for `[`, without the closing `]`): a lone string (true when non-empty),
// -n/-z, = == != < > <= >=, -eq -ne -lt -le -gt -ge (integers), -e -f -d -s (asked of `file_test`),
// ! ( ) -a -o. Returns std::nullopt when the expression is malformed (GRUB reports an error and the
// condition fails), including more than kMaxGrubTestArgs arguments.
inline constexpr size_t kMaxGrubTestArgs = 256;
std::optional<bool> eval_grub_test(const std::vector<std::string>& args,
                                   const GrubFileTest& file_test);

}  // namespace warmboot
