// SPDX-License-Identifier: Apache-2.0
// The kernel's kexec ABI as a small interface, so staging logic can be tested with a fake.
// The real implementation is LinuxKexec (os/linux_kexec.h); tests use FakeKexec
// (tests/fakes/fake_kexec.h).
#pragma once

#include <string>

#include "core/result.h"

namespace warmboot {

class KexecInterface {
 public:
  virtual ~KexecInterface() = default;

  // kexec_file_load(2). initrd_fd == -1 means KEXEC_FILE_NO_INITRAMFS. The cmdline is passed with
  // its trailing NUL (the length includes it), as the ABI wants. Errors carry the raw errno and the
  // op "kexec_file_load"; turning them into advice is the stager's job (core/kexec_errors.h).
  virtual Status file_load(int kernel_fd, int initrd_fd, const std::string& cmdline) = 0;
  // kexec_file_load with KEXEC_FILE_UNLOAD: drops a staged kernel.
  virtual Status unload() = 0;
  // /sys/kernel/kexec_loaded == "1".
  virtual Result<bool> is_loaded() = 0;
  // sync(); reboot(LINUX_REBOOT_CMD_KEXEC). Returns only on failure.
  virtual Status exec_now() = 0;
  // sync(); reboot(LINUX_REBOOT_CMD_RESTART). Returns only on failure.
  virtual Status cold_reboot_now() = 0;
};

}  // namespace warmboot
