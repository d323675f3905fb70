// SPDX-License-Identifier: Apache-2.0
#include "os/spawn_process_runner.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

extern char** environ;

namespace warmboot {

Result<int> SpawnProcessRunner::run(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/')
    return errno_error("posix_spawn", EINVAL, {}, "argv[0] must be an absolute path");
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ);
  if (rc != 0) return errno_error("posix_spawn", rc, argv[0], "cannot start " + argv[0]);

  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, 0);
    if (r == pid) break;
    if (r < 0 && errno == EINTR) continue;
    return errno_error("waitpid", errno, argv[0], "cannot wait for " + argv[0]);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = ::sigabbrev_np(sig);
    return errno_error(argv[0], 0, argv[0],
                       fmt::format("killed by signal SIG{}", name ? name : std::to_string(sig)));
  }
  return errno_error(argv[0], 0, argv[0], fmt::format("ended with wait status {}", status));
}

bool SpawnProcessRunner::is_executable(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return ::access(path.c_str(), X_OK) == 0;
}

}  // namespace warmboot
