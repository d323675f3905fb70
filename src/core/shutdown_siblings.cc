// SPDX-License-Identifier: Apache-2.0
#include "core/shutdown_siblings.h"

#include <algorithm>
#include <charconv>

#include "core/text.h"

namespace warmboot {
namespace {

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<int> parse_stat_ppid(std::string_view stat) {
  size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view rest = trim(stat.substr(close + 1));  // "S 1 123 ..."
  size_t state_end = rest.find(' ');
  if (state_end == std::string_view::npos) return std::nullopt;
  rest = rest.substr(state_end + 1);
  return parse_int(rest.substr(0, rest.find(' ')));
}

std::optional<int> parse_stat_pid(std::string_view stat) {
  return parse_int(stat.substr(0, stat.find(' ')));
}

std::optional<ProcessEntry> read_process(const FileSystem& fs, std::string_view name) {
  const std::string dir = "/proc/" + std::string(name);
  auto stat = fs.read_file(dir + "/stat", 4096);
  if (!stat) return std::nullopt;
  auto pid = parse_stat_pid(*stat);
  auto ppid = parse_stat_ppid(*stat);
  if (!pid || !ppid) return std::nullopt;
  auto cmdline = fs.read_file(dir + "/cmdline", 64 * 1024);
  std::string args = cmdline ? *cmdline : std::string();
  std::replace(args.begin(), args.end(), '\0', ' ');
  return ProcessEntry{*pid, *ppid, std::string(trim(args))};
}

std::vector<ProcessEntry> sibling_shutdown_hooks(const FileSystem& fs) {
  std::vector<ProcessEntry> siblings;
  auto me = read_process(fs, "self");
  auto names = fs.list_dir("/proc");
  if (!me || !names) return siblings;
  for (const auto& name : *names) {
    auto pid = parse_int(name);
    if (!pid || *pid == me->pid) continue;
    auto process = read_process(fs, name);
    if (process && process->ppid == me->ppid &&
        process->cmdline.find("/system-shutdown/") != std::string::npos) {
      siblings.push_back(std::move(*process));
    }
  }
  return siblings;
}

}  // namespace warmboot
