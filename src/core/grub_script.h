// SPDX-License-Identifier: Apache-2.0
// GRUB script (grub.cfg) as a tree of commands: the subset grub-mkconfig and distributions write.
#pragma once

#include <string_view>
#include <vector>

#include "core/grub_word.h"
#include "core/result.h"

namespace warmboot {

struct GrubCommand;
using GrubBlock = std::vector<GrubCommand>;

struct GrubBranch {
  GrubBlock condition;  // commands; the last one's status decides
  GrubBlock body;

  bool operator==(const GrubBranch&) const = default;
};

struct GrubCommand {
  enum class Kind {
    Simple,     // words: command name and arguments (also `name=value`)
    If,         // branches: `if` and each `elif`; body: the `else` part (has_else)
    For,        // words: variable, then the items after `in`; body
    While,      // branches: one (condition and body); `until` sets negate
    Menuentry,  // words: title and options; body: the entry's commands
    Submenu,    // words: title and options; body: the commands that build the submenu
    Function,   // words: the name; body
  };
  Kind kind = Kind::Simple;
  int line = 0;
  std::vector<GrubWord> words;
  std::vector<GrubBranch> branches;
  GrubBlock body;
  bool has_else = false;
  bool negate = false;

  bool operator==(const GrubCommand&) const = default;
};

// Deepest nesting of blocks (if, submenu, function, ...) accepted.
inline constexpr int kMaxGrubNesting = 64;

// Parses grub.cfg text. Keywords (if then elif else fi for in do done while until function
// menuentry submenu) count only unquoted and in command position; `!` before a command negates it.
// Syntax errors (unterminated quotes or blocks, a stray `fi` or `}`, `menuentry` without a `{`
// body, nesting deeper than kMaxGrubNesting) are Errors whose op is "PATH:LINE".
Result<GrubBlock> parse_grub_script(std::string_view text, std::string_view path);

}  // namespace warmboot
