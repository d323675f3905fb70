// SPDX-License-Identifier: Apache-2.0
// The real KexecInterface: raw kexec_file_load(2) and reboot(2).
// DANGER: file_load, exec_now and cold_reboot_now act on the running machine. Never call them on a
// development host; they run only inside QEMU guests (tests/vm/). Unit tests use FakeKexec.
#pragma once

#include "core/filesystem.h"
#include "core/kexec_interface.h"
#include "core/machine_facts.h"

namespace warmboot {

class LinuxKexec : public KexecInterface {
 public:
  // `fs` is used only to read /sys/kernel/kexec_loaded, so --root works for reading.
  explicit LinuxKexec(const FileSystem& fs) : fs_(fs) {}

  Status file_load(int kernel_fd, int initrd_fd, const std::string& cmdline) override;
  Status unload() override;
  Result<bool> is_loaded() override;
  Status exec_now() override;
  Status cold_reboot_now() override;

 private:
  const FileSystem& fs_;
};

}  // namespace warmboot
