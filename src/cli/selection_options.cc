// SPDX-License-Identifier: Apache-2.0
#include "cli/selection_options.h"

namespace warmboot {

void add_selection_options(CLI::App& command, SelectionRequest& request) {
  command
      .add_option(
          "--kernel", request.kernel,
          "default (what the boot loader would boot), current, latest, a release, or a path")
      ->capture_default_str();
  command
      .add_option("--initrd", request.initrds, "initrd to load instead of the entry's (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--append", request.edit.append, "add to the command line (repeatable)")
      ->allow_extra_args(false);
  command
      .add_option("--remove", request.edit.remove,
                  "drop every KEY and KEY=... from the command line (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--cmdline", request.edit.replace, "replace the command line entirely");
  command.add_option("--dtb", request.dtb,
                     "arm64: a device tree (.dtb) for the next kernel instead of the running one "
                     "(staged with kexec-tools' kexec_load)");
}

}  // namespace warmboot
