// SPDX-License-Identifier: Apache-2.0
// The GRUB environment block (grubenv): the 1024-byte file `grub-editenv` and `save_env` write,
// holding saved_entry, next_entry, kernelopts and the like.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace warmboot {

// The signature line every environment block starts with.
inline constexpr std::string_view kGrubEnvSignature = "# GRUB Environment Block\n";

// Parses an environment block: the signature line, then `key=value` lines, then '#' padding.
// In values GRUB escapes a backslash as "\\" and a newline as "\" + newline; both are undone.
// Lines starting with '#' are comments (the padding is one). A later key replaces an earlier one.
// A missing signature, NUL or other control bytes, a line without '=' or an empty key is an Error
// naming `path` (used only in messages).
Result<std::map<std::string, std::string>> parse_grubenv(std::string_view content,
                                                         std::string_view path = "grubenv");

}  // namespace warmboot
