// SPDX-License-Identifier: Apache-2.0
// The kernel command line, split as the kernel splits it: words separated by spaces, where double
// quotes protect spaces ("foo=\"a b\"" is one word). Words keep their quotes so they pass through
// intact.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warmboot {

std::vector<std::string> split_cmdline(std::string_view text);
std::string join_cmdline(const std::vector<std::string>& words);

// "root" for "root=/dev/sda1", "quiet" for "quiet"; quotes removed from the key.
std::string param_key(std::string_view word);

// What the user asked to change (--cmdline, --append, --remove).
struct CmdlineEdit {
  std::optional<std::string> replace;  // replaces the whole line
  std::vector<std::string> append;     // added before a "--" separator, if any
  std::vector<std::string> remove;     // keys: every "KEY" and "KEY=..." goes

  bool empty() const { return !replace && append.empty() && remove.empty(); }
};

// The running kernel's /proc/cmdline made fit for the next kernel: without the boot loader's
// BOOT_IMAGE= and initrd= (the next initrd is passed separately), trailing newline dropped.
std::string cmdline_for_reuse(std::string_view proc_cmdline);

std::string apply_cmdline_edit(std::string_view base, const CmdlineEdit& edit);

}  // namespace warmboot
