// SPDX-License-Identifier: Apache-2.0
// Runs helper programs (kexec-tools) on the host. An interface so tests can record argv instead.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace warmboot {

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;

  // Runs argv[0] (an absolute host path, no PATH search) with argv, inheriting stdout, stderr and
  // every fd not marked close-on-exec; waits for it. Returns its exit status (0-255); an Error if
  // it could not be started or was killed by a signal.
  virtual Result<int> run(const std::vector<std::string>& argv) = 0;
  // Whether `path` (a host path, never under --root) is an executable regular file.
  virtual bool is_executable(const std::string& path) const = 0;
};

}  // namespace warmboot
