// SPDX-License-Identifier: Apache-2.0
// Words of GRUB script as the lexer leaves them: literal pieces and variable references, expanded
// only when a command runs (the way GRUB itself expands them).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace warmboot {

using GrubVars = std::map<std::string, std::string>;

struct GrubWordPart {
  enum class Kind { Text, Var };
  Kind kind = Kind::Text;
  std::string text;     // literal text, or the variable's name for Var
  bool quoted = false;  // quoted or backslash-escaped: never split, never dropped

  bool operator==(const GrubWordPart&) const = default;
};

struct GrubWord {
  std::vector<GrubWordPart> parts;

  // The word's text when it is one unquoted literal (how keywords are recognised), else "".
  std::string plain() const;
  bool operator==(const GrubWord&) const = default;
};

// Largest expansion of one word; `set a=$a$a` repeated must not exhaust memory.
inline constexpr size_t kMaxGrubExpansion = 1 << 20;
// Largest expansion of a whole run, every word of every command together: many words each under
// the per-word limit (`for i in $a $a $a ...` with a large $a, nested loops) must not exhaust
// memory or time either.
inline constexpr size_t kMaxGrubRunExpansion = 16 << 20;

// What a run has expanded so far; one per interpretation of a grub.cfg.
struct GrubExpansionBudget {
  size_t used = 0;
};

// Expands words to arguments as GRUB does: variables are substituted (unset ones are empty), the
// values of unquoted variables are split at blanks into several arguments, and a word that expands
// to nothing with no quoted part is dropped. Fails only when a word exceeds kMaxGrubExpansion or
// the run's `budget` exceeds kMaxGrubRunExpansion.
Result<std::vector<std::string>> expand_grub_words(const std::vector<GrubWord>& words,
                                                   const GrubVars& vars,
                                                   GrubExpansionBudget& budget);

// Expands one word without splitting (the value of `name=value`).
Result<std::string> expand_grub_word(const GrubWord& word, const GrubVars& vars,
                                     GrubExpansionBudget& budget);

// Joins arguments into a kernel command line with single spaces, dropping empty arguments. An
// argument with blanks is double-quoted the way the kernel reads it: `foo=a b` becomes `foo="a b"`,
// `a b` becomes `"a b"`; an argument that already carries its own double quotes is kept as is.
std::string join_kernel_args(const std::vector<std::string>& args);

// Strips a GRUB device prefix and normalises: "(hd0,gpt2)/vmlinuz" -> "/vmlinuz",
// "()/boot//x/../vmlinuz" -> "/boot/vmlinuz", "vmlinuz" -> "/vmlinuz". "" stays "".
std::string strip_grub_device(std::string_view path);

}  // namespace warmboot
