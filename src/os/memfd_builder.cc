// SPDX-License-Identifier: Apache-2.0
#include "os/memfd_builder.h"

#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace warmboot {
namespace {

constexpr size_t kChunk = 1 << 20;

// kNoProgress: the method copied nothing more before part.size (some file systems answer 0
// instead of an error); the next method, and finally pread, decides whether the file is short.
constexpr int kNoProgress = -1;

bool try_next_method(int code) {
  return code == kNoProgress || code == EXDEV || code == EINVAL || code == ENOSYS ||
         code == EOPNOTSUPP || code == EBADF;
}

// Returns bytes copied so far by a kernel-side method; stops at the first error it can't use.
uint64_t copy_in_kernel(int memfd, const FdPart& part, bool use_sendfile, int* error) {
  uint64_t done = 0;
  while (done < part.size) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(part.size - done, kChunk));
    ssize_t n;
    if (use_sendfile) {
      off_t offset = static_cast<off_t>(part.offset + done);
      n = ::sendfile(memfd, part.fd, &offset, want);
    } else {
      loff_t offset = static_cast<loff_t>(part.offset + done);
      n = ::copy_file_range(part.fd, &offset, memfd, nullptr, want, 0);
    }
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = n == 0 ? kNoProgress : errno;
      return done;
    }
    done += static_cast<uint64_t>(n);
  }
  *error = 0;
  return done;
}

}  // namespace

Result<UniqueFd> make_memfd(const std::string& name) {
  int fd = ::memfd_create(name.c_str(), MFD_CLOEXEC);
  if (fd < 0) return errno_error("memfd_create", errno, {}, "cannot create memfd " + name);
  return UniqueFd(fd);
}

Status append_bytes(int memfd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    ssize_t n = ::write(memfd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_error("write", n < 0 ? errno : EIO, what, "cannot fill the memfd");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status append_part(int memfd, const FdPart& part) {
  off_t start = ::lseek(memfd, 0, SEEK_CUR);
  if (start < 0) return errno_error("lseek", errno, part.name, "cannot find the memfd position");
  int error = 0;
  for (bool use_sendfile : {false, true}) {
    uint64_t done = copy_in_kernel(memfd, part, use_sendfile, &error);
    if (error == 0) return {};
    if (!try_next_method(error)) {
      return errno_error("copy", error, part.name, "cannot copy into the memfd");
    }
    // Start over cleanly with the next method.
    if (done > 0 && (::ftruncate(memfd, start) != 0 || ::lseek(memfd, start, SEEK_SET) < 0))
      return errno_error("ftruncate", errno, part.name, "cannot rewind the memfd");
  }
  std::string buf(kChunk, '\0');
  uint64_t done = 0;
  while (done < part.size) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(part.size - done, kChunk));
    ssize_t n = ::pread(part.fd, buf.data(), want, static_cast<off_t>(part.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_error("read", n < 0 ? errno : EIO, part.name, "short read");
    if (auto s = append_bytes(memfd, std::string_view(buf.data(), n), part.name); !s) return s;
    done += static_cast<uint64_t>(n);
  }
  return {};
}

Result<UniqueFd> concatenate_padded(const std::vector<FdPart>& parts, const std::string& name,
                                    uint64_t* total) {
  auto memfd = make_memfd(name);
  if (!memfd) return memfd.error();
  static constexpr char kZeros[kInitrdAlignment] = {};
  uint64_t size = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (auto s = append_part(memfd->get(), parts[i]); !s) return s.error();
    size += parts[i].size;
    if (i + 1 == parts.size()) break;
    uint64_t pad = padding_after(size, kInitrdAlignment);
    if (auto s = append_bytes(memfd->get(), std::string_view(kZeros, pad), name); !s)
      return s.error();
    size += pad;
  }
  if (::lseek(memfd->get(), 0, SEEK_SET) < 0)
    return errno_error("lseek", errno, {}, "cannot rewind memfd " + name);
  if (total) *total = size;
  return std::move(memfd).value();
}

}  // namespace warmboot
