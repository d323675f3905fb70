// SPDX-License-Identifier: Apache-2.0
// Splits GRUB script text into tokens: words (with quotes, escapes and $variables kept apart),
// separators (newline or ';'), and the braces that open and close blocks.
#pragma once

#include <string_view>
#include <vector>

#include "core/grub_word.h"
#include "core/result.h"

namespace warmboot {

struct GrubToken {
  enum class Kind { Word, Separator, LBrace, RBrace, End };
  Kind kind = Kind::End;
  int line = 1;   // 1-based line where the token starts
  GrubWord word;  // for Word

  bool operator==(const GrubToken&) const = default;
};

// Lexes like GRUB: blanks separate words; '#' at the start of a word comments to the end of the
// line; '\' escapes the next character and '\' + newline continues the line; '...' is literal; in
// "..." a backslash escapes only $ " \ and newline; $name, ${name}, $1, $?, $#, $*, $@ are
// variables; $"..." is treated as "..."; '{' and '}' are tokens of their own; a lone '$' is
// literal. The last token is End. Unterminated quotes or ${, NUL bytes, inputs over kMaxGrubScript
// bytes or kMaxGrubTokens tokens and word parts (a generated grub.cfg has a few thousand) are
// Errors whose op is "PATH:LINE".
inline constexpr size_t kMaxGrubScript = 4 << 20;
inline constexpr size_t kMaxGrubTokens = 250000;
Result<std::vector<GrubToken>> lex_grub_script(std::string_view text, std::string_view path);

}  // namespace warmboot
