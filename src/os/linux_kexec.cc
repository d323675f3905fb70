// SPDX-License-Identifier: Apache-2.0
#include "os/linux_kexec.h"

#include <linux/kexec.h>
#include <linux/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "core/text.h"

namespace warmboot {
namespace {

constexpr const char* kKexecLoaded = "/sys/kernel/kexec_loaded";

long raw_kexec_file_load(int kernel_fd, int initrd_fd, unsigned long cmdline_len,
                         const char* cmdline, unsigned long flags) {
#ifdef SYS_kexec_file_load
  return ::syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, cmdline_len, cmdline, flags);
#else
  (void)kernel_fd, (void)initrd_fd, (void)cmdline_len, (void)cmdline, (void)flags;
  errno = ENOSYS;
  return -1;
#endif
}

// glibc's reboot() takes only the command; the magic numbers are added by the wrapper.
Status raw_reboot(int cmd, const char* op) {
  ::sync();
  long r = ::syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, nullptr);
  if (r < 0) return errno_error(op, errno, {}, "reboot(2) failed");
  return errno_error(op, 0, {}, "reboot(2) returned without rebooting");
}

}  // namespace

Status LinuxKexec::file_load(int kernel_fd, int initrd_fd, const std::string& cmdline) {
  unsigned long flags = initrd_fd < 0 ? KEXEC_FILE_NO_INITRAMFS : 0;
  // std::string guarantees a NUL after size(); the ABI wants it counted in the length.
  long r = raw_kexec_file_load(kernel_fd, initrd_fd, cmdline.size() + 1, cmdline.c_str(), flags);
  if (r < 0) return errno_error("kexec_file_load", errno, {}, "the kernel refused the image");
  return {};
}

Status LinuxKexec::unload() {
  long r = raw_kexec_file_load(-1, -1, 0, nullptr, KEXEC_FILE_UNLOAD);
  if (r < 0) return errno_error("kexec_file_load", errno, {}, "cannot unload the staged kernel");
  return {};
}

Result<bool> LinuxKexec::is_loaded() {
  auto text = fs_.read_file(kKexecLoaded, 64);
  if (!text) return text.error();
  return parse_kexec_loaded(*text);
}

Status LinuxKexec::exec_now() {
  return raw_reboot(LINUX_REBOOT_CMD_KEXEC, "reboot(KEXEC)");
}

Status LinuxKexec::cold_reboot_now() {
  return raw_reboot(LINUX_REBOOT_CMD_RESTART, "reboot(RESTART)");
}

}  // namespace warmboot
