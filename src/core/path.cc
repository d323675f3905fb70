// SPDX-License-Identifier: Apache-2.0
#include "core/path.h"

#include <vector>

namespace warmboot {

std::string join_path(std::string_view base, std::string_view rel) {
  std::string joined =
      rel.starts_with('/') ? std::string(rel) : std::string(base) + "/" + std::string(rel);
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= joined.size()) {
    size_t next = joined.find('/', pos);
    if (next == std::string::npos) next = joined.size();
    std::string part = joined.substr(pos, next - pos);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(std::move(part));
    }
    pos = next + 1;
  }
  std::string out;
  for (const auto& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

std::string dirname_of(std::string_view path) {
  std::string norm = join_path("/", path);
  size_t slash = norm.rfind('/');
  return slash == 0 ? "/" : norm.substr(0, slash);
}

std::string basename_of(std::string_view path) {
  std::string norm = join_path("/", path);
  return norm.substr(norm.rfind('/') + 1);
}

}  // namespace warmboot
