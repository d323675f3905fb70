// SPDX-License-Identifier: Apache-2.0
#include "core/grub_test_expr.h"

#include <charconv>
#include <cstdint>

namespace warmboot {
namespace {

bool is_binary_op(std::string_view op) {
  for (std::string_view b :
       {"=", "==", "!=", "<", ">", "<=", ">=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"}) {
    if (op == b) return true;
  }
  return false;
}

bool is_unary_op(std::string_view op) {
  for (std::string_view u : {"-n", "-z", "-e", "-f", "-d", "-s"}) {
    if (op == u) return true;
  }
  return false;
}

std::optional<int64_t> to_int(std::string_view s) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

class TestEval {
 public:
  TestEval(const std::vector<std::string>& args, const GrubFileTest& file_test)
      : args_(args), file_test_(file_test) {}

  std::optional<bool> run() {
    if (args_.empty()) return false;
    std::optional<bool> value = parse_or();
    if (!value || pos_ != args_.size()) return std::nullopt;
    return value;
  }

 private:
  bool more() const { return pos_ < args_.size(); }
  const std::string& at(size_t i) const { return args_[i]; }

  std::optional<bool> parse_or() {
    std::optional<bool> left = parse_and();
    while (left && more() && at(pos_) == "-o") {
      ++pos_;
      std::optional<bool> right = parse_and();
      if (!right) return std::nullopt;
      left = *left || *right;
    }
    return left;
  }

  std::optional<bool> parse_and() {
    std::optional<bool> left = parse_not();
    while (left && more() && at(pos_) == "-a") {
      ++pos_;
      std::optional<bool> right = parse_not();
      if (!right) return std::nullopt;
      left = *left && *right;
    }
    return left;
  }

  std::optional<bool> parse_not() {
    bool negate = false;
    // "! = x" style: a '!' that is the left operand of a binary operator is a string.
    while (more() && at(pos_) == "!" && !(pos_ + 1 < args_.size() && is_binary_op(at(pos_ + 1)))) {
      negate = !negate;
      ++pos_;
    }
    std::optional<bool> value = parse_primary();
    if (!value) return std::nullopt;
    return negate != *value;
  }

  std::optional<bool> parse_primary() {
    if (!more()) return std::nullopt;
    const std::string& first = at(pos_);
    if (pos_ + 2 < args_.size() && is_binary_op(at(pos_ + 1))) {
      const std::string& op = at(pos_ + 1);
      const std::string& b = at(pos_ + 2);
      pos_ += 3;
      return binary(first, op, b);
    }
    if (first == "(" && ++depth_ <= 32) {
      ++pos_;
      std::optional<bool> value = parse_or();
      if (!value || !more() || at(pos_) != ")") return std::nullopt;
      ++pos_;
      --depth_;
      return value;
    }
    if (is_unary_op(first) && pos_ + 1 < args_.size()) {
      const std::string& operand = at(pos_ + 1);
      pos_ += 2;
      if (first == "-n") return !operand.empty();
      if (first == "-z") return operand.empty();
      return file_test_ ? file_test_(first[1], operand) : false;
    }
    ++pos_;
    return !first.empty();
  }

  static std::optional<bool> binary(const std::string& a, std::string_view op,
                                    const std::string& b) {
    if (op == "=" || op == "==") return a == b;
    if (op == "!=") return a != b;
    if (op == "<") return a < b;
    if (op == ">") return a > b;
    if (op == "<=") return a <= b;
    if (op == ">=") return a >= b;
    std::optional<int64_t> x = to_int(a), y = to_int(b);
    if (!x || !y) return std::nullopt;
    if (op == "-eq") return *x == *y;
    if (op == "-ne") return *x != *y;
    if (op == "-lt") return *x < *y;
    if (op == "-le") return *x <= *y;
    if (op == "-gt") return *x > *y;
    return *x >= *y;  // -ge
  }

  const std::vector<std::string>& args_;
  const GrubFileTest& file_test_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::optional<bool> eval_grub_test(const std::vector<std::string>& args,
                                   const GrubFileTest& file_test) {
  if (args.size() > kMaxGrubTestArgs) return std::nullopt;
  return TestEval(args, file_test).run();
}

}  // namespace warmboot
