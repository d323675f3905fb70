// SPDX-License-Identifier: Apache-2.0
// A ProcessRunner for tests: records argv, answers with a set exit status, and reads back the
// bytes behind every "/proc/..." path it is given while the call is under way.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/process_runner.h"

namespace warmboot {

class FakeProcessRunner : public ProcessRunner {
 public:
  void add_executable(std::string path) { executables_.insert(std::move(path)); }
  void set_exit_status(int status) { exit_status_ = status; }
  void fail_to_start(int code) { start_error_ = code; }

  // argv of every run, and every run as asked for (env, timeout, trusted).
  const std::vector<std::vector<std::string>>& runs() const { return runs_; }
  const std::vector<ProcessSpec>& specs() const { return specs_; }
  // Contents of each /proc/... path seen in an argument ("--initrd=/proc/1/fd/7" included).
  const std::map<std::string, std::string>& proc_files() const { return proc_files_; }

  Result<int> execute(const ProcessSpec& spec) override {
    const std::vector<std::string>& argv = spec.argv;
    runs_.push_back(argv);
    specs_.push_back(spec);
    for (const auto& arg : argv) {
      auto at = arg.find("/proc/");
      if (at != std::string::npos) proc_files_[arg.substr(at)] = slurp(arg.substr(at));
    }
    if (start_error_ != 0) return Error{"posix_spawn", start_error_, argv.at(0), "fake", {}};
    return exit_status_;
  }
  bool is_executable(const std::string& path) const override {
    return executables_.count(path) > 0;
  }

 private:
  static std::string slurp(const std::string& path) {
    std::string out;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "<unreadable>";
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    ::close(fd);
    return out;
  }

  std::set<std::string> executables_;
  std::vector<std::vector<std::string>> runs_;
  std::vector<ProcessSpec> specs_;
  std::map<std::string, std::string> proc_files_;
  int exit_status_ = 0;
  int start_error_ = 0;
};

}  // namespace warmboot
