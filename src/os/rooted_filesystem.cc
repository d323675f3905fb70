// SPDX-License-Identifier: Apache-2.0
#include "os/rooted_filesystem.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "os/fs_error.h"
#include "os/unique_fd.h"

namespace warmboot {
namespace {

FileInfo::Type type_of(mode_t mode) {
  if (S_ISREG(mode)) return FileInfo::Type::Regular;
  if (S_ISDIR(mode)) return FileInfo::Type::Directory;
  if (S_ISLNK(mode)) return FileInfo::Type::Symlink;
  return FileInfo::Type::Other;
}

}  // namespace

RootedFileSystem::RootedFileSystem(std::string root_dir) : root_(std::move(root_dir)) {
  if (root_.empty()) root_ = "/";
  root_fd_ = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) root_errno_ = errno;
}

RootedFileSystem::~RootedFileSystem() {
  if (root_fd_ >= 0) ::close(root_fd_);
}

Result<int> RootedFileSystem::open_in_root(std::string_view path, int flags, mode_t mode) const {
  if (root_fd_ < 0) return fs_error("open", root_errno_, root_, "cannot open the root directory");
  std::string rel(path);
  rel.erase(0, rel.find_first_not_of('/'));
  if (rel.empty()) rel = ".";
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, root_fd_, rel.c_str(), &how, sizeof(how));
  if (fd < 0 && errno == ENOSYS) {
    // Kernels before 5.6: on the host's own root a plain lookup is the same thing; under --root it
    // would let an absolute symlink in the tree lead out of it, so refuse instead.
    if (root_ != "/") {
      return errno_error("openat2", ENOSYS, std::string(path),
                         "this kernel has no openat2(2), so paths under --root cannot be kept "
                         "inside it",
                         "run on Linux 5.6 or later, or without --root");
    }
    fd = ::openat(root_fd_, rel.c_str(), flags | O_CLOEXEC, mode);
  }
  if (fd < 0) {
    int code = errno;
    return fs_error("open", code, path, describe_errno(code));
  }
  return static_cast<int>(fd);
}

// Opens a regular file for reading, and nothing else: the path is first opened with O_PATH (which
// opens no device and never blocks on a FIFO), checked, then reopened through /proc/self/fd, so
// the file read is the one checked. A FIFO, socket or device node (a grubenv replaced by a FIFO,
// /dev/watchdog, which arms on open) is refused.
Result<int> RootedFileSystem::open_regular(std::string_view path) const {
  auto handle = open_in_root(path, O_PATH);
  if (!handle) return handle.error();
  UniqueFd owned(*handle);
  struct stat st {};
  if (::fstat(owned.get(), &st) != 0) return fs_error("stat", errno, path, describe_errno(errno));
  if (S_ISDIR(st.st_mode)) return fs_error("open", EISDIR, path, describe_errno(EISDIR));
  if (!S_ISREG(st.st_mode)) {
    return errno_error("open", EINVAL, std::string(path),
                       std::string(path) + ": not a regular file (a FIFO, socket or device node)",
                       "replace it with the file it should be");
  }
  std::string proc = "/proc/self/fd/" + std::to_string(owned.get());
  int fd = ::open(proc.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) return fs_error("open", errno, path, describe_errno(errno));
    // No /proc: open the path itself, still without blocking, and check it is the same file.
    auto direct = open_in_root(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (!direct) return direct.error();
    fd = *direct;
  }
  struct stat again {};
  if (::fstat(fd, &again) != 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino) {
    ::close(fd);
    return fs_error("open", ESTALE, path, "changed while it was opened");
  }
  return fd;
}

Result<std::string> RootedFileSystem::read_file(std::string_view path, uint64_t max_bytes) const {
  auto fd = open_regular(path);
  if (!fd) return fd.error();
  UniqueFd owned(*fd);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(owned.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fs_error("read", errno, path, describe_errno(errno));
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      return fs_error("read", EFBIG, path, "file is larger than expected");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Result<std::string> RootedFileSystem::read_prefix(std::string_view path, uint64_t bytes) const {
  return read_range(path, 0, bytes);
}

Result<std::string> RootedFileSystem::read_range(std::string_view path, uint64_t offset,
                                                 uint64_t bytes) const {
  auto fd = open_regular(path);
  if (!fd) return fd.error();
  UniqueFd owned(*fd);
  std::string out(bytes, '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(owned.get(), out.data() + done, out.size() - done,
                        static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fs_error("read", errno, path, describe_errno(errno));
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

Result<std::vector<std::string>> RootedFileSystem::list_dir(std::string_view path) const {
  auto fd = open_in_root(path, O_RDONLY | O_DIRECTORY);
  if (!fd) return fd.error();
  DIR* dir = ::fdopendir(*fd);
  if (!dir) {
    int code = errno;
    ::close(*fd);
    return fs_error("opendir", code, path, describe_errno(code));
  }
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

Result<FileInfo> RootedFileSystem::stat(std::string_view path) const {
  auto fd = open_in_root(path, O_PATH);
  if (!fd) return fd.error();
  UniqueFd owned(*fd);
  struct stat st {};
  if (::fstat(owned.get(), &st) != 0) return fs_error("stat", errno, path, describe_errno(errno));
  FileInfo info{type_of(st.st_mode), static_cast<uint64_t>(st.st_size), st.st_mode & 07777,
                st.st_uid, st.st_gid};
  info.identity =
      FileIdentity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                   static_cast<uint64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                   static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
  return info;
}

Result<int> RootedFileSystem::open_read(std::string_view path) const {
  return open_regular(path);
}

}  // namespace warmboot
