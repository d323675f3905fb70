// SPDX-License-Identifier: Apache-2.0
#include "core/grub_word.h"

#include <fmt/format.h>

namespace warmboot {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string lookup(const GrubVars& vars, const std::string& name) {
  auto it = vars.find(name);
  return it == vars.end() ? std::string() : it->second;
}

Error too_big() {
  return make_error("grub script",
                    fmt::format("a word expands to more than {} bytes", kMaxGrubExpansion));
}

Status spend(GrubExpansionBudget& budget, size_t bytes) {
  budget.used += bytes;
  if (budget.used <= kMaxGrubRunExpansion) return {};
  return make_error("grub script", fmt::format("expands more than {} bytes in all (a runaway "
                                               "loop or a variable doubled over and over?)",
                                               kMaxGrubRunExpansion));
}

}  // namespace

std::string GrubWord::plain() const {
  if (parts.size() != 1 || parts[0].kind != GrubWordPart::Kind::Text || parts[0].quoted) return {};
  return parts[0].text;
}

Result<std::vector<std::string>> expand_grub_words(const std::vector<GrubWord>& words,
                                                   const GrubVars& vars,
                                                   GrubExpansionBudget& budget) {
  std::vector<std::string> out;
  for (const GrubWord& word : words) {
    std::string field;
    bool present = false;  // the current field exists even if empty (something quoted was in it)
    size_t total = 0;
    auto finish = [&] {
      if (present) out.push_back(std::move(field));
      field.clear();
      present = false;
    };
    for (const GrubWordPart& part : word.parts) {
      if (part.kind == GrubWordPart::Kind::Text) {
        field += part.text;
        present = present || part.quoted || !part.text.empty();
        total += part.text.size();
      } else if (part.quoted) {
        std::string value = lookup(vars, part.text);
        total += value.size();
        if (total > kMaxGrubExpansion) return too_big();
        field += value;
        present = true;
      } else {
        const std::string value = lookup(vars, part.text);
        total += value.size();
        if (total > kMaxGrubExpansion) return too_big();
        for (char c : value) {
          if (is_blank(c)) {
            finish();
          } else {
            field += c;
            present = true;
          }
        }
      }
      if (total > kMaxGrubExpansion) return too_big();
    }
    if (Status spent = spend(budget, total); !spent) return spent.error();
    finish();
  }
  return out;
}

Result<std::string> expand_grub_word(const GrubWord& word, const GrubVars& vars,
                                     GrubExpansionBudget& budget) {
  std::string out;
  for (const GrubWordPart& part : word.parts) {
    out += part.kind == GrubWordPart::Kind::Text ? part.text : lookup(vars, part.text);
    if (out.size() > kMaxGrubExpansion) return too_big();
  }
  if (Status spent = spend(budget, out.size()); !spent) return spent.error();
  return out;
}

std::string join_kernel_args(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& arg : args) {
    if (arg.empty()) continue;
    if (!out.empty()) out += ' ';
    bool has_blank = false;
    for (char c : arg) has_blank = has_blank || is_blank(c);
    if (!has_blank || arg.find('"') != std::string::npos) {
      out += arg;
      continue;
    }
    size_t eq = arg.find('=');
    if (eq != std::string::npos && eq > 0 && arg.find_first_of(" \t\n\r") > eq) {
      out += fmt::format("{}\"{}\"", arg.substr(0, eq + 1), arg.substr(eq + 1));
    } else {
      out += fmt::format("\"{}\"", arg);
    }
  }
  return out;
}

std::string strip_grub_device(std::string_view path) {
  if (path.empty()) return {};
  if (path.front() == '(') {
    size_t close = path.find(')');
    path.remove_prefix(close == std::string_view::npos ? path.size() : close + 1);
  }
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path.remove_prefix(slash == std::string_view::npos ? path.size() : slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) {
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

}  // namespace warmboot
