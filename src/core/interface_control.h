// SPDX-License-Identifier: Apache-2.0
// Network interfaces, as much as the hooks need: take one down (clear IFF_UP with SIOCSIFFLAGS).
// The real one is IoctlInterfaceControl; tests use FakeInterfaceControl
// (tests/fakes/fake_interface_control.h).
#pragma once

#include <string>

#include "core/result.h"

namespace warmboot {

class InterfaceControl {
 public:
  virtual ~InterfaceControl() = default;

  // Clears IFF_UP. Returns false (not an error) when no interface has that name.
  virtual Result<bool> set_down(const std::string& name) = 0;
};

}  // namespace warmboot
