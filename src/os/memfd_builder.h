// SPDX-License-Identifier: Apache-2.0
// Builds anonymous in-memory files (memfd_create) to hand to kexec: UKI sections and several
// initrds concatenated into one. Nothing here touches the kexec ABI.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "os/unique_fd.h"

namespace warmboot {

// The kernel's initramfs unpacker wants every cpio member to start on a 4-byte boundary
// (Documentation/driver-api/early-userspace/buffer-format.rst: cpio_file := ALGN(4) + ...;
// "arbitrary amounts of zero bytes (for padding) can be added between members").
inline constexpr uint64_t kInitrdAlignment = 4;

// A readable fd and which bytes of it to use. `name` is used in errors.
struct FdPart {
  int fd = -1;
  uint64_t size = 0;
  std::string name;
  uint64_t offset = 0;  // where the bytes start in fd (a UKI section's file offset)
};

// A new, empty memfd (MFD_CLOEXEC); `name` shows in /proc/PID/fd as "memfd:NAME".
Result<UniqueFd> make_memfd(const std::string& name);

// Appends bytes at the memfd's file position.
Status append_bytes(int memfd, std::string_view bytes, const std::string& what);

// Appends part.size bytes read from part.fd starting at part.offset, without moving part.fd's
// position: copy_file_range, falling back to sendfile, then to pread/write.
Status append_part(int memfd, const FdPart& part);

// One memfd holding the parts in order, each but the last followed by zero bytes up to the next
// kInitrdAlignment boundary. `total` receives the memfd's final size.
Result<UniqueFd> concatenate_padded(const std::vector<FdPart>& parts, const std::string& name,
                                    uint64_t* total);

// Zero bytes needed after `size` bytes to reach the next multiple of `alignment`.
inline uint64_t padding_after(uint64_t size, uint64_t alignment) {
  return (alignment - size % alignment) % alignment;
}

}  // namespace warmboot
