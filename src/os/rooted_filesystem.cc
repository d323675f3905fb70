// SPDX-License-Identifier: Apache-2.0
#include "os/rooted_filesystem.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <memory>

#include <fmt/format.h>

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

// Eight random hex digits for a temporary name.
std::string random_suffix() {
  uint32_t bits = 0;
  if (::getrandom(&bits, sizeof(bits), GRND_NONBLOCK) != sizeof(bits))
    bits = static_cast<uint32_t>(::getpid()) ^ static_cast<uint32_t>(::time(nullptr));
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", bits);
  return text;
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
    return fs_error("open", code, path, describe(code));
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
  if (::fstat(owned.get(), &st) != 0) return fs_error("stat", errno, path, describe(errno));
  if (S_ISDIR(st.st_mode)) return fs_error("open", EISDIR, path, describe(EISDIR));
  if (!S_ISREG(st.st_mode)) {
    return errno_error("open", EINVAL, std::string(path),
                       std::string(path) + ": not a regular file (a FIFO, socket or device node)",
                       "replace it with the file it should be");
  }
  std::string proc = "/proc/self/fd/" + std::to_string(owned.get());
  int fd = ::open(proc.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) return fs_error("open", errno, path, describe(errno));
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
  return open_in_root(parent, O_RDONLY | O_DIRECTORY);
}

// Atomic, and never through a link: the data goes to a new file under a name nobody can have
// planted (O_CREAT|O_EXCL|O_NOFOLLOW, a random suffix, tried again on a collision) in the target's
// directory, is fsynced, renamed over the target, and the directory is fsynced. A target that is a
// symbolic link (or anything but a regular file) is refused, not replaced or followed.
Status RootedFileSystem::write_file(std::string_view path, std::string_view content) {
  auto dir = open_parent_dir(path, true);
  if (!dir) return dir.error();
  UniqueFd dir_fd(*dir);
  std::string leaf = basename_of(path);
  struct stat target {};
  if (::fstatat(dir_fd.get(), leaf.c_str(), &target, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISREG(target.st_mode)) {
    return errno_error(
        "write", S_ISLNK(target.st_mode) ? ELOOP : EINVAL, std::string(path),
        std::string(path) + (S_ISLNK(target.st_mode)
                                 ? ": is a symbolic link; refusing to write through it"
                                 : ": is not a regular file; refusing to replace it"),
        "remove it, then run warmboot again");
  }
  UniqueFd file;
  std::string tmp;
  for (int attempt = 0; attempt < 16 && !file.valid(); ++attempt) {
    tmp = "." + leaf + "." + random_suffix();
    file.reset(::openat(dir_fd.get(), tmp.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!file.valid() && errno != EEXIST) return fs_error("write", errno, path, describe(errno));
  }
  if (!file.valid()) return fs_error("write", EEXIST, path, "no free temporary name");
  auto discard = [&](Error error) -> Status {
    (void)::unlinkat(dir_fd.get(), tmp.c_str(), 0);
    return error;
  };
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(file.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return discard(fs_error("write", errno, path, "cannot write"));
    done += static_cast<size_t>(n);
  }
  if (::fchmod(file.get(), 0644) != 0)
    return discard(fs_error("chmod", errno, path, "cannot set mode"));
  if (::fsync(file.get()) != 0) return discard(fs_error("fsync", errno, path, "cannot flush"));
  if (::renameat(dir_fd.get(), tmp.c_str(), dir_fd.get(), leaf.c_str()) != 0)
    return discard(fs_error("rename", errno, path, "cannot replace"));
  if (::fsync(dir_fd.get()) != 0) return fs_error("fsync", errno, dirname_of(path), "cannot flush");
  return {};
}

Status RootedFileSystem::remove_file(std::string_view path) {
  auto dir = open_parent_dir(path, false);
  if (!dir) return dir.error();
  UniqueFd dir_fd(*dir);
  std::string leaf = basename_of(path);
  if (::unlinkat(dir_fd.get(), leaf.c_str(), 0) == 0 || errno == ENOENT) return {};
  if (errno == EPERM && path.starts_with("/sys/firmware/efi/efivars/")) {
    // efivarfs: every variable but a few standard ones is created immutable.
    UniqueFd var(::openat(dir_fd.get(), leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    int flags = 0;
    if (var.get() >= 0 && ::ioctl(var.get(), FS_IOC_GETFLAGS, &flags) == 0) {
      flags &= ~FS_IMMUTABLE_FL;
      if (::ioctl(var.get(), FS_IOC_SETFLAGS, &flags) == 0 &&
          ::unlinkat(dir_fd.get(), leaf.c_str(), 0) == 0)
        return {};
    }
  }
  return fs_error("unlink", errno, path, describe(errno));
}

Status RootedFileSystem::rename_file(std::string_view from, std::string_view to) {
  auto from_dir = open_parent_dir(from, false);
  if (!from_dir) return from_dir.error();
  UniqueFd from_fd(*from_dir);
  auto to_dir = open_parent_dir(to, true);
  if (!to_dir) return to_dir.error();
  UniqueFd to_fd(*to_dir);
  if (::renameat(from_fd.get(), basename_of(from).c_str(), to_fd.get(), basename_of(to).c_str()) !=
      0) {
    return fs_error("rename", errno, from, describe(errno));
  }
  return {};
}

Result<HeldLock> RootedFileSystem::lock(std::string_view path, std::string_view holder,
                                        double wait_s) {
  auto dir = open_parent_dir(path, true);
  if (!dir) return dir.error();
  UniqueFd dir_fd(*dir);
  const std::string leaf = basename_of(path);
  int fd = ::openat(dir_fd.get(), leaf.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return fs_error("lock", errno, path, describe(errno));
  auto owned = std::make_shared<UniqueFd>(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return fs_error("lock", EINVAL, path, "is not a regular file");
  for (int waited_ms = 0;; waited_ms += 100) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) break;
    if (errno != EWOULDBLOCK && errno != EINTR)
      return fs_error("flock", errno, path, "cannot lock");
    if (waited_ms >= wait_s * 1000) {
      char text[256] = {};
      ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
      std::string who = n > 0 ? std::string(text, static_cast<size_t>(n)) : "another process";
      while (!who.empty() && who.back() == '\n') who.pop_back();
      return errno_error("lock", EBUSY, std::string(path),
                         fmt::format("{} is held by {} (waited {:g} s)", path, who, wait_s),
                         "wait for it to finish, then try again");
    }
    struct timespec pause {
      0, 100 * 1000 * 1000
    };
    ::nanosleep(&pause, nullptr);
  }
  std::string text = fmt::format("{} (pid {})\n", holder, ::getpid());
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, text.data(), text.size(), 0);
  return HeldLock([owned] { ::flock(owned->get(), LOCK_UN); });
}

}  // namespace warmboot
