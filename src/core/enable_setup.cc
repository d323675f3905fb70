// SPDX-License-Identifier: Apache-2.0
#include "core/enable_setup.h"

#include <cerrno>

namespace warmboot {
namespace {

// What warmboot 0.1.0's `enable` wrote: still ours, so that an upgrade keeps the machine enabled.
constexpr const char* kDropInText_0_1_0 =
    "# Written by `warmboot enable`; `warmboot disable` removes it. Do not edit.\n"
    "# Starts warmboot-stage.service at boot so that it is stopped, and stages the next\n"
    "# kernel, when the machine reboots. See warmboot(8).\n"
    "[Unit]\n"
    "Wants=warmboot-stage.service\n";

// What warmboot 0.1's later `enable` wrote, before the stage-ahead unit.
constexpr const char* kDropInText_0_1_1 =
    "# Written by `warmboot enable`; `warmboot disable` removes it. Do not edit.\n"
    "# Starts warmboot-stage.service at boot so that it is stopped, and stages the next\n"
    "# kernel, when the machine reboots; warmboot-record.service records each boot in the\n"
    "# downtime history (`warmboot history`). See warmboot(8).\n"
    "[Unit]\n"
    "Wants=warmboot-stage.service\n"
    "Wants=warmboot-record.service\n";

// What warmboot 0.1's `enable` wrote with the stage-ahead unit, before warmboot-refresh.path.
constexpr const char* kDropInText_0_1_2 =
    "# Written by `warmboot enable`; `warmboot disable` removes it. Do not edit.\n"
    "# warmboot-stage.service stages the next kernel when the machine reboots;\n"
    "# warmboot-stage-ahead.service stages it after boot with [handover] stage_ahead;\n"
    "# warmboot-record.service records each boot in the downtime history. See warmboot(8).\n"
    "[Unit]\n"
    "Wants=warmboot-stage.service\n"
    "Wants=warmboot-stage-ahead.service\n"
    "Wants=warmboot-record.service\n";

}  // namespace

std::string enable_drop_in_text() {
  // One Wants= per unit: systemd 252 reads either form; one a line is easier to audit.
  return "# Written by `warmboot enable`; `warmboot disable` removes it. Do not edit.\n"
         "# warmboot-stage.service stages the next kernel when the machine reboots;\n"
         "# warmboot-stage-ahead.service stages it after boot ([handover] stage_ahead);\n"
         "# warmboot-refresh.path restages it when the boot loader's choice changes;\n"
         "# warmboot-record.service records each boot in the downtime history. See warmboot(8).\n"
         "[Unit]\n"
         "Wants=warmboot-stage.service\n"
         "Wants=warmboot-stage-ahead.service\n"
         "Wants=warmboot-refresh.path\n"
         "Wants=warmboot-record.service\n";
}

EnableState enable_state(const FileSystem& fs) {
  auto text = fs.read_file(kEnableDropIn, 1 << 16);
  if (!text) return text.error().code == ENOENT ? EnableState::Disabled : EnableState::Foreign;
  return *text == enable_drop_in_text() || is_earlier_drop_in_text(*text) ? EnableState::Enabled
                                                                          : EnableState::Foreign;
}

bool is_earlier_drop_in_text(std::string_view text) {
  return text == kDropInText_0_1_0 || text == kDropInText_0_1_1 || text == kDropInText_0_1_2;
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
