// SPDX-License-Identifier: Apache-2.0
#include "fakes/fake_filesystem.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace warmboot {

void FakeFileSystem::add_parents(const std::string& path) {
  for (std::string dir = dirname_of(path); dir != "/"; dir = dirname_of(dir)) {
    nodes_[dir] = Node{true, {}, 0755, 0, 0};
  }
}

FakeFileSystem::Node FakeFileSystem::file_node(std::string content, mode_t mode, uid_t uid) {
  Node node{false, std::move(content), mode, uid, 0};
  node.inode = next_inode_++;
  node.changed = static_cast<int64_t>(node.inode) * 1000;
  return node;
}

void FakeFileSystem::add_file(std::string path, std::string content, mode_t mode, uid_t uid) {
  path = join_path("/", path);
  add_parents(path);
  nodes_[path] = file_node(std::move(content), mode, uid);
}

void FakeFileSystem::add_fifo(std::string path) {
  path = join_path("/", path);
  add_parents(path);
  Node node = file_node({}, 0644, 0);
  node.fifo = true;
  nodes_[path] = node;
}

void FakeFileSystem::add_dir(std::string path) {
  path = join_path("/", path);
  add_parents(path);
  nodes_[path] = Node{true, {}, 0755, 0, 0};
}

void FakeFileSystem::add_unreadable(std::string path, int code) {
  path = join_path("/", path);
  add_parents(path);
  nodes_[path] = Node{false, {}, 0, 0, code};
}

const FakeFileSystem::Node* FakeFileSystem::find(std::string_view path, Error* error) const {
  std::string norm = join_path("/", path);
  auto it = nodes_.find(norm);
  int code = it == nodes_.end() ? ENOENT : it->second.error;
  if (code != 0) {
    *error = errno_error("open", code, norm,
                         norm + (code == ENOENT ? ": no such file" : ": cannot access"));
    return nullptr;
  }
  return &it->second;
}

Result<const std::string*> FakeFileSystem::content_of(std::string_view path) const {
  Error error;
  const Node* node = find(path, &error);
  if (!node) return error;
  if (node->dir)
    return errno_error("read", EISDIR, std::string(path), std::string(path) + ": is a directory");
  if (node->fifo) {
    return errno_error("open", EINVAL, std::string(path),
                       std::string(path) + ": not a regular file (a FIFO, socket or device node)");
  }
  return &node->content;
}

Result<std::string> FakeFileSystem::read_file(std::string_view path, uint64_t max_bytes) const {
  auto content = content_of(path);
  if (!content) return content.error();
  if ((*content)->size() > max_bytes) {
    return errno_error("read", EFBIG, std::string(path),
                       std::string(path) + ": file is larger than expected");
  }
  std::string bytes = **content;
  auto pending = pending_.find(join_path("/", path));
  if (pending != pending_.end() && --pending->second.reads_left <= 0) {
    std::string next = std::move(pending->second.content);
    pending_.erase(pending);
    // Another program writes the file: the fake's state changes under a const reader.
    const_cast<FakeFileSystem*>(this)->add_file(join_path("/", path), std::move(next));
  }
  return bytes;
}

Result<std::string> FakeFileSystem::read_prefix(std::string_view path, uint64_t bytes) const {
  return read_range(path, 0, bytes);
}

Result<std::string> FakeFileSystem::read_range(std::string_view path, uint64_t offset,
                                               uint64_t bytes) const {
  auto content = content_of(path);
  if (!content) return content.error();
  if (offset >= (*content)->size()) return std::string();
  return (*content)->substr(offset, bytes);
}

Result<std::vector<std::string>> FakeFileSystem::list_dir(std::string_view path) const {
  Error error;
  const Node* node = find(path, &error);
  if (!node) return error;
  std::string norm = join_path("/", path);
  if (!node->dir) return errno_error("opendir", ENOTDIR, norm, norm + ": not a directory");
  std::string prefix = norm == "/" ? "/" : norm + "/";
  std::vector<std::string> names;
  for (auto it = nodes_.lower_bound(prefix); it != nodes_.end() && it->first.starts_with(prefix);
       ++it) {
    std::string rest = it->first.substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string::npos) names.push_back(rest);
  }
  return names;
}

Result<FileInfo> FakeFileSystem::stat(std::string_view path) const {
  Error error;
  const Node* node = find(path, &error);
  if (!node) return error;
  FileInfo info{node->dir    ? FileInfo::Type::Directory
                : node->fifo ? FileInfo::Type::Other
                             : FileInfo::Type::Regular,
                node->content.size(), node->mode, node->uid, 0};
  info.identity = FileIdentity{1, node->inode, node->content.size(), node->changed, node->changed};
  return info;
}

Result<int> FakeFileSystem::open_read(std::string_view path) const {
  auto content = read_file(path);
  if (!content) return content.error();
  int fd = ::memfd_create("fake-file", MFD_CLOEXEC);
  if (fd < 0) return errno_error("memfd_create", errno, std::string(path), "cannot create a memfd");
  size_t done = 0;
  while (done < content->size()) {
    ssize_t n = ::write(fd, content->data() + done, content->size() - done);
    if (n <= 0) {
      ::close(fd);
      return errno_error("write", errno, std::string(path), "cannot fill the memfd");
    }
    done += static_cast<size_t>(n);
  }
  ::lseek(fd, 0, SEEK_SET);
  return fd;
}

Status FakeFileSystem::write_file(std::string_view path, std::string_view content) {
  std::string norm = join_path("/", path);
  if (auto it = write_errors_.find(norm); it != write_errors_.end())
    return errno_error("write", it->second, norm, norm + ": cannot write");
  add_file(norm, std::string(content));
  written_[norm] = std::string(content);
  return {};
}

Status FakeFileSystem::remove_file(std::string_view path) {
  std::string norm = join_path("/", path);
  nodes_.erase(norm);
  written_.erase(norm);
  return {};
}

Status FakeFileSystem::rename_file(std::string_view from, std::string_view to) {
  std::string source = join_path("/", from), target = join_path("/", to);
  auto it = nodes_.find(source);
  if (it == nodes_.end()) return errno_error("rename", ENOENT, source, source + ": no such file");
  add_parents(target);
  nodes_[target] = it->second;
  nodes_.erase(source);
  written_.erase(source);
  return {};
}

Result<HeldLock> FakeFileSystem::lock(std::string_view path, std::string_view holder, double) {
  std::string norm = join_path("/", path);
  if (auto it = locks_->find(norm); it != locks_->end())
    return errno_error("lock", EBUSY, norm, norm + " is held by " + it->second);
  (*locks_)[norm] = std::string(holder);
  return HeldLock([locks = locks_, norm] { locks->erase(norm); });
}

}  // namespace warmboot
