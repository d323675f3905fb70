// SPDX-License-Identifier: Apache-2.0
// The real ProcessRunner: posix_spawn + waitpid.
#pragma once

#include "core/process_runner.h"

namespace warmboot {

// The real runner: posix_spawn + waitpid.
class SpawnProcessRunner : public ProcessRunner {
 public:
  Result<int> run(const std::vector<std::string>& argv) override;
  bool is_executable(const std::string& path) const override;
};

}  // namespace warmboot
