// SPDX-License-Identifier: Apache-2.0
#include "core/kexec_errors.h"
#include "core/text.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace warmboot {
namespace {

std::string mib(uint64_t bytes) {
  return fmt::format("{:.1f} MiB", bytes / 1048576.0);
}

Error explain_eperm(const KexecFailure& f, const MachineFacts& machine) {
  if (machine.kexec_load_disabled == 1) {
    return errno_error(f.op, f.code, "/proc/sys/kernel/kexec_load_disabled",
                       "kexec is switched off until the next boot (kernel.kexec_load_disabled=1), "
                       "so " +
                           f.kernel + " cannot be staged",
                       "the switch is one-way; reboot normally this time, and keep "
                       "kernel.kexec_load_disabled=0 in sysctl.d to use warmboot");
  }
  if (machine.kexec_load_limit_reboot == 0) {
    return errno_error(f.op, f.code, "/proc/sys/kernel/kexec_load_limit_reboot",
                       "the kexec load limit is used up (kernel.kexec_load_limit_reboot=0)",
                       "reboot normally; the limit can only be lowered until the next boot");
  }
  if (machine.locked_down()) {
    return errno_error(f.op, f.code, f.kernel,
                       fmt::format("the running kernel is locked down ([{}]) and {} is not signed "
                                   "by a trusted key",
                                   to_string(machine.lockdown), f.kernel),
                       "sign it with a key the kernel trusts (or use the distribution's signed "
                       "kernel), or boot without lockdown");
  }
  return errno_error(f.op, f.code, f.kernel,
                     "not permitted to stage " + f.kernel +
                         ": loading a kernel needs root with "
                         "CAP_SYS_BOOT",
                     "run warmboot as root, outside containers and units that drop CAP_SYS_BOOT");
}

}  // namespace

Error explain_kexec_failure(const KexecFailure& f, const MachineFacts& machine) {
  const std::string& k = f.kernel;
  switch (f.code) {
    case EPERM:
      return explain_eperm(f, machine);
    case EKEYREJECTED:
    case EKEYREVOKED:
    case EBADMSG:
    case ENOKEY:
    case ENODATA:
      return errno_error(f.op, f.code, k, k + " is not signed by a trusted key",
                         "sign it or boot without lockdown");
    case EBUSY:
      return errno_error(f.op, f.code, k,
                         "another kexec load or kexec reboot is already in progress",
                         "wait for it (kdump, kexec-tools, another warmboot) to finish and retry");
    case ENOMEM:
      return errno_error(f.op, f.code, k,
                         fmt::format("not enough contiguous memory to stage {} and its initrd "
                                     "({})",
                                     k, mib(f.image_bytes)),
                         "free memory (stop services, drop caches) or use a smaller initrd");
    case ENOEXEC:
      return errno_error(f.op, f.code, k,
                         k + " is not in a format this kernel's kexec_file_load accepts",
                         "check it is a kernel image for this architecture (bzImage or PE)");
    case EINVAL:
      return errno_error(f.op, f.code, k, "the kernel rejected the image or its arguments for " + k,
                         "check the kernel file is intact and the command line is valid");
    case ENOSYS:
      return errno_error(f.op, f.code, k,
                         "this kernel has no kexec_file_load (CONFIG_KEXEC_FILE is off)",
                         "install kexec-tools so warmboot can use kexec_load instead");
    case EFBIG:
      return errno_error(
          f.op, f.code, k,
          fmt::format("{} and its initrd ({}) are too large to stage", k, mib(f.image_bytes)),
          "use a smaller initrd");
    case E2BIG:
      return errno_error(f.op, f.code, k,
                         fmt::format("the command line is too long ({} bytes with its NUL; the "
                                     "limit is {})",
                                     f.cmdline_bytes, kCommandLineSize),
                         "shorten the kernel command line");
    default:
      return errno_error(f.op, f.code, k,
                         fmt::format("cannot stage {}: {}", k, std::strerror(f.code)));
  }
}

}  // namespace warmboot
