// SPDX-License-Identifier: Apache-2.0
#include "core/version_order.h"

#include <cstring>

namespace warmboot {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_version_char(char c) {
  return is_digit(c) || is_alpha(c) || c == '-' || c == '.' || c == '~' || c == '^';
}

// Reads a string from the front; every step consumes characters it has compared.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  void skip_separators() {
    while (pos_ < text_.size() && !is_version_char(text_[pos_])) ++pos_;
  }
  bool done() const { return pos_ >= text_.size(); }
  bool at(char c) const { return !done() && text_[pos_] == c; }
  bool at_digit() const { return !done() && is_digit(text_[pos_]); }
  void advance() { ++pos_; }

  // The run of characters satisfying `pred` at the front, consumed.
  template <class Pred>
  std::string_view take(Pred pred) {
    size_t start = pos_;
    while (pos_ < text_.size() && pred(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

int sign(int value) {
  return (value > 0) - (value < 0);
}

// Digit runs of any length, without converting them to integers (so no overflow).
int compare_numbers(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return sign(a.compare(b));
}

int compare_words(std::string_view a, std::string_view b) {
  size_t common = std::min(a.size(), b.size());
  int r = sign(std::memcmp(a.data(), b.data(), common));
  if (r != 0) return r;
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return 0;
}

// For a separator `c`: the string that has it where the other does not sorts `lower_if_present`.
// Returns 0 (and consumes it from both) when both or neither have it.
int compare_marker(Cursor& a, Cursor& b, char c, bool lower_if_present) {
  bool in_a = a.at(c), in_b = b.at(c);
  if (in_a != in_b) return (in_a == lower_if_present) ? -1 : 1;
  if (in_a) {
    a.advance();
    b.advance();
  }
  return 0;
}

}  // namespace

int compare_versions(std::string_view a_text, std::string_view b_text) {
  Cursor a(a_text), b(b_text);
  for (;;) {
    a.skip_separators();
    b.skip_separators();

    if (int r = compare_marker(a, b, '~', /*lower_if_present=*/true)) return r;
    if (a.done() || b.done()) return a.done() == b.done() ? 0 : (a.done() ? -1 : 1);
    if (int r = compare_marker(a, b, '-', true)) return r;
    if (int r = compare_marker(a, b, '^', false)) return r;
    if (int r = compare_marker(a, b, '.', true)) return r;

    if (a.at_digit() || b.at_digit()) {
      std::string_view da = a.take(is_digit), db = b.take(is_digit);
      // A number beats no number (a letter run or another separator).
      if (da.empty() != db.empty()) return da.empty() ? -1 : 1;
      if (int r = compare_numbers(da, db)) return r;
    } else {
      std::string_view wa = a.take(is_alpha), wb = b.take(is_alpha);
      if (int r = compare_words(wa, wb)) return r;
    }
  }
}

bool looks_like_kernel_release(std::string_view text) {
  if (text.empty() || !is_digit(text.front())) return false;
  if (text.find('.') == std::string_view::npos) return false;
  for (char c : text) {
    if (c == '/' || c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace warmboot
