// SPDX-License-Identifier: Apache-2.0
// RootedFileSystem's writing side: atomic writes under a unique name that cannot be pre-planted,
// never through a link; removal (EFI variables made mutable first); renames; the lock.
#include "os/rooted_filesystem.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "core/path.h"
#include "os/fs_error.h"
#include "os/unique_fd.h"

namespace warmboot {
namespace {

// Eight random hex digits for a temporary name.
std::string random_suffix() {
  uint32_t bits = 0;
  if (::getrandom(&bits, sizeof(bits), GRND_NONBLOCK) != sizeof(bits))
    bits = static_cast<uint32_t>(::getpid()) ^ static_cast<uint32_t>(::time(nullptr));
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", bits);
  return text;
}

}  // namespace

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
      return fs_error("mkdir", errno, walked, describe_errno(errno));
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
    if (!file.valid() && errno != EEXIST)
      return fs_error("write", errno, path, describe_errno(errno));
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
  return fs_error("unlink", errno, path, describe_errno(errno));
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
    return fs_error("rename", errno, from, describe_errno(errno));
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
  if (fd < 0) return fs_error("lock", errno, path, describe_errno(errno));
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
