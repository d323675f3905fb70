// SPDX-License-Identifier: Apache-2.0
// JSON as text, for files warmboot writes and for --json: never throws. Boot entry titles, command
// lines and paths come from files anyone may have written; a string that is not valid UTF-8 is
// written with U+FFFD in place of each bad byte instead of making the whole document fail (which,
// after a kernel was staged, used to leave it staged without its record).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace warmboot {

// `json` dumped with `indent` (-1: compact), bad UTF-8 replaced, and a final newline.
std::string json_text(const nlohmann::json& json, int indent = 2);

}  // namespace warmboot
