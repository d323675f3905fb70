// SPDX-License-Identifier: Apache-2.0
// Test-only builder of flattened device tree blobs: the 40-byte big-endian header that
// core/device_tree_blob.h checks (magic, totalsize, block offsets and sizes, version), then zeros.
#pragma once

#include <cstdint>
#include <string>

namespace warmboot::testing {

struct TestDtb {
  uint32_t magic = 0xd00dfeed;
  uint32_t total = 256;
  uint32_t off_struct = 56;
  uint32_t off_strings = 200;
  uint32_t version = 17;
  uint32_t size_strings = 32;
  uint32_t size_struct = 100;
};

// `file_size` 0: the header's total size. A file shorter than the header keeps what fits.
inline std::string make_test_dtb(const TestDtb& h = {}, size_t file_size = 0) {
  std::string b(file_size ? file_size : h.total, '\0');
  auto put = [&b](size_t at, uint32_t v) {
    for (size_t i = 0; i < 4 && at + i < b.size(); ++i)
      b[at + i] = static_cast<char>(v >> (24 - 8 * i));
  };
  put(0, h.magic);
  put(4, h.total);
  put(8, h.off_struct);
  put(12, h.off_strings);
  put(16, 40);  // off_mem_rsvmap
  put(20, h.version);
  put(24, 16);  // last_comp_version
  put(32, h.size_strings);
  put(36, h.size_struct);
  return b;
}

}  // namespace warmboot::testing
