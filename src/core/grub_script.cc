// SPDX-License-Identifier: Apache-2.0
#include "core/grub_script.h"

#include <initializer_list>

#include <fmt/format.h>

#include "core/grub_lexer.h"

namespace warmboot {
namespace {

using Kind = GrubToken::Kind;

class Parser {
 public:
  Parser(std::vector<GrubToken> tokens, std::string_view path)
      : tokens_(std::move(tokens)), path_(path) {}

  Result<GrubBlock> run() {
    GrubBlock block;
    Status status = parse_block(block, {}, 0);
    if (!status) return status.error();
    const GrubToken& t = peek();
    if (t.kind == Kind::RBrace) return error(t.line, "unexpected '}'");
    if (t.kind != Kind::End) return error(t.line, fmt::format("unexpected '{}'", t.word.plain()));
    return block;
  }

 private:
  const GrubToken& peek() const { return tokens_[pos_]; }
  void advance() {
    if (tokens_[pos_].kind != Kind::End) ++pos_;
  }
  void skip_separators() {
    while (peek().kind == Kind::Separator) advance();
  }
  bool at_keyword(std::string_view keyword) const {
    return peek().kind == Kind::Word && peek().word.plain() == keyword;
  }
  static bool is_reserved(std::string_view word) {
    for (std::string_view r : {"then", "elif", "else", "fi", "do", "done"}) {
      if (word == r) return true;
    }
    return false;
  }

  Error error(int line, std::string message) const {
    Error e = make_error(fmt::format("{}:{}", path_, line), std::move(message));
    e.file = std::string(path_);
    return e;
  }

  // Reads commands until one of `terminators` in command position, a '}', or the end.
  Status parse_block(GrubBlock& block, std::initializer_list<std::string_view> terminators,
                     int depth) {
    if (depth > kMaxGrubNesting) {
      return error(peek().line, fmt::format("blocks nested deeper than {}", kMaxGrubNesting));
    }
    while (true) {
      skip_separators();
      const GrubToken& t = peek();
      if (t.kind == Kind::End || t.kind == Kind::RBrace) return {};
      if (t.kind == Kind::LBrace) return error(t.line, "unexpected '{'");
      std::string word = t.word.plain();
      for (std::string_view term : terminators) {
        if (word == term) return {};
      }
      if (is_reserved(word)) return error(t.line, fmt::format("unexpected '{}'", word));
      GrubCommand command;
      Status status = parse_command(command, depth);
      if (!status) return status;
      block.push_back(std::move(command));
    }
  }

  Status expect(std::string_view keyword, int opened_at, std::string_view construct) {
    if (!at_keyword(keyword)) {
      return error(peek().line,
                   fmt::format("'{}' from line {} has no '{}'", construct, opened_at, keyword));
    }
    advance();
    return {};
  }

  // A '{' block '}' body (functions, menu entries, submenus).
  Status parse_braced(GrubBlock& body, int opened_at, std::string_view construct, int depth) {
    if (peek().kind != Kind::LBrace) {
      return error(peek().line,
                   fmt::format("'{}' on line {} needs a {{ body", construct, opened_at));
    }
    advance();
    Status status = parse_block(body, {}, depth + 1);
    if (!status) return status;
    if (peek().kind != Kind::RBrace) {
      return error(peek().line,
                   fmt::format("'{}' from line {} has no closing '}}'", construct, opened_at));
    }
    advance();
    return {};
  }

  Status parse_command(GrubCommand& command, int depth) {
    command.line = peek().line;
    std::string word = peek().word.plain();
    if (word == "!") {
      advance();
      command.negate = true;
      word = peek().kind == Kind::Word ? peek().word.plain() : "";
    }
    if (word == "if") return parse_if(command, depth);
    if (word == "for") return parse_for(command, depth);
    if (word == "while" || word == "until") {
      advance();
      command.kind = GrubCommand::Kind::While;
      command.negate = command.negate != (word == "until");
      GrubBranch branch;
      Status status = parse_block(branch.condition, {"do"}, depth + 1);
      if (status) status = expect("do", command.line, word);
      if (status) status = parse_block(branch.body, {"done"}, depth + 1);
      if (status) status = expect("done", command.line, word);
      command.branches.push_back(std::move(branch));
      return status;
    }
    if (word == "function") {
      advance();
      command.kind = GrubCommand::Kind::Function;
      if (peek().kind != Kind::Word) return error(command.line, "function without a name");
      command.words.push_back(std::move(tokens_[pos_].word));
      advance();
      return parse_braced(command.body, command.line, "function", depth);
    }
    if (word == "menuentry" || word == "submenu") {
      advance();
      command.kind =
          word == "menuentry" ? GrubCommand::Kind::Menuentry : GrubCommand::Kind::Submenu;
      while (peek().kind == Kind::Word) {
        command.words.push_back(std::move(tokens_[pos_].word));
        advance();
      }
      return parse_braced(command.body, command.line, word, depth);
    }
    command.kind = GrubCommand::Kind::Simple;
    while (peek().kind == Kind::Word) {
      command.words.push_back(std::move(tokens_[pos_].word));
      advance();
    }
    if (peek().kind == Kind::LBrace) return error(peek().line, "unexpected '{'");
    if (command.words.empty()) return error(command.line, "'!' without a command");
    return {};
  }

  Status parse_if(GrubCommand& command, int depth) {
    command.kind = GrubCommand::Kind::If;
    std::string keyword = "if";
    while (keyword == "if" || keyword == "elif") {
      advance();  // if / elif
      GrubBranch branch;
      Status status = parse_block(branch.condition, {"then"}, depth + 1);
      if (status) status = expect("then", command.line, "if");
      if (status) status = parse_block(branch.body, {"elif", "else", "fi"}, depth + 1);
      if (!status) return status;
      command.branches.push_back(std::move(branch));
      keyword = peek().kind == Kind::Word ? peek().word.plain() : "";
    }
    if (keyword == "else") {
      advance();
      command.has_else = true;
      Status status = parse_block(command.body, {"fi"}, depth + 1);
      if (!status) return status;
    }
    return expect("fi", command.line, "if");
  }

  Status parse_for(GrubCommand& command, int depth) {
    command.kind = GrubCommand::Kind::For;
    advance();  // for
    if (peek().kind != Kind::Word) return error(command.line, "'for' without a variable");
    command.words.push_back(std::move(tokens_[pos_].word));
    advance();
    Status status = expect("in", command.line, "for");
    if (!status) return status;
    while (peek().kind == Kind::Word) {
      command.words.push_back(std::move(tokens_[pos_].word));
      advance();
    }
    skip_separators();
    status = expect("do", command.line, "for");
    if (status) status = parse_block(command.body, {"done"}, depth + 1);
    if (status) status = expect("done", command.line, "for");
    return status;
  }

  std::vector<GrubToken> tokens_;
  std::string_view path_;
  size_t pos_ = 0;
};

}  // namespace

Result<GrubBlock> parse_grub_script(std::string_view text, std::string_view path) {
  Result<std::vector<GrubToken>> tokens = lex_grub_script(text, path);
  if (!tokens) return tokens.error();
  return Parser(std::move(tokens).value(), path).run();
}

}  // namespace warmboot
