// SPDX-License-Identifier: Apache-2.0
// The real InterfaceControl: SIOCGIFFLAGS/SIOCSIFFLAGS on a socket.
#pragma once

#include "core/interface_control.h"

namespace warmboot {

// DANGER: takes interfaces down on the host. Unit tests use the fake.
class IoctlInterfaceControl : public InterfaceControl {
 public:
  Result<bool> set_down(const std::string& name) override;
};

}  // namespace warmboot
