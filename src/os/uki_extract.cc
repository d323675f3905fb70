// SPDX-License-Identifier: Apache-2.0
#include "os/uki_extract.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include "core/uki_image.h"
#include "os/memfd_builder.h"

namespace warmboot {
namespace {

// The PE headers and section table sit at the start of the file; this is far more than they need.
constexpr uint64_t kHeadBytes = 1 << 20;

Result<std::string> read_head(int fd, uint64_t size, const std::string& path) {
  std::string head(static_cast<size_t>(std::min(size, kHeadBytes)), '\0');
  size_t done = 0;
  while (done < head.size()) {
    ssize_t n = ::pread(fd, head.data() + done, head.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_error("read", n < 0 ? errno : EIO, path, "cannot read the UKI");
    done += static_cast<size_t>(n);
  }
  return head;
}

Result<UniqueFd> section_memfd(int fd, const PeSection& section, const std::string& path,
                               const char* memfd_name) {
  auto memfd = make_memfd(memfd_name);
  if (!memfd) return memfd.error();
  FdPart part{fd, section.size, path + " (" + section.name + ")", section.offset};
  if (auto s = append_part(memfd->get(), part); !s) return s.error();
  if (::lseek(memfd->get(), 0, SEEK_SET) < 0)
    return errno_error("lseek", errno, path, "cannot rewind the memfd");
  return std::move(memfd).value();
}

}  // namespace

Result<UkiParts> extract_uki(int fd, uint64_t size, const std::string& path) {
  if (size > kMaxStagedUkiBytes) {
    return errno_error("stage", EFBIG, path,
                       fmt::format("unified kernel image {} is {} bytes, more than warmboot "
                                   "stages ({})",
                                   path, size, kMaxStagedUkiBytes));
  }
  auto head = read_head(fd, size, path);
  if (!head) return head.error();
  auto uki = parse_uki(*head, size);
  if (!uki) {
    Error e = uki.error();
    if (e.file.empty()) e.file = path;
    e.message = fmt::format("{} is not a usable unified kernel image: {}", path, e.message);
    return e;
  }
  if (!uki->linux_ || uki->linux_->size == 0) {
    return errno_error("stage", ENOEXEC, path,
                       path + " has no .linux section: not a unified kernel image",
                       "check the boot entry; a type #2 entry must name a UKI");
  }
  UkiParts parts;
  auto kernel = section_memfd(fd, *uki->linux_, path, "warmboot-uki-linux");
  if (!kernel) return kernel.error();
  parts.kernel = std::move(kernel).value();
  parts.kernel_size = uki->linux_->size;
  if (uki->initrd && uki->initrd->size > 0) {
    auto initrd = section_memfd(fd, *uki->initrd, path, "warmboot-uki-initrd");
    if (!initrd) return initrd.error();
    parts.initrd = std::move(initrd).value();
    parts.initrd_size = uki->initrd->size;
  }
  return parts;
}

}  // namespace warmboot
