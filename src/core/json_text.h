// SPDX-License-Identifier: Apache-2.0
// JSON as text, for files warmboot writes and for --json: never throws. Boot entry titles, command
// lines and paths come from files anyone may have written; a string that is not valid UTF-8 is
// written with U+FFFD in place of each bad byte instead of making the whole document fail (which,
// after a kernel was staged, used to leave it staged without its record).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace warmboot {

// `json` dumped with `indent` (-1: compact), bad UTF-8 replaced, and a final newline.
std::string json_text(const nlohmann::json& json, int indent = 2);

// Whether every string in `json` is valid UTF-8, so json_text writes it unchanged.
bool json_is_exact_text(const nlohmann::json& json);

// For state that must read back byte for byte when json_text could not write it unchanged: `json`
// as CBOR (which keeps strings' bytes as they are) in lower-case hex, and back. json_from_hex
// gives nullopt for anything that is not such hex or not CBOR.
std::string json_to_hex(const nlohmann::json& json);
std::optional<nlohmann::json> json_from_hex(std::string_view hex);

}  // namespace warmboot
