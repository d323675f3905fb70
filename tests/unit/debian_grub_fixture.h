// SPDX-License-Identifier: Apache-2.0
// A Debian machine's GRUB, as the unit tests of one-shot reboots and of `refresh` stage it: its
// grub.cfg, cut to what decides the default, and a grubenv block.
#pragma once

#include <string>

#include "core/grub_env.h"

namespace warmboot::testing {

// Debian's grub.cfg, cut to what decides the default: the header's next_entry handling and
// an "Advanced options" submenu.
inline constexpr const char* kGrubCfg = R"(load_env
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="${saved_entry}"
fi
menuentry 'Debian GNU/Linux' --id gnulinux-simple {
	linux /boot/vmlinuz-6.1.0-10-amd64 root=/dev/vda1 ro quiet
}
submenu 'Advanced options for Debian GNU/Linux' --id gnulinux-advanced {
	menuentry 'Debian GNU/Linux, with Linux 6.1.0-10-amd64' --id gnulinux-10 {
		linux /boot/vmlinuz-6.1.0-10-amd64 root=/dev/vda1 ro quiet
	}
	menuentry 'Debian GNU/Linux, with Linux 6.1.0-9-amd64' --id gnulinux-9 {
		linux /boot/vmlinuz-6.1.0-9-amd64 root=/dev/vda1 ro quiet
	}
}
)";

inline std::string env_block(const std::string& body) {
  std::string out = std::string(kGrubEnvSignature) + body;
  return out + std::string(1024 - out.size(), '#');
}

}  // namespace warmboot::testing
