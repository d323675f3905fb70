// SPDX-License-Identifier: Apache-2.0
// Reading little-endian integers out of file headers (bzImage setup header, PE/COFF). The caller
// checks bounds first: `offset + width` must lie inside `bytes`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace warmboot {

inline uint64_t read_le(std::string_view bytes, uint64_t offset, int width) {
  uint64_t value = 0;
  for (int i = width - 1; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(offset) + i]);
  }
  return value;
}

}  // namespace warmboot
