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

#include "os/unique_fd.h"

namespace warmboot {
namespace {

Error fs_error(const char* op, int code, std::string_view path, const char* what) {
  return errno_error(op, code, std::string(path), std::string(path) + ": " + what);
}

const char* describe(int code) {
  switch (code) {
    case ENOENT:
      return "no such file";
    case EACCES:
      return "permission denied";
    case ENOTDIR:
      return "a path component is not a directory";
    case EISDIR:
      return "is a directory";
    case EFBIG:
      return "file is too large";
    case ELOOP:
      return "too many symbolic links";
    default:
      return "cannot access";
  }
}

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
  if (fd < 0 && errno == ENOSYS) {  // kernels before 5.6: plain lookup under the root
    fd = ::openat(root_fd_, rel.c_str(), flags | O_CLOEXEC, mode);
  }
  if (fd < 0) {
    int code = errno;
    return fs_error("open", code, path, describe(code));
  }
  return static_cast<int>(fd);
}

Result<std::string> RootedFileSystem::read_file(std::string_view path, uint64_t max_bytes) const {
  auto fd = open_in_root(path, O_RDONLY);
  if (!fd) return fd.error();
  UniqueFd owned(*fd);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(owned.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fs_error("read", errno, path, describe(errno));
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      return fs_error("read", EFBIG, path, "file is larger than expected");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Result<std::string> RootedFileSystem::read_prefix(std::string_view path, uint64_t bytes) const {
  auto fd = open_in_root(path, O_RDONLY);
  if (!fd) return fd.error();
  UniqueFd owned(*fd);
  std::string out(bytes, '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(owned.get(), out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fs_error("read", errno, path, describe(errno));
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
    return fs_error("opendir", code, path, describe(code));
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
  if (::fstat(owned.get(), &st) != 0) return fs_error("stat", errno, path, describe(errno));
  return FileInfo{type_of(st.st_mode), static_cast<uint64_t>(st.st_size), st.st_mode & 07777,
                  st.st_uid, st.st_gid};
}

Result<int> RootedFileSystem::open_read(std::string_view path) const {
  return open_in_root(path, O_RDONLY);
}

Result<int> RootedFileSystem::open_parent_dir(std::string_view path, bool create) {
  std::string parent = dirname_of(path);
  std::string walked;
  size_t pos = 0;
  while (create && pos < parent.size()) {
    size_t next = parent.find('/', pos + 1);
    walked = parent.substr(0, next);
    pos = next == std::string::npos ? parent.size() : next;
    auto probe = open_in_root(walked, O_PATH | O_DIRECTORY);
    if (probe) {
      ::close(*probe);
      continue;
    }
    auto up = open_in_root(dirname_of(walked), O_PATH | O_DIRECTORY);
    if (!up) return up.error();
    UniqueFd up_fd(*up);
    std::string leaf = basename_of(walked);
    if (::mkdirat(up_fd.get(), leaf.c_str(), 0755) != 0 && errno != EEXIST) {
      return fs_error("mkdir", errno, walked, describe(errno));
    }
  }
  return open_in_root(parent, O_PATH | O_DIRECTORY);
}

Status RootedFileSystem::write_file(std::string_view path, std::string_view content) {
  auto dir = open_parent_dir(path, true);
  if (!dir) return dir.error();
  UniqueFd dir_fd(*dir);
  std::string leaf = basename_of(path);
  std::string tmp = "." + leaf + ".tmp";
  int fd = ::openat(dir_fd.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fs_error("write", errno, path, describe(errno));
  UniqueFd file(fd);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(file.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fs_error("write", errno, path, "cannot write");
    done += static_cast<size_t>(n);
  }
  if (::fsync(file.get()) != 0) return fs_error("fsync", errno, path, "cannot flush");
  if (::renameat(dir_fd.get(), tmp.c_str(), dir_fd.get(), leaf.c_str()) != 0) {
    return fs_error("rename", errno, path, "cannot replace");
  }
  return {};
}

Status RootedFileSystem::remove_file(std::string_view path) {
  auto dir = open_parent_dir(path, false);
  if (!dir) return dir.error();
  UniqueFd dir_fd(*dir);
  std::string leaf = basename_of(path);
  if (::unlinkat(dir_fd.get(), leaf.c_str(), 0) != 0 && errno != ENOENT) {
    return fs_error("unlink", errno, path, describe(errno));
  }
  return {};
}

}  // namespace warmboot
