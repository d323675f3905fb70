// SPDX-License-Identifier: Apache-2.0
#include "os/spawn_process_runner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include "core/path.h"
#include "os/unique_fd.h"

extern char** environ;

namespace warmboot {
namespace {

constexpr double kKillGrace = 5.0;  // seconds between SIGTERM and SIGKILL

double monotonic_seconds() {
  struct timespec now {};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Owned by root and writable by nobody else.
Status trusted(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return errno_error("stat", errno, path, "cannot check " + path);
  if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return errno_error("hook", EPERM, path,
                       fmt::format("{} is not owned by root or is group- or world-writable "
                                   "(uid {}, mode {:04o}): it would run as root on anyone's say",
                                   path, st.st_uid, st.st_mode & 07777),
                       "chown root: it and chmod go-w it");
  }
  return {};
}

// Opens `path` for execution component by component, following no link, checking every directory
// on the way and the file itself.
Result<UniqueFd> open_trusted(const std::string& path) {
  if (path.empty() || path[0] != '/')
    return errno_error("hook", EINVAL, path, "a hook path must be absolute");
  UniqueFd dir(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return errno_error("open", errno, "/", "cannot open /");
  if (auto ok = trusted(dir.get(), "/"); !ok) return ok.error();
  std::string walked;
  std::string rest = join_path("/", path).substr(1);
  for (;;) {
    size_t slash = rest.find('/');
    std::string name = rest.substr(0, slash);
    walked += "/" + name;
    if (slash == std::string::npos) break;
    UniqueFd next(::openat(dir.get(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid()) {
      return errno_error(
          "hook", errno, walked,
          walked + (errno == ENOTDIR ? " is not a directory (or is a link)" : ": cannot open"));
    }
    if (auto ok = trusted(next.get(), walked); !ok) return ok.error();
    dir = std::move(next);
    rest = rest.substr(slash + 1);
  }
  UniqueFd file(::openat(dir.get(), basename_of(path).c_str(),
                         O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!file.valid()) {
    return errno_error("hook", errno, path,
                       path + (errno == ELOOP ? " is a symbolic link" : ": cannot open"),
                       "hooks must be regular files");
  }
  struct stat st {};
  if (::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0)
    return errno_error("hook", EACCES, path, path + " is not an executable regular file");
  if (auto ok = trusted(file.get(), path); !ok) return ok.error();
  return file;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Result<int> SpawnProcessRunner::execute(const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty() || spec.argv[0][0] != '/')
    return errno_error("exec", EINVAL, {}, "argv[0] must be an absolute path");
  const std::string& program = spec.argv[0];
  UniqueFd file;
  if (spec.trusted_file_only) {
    auto opened = open_trusted(program);
    if (!opened) return opened.error();
    file = std::move(opened).value();
  }
  std::vector<std::string> argv = spec.argv;
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.insert(env.end(), spec.env.begin(), spec.env.end());
  std::vector<char*> args = pointers(argv), envp = pointers(env);

  // The child reports a failed exec through a close-on-exec pipe: nothing arrives if it worked.
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return errno_error("pipe", errno, program, "cannot start");
  UniqueFd report_read(report[0]), report_write(report[1]);
  pid_t pid = ::fork();
  if (pid < 0) return errno_error("fork", errno, program, "cannot start " + program);
  if (pid == 0) {
    ::setpgid(0, 0);  // its own process group: a timeout kills what it started too
    if (file.valid()) {
      // A script is run by its interpreter through /dev/fd/N: that fd must survive the exec.
      ::fcntl(file.get(), F_SETFD, 0);
      ::fexecve(file.get(), args.data(), envp.data());
    } else {
      ::execve(args[0], args.data(), envp.data());
    }
    int code = errno;
    (void)!::write(report_write.get(), &code, sizeof code);
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  file.reset();
  report_write.reset();
  int exec_errno = 0;
  ssize_t got;
  do {
    got = ::read(report_read.get(), &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    ::waitpid(pid, nullptr, 0);
    return errno_error("exec", exec_errno, program, "cannot execute " + program);
  }

  const double deadline = spec.timeout_s > 0 ? monotonic_seconds() + spec.timeout_s : 0;
  bool terminated = false, killed = false;
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, spec.timeout_s > 0 ? WNOHANG : 0);
    if (r == pid) break;
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return errno_error("waitpid", errno, program, "cannot wait for " + program);
    const double now = monotonic_seconds();
    if (!terminated && now >= deadline) {
      ::kill(-pid, SIGTERM);
      terminated = true;
    } else if (terminated && !killed && now >= deadline + kKillGrace) {
      ::kill(-pid, SIGKILL);
      killed = true;
    }
    struct timespec pause {
      0, 50 * 1000 * 1000
    };
    ::nanosleep(&pause, nullptr);
  }
  if (terminated) {
    return errno_error(program, ETIMEDOUT, program,
                       fmt::format("{} ran longer than {:g} s and was {}", program, spec.timeout_s,
                                   killed ? "killed" : "stopped"),
                       "make it faster, or raise [hooks] timeout_sec");
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = ::sigabbrev_np(sig);
    return errno_error(program, 0, program,
                       fmt::format("killed by signal SIG{}", name ? name : std::to_string(sig)));
  }
  return errno_error(program, 0, program, fmt::format("ended with wait status {}", status));
}

bool SpawnProcessRunner::is_executable(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return ::access(path.c_str(), X_OK) == 0;
}

}  // namespace warmboot
