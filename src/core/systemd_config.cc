// SPDX-License-Identifier: Apache-2.0
#include "core/systemd_config.h"
#include "core/text.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <map>
#include <utility>
#include <vector>

namespace warmboot {
namespace {

constexpr std::string_view kSharedPrefix = "libsystemd-shared-";

int version_in_dir(const FileSystem& fs, const std::string& dir) {
  auto names = fs.list_dir(dir);
  if (!names) return 0;
  for (const auto& name : *names) {
    if (!name.starts_with(kSharedPrefix)) continue;
    int version = 0;
    const char* begin = name.data() + kSharedPrefix.size();
    auto [end, ec] = std::from_chars(begin, name.data() + name.size(), version);
    if (ec == std::errc() && end != begin && version > 0) return version;
  }
  return 0;
}

double unit_seconds(std::string_view unit) {
  static const std::map<std::string_view, double> units = {
      {"", 1},        {"s", 1},         {"sec", 1},        {"second", 1},  {"seconds", 1},
      {"ms", 1e-3},   {"msec", 1e-3},   {"us", 1e-6},      {"usec", 1e-6}, {"m", 60},
      {"min", 60},    {"minute", 60},   {"minutes", 60},   {"h", 3600},    {"hr", 3600},
      {"hour", 3600}, {"hours", 3600},  {"d", 86400},      {"day", 86400}, {"days", 86400},
      {"w", 604800},  {"week", 604800}, {"weeks", 604800},
  };
  auto it = units.find(unit);
  return it == units.end() ? -1 : it->second;
}

// Applies the [Manager] DefaultTimeoutStopSec= assignments of one file.
void apply_file(const FileSystem& fs, const std::string& path, StopTimeout& out) {
  auto text = fs.read_file(path, 1 << 20);
  if (!text) return;
  std::string_view rest = *text;
  bool manager = false;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      manager = line == "[Manager]";
      continue;
    }
    size_t eq = line.find('=');
    if (!manager || eq == std::string_view::npos) continue;
    if (trim(line.substr(0, eq)) != "DefaultTimeoutStopSec") continue;
    std::string_view value = trim(line.substr(eq + 1));
    if (value.empty()) {
      out = StopTimeout{};
      out.origin = path;
      continue;
    }
    if (auto seconds = parse_timespan(value)) out = StopTimeout{*seconds, path, std::string(value)};
  }
}

}  // namespace

int systemd_version_from_files(const FileSystem& fs) {
  std::vector<std::string> dirs = {"/usr/lib/systemd", "/lib/systemd", "/usr/lib64/systemd"};
  if (auto names = fs.list_dir("/usr/lib")) {
    for (const auto& name : *names) {
      if (name.find("-linux-") != std::string::npos)
        dirs.push_back("/usr/lib/" + name + "/systemd");
    }
  }
  for (const auto& dir : dirs) {
    if (int version = version_in_dir(fs, dir)) return version;
  }
  return 0;
}

std::optional<double> parse_timespan(std::string_view text) {
  text = trim(text);
  if (text == "infinity") return std::numeric_limits<double>::infinity();
  if (text.empty()) return std::nullopt;
  double total = 0;
  while (!text.empty()) {
    text = trim(text);
    size_t digits = 0;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    double number = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + digits, number);
    if (ec != std::errc() || ptr != text.data() + digits) return std::nullopt;
    text.remove_prefix(digits);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    size_t letters = 0;
    while (letters < text.size() && std::isalpha(static_cast<unsigned char>(text[letters])))
      ++letters;
    double unit = unit_seconds(text.substr(0, letters));
    if (unit < 0) return std::nullopt;
    total += number * unit;
    text.remove_prefix(letters);
  }
  return total;
}

StopTimeout default_timeout_stop(const FileSystem& fs) {
  StopTimeout out;
  for (const char* main :
       {"/etc/systemd/system.conf", "/run/systemd/system.conf", "/usr/lib/systemd/system.conf"}) {
    if (fs.is_file(main)) {
      apply_file(fs, main, out);
      break;
    }
  }
  // Lowest priority first; a later directory's file replaces an earlier one of the same name.
  std::map<std::string, std::string> dropins;
  for (const char* dir : {"/usr/lib/systemd/system.conf.d", "/usr/local/lib/systemd/system.conf.d",
                          "/run/systemd/system.conf.d", "/etc/systemd/system.conf.d"}) {
    auto names = fs.list_dir(dir);
    if (!names) continue;
    for (const auto& name : *names) {
      if (name.ends_with(".conf")) dropins[name] = std::string(dir) + "/" + name;
    }
  }
  for (const auto& [name, path] : dropins) apply_file(fs, path, out);
  return out;
}

}  // namespace warmboot
