// SPDX-License-Identifier: Apache-2.0
#include "core/boot_entry.h"

namespace warmboot {

const char* to_string(EntryOrigin origin) {
  switch (origin) {
    case EntryOrigin::Grub:
      return "grub";
    case EntryOrigin::Bls:
      return "bls";
    case EntryOrigin::Uki:
      return "uki";
    case EntryOrigin::Installed:
      return "installed";
  }
  return "installed";
}

}  // namespace warmboot
