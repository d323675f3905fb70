// SPDX-License-Identifier: Apache-2.0
#include "core/grub_lexer.h"
#include "core/text.h"

#include <cctype>

#include <fmt/format.h>

namespace warmboot {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}
bool ends_word(char c) {
  return is_blank(c) || c == '\n' || c == ';' || c == '{' || c == '}';
}
bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool is_special_var(char c) {
  return c == '?' || c == '#' || c == '*' || c == '@';
}

bool valid_var_name(std::string_view name) {
  if (name.size() == 1 && is_special_var(name[0])) return true;
  if (name.empty()) return false;
  if (is_digits(name)) return true;
  if (!is_name_start(name[0])) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

class Lexer {
 public:
  Lexer(std::string_view text, std::string_view path) : text_(text), path_(path) {}

  Result<std::vector<GrubToken>> run() {
    std::vector<GrubToken> tokens;
    while (true) {
      skip_blanks();
      GrubToken token;
      token.line = line_;
      if (pos_ >= text_.size()) {
        tokens.push_back(token);
        return tokens;
      }
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '\n' || c == ';') {
        token.kind = GrubToken::Kind::Separator;
        line_ += c == '\n';
        ++pos_;
      } else if (c == '{' || c == '}') {
        token.kind = c == '{' ? GrubToken::Kind::LBrace : GrubToken::Kind::RBrace;
        ++pos_;
      } else {
        token.kind = GrubToken::Kind::Word;
        Status status = read_word(token.word);
        if (!status) return status.error();
      }
      pieces_ += 1 + token.word.parts.size();
      tokens.push_back(std::move(token));
      if (pieces_ > kMaxGrubTokens) {
        return error(line_, fmt::format("more than {} words and separators", kMaxGrubTokens));
      }
    }
  }

 private:
  Error error(int line, std::string message) const {
    Error e = make_error(fmt::format("{}:{}", path_, line), std::move(message));
    e.file = std::string(path_);
    return e;
  }

  void skip_blanks() {
    while (pos_ < text_.size()) {
      if (is_blank(text_[pos_])) {
        ++pos_;
      } else if (text_[pos_] == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        pos_ += 2;
        ++line_;
      } else {
        return;
      }
    }
  }

  static void add_text(GrubWord& word, std::string_view text, bool quoted) {
    auto& parts = word.parts;
    if (!parts.empty() && parts.back().kind == GrubWordPart::Kind::Text &&
        parts.back().quoted == quoted) {
      parts.back().text += text;
    } else {
      parts.push_back({GrubWordPart::Kind::Text, std::string(text), quoted});
    }
  }

  // At a '$': appends a variable reference, or a literal '$' when no name follows.
  Status read_variable(GrubWord& word, bool quoted) {
    ++pos_;  // '$'
    if (pos_ < text_.size() && text_[pos_] == '{') {
      size_t close = text_.find_first_of("}\n", pos_);
      if (close == std::string_view::npos || text_[close] != '}') {
        return error(line_, "unterminated ${");
      }
      std::string_view name = text_.substr(pos_ + 1, close - pos_ - 1);
      if (!valid_var_name(name))
        return error(line_, fmt::format("bad variable name ${{{}}}", name));
      word.parts.push_back({GrubWordPart::Kind::Var, std::string(name), quoted});
      pos_ = close + 1;
      return {};
    }
    size_t end = pos_;
    if (end < text_.size() && (is_special_var(text_[end]))) {
      ++end;
    } else if (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end]))) {
      while (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end]))) ++end;
    } else {
      while (end < text_.size() && is_name_char(text_[end])) ++end;
    }
    if (end == pos_) {
      add_text(word, "$", quoted);
      return {};
    }
    word.parts.push_back(
        {GrubWordPart::Kind::Var, std::string(text_.substr(pos_, end - pos_)), quoted});
    pos_ = end;
    return {};
  }

  Status read_double_quoted(GrubWord& word) {
    const int start = line_;
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        add_text(word, "", true);  // "" is an (empty) argument of its own
        return {};
      }
      if (c == '\\' && pos_ + 1 < text_.size() &&
          std::string_view("$\"\\\n").find(text_[pos_ + 1]) != std::string_view::npos) {
        if (text_[pos_ + 1] == '\n') {
          ++line_;
        } else {
          add_text(word, text_.substr(pos_ + 1, 1), true);
        }
        pos_ += 2;
      } else if (c == '$') {
        Status status = read_variable(word, true);
        if (!status) return status;
      } else {
        line_ += c == '\n';
        add_text(word, text_.substr(pos_++, 1), true);
      }
    }
    return error(start, "unterminated double quote");
  }

  Status read_word(GrubWord& word) {
    while (pos_ < text_.size() && !ends_word(text_[pos_])) {
      if (pieces_ + word.parts.size() > kMaxGrubTokens) {
        return error(line_, fmt::format("more than {} words and separators", kMaxGrubTokens));
      }
      char c = text_[pos_];
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) {
          add_text(word, "\\", false);
          ++pos_;
        } else if (text_[pos_ + 1] == '\n') {
          ++line_;
          pos_ += 2;
        } else {
          add_text(word, text_.substr(pos_ + 1, 1), true);
          pos_ += 2;
        }
      } else if (c == '\'') {
        size_t close = text_.find('\'', pos_ + 1);
        if (close == std::string_view::npos) return error(line_, "unterminated single quote");
        std::string_view body = text_.substr(pos_ + 1, close - pos_ - 1);
        for (char b : body) line_ += b == '\n';
        add_text(word, body, true);
        pos_ = close + 1;
      } else if (c == '"') {
        Status status = read_double_quoted(word);
        if (!status) return status;
      } else if (c == '$' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
        ++pos_;  // $"..." (translated string): the text as is
      } else if (c == '$') {
        Status status = read_variable(word, false);
        if (!status) return status;
      } else {
        add_text(word, text_.substr(pos_++, 1), false);
      }
    }
    return {};
  }

  std::string_view text_;
  std::string_view path_;
  size_t pos_ = 0;
  size_t pieces_ = 0;  // tokens and word parts so far
  int line_ = 1;
};

}  // namespace

Result<std::vector<GrubToken>> lex_grub_script(std::string_view text, std::string_view path) {
  if (text.size() > kMaxGrubScript) {
    Error e = make_error(std::string(path), fmt::format("larger than {} bytes", kMaxGrubScript));
    e.file = std::string(path);
    return e;
  }
  size_t nul = text.find('\0');
  if (nul != std::string_view::npos) {
    int line = 1;
    for (size_t i = 0; i < nul; ++i) line += text[i] == '\n';
    Error e = make_error(fmt::format("{}:{}", path, line), "NUL byte: not a text file");
    e.file = std::string(path);
    return e;
  }
  return Lexer(text, path).run();
}

}  // namespace warmboot
