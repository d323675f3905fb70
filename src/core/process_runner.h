// SPDX-License-Identifier: Apache-2.0
// Runs helper programs (kexec-tools, systemctl) and the operator's hooks on the host. An interface
// so tests can record what would run instead. The real one is SpawnProcessRunner.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace warmboot {

// How a program is run.
struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0]: an absolute host path (no PATH search)
  std::vector<std::string> env;   // NAME=value, added to warmboot's own environment
  // > 0: the program (its whole process group) gets SIGTERM when it runs longer, SIGKILL 5 s
  // later, and the run is an error.
  double timeout_s = 0;
  // The operator's hooks: argv[0] is opened without following any link, it and every directory
  // above it must be owned by root and writable by nobody else, and the very file checked is
  // executed (fexecve), so nothing can be swapped in between.
  bool trusted_file_only = false;

  bool operator==(const ProcessSpec&) const = default;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;

  // Runs the program, inheriting stdout, stderr and every fd not marked close-on-exec, and waits
  // for it. Returns its exit status (0-255); an Error if it could not be started (or was refused),
  // was killed by a signal, or ran out of time.
  virtual Result<int> execute(const ProcessSpec& spec) = 0;
  // Whether `path` (a host path, never under --root) is an executable regular file.
  virtual bool is_executable(const std::string& path) const = 0;

  // A plain helper program: argv only.
  Result<int> run(const std::vector<std::string>& argv) {
    return execute(ProcessSpec{argv, {}, 0, false});
  }
};

}  // namespace warmboot
