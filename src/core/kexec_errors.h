// SPDX-License-Identifier: Apache-2.0
// Turns a failed kexec load (an errno) into an Error an operator can act on: what went wrong,
// naming the file, and what to do about it.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/machine_facts.h"

namespace warmboot {

// COMMAND_LINE_SIZE on x86 (and arm64 before 6.x): the kernel refuses longer command lines.
inline constexpr size_t kCommandLineSize = 2048;

struct KexecFailure {
  std::string op = "kexec_file_load";
  int code = 0;              // errno from the load
  std::string kernel;        // path inside the root, as the plan names it
  uint64_t image_bytes = 0;  // kernel + initrd bytes we tried to stage
  size_t cmdline_bytes = 0;  // command line length with its NUL
};

// The Error for a failed load. The machine's kexec sysctls and lockdown tell the causes of EPERM
// apart.
Error explain_kexec_failure(const KexecFailure& failure, const MachineFacts& machine);

// Whether kexec-tools' kexec_load may be tried after kexec_file_load failed with `code`: only
// when the kernel lacks kexec_file_load (ENOSYS) or rejects the image format (ENOEXEC). Never after
// a signature, lockdown or permission error: kexec_load would only bypass or repeat them.
inline bool kexec_fallback_allowed(int code) {
  return code == ENOSYS || code == ENOEXEC;
}

}  // namespace warmboot
