// SPDX-License-Identifier: Apache-2.0
#include "os/linux_watchdog_device.h"

#include <fcntl.h>
#include <linux/watchdog.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "core/error.h"
#include "os/unique_fd.h"

namespace warmboot {
namespace {

// The device, opened for writing (which starts it), never through a link and only if it is a
// character device.
Result<UniqueFd> open_watchdog(std::string& path) {
  int first_error = ENOENT;
  for (const char* candidate : {"/dev/watchdog0", "/dev/watchdog"}) {
    struct stat st {};
    if (::lstat(candidate, &st) != 0) {
      if (first_error == ENOENT) first_error = errno;
      continue;
    }
    path = candidate;
    if (!S_ISCHR(st.st_mode))
      return errno_error("open", ENODEV, path, "not a character device: not opened");
    UniqueFd fd(::open(candidate, O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) {
      const int e = errno;
      if (e == EBUSY) {
        return errno_error("open", e, path,
                           "held by another process (systemd's RuntimeWatchdogSec, a watchdog "
                           "daemon), which feeds it: not armed by warmboot");
      }
      return errno_error("open", e, path, "cannot open the watchdog");
    }
    return fd;
  }
  return errno_error("open", first_error, "/dev/watchdog0", "no watchdog device");
}

}  // namespace

Result<int> LinuxWatchdogDevice::arm(int seconds) {
  std::string path;
  auto fd = open_watchdog(path);
  if (!fd) return fd.error();
  int timeout = seconds;
  if (::ioctl(fd->get(), WDIOC_SETTIMEOUT, &timeout) != 0) {
    const int e = errno;
    // Running with the driver's own timeout: stop it again rather than leave an unknown one.
    (void)::write(fd->get(), "V", 1);
    return errno_error("ioctl(WDIOC_SETTIMEOUT)", e, path, "the driver refused the timeout",
                       "choose another [guard] watchdog_sec");
  }
  (void)::ioctl(fd->get(), WDIOC_KEEPALIVE, 0);
  // Closed without the magic 'V': the kernel says "watchdog did not stop!" and leaves it running.
  return timeout;
}

Status LinuxWatchdogDevice::disarm() {
  std::string path;
  auto fd = open_watchdog(path);
  if (!fd) return fd.error();
  int options = WDIOS_DISABLECARD;
  (void)::ioctl(fd->get(), WDIOC_SETOPTIONS, &options);
  if (::write(fd->get(), "V", 1) != 1)
    return errno_error("write", errno, path, "cannot stop the watchdog (magic close)");
  return {};
}

}  // namespace warmboot
