// SPDX-License-Identifier: Apache-2.0
// The real FileSystem: every path is resolved inside a root directory with
// openat2(RESOLVE_IN_ROOT), so absolute symlinks in a --root tree stay inside it, as they would
// after a chroot.
#pragma once

#include <string>

#include "core/filesystem.h"

namespace warmboot {

class RootedFileSystem : public FileSystem {
 public:
  explicit RootedFileSystem(std::string root_dir);
  ~RootedFileSystem() override;
  RootedFileSystem(const RootedFileSystem&) = delete;
  RootedFileSystem& operator=(const RootedFileSystem&) = delete;

  const std::string& root() const { return root_; }
  bool is_host_root() const { return root_ == "/"; }

  Result<std::string> read_file(std::string_view path,
                                uint64_t max_bytes = kDefaultMaxRead) const override;
  Result<std::string> read_prefix(std::string_view path, uint64_t bytes) const override;
  Result<std::string> read_range(std::string_view path, uint64_t offset,
                                 uint64_t bytes) const override;
  Result<std::vector<std::string>> list_dir(std::string_view path) const override;
  Result<FileInfo> stat(std::string_view path) const override;
  Result<int> open_read(std::string_view path) const override;
  Status write_file(std::string_view path, std::string_view content) override;
  Status remove_file(std::string_view path) override;
  Status rename_file(std::string_view from, std::string_view to) override;
  Result<HeldLock> lock(std::string_view path, std::string_view holder, double wait_s) override;

 private:
  Result<int> open_in_root(std::string_view path, int flags, mode_t mode = 0) const;
  Result<int> open_regular(std::string_view path) const;
  Result<int> open_parent_dir(std::string_view path, bool create);

  std::string root_;
  int root_fd_ = -1;
  int root_errno_ = 0;
};

}  // namespace warmboot
