// SPDX-License-Identifier: Apache-2.0
#include "os/ioctl_interface_control.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "os/unique_fd.h"

namespace warmboot {

Result<bool> IoctlInterfaceControl::set_down(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ)
    return errno_error("SIOCGIFFLAGS", EINVAL, name, "bad interface name '" + name + "'");
  UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (sock.get() < 0) return errno_error("socket", errno, name, "cannot open a socket for ioctl");
  struct ifreq req {};
  std::memcpy(req.ifr_name, name.c_str(), name.size());
  if (::ioctl(sock.get(), SIOCGIFFLAGS, &req) != 0) {
    if (errno == ENODEV) return false;
    return errno_error("SIOCGIFFLAGS", errno, name, "cannot read the flags of " + name);
  }
  if (!(req.ifr_flags & IFF_UP)) return true;
  req.ifr_flags = static_cast<short>(req.ifr_flags & ~IFF_UP);
  if (::ioctl(sock.get(), SIOCSIFFLAGS, &req) != 0)
    return errno_error("SIOCSIFFLAGS", errno, name, "cannot bring " + name + " down");
  return true;
}

}  // namespace warmboot
