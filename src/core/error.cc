// SPDX-License-Identifier: Apache-2.0
#include "core/error.h"

#include <cstring>

#include <fmt/format.h>

namespace warmboot {

std::string errno_name(int code) {
  const char* name = strerrorname_np(code);
  return name ? std::string(name) : fmt::format("E{}", code);
}

std::string Error::str() const {
  std::string out = op;
  if (code != 0) out += (out.empty() ? "" : ": ") + errno_name(code);
  if (!message.empty()) out += (out.empty() ? "" : ": ") + message;
  if (!remedy.empty()) out += "; " + remedy;
  return out;
}

Error make_error(std::string op, std::string message, std::string remedy) {
  return Error{std::move(op), 0, {}, std::move(message), std::move(remedy)};
}

Error errno_error(std::string op, int code, std::string file, std::string message,
                  std::string remedy) {
  return Error{std::move(op), code, std::move(file), std::move(message), std::move(remedy)};
}

}  // namespace warmboot
