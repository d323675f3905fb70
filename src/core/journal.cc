// SPDX-License-Identifier: Apache-2.0
#include "core/journal.h"

namespace warmboot {

std::string journal_field_name(const std::string& key) {
  std::string name = "WARMBOOT_";
  for (char c : key) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    name += ok ? c : '_';
  }
  return name;
}

}  // namespace warmboot
