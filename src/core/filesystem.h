// SPDX-License-Identifier: Apache-2.0
// The files warmboot reads and writes, always named as seen inside the target root
// (like `systemctl --root`): "/boot/vmlinuz-6.1.0-9-amd64" means DIR/boot/... under --root DIR.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/path.h"
#include "core/result.h"

namespace warmboot {

// What identifies a file's contents without reading it: where it lives and when it last changed.
// A kernel or initrd rewritten in place (update-initramfs -u, a DKMS rebuild) gets a new mtime and
// ctime; one replaced by a package gets a new inode too.
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;

  bool operator==(const FileIdentity&) const = default;
};

struct FileInfo {
  enum class Type { Regular, Directory, Symlink, Other };
  Type type = Type::Other;
  uint64_t size = 0;
  mode_t mode = 0;  // permission bits (07777)
  uid_t uid = 0;
  gid_t gid = 0;
  FileIdentity identity = {};
};

inline constexpr uint64_t kDefaultMaxRead = 64ull << 20;

// A lock held until this object goes (or is moved from).
class HeldLock {
 public:
  HeldLock() = default;
  explicit HeldLock(std::function<void()> release) : release_(std::move(release)) {}
  HeldLock(HeldLock&& other) noexcept : release_(std::exchange(other.release_, {})) {}
  HeldLock& operator=(HeldLock&& other) noexcept {
    if (this != &other) {
      if (release_) release_();
      release_ = std::exchange(other.release_, {});
    }
    return *this;
  }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;
  ~HeldLock() {
    if (release_) release_();
  }

 private:
  std::function<void()> release_;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Reads a whole file; fails with EFBIG past max_bytes.
  virtual Result<std::string> read_file(std::string_view path,
                                        uint64_t max_bytes = kDefaultMaxRead) const = 0;
  // Reads at most the first `bytes` bytes (headers of kernel images, PE files).
  virtual Result<std::string> read_prefix(std::string_view path, uint64_t bytes) const = 0;
  // Reads at most `bytes` bytes from `offset` (a section of a PE file); fewer at the file's end.
  virtual Result<std::string> read_range(std::string_view path, uint64_t offset,
                                         uint64_t bytes) const = 0;
  // Names in a directory, without "." and "..", sorted.
  virtual Result<std::vector<std::string>> list_dir(std::string_view path) const = 0;
  // Follows symlinks inside the root.
  virtual Result<FileInfo> stat(std::string_view path) const = 0;
  bool exists(std::string_view path) const { return stat(path).ok(); }
  bool is_file(std::string_view path) const;
  bool is_dir(std::string_view path) const;

  // Opens a regular file for reading (a FIFO or device node is refused, never opened). The caller
  // owns the fd. Fakes may back it by a memfd. read_file and read_prefix refuse the same.
  virtual Result<int> open_read(std::string_view path) const = 0;

  // Writes atomically (a new temporary file + rename, both fsynced), creating parent directories;
  // never through a symbolic link: a target that is one is refused.
  virtual Status write_file(std::string_view path, std::string_view content) = 0;
  // Removes a file (gone already is fine). An EFI variable under /sys/firmware/efi/efivars, which
  // efivarfs makes immutable, has that flag cleared first, as `chattr -i` would.
  virtual Status remove_file(std::string_view path) = 0;
  // Renames a file within its directory tree (the target is replaced; never through a link).
  virtual Status rename_file(std::string_view from, std::string_view to) = 0;
  // An exclusive lock on `path` (created if needed, never through a link), waiting up to `wait_s`
  // seconds for whoever holds it; `holder` ("warmboot load") is written into the file so that a
  // caller who gives up can say who has it.
  virtual Result<HeldLock> lock(std::string_view path, std::string_view holder, double wait_s) = 0;
};

}  // namespace warmboot
