// SPDX-License-Identifier: Apache-2.0
// The real ProcessRunner. DANGER: runs programs on the host; unit tests run only harmless ones.
#pragma once

#include "core/process_runner.h"

namespace warmboot {

// fork + execve (fexecve for trusted files), waitpid with the time limit.
class SpawnProcessRunner : public ProcessRunner {
 public:
  Result<int> execute(const ProcessSpec& spec) override;
  bool is_executable(const std::string& path) const override;
};

}  // namespace warmboot
