// SPDX-License-Identifier: Apache-2.0
// An in-memory FileSystem for tests. open_read hands out memfds holding the file's bytes.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/filesystem.h"

namespace warmboot {

class FakeFileSystem : public FileSystem {
 public:
  void add_file(std::string path, std::string content, mode_t mode = 0644, uid_t uid = 0);
  void add_dir(std::string path);
  // Makes `path` fail every access with errno `code` (e.g. EACCES).
  void add_unreadable(std::string path, int code);
  // A FIFO (or any node that is not a regular file): stat says Other, reading it is refused, as
  // RootedFileSystem does.
  void add_fifo(std::string path);
  // Makes every later write_file(path) fail with errno `code` (a full or read-only /run, say).
  void fail_writes(std::string path, int code) { write_errors_[join_path("/", path)] = code; }
  // Once `path` has been read `reads` times (read_file), it holds `content`, as a new file: another
  // program (grub-set-default, say) writing it while the code under test runs.
  void change_after_reads(std::string path, int reads, std::string content) {
    pending_[join_path("/", path)] = PendingChange{reads, std::move(content)};
  }

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
  // Held locks (path -> holder) are shared with every copy of the lock's release.
  Result<HeldLock> lock(std::string_view path, std::string_view holder, double wait_s) override;
  bool locked(std::string_view path) const { return locks_->count(join_path("/", path)) > 0; }

  const std::map<std::string, std::string>& written() const { return written_; }

 private:
  struct Node {
    bool dir = false;
    std::string content;
    mode_t mode = 0644;
    uid_t uid = 0;
    int error = 0;
    bool fifo = false;
    uint64_t inode = 0;   // a new one for every file added or written
    int64_t changed = 0;  // mtime = ctime, in "nanoseconds": a counter
  };
  Node file_node(std::string content, mode_t mode, uid_t uid);
  const Node* find(std::string_view path, Error* error) const;
  Result<const std::string*> content_of(std::string_view path) const;
  void add_parents(const std::string& path);

  std::map<std::string, Node> nodes_{{"/", Node{true, {}, 0755, 0, 0}}};
  std::map<std::string, std::string> written_;
  uint64_t next_inode_ = 100;
  std::map<std::string, int> write_errors_;
  struct PendingChange {
    int reads_left = 0;
    std::string content;
  };
  mutable std::map<std::string, PendingChange> pending_;
  std::shared_ptr<std::map<std::string, std::string>> locks_ =
      std::make_shared<std::map<std::string, std::string>>();
};

}  // namespace warmboot
