#include "core/enable_setup.h"

#include <cerrno>

namespace warmboot {

std::string enable_drop_in_text() {
  return "# Written by `warmboot enable`; `warmboot disable` removes it. Do not edit.\n"
         "# Starts warmboot-stage.service at boot so that it is stopped, and stages the next\n"
         "# kernel, when the machine reboots. See warmboot(8).\n"
         "[Unit]\n"
         "Wants=warmboot-stage.service\n";
}

EnableState enable_state(const FileSystem& fs) {
  auto text = fs.read_file(kEnableDropIn, 1 << 16);
  if (!text) return text.error().code == ENOENT ? EnableState::Disabled : EnableState::Foreign;
  return *text == enable_drop_in_text() ? EnableState::Enabled : EnableState::Foreign;
}

const char* to_string(EnableState state) {
  switch (state) {
    case EnableState::Disabled:
      return "disabled";
    case EnableState::Enabled:
      return "enabled";
    case EnableState::Foreign:
      return "unknown";
  }
  return "unknown";
}

}  // namespace warmboot
